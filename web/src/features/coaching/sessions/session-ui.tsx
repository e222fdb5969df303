import { Badge, type BadgeProps, Select, type SelectProps, Tooltip } from '@mantine/core';
import './session-pages.css';
import { IconCalendarEvent, IconChartLine, IconChecklist, IconExternalLink, IconNote, IconStairsUp, IconUser, type Icon } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import {
  type ActionItemStatus,
  type Citation,
  type CoachingSession,
  itemsOf,
  type NoteType,
  type PersonOption,
  type PlanStatus,
  type Priority,
  type SessionStatus,
  type SessionType,
  useAgentOptions,
  useSessions,
} from '../session-queries';

// ---------------------------------------------------------------- layout

export { addIsoDays as addDaysIso } from '../../../lib/format';

export { EmptyPanel, Panel } from '../../../components/panels';

// ---------------------------------------------------------------- badges

const SESSION_STATUS: Record<SessionStatus, { color: string; label: string }> = {
  SCHEDULED: { color: 'blue', label: 'Scheduled' },
  IN_PROGRESS: { color: 'violet', label: 'In progress' },
  COMPLETED: { color: 'teal', label: 'Completed' },
  CANCELLED: { color: 'gray', label: 'Cancelled' },
  NO_SHOW: { color: 'red', label: 'No-show' },
};

export const SESSION_TYPE_LABELS: Record<SessionType, string> = {
  REGULAR: 'Regular',
  FOLLOW_UP: 'Follow-up',
  PIP_CHECK: 'Plan check-in',
  URGENT: 'Urgent',
};

export function SessionStatusBadge({ status, ...props }: BadgeProps & { status: SessionStatus }) {
  const meta = SESSION_STATUS[status] ?? { color: 'gray', label: status };
  return (
    <Badge color={meta.color} variant="light" radius="sm" data-status={status} style={{ flexShrink: 0 }} {...props}>
      {meta.label}
    </Badge>
  );
}

export function SessionTypeBadge({ type }: { type: SessionType }) {
  return (
    <Badge color={type === 'URGENT' ? 'red' : type === 'PIP_CHECK' ? 'orange' : 'gray'} variant="outline" radius="sm" tt="none" fw={500}>
      {SESSION_TYPE_LABELS[type] ?? type}
    </Badge>
  );
}

export const NOTE_TYPE_META: Record<NoteType, { color: string; label: string }> = {
  POSITIVE: { color: 'teal', label: 'Positive' },
  COACHING: { color: 'blue', label: 'Coaching' },
  URGENT: { color: 'red', label: 'Urgent' },
  COMPLIANCE: { color: 'orange', label: 'Compliance' },
  GENERAL: { color: 'gray', label: 'General' },
};

export function NoteTypeBadge({ type }: { type: NoteType }) {
  const meta = NOTE_TYPE_META[type] ?? { color: 'gray', label: type };
  return (
    <Badge color={meta.color} variant="light" radius="sm" tt="none" style={{ flexShrink: 0 }}>
      {meta.label}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  if (priority === 'MEDIUM') return null;
  return (
    <Badge color={priority === 'HIGH' ? 'red' : 'gray'} variant="dot" radius="sm" tt="none" fw={500}>
      {priority === 'HIGH' ? 'High priority' : 'Low priority'}
    </Badge>
  );
}

export const ACTION_STATUS_META: Record<ActionItemStatus, { color: string; label: string }> = {
  PENDING: { color: 'gray', label: 'Pending' },
  IN_PROGRESS: { color: 'blue', label: 'In progress' },
  OVERDUE: { color: 'red', label: 'Overdue' },
  COMPLETED: { color: 'teal', label: 'Completed' },
  CANCELLED: { color: 'gray', label: 'Cancelled' },
};

export const PLAN_STATUS_META: Record<PlanStatus, { color: string; label: string }> = {
  DRAFT: { color: 'yellow', label: 'Proposed draft' },
  ACTIVE: { color: 'blue', label: 'Active' },
  EXTENDED: { color: 'orange', label: 'Extended' },
  COMPLETED: { color: 'teal', label: 'Completed' },
  FAILED: { color: 'red', label: 'Failed' },
  CANCELLED: { color: 'gray', label: 'Cancelled' },
};

export function PlanStatusBadge({ status, ...props }: BadgeProps & { status: PlanStatus }) {
  const meta = PLAN_STATUS_META[status] ?? { color: 'gray', label: status };
  return (
    <Badge color={meta.color} variant={status === 'DRAFT' ? 'filled' : 'light'} radius="sm" data-status={status} style={{ flexShrink: 0 }} {...props}>
      {meta.label}
    </Badge>
  );
}

// ---------------------------------------------------------------- metrics

export const METRIC_LABELS: Record<string, string> = {
  composite_score: 'Composite',
  service_score: 'Service',
  productivity_score: 'Productivity',
  quality_score: 'Quality',
  attendance_rate: 'Attendance',
  adherence_score: 'Schedule adherence',
  csat: 'CSAT',
  fcr: 'First-call resolution',
  aht: 'Average handle time',
  calls_handled: 'Calls handled',
  calls_transferred: 'Calls transferred',
  calls_escalated: 'Calls escalated',
  script_adherence: 'Script adherence',
  compliance_score: 'Compliance',
  qa_score: 'QA score',
};

const camelToSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? METRIC_LABELS[camelToSnake(key)] ?? METRIC_LABELS[`${camelToSnake(key)}_score`] ?? key.replace(/[_-]/g, ' ');
}

