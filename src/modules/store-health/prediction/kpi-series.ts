import type { KpiStatus } from '../schema.js';
import { addDays, daysBetween, isoWeekday, type IsoDate } from '../shared/dates.js';
import { isEvaluatedStatus, type ComparisonBasis, type EvaluatedStatus } from './threshold-status.js';

export interface KpiDay {
  value: number | null;
  /** As evaluated by the engine; null when the day has not been evaluated yet. */
  status: KpiStatus | null;
  /** The engine's flap and recovery state after this day (kpi_metrics.metadata), when it recorded one. */
  redStreak?: number | null;
  recoveryAnchor?: 'red' | 'green' | null;
}

/** One store × KPI daily history, keyed by date; only the days present in kpi_metrics. */
export interface KpiSeries {
  storeId: string;
  kpiId: string;
  days: Map<IsoDate, KpiDay>;
}

export const seriesKey = (storeId: string, kpiId: string) => `${storeId}|${kpiId}`;

/**
 * A day that can train the model: it has a value and the store was open. A no-data day normally has no value;
 * when it has one (e.g. no baseline yet in a store's first weeks) the value is still real trading.
 */
export function usableValue(day: KpiDay | undefined): number | null {
  if (!day || day.value === null || !Number.isFinite(day.value) || day.status === 'closed') return null;
  return day.value;
}

/**
 * The `windowDays` daily values ending at `endDate`, gaps filled so the weekly cycle stays aligned to the calendar:
 * interior gaps (holidays, closed weekdays, missing uploads) by linear interpolation, a gap at the start by the
 * first value, a gap at the end by the same weekday a week earlier.
 */
export function filledWindow(series: KpiSeries, endDate: IsoDate, windowDays: number): { values: number[]; observed: number } | null {
  const start = addDays(endDate, -(windowDays - 1));
  const raw: (number | null)[] = [];
  for (let i = 0; i < windowDays; i++) raw.push(usableValue(series.days.get(addDays(start, i))));
  const observed = raw.filter((v) => v !== null).length;
  if (observed === 0) return null;
  const values = new Array<number>(windowDays);
  let previous = -1;
  for (let i = 0; i < windowDays; i++) {
    const v = raw[i];
    if (v === null) continue;
    if (previous === -1) for (let j = 0; j < i; j++) values[j] = v;
    else for (let j = previous + 1; j < i; j++) values[j] = raw[previous]! + ((v - raw[previous]!) * (j - previous)) / (i - previous);
    values[i] = v;
    previous = i;
  }
  for (let j = previous + 1; j < windowDays; j++) values[j] = j >= 7 ? values[j - 7] : raw[previous]!;
  return { values, observed };
}

/**
 * The baseline the evaluation engine compares a day with: rolling_4w = mean of the same weekday in the four prior
 * weeks (open days only), same_period_ly = the same weekday 52 weeks earlier; absolute needs none.
 * `valueAt` decides which days are visible, which is how the backtest hides the future.
 */
export function comparisonValueFor(target: IsoDate, basis: ComparisonBasis, valueAt: (date: IsoDate) => number | null): number | null {
  if (basis === 'absolute') return null;
  if (basis === 'same_period_ly') return valueAt(addDays(target, -364));
  let sum = 0;
  let n = 0;
  for (let week = 1; week <= 4; week++) {
    const v = valueAt(addDays(target, -7 * week));
    if (v !== null) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : null;
}

/** The latest green/yellow/red status on or before `date`, looking back at most `lookbackDays`. */
export function lastEvaluatedStatus(series: KpiSeries, date: IsoDate, lookbackDays = 14): { status: EvaluatedStatus; date: IsoDate } | null {
  for (let i = 0; i <= lookbackDays; i++) {
    const d = addDays(date, -i);
    const status = series.days.get(d)?.status;
    if (isEvaluatedStatus(status)) return { status, date: d };
  }
  return null;
}

/** How many evaluated days in a row (closed and no-data days skipped) ended on `date` with the latest status. */
export function currentStreak(series: KpiSeries, date: IsoDate, lookbackDays = 120): { status: EvaluatedStatus; days: number } | null {
  const latest = lastEvaluatedStatus(series, date, lookbackDays);
  if (!latest) return null;
  let days = 0;
  for (let i = 0; i <= lookbackDays; i++) {
    const status = series.days.get(addDays(latest.date, -i))?.status;
    if (status === 'closed' || status === 'no_data' || status === null || status === undefined) continue;
    if (status !== latest.status) break;
    days++;
  }
  return { status: latest.status, days };
}

/**
 * Least-squares slope of the usable values over the last `days` days, as % of their mean per week. Each weekday is
 * centred on its own mean first, so a low Sunday at one end of the window does not pass for a trend.
 */
export function trendPctPerWeek(series: KpiSeries, endDate: IsoDate, days = 14): number | null {
  const byWeekday = new Map<number, { x: number; y: number }[]>();
  let sum = 0;
  let n = 0;
  for (let i = days - 1; i >= 0; i--) {
    const d = addDays(endDate, -i);
    const v = usableValue(series.days.get(d));
    if (v === null) continue;
    const weekday = isoWeekday(d);
    byWeekday.set(weekday, [...(byWeekday.get(weekday) ?? []), { x: daysBetween(endDate, d), y: v }]);
    sum += v;
    n++;
  }
  let sxy = 0;
  let sxx = 0;
  for (const points of byWeekday.values()) {
    if (points.length < 2) continue;
    const mx = points.reduce((a, p) => a + p.x, 0) / points.length;
    const my = points.reduce((a, p) => a + p.y, 0) / points.length;
    for (const p of points) {
      sxy += (p.x - mx) * (p.y - my);
      sxx += (p.x - mx) ** 2;
    }
  }
  const mean = n > 0 ? sum / n : 0;
  if (sxx === 0 || mean === 0) return null;
  return ((sxy / sxx) * 7 * 100) / Math.abs(mean);
}
