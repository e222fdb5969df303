import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleDescriptor } from '../../../core/http/types.js';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { registerPlanningRoutes } from './routes.js';
import { recomputeScenarioKpis } from './scenario-service.js';
import { insertCoefficient, insertFlatHistory, insertSegments, insertTarget, planningContext } from './test-fixtures.js';

const planning: ModuleDescriptor = { key: 'promotions', name: 'Promotions', description: 'test', ready: true, registerRoutes: registerPlanningRoutes };

let t: TestApp;
let headers: Record<'staff' | 'viewer' | 'otherStaff', Record<string, string>>;

// The test clock stands at Monday 2 March 2026; history runs to 1 March, so April 2026 is a forecast month.
const april = { dateRangeStart: '2026-04-01', dateRangeEnd: '2026-04-07' };
const heroTv = { department: 'TV', channel: 'online', discount_pct: 20, segments: ['ALL'], notes: 'hero' };

beforeAll(async () => {
  t = await createTestApp({ modules: [planning] });
  await insertFlatHistory(t.database.db, t.orgA.id);
  await insertSegments(t.database.db, t.orgA.id);
  await insertFlatHistory(t.database.db, t.orgB.id);
  headers = {
    staff: (await t.login(t.orgA.emails.staff)).headers,
    viewer: (await t.login(t.orgA.emails.viewer)).headers,
    otherStaff: (await t.login(t.orgB.emails.staff)).headers,
  };
});

afterAll(async () => {
  await t?.close();
});

