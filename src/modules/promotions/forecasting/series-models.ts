import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initSync, MSTL } from '@bsull/augurs/mstl';
import { addDays, dayOfWeek, type IsoDate } from '../shared/dates.js';
import { prophetModel } from './prophet-model.js';

/**
 * Baseline models on one department × channel daily series. Everything here is pure: a series goes in as arrays
 * (one slot per calendar day, gap-free), forecasts come out as arrays. Promo days — and the post-promo dip days the
 * data shows — are not "baseline": they are imputed from the seasonal pattern before fitting and never scored.
 */

export const weeklyPeriod = 7;
export const yearlyPeriod = 365;
/** MSTL gets a yearly period only with two full years of history (one cycle cannot be told from trend). */
export const yearlyMinimumDays = 2 * yearlyPeriod;
/**
 * Longest history a model is fitted on: two yearly cycles plus ten weeks. On the demo chain this scored as well as
 * three years (WAPE 9.5 % vs 9.6 % for MSTL) with a fit about half as long (~35 ms instead of ~70 ms per series).
 */
export const maxTrainingDays = 800;
/** Longest window when a caller asks for in-sample values further back (e.g. uplift fitted over the whole history). */
export const maxInSampleDays = 5 * 365 + 1;
/** The most days after a promotion that can count as its dip. */
export const maxDipDays = 7;
/** A day after a promotion counts as dip when, over past promotions, it sold below this share of its usual level. */
const dipRatioThreshold = 0.95;
/** Promotions needed before a dip is believed. */
const dipMinimumEvents = 3;

/** Models in order of simplicity: on a WAPE tie the earlier one wins. */
export const baselineModels = ['seasonal_naive', 'dow_average', 'mstl', 'mstl_log', 'prophet'] as const;
export type BaselineModel = (typeof baselineModels)[number];
/**
 * Models too slow to fit on a request's path (Prophet: ~0.1–0.5 s per series): fitted by the backtest, the refresh job
 * that stores baseline_forecasts, and explicit-training-end requests (post-mortems); a live request that misses the
 * stored rows uses the series' best fast model instead.
 */
export const slowModels: ReadonlySet<BaselineModel> = new Set(['prophet']);
/** The seed's calculate_baseline_forecast, measured as the SQL function itself (reported, not a candidate). */
export const seedModel = 'seed_dow_sql';
/** Used when no backtest has chosen a model: the seed's rule on this organization's data. */
export const fallbackModel: BaselineModel = 'dow_average';

export const modelDescriptions: Record<BaselineModel | typeof seedModel, string> = {
  seasonal_naive: 'Seasonal naive: the value 7 days earlier, stepping back over promo and dip days',
  dow_average: 'Weekday average of non-promo days up to the training end (the seed rule, without look-ahead)',
  mstl: 'MSTL (augurs; weekly, plus yearly with ≥ 2 years of history; AutoETS trend) on promo-imputed sales',
  mstl_log: 'MSTL as above on log sales (multiplicative seasonality)',
  prophet:
    'Prophet (augurs + wasmstan) on log sales: weekly/yearly seasonality, German public holidays and retail peaks (Black Friday week, Advent weeks, Christmas days, football tournaments) as holidays, fitted on ALL days with promo flag, discount, days 1–14 after a promotion and the share of other departments promoted as regressors; the baseline is its prediction with those regressors at 0',
  seed_dow_sql: 'promotions.calculate_baseline_forecast as written (weekday average of every non-promo row; it has no training end)',
};

/** One department × channel, one slot per day from `start`. */
export interface DailySeries {
  department: string;
  channel: string;
  start: IsoDate;
  /** Sales value per day; null where the day has no row at all. */
  sales: (number | null)[];
  margin: number[];
  units: number[];
  /** Any promo row that day. */
  promo: boolean[];
  /** The day's largest discount_pct on promo rows (percent), null where unknown or not a promo day. Optional. */
  discount?: (number | null)[];
  /**
   * Share (0–1) of the OTHER departments of the same channel on promotion that day (cannibalisation and halo act
   * through it). Optional; see withOthersPromoted.
   */
  othersPromoted?: number[];
}