/** Lower is better only for handle time, transfers, escalations and time off the phone. */
export function higherIsBetter(key: string): boolean {
  const k = camelToSnake(key);
  return !['aht', 'calls_transferred', 'calls_escalated', 'break_time_minutes', 'lunch_time_minutes', 'aux_time_minutes'].includes(k);
}

// ---------------------------------------------------------------- numbers and times

export function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export function formatScore(value: unknown, digits = 1): string {
  const n = asNumber(value);
  return n === null ? '—' : n.toFixed(digits);
}

/** A metric value in its unit: handle time in whole seconds, CSAT with two decimals, the rest with one. */
export function formatMetric(key: string, value: unknown): string {
  const n = asNumber(value);
  if (n === null) return '—';
  const k = camelToSnake(key);
  if (k === 'aht') return `${Math.round(n)} s`;
  if (k === 'csat') return n.toFixed(2);
  if (k.startsWith('calls_')) return String(Math.round(n));
  return n.toFixed(1);
}

export function formatSignedPct(value: unknown, digits = 1): string {
  const n = asNumber(value);
  if (n === null) return '—';
  if (Math.abs(n) < 10 ** -digits / 2) return '±0 %';
  return `${n > 0 ? '+' : '−'}${Math.abs(n).toFixed(digits)} %`;
}

export function formatSigned(value: unknown, digits = 1, unit = ''): string {
  const n = asNumber(value);
  if (n === null) return '—';
  if (Math.abs(n) < 10 ** -digits / 2) return `±0${unit}`;
  return `${n > 0 ? '+' : '−'}${Math.abs(n).toFixed(digits)}${unit}`;
}

export function formatRate(value: unknown): string {
  const n = asNumber(value);
  if (n === null) return '—';
  // Rates arrive as 0–1 or as a percentage.
  return `${Math.round(n <= 1 ? n * 100 : n)} %`;
}

export function safeZone(timeZone: string | null | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** "Tue, Mar 3, 14:00" in the given zone. */
export function formatInZone(iso: string | null | undefined, timeZone: string | null | undefined, style: 'datetime' | 'time' | 'date' = 'datetime'): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions =
    style === 'time'
      ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : style === 'date'
        ? { weekday: 'short', month: 'short', day: 'numeric' }
        : { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: safeZone(timeZone) }).format(date);
}

/** Short zone name ("CET", "GMT+1") for a moment in a zone. */
export function zoneAbbreviation(iso: string, timeZone: string | null | undefined): string {
  const zone = safeZone(timeZone);
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'short' }).formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone ?? 'local';
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(iso: string | number | Date, timeZone: string | null | undefined): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: safeZone(timeZone), year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** The UTC instant of a wall-clock time (`YYYY-MM-DDTHH:mm`) in a zone (two passes settle DST edges). */
export function zonedToInstant(local: string, timeZone: string | null | undefined): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wanted = Date.UTC(y, mo - 1, d, h, mi);
  let guess = wanted;
  for (let i = 0; i < 2; i++) guess = wanted - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

function offsetMinutes(date: Date, timeZone: string | null | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: safeZone(timeZone),
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'));
  return Math.round((asUtc - date.getTime()) / 60_000);
}

export function formatDay(date: string | null | undefined): string {
  if (!date) return '—';
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(parsed);
}

