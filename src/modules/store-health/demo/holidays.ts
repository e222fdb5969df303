import { addDays, isoWeekday, type IsoDate } from '../shared/dates.js';

export interface Holiday {
  date: IsoDate;
  name: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (year: number, month: number, day: number): IsoDate => `${year}-${pad(month)}-${pad(day)}`;

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
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
  const easter = easterSunday(year);
  return [
    { date: ymd(year, 1, 1), name: 'Neujahr' },
    { date: addDays(easter, -2), name: 'Karfreitag' },
    { date: addDays(easter, 1), name: 'Ostermontag' },
    { date: ymd(year, 5, 1), name: 'Tag der Arbeit' },
    { date: addDays(easter, 39), name: 'Christi Himmelfahrt' },
    { date: addDays(easter, 50), name: 'Pfingstmontag' },
    { date: ymd(year, 10, 3), name: 'Tag der Deutschen Einheit' },
    { date: ymd(year, 12, 25), name: '1. Weihnachtstag' },
    { date: ymd(year, 12, 26), name: '2. Weihnachtstag' },
  ];
}

/** Holidays of a calendar between two dates (both included). */
export function holidaysBetween(calendar: (year: number) => Holiday[], from: IsoDate, to: IsoDate): Holiday[] {
  const out: Holiday[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const holiday of calendar(year)) if (holiday.date >= from && holiday.date <= to) out.push(holiday);
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}
