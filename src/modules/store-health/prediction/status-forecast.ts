import { addDays, daysBetween, type IsoDate } from '../shared/dates.js';
import { advanceDisplayedStatus, displayStateAt, type DisplayState } from './displayed-status.js';
import { comparisonValueFor, filledWindow, usableValue, type KpiSeries } from './kpi-series.js';
import { forecastDailySeries, minimumTrainingDays } from './mstl-forecast.js';
import { recoveryLine } from '../evaluation/index.js';
import { clearsRecovery, measureOf, normalCdf, statusOfMeasure, type EvaluatedStatus, type StatusRule } from './threshold-status.js';

/** Eight weeks: enough weekly cycles for MSTL, short enough to follow a store that has changed. */
export const trainingWindowDays = 56;

/** A model fitted on the data up to `fitDate`; point[k] and sd[k] are for fitDate + 1 + k. */
export interface FittedSeries {
  fitDate: IsoDate;
  point: number[];
  sd: number[];
}

/** The engine settings that shape the shown status. */
export interface DisplaySettings {
  flapRedDays: number;
  recoveryMarginPct: number;
}

export interface StatusForecast {
  targetDate: IsoDate;
  predictedValue: number;
  comparisonValue: number | null;
  /** What the thresholds read: % of baseline, or the raw value for absolute thresholds. */
  measure: number;
  measureSd: number;
  /** The band the forecast measure falls in. */
  rawStatus: EvaluatedStatus;
  /** The status the engine would show (flap and recovery rules applied along the forecast path). */
  status: EvaluatedStatus;
  /** Probability of each shown status on that day. */
  probabilities: Record<EvaluatedStatus, number>;
  /** Probability of the predicted status, 0–100. */
  confidence: number;
}

/** Fits on the training window ending at `fitDate` (nothing after it is read); null when the history is too thin or unfit. */
export function fitSeries(series: KpiSeries, fitDate: IsoDate, horizon: number, windowDays = trainingWindowDays): FittedSeries | null {
  const window = filledWindow(series, fitDate, windowDays);
  if (!window || window.observed < minimumTrainingDays) return null;
  try {
    const forecast = forecastDailySeries(window.values, horizon);
    return { fitDate, point: forecast.point, sd: forecast.sd };
  } catch {
    // A series the WASM model cannot fit (degenerate numbers) gets no prediction rather than failing the whole run.
    return null;
  }
}

const stateKey = (state: DisplayState, flapRedDays: number) => `${Math.min(state.redStreak, flapRedDays)}|${state.recoveryAnchor}`;

/**
 * The four outcomes of a day that matter to the engine — raw red, raw yellow, raw green below the recovery line,
 * raw green clearing it — with their probabilities when the measure is normal(mean, sd).
 */
export function bandOutcomes(mean: number, sd: number, rule: StatusRule, recoveryMarginPct: number): { raw: EvaluatedStatus; clears: boolean; p: number }[] {
  if (!(sd > 0)) return [{ raw: statusOfMeasure(mean, rule), clears: clearsRecovery(mean, rule, recoveryMarginPct), p: 1 }];
  const below = (x: number) => normalCdf((x - mean) / sd);
  const recovery = recoveryLine(rule, recoveryMarginPct);
  let red: number, yellow: number, greenClearing: number;
  if (rule.direction === 'lower_is_better') {
    greenClearing = below(recovery);
    const green = below(rule.greenMin);
    yellow = below(rule.yellowMin) - green;
    red = 1 - below(rule.yellowMin);
  } else {
    red = below(rule.yellowMin);
    yellow = below(rule.greenMin) - red;
    greenClearing = 1 - below(recovery);
  }
  const greenBelowLine = 1 - red - yellow - greenClearing;
  return [
    { raw: 'red', clears: false, p: Math.max(0, red) },
    { raw: 'yellow', clears: false, p: Math.max(0, yellow) },
    { raw: 'green', clears: false, p: Math.max(0, greenBelowLine) },
    { raw: 'green', clears: true, p: Math.max(0, greenClearing) },
  ];
}