/** A series cut at a training end, with its promo/dip days masked and imputed. */
export interface PreparedSeries {
  start: IsoDate;
  /** Imputed values: what a model is fitted on. */
  values: number[];
  /** true where the day is an observed, non-promo, non-dip day. */
  clean: boolean[];
  dipDays: number;
  /** The observed sales per training day (null where there was no row), promo days included: what Prophet fits. */
  observed: (number | null)[];
  promo: boolean[];
  /** Discount as a fraction (0.2 = 20 %) on promo days, 0 elsewhere. */
  discount: number[];
  /** See DailySeries.othersPromoted (0 where unknown). */
  othersPromoted: number[];
}

let augursReady = false;

/** Loads the augurs WASM once per process; the export map hides the .wasm file, so resolve it next to mstl.js. */
function ensureAugursLoaded(): void {
  if (augursReady) return;
  const entry = createRequire(import.meta.url).resolve('@bsull/augurs/mstl');
  initSync({ module: readFileSync(join(dirname(entry), 'mstl_bg.wasm')) });
  augursReady = true;
}

/** Index of `date` in a series starting at `start`. */
export function dayIndex(start: IsoDate, date: IsoDate): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
}

/**
 * How many days after a promotion's last day sell visibly below normal, learned from the promotions in `[0, end)`:
 * for each day k = 1…7 after a promotion, the mean ratio of sales to the same weekday's clean average in the four
 * weeks before that promotion. The dip is the leading run of k whose ratio is below 0.95.
 */
export function detectDipDays(sales: readonly (number | null)[], promo: readonly boolean[], end = sales.length): number {
  const ratios: number[][] = Array.from({ length: maxDipDays }, () => []);
  let i = 0;
  while (i < end) {
    if (!promo[i]) {
      i++;
      continue;
    }
    const runStart = i;
    while (i < end && promo[i]) i++;
    const runEnd = i - 1;
    for (let k = 1; k <= maxDipDays; k++) {
      const d = runEnd + k;
      if (d >= end || promo[d]) break;
      const y = sales[d];
      if (y === null) continue;
      const ref: number[] = [];
      for (let back = runStart - 7 + ((d - runStart) % 7); back >= runStart - 35 && back >= 0; back -= 7) {
        const v = sales[back];
        if (v !== null && !promo[back]) ref.push(v);
      }
      if (ref.length === 0) continue;
      const level = ref.reduce((a, b) => a + b, 0) / ref.length;
      if (level > 0) ratios[k - 1].push(y / level);
    }
  }
  let dip = 0;
  for (const list of ratios) {
    if (list.length < dipMinimumEvents) break;
    const mean = list.reduce((a, b) => a + b, 0) / list.length;
    if (mean >= dipRatioThreshold) break;
    dip++;
  }
  return dip;
}

/** Marks promo, missing and post-promo dip days in `[from, to)` as not clean. */
export function cleanMask(series: DailySeries, dipDays: number, from = 0, to = series.sales.length): boolean[] {
  const clean: boolean[] = [];
  let sincePromo = Number.POSITIVE_INFINITY;
  for (let i = 0; i < from; i++) sincePromo = series.promo[i] ? 0 : sincePromo + 1;
  for (let i = from; i < to; i++) {
    if (series.promo[i]) sincePromo = 0;
    else sincePromo++;
    clean.push(!series.promo[i] && series.sales[i] !== null && sincePromo > dipDays);
  }
  return clean;
}

/** The mean of the nearest clean same-weekday values before and after day `i` (within eight weeks), or null. */
function neighbourInterpolation(raw: readonly (number | null)[], clean: readonly boolean[], i: number): number | null {
  let sum = 0;
  let n = 0;
  for (let j = i - 7; j >= 0 && j >= i - 56; j -= 7) {
    if (clean[j]) {
      sum += raw[j]!;
      n++;
      break;
    }
  }
  for (let j = i + 7; j < raw.length && j <= i + 56; j += 7) {
    if (clean[j]) {
      sum += raw[j]!;
      n++;
      break;
    }
  }
  return n ? sum / n : null;
}

/**
 * Fills each series' othersPromoted: per day, the share of the other series of its channel that were promoted. The
 * no-promotion baseline is "no promotion anywhere", so Prophet gets this as a regressor set to 0 in the baseline.
 */
