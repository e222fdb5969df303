import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, daysBetween, eachDay } from '../shared/dates.js';
import { fitProphet, loadProphet } from './prophet-model.js';
import { eventDates } from './retail-calendar.js';
import { prepareSeries, runModel, type DailySeries } from './series-models.js';
import { retailWeekly, seededRandom } from './synthetic-sales.js';

/**
 * Three years of one series whose December Advent weeks sell 50 % more, with a promotion (+60 % at 25 % off) sitting
 * on 10–20 December every year, plus a 4-day promotion every 6 weeks off-peak (+60 % at 25 %, i.e. the same effect).
 * The true no-promotion sales are known per day.
 */
const start = '2023-12-04';
const days = 3 * 365;
const trainedThrough = addDays(start, days - 1);
const peakDays = eventDates(start, trainedThrough);
const random = seededRandom(11);
const truth: number[] = [];
const series: DailySeries = { department: 'TV', channel: 'online', start, sales: [], margin: [], units: [], promo: [], discount: [] };
for (let i = 0; i < days; i++) {
  const date = addDays(start, i);
  const md = date.slice(5);
  const advent = md >= '12-01' && md <= '12-23';
  const baseline = 2_000 * retailWeekly[dayOfWeek(date)] * (advent ? 1.5 : 1) * (1 + 0.1 * (i / 365)) * (1 + 0.08 * (random() - 0.5));
  const promo = (md >= '12-10' && md <= '12-20') || (i % 42 >= 20 && i % 42 < 24 && !peakDays.has(date));
  truth.push(baseline);
  series.sales.push(promo ? baseline * 1.6 : baseline);
  series.margin.push(0);
  series.units.push(0);
  series.promo.push(promo);
  series.discount!.push(promo ? 25 : null);
}

const promoIndexes = series.promo.flatMap((p, i) => (p ? [i] : []));
const peakPromo = promoIndexes.filter((i) => addDays(start, i).slice(5, 7) === '12');
const bias = (values: readonly number[], indexes: readonly number[]) =>
  indexes.reduce((s, i) => s + values[i] - truth[i], 0) / indexes.reduce((s, i) => s + truth[i], 0);

beforeAll(async () => {
  await loadProphet();
});

describe('prophet baseline with promo regressors and the retail calendar', () => {
  it('recovers the promotion effect and an unbiased baseline on promoted peak days, where imputation is biased low', () => {
    // The whole history (promo days included) is the training window, as for the stored in-sample baseline.
    const prepared = prepareSeries(series, trainedThrough, days)!;
    expect(prepared.observed.filter((v) => v !== null)).toHaveLength(days);
    const fit = fitProphet(prepared, 28)!;
    expect(fit.regressors).toContain('promo');
    expect(fit.holidays).toEqual(expect.arrayContaining(['advent_mid', 'advent_late']));

    // The promotion effect (+60 %) is recovered on the promo days: fitted with the regressors / without.
    const effect = promoIndexes.reduce((s, i) => s + fit.inSampleWithPromo[i], 0) / promoIndexes.reduce((s, i) => s + fit.inSample[i], 0) - 1;
    expect(effect).toBeGreaterThan(0.5);
    expect(effect).toBeLessThan(0.7);

    // The baseline on promo days (regressors at 0) is within 5 % of the truth, December peak days included.
    expect(Math.abs(bias(fit.inSample, promoIndexes))).toBeLessThan(0.05);
    expect(Math.abs(bias(fit.inSample, peakPromo))).toBeLessThan(0.05);

    // MSTL on the promo-imputed series cannot see the peak under the promotions: its baseline there runs low.
    const mstl = runModel('mstl', prepared, 28)!;
    expect(bias(mstl.inSample, peakPromo)).toBeLessThan(-0.1);

    // Next December's forecast carries the peak the promotions sat on: 10–23 December against the unpromoted November
    // days before it, both per unit of the weekday profile, ≈ 1.5.
    const perWeekday = (date: string, v: number) => v / retailWeekly[dayOfWeek(date)];
    const advent = eachDay('2026-12-10', '2026-12-23').map((d) => perWeekday(d, fit.forecast[daysBetween(trainedThrough, d) - 1]));
    const november = eachDay('2026-11-01', '2026-11-24').flatMap((d) => {
      const i = daysBetween(start, d);
      return series.promo[i] ? [] : [perWeekday(d, series.sales[i]!)];
    });
    expect(november.length).toBeGreaterThan(14);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(advent) / mean(november)).toBeGreaterThan(1.35);
    expect(mean(advent) / mean(november)).toBeLessThan(1.65);
  });

  it('fits only on history up to the training end', () => {
    const cut = addDays(start, 400);
    const prepared = prepareSeries(series, cut, days)!;
    expect(prepared.values).toHaveLength(401);
    const fit = fitProphet(prepared, 7)!;
    expect(fit.inSample).toHaveLength(401);
    expect(fit.forecast).toHaveLength(7);
    // Changing every day after the cut changes nothing (beyond the optimizer's own tolerance, ~1e-4).
    const changed: DailySeries = { ...series, sales: series.sales.map((v, i) => (i > 400 ? v! * 5 : v)) };
    const again = fitProphet(prepareSeries(changed, cut, days)!, 7)!;
    again.forecast.forEach((v, h) => expect(Math.abs(v / fit.forecast[h] - 1)).toBeLessThan(0.002));
    // While the days up to the cut do matter: the same change one day earlier moves the forecast.
    const earlier: DailySeries = { ...series, sales: series.sales.map((v, i) => (i > 380 ? v! * 5 : v)) };
    const moved = fitProphet(prepareSeries(earlier, cut, days)!, 7)!;
    expect(moved.forecast[0] / fit.forecast[0]).toBeGreaterThan(1.5);
  });
});
