import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from '../../api';

/**
 * Sessions, quick notes, action items, plans and effectiveness: the types the pages read and the TanStack Query
 * hooks over /api/coaching. Shapes follow the zod schemas in src/modules/coaching/{sessions,plans,effectiveness}/routes.ts;
 * fields a page only shows when present are optional so a leaner answer still renders.
 */
export const CO_API = '/api/coaching';
/** Every coaching query key starts with this, so one invalidation refreshes the module after a change. */
export const CO_KEY = 'coaching';

const path = (...parts: string[]) => `${CO_API}/${parts.map((part) => encodeURIComponent(part)).join('/')}`;

// ---------------------------------------------------------------- types

export const SESSION_TYPES = ['REGULAR', 'FOLLOW_UP', 'PIP_CHECK', 'URGENT'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];
export const SESSION_STATUSES = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const NOTE_TYPES = ['POSITIVE', 'COACHING', 'URGENT', 'COMPLIANCE', 'GENERAL'] as const;
export type NoteType = (typeof NOTE_TYPES)[number];
export const PRIORITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const ACTION_ITEM_STATUSES = ['PENDING', 'IN_PROGRESS', 'OVERDUE', 'COMPLETED', 'CANCELLED'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];
export const PLAN_STATUSES = ['DRAFT', 'ACTIVE', 'EXTENDED', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_OUTCOMES = ['SUCCESS', 'FAILURE', 'EXTENDED', 'RESIGNED'] as const;
export type PlanOutcome = (typeof PLAN_OUTCOMES)[number];

export type PersonRef = { id: string; name: string; timezone?: string | null };

/** A person as GET /people lists them (only what the pickers need). */
export type PersonOption = {
  id: string;
  name: string;
  role: string;
  status?: string;
  timezone?: string | null;
  teamLeaderId?: string | null;
  teamLeaderName?: string | null;
  learningStyle?: string | null;
};

export type CoachingMe = {
  person: (PersonOption & { managerId?: string | null }) | null;
  role: string | null;
  seesEverything: boolean;
  team?: { id: string; name: string; role: string }[];
};

/** Where a prep point comes from: a metric chart, a note, an action item, a previous session or a plan. */
export type Citation = {
  type: string;
  id?: string | null;
  label?: string | null;
  date?: string | null;
  metric?: string | null;
  agentId?: string | null;
  [extra: string]: unknown;
};

/** A start time as one person reads it. */
export type LocalTime = { timezone: string; date: string; time: string; local: string };

export type CoachingSession = {
  id: string;
  /** The start in the agent's and the team leader's time zones. */
  times?: { agent: LocalTime; teamLeader: LocalTime };
  endsAt?: string;
  hasPrep?: boolean;
  agentId: string;
  agentName: string;
  agentTimezone?: string | null;
  teamLeaderId: string;
  teamLeaderName: string;
  teamLeaderTimezone?: string | null;
  scheduledDate: string;
  plannedMinutes: number;
  actualStartTime?: string | null;
  actualEndTime?: string | null;
  durationMinutes?: number | null;
  sessionType: SessionType;
  status: SessionStatus;
  prepData?: Record<string, unknown> | null;
  topicsCovered?: string[] | null;
  discussionNotes?: string | null;
  agentCommitments?: string | null;
  resourcesShared?: string[] | null;
  engagementScore?: number | null;
  receptivenessScore?: number | null;
  understandingScore?: number | null;
  overallEffectiveness?: number | null;
  keyAchievements?: string | null;
  areasOfConcern?: string | null;
  followUpRequired?: boolean;
  followUpDate?: string | null;
  followUpTopics?: string[] | null;
  cancelledReason?: string | null;
  noShowReason?: string | null;
  createdAt?: string;
  updatedAt?: string;
  [extra: string]: unknown;
};

export type ScheduleInput = {
  agentId: string;
  /** Local date-time `YYYY-MM-DDTHH:mm` in `timezone`. */
  start: string;
  timezone: string;
  plannedMinutes: number;
  sessionType: SessionType;
};

export type AvailabilitySlot = { start: string; end: string; agent?: LocalTime; teamLeader?: LocalTime };
type AvailabilityPerson = { id: string; name: string; timezone: string; workingHours: string };
export type Availability = {
  date: string;
  minutes: number;
  agent: AvailabilityPerson;
  teamLeader: AvailabilityPerson;
  slots: AvailabilitySlot[];
  busy: { sessionId: string; start: string; end: string; who: 'agent' | 'teamLeader' | 'both' }[];
  message: string | null;
};

export type QuickNote = {
  id: string;
  agentId: string;
  agentName?: string | null;
  teamLeaderId: string;
  teamLeaderName?: string | null;
  noteType: NoteType;
  category?: string | null;
  content: string;
  priority: Priority;
  requiresFollowUp?: boolean;
  linkedSessionId?: string | null;
  addressed: boolean;
  addressedDate?: string | null;
  addressedNotes?: string | null;
  timestampOccurred?: string | null;
  createdAt: string;
  [extra: string]: unknown;
};

export type ActionItem = {
  id: string;
  sessionId?: string | null;
  agentId: string;
  agentName?: string | null;
  assignedBy?: string | null;
  assignedByName?: string | null;
  title: string;
  description: string;
  category?: string | null;
  dueDate: string;
  reminderDate?: string | null;
  completedDate?: string | null;
  priority: Priority;
  status: ActionItemStatus;
  progressPercentage: number;
  progressNotes?: string | null;
  blockers?: string | null;
  completionNotes?: string | null;
  verifiedBy?: string | null;
  verifiedByName?: string | null;
  verificationDate?: string | null;
  /** Past its due date in the organization's local date and still open. */
  overdue?: boolean;
  createdAt?: string;
  [extra: string]: unknown;
};

export type TargetMetric = { target: number; current?: number | null; start?: number | null; [extra: string]: unknown };

export type CriterionResult = { criterion: string; met: boolean; value: number | null };

/** One evaluation in progress_updates. */
export type CheckInRecord = {
  type: 'CHECK_IN';
  date: string;
  at: string;
  by: string;
  window: { from: string; to: string; days: number };
  metrics: Record<string, { value: number | null; target: number; start: number | null; progress: number | null; met: boolean }>;
  criteria: CriterionResult[];
  mandatoryMet: boolean;
  score: number | null;
};
/** An extension note in progress_updates. */
export type ExtensionRecord = { type: 'EXTENDED'; date: string; at: string; by: string; from: string; to: string; reason: string | null };
export type PlanProgressUpdate = CheckInRecord | ExtensionRecord;

export type ActionPlan = {
  id: string;
  agentId: string;
  agentName?: string | null;
  createdBy?: string | null;
  createdByName?: string | null;
  approvedBy?: string | null;
  approvedByName?: string | null;
  startDate: string;
  targetEndDate: string;
  actualEndDate?: string | null;
  extensionCount: number;
  status: PlanStatus;
  reasonForPlan: string;
  targetMetrics: Record<string, TargetMetric>;
  successCriteria: { mandatory: string[]; recommended?: string[]; [extra: string]: unknown };
  checkInFrequency: string;
  nextCheckInDate?: string | null;
  progressUpdates?: PlanProgressUpdate[] | null;
  currentScore?: number | null;
  outcome?: PlanOutcome | null;
  outcomeNotes?: string | null;
  lessonsLearned?: string | null;
  checkInCount?: number;
  lastCheckIn?: CheckInRecord | null;
  createdAt?: string;
  [extra: string]: unknown;
};

/** metrics_after: the agent's and the uncoached peers' windows, and the difference in differences on the issue metric. */
export type MetricsAfter = {
  window: { from: string; to: string };
  issueMetric: string;
  agent: { days: number; values: Record<string, number | null> };
  peers: { n: number; ids: string[]; department: string | null; before: number | null; after: number | null };
  /** In the metric's unit; `effect` signed so that positive = better (AHT falling is positive). */
  did: { metric: string; agentChange: number | null; peersChange: number | null; raw: number | null; effect: number | null };
  [extra: string]: unknown;
};
export type MetricsBefore = {
  coachedOn: string;
  window: { from: string; to: string };
  issueMetric: string;
  agent: { days: number; values: Record<string, number | null> };
  [extra: string]: unknown;
};

export type EffectivenessRecord = {
  id: string;
  sessionId: string | null;
  agentId: string;
  agentName: string;
  teamLeaderId: string;
  teamLeaderName: string;
  primaryIssue: string | null;
  interventionMethod: string | null;
  coachedOn: string | null;
  issueMetric: string | null;
  status: 'MEASURING' | 'EVALUATED';
  metricsBefore: MetricsBefore | null;
  metricsAfter: MetricsAfter | null;
  measurementPeriodDays: number;
  improvementPercentage: number | null;
  didEffect: number | null;
  peerCount: number | null;
  sustainedAfter30Days: boolean | null;
  sustainedAfter90Days: boolean | null;
  recommendedForSimilarIssues: boolean;
  createdAt: string;
};

export type EffectivenessSummaryRow = {
  issue: string;
  method: string;
  n: number;
  evaluated: number;
  meanImprovementPct: number | null;
  /** Mean DiD effect in the issue metric's unit, positive = better. */
  meanDid: number | null;
  didN: number;
  tStat: number | null;
  sustained30Rate: number | null;
  sustained90Rate: number | null;
  recommended: boolean;
};

export type EffectivenessReport = { items: EffectivenessRecord[]; summary: EffectivenessSummaryRow[] };

// ---------------------------------------------------------------- helpers

type Listish<T> = { items?: T[]; data?: T[]; records?: T[] } | T[] | undefined | null;

/** Lists answer `{ items }` (coaching), `{ data }` or a plain array; pages read all three. */
export function itemsOf<T>(payload: Listish<T>): T[] {
  if (!payload) return [];
  if (Array.isArray(payload)) return payload;
  return payload.items ?? payload.data ?? payload.records ?? [];
}

function useInvalidateCoaching() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [CO_KEY] });
}