export function withOthersPromoted(seriesList: DailySeries[]): DailySeries[] {
  const promotedByChannelDate = new Map<string, number>();
  const seriesPerChannel = new Map<string, number>();
  for (const s of seriesList) {
    seriesPerChannel.set(s.channel, (seriesPerChannel.get(s.channel) ?? 0) + 1);
    s.promo.forEach((p, k) => {
      if (!p) return;
      const key = `${s.channel}|${addDays(s.start, k)}`;
      promotedByChannelDate.set(key, (promotedByChannelDate.get(key) ?? 0) + 1);
    });
  }
  for (const s of seriesList) {
    const others = (seriesPerChannel.get(s.channel) ?? 1) - 1;
    s.othersPromoted = s.promo.map((p, k) => {
      if (others === 0) return 0;
      const count = (promotedByChannelDate.get(`${s.channel}|${addDays(s.start, k)}`) ?? 0) - (p ? 1 : 0);
      return count / others;
    });
  }
  return seriesList;
}

/** Series that must be clean on a date before its calendar factor is believed. */
export const calendarMinimumSeries = 3;

/**
 * Date effects shared by the series (Christmas run-up, holidays, a football tournament) that the neighbouring weeks
 * of a promo day do not show, because promotions sit on exactly those dates every year. For each date up to
 * `trainedThrough`: the median, over the series that were clean that day, of sales ÷ the same neighbour
 * interpolation a promo day gets. Only dates with at least three clean series get a factor (clipped to 0.5–2).
 */
export function calendarFactors(seriesList: readonly DailySeries[], trainedThrough: IsoDate, windowDays = maxTrainingDays): Map<IsoDate, number> {
  const ratios = new Map<IsoDate, number[]>();
  for (const series of seriesList) {
    const endIndex = Math.min(series.sales.length - 1, dayIndex(series.start, trainedThrough));
    if (endIndex < 0) continue;
    const dipDays = detectDipDays(series.sales, series.promo, endIndex + 1);
    const startIndex = Math.max(0, endIndex + 1 - windowDays);
    const clean = cleanMask(series, dipDays, startIndex, endIndex + 1);
    const raw = series.sales.slice(startIndex, endIndex + 1);
    for (let i = 0; i < raw.length; i++) {
      if (!clean[i]) continue;
      const expected = neighbourInterpolation(raw, clean, i);
      if (!expected || !(expected > 0)) continue;
      const date = addDays(series.start, startIndex + i);
      const list = ratios.get(date) ?? [];
      list.push(raw[i]! / expected);
      ratios.set(date, list);
    }
  }
  const factors = new Map<IsoDate, number>();
  for (const [date, list] of ratios) {
    if (list.length < calendarMinimumSeries) continue;
    const sorted = list.sort((a, b) => a - b);
    const mid = sorted.length / 2;
    const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
    factors.set(date, Math.min(2, Math.max(0.5, median)));
  }
  return factors;
}

/**
 * Cuts a series at `trainedThrough` (inclusive, at most `windowDays` back) and imputes promo, dip and missing
 * days: the mean of the nearest clean same-weekday values before and after (within eight weeks and the training
 * window) times the date's calendar factor when one is given, else that weekday's clean mean, else the overall
 * clean mean.
 */
export function prepareSeries(
  series: DailySeries,
  trainedThrough: IsoDate,
  windowDays = maxTrainingDays,
  factors?: ReadonlyMap<IsoDate, number>,
): PreparedSeries | null {
  const endIndex = Math.min(series.sales.length - 1, dayIndex(series.start, trainedThrough));
  if (endIndex < 0) return null;
  const dipDays = detectDipDays(series.sales, series.promo, endIndex + 1);
  const startIndex = Math.max(0, endIndex + 1 - windowDays);
  const clean = cleanMask(series, dipDays, startIndex, endIndex + 1);
  const raw = series.sales.slice(startIndex, endIndex + 1);
  const n = raw.length;
  if (!clean.some(Boolean)) return null;
  const weekdaySum = new Array<number>(7).fill(0);
  const weekdayCount = new Array<number>(7).fill(0);
  let total = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!clean[i]) continue;
    weekdaySum[i % 7] += raw[i]!;
    weekdayCount[i % 7]++;
    total += raw[i]!;
    count++;
  }
  const start = addDays(series.start, startIndex);
  const values = raw.map((v, i) => {
    if (clean[i]) return v!;
    const near = neighbourInterpolation(raw, clean, i);
    if (near !== null) return near * (factors?.get(addDays(start, i)) ?? 1);
    return weekdayCount[i % 7] ? weekdaySum[i % 7] / weekdayCount[i % 7] : total / count;
  });
  const promo = series.promo.slice(startIndex, endIndex + 1);
  const discount = promo.map((p, i) => (p ? Math.max(0, Math.min(1, (series.discount?.[startIndex + i] ?? 0) / 100)) : 0));
  const othersPromoted = raw.map((_, i) => series.othersPromoted?.[startIndex + i] ?? 0);
  return { start, values, clean, dipDays, observed: raw, promo, discount, othersPromoted };
}

