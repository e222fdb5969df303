import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initSync, MSTL } from '@bsull/augurs/mstl';

/** Stored with every prediction, so accuracy can be traced to the model that made it. */
export const modelVersion = 'mstl-ets-v1';

/** Weekly seasonality of store trading; the only period an 8-week window can estimate. */
export const weeklyPeriod = 7;
/** Level of augurs' prediction intervals; converted to a standard deviation below. */
const intervalLevel = 0.8;
const intervalZ = 1.2815515655446004;
/** MSTL needs at least two full seasonal cycles plus a few points for the trend model. */
export const minimumTrainingDays = 3 * weeklyPeriod;

let augursReady = false;

/** Loads the WASM once per process; the package's export map hides the .wasm file, so resolve it next to mstl.js. */
function ensureAugursLoaded(): void {
  if (augursReady) return;
  const entry = createRequire(import.meta.url).resolve('@bsull/augurs/mstl');
  initSync({ module: readFileSync(join(dirname(entry), 'mstl_bg.wasm')) });
  augursReady = true;
}

export interface SeriesForecast {
  /** Point forecasts for the next `horizon` days. */
  point: number[];
  /** Standard deviation of each day's forecast error. */
  sd: number[];
}

/** Days the recent-trend check looks at: two weekly cycles — three lagged too much behind a fresh slide. */
export const recentTrendDays = 2 * weeklyPeriod;
/** The recent trend overrides the model's only when it is this many standard errors from zero. */
const trendSignificance = 2;

/**
 * Fits MSTL (weekly period, AutoETS trend) to a gap-free daily series and forecasts `horizon` days.
 *
 * Two corrections on top, both measured on the synthetic backtest (see README in this folder):
 * - AutoETS on eight weeks mostly picks a model without trend, so a store sliding for two weeks is forecast flat —
 *   and a flat forecast against a falling 4-week baseline reads as recovery. When the last two weeks show a
 *   significant slope (regression with one intercept per weekday), the forecast follows that slope instead of
 *   the model's; the slope's standard error widens the spread.
 * - The error spread is the wider of the model's interval and the in-sample residual spread: the ETS interval
 *   covers only the trend component and comes out too narrow on short, noisy store series.
 */
export function forecastDailySeries(rawValues: readonly number[], horizon: number): SeriesForecast {
  ensureAugursLoaded();
  const values = clipOutliers(rawValues);
  const model = MSTL.ets([weeklyPeriod]);
  // Two extra weeks let the model's own slope be read off same-weekday differences.
  const steps = Math.max(horizon, 2 * weeklyPeriod);
  try {
    model.fit(Float64Array.from(values));
    const forecast = model.predict(steps, intervalLevel);
    const fitted = model.predictInSample().point;
    const residualSd = residualSpread(values, fitted);
    const point = forecast.point.map((p) => (Number.isFinite(p) ? p : values[values.length - 1]));
    // Relative (log) slopes where the series is positive — a weekly cycle scales with the level, so a trend does
    // too; absolute slopes for series that touch zero (e.g. call-out hours).
    const relative = values.every((v) => v > 0) && point.every((p) => p > 0);
    const transform = relative ? Math.log : (v: number) => v;
    const recent = recentSlope(values.map(transform));
    let slopeCorrection = 0;
    let slopeSe = 0;
    if (recent && Math.abs(recent.slope) >= trendSignificance * recent.se) {
      let modelSlope = 0;
      for (let k = 0; k < weeklyPeriod; k++) modelSlope += (transform(point[k + weeklyPeriod]) - transform(point[k])) / weeklyPeriod;
      slopeCorrection = recent.slope - modelSlope / weeklyPeriod;
      slopeSe = recent.se;
    }
    const corrected = point.slice(0, horizon).map((p, h) => (relative ? p * Math.exp(slopeCorrection * (h + 1)) : p + slopeCorrection * (h + 1)));
    return {
      point: corrected,
      sd: corrected.map((p, h) => {
        const intervalSd = forecast.intervals ? (forecast.intervals.upper[h] - forecast.intervals.lower[h]) / (2 * intervalZ) : 0;
        const base = Math.max(Number.isFinite(intervalSd) ? intervalSd : 0, residualSd * Math.sqrt(1 + h / weeklyPeriod));
        const trendSd = slopeSe * (h + 1) * (relative ? p : 1);
        return Math.sqrt(base * base + trendSd * trendSd);
      }),
    };
  } finally {
    model.free();
  }
}

/**
 * Clamps values further than 6 robust standard deviations (MAD × 1.4826) from the median: one mistyped import
 * (a 1,000,000 among thousands) would otherwise bend the seasonal component for eight weeks. Wide enough to keep
 * a weekly cycle and a real slump.
 */
export function clipOutliers(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const deviations = values.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  const spread = deviations[Math.floor(deviations.length / 2)] * 1.4826;
  if (!(spread > 0)) return [...values];
  const low = median - 6 * spread;
  const high = median + 6 * spread;
  return values.map((v) => Math.min(high, Math.max(low, v)));
}

/** Least-squares slope per day over the last `recentTrendDays` values, with one intercept per weekday. */
export function recentSlope(values: readonly number[]): { slope: number; se: number } | null {
  const n = Math.min(recentTrendDays, values.length);
  if (n < 2 * weeklyPeriod) return null;
  const start = values.length - n;
  const groups = Array.from({ length: weeklyPeriod }, () => ({ xs: [] as number[], ys: [] as number[] }));
  for (let i = start; i < values.length; i++) {
    groups[i % weeklyPeriod].xs.push(i);
    groups[i % weeklyPeriod].ys.push(values[i]);
  }
  let sxy = 0;
  let sxx = 0;
  const centred: { x: number; y: number }[] = [];
  for (const { xs, ys } of groups) {
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    for (let j = 0; j < xs.length; j++) {
      centred.push({ x: xs[j] - mx, y: ys[j] - my });
      sxy += (xs[j] - mx) * (ys[j] - my);
      sxx += (xs[j] - mx) ** 2;
    }
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const dof = n - weeklyPeriod - 1;
  const rss = centred.reduce((sum, c) => sum + (c.y - slope * c.x) ** 2, 0);
  return { slope, se: Math.sqrt(rss / Math.max(1, dof) / sxx) };
}

function residualSpread(values: readonly number[], fitted: readonly number[]): number {
  let sum = 0;
  let n = 0;
  // The first cycle is fitted poorly by construction; leave it out of the spread.
  for (let i = weeklyPeriod; i < values.length && i < fitted.length; i++) {
    const r = values[i] - fitted[i];
    if (Number.isFinite(r)) {
      sum += r * r;
      n++;
    }
  }
  return n > 1 ? Math.sqrt(sum / (n - 1)) : 0;
}
