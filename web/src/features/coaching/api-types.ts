/**
 * Response shapes of /api/coaching (people, analytics, imports, notifications, quick notes) as the web pages read
 * them. Built from the zod response schemas of src/modules/coaching/{people,analytics,imports,sessions}/routes.ts.
 */

export const COACHING_ROLES = ['ADMIN', 'MANAGER', 'TEAM_LEADER', 'AGENT'] as const;
export type CoachingRole = (typeof COACHING_ROLES)[number];
export const PERSON_STATUSES = ['ACTIVE', 'PIP', 'LEAVE', 'TERMINATED'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];
export const LEARNING_STYLES = ['VISUAL', 'AUDITORY', 'KINESTHETIC', 'READING'] as const;
export type LearningStyle = (typeof LEARNING_STYLES)[number];
export const PERIOD_TYPES = ['WEEK', 'MONTH', 'QUARTER'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];
export const NOTE_TYPES = ['POSITIVE', 'COACHING', 'URGENT', 'COMPLIANCE', 'GENERAL'] as const;
export type NoteType = (typeof NOTE_TYPES)[number];
export const PRIORITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type Priority = (typeof PRIORITIES)[number];

// ---------------------------------------------------------------- people

/** A person as GET /people, /people/:id and /me answer it. */
export type PersonSummary = {
  id: string;
  userId: string | null;
  email: string | null;
  name: string;
  role: CoachingRole;
  status: PersonStatus;
  teamLeaderId: string | null;
  teamLeaderName: string | null;
  managerId: string | null;
  managerName: string | null;
  department: string | null;
  employeeId: string | null;
  hireDate: string | null;
  phone: string | null;
  learningStyle: string | null;
  shiftPattern: string | null;
  timezone: string;
  latestComposite: number | null;
  latestCompositeDate: string | null;
  deletedAt: string | null;
};
export type Person = PersonSummary;

export type AgentProfile = {
  agentId: string;
  /** false: nothing stored yet, these are the defaults */
  exists: boolean;
  learningStyle: string;
  preferredFeedbackMethod: string | null;
  primaryMotivators: string[] | null;
  demotivators: string[] | null;
  coreStrengths: string[] | null;
  developmentAreas: string[] | null;
  hiddenTalents: string[] | null;
  stressIndicators: string[] | null;
  successPatterns: string[] | null;
  bestCoachingTime: string | null;
  preferredSessionLength: number | null;
  respondsWellTo: string[] | null;
  careerAspirations: string | null;
  personalGoals: string | null;
  peerComparisonOptIn: boolean;
  percentileRanking: Record<string, unknown> | null;
  percentileHidden: boolean;
  updatedAt: string | null;
};

/** GET /people/:id */
export type PersonDetail = PersonSummary & { profile: AgentProfile | null };

export type CoachingMe = {
  person: PersonSummary | null;
  role: CoachingRole;
  seesEverything: boolean;
  team: { id: string; name: string; role: CoachingRole }[];
};

export type HierarchyAgent = { id: string; name: string; status: PersonStatus; latestComposite: number | null };
export type HierarchyLeader = { id: string; name: string; status: PersonStatus; agents: HierarchyAgent[] };
export type HierarchyManager = { id: string; name: string; status: PersonStatus; teamLeaders: HierarchyLeader[] };
/** GET /hierarchy: managers → team leaders → agents; leaders without a manager and agents without a leader apart. */
export type Hierarchy = { managers: HierarchyManager[]; teamLeaders: HierarchyLeader[]; agents: HierarchyAgent[] };

export type PersonInput = {
  name: string;
  role: CoachingRole;
  phone?: string | null;
  shiftPattern?: string | null;
  email?: string | null;
  teamLeaderId?: string | null;
  managerId?: string | null;
  department?: string | null;
  employeeId?: string | null;
  hireDate?: string | null;
  status?: PersonStatus;
  learningStyle?: string | null;
  timezone?: string;
};

