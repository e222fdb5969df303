import type { Role } from '../../../api-types';
import type {
  AlertSeverity,
  AlertStatus,
  ComparisonBasis,
  EscalationAction,
  ImportKind,
  KpiStatus,
  ScriptType,
  TaskStatus,
  TriggerCondition,
} from '../api-types';

type StatusMeta = { label: string; color: string; fill: string; text: string };

/** One palette for every status surface: badges, tiles, chart dots and bands. */
export const STATUS_META: Record<KpiStatus, StatusMeta> = {
  red: { label: 'Red', color: 'red', fill: 'var(--mantine-color-red-6)', text: 'white' },
  yellow: { label: 'Yellow', color: 'yellow', fill: 'var(--mantine-color-yellow-5)', text: 'var(--mantine-color-dark-7)' },
  green: { label: 'Green', color: 'green', fill: 'var(--mantine-color-green-6)', text: 'white' },
  closed: { label: 'Closed', color: 'gray', fill: 'var(--mantine-color-gray-4)', text: 'var(--mantine-color-dark-5)' },
  no_data: { label: 'No data', color: 'gray', fill: 'var(--mantine-color-gray-1)', text: 'var(--mantine-color-gray-7)' },
};

export function statusMeta(status: KpiStatus | null | undefined): StatusMeta {
  return (status && STATUS_META[status]) || STATUS_META.no_data;
}

/** Worst first: red, yellow, then missing data (worth a look), green, closed. */
const STATUS_RANK: Record<KpiStatus, number> = { red: 0, yellow: 1, no_data: 2, green: 3, closed: 4 };

export function statusRank(status: KpiStatus | null | undefined): number {
  return status ? (STATUS_RANK[status] ?? 5) : 5;
}

export const LEVEL_NAMES = ['Store manager', 'District manager', 'Regional manager', 'Head office', 'Executive'] as const;
export const LEVELS = [0, 1, 2, 3, 4] as const;

export function levelName(level: number | null | undefined): string {
  if (level === null || level === undefined) return '—';
  return LEVEL_NAMES[level] ?? `Level ${level}`;
}

export const SEVERITY_META: Record<AlertSeverity, { label: string; color: string; variant: 'filled' | 'light' }> = {
  critical: { label: 'Critical', color: 'red', variant: 'filled' },
  red: { label: 'Red', color: 'red', variant: 'light' },
  yellow: { label: 'Yellow', color: 'yellow', variant: 'light' },
};

export const ALERT_STATUS_META: Record<AlertStatus, { label: string; color: string }> = {
  active: { label: 'Active', color: 'red' },
  acknowledged: { label: 'Acknowledged', color: 'blue' },
  resolved: { label: 'Resolved', color: 'green' },
  expired: { label: 'Expired', color: 'gray' },
};

export const TASK_STATUS_META: Record<TaskStatus, { label: string; color: string }> = {
  pending: { label: 'Pending', color: 'gray' },
  in_progress: { label: 'In progress', color: 'blue' },
  completed: { label: 'Completed', color: 'green' },
  cancelled: { label: 'Cancelled', color: 'dark' },
};

