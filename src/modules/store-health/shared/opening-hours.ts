import type { OpeningHours } from '../schema.js';
import { addDays, isoWeekday, localDate, localMinutes, parseMinutes, zonedInstant, type IsoDate } from './dates.js';

/** What the SLA clock and the evaluation need to know about one store's opening times. */
export interface StoreCalendar {
  timezone: string;
  openingHours: OpeningHours;
  /** Holidays and one-off closures (the store's own and the organization-wide ones). */
  closedDates: ReadonlySet<IsoDate>;
}

export type DayState = 'open' | 'closed' | 'holiday';

/** Open, closed (no opening hours that weekday, or a one-off closure) or holiday. */
export function dayState(calendar: StoreCalendar, date: IsoDate, holidays?: ReadonlySet<IsoDate>): DayState {
  if (holidays?.has(date)) return 'holiday';
  if (calendar.closedDates.has(date)) return 'closed';
  const hours = calendar.openingHours[String(isoWeekday(date)) as keyof OpeningHours];
  return hours && hours.length > 0 ? 'open' : 'closed';
}

/** Opening intervals of a date as instants. */
export function openIntervals(calendar: StoreCalendar, date: IsoDate): { start: Date; end: Date }[] {
  if (dayState(calendar, date) !== 'open') return [];
  const hours = calendar.openingHours[String(isoWeekday(date)) as keyof OpeningHours] ?? [];
  return hours.map(({ open, close }) => ({
    start: zonedInstant(date, open, calendar.timezone),
    // A closing time at or before the opening time means past midnight.
    end: parseMinutes(close) > parseMinutes(open) ? zonedInstant(date, close, calendar.timezone) : zonedInstant(addDays(date, 1), close, calendar.timezone),
  }));
}

export function isOpenAt(calendar: StoreCalendar, instant: Date): boolean {
  const today = localDate(instant, calendar.timezone);
  return [addDays(today, -1), today].some((d) => openIntervals(calendar, d).some((i) => i.start <= instant && instant < i.end));
}

/**
 * The instant when `hours` of opening time have passed after `start` — the SLA clock only runs while the store
 * is open. Looks ahead at most 60 days (a store closed longer than that has no SLA to keep).
 */
export function addOpenHours(calendar: StoreCalendar, start: Date, hours: number): Date | null {
  let remainingMs = hours * 3_600_000;
  let day = addDays(localDate(start, calendar.timezone), -1);
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

/** Opening time elapsed between two instants, in hours. */
export function openHoursBetween(calendar: StoreCalendar, from: Date, to: Date): number {
  if (to <= from) return 0;
  let ms = 0;
  for (let day = addDays(localDate(from, calendar.timezone), -1); day <= localDate(to, calendar.timezone); day = addDays(day, 1)) {
    for (const interval of openIntervals(calendar, day)) {
      const start = Math.max(interval.start.getTime(), from.getTime());
      const end = Math.min(interval.end.getTime(), to.getTime());
      if (end > start) ms += end - start;
    }
  }
  return ms / 3_600_000;
}

/** Whether an instant lies in a daily window (e.g. calls 08:00–20:00) in the store's local time. */
export function insideLocalWindow(calendar: StoreCalendar, instant: Date, window: { start: string; end: string }): boolean {
  const minutes = localMinutes(instant, calendar.timezone);
  return minutes >= parseMinutes(window.start) && minutes < parseMinutes(window.end);
}
