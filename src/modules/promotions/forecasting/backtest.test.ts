import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../shared/dates.js';
import { backtestOrigins, backtestSeries, chooseModel } from './backtest.js';
import { mase, seasonalNaiveScale, wape } from './metrics.js';
import { loadProphet } from './prophet-model.js';
import { calendarFactors, cleanMask, detectDipDays, prepareSeries, seasonalNaive, weekdayAverage, type DailySeries } from './series-models.js';
import { syntheticDays, toDailySeries } from './synthetic-sales.js';

beforeAll(async () => {
  await loadProphet();
});

describe('accuracy metrics', () => {
  it('computes WAPE and MASE as written by hand', () => {
    // |e| = 10 + 20 + 30 = 60 over Σ|y| = 600.
    expect(wape([100, 200, 300], [110, 180, 330])).toBeCloseTo(0.1, 12);
    expect(wape([0, 0], [1, 2])).toBeNull();
    // Weekly differences: |12−10| |18−20| |33−30| |40−40| |50−50| |66−60| |70−70| → 13/7.
    const training = [10, 20, 30, 40, 50, 60, 70, 12, 18, 33, 40, 50, 66, 70];
    const scale = seasonalNaiveScale(
      training,
      training.map(() => true),
    );
    expect(scale).toBeCloseTo(13 / 7, 12);
    // Mean |e| = 20, scaled by 13/7.
    expect(mase([100, 200, 300], [110, 180, 330], scale)).toBeCloseTo(140 / 13, 12);
    // A day that is not clean drops its pair: without day 13 (|66−60|) the scale is 7/6.
    const clean = training.map((_, i) => i !== 12);
    expect(seasonalNaiveScale(training, clean)).toBeCloseTo(7 / 6, 12);
    expect(mase([1], [2], null)).toBeNull();
  });

  it('breaks WAPE ties towards the simpler model', () => {
    const score = (wapeValue: number) => ({ wape: wapeValue, mase: 1, days: 10 });
    expect(chooseModel({ seasonal_naive: score(0.1), dow_average: score(0.1003), mstl: score(0.1002), mstl_log: null })).toBe('seasonal_naive');
    expect(chooseModel({ seasonal_naive: score(0.1), dow_average: score(0.09), mstl: score(0.0899), mstl_log: score(0.08) })).toBe('mstl_log');
    expect(chooseModel({ seasonal_naive: null, dow_average: null, mstl: null, mstl_log: null })).toBeNull();
  });

  it('prefers the model unbiased on held-out peak days among those within a point of the best clean-day WAPE', () => {
    const score = (wapeValue: number) => ({ wape: wapeValue, mase: 1, days: 100 });
    const models = { seasonal_naive: score(0.14), dow_average: score(0.17), mstl: score(0.094), mstl_log: score(0.1), prophet: score(0.1) };
    const leaveOut = (bias: number, days = 40) => ({ wape: Math.abs(bias) + 0.05, bias, days });
    // Without leave-out scores: the lowest WAPE.
    expect(chooseModel(models)).toBe('mstl');
    // Prophet is 0.6 points worse on clean days but unbiased on the peaks where MSTL runs 12 % low.
    const peaks = { seasonal_naive: leaveOut(-0.2), dow_average: leaveOut(-0.3), mstl: leaveOut(-0.12), mstl_log: leaveOut(-0.11), prophet: leaveOut(0.01) };
    expect(chooseModel(models, peaks)).toBe('prophet');
    // Among the fast models only, mstl_log (1 point worse is still within) is no better by more than 2 bias points: mstl.
    expect(chooseModel(models, peaks, ['seasonal_naive', 'dow_average', 'mstl', 'mstl_log'])).toBe('mstl');
    // More than a point worse on clean days is not eligible, however unbiased.
    expect(chooseModel({ ...models, prophet: score(0.105) }, peaks)).toBe('mstl');
    // Biases within 2 points of each other tie: the lower clean-day WAPE wins.
    expect(chooseModel(models, { ...peaks, mstl: leaveOut(-0.025) })).toBe('mstl');
    // Too few held-out days: the leave-out is not used.
    expect(chooseModel(models, { ...peaks, prophet: leaveOut(0.01, 5) })).toBe('mstl');
  });
});

