import { blackFriday, calendarDate as ymd, germanPublicHolidays } from '../../../core/calendar.js';
import { addDays, type IsoDate } from '../shared/dates.js';

export { blackFriday };

/**
 * The calendar a German electronics retailer's baseline knows in advance: nationwide public holidays and the retail
 * peaks promotions are planned on (Black Friday week, the Advent weeks, the days around Christmas and New Year, the
 * men's football tournaments). Prophet learns one effect per named event from every year it occurs in, so a peak
 * that is promoted this year is still forecast from the years (and the days of its window) that were not.
 */
export interface CalendarEvent {
  /** One name per effect: all occurrences (and all days of a multi-day occurrence) share it. */
  name: string;
  from: IsoDate;
  /** Inclusive. */
  to: IsoDate;
}

/** Nationwide German public holidays as one effect each (keyed by a slug of the name). */
export function germanPublicHolidayEvents(year: number): CalendarEvent[] {
  return germanPublicHolidays(year).map((h) => ({ name: slugOf(h.name), from: h.date, to: h.date }));
}

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** Men's World Cups and Euros with their real dates (a known calendar, not learned). */
const footballTournaments: { from: IsoDate; to: IsoDate }[] = [
  { from: '2018-06-14', to: '2018-07-15' },
  { from: '2021-06-11', to: '2021-07-11' },
  { from: '2022-11-20', to: '2022-12-18' },
  { from: '2024-06-14', to: '2024-07-14' },
  { from: '2026-06-11', to: '2026-07-19' },
  { from: '2028-06-09', to: '2028-07-09' },
  { from: '2030-06-13', to: '2030-07-21' },
];

/** Retail peaks and troughs that recur on known dates. */
export function retailPeaks(year: number): CalendarEvent[] {
  const bf = blackFriday(year);
  const events: CalendarEvent[] = [
    // Monday before Black Friday to Cyber Monday.
    { name: 'black_friday_week', from: addDays(bf, -4), to: addDays(bf, -1) },
    { name: 'black_friday', from: bf, to: bf },
    { name: 'black_weekend', from: addDays(bf, 1), to: addDays(bf, 3) },
    { name: 'advent_early', from: ymd(year, 12, 1), to: ymd(year, 12, 9) },
    { name: 'advent_mid', from: ymd(year, 12, 10), to: ymd(year, 12, 16) },
    { name: 'advent_late', from: ymd(year, 12, 17), to: ymd(year, 12, 23) },
    { name: 'heiligabend', from: ymd(year, 12, 24), to: ymd(year, 12, 24) },
    { name: 'zwischen_den_jahren', from: ymd(year, 12, 27), to: ymd(year, 12, 30) },
    { name: 'silvester', from: ymd(year, 12, 31), to: ymd(year, 12, 31) },
  ];
  for (const t of footballTournaments) {
    if (Number(t.from.slice(0, 4)) !== year) continue;
    events.push({ name: 'football_run_up', from: addDays(t.from, -21), to: addDays(t.from, -1) });
    events.push({ name: 'football_tournament', from: t.from, to: t.to });
  }
  return events;
}

/** Every event touching `[from, to]`. */
export function calendarEvents(from: IsoDate, to: IsoDate): CalendarEvent[] {
  const out: CalendarEvent[] = [];
  for (let y = Number(from.slice(0, 4)) - 1; y <= Number(to.slice(0, 4)) + 1; y++) {
    for (const e of [...germanPublicHolidayEvents(y), ...retailPeaks(y)]) if (e.to >= from && e.from <= to) out.push(e);
  }
  return out;
}

/** Dates in `[from, to]` on a calendar event (a holiday or a retail peak). */
export function eventDates(from: IsoDate, to: IsoDate): Set<IsoDate> {
  const out = new Set<IsoDate>();
  for (const e of calendarEvents(from, to)) {
    for (let d = e.from; d <= e.to; d = addDays(d, 1)) if (d >= from && d <= to) out.add(d);
  }
  return out;
}
