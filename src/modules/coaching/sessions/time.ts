/** Calendar dates and wall-clock times in a person's or organization's time zone (IANA names). */
export type IsoDate = string;

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

interface LocalParts {
  date: IsoDate;
  /** HH:MM, 24 h. */
  time: string;
  minutes: number;
}

export function localParts(instant: Date, timeZone: string): LocalParts {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const time = `${get('hour')}:${get('minute')}`;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** The calendar date an instant falls on in a time zone (a person's or the organization's "today"). */
export function localDate(instant: Date, timeZone: string): IsoDate {
  return localParts(instant, timeZone).date;
}

/** The instant of a local wall-clock time on a date in a time zone (a time skipped by a DST change moves forward). */
export function zonedInstant(date: IsoDate, hhmm: string, timeZone: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  const wanted = h * 60 + m;
  let instant = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), h, m);
  // Correct by the zone's offset at that moment (twice, to settle across DST changes).
  for (let i = 0; i < 2; i++) {
    const local = localParts(new Date(instant), timeZone);
    instant -= (local.minutes + daysBetween(date, local.date) * 1440 - wanted) * 60_000;
  }
  return new Date(instant);
}

/** "Thu 5 Mar 2026, 10:00 (America/New_York)": how a team leader reads a time in error messages. */
export function describeLocal(instant: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
  return `${text} (${timeZone})`;
}

/** An instant with its wall-clock reading in one zone, for API responses. */
export interface LocalTime {
  timezone: string;
  date: IsoDate;
  time: string;
  /** ISO 8601 with the zone's offset, e.g. 2026-03-05T16:00:00+01:00. */
  local: string;
}

export function toLocalTime(instant: Date, timeZone: string): LocalTime {
  const { date, time, minutes } = localParts(instant, timeZone);
  const wallUtc = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + minutes * 60_000;
  const offset = Math.round((wallUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return { timezone: timeZone, date, time, local: `${date}T${time}:00${sign}${hh}:${mm}` };
}

const instantPattern = /(Z|[+-]\d{2}:?\d{2})$/i;
const localDateTimePattern = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/;

/**
 * A session start as the API accepts it: an ISO instant with Z or an offset, or a local date-time (YYYY-MM-DDTHH:MM)
 * read in `timeZone`. Returns null when the text is neither.
 */
export function parseStart(text: string, timeZone: string): Date | null {
  const trimmed = text.trim();
  if (instantPattern.test(trimmed)) {
    const instant = new Date(trimmed);
    return Number.isNaN(instant.getTime()) ? null : instant;
  }
  const match = localDateTimePattern.exec(trimmed);
  if (!match) return null;
  const instant = zonedInstant(match[1], match[2], timeZone);
  return Number.isNaN(instant.getTime()) ? null : instant;
}