/** Whole days from `from` to `to` (dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

// ---------------------------------------------------------------- citations

const CITATION_META: Record<string, { icon: Icon; color: string; noun: string }> = {
  metric: { icon: IconChartLine, color: 'indigo', noun: 'Metric chart' },
  history: { icon: IconChartLine, color: 'indigo', noun: 'Weekly history' },
  note: { icon: IconNote, color: 'yellow', noun: 'Note' },
  action_item: { icon: IconChecklist, color: 'orange', noun: 'Action item' },
  session: { icon: IconCalendarEvent, color: 'blue', noun: 'Session' },
  plan: { icon: IconStairsUp, color: 'grape', noun: 'Plan' },
  profile: { icon: IconUser, color: 'teal', noun: 'Profile' },
};

/** Where a citation points in the app: metric and history facts open the agent's scorecard on that metric. */
export function citationHref(citation: Citation, agentId: string | null): string | null {
  const id = citation.id ?? null;
  switch (citation.type) {
    case 'metric':
      return agentId ? `/coaching/agents/${agentId}${id ? `?metric=${encodeURIComponent(id)}` : ''}` : null;
    case 'history':
    case 'profile':
      return agentId ? `/coaching/agents/${agentId}` : null;
    case 'note':
      return id ? `/coaching/notes?show=all&noteId=${id}${agentId ? `&agentId=${agentId}` : ''}` : null;
    case 'action_item':
      return id ? `/coaching/action-items?itemId=${id}${agentId ? `&agentId=${agentId}` : ''}` : null;
    case 'session':
      return id ? `/coaching/sessions/${id}` : null;
    case 'plan':
      return id ? `/coaching/plans/${id}` : null;
    default:
      return null;
  }
}

/** A chip naming one fact a prep point rests on; it opens the source (chart, note, item, session, plan). */
export function CitationChip({ citation, agentId }: { citation: Citation; agentId: string | null }) {
  const meta = CITATION_META[citation.type] ?? { icon: IconExternalLink, color: 'gray', noun: citation.type };
  const CitationIcon = meta.icon;
  const href = citationHref(citation, agentId);
  const label = citation.label ?? meta.noun;
  const badge = (
    <Badge
      size="sm"
      radius="sm"
      variant="light"
      color={meta.color}
      tt="none"
      fw={500}
      leftSection={<CitationIcon size={12} />}
      style={{ cursor: href ? 'pointer' : undefined, maxWidth: 360 }}
      data-testid="co-citation"
      data-citation-type={citation.type}
    >
      {label}
    </Badge>
  );
  return (
    <Tooltip label={`${meta.noun}: ${label}${href ? ' — click to open' : ''}`} openDelay={400} multiline maw={380} withArrow>
      {href ? (
        <Link to={href} style={{ textDecoration: 'none', display: 'inline-flex', maxWidth: '100%' }}>
          {badge}
        </Link>
      ) : (
        badge
      )}
    </Tooltip>
  );
}

// ---------------------------------------------------------------- pickers

/** Agents by name; the team is named only when the viewer sees more than one. */
export function agentOptions(people: PersonOption[]) {
  const agents = people.filter((person) => person.role === 'AGENT').sort((a, b) => a.name.localeCompare(b.name));
  const teams = new Set(agents.map((person) => person.teamLeaderName ?? ''));
  return agents.map((person) => ({
    value: person.id,
    label: teams.size > 1 && person.teamLeaderName ? `${person.name} · ${person.teamLeaderName}'s team` : person.name,
  }));
}

/** The agents the viewer may see, by name (GET /people); while that is unavailable, the agents of the viewer's sessions. */
export function useAgentPeople(): { people: PersonOption[]; isPending: boolean; isError: boolean } {
  const agents = useAgentOptions();
  const sessions = useSessions({}, agents.isError);
  if (!agents.isError) return { people: itemsOf<PersonOption>(agents.data), isPending: agents.isPending, isError: false };
  const byId = new Map<string, PersonOption>();
  for (const session of itemsOf<CoachingSession>(sessions.data)) {
    byId.set(session.agentId, { id: session.agentId, name: session.agentName, role: 'AGENT', timezone: session.times?.agent.timezone ?? null });
  }
  return { people: [...byId.values()], isPending: sessions.isPending, isError: sessions.isError };
}

export function AgentSelect(props: Omit<SelectProps, 'data'>) {
  const agents = useAgentPeople();
  return (
    <Select
      searchable
      placeholder={agents.isPending ? 'Loading agents…' : 'Choose an agent'}
      nothingFoundMessage="No agent by that name in your teams"
      data={agentOptions(agents.people)}
      error={agents.isError ? 'Could not load your agents' : undefined}
      {...props}
    />
  );
}

export function useAgentMap(): Map<string, PersonOption> {
  const agents = useAgentPeople();
  return new Map(agents.people.map((person) => [person.id, person]));
}