function useRead<T>(key: unknown[], url: string, query?: QueryParams, options: { enabled?: boolean; refetchInterval?: number | false } = {}) {
  return useQuery({
    queryKey: [CO_KEY, ...key, query ?? null],
    queryFn: ({ signal }) => api.get<T>(url, query, signal),
    placeholderData: keepPreviousData,
    ...options,
  });
}

/** A mutation that refreshes every coaching query once it succeeds. */
function useWrite<I, O>(fn: (input: I) => Promise<O>) {
  const invalidate = useInvalidateCoaching();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidate() });
}

// ---------------------------------------------------------------- people (pickers)

export function useCoachingMe() {
  return useRead<CoachingMe>(['me'], path('me'), undefined);
}

export function useAgentOptions() {
  return useQuery({
    queryKey: [CO_KEY, 'people', 'agents'],
    queryFn: ({ signal }) => api.get<Listish<PersonOption>>(path('people'), { role: 'AGENT' }, signal),
    staleTime: 60_000,
    retry: false,
  });
}

// ---------------------------------------------------------------- sessions

export type SessionQuery = { agentId?: string | null; teamLeaderId?: string | null; status?: string | null; from?: string | null; to?: string | null };

export function useSessions(query: SessionQuery, enabled = true) {
  return useRead<Listish<CoachingSession>>(['sessions', 'list'], path('sessions'), query, { enabled });
}