type As = keyof typeof headers;
const get = (url: string, as: As = 'viewer') => t.app.inject({ method: 'GET', url, headers: headers[as] });
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, as: As = 'staff') =>
  t.app.inject({ method, url, headers: headers[as], ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

async function createOne(label = 'April TV push', mechanics: unknown[] = [heroTv]) {
  const response = await send('POST', '/api/promotions/scenarios', { label, scenarioType: 'balanced', ...april, mechanics });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('scenarios', () => {
  it('creates a scenario with KPIs computed from the baseline and the prior', async () => {
    const s = await createOne();
    expect(s.mechanics).toEqual([heroTv]);
    const k = s.currentKpis;
    // Whole business over 7 days: (1000 + 2000 + 500 + 500) × 7 = 28,000 baseline.
    expect(k.baselineSalesValue).toBe(28000);
    expect(k.upliftModelVersion).toBe('prior');
    expect(k.isCurrent).toBe(true);
    expect(k.salesValueDelta).toBeGreaterThan(0);
    expect(k.totalEbit).toBe(Math.round((k.totalMarginValue - k.promoCosts) * 100) / 100);
    expect(k.kpiBreakdown.by_channel.map((c: { channel: string }) => c.channel)).toEqual(['offline', 'online']);
    expect(k.kpiBreakdown.by_segment.map((c: { segment_id: string }) => c.segment_id)).toEqual(['BARGAIN', 'LOYAL', 'UNASSIGNED']);
  });

  it('refuses unknown departments and segments, a bad channel or discount, and an end before the start, naming the field', async () => {
    const bad = await send('POST', '/api/promotions/scenarios', {
      label: 'x',
      ...april,
      mechanics: [
        { ...heroTv, department: 'Fridges' },
        { ...heroTv, segments: ['NOPE'] },
      ],
    });
    expect(bad.statusCode).toBe(400);
    const details = bad.json().error.details as { path: string; message: string }[];
    expect(details.map((d) => d.path)).toEqual(['mechanics.0.department', 'mechanics.1.segments.0']);
    expect(details[0].message).toContain('Audio, TV');
    for (const payload of [
      { label: 'x', ...april, mechanics: [{ ...heroTv, channel: 'mail' }] },
      { label: 'x', ...april, mechanics: [{ ...heroTv, discount_pct: 95 }] },
      { label: 'x', dateRangeStart: '2026-04-07', dateRangeEnd: '2026-04-01', mechanics: [heroTv] },
      { label: 'x'.repeat(101), ...april, mechanics: [heroTv] },
      { label: 'x', ...april, mechanics: [] },
    ]) {
      const response = await send('POST', '/api/promotions/scenarios', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await get('/api/promotions/scenarios?q=x')).json().page.total).toBe(0);
  });

  it('lists, reads, edits with KPI history, copies and deletes', async () => {
    const s = await createOne('Edit me');
    const list = await get('/api/promotions/scenarios?q=Edit');
    expect(list.json().data.map((r: { id: string }) => r.id)).toEqual([s.id]);
    expect(list.json().data[0].currentKpis.id).toBe(s.currentKpis.id);

    const patched = await send('PATCH', `/api/promotions/scenarios/${s.id}`, { mechanics: [{ ...heroTv, discount_pct: 25 }] });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().currentKpis.salesValueDelta).toBeGreaterThan(s.currentKpis.salesValueDelta);
    const kpis = (await get(`/api/promotions/scenarios/${s.id}/kpis`)).json();
    expect(kpis.current.id).toBe(patched.json().currentKpis.id);
    expect(kpis.history.map((h: { id: string; isCurrent: boolean }) => [h.id, h.isCurrent])).toEqual([[s.currentKpis.id, false]]);

    const copy = await send('POST', `/api/promotions/scenarios/${s.id}/copy`, {});
    expect(copy.statusCode).toBe(201);
    expect(copy.json()).toMatchObject({ label: 'Copy of Edit me', copiedFromId: s.id, status: 'draft' });
    expect(copy.json().currentKpis.salesValueDelta).toBe(patched.json().currentKpis.salesValueDelta);

    expect((await send('DELETE', `/api/promotions/scenarios/${s.id}`)).statusCode).toBe(204);
    expect((await get(`/api/promotions/scenarios/${s.id}`)).statusCode).toBe(404);
    expect((await get(`/api/promotions/scenarios/${copy.json().id}`)).statusCode).toBe(200);
  });

  it('keeps exactly one current KPI row when saves and recomputations of one scenario race', async () => {
    const s = await createOne('Race');
    const ctx = planningContext(t.database.db, t.orgA, t.clock);
    const results = await Promise.allSettled([
      recomputeScenarioKpis(ctx, s.id),
      recomputeScenarioKpis(ctx, s.id),
      send('PATCH', `/api/promotions/scenarios/${s.id}`, { mechanics: [{ ...heroTv, discount_pct: 15 }] }),
      recomputeScenarioKpis(ctx, s.id),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const kpis = (await get(`/api/promotions/scenarios/${s.id}/kpis`)).json();
    expect(kpis.history).toHaveLength(4);
    expect(kpis.current.id).toBe((await get(`/api/promotions/scenarios/${s.id}`)).json().currentKpis.id);
  });

  it('previews without writing', async () => {
    const before = (await get('/api/promotions/scenarios')).json().page.total;
    const preview = await send('POST', '/api/promotions/scenarios/preview', { ...april, scenarioType: 'coupon', mechanics: [heroTv] }, 'viewer');
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json();
    expect(body.perMechanic[0].coefficient).toMatchObject({ modelVersion: 'prior', discountBand: '20-30' });
    expect(body.kpiBreakdown.promo_costs.variable_pct).toBe(3);
    expect(body.ms).toBeGreaterThan(0);
    expect((await get('/api/promotions/scenarios')).json().page.total).toBe(before);
    expect((await send('POST', '/api/promotions/scenarios/preview', { ...april, mechanics: [{ ...heroTv, department: 'X' }] }, 'viewer')).statusCode).toBe(400);
  });

  it('lets a viewer read but not write', async () => {
    const s = await createOne('Viewer test');
    expect((await send('POST', '/api/promotions/scenarios', { label: 'v', ...april, mechanics: [heroTv] }, 'viewer')).statusCode).toBe(403);
    expect((await send('PATCH', `/api/promotions/scenarios/${s.id}`, { label: 'v' }, 'viewer')).statusCode).toBe(403);
    expect((await send('POST', `/api/promotions/scenarios/${s.id}/copy`, {}, 'viewer')).statusCode).toBe(403);
    expect((await send('DELETE', `/api/promotions/scenarios/${s.id}`, undefined, 'viewer')).statusCode).toBe(403);
    expect((await send('POST', '/api/promotions/opportunities/compute', { month: '2026-04' }, 'viewer')).statusCode).toBe(403);
    expect((await send('POST', '/api/promotions/uplift-coefficients/fit', undefined, 'viewer')).statusCode).toBe(403);
    expect((await send('POST', `/api/promotions/opportunities/${s.id}/scenarios`, {}, 'viewer')).statusCode).toBe(403);
    expect((await get(`/api/promotions/scenarios/${s.id}`, 'viewer')).statusCode).toBe(200);
  });

  it("answers 404 for another organization's scenario on every route", async () => {
    const s = await createOne('Private');
    expect((await get(`/api/promotions/scenarios/${s.id}`, 'otherStaff')).statusCode).toBe(404);
    expect((await get(`/api/promotions/scenarios/${s.id}/kpis`, 'otherStaff')).statusCode).toBe(404);
    expect((await send('PATCH', `/api/promotions/scenarios/${s.id}`, { label: 'mine' }, 'otherStaff')).statusCode).toBe(404);
    expect((await send('POST', `/api/promotions/scenarios/${s.id}/copy`, {}, 'otherStaff')).statusCode).toBe(404);
    expect((await send('DELETE', `/api/promotions/scenarios/${s.id}`, undefined, 'otherStaff')).statusCode).toBe(404);
    expect((await get('/api/promotions/scenarios?q=Private', 'otherStaff')).json().page.total).toBe(0);
    expect((await get(`/api/promotions/scenarios/${s.id}`)).json().label).toBe('Private');
  });
});

describe('uplift coefficients', () => {
  it('uses the newest model version in force and records it on the KPI row', async () => {
    await insertCoefficient(t.database.db, t.orgA.id, { modelVersion: 'v1', upliftSalesPct: 50 });
    const s = await createOne('Versioned');
    expect(s.currentKpis.upliftModelVersion).toBe('v1');
    // 20% at reference 20%: TV online 7,000 × 1.5 = 10,500 → +3,500 on sales.
    expect(s.currentKpis.salesValueDelta).toBe(3500);

    await insertCoefficient(t.database.db, t.orgA.id, { modelVersion: 'v2', upliftSalesPct: 30 });
    const saved = await send('PATCH', `/api/promotions/scenarios/${s.id}`, { label: 'Versioned again' });
    expect(saved.json().currentKpis).toMatchObject({ upliftModelVersion: 'v2', salesValueDelta: 2100 });
    const kpis = (await get(`/api/promotions/scenarios/${s.id}/kpis`)).json();
    expect(kpis.history[0].upliftModelVersion).toBe('v1');

    const current = (await get('/api/promotions/uplift-coefficients')).json();
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ department: 'TV', channel: 'online', discountBand: '20-30', modelVersion: 'v2' });
    const history = (await get('/api/promotions/uplift-coefficients/history?department=TV&channel=online&discountBand=20-30')).json();
    expect(history.map((h: { modelVersion: string }) => h.modelVersion)).toEqual(['v1', 'v2']);
    expect((await get('/api/promotions/uplift-coefficients', 'otherStaff')).json()).toEqual([]);
    expect((await get('/api/promotions/uplift-coefficients/history?department=TV&channel=online&discountBand=20-30', 'otherStaff')).json()).toEqual([]);
    expect((await get('/api/promotions/uplift-coefficients/history?department=TV&channel=online&discountBand=99')).statusCode).toBe(400);
  });

  it('fits nothing when the history has no promo days', async () => {
    const response = await send('POST', '/api/promotions/uplift-coefficients/fit', undefined, 'otherStaff');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ modelVersion: null, coefficients: [], promoDays: 0 });
  });
});

