const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

function safeTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

function formatter(timeZone: string | undefined, style: 'datetime' | 'date' | 'time' | 'full'): Intl.DateTimeFormat {
  const zone = safeTimeZone(timeZone);
  const cacheKey = `${zone ?? 'local'}|${style}`;
  let cached = dateTimeFormatters.get(cacheKey);
  if (!cached) {
    const options: Intl.DateTimeFormatOptions =
      style === 'date'
        ? { dateStyle: 'medium' }
        : style === 'time'
          ? { timeStyle: 'short' }
          : style === 'full'
            ? { dateStyle: 'medium', timeStyle: 'long' }
            : { dateStyle: 'medium', timeStyle: 'short' };
    cached = new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone });
    dateTimeFormatters.set(cacheKey, cached);
  }
  return cached;
}

export function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(
  value: string | number | Date | null | undefined,
  timeZone?: string,
  style: 'datetime' | 'date' | 'time' | 'full' = 'datetime',
): string {
  const date = toDate(value);
  return date ? formatter(timeZone, style).format(date) : '—';
}

const relativeFormatter = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function formatRelative(value: string | number | Date | null | undefined, now: number = Date.now()): string {
  const date = toDate(value);
  if (!date) return '—';
  const seconds = Math.round((date.getTime() - now) / 1000);
  // Small clock skew between server and browser must not read as "in a moment".
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) return relativeFormatter.format(Math.round(seconds / size), unit);
  }
  return relativeFormatter.format(Math.round(seconds / 60), 'minute');
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  if (minutes < 60) return `${minutes}m ${rest}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat().format(value);
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Hour of day (0-23) for `date` in the given IANA time zone. */
export function hourInTimeZone(date: Date, timeZone?: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: safeTimeZone(timeZone) }).format(date);
  return Number.parseInt(hour, 10);
}

export function initials(name: string, fallback = '?'): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return fallback;
  const first = parts[0]?.[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

const isoDateFormatters = new Map<string, Intl.DateTimeFormat>();

/** Formats a calendar date ('YYYY-MM-DD') without shifting it through a time zone. */
export function formatIsoDate(date: string | null | undefined, style: 'short' | 'medium' | 'weekday' = 'medium'): string {
  if (!date) return '—';
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  let formatter = isoDateFormatters.get(style);
  if (!formatter) {
    const options: Intl.DateTimeFormatOptions =
      style === 'short'
        ? { month: 'short', day: 'numeric' }
        : style === 'weekday'
          ? { weekday: 'short', month: 'short', day: 'numeric' }
          : { year: 'numeric', month: 'short', day: 'numeric' };
    formatter = new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' });
    isoDateFormatters.set(style, formatter);
  }
  return formatter.format(parsed);
}

/** A calendar date ('YYYY-MM-DD') moved by whole days. */
export function addIsoDays(date: string, days: number): string {
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  parsed.setUTCDate(parsed.getUTCDate() + days);
  return parsed.toISOString().slice(0, 10);
}