/** pending → in_progress → completed / cancelled; a finished task never changes (the server enforces the same). */
export const TASK_TRANSITIONS: Record<TaskStatus, TaskStatus[]> = {
  pending: ['in_progress', 'completed', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function canMoveTask(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_TRANSITIONS[from]?.includes(to) ?? false;
}

export const TRIGGER_LABELS: Record<TriggerCondition, string> = {
  status_red: 'KPI red',
  status_yellow: 'KPI yellow',
  sla_breach: 'SLA breached',
  predicted_risk: 'Predicted risk',
};

export const ACTION_LABELS: Record<EscalationAction, string> = {
  create_task: 'Create task',
  send_alert: 'Send alert',
  ai_call: 'AI voice call',
  regional_escalation: 'Regional escalation',
};

export const COMPARISON_LABELS: Record<ComparisonBasis, string> = {
  rolling_4w: 'vs rolling 4 weeks',
  same_period_ly: 'vs same period last year',
  absolute: 'absolute value',
};

export const SCRIPT_TYPE_META: Record<ScriptType, { label: string; color: string; description: string }> = {
  red: { label: 'Red', color: 'red', description: 'A KPI is red: the store manager must act today.' },
  yellow: { label: 'Yellow', color: 'yellow', description: 'A KPI is slipping: a heads-up before it turns red.' },
  green: { label: 'Green', color: 'green', description: 'Back to green: confirm the recovery and close the loop.' },
};

export const IMPORT_KIND_META: Record<ImportKind, { label: string; description: string; required: string[]; optional: string[] }> = {
  metrics: {
    label: 'KPI metrics',
    description: 'Daily KPI values per store; changed days are re-evaluated right after.',
    required: ['store_code', 'kpi_code', 'metric_date', 'value'],
    optional: [],
  },
  stores: {
    label: 'Stores',
    description: 'Creates or updates stores by code; regions and districts are created by name.',
    required: ['store_code', 'name'],
    optional: [
      'address',
      'city',
      'state',
      'zip_code',
      'timezone',
      'phone',
      'manager_name',
      'manager_phone',
      'manager_email',
      'region',
      'district',
      'status',
      'hours_mon … hours_sun',
    ],
  },
  'labor-schedules': {
    label: 'Labor schedules',
    description: 'Planned shifts; labor coverage KPIs are derived from them.',
    required: ['store_code', 'schedule_date', 'shift_start', 'shift_end', 'required_hours', 'scheduled_hours'],
    optional: ['available_hours'],
  },
  'labor-callouts': {
    label: 'Labor call-outs',
    description: 'Employee absences; call-out hours KPIs are derived from them.',
    required: ['store_code', 'callout_date', 'employee_name', 'hours_lost'],
    optional: ['shift_affected', 'is_filled', 'filled_by', 'is_peak_hours'],
  },
  'inventory-levels': {
    label: 'Inventory levels',
    description: 'Stock on hand per SKU and day; days of cover and top-SKU stock-outs are derived.',
    required: ['store_code', 'sku', 'snapshot_date', 'quantity_on_hand'],
    optional: ['product_name', 'category', 'average_daily_sales', 'is_top_sku'],
  },
  'out-of-stock-events': {
    label: 'Out-of-stock events',
    description: 'Stock-out incidents; estimated lost sales are derived.',
    required: ['store_code', 'sku', 'out_of_stock_at'],
    optional: ['product_name', 'restocked_at', 'is_top_sku', 'estimated_lost_sales', 'average_daily_sales', 'unit_price'],
  },
};

export function humanize(value: string | null | undefined): string {
  if (!value) return '—';
  const spaced = value.replace(/[_-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

// ---------------------------------------------------------------- roles

/** Staff acknowledge alerts, update tasks and import data. */
export function canAct(role: Role): boolean {
  return role === 'staff' || role === 'manager' || role === 'admin';
}

/** Managers edit rules, scripts, KPIs, thresholds and stores. */
export function canManage(role: Role): boolean {
  return role === 'manager' || role === 'admin';
}

// ---------------------------------------------------------------- formatting

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const compactFormat = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const currencyFormats = new Map<string, Intl.NumberFormat>();

/** Money units arrive as an ISO code (EUR) or a symbol ($, €); the demo replaces '$' by the organization's currency. */
function moneyFormat(unit: string): Intl.NumberFormat | null {
  const code = /^[A-Z]{3}$/.test(unit) ? unit : ({ $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' } as Record<string, string>)[unit];
  if (!code) return null;
  let format = currencyFormats.get(code);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency: code, maximumFractionDigits: 0 });
    } catch {
      return null;
    }
    currencyFormats.set(code, format);
  }
  return format;
}

export function isMoneyUnit(unit: string | null | undefined): boolean {
  return Boolean(unit) && moneyFormat(unit as string) !== null;
}

export function formatKpiValue(value: number | null | undefined, unit: string | null | undefined, compact = false): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (unit) {
    case '%':
      return `${numberFormat.format(value)}%`;
    case 'hours':
      return `${numberFormat.format(value)} h`;
    case 'days':
      return `${numberFormat.format(value)} d`;
    case 'ratio':
      return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(value);
    case 'count':
    case null:
    case undefined:
    case '':
      return compact ? compactFormat.format(value) : numberFormat.format(value);
  }
  const money = moneyFormat(unit);
  if (money) {
    if (compact && Math.abs(value) >= 10_000) {
      const symbol = money.formatToParts(0).find((part) => part.type === 'currency')?.value ?? unit;
      return `${symbol}${compactFormat.format(value)}`;
    }
    return money.format(value);
  }
  return `${compact ? compactFormat.format(value) : numberFormat.format(value)} ${unit}`;
}

export function formatVariance(variancePct: number | null | undefined): string {
  if (variancePct === null || variancePct === undefined || Number.isNaN(variancePct)) return '—';
  const sign = variancePct > 0 ? '+' : variancePct < 0 ? '−' : '±';
  return `${sign}${numberFormat.format(Math.abs(variancePct))}%`;
}

/** riskProbability is a 0–1 fraction. */
export function formatProbability(probability: number | null | undefined): string {
  if (probability === null || probability === undefined || Number.isNaN(probability)) return '—';
  return `${Math.round(probability * 100)}%`;
}

/** Backtest metrics are 0–1 fractions; null when undefined (e.g. precision without a single red prediction). */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return `${(rate * 100).toFixed(1)}%`;
}

/** Today's calendar date in a time zone (the organization's, for default date ranges). */
export function todayIn(timeZone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

export function formatDurationShort(ms: number): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${rest}m`;
  return `${rest}m`;
}

export { addIsoDays, formatIsoDate } from '../../../lib/format';
