import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initSync, Prophet, type ProphetHoliday, type ProphetPredictionData } from '@bsull/augurs/prophet';
import { addDays, type IsoDate } from '../shared/dates.js';
import { calendarEvents } from './retail-calendar.js';
import type { ModelOutput, PreparedSeries } from './series-models.js';

/**
 * Prophet as a baseline model. Unlike the other models it is fitted on ALL observed days, promo days included, with
 * the promotion as regressors (promo flag, discount when it varies, days 1–3 / 4–7 / 8–14 after a promotion, the
 * share of the channel's other departments on promotion), and the known
 * calendar (German public holidays, Black Friday week, Advent weeks, the days around Christmas, football tournaments)
 * as holidays. Promotions sitting on the same peaks every year are then separated from the peaks: the peak is learned
 * from its unpromoted days and years, the promotion from its off-peak occurrences. The baseline is the model's
 * prediction with the promotion regressors at 0.
 */

/** The optimizer (Prophet's Stan model in WASM) loads asynchronously (top-level await), so it is awaited once here. */
type Optimizer = ConstructorParameters<typeof Prophet>[0]['optimizer'];
let optimizer: Optimizer | null = null;
let loading: Promise<void> | null = null;

/** Loads Prophet's WASM (sync, like MSTL) and the wasmstan optimizer (async import); call before runModel('prophet'). */
export function loadProphet(): Promise<void> {
  loading ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@bsull/augurs/prophet');
    initSync({ module: readFileSync(join(dirname(entry), 'prophet_bg.wasm')) });
    const wasmstan = await import('@bsull/augurs-prophet-wasmstan');
    optimizer = wasmstan.optimizer as unknown as Optimizer;
  })();
  return loading;
}

export const prophetLoaded = () => optimizer !== null;

/** Prior scale of the calendar effects: tighter than Prophet's 100, since most events have only two or three past occurrences. */
const holidaysPriorScale = 10;
/** Prior scale of the promotion regressors (on the multiplicative scale: 10 leaves a doubling or more possible). */
const promoPriorScale = 10;

const seconds = (date: IsoDate) => Date.parse(`${date}T00:00:00Z`) / 1000;

export interface ProphetFit extends ModelOutput {
  /**
   * Fitted values with the promotion regressors as they were (promo days as sold), for diagnostics: the promotion's
   * effect on a day is inSampleWithPromo / inSample − 1.
   */
  inSampleWithPromo: number[];
  regressors: string[];
  holidays: string[];
  fitMs: number;
  /** 1 when the first fit converged; 2–3 when events had to be dropped (see fitProphet). */
  attempts: number;
}

/**
 * Fits Prophet on `prepared` (observed days up to the training end) and forecasts `horizon` days ahead. null when
 * there are fewer than three weeks of observed days or the optimizer fails even without calendar events. Throws when
 * loadProphet() was not awaited.
 */
