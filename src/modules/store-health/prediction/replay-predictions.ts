import { addDays, daysBetween, type IsoDate } from '../shared/dates.js';
import { lastEvaluatedStatus, usableValue, type KpiSeries } from './kpi-series.js';
import { fitSeries, forecastStatusPath, trainingWindowDays, type DisplaySettings, type FittedSeries } from './status-forecast.js';
import { isEvaluatedStatus, type EvaluatedStatus, type StatusRule } from './threshold-status.js';

/**
 * The backtest's replay, free of any database: for each day d it predicts the status of d + horizon three ways
 * using only what was known at the end of d, and pairs each prediction with the status the engine later evaluated.
 *
 * Protocol (documented in the report):
 * - model: MSTL fitted on the 56 days ending at the refit day r ≤ d; refits happen on a fixed calendar (every
 *   `refitEveryDays` days counted from Monday 2000-01-03), so a prediction for d + h depends on d and h only,
 *   never on the replay range. Between refits the forecast rolls forward: it is shifted by the mean error of the
 *   days in (r, d] — data ≤ d, no leakage. The baseline of the target day is built from actual values ≤ d, and the
 *   engine's flap/recovery state at d is carried through the forecast days up to the target.
 * - persistence: the latest evaluated status on or before d ("tomorrow looks like today").
 * - seasonal naive: the latest evaluated status on or before d + h − 7 (same weekday last week).
 * A sample counts only when the target day has an evaluated green/yellow/red status and all three methods could
 * predict, so the three scores are computed on exactly the same days.
 */

export interface ReplaySeriesInput {
  series: KpiSeries;
  rule: StatusRule;
  /** The store's trading calendar (known in advance, so not a leak); every day is open when omitted. */
  isOpen?: (date: IsoDate) => boolean;
}

export interface ReplayOptions {
  from: IsoDate;
  to: IsoDate;
  horizonDays: number;
  /** 1 refits every day (slowest, most faithful); 7 refits weekly. */
  refitEveryDays: number;
  /** The engine's flap and recovery settings, which shape the shown status being predicted. */
  settings: DisplaySettings;
  trainingWindowDays?: number;
}

export interface ReplaySample {
  storeId: string;
  kpiId: string;
  predictionDate: IsoDate;
  targetDate: IsoDate;
  actual: EvaluatedStatus;
  model: EvaluatedStatus;
  persistence: EvaluatedStatus;
  seasonalNaive: EvaluatedStatus;
  predictedValue: number;
  confidence: number;
}

export interface ReplayResult {
  samples: ReplaySample[];
  /** Target days without an evaluated status (closed, no data, not yet evaluated). */
  skippedNoActual: number;
  /** Target days where a method could not predict (too little history, no baseline). */
  skippedNoPrediction: number;
  fits: number;
}

const refitAnchor: IsoDate = '2000-01-03';
const alwaysOpen = () => true;

export function refitDateFor(date: IsoDate, refitEveryDays: number): IsoDate {
  const offset = ((daysBetween(refitAnchor, date) % refitEveryDays) + refitEveryDays) % refitEveryDays;
  return addDays(date, -offset);
}

/** Mean forecast error over the usable days after the fit up to `until`: the roll-forward correction. */
function rollForwardCorrection(fit: FittedSeries, series: KpiSeries, until: IsoDate): number {
  let sum = 0;
  let n = 0;
  for (let d = addDays(fit.fitDate, 1); d <= until; d = addDays(d, 1)) {
    const actual = usableValue(series.days.get(d));
    const k = daysBetween(fit.fitDate, d) - 1;
    if (actual === null || k >= fit.point.length) continue;
    sum += actual - fit.point[k];
    n++;
  }
  return n > 0 ? sum / n : 0;
}

export function replayStatusPredictions(inputs: readonly ReplaySeriesInput[], options: ReplayOptions): ReplayResult {
  const result: ReplayResult = { samples: [], skippedNoActual: 0, skippedNoPrediction: 0, fits: 0 };
  const windowDays = options.trainingWindowDays ?? trainingWindowDays;
  for (const input of inputs) {
    const { series, rule } = input;
    const fits = new Map<IsoDate, FittedSeries | null>();
    for (let d = options.from; d <= options.to; d = addDays(d, 1)) {
      const target = addDays(d, options.horizonDays);
      const actual = series.days.get(target)?.status;
      if (!isEvaluatedStatus(actual)) {
        result.skippedNoActual++;
        continue;
      }
      const refitDate = refitDateFor(d, options.refitEveryDays);
      if (!fits.has(refitDate)) {
        // Cover every target reachable before the next refit.
        fits.set(refitDate, fitSeries(series, refitDate, options.refitEveryDays - 1 + options.horizonDays, windowDays));
        result.fits++;
      }
      const fit = fits.get(refitDate)!;
      const persistence = lastEvaluatedStatus(series, d);
      const seasonalNaive = lastEvaluatedStatus(series, addDays(target, -7));
      const forecast = fit
        ? forecastStatusPath({
            fit,
            series,
            rule,
            settings: options.settings,
            visibleUntil: d,
            lastTarget: target,
            isOpen: input.isOpen ?? alwaysOpen,
            levelCorrection: rollForwardCorrection(fit, series, d),
          }).find((f) => f.targetDate === target)
        : undefined;
      if (!forecast || !persistence || !seasonalNaive) {
        result.skippedNoPrediction++;
        continue;
      }
      result.samples.push({
        storeId: series.storeId,
        kpiId: series.kpiId,
        predictionDate: d,
        targetDate: target,
        actual,
        model: forecast.status,
        persistence: persistence.status,
        seasonalNaive: seasonalNaive.status,
        predictedValue: Math.round(forecast.predictedValue * 10_000) / 10_000,
        confidence: forecast.confidence,
      });
    }
  }
  return result;
}
