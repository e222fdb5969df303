/**
 * Forecast accuracy. WAPE = Σ|error| / Σ|actual| (a share of sales, comparable across series of any size). MASE =
 * mean |error| / the in-sample MAE of the weekly seasonal-naive forecast (below 1: better than "same day last week").
 */

/** Σ|actual − forecast| / Σ|actual|; null when the actuals sum to zero. */
export function wape(actual: readonly number[], forecast: readonly number[]): number | null {
  let errors = 0;
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    errors += Math.abs(actual[i] - forecast[i]);
    total += Math.abs(actual[i]);
  }
  return total > 0 ? errors / total : null;
}

/**
 * Mean |y_t − y_{t−7}| over the training days where both days are clean (observed, no promotion, no dip): the error
 * a weekly seasonal-naive forecast makes one step ahead. null when no such pair exists or it is zero.
 */
export function seasonalNaiveScale(values: readonly number[], clean: readonly boolean[], period = 7): number | null {
  let sum = 0;
  let n = 0;
  for (let t = period; t < values.length; t++) {
    if (!clean[t] || !clean[t - period]) continue;
    sum += Math.abs(values[t] - values[t - period]);
    n++;
  }
  return n > 0 && sum > 0 ? sum / n : null;
}

/** mean |actual − forecast| / scale; null without a scale. */
export function mase(actual: readonly number[], forecast: readonly number[], scale: number | null): number | null {
  if (!scale || actual.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i] - forecast[i]);
  return sum / actual.length / scale;
}

/** Running totals for one model over many folds/series; WAPE pools errors, MASE averages scaled errors per day. */
export class ErrorAccumulator {
  absError = 0;
  absActual = 0;
  scaledError = 0;
  scaledDays = 0;
  days = 0;

  add(actual: number, forecast: number, scale: number | null): void {
    const e = Math.abs(actual - forecast);
    this.absError += e;
    this.absActual += Math.abs(actual);
    this.days++;
    if (scale) {
      this.scaledError += e / scale;
      this.scaledDays++;
    }
  }

  merge(other: ErrorAccumulator): void {
    this.absError += other.absError;
    this.absActual += other.absActual;
    this.scaledError += other.scaledError;
    this.scaledDays += other.scaledDays;
    this.days += other.days;
  }

  get wape(): number | null {
    return this.absActual > 0 ? this.absError / this.absActual : null;
  }

  get mase(): number | null {
    return this.scaledDays > 0 ? this.scaledError / this.scaledDays : null;
  }
}
