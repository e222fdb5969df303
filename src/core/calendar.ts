/** Calendar facts several modules need (demo chains, retail calendars for forecasting); dates are ISO strings. */

export const calendarDate = (year: number, month: number, day: number): string => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

function shiftDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm). */
export function easterSunday(year: number): string {
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
  return calendarDate(year, month, day);
}

/** Public holidays observed in every German state: shops close by law (regional ones such as Fronleichnam are left out). */
export function germanPublicHolidays(year: number): { date: string; name: string }[] {
  const easter = easterSunday(year);
  return [
    { date: calendarDate(year, 1, 1), name: 'Neujahr' },
    { date: shiftDays(easter, -2), name: 'Karfreitag' },
    { date: shiftDays(easter, 1), name: 'Ostermontag' },
    { date: calendarDate(year, 5, 1), name: 'Tag der Arbeit' },
    { date: shiftDays(easter, 39), name: 'Christi Himmelfahrt' },
    { date: shiftDays(easter, 50), name: 'Pfingstmontag' },
    { date: calendarDate(year, 10, 3), name: 'Tag der Deutschen Einheit' },
    { date: calendarDate(year, 12, 25), name: '1. Weihnachtstag' },
    { date: calendarDate(year, 12, 26), name: '2. Weihnachtstag' },
  ];
}

/** Black Friday: the day after the fourth Thursday of November. */
export function blackFriday(year: number): string {
  let d = calendarDate(year, 11, 1);
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 4) d = shiftDays(d, 1);
  return shiftDays(d, 22);
}
