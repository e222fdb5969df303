import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { addDays } from '../shared/dates.js';
import { refreshForecastsJob } from './jobs.js';
import { registerForecastingRoutes } from './routes.js';
import { insertSyntheticSales, syntheticDays, type SyntheticDay } from './synthetic-sales.js';

let t: TestApp;
const headers: Record<string, Record<string, string>> = {};
const start = '2025-07-07';
const days = 200;
const last = addDays(start, days - 1);
let sales: SyntheticDay[] = [];

beforeAll(async () => {
  t = await createTestApp({
    modules: [{ key: 'promotions', name: 'Promotions', description: 'test', ready: true, registerRoutes: registerForecastingRoutes }],
    jobs: [refreshForecastsJob as never],
  });
  let seed = 1;
  for (const department of ['TV', 'Audio']) {
    for (const channel of ['online', 'offline']) {
      sales.push(
        ...syntheticDays({
          department,
          channel,
          start,
          days,
          level: department === 'TV' ? 4_000 : 1_500,
          noise: 0.06,
          seed: seed++,
          promotions: { every: 30, length: 3, uplift: 1.8, discountPct: department === 'TV' ? 20 : 10, offset: 12 },
        }),
      );
    }
  }
  await insertSyntheticSales(t.database.db, t.orgA.id, sales);
  for (const [key, email] of [
    ['viewerA', t.orgA.emails.viewer],
    ['staffA', t.orgA.emails.staff],
    ['viewerB', t.orgB.emails.viewer],
    ['staffB', t.orgB.emails.staff],
  ] as const) {
    headers[key] = (await t.login(email)).headers;
  }
});
afterAll(async () => t?.close());

const get = (url: string, who: string) => t.app.inject({ method: 'GET', url, headers: headers[who] });

describe('sales explorer', () => {
  it('summarises the history: departments, channels, range, rows and promo days', async () => {
    const response = await get('/api/promotions/sales/summary', 'viewerA');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ from: start, to: last, rows: 4 * days, departments: ['Audio', 'TV'], channels: ['offline', 'online'] });
    expect(body.promoDays).toBe(sales.filter((d) => d.promo).length);
    expect(body.series).toHaveLength(4);
    expect(body.series[0]).toMatchObject({ department: 'Audio', channel: 'offline', rows: days });
  });

  it('answers daily totals over the filter with promo days, the sales-weighted discount and the baseline', async () => {
    const from = addDays(start, 40);
    const to = addDays(start, 49);
    const response = await get(`/api/promotions/sales/daily?from=${from}&to=${to}&department=TV`, 'viewerA');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.days).toHaveLength(10);
    expect(Object.keys(body.modelBySeries).sort()).toEqual(['TV|offline', 'TV|online']);
    for (const day of body.days) {
      const rows = sales.filter((d) => d.department === 'TV' && d.date === day.date);
      expect(day.salesValue).toBeCloseTo(
        rows.reduce((a, d) => a + d.sales, 0),
        1,
      );
      expect(day.units).toBe(rows.reduce((a, d) => a + d.units, 0));
      expect(day.promo).toBe(rows.some((d) => d.promo));
      expect(day.discountPct).toBe(day.promo ? 20 : null);
      expect(day.baselineSalesValue).toBeGreaterThan(0);
      // On a promo day the baseline is what would have sold without it: well below the 1.8× promo sales.
      if (day.promo) expect(day.baselineSalesValue).toBeLessThan(0.8 * day.salesValue);
    }
    expect(body.days.some((d: { promo: boolean }) => d.promo)).toBe(true);
    const future = await get(`/api/promotions/sales/daily?from=${addDays(last, -1)}&to=${addDays(last, 3)}&channel=online`, 'viewerA');
    const futureDays = future.json().days;
    expect(futureDays.map((d: { salesValue: number | null }) => d.salesValue === null)).toEqual([false, false, true, true, true]);
    expect(futureDays[4].baselineSalesValue).toBeGreaterThan(0);
    const inverted = await get(`/api/promotions/sales/daily?from=${to}&to=${from}`, 'viewerA');
    expect(inverted.statusCode).toBe(400);
    const badChannel = await get(`/api/promotions/sales/daily?channel=phone`, 'viewerA');
    expect(badChannel.statusCode).toBe(400);
  });
});