export type ProfileInput = Partial<Omit<AgentProfile, 'agentId' | 'exists' | 'percentileRanking' | 'percentileHidden' | 'updatedAt' | 'learningStyle'>> & {
  learningStyle?: LearningStyle;
};

// ---------------------------------------------------------------- analytics

/** A row of coaching.team_performance_summary (refreshed nightly). */
export type TeamSummary = {
  agentCount: number;
  activePips: number;
  avgTeamScore: number | null;
  avgServiceScore: number | null;
  avgQualityScore: number | null;
  sessionsLastWeek: number;
  calculatedDate: string;
};

export type TeamSummaryRow = TeamSummary & { teamLeaderId: string; teamLeaderName: string };

export type TeamAgent = {
  id: string;
  name: string;
  status: PersonStatus;
  latestComposite: number | null;
  latestCompositeDate: string | null;
  /** Average composite of the four 7-day blocks ending yesterday, oldest first. */
  compositeWeeks: (number | null)[];
  /** Last 7 days' average minus the one three weeks before. */
  compositeTrend4w: number | null;
  weakestMetric: { key: string; label: string; value: number; teamAverage: number; gap: number } | null;
  percentile: number | null;
  flags: {
    activePlan: { id: string; targetEndDate: string } | null;
    overdueActionItems: number;
    openActionItems: number;
    unaddressedNotes: number;
    daysSinceLastSession: number | null;
    nextSession: { id: string; scheduledDate: string } | null;
  };
  /** Why to talk to this agent now, most pressing first. */
  reasons: string[];
  attention: number;
};

/** GET /team */
export type TeamView = {
  teamLeader: { id: string; name: string } | null;
  teams: { id: string; name: string }[];
  summary: TeamSummary | null;
  asOf: string;
  agents: TeamAgent[];
};

/** GET /team-summary */
export type TeamSummaryList = { items: TeamSummaryRow[]; calculatedDate: string | null };

export type DailyMetricRow = { date: string; values: Record<string, number | null>; importedFrom: string | null };

export type HistoryRow = {
  id: string;
  periodType: PeriodType;
  periodEnding: string;
  avgServiceScore: number | null;
  avgProductivityScore: number | null;
  avgQualityScore: number | null;
  avgAttendanceRate: number | null;
  avgAdherenceScore: number | null;
  avgCompositeScore: number | null;
  serviceTrend: number | null;
  productivityTrend: number | null;
  qualityTrend: number | null;
  attendanceTrend: number | null;
  adherenceTrend: number | null;
  scoreVariance: number | null;
  daysWorked: number | null;
};

export type Contribution = { component: string; label: string; weight: number; previous: number; current: number; change: number; contribution: number };

/** What moved the composite between two windows: weight × change of each component. */
export type CompositeMovement = {
  previous: { from: string; to: string; composite: number };
  current: { from: string; to: string; composite: number };
  compositeChange: number;
  contributions: Contribution[];
};

/** GET /agents/:id/scorecard */
export type Scorecard = {
  agent: { id: string; name: string; status: PersonStatus; teamLeaderId: string | null; teamLeaderName: string | null; department: string | null };
  from: string;
  to: string;
  metrics: { key: string; label: string; unit: string; higherIsBetter: boolean }[];
  compositeWeights: Record<string, number>;
  daily: DailyMetricRow[];
  history: Record<PeriodType, HistoryRow[]>;
  /** agent_profiles.percentile_ranking: 0–100 per metric (higher = better) plus asOf, peerCount…; null when hidden or not ranked */
  percentiles: Record<string, unknown> | null;
  percentilesHidden: boolean;
  moved: { week: CompositeMovement | null; month: CompositeMovement | null };
  counts: { recentSessions: number; openActionItems: number; overdueActionItems: number; unaddressedNotes: number };
};

// ---------------------------------------------------------------- sessions, notes, items, plans (summaries on the scorecard)

export type SessionSummary = {
  id: string;
  agentId: string;
  teamLeaderId: string;
  scheduledDate: string;
  status: string;
  sessionType: string;
  overallEffectiveness?: number | null;
  topicsCovered?: string[] | null;
};

