import { calendarDate as ymd, easterSunday, germanPublicHolidays } from '../../../core/calendar.js';
import { addDays, isoWeekday, type IsoDate } from '../shared/dates.js';

export { easterSunday };

export interface Holiday {
  date: IsoDate;
  name: string;
}

/** The n-th given ISO weekday (1 = Monday) of a month. */
function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): IsoDate {
  let date = ymd(year, month, 1);
  while (isoWeekday(date) !== weekday) date = addDays(date, 1);
  return addDays(date, 7 * (n - 1));
}

export function thanksgiving(year: number): IsoDate {
  return nthWeekdayOfMonth(year, 11, 4, 4);
}

/** The days a US chain closes every store. */
export function usStoreHolidays(year: number): Holiday[] {
  return [
    { date: ymd(year, 1, 1), name: "New Year's Day" },
    { date: easterSunday(year), name: 'Easter Sunday' },
    { date: thanksgiving(year), name: 'Thanksgiving Day' },
    { date: ymd(year, 12, 25), name: 'Christmas Day' },
  ];
}

/** Public holidays observed in every German state (shops close by law). */
export function germanStoreHolidays(year: number): Holiday[] {
  return germanPublicHolidays(year);
}

/** Holidays of a calendar between two dates (both included). */
export function holidaysBetween(calendar: (year: number) => Holiday[], from: IsoDate, to: IsoDate): Holiday[] {
  const out: Holiday[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const holiday of calendar(year)) if (holiday.date >= from && holiday.date <= to) out.push(holiday);
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}