export function fitProphet(prepared: PreparedSeries, horizon: number, scale: 'log' | 'multiplicative' = 'log'): ProphetFit | null {
  if (!optimizer) throw new Error('Prophet is not loaded: await loadProphet() before fitting the prophet baseline model.');
  const n = prepared.values.length;
  const log = scale === 'log';
  const train = prepared.observed.flatMap((v, i) => (v !== null && Number.isFinite(v) && (!log || v > 0) ? [i] : []));
  if (train.length < 21) return null;
  const dates = Array.from({ length: n + horizon }, (_, i) => addDays(prepared.start, i));
  const ds = dates.map(seconds);

  // Promotion regressors; a column that is constant over the training days is left out (it cannot be estimated).
  // Days since the last promo day (0 on promo days, Infinity before the first). The after-promo blocks reach 14 days,
  // past the ≤ 7 dip days the clean mask learns: on the demo a dip fades over up to two weeks, and leaving days 8–14
  // to the level put the promo-day baseline 5 % low (−2 % with them).
  const since: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n + horizon; i++) {
    if (i < n && prepared.promo[i]) last = i;
    since.push(i - last);
  }
  const afterPromo = (from: number, to: number) => since.map((k) => (k >= from && k <= to ? 1 : 0));
  const columns = new Map<string, number[]>([
    ['promo', prepared.promo.map((p) => (p ? 1 : 0))],
    ['discount', prepared.discount],
    ['after_promo_1_3', afterPromo(1, 3)],
    ['after_promo_4_7', afterPromo(4, 7)],
    ['after_promo_8_14', afterPromo(8, 14)],
    ['others_promoted', prepared.othersPromoted],
  ]);
  const regressors = [...columns.keys()].filter((name) => {
    const col = columns.get(name)!;
    if (name === 'discount') {
      // Collinear with the flag unless discounts differ between promo days.
      const levels = new Set(train.filter((i) => prepared.promo[i]).map((i) => col[i]));
      return levels.size >= 2;
    }
    return train.some((i) => col[i] !== 0);
  });

  // Calendar events with days in the training data (others would have no data behind their effect).
  const trainDates = new Set(train.map((i) => dates[i]));
  const events = new Map<string, { holiday: ProphetHoliday; trainingDays: number }>();
  for (const event of calendarEvents(prepared.start, dates[dates.length - 1])) {
    const entry = events.get(event.name) ?? { holiday: { occurrences: [] }, trainingDays: 0 };
    entry.holiday.occurrences.push({ start: seconds(event.from), end: seconds(addDays(event.to, 1)) });
    for (let d = event.from; d <= event.to; d = addDays(d, 1)) if (trainDates.has(d)) entry.trainingDays++;
    events.set(event.name, entry);
  }
  const withDays = (minimum: number) => new Map([...events].filter(([, e]) => e.trainingDays >= minimum).map(([name, e]) => [name, e.holiday] as const));

  const zeros = (length: number) => new Array<number>(length).fill(0);
  const data = (from: number, to: number, withPromo: boolean): ProphetPredictionData => ({
    ds: ds.slice(from, to),
    ...(regressors.length ? { x: new Map(regressors.map((name) => [name, withPromo ? columns.get(name)!.slice(from, to) : zeros(to - from)])) } : {}),
  });
  const training = {
    ds: train.map((i) => ds[i]),
    y: train.map((i) => (log ? Math.log(prepared.observed[i]!) : prepared.observed[i]!)),
    ...(regressors.length ? { x: new Map(regressors.map((name) => [name, train.map((i) => columns.get(name)![i])])) } : {}),
  };
  const fallback = prepared.values[n - 1];
  const clamp = (v: number) => {
    const back = log ? Math.exp(v) : v;
    return Number.isFinite(back) ? Math.max(0, back) : fallback;
  };

  // The optimizer (L-BFGS, then Newton) occasionally fails on an ill-conditioned design — typically an event with
  // only a day or two of history. Retry without events seen on fewer than 7 training days, then without events.
  const attempts = [withDays(1), withDays(7), new Map<string, ProphetHoliday>()];
  const started = performance.now();
  for (const [attempt, holidays] of attempts.entries()) {
    if (attempt > 0 && holidays.size === attempts[attempt - 1].size && attempt < attempts.length - 1) continue;
    const model = new Prophet({
      optimizer,
      seasonalityMode: log ? 'additive' : 'multiplicative',
      holidays,
      holidaysPriorScale,
      uncertaintySamples: 0,
      // Log sales vary little relative to their size (7.0–7.5): scale by the range, not the maximum, or the optimizer
      // works with a near-constant series and can fail.
      scaling: log ? 'minMax' : 'absMax',
    });
    try {
      for (const name of regressors) model.addRegressor(name, { mode: log ? 'additive' : 'multiplicative', priorScale: promoPriorScale, standardize: 'no' });
      try {
        // A fixed seed: the same data gives (nearly: the optimizer's tolerance) the same baseline on every refresh.
        model.fit(training, { seed: 20261205 });
      } catch {
        continue;
      }
      const fitMs = performance.now() - started;
      const inSample = model.predict(data(0, n, false)).yhat.point.map(clamp);
      const inSampleWithPromo = regressors.length ? model.predict(data(0, n, true)).yhat.point.map(clamp) : inSample;
      const forecast = horizon > 0 ? model.predict(data(n, n + horizon, false)).yhat.point.map(clamp) : [];
      return { forecast, inSample, inSampleWithPromo, regressors, holidays: [...holidays.keys()], fitMs, attempts: attempt + 1 };
    } finally {
      model.free();
    }
  }
  return null;
}

/** runModel's entry: the baseline (promotion regressors at 0); null when Prophet cannot fit the series. */
export function prophetModel(prepared: PreparedSeries, horizon: number): ModelOutput | null {
  const fit = fitProphet(prepared, horizon);
  return fit ? { forecast: fit.forecast, inSample: fit.inSample } : null;
}