export interface StatusPathInput {
  fit: FittedSeries;
  series: KpiSeries;
  rule: StatusRule;
  settings: DisplaySettings;
  /** The last day whose actual data may be read (the prediction day). */
  visibleUntil: IsoDate;
  lastTarget: IsoDate;
  /** Days the store trades; closed days get no prediction and do not move the engine's state (as in the engine). */
  isOpen: (date: IsoDate) => boolean;
  /** Shift of the forecast by the error observed since the fit (the backtest's roll-forward). */
  levelCorrection?: number;
}

/**
 * Predicted shown status of each open day after `visibleUntil` up to `lastTarget`. The predicted status follows the
 * point forecast through the engine's state machine; its confidence is the probability of that status when each
 * day's measure is normal around the forecast with the model's spread.
 */
export function forecastStatusPath(input: StatusPathInput): StatusForecast[] {
  const { fit, series, rule, settings, visibleUntil, lastTarget } = input;
  const correction = input.levelCorrection ?? 0;
  const forecastValue = (date: IsoDate): number | null => {
    const k = daysBetween(fit.fitDate, date) - 1;
    return k >= 0 && k < fit.point.length ? fit.point[k] + correction : null;
  };
  const days: { date: IsoDate; value: number; comparison: number | null; measure: number; sd: number }[] = [];
  for (let date = addDays(visibleUntil, 1); date <= lastTarget; date = addDays(date, 1)) {
    if (!input.isOpen(date)) continue;
    const value = forecastValue(date);
    if (value === null) continue;
    const comparison = comparisonValueFor(date, rule.comparisonBasis, (d) => (d <= visibleUntil ? usableValue(series.days.get(d)) : forecastValue(d)));
    const measure = measureOf(value, comparison, rule.comparisonBasis);
    // No baseline: the engine shows no_data, which leaves its state alone.
    if (measure === null) continue;
    const scale = rule.comparisonBasis === 'absolute' ? 1 : 100 / comparison!;
    days.push({ date, value, comparison, measure, sd: fit.sd[daysBetween(fit.fitDate, date) - 1] * scale });
  }
  if (days.length === 0) return [];

  const start = displayStateAt(series, visibleUntil, settings.flapRedDays);
  const step = (state: DisplayState, measure: number) =>
    advanceDisplayedStatus(state, statusOfMeasure(measure, rule), clearsRecovery(measure, rule, settings.recoveryMarginPct), settings.flapRedDays);

  // Exact propagation of the engine's state distribution, day by day (forecast errors taken as independent across
  // days). A red streak longer than the flap limit behaves like one at the limit, so the state space stays tiny.
  const shownShares: Record<EvaluatedStatus, number>[] = [];
  let distribution = new Map<string, { state: DisplayState; p: number }>([[stateKey(start, settings.flapRedDays), { state: start, p: 1 }]]);
  for (const day of days) {
    const shares = { green: 0, yellow: 0, red: 0 };
    const next = new Map<string, { state: DisplayState; p: number }>();
    const outcomes = bandOutcomes(day.measure, day.sd, rule, settings.recoveryMarginPct);
    for (const { state, p } of distribution.values()) {
      for (const outcome of outcomes) {
        const pp = p * outcome.p;
        if (pp <= 0) continue;
        const moved = advanceDisplayedStatus(state, outcome.raw, outcome.clears, settings.flapRedDays);
        shares[moved.status] += pp;
        const key = stateKey(moved.state, settings.flapRedDays);
        const entry = next.get(key);
        if (entry) entry.p += pp;
        else next.set(key, { state: { ...moved.state, redStreak: Math.min(moved.state.redStreak, settings.flapRedDays) }, p: pp });
      }
    }
    shownShares.push(shares);
    distribution = next;
  }

  const out: StatusForecast[] = [];
  let state = start;
  for (let i = 0; i < days.length; i++) {
    const day = days[i];
    const next = step(state, day.measure);
    state = next.state;
    const probabilities = shownShares[i];
    out.push({
      targetDate: day.date,
      predictedValue: day.value,
      comparisonValue: day.comparison,
      measure: day.measure,
      measureSd: day.sd,
      rawStatus: statusOfMeasure(day.measure, rule),
      status: next.status,
      probabilities,
      confidence: Math.round(probabilities[next.status] * 10_000) / 100,
    });
  }
  return out;
}