export function useCoachingSession(id: string | undefined) {
  return useRead<CoachingSession>(['sessions', 'one', id], path('sessions', id ?? ''), undefined, { enabled: Boolean(id) });
}

export function useAvailability(agentId: string | null, date: string | null, minutes?: number) {
  return useRead<Availability>(['availability'], path('availability'), { agentId, date, minutes }, { enabled: Boolean(agentId && date) });
}

export function useScheduleSession() {
  return useWrite((input: ScheduleInput) => api.post<CoachingSession>(path('sessions'), input));
}

export function useSessionAction() {
  return useWrite(({ id, action, body }: { id: string; action: 'start' | 'complete' | 'cancel' | 'no-show' | 'prep'; body?: unknown }) =>
    api.post<CoachingSession>(path('sessions', id, action), body ?? {}),
  );
}

export function usePatchSession() {
  return useWrite(({ id, body }: { id: string; body: Record<string, unknown> }) => api.patch<CoachingSession>(path('sessions', id), body));
}

// ---------------------------------------------------------------- quick notes

export function useQuickNotes(query: { agentId?: string | null; addressed?: boolean | null; type?: string | null }) {
  return useRead<Listish<QuickNote>>(['notes'], path('notes'), query);
}

export function useCreateNote() {
  return useWrite((input: { agentId: string; noteType: NoteType; content: string; priority?: Priority; requiresFollowUp?: boolean }) =>
    api.post<QuickNote>(path('notes'), input),
  );
}

export function usePatchNote() {
  return useWrite(({ id, body }: { id: string; body: { addressed?: boolean; addressedNotes?: string | null; linkedSessionId?: string | null } }) =>
    api.patch<QuickNote>(path('notes', id), body),
  );
}

// ---------------------------------------------------------------- action items

export function useActionItems(query: { agentId?: string | null; status?: string | null; sessionId?: string | null }, enabled = true) {
  return useRead<Listish<ActionItem>>(['action-items'], path('action-items'), query, { enabled });
}

export function usePatchActionItem() {
  return useWrite(
    ({ id, body }: { id: string; body: { status?: ActionItemStatus; progressPercentage?: number; progressNotes?: string | null; blockers?: string | null } }) =>
      api.patch<ActionItem>(path('action-items', id), body),
  );
}

export function useVerifyActionItem() {
  return useWrite(({ id, body }: { id: string; body?: { notes?: string } }) => api.post<ActionItem>(path('action-items', id, 'verify'), body ?? {}));
}

// ---------------------------------------------------------------- plans

export function usePlans(query: { agentId?: string | null; status?: string | null }) {
  return useRead<Listish<ActionPlan>>(['plans', 'list'], path('plans'), query);
}

export function usePlan(id: string | undefined) {
  return useRead<ActionPlan>(['plans', 'one', id], path('plans', id ?? ''), undefined, { enabled: Boolean(id) });
}

export function usePlanAction() {
  return useWrite(({ id, action, body }: { id: string; action: 'approve' | 'check-ins' | 'extend' | 'close' | 'cancel'; body?: unknown }) =>
    api.post<ActionPlan>(path('plans', id, action), body ?? {}),
  );
}

// ---------------------------------------------------------------- effectiveness

export function useEffectiveness(query: { teamLeaderId?: string | null; agentId?: string | null; from?: string | null; to?: string | null }) {
  return useRead<EffectivenessReport>(['effectiveness'], path('effectiveness'), query);
}