export type ActionItemSummary = { id: string; agentId: string; title: string; dueDate: string; status: string; priority: string; progressPercentage: number };

export type PlanSummary = {
  id: string;
  agentId: string;
  status: string;
  startDate: string;
  targetEndDate: string;
  reasonForPlan: string;
  currentScore: number | null;
  nextCheckInDate: string | null;
};

export type QuickNote = {
  id: string;
  agentId: string;
  teamLeaderId: string;
  noteType: NoteType;
  content: string;
  priority: Priority;
  addressed: boolean;
  createdAt: string;
};

export type QuickNoteInput = { agentId: string; noteType: NoteType; content: string; priority?: Priority; requiresFollowUp?: boolean; category?: string };

export type Notification = {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  subjectType: string | null;
  subjectId: string | null;
  readAt: string | null;
  createdAt: string;
};

// ---------------------------------------------------------------- imports

export type ImportStatus = 'VALIDATING' | 'PROCESSING' | 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILED' | 'ROLLED_BACK';

export type ImportRowError = { row: number | null; column: string | null; message: string; error?: string };

export type ImportShape = 'per-call' | 'daily';

/** POST /imports/preview: what an import of the file would do, nothing written. */
export type ImportPreview = {
  fileName: string;
  format: string;
  sheet: string | null;
  sheets: { name: string; state: string; chart?: boolean; rows: number }[];
  shape: ImportShape;
  shapeReason: string;
  headerRow: number;
  headers: { letter: string; header: string }[];
  /** field → the column it is read from */
  mapping: Record<string, { letter: string; header: string }>;
  fields: { field: string; description: string }[];
  ignoredColumns: string[];
  notes: string[];
  problems: string[];
  rowCount: number;
  agentDays: number;
  sampleRows: { row: number; cells: string[] }[];
  sampleDays: { agent: string; date: string; calls: number; values: Record<string, number | null> }[];
  rowErrors: ImportRowError[];
  rowErrorCount: number;
};

export type ImportOptions = {
  mapping?: Record<string, string>;
  partialSuccess?: boolean;
  aggregate?: 'auto' | ImportShape;
  createMissingAgents?: boolean;
  dateOrder?: 'dmy' | 'mdy';
  sheet?: string;
};

export type ImportLog = {
  id: string;
  fileName: string;
  fileSizeBytes: number | null;
  fileHash: string | null;
  importType: string;
  importedBy: { id: string; name: string };
  status: ImportStatus;
  totalRows: number | null;
  processedRows: number | null;
  successfulRows: number | null;
  failedRows: number | null;
  skippedRows: number | null;
  startedAt: string;
  completedAt: string | null;
  processingTimeSeconds: number | null;
  errorSummary: string | null;
  errorDetails: ImportRowError[];
  rollbackAvailable: boolean;
  rollbackExecutedAt: string | null;
  rollbackExecutedBy: { id: string; name: string } | null;
  createdAt: string;
};

/** POST /imports answer: the log plus what was written. */
export type ImportResult = ImportLog & {
  shape: ImportShape | null;
  notes: string[];
  metricRows: { inserted: number; updated: number; unchanged: number };
  createdAgents: { id: string; name: string }[];
  affected: { agentIds: string[]; from: string; to: string } | null;
  /** The history recompute after the import: queued as a job, run in the request, or failed (the nightly job catches up). */
  recompute: { mode: 'queued' | 'ran' | 'failed'; jobId?: string; periodsWritten?: number; message?: string } | null;
};

/** GET /imports/:id */
export type ImportDetail = ImportLog & {
  rowChanges: { inserted: number; updated: number; agents: number; from: string | null; to: string | null };
  rollbackBlockedBy: { id: string; fileName: string; startedAt: string; rows: number } | null;
};

/** details of the 409 when the same file was imported before */
export type DuplicateImportDetails = { importId: string; fileName: string; importedAt: string; status: string };
/** details of the 409 when a later import blocks a rollback */
export type RollbackBlockedDetails = { blockingImportId: string; fileName: string; startedAt: string; rows: number };
