import { addDays, isoWeekday, parseMinutes, type IsoDate } from '../shared/dates.js';
import type { StoreCalendar } from '../shared/opening-hours.js';
import type { OpeningHours } from '../schema.js';

export type AlertSeverity = 'yellow' | 'red' | 'critical';

export const severityRank: Record<AlertSeverity, number> = { yellow: 1, red: 2, critical: 3 };

export function higherSeverity(a: AlertSeverity, b: AlertSeverity): AlertSeverity {
  return severityRank[a] >= severityRank[b] ? a : b;
}

/*
 * The evaluation computes opening times and SLA deadlines for thousands of alerts per run. The helpers in
 * shared/opening-hours.ts build a new Intl.DateTimeFormat on every call (about 2 ms per SLA deadline), so this file
 * runs the same algorithm with one cached formatter per time zone and memoizes each store-day's opening intervals.
 * alert-timing.test.ts checks it against shared/opening-hours.ts across daylight-saving changes.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The store-local calendar date and minutes since midnight of an instant. */
function localParts(instant: Date, timeZone: string): { date: IsoDate; minutes: number } {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The instant of a local wall-clock time on a date (same correction as shared/dates.ts zonedInstant). */
function zonedInstant(date: IsoDate, hhmm: string, timeZone: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  let instant = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), h, m);
  for (let i = 0; i < 2; i++) {
    const local = localParts(new Date(instant), timeZone);
    instant -= (local.minutes + daysBetween(date, local.date) * 1440 - (h * 60 + m)) * 60_000;
  }
  return new Date(instant);
}

const intervalCache = new WeakMap<StoreCalendar, Map<IsoDate, { start: Date; end: Date }[]>>();

/** Opening intervals of a date as instants; none on a closed day (no hours that weekday, or a closure). */
function openIntervals(calendar: StoreCalendar, date: IsoDate): { start: Date; end: Date }[] {
  let cache = intervalCache.get(calendar);
  if (!cache) intervalCache.set(calendar, (cache = new Map()));
  const cached = cache.get(date);
  if (cached) return cached;
  const hours = calendar.closedDates.has(date) ? [] : (calendar.openingHours[String(isoWeekday(date)) as keyof OpeningHours] ?? []);
  const intervals = hours.map(({ open, close }) => ({
    start: zonedInstant(date, open, calendar.timezone),
    // A closing time at or before the opening time means past midnight.
    end: parseMinutes(close) > parseMinutes(open) ? zonedInstant(date, close, calendar.timezone) : zonedInstant(addDays(date, 1), close, calendar.timezone),
  }));
  cache.set(date, intervals);
  return intervals;
}

/** shared/opening-hours.ts addOpenHours: the instant when `hours` of opening time have passed after `start`. */
export function addOpenHours(calendar: StoreCalendar, start: Date, hours: number): Date | null {
  let remainingMs = hours * 3_600_000;
  let day = addDays(localParts(start, calendar.timezone).date, -1);
  for (let i = 0; i < 62; i++, day = addDays(day, 1)) {
    for (const interval of openIntervals(calendar, day)) {
      const from = interval.start > start ? interval.start : start;
      if (from >= interval.end) continue;
      const available = interval.end.getTime() - from.getTime();
      if (available >= remainingMs) return new Date(from.getTime() + remainingMs);
      remainingMs -= available;
    }
  }
  return null;
}

/** Conditions are dated to the metric day at the store's opening time (midnight store time on a day without hours). */
export function openingInstant(calendar: StoreCalendar, date: IsoDate): Date {
  const intervals = openIntervals(calendar, date);
  return intervals.length ? intervals[0].start : zonedInstant(date, '00:00', calendar.timezone);
}

/** When the day's figures are complete: the store's last closing time that day. */
export function closingInstant(calendar: StoreCalendar, date: IsoDate): Date {
  const intervals = openIntervals(calendar, date);
  return intervals.length ? intervals[intervals.length - 1].end : zonedInstant(date, '23:59', calendar.timezone);
}

/**
 * SLA deadline of a condition seen on `date`: the figures are known once the store closes, so the clock starts at
 * closing time and runs only in opening hours — in practice from the next opening. Null when the store does not
 * open again within the 60-day look-ahead.
 */
export function slaDeadline(calendar: StoreCalendar, date: IsoDate, hours: number): Date | null {
  return addOpenHours(calendar, closingInstant(calendar, date), hours);
}

export function earlier(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a <= b ? a : b;
}