describe('rolling-origin backtest on synthetic series', () => {
  it('chooses MSTL or Prophet where a strong yearly pattern dominates, and says the weekday average cannot follow it', () => {
    const series = toDailySeries(
      syntheticDays({ department: 'TV', channel: 'online', start: '2023-01-02', days: 3 * 365, level: 10_000, yearly: 0.4, noise: 0.03, seed: 7 }),
    );
    const last = addDays(series.start, series.sales.length - 1);
    // Origins in the autumn, where the yearly curve climbs fastest towards December.
    const origins = backtestOrigins(addDays(last, -40), 28, 4);
    const { result, ahead } = backtestSeries(series, origins, 28);
    expect(result.folds).toBe(4);
    // Chosen on the earlier folds only, the model scores folds 2–4 — and still beats the weekday average there.
    expect(ahead.get('chosen')!.days).toBe(3 * 28);
    expect(ahead.get('chosen')!.wape!).toBeLessThan(0.5 * ahead.get('dow_average')!.wape!);
    expect(result.scoredDays).toBe(4 * 28);
    expect(['mstl', 'mstl_log', 'prophet']).toContain(result.chosen);
    const chosen = result.models[result.chosen!]!.wape!;
    expect(chosen).toBeLessThan(result.models.seasonal_naive!.wape!);
    expect(chosen).toBeLessThan(0.5 * result.models.dow_average!.wape!);
  });

  it('on pure weekly noise the weekday average beats seasonal naive and the choice stays within noise of it', () => {
    const series = toDailySeries(
      syntheticDays({ department: 'Audio', channel: 'offline', start: '2025-01-06', days: 300, level: 5_000, noise: 0.15, seed: 11 }),
    );
    const last = addDays(series.start, series.sales.length - 1);
    const { result } = backtestSeries(series, backtestOrigins(last, 28, 4), 28);
    const dow = result.models.dow_average!;
    const naive = result.models.seasonal_naive!;
    // Naive carries one day's noise into every forecast; the average of ~40 days carries little.
    expect(dow.wape!).toBeLessThan(naive.wape!);
    expect(dow.mase!).toBeLessThan(naive.mase!);
    expect(result.models[result.chosen!]!.wape!).toBeGreaterThan(dow.wape! - 0.01);
    // The yearly period needs two years: a 300-day series gets MSTL with the weekly period only, and it still fits.
    expect(result.models.mstl).not.toBeNull();
  });

  it('never scores promo or dip days and measures the seed forecasts it is given on the same days', () => {
    const days = syntheticDays({
      department: 'Gaming',
      channel: 'online',
      start: '2025-01-06',
      days: 280,
      level: 2_000,
      noise: 0.02,
      seed: 3,
      promotions: { every: 21, length: 3, uplift: 2.2, discountPct: 20, offset: 5 },
      dip: { days: 2, depth: 0.6 },
    });
    const series = toDailySeries(days);
    const last = addDays(series.start, series.sales.length - 1);
    const origins = backtestOrigins(last, 28, 2);
    const seed = new Map(origins.map((o) => [o, new Map(Array.from({ length: 28 }, (_, h) => [addDays(o, h + 1), 2_000] as const))]));
    const { result, accumulators } = backtestSeries(series, origins, 28, seed);
    const testDays = days.slice(days.length - 56);
    let expected = 0;
    let sincePromo = 99;
    for (const [i, d] of days.entries()) {
      sincePromo = d.promo ? 0 : sincePromo + 1;
      if (i >= days.length - 56 && !d.promo && sincePromo > 2) expected++;
    }
    expect(testDays.some((d) => d.promo)).toBe(true);
    expect(result.dipDays).toBe(2);
    expect(result.scoredDays).toBe(expected);
    expect(accumulators.get('seed_dow_sql')!.days).toBe(expected);
    // With promotions imputed away, every model forecasts the baseline, not the promo-inflated average.
    expect(result.models.dow_average!.wape!).toBeLessThan(0.05);
    expect(result.models.mstl!.wape!).toBeLessThan(0.08);
  });
});

