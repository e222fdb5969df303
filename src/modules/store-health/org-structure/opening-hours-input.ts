import { z } from 'zod';

export const weekdayKeys = ['1', '2', '3', '4', '5', '6', '7'] as const;
/** File columns hours_mon … hours_sun, in ISO weekday order (1 = Monday). */
export const weekdayColumns = ['hours_mon', 'hours_tue', 'hours_wed', 'hours_thu', 'hours_fri', 'hours_sat', 'hours_sun'] as const;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM on a 24-hour clock, e.g. 09:00');
const interval = z.object({ open: hhmm, close: hhmm });

const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** Why a day's intervals cannot be used, or null: each must have a length, they must not overlap, past-midnight last. */
export function dayHoursProblem(intervals: { open: string; close: string }[]): string | null {
  let previousClose = -1;
  for (const [i, { open, close }] of intervals.entries()) {
    if (open === close) return `${open}-${close} opens and closes at the same time.`;
    const overnight = toMinutes(close) < toMinutes(open);
    if (toMinutes(open) < previousClose) return `${open}-${close} overlaps the interval before it; list intervals in order without overlaps.`;
    if (overnight && i !== intervals.length - 1) return `${open}-${close} runs past midnight, so it must be the day's last interval.`;
    previousClose = overnight ? 24 * 60 : toMinutes(close);
  }
  return null;
}

/**
 * Weekly opening hours keyed by ISO weekday ("1" = Monday); a day with no intervals (or left out) is a regular
 * closed day; a close at or before the open means past midnight.
 */
export const openingHoursSchema = z
  .object(
    Object.fromEntries(weekdayKeys.map((k) => [k, z.array(interval).max(4).optional()])) as Record<
      (typeof weekdayKeys)[number],
      z.ZodOptional<z.ZodArray<typeof interval>>
    >,
  )
  .strict()
  .superRefine((hours, issue) => {
    for (const key of weekdayKeys) {
      const problem = hours[key] ? dayHoursProblem(hours[key]!) : null;
      if (problem) issue.addIssue({ code: 'custom', path: [key], message: problem });
    }
  });

const range = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;

/**
 * One day's hours as a file writes them: "09:00-21:00", split shifts "09:00-13:00, 14:00-18:00", and
 * empty or "closed" for a closed day. 24:00 closes at midnight.
 */
export function parseDayHours(text: string): { ok: true; value: { open: string; close: string }[] } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '' || /^closed$/i.test(trimmed)) return { ok: true, value: [] };
  const intervals: { open: string; close: string }[] = [];
  for (const part of trimmed.split(/[,;/]/)) {
    const match = range.exec(part.trim());
    const [oh, om, ch, cm] = match ? [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])] : [99, 99, 99, 99];
    if (!match || oh > 23 || om > 59 || ch > 24 || cm > 59 || (ch === 24 && cm !== 0)) {
      return { ok: false, message: `"${part.trim()}" is not opening hours; write HH:MM-HH:MM (e.g. 09:00-21:00), or "closed".` };
    }
    const pad = (n: number) => String(n).padStart(2, '0');
    intervals.push({ open: `${pad(oh)}:${pad(om)}`, close: `${pad(ch % 24)}:${pad(cm)}` });
  }
  const problem = dayHoursProblem(intervals);
  return problem ? { ok: false, message: problem } : { ok: true, value: intervals };
}