export interface ModelOutput {
  /** Forecast for the `horizon` days after the training end. */
  forecast: number[];
  /** Fitted value for each training day (for past days in the sales explorer). */
  inSample: number[];
}

/** Forecasts `horizon` days after the end of `prepared` with one model; null when the model cannot fit this series. */
export function runModel(model: BaselineModel, prepared: PreparedSeries, horizon: number): ModelOutput | null {
  switch (model) {
    case 'seasonal_naive':
      return seasonalNaive(prepared, horizon);
    case 'dow_average':
      return weekdayAverage(prepared, horizon);
    case 'mstl':
      return mstl(prepared, horizon, false);
    case 'mstl_log':
      return mstl(prepared, horizon, true);
    case 'prophet':
      return prophetModel(prepared, horizon);
  }
}

/** The latest clean value at `index − 7k` (k ≥ 1) — stepping back over promo and dip days — else the imputed one. */
function sameWeekdayBefore(prepared: PreparedSeries, index: number): number {
  for (let j = index - 7; j >= 0; j -= 7) if (prepared.clean[j]) return prepared.values[j];
  const first = ((index % 7) + 7) % 7;
  return prepared.values[first] ?? prepared.values[0];
}

export function seasonalNaive(prepared: PreparedSeries, horizon: number): ModelOutput {
  const n = prepared.values.length;
  const forecast: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const target = n - 1 + h;
    // The last training day with the same weekday, then back over unclean days.
    const last = target - 7 * Math.ceil(h / 7);
    forecast.push(prepared.clean[last] ? prepared.values[last] : sameWeekdayBefore(prepared, last));
  }
  const inSample = prepared.values.map((v, i) => (i < 7 ? v : sameWeekdayBefore(prepared, i)));
  return { forecast, inSample };
}

export function weekdayAverage(prepared: PreparedSeries, horizon: number): ModelOutput {
  const sum = new Array<number>(7).fill(0);
  const count = new Array<number>(7).fill(0);
  prepared.values.forEach((v, i) => {
    if (!prepared.clean[i]) return;
    sum[i % 7] += v;
    count[i % 7]++;
  });
  const overall =
    sum.reduce((a, b) => a + b, 0) /
    Math.max(
      1,
      count.reduce((a, b) => a + b, 0),
    );
  const mean = (slot: number) => (count[slot] ? sum[slot] / count[slot] : overall);
  const n = prepared.values.length;
  return {
    forecast: Array.from({ length: horizon }, (_, h) => mean((n + h) % 7)),
    inSample: prepared.values.map((_, i) => mean(i % 7)),
  };
}

function mstl(prepared: PreparedSeries, horizon: number, log: boolean): ModelOutput | null {
  if (prepared.values.length < 3 * weeklyPeriod) return null;
  if (log && prepared.values.some((v) => !(v > 0))) return null;
  ensureAugursLoaded();
  const periods = prepared.values.length >= yearlyMinimumDays ? [weeklyPeriod, yearlyPeriod] : [weeklyPeriod];
  const model = MSTL.ets(periods);
  try {
    model.fit(Float64Array.from(log ? prepared.values.map(Math.log) : prepared.values));
    const back = (v: number) => (log ? Math.exp(v) : v);
    const fallback = prepared.values[prepared.values.length - 1];
    const clamp = (v: number) => (Number.isFinite(v) ? Math.max(0, back(v)) : fallback);
    return {
      forecast: model.predict(horizon, undefined).point.map(clamp),
      inSample: model.predictInSample().point.map(clamp),
    };
  } finally {
    model.free();
  }
}

/** The weekday of training day `index` (0 = Sunday), for callers that key rates by weekday. */
export const weekdayOf = (prepared: PreparedSeries, index: number) => dayOfWeek(addDays(prepared.start, index));