describe('opportunities', () => {
  it('ranks the gap to target by money, keeps ids on recompute and seeds scenarios', async () => {
    expect((await send('POST', '/api/promotions/opportunities/compute', { month: '2026-05' })).statusCode).toBe(409);
    // May: 31 days; forecast 1000/2000/500/500 a day = 124,000. A business target of 136,400 (+10%) is spread by share.
    await insertTarget(t.database.db, t.orgA.id, '2026-05', 136400);
    const computed = await send('POST', '/api/promotions/opportunities/compute', { month: '2026-05' });
    expect(computed.statusCode, computed.body).toBe(200);
    const rows = computed.json();
    expect(rows.map((r: { department: string; channel: string; gapValue: number; rank: number }) => [r.rank, r.department, r.channel, r.gapValue])).toEqual([
      [1, 'TV', 'offline', 6200],
      [2, 'TV', 'online', 3100],
      [3, 'Audio', 'offline', 1550],
      [4, 'Audio', 'online', 1550],
    ]);
    expect(rows[0]).toMatchObject({ forecastSalesValue: 62000, targetSalesValue: 68200, gapPct: 9.09, status: 'open', details: { targetSource: 'business' } });

    const seeded = await send('POST', `/api/promotions/opportunities/${rows[1].id}/scenarios`, {});
    expect(seeded.statusCode, seeded.body).toBe(201);
    const { opportunity, scenarios } = seeded.json();
    expect(opportunity.status).toBe('planned');
    expect(scenarios.map((s: { scenarioType: string }) => s.scenarioType)).toEqual(['conservative', 'balanced', 'aggressive']);
    const discounts = scenarios.map((s: { mechanics: { discount_pct: number }[] }) => s.mechanics[0].discount_pct);
    expect(discounts[0]).toBeLessThan(discounts[1]);
    expect(discounts[1]).toBeLessThanOrEqual(discounts[2]);
    // Balanced closes the TV online gap of 3,100 (ignoring cannibalisation, which the prior does not carry).
    expect(scenarios[1].currentKpis.salesValueDelta).toBeGreaterThanOrEqual(3100);
    expect(scenarios.every((s: { sourceOpportunityId: string }) => s.sourceOpportunityId === rows[1].id)).toBe(true);

    // Recomputing keeps the row (id and status) so the scenarios stay linked.
    await insertTarget(t.database.db, t.orgA.id, '2026-05', 10000, { geo: 'BE' });
    const again = (await send('POST', '/api/promotions/opportunities/compute', { month: '2026-05' })).json();
    const tvOnline = again.find((r: { department: string; channel: string }) => r.department === 'TV' && r.channel === 'online');
    expect(tvOnline).toMatchObject({ id: rows[1].id, status: 'planned' });
    expect(tvOnline.targetSalesValue).toBeGreaterThan(rows[1].targetSalesValue);
    expect((await get('/api/promotions/opportunities?month=2026-05')).json()).toHaveLength(4);
    expect((await get('/api/promotions/opportunities?month=2026-05', 'otherStaff')).json()).toEqual([]);
    expect((await send('POST', `/api/promotions/opportunities/${rows[1].id}/scenarios`, {}, 'otherStaff')).statusCode).toBe(404);
    expect((await get('/api/promotions/opportunities?month=2026-13')).statusCode).toBe(400);
  });
});