describe('promo-day exclusion', () => {
  const series: DailySeries = {
    department: 'TV',
    channel: 'online',
    start: '2026-01-05',
    // Five Mondays… of a constant weekly shape; week 3 is a promotion that doubles sales.
    sales: Array.from({ length: 35 }, (_, i) => (i >= 14 && i < 21 ? 200 : 100) + (i % 7)),
    margin: Array.from({ length: 35 }, () => 0),
    units: Array.from({ length: 35 }, () => 1),
    promo: Array.from({ length: 35 }, (_, i) => i >= 14 && i < 21),
  };

  it('imputes promo days from the neighbouring clean weeks and learns nothing from them', () => {
    const prepared = prepareSeries(series, addDays(series.start, 34))!;
    expect(prepared.clean.filter((c) => !c)).toHaveLength(7);
    expect(prepared.values.slice(14, 21)).toEqual([100, 101, 102, 103, 104, 105, 106]);
    const average = weekdayAverage(prepared, 7).forecast;
    expect(average).toEqual([100, 101, 102, 103, 104, 105, 106]);
  });

  it('steps seasonal naive back over promo days', () => {
    // Trained through the promo week's end: "7 days before" is a promo day, so the week before it is used.
    const prepared = prepareSeries(series, addDays(series.start, 20))!;
    expect(seasonalNaive(prepared, 7).forecast).toEqual([100, 101, 102, 103, 104, 105, 106]);
  });

  it('lifts an imputed promo day by the date effect its clean peers show that day', () => {
    // Four series at 100 a day; on day 24 every series sells 1.5× (a holiday), and the first is on promotion then.
    const make = (department: string, promoDay: number | null): DailySeries => ({
      department,
      channel: 'online',
      start: '2026-01-05',
      sales: Array.from({ length: 42 }, (_, i) => (i === 24 ? 150 : 100) * (i === promoDay ? 2 : 1)),
      margin: Array.from({ length: 42 }, () => 0),
      units: Array.from({ length: 42 }, () => 1),
      promo: Array.from({ length: 42 }, (_, i) => i === promoDay),
    });
    const all = [make('TV', 24), make('Audio', null), make('Photo', null), make('Mobile', null)];
    const end = addDays('2026-01-05', 41);
    const factors = calendarFactors(all, end);
    expect(factors.get(addDays('2026-01-05', 24))).toBeCloseTo(1.5, 10);
    expect(factors.get(addDays('2026-01-05', 23))).toBeCloseTo(1, 10);
    expect(prepareSeries(all[0], end, undefined, factors)!.values[24]).toBeCloseTo(150, 10);
    expect(prepareSeries(all[0], end)!.values[24]).toBeCloseTo(100, 10);
    // Two clean peers are not enough to believe a date effect.
    expect(calendarFactors(all.slice(0, 3), end).has(addDays('2026-01-05', 24))).toBe(false);
  });

  it('finds the post-promo dip only when the data shows one', () => {
    const withDip = toDailySeries(
      syntheticDays({
        department: 'TV',
        channel: 'online',
        start: '2025-01-06',
        days: 200,
        level: 1_000,
        noise: 0.02,
        promotions: { every: 30, length: 4, uplift: 2, discountPct: 15, offset: 40 },
        dip: { days: 3, depth: 0.7 },
      }),
    );
    expect(detectDipDays(withDip.sales, withDip.promo)).toBe(3);
    const mask = cleanMask(withDip, 3);
    // The promotion starting on day 40 lasts four days; days 44–46 are its dip.
    expect(mask.slice(39, 48)).toEqual([true, false, false, false, false, false, false, false, true]);
    const noDip = { ...withDip, sales: withDip.sales.map((v, i) => (withDip.promo[i] || v === null ? v : 1_000)) };
    expect(detectDipDays(noDip.sales, noDip.promo)).toBe(0);
  });
});