describe('backtests and forecasts', () => {
  it('lets staff run a backtest (viewers may not), keeps it and serves it to viewers', async () => {
    const denied = await t.app.inject({ method: 'POST', url: '/api/promotions/backtests', headers: headers.viewerA, payload: {} });
    expect(denied.statusCode).toBe(403);
    const tooLong = await t.app.inject({ method: 'POST', url: '/api/promotions/backtests', headers: headers.staffA, payload: { horizon: 91, folds: 3 } });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'folds' }] });
    expect(tooLong.json().error.message).toContain('Use at most 1 fold');

    const run = await t.app.inject({ method: 'POST', url: '/api/promotions/backtests', headers: headers.staffA, payload: { horizon: 14, folds: 3 } });
    expect(run.statusCode).toBe(202);
    const started = run.json();
    expect(started).toMatchObject({ status: 'running', completedAt: null, results: [], parameters: { horizon: 14, folds: 3, dataThrough: last } });
    expect(started.parameters.progress).toMatchObject({ step: 'starting', current: 0, total: 4, series: 'Audio|offline' });

    // While it runs: a second start for the organization is refused naming it; another organization cannot see it.
    const second = await t.app.inject({ method: 'POST', url: '/api/promotions/backtests', headers: headers.staffA, payload: {} });
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({ code: 'PROMOTIONS_BACKTEST_RUNNING', details: { runningId: started.id } });
    expect(second.json().error.message).toContain(started.id);
    const foreign = await get(`/api/promotions/backtests/${started.id}`, 'viewerB');
    expect({ status: foreign.statusCode, code: foreign.json().error?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    // The lock is per organization: B's start is judged on B's own data (no sales), not refused as busy.
    const other = await t.app.inject({ method: 'POST', url: '/api/promotions/backtests', headers: headers.staffB, payload: {} });
    expect({ status: other.statusCode, code: other.json().error?.code }).toEqual({ status: 400, code: 'PROMOTIONS_NO_SALES' });

    // Poll to the end, as the page does; progress only moves forward and names the series being fitted.
    const seen: { step: string; current: number; total: number; series: string | null }[] = [];
    let body = started;
    while (body.status === 'running' || body.parameters.progress?.step !== 'done') {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const polled = await get(`/api/promotions/backtests/${started.id}`, 'viewerA');
      expect(polled.statusCode).toBe(200);
      body = polled.json();
      expect(body.status).not.toBe('failed');
      seen.push(body.parameters.progress);
    }
    for (let k = 1; k < seen.length; k++) expect(seen[k].current).toBeGreaterThanOrEqual(seen[k - 1].current);
    for (const p of seen) {
      expect(p.total).toBe(4);
      if (p.step === 'backtest' && p.current < 4) expect(p.series).toBe(['Audio|offline', 'Audio|online', 'TV|offline', 'TV|online'][p.current]);
    }
    expect(body).toMatchObject({ id: started.id, status: 'completed', errorMessage: null, parameters: { horizon: 14, folds: 3, dataThrough: last } });
    expect(body.parameters.progress).toMatchObject({ step: 'done', current: 4, total: 4 });
    expect(body.results).toHaveLength(4);
    for (const r of body.results) {
      expect(Object.keys(r.models).sort()).toEqual(['dow_average', 'mstl', 'mstl_log', 'prophet', 'seasonal_naive', 'seed_dow_sql']);
      expect(r.models.seed_dow_sql.wape).toBeGreaterThan(0);
      expect(r.scoredDays).toBeGreaterThan(30);
      expect(r.chosen).not.toBeNull();
      // Within a point of the best clean-day WAPE (a less biased model on held-out peak days may be preferred).
      const best = Math.min(
        ...Object.entries(r.models as Record<string, { wape: number } | null>)
          .filter(([m, v]) => m !== 'seed_dow_sql' && v)
          .map(([, v]) => v!.wape),
      );
      expect(r.models[r.chosen].wape).toBeLessThanOrEqual(best + 0.01 + 1e-9);
      expect(r.models[r.chosen].wape).toBeLessThanOrEqual(r.models.seasonal_naive.wape + 0.01);
      expect(Object.keys(r.peakLeaveOut).sort()).toEqual(['dow_average', 'mstl', 'mstl_log', 'prophet', 'seasonal_naive']);
      expect(r.fastChosen).not.toBe('prophet');
    }
    expect(body.summary.series).toBe(4);
    expect(body.summary.chosen.wape).toBeLessThanOrEqual(body.summary.models.seasonal_naive.wape);
    // Without hindsight: chosen on fold 1 (then 1–2), scored on folds 2–3, every model beside it on the same days.
    expect(body.summary.chosenAhead.chosen.days).toBe(body.summary.chosenAhead.models.seasonal_naive.days);
    expect(body.summary.chosenAhead.chosen.days).toBeGreaterThan(0);
    expect(body.summary.chosenAhead.chosen.days).toBeLessThan(body.summary.chosen.days);
    expect(body.summary.fitMs.prophet.fits).toBeGreaterThanOrEqual(4 * 3);
    expect(body.summary.peakLeaveOut.chosen.days).toBeGreaterThan(0);

    const list = await get('/api/promotions/backtests', 'viewerA');
    expect(list.json().page.total).toBe(1);
    expect(list.json().data[0]).toMatchObject({ id: body.id, seriesCount: 4 });
    expect(list.json().data[0].results).toBeUndefined();
    expect((await get('/api/promotions/backtests/latest', 'viewerA')).json()).toEqual(body);
    expect((await get(`/api/promotions/backtests/${body.id}`, 'viewerA')).json()).toEqual(body);

    const forecast = await get(`/api/promotions/forecast?department=TV&channel=online`, 'viewerA');
    expect(forecast.statusCode).toBe(200);
    const f = forecast.json();
    expect(f).toMatchObject({ from: addDays(last, 1), to: addDays(last, 28), trainedThrough: last });
    expect(f.days).toHaveLength(28);
    expect(f.modelBySeries).toEqual({
      'TV|online': body.results.find((r: { department: string; channel: string }) => r.department === 'TV' && r.channel === 'online').chosen,
    });
    expect(f.totals.salesValue).toBeCloseTo(
      f.days.reduce((a: number, d: { salesValue: number }) => a + d.salesValue, 0),
      6,
    );
  });

  it('keeps organizations apart: B sees no sales, no runs, and 404 for A’s department and run', async () => {
    const summary = (await get('/api/promotions/sales/summary', 'viewerB')).json();
    expect(summary).toMatchObject({ rows: 0, promoDays: 0, departments: [], series: [] });
    expect((await get('/api/promotions/backtests', 'viewerB')).json().page.total).toBe(0);
    const aRun = (await get('/api/promotions/backtests/latest', 'viewerA')).json();
    for (const url of [
      '/api/promotions/sales/daily?department=TV',
      '/api/promotions/forecast?department=TV',
      '/api/promotions/backtests/latest',
      `/api/promotions/backtests/${aRun.id}`,
    ]) {
      const response = await get(url, 'viewerB');
      expect({ url, status: response.statusCode, code: response.json().error?.code }).toEqual({ url, status: 404, code: 'NOT_FOUND' });
    }
    const bForecast = (await get('/api/promotions/forecast', 'viewerB')).json();
    expect(bForecast.days).toEqual([]);
    const bRun = await t.app.inject({ method: 'POST', url: '/api/promotions/backtests', headers: headers.staffB, payload: {} });
    expect(bRun.statusCode).toBe(400);
    expect(bRun.json().error.code).toBe('PROMOTIONS_NO_SALES');
  });
});
