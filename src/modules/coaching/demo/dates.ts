import { createHash } from 'node:crypto';

/** Calendar dates as ISO strings (YYYY-MM-DD), the form PostgreSQL `date` columns use. */
export type IsoDate = string;

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date an instant falls on in a time zone. */
export function localDate(instant: Date, timeZone: string): IsoDate {
  let format = dateFormats.get(timeZone);
  if (!format) dateFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Minutes a time zone is ahead of UTC at an instant (New York in winter: -300). */
function offsetMinutes(instant: Date, timeZone: string): number {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a wall-clock time (date + minutes after midnight) has in a time zone. */
export function zonedInstant(date: IsoDate, minuteOfDay: number, timeZone: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * 60_000;
  let instant = new Date(guess - offsetMinutes(new Date(guess), timeZone) * 60_000);
  // A second pass settles days on which the offset changes (daylight saving).
  instant = new Date(guess - offsetMinutes(instant, timeZone) * 60_000);
  return instant;
}

/**
 * A stable UUID for a demo row, hashed from the organization and what the row is (name-based, version 5 layout), so a
 * reload gives the same sessions, notes and plans the same ids and links to them keep working.
 */
export function demoUuid(organizationId: string, key: string): string {
  const h = createHash('sha1').update(`coaching-demo:${organizationId}:${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
