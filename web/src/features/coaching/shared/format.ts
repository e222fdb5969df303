import type { CoachingRole, PersonStatus } from '../api-types';

/** The metrics of seed 004 as the pages show them (mirrors src/modules/coaching/shared/metrics.ts). */
export type MetricUnit = 'score' | 'percent' | 'csat' | 'seconds' | 'count' | 'hours' | 'minutes';
export type MetricMeta = { key: string; label: string; unit: MetricUnit; higherIsBetter: boolean; weight?: number; color: string };

export const COMPOSITE_WEIGHTS: Record<string, number> = {
  service_score: 0.25,
  productivity_score: 0.2,
  quality_score: 0.2,
  attendance_rate: 0.2,
  adherence_score: 0.15,
};

export const METRICS: MetricMeta[] = [
  { key: 'composite_score', label: 'Composite', unit: 'score', higherIsBetter: true, color: 'indigo.7' },
  { key: 'service_score', label: 'Service', unit: 'score', higherIsBetter: true, weight: 0.25, color: 'blue.6' },
  { key: 'productivity_score', label: 'Productivity', unit: 'score', higherIsBetter: true, weight: 0.2, color: 'teal.6' },
  { key: 'quality_score', label: 'Quality', unit: 'score', higherIsBetter: true, weight: 0.2, color: 'grape.6' },
  { key: 'attendance_rate', label: 'Attendance', unit: 'percent', higherIsBetter: true, weight: 0.2, color: 'orange.6' },
  { key: 'adherence_score', label: 'Schedule adherence', unit: 'score', higherIsBetter: true, weight: 0.15, color: 'cyan.7' },
  { key: 'csat', label: 'CSAT', unit: 'csat', higherIsBetter: true, color: 'pink.6' },
  { key: 'fcr', label: 'First-call resolution', unit: 'percent', higherIsBetter: true, color: 'lime.7' },
  { key: 'aht', label: 'Average handle time', unit: 'seconds', higherIsBetter: false, color: 'red.6' },
  { key: 'calls_handled', label: 'Calls handled', unit: 'count', higherIsBetter: true, color: 'violet.6' },
  { key: 'calls_transferred', label: 'Calls transferred', unit: 'count', higherIsBetter: false, color: 'yellow.7' },
  { key: 'calls_escalated', label: 'Calls escalated', unit: 'count', higherIsBetter: false, color: 'red.8' },
  { key: 'qa_score', label: 'QA score', unit: 'score', higherIsBetter: true, color: 'gray.7' },
  { key: 'script_adherence', label: 'Script adherence', unit: 'percent', higherIsBetter: true, color: 'gray.6' },
  { key: 'compliance_score', label: 'Compliance', unit: 'score', higherIsBetter: true, color: 'dark.4' },
];

export const COMPONENT_KEYS = Object.keys(COMPOSITE_WEIGHTS);

const byKey = new Map(METRICS.map((m) => [m.key, m]));
const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
for (const m of [...METRICS]) byKey.set(camel(m.key), m);

export function metricMeta(key: string): MetricMeta {
  return byKey.get(key) ?? { key, label: key.replace(/_/g, ' '), unit: 'score', higherIsBetter: true, color: 'gray.6' };
}

/** A metric value in a row that may use snake_case or camelCase keys. */
export function valueOf(row: Record<string, unknown> | null | undefined, key: string): number | null {
  if (!row) return null;
  const raw = row[key] ?? row[camel(key)];
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return null;
}

const isNum = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatScore(value: number | null | undefined): string {
  return isNum(value) ? oneDecimal.format(value) : '—';
}

export function formatCount(value: number | null | undefined): string {
  return isNum(value) ? whole.format(value) : '—';
}

export function formatMetric(key: string, value: number | null | undefined): string {
  if (!isNum(value)) return '—';
  switch (metricMeta(key).unit) {
    case 'percent':
      return `${oneDecimal.format(value)} %`;
    case 'csat':
      return twoDecimals.format(value);
    case 'seconds':
      return value >= 60 ? `${Math.floor(value / 60)}:${String(Math.round(value % 60)).padStart(2, '0')} min` : `${Math.round(value)} s`;
    case 'count':
      return whole.format(value);
    case 'hours':
      return `${oneDecimal.format(value)} h`;
    case 'minutes':
      return `${whole.format(value)} min`;
    default:
      return oneDecimal.format(value);
  }
}

/** "+1.2", "−0.8", "±0.0": a signed change in points. */
export function formatSigned(value: number | null | undefined, digits = 1): string {
  if (!isNum(value)) return '—';
  if (Math.abs(value) < 10 ** -digits / 2) return `±${(0).toFixed(digits)}`;
  return `${value > 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;
}

export function deltaColor(value: number | null | undefined, higherIsBetter = true, dead = 0.05): string {
  if (!isNum(value) || Math.abs(value) < dead) return 'dimmed';
  return value > 0 === higherIsBetter ? 'teal.7' : 'red.7';
}

export function ordinal(value: number): string {
  const n = Math.round(value);
  const rest = n % 100;
  const suffix = rest >= 11 && rest <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export function formatPercentile(value: number | null | undefined): string {
  return isNum(value) ? `${ordinal(value)} pct.` : '—';
}

export { addIsoDays as addDays, formatIsoDate as formatDay } from '../../../lib/format';

export function formatDuration(seconds: number | null | undefined): string {
  if (!isNum(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (!isNum(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const ROLE_LABELS: Record<CoachingRole, string> = { ADMIN: 'Admin', MANAGER: 'Manager', TEAM_LEADER: 'Team leader', AGENT: 'Agent' };
export const ROLE_COLORS: Record<CoachingRole, string> = { ADMIN: 'dark', MANAGER: 'violet', TEAM_LEADER: 'blue', AGENT: 'gray' };

export const STATUS_META: Record<PersonStatus, { label: string; color: string }> = {
  ACTIVE: { label: 'Active', color: 'teal' },
  PIP: { label: 'On a plan (PIP)', color: 'orange' },
  LEAVE: { label: 'On leave', color: 'gray' },
  TERMINATED: { label: 'Left', color: 'red' },
};

export function roleLabel(role: string | null | undefined): string {
  return role ? (ROLE_LABELS[role as CoachingRole] ?? role) : '—';
}

export function titleCase(value: string | null | undefined): string {
  if (!value) return '—';
  return value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ');
}
