/** Calendar arithmetic on ISO dates (YYYY-MM-DD, UTC-free) for the history periods: ISO weeks ending Sunday, months, quarters. */
export type PeriodType = 'WEEK' | 'MONTH' | 'QUARTER';
export const periodTypes: PeriodType[] = ['WEEK', 'MONTH', 'QUARTER'];

const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

export function addDays(iso: string, days: number): string {
  const d = toDate(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return toIso(d);
}

/** First day of the period containing `iso`. */
export function periodStart(type: PeriodType, iso: string): string {
  const d = toDate(iso);
  if (type === 'WEEK') return addDays(iso, -((d.getUTCDay() + 6) % 7));
  const month = type === 'MONTH' ? d.getUTCMonth() : Math.floor(d.getUTCMonth() / 3) * 3;
  return toIso(new Date(Date.UTC(d.getUTCFullYear(), month, 1)));
}

/** Last day of the period containing `iso` (the period_ending stored in performance_history). */
export function periodEnding(type: PeriodType, iso: string): string {
  if (type === 'WEEK') return addDays(periodStart('WEEK', iso), 6);
  const start = toDate(periodStart(type, iso));
  return toIso(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + (type === 'MONTH' ? 1 : 3), 0)));
}

/** Local calendar date of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return /\//.test(timeZone) || timeZone === 'UTC';
  } catch {
    return false;
  }
}
