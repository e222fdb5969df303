import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import { createLogger } from '../../../core/logger.js';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { dayOf, historyStart, insertHistory, insertKpi, insertStore, salesRule } from './prediction-test-data.js';
import { registerPredictionRoutes } from './routes.js';
import { predictRisk } from './service.js';
import { seededRandom } from './seeded-random.js';
import { generateSyntheticSeries, retailWeekdayProfile } from './synthetic-history.js';

let t: TestApp;
let storeId: string;
let kpiId: string;
const headers: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await createTestApp({
    modules: [{ key: 'store-health', name: 'Store health', description: 'test', ready: true, registerRoutes: registerPredictionRoutes }],
  });
  const db = t.database.db;
  storeId = await insertStore(db, t.orgA.id, 'A1');
  kpiId = await insertKpi(db, t.orgA.id, { kpiCode: 'sales', category: 'sales', direction: 'higher_is_better' }, salesRule, 1);
  const series = generateSyntheticSeries(
    { storeId, kpiId, rule: salesRule, level: 5000, weekdayProfile: retailWeekdayProfile, driftPerWeek: -0.03, driftFrom: 40, noise: 0.02 },
    historyStart,
    70,
    seededRandom(3),
  );
  await insertHistory(db, t.orgA.id, storeId, kpiId, series.list);
  const ctx: ServiceContext = {
    db,
    organization: { id: t.orgA.id, slug: t.orgA.slug, name: t.orgA.name, timezone: t.orgA.timezone },
    actor: systemActor('test'),
    role: 'admin',
    clock: t.clock,
    log: createLogger('silent'),
  };
  await predictRisk(ctx, { asOf: dayOf(60), horizonDays: 3 });
  for (const [key, email] of [
    ['viewerA', t.orgA.emails.viewer],
    ['staffA', t.orgA.emails.staff],
    ['managerA', t.orgA.emails.manager],
    ['managerB', t.orgB.emails.manager],
  ] as const) {
    headers[key] = (await t.login(email)).headers;
  }
});
afterAll(async () => t?.close());

describe('prediction routes', () => {
  it('lists predictions with store and KPI codes, filtered and paged', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/store-health/predictions?storeId=${storeId}&limit=2&sort=targetDate`,
      headers: headers.viewerA,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    // 1 KPI + overall, 3 days.
    expect(body.page).toEqual({ limit: 2, offset: 0, total: 6 });
    expect(body.data[0]).toMatchObject({ storeId, storeCode: 'A1', kpiId: null, kpiCode: null, predictionType: 'overall', targetDate: dayOf(61) });
    expect(body.data[1]).toMatchObject({ kpiId, kpiCode: 'sales', predictionDate: dayOf(60), targetDate: dayOf(61), modelVersion: 'mstl-ets-v1' });
    expect(body.data[1].contributingFactors[0].type).toBe('forecast_vs_threshold');
    const ranged = await t.app.inject({ method: 'GET', url: `/api/store-health/predictions?from=${dayOf(63)}&to=${dayOf(63)}`, headers: headers.viewerA });
    expect(ranged.json().data.map((p: { targetDate: string }) => p.targetDate)).toEqual([dayOf(63), dayOf(63)]);
    const inverted = await t.app.inject({ method: 'GET', url: `/api/store-health/predictions?from=${dayOf(63)}&to=${dayOf(62)}`, headers: headers.viewerA });
    expect(inverted.statusCode).toBe(400);
    expect(inverted.json().error.details).toEqual([{ path: 'to', message: expect.any(String) }]);
  });

  it('keeps organizations apart: B sees none of A’s predictions and gets 404 for A’s store and KPI', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/store-health/predictions', headers: headers.managerB });
    expect(list.json().page.total).toBe(0);
    for (const url of [
      `/api/store-health/predictions?storeId=${storeId}`,
      `/api/store-health/predictions?kpiId=${kpiId}`,
      '/api/store-health/backtests/latest',
    ]) {
      const response = await t.app.inject({ method: 'GET', url, headers: headers.managerB });
      expect({ url, status: response.statusCode, code: response.json().error.code }).toEqual({ url, status: 404, code: 'NOT_FOUND' });
    }
  });

  it('runs a backtest for managers only, refuses long ranges, and serves the latest report', async () => {
    const staff = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/backtest',
      headers: headers.staffA,
      payload: { from: dayOf(50), to: dayOf(60) },
    });
    expect(staff.statusCode).toBe(403);
    const tooLong = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/backtest',
      headers: headers.managerA,
      payload: { from: dayOf(0), to: dayOf(120) },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'to' }] });
    const badDate = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/backtest',
      headers: headers.managerA,
      payload: { from: '2025-02-30', to: dayOf(60) },
    });
    expect(badDate.statusCode).toBe(400);

    const run = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/backtest',
      headers: headers.managerA,
      payload: { from: dayOf(50), to: dayOf(68), horizonDays: 1 },
    });
    expect(run.statusCode).toBe(200);
    const report = run.json();
    expect(report).toMatchObject({ from: dayOf(50), to: dayOf(68), horizonDays: 1, samples: 19, series: 1 });
    expect(Object.keys(report.model)).toEqual(expect.arrayContaining(['accuracy', 'redRecall', 'redPrecision', 'macroF1']));
    expect(report.escalation.levels).toHaveLength(5);
    const latest = await t.app.inject({ method: 'GET', url: '/api/store-health/backtests/latest', headers: headers.viewerA });
    expect(latest.statusCode).toBe(200);
    expect(latest.json()).toEqual(report);
  });
});
