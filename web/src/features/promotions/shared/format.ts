import type { Role } from '../../../api-types';

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const isNum = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

/** Money as a short figure (1.2M, 830K); full figures in tables use `formatMoneyFull`. */
export function formatMoney(value: number | null | undefined): string {
  return isNum(value) ? compact.format(value) : '—';
}

export function formatMoneyFull(value: number | null | undefined): string {
  return isNum(value) ? whole.format(value) : '—';
}

export function formatCount(value: number | null | undefined): string {
  return isNum(value) ? whole.format(value) : '—';
}

export function formatPct(value: number | null | undefined, digits = 1): string {
  if (!isNum(value)) return '—';
  return `${digits === 1 ? oneDecimal.format(value) : value.toFixed(digits)} %`;
}

/** "+1.2M", "−830K": a signed short money figure. */
export function formatSignedMoney(value: number | null | undefined): string {
  if (!isNum(value)) return '—';
  if (value === 0) return '±0';
  return `${value > 0 ? '+' : '−'}${compact.format(Math.abs(value))}`;
}

export function formatSignedPct(value: number | null | undefined, digits = 1): string {
  if (!isNum(value)) return '—';
  if (Math.abs(value) < 10 ** -digits / 2) return '±0 %';
  return `${value > 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)} %`;
}

/** Relative change of `value` over `base` in %, null when the base is 0 or missing. */
export function relativeChange(value: number | null | undefined, base: number | null | undefined): number | null {
  if (!isNum(value) || !isNum(base) || base === 0) return null;
  return ((value - base) / Math.abs(base)) * 100;
}

export function deltaColor(value: number | null | undefined, higherIsBetter = true): string {
  if (!isNum(value) || value === 0) return 'dimmed';
  return value > 0 === higherIsBetter ? 'teal.7' : 'red.7';
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDay(date: string | null | undefined, style: 'short' | 'medium' | 'weekday' | 'month' = 'medium'): string {
  if (!date) return '—';
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  let format = dateFormats.get(style);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      style === 'short'
        ? { month: 'short', day: 'numeric' }
        : style === 'weekday'
          ? { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }
          : style === 'month'
            ? { month: 'long', year: 'numeric' }
            : { year: 'numeric', month: 'short', day: 'numeric' };
    format = new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' });
    dateFormats.set(style, format);
  }
  return format.format(parsed);
}

export function formatPeriod(from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return '—';
  if (from === to) return formatDay(from);
  // One year shown once: "Oct 29 – Nov 4, 2026".
  return from.slice(0, 4) === to.slice(0, 4) ? `${formatDay(from, 'short')} – ${formatDay(to)}` : `${formatDay(from)} – ${formatDay(to)}`;
}

export function formatMonth(month: string | null | undefined): string {
  return month ? formatDay(`${month}-01`, 'month') : '—';
}

export function addDays(date: string, days: number): string {
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  parsed.setUTCDate(parsed.getUTCDate() + days);
  return parsed.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export function addMonths(month: string, months: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = (year ?? 1970) * 12 + (m ?? 1) - 1 + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

export const SCENARIO_TYPE_LABELS: Record<string, string> = {
  conservative: 'Conservative',
  balanced: 'Balanced',
  aggressive: 'Aggressive',
  flash: 'Flash sale',
  best_deal: 'Best deal',
  coupon: 'Coupon',
  member_only: 'Members only',
};

export function scenarioTypeLabel(type: string | null | undefined): string {
  return type ? (SCENARIO_TYPE_LABELS[type] ?? type) : 'No type';
}

export function channelLabel(channel: string): string {
  return channel === 'online' ? 'Online' : channel === 'offline' ? 'Stores' : channel;
}

/** Staff, managers and admins change data; viewers read. */
export function canEdit(role: Role): boolean {
  return role === 'staff' || role === 'manager' || role === 'admin';
}

export function canManage(role: Role): boolean {
  return role === 'manager' || role === 'admin';
}

export function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}
