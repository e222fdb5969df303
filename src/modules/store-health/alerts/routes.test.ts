import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ModuleDescriptor } from '../../../core/http/types.js';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { evaluateDateRange } from '../evaluation/evaluate-range.js';
import { storeHealthEvaluationJobs } from '../evaluation/jobs.js';
import { registerEvaluationRoutes } from '../evaluation/routes.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { createDistrict, createKpi, createStores, putMetrics, putSetting, serviceContext, type ChainStore } from '../evaluation/timeline-fixtures.js';
import { dateRange } from '../shared/dates.js';
import { registerAlertRoutes } from './routes.js';

const storeHealthRoutes: ModuleDescriptor = {
  key: 'store-health',
  name: 'Store health',
  description: 'test',
  ready: true,
  registerRoutes: async (app, deps) => {
    await registerEvaluationRoutes(app, deps);
    await registerAlertRoutes(app, deps);
  },
};

let t: TestApp;
let headers: Record<'admin' | 'manager' | 'staff' | 'viewer' | 'otherStaff', Record<string, string>>;
let east: ChainStore[];
let west: ChainStore[];
let kpiId: string;

// A week in February 2026 (the test app's clock stands at Monday 2 March 2026, 14:00 UTC).
const days = dateRange('2026-02-23', '2026-02-27');

beforeAll(async () => {
  t = await createTestApp({ modules: [storeHealthRoutes], jobs: storeHealthEvaluationJobs });
  const db = t.database.db;
  const org = t.orgA;
  await putSetting(db, org.id, 'store_health.flap_red_days', 1);
  const e = await createDistrict(db, org.id, 'East');
  const w = await createDistrict(db, org.id, 'West');
  east = await createStores(db, org.id, 2, { ...e, prefix: 'E' });
  west = await createStores(db, org.id, 2, { ...w, prefix: 'W' });
  kpiId = await createKpi(db, org.id, {
    code: 'sales',
    threshold: { greenMin: 95, yellowMin: 90, redThreshold: 90, comparisonBasis: 'absolute', priority: 1 },
  });
  const second = await createKpi(db, org.id, {
    code: 'labor',
    category: 'labor',
    threshold: { greenMin: 95, yellowMin: 90, redThreshold: 90, comparisonBasis: 'absolute', priority: 4 },
  });
  // On the last day: E001 red on sales (priority 1 → red), E002 green, W001 yellow, W002 yellow on the low-priority KPI only.
  const last = days[days.length - 1];
  const salesOf: Record<string, number> = { E001: 70, E002: 100, W001: 92, W002: 100 };
  const laborOf: Record<string, number> = { E001: 100, E002: 100, W001: 100, W002: 93 };
  const metrics = [...east, ...west].flatMap((s) =>
    days.flatMap((date) => [
      { storeId: s.id, kpiId, date, value: date === last ? salesOf[s.storeCode] : 100 },
      { storeId: s.id, kpiId: second, date, value: date === last ? laborOf[s.storeCode] : 100 },
    ]),
  );
  await putMetrics(db, org.id, metrics);
  await evaluateDateRange(serviceContext(db, { id: org.id, slug: org.slug, name: org.name, timezone: org.timezone }, t.clock), { from: days[0], to: last });
  headers = {
    admin: (await t.login(org.emails.admin)).headers,
    manager: (await t.login(org.emails.manager)).headers,
    staff: (await t.login(org.emails.staff)).headers,
    viewer: (await t.login(org.emails.viewer)).headers,
    otherStaff: (await t.login(t.orgB.emails.staff)).headers,
  };
});

afterAll(async () => {
  await t?.close();
});

const get = (url: string, as: keyof typeof headers = 'viewer') => t.app.inject({ method: 'GET', url, headers: headers[as] });
const send = (method: 'POST' | 'PATCH', url: string, payload: unknown, as: keyof typeof headers = 'staff') =>
  t.app.inject({ method, url, payload: payload as Record<string, unknown>, headers: headers[as] });

describe('overview and store health', () => {
  it('orders regions, districts and stores worst first', async () => {
    const response = await get('/api/store-health/overview');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.date).toBe('2026-02-27');
    expect(body.totals).toEqual({ green: 1, yellow: 2, red: 1, closed: 0, no_data: 0, stores: 4 });
    expect(body.regions.map((r: { name: string; worstStatus: string }) => [r.name, r.worstStatus])).toEqual([
      ['Region East', 'red'],
      ['Region West', 'yellow'],
    ]);
    const westStores = body.regions[1].districts[0].stores.map((s: { storeCode: string; overallStatus: string; healthScore: number }) => [
      s.storeCode,
      s.overallStatus,
      s.healthScore,
    ]);
    // Both yellow; the one yellow on the priority-1 KPI has the lower score and comes first.
    expect(westStores).toEqual([
      ['W001', 'yellow', 64.29],
      ['W002', 'yellow', 85.71],
    ]);
    expect(body.regions[0].districts[0].stores[0]).toMatchObject({ storeCode: 'E001', overallStatus: 'red', redKpiCount: 1, actionRequired: true });
    expect((await get('/api/store-health/overview?date=2026-02-23')).json().totals).toMatchObject({ green: 4, stores: 4 });
  });

  it("shows a store's snapshots, KPI series with thresholds and status history", async () => {
    const response = await get(`/api/store-health/stores/${east[0].id}/health?from=2026-02-23&to=2026-02-27`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.store).toMatchObject({ storeCode: 'E001', districtName: 'District East' });
    expect(body.snapshots).toHaveLength(5);
    const sales = body.kpis.find((k: { kpi: { kpiCode: string } }) => k.kpi.kpiCode === 'sales');
    expect(sales).toMatchObject({ currentStatus: 'red', daysInStatus: 1, threshold: { greenMin: 95, comparisonBasis: 'absolute', source: 'organization' } });
    expect(sales.series.at(-1)).toEqual({ date: '2026-02-27', value: 70, comparisonValue: 95, variancePct: -26.3158, status: 'red' });
    expect(body.statusHistory[0]).toMatchObject({ date: '2026-02-27', kpiCode: 'sales', previousStatus: 'green', currentStatus: 'red', durationInStatus: 1 });
  });

  it("answers 404 for another organization's store and 400 for a bad range", async () => {
    expect((await get(`/api/store-health/stores/${east[0].id}/health`, 'otherStaff')).statusCode).toBe(404);
    const bad = await get(`/api/store-health/stores/${east[0].id}/health?from=2026-02-28&to=2026-02-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([{ path: 'from', message: 'Must be on or before "to"' }]);
  });
});

describe('alerts', () => {
  let redAlertId: string;

  it('lists alerts with filters', async () => {
    const all = (await get('/api/store-health/alerts')).json();
    expect(all.page.total).toBe(3);
    const red = (await get('/api/store-health/alerts?severity=red&status=active')).json();
    expect(red.data).toHaveLength(1);
    expect(red.data[0]).toMatchObject({ scope: 'store', storeCode: 'E001', kpiCode: 'sales', districtName: 'District East', daysInCondition: 1 });
    redAlertId = red.data[0].id;
    expect((await get(`/api/store-health/alerts?storeId=${west[1].id}`)).json().data.map((a: { kpiCode: string }) => a.kpiCode)).toEqual(['labor']);
    expect((await get('/api/store-health/alerts?q=W001')).json().page.total).toBe(1);
    expect((await get('/api/store-health/alerts?severity=purple')).statusCode).toBe(400);
  });

  it('shows one alert with its task', async () => {
    const detail = (await get(`/api/store-health/alerts/${redAlertId}`)).json();
    expect(detail.tasks).toHaveLength(1);
    expect(detail.tasks[0]).toMatchObject({ status: 'pending', assignedToRole: 'store_manager', storeCode: 'E001', kpiCode: 'sales' });
    expect(detail.escalations).toEqual([]);
    expect(detail.calls).toEqual([]);
  });

  it('is acknowledged by staff once, never by a viewer or another organization', async () => {
    expect((await send('POST', `/api/store-health/alerts/${redAlertId}/acknowledge`, {}, 'viewer')).statusCode).toBe(403);
    expect((await send('POST', `/api/store-health/alerts/${redAlertId}/acknowledge`, {}, 'otherStaff')).statusCode).toBe(404);
    const ack = await send('POST', `/api/store-health/alerts/${redAlertId}/acknowledge`, { note: 'On it' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: expect.stringContaining('staff'), acknowledgedAt: '2026-03-02T14:00:00.000Z' });
    expect((await send('POST', `/api/store-health/alerts/${redAlertId}/acknowledge`, {})).statusCode).toBe(409);
    const audit = await sqlRows<{ action: string }>(t.database.db, sql`select action from core.audit_log where entity_id = ${redAlertId}`);
    expect(audit.map((a) => a.action)).toEqual(['alert.acknowledged']);
  });

  it('is resolved by hand with a resolution, cancelling the pending task', async () => {
    expect((await send('POST', `/api/store-health/alerts/${redAlertId}/resolve`, { resolution: '' })).statusCode).toBe(400);
    expect((await send('POST', `/api/store-health/alerts/${redAlertId}/resolve`, { resolution: 'Fixed' }, 'otherStaff')).statusCode).toBe(404);
    const resolved = await send('POST', `/api/store-health/alerts/${redAlertId}/resolve`, { resolution: 'Promotion display rebuilt' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedAt: '2026-03-02T14:00:00.000Z' });
    const detail = (await get(`/api/store-health/alerts/${redAlertId}`)).json();
    expect(detail.tasks[0]).toMatchObject({ status: 'cancelled', outcome: expect.stringContaining('Promotion display rebuilt') });
    expect((await send('POST', `/api/store-health/alerts/${redAlertId}/resolve`, { resolution: 'again' })).statusCode).toBe(409);
  });

  it('can be acknowledged without a body', async () => {
    const [alert] = (await get(`/api/store-health/alerts?storeId=${west[1].id}`)).json().data;
    const response = await t.app.inject({ method: 'POST', url: `/api/store-health/alerts/${alert.id}/acknowledge`, headers: headers.staff });
    expect(response.statusCode).toBe(200);
    expect(response.json().status).toBe('acknowledged');
  });

  it("answers 404 for another organization's alert", async () => {
    expect((await get(`/api/store-health/alerts/${redAlertId}`, 'otherStaff')).statusCode).toBe(404);
  });
});

describe('tasks', () => {
  let taskId: string;

  it('lists tasks with filters, including overdue ones', async () => {
    const pending = (await get('/api/store-health/tasks?status=pending')).json();
    expect(pending.data.map((task: { storeCode: string }) => task.storeCode).sort()).toEqual(['W001', 'W002']);
    taskId = pending.data.find((task: { storeCode: string }) => task.storeCode === 'W001').id;
    // Yellow SLA: 24 opening hours from Friday 27 Feb 21:00 → Tuesday 3 March; the clock stands on Monday.
    expect((await get('/api/store-health/tasks?overdue=true')).json().page.total).toBe(0);
    expect((await get(`/api/store-health/tasks?storeId=${west[0].id}&assignedToRole=store_manager`)).json().page.total).toBe(1);
    t.clock.set('2026-03-04T14:00:00Z');
    expect((await get('/api/store-health/tasks?overdue=true')).json().page.total).toBe(2);
    t.clock.set('2026-03-02T14:00:00Z');
  });

  it('moves through pending → in_progress → completed, which needs an outcome', async () => {
    const started = await send('PATCH', `/api/store-health/tasks/${taskId}`, { status: 'in_progress', assignedToName: 'Shift lead Sam' });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ status: 'in_progress', assignedToName: 'Shift lead Sam', completedAt: null });
    const noOutcome = await send('PATCH', `/api/store-health/tasks/${taskId}`, { status: 'completed' });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.json().error.details).toEqual([{ path: 'outcome', message: 'Required to complete a task' }]);
    const done = await send('PATCH', `/api/store-health/tasks/${taskId}`, { status: 'completed', outcome: 'Moved two staff to the tills' });
    expect(done.json()).toMatchObject({
      status: 'completed',
      outcome: 'Moved two staff to the tills',
      completedBy: expect.stringContaining('staff'),
      completedAt: '2026-03-02T14:00:00.000Z',
    });
    expect((await send('PATCH', `/api/store-health/tasks/${taskId}`, { status: 'pending' })).statusCode).toBe(409);
    const audit = await sqlRows<{ action: string }>(t.database.db, sql`select action from core.audit_log where entity_id = ${taskId} order by id`);
    expect(audit.map((a) => a.action)).toEqual(['task.in_progress', 'task.completed']);
  });

  it('refuses viewers, empty patches and other organizations', async () => {
    expect((await send('PATCH', `/api/store-health/tasks/${taskId}`, { status: 'cancelled' }, 'viewer')).statusCode).toBe(403);
    expect((await send('PATCH', `/api/store-health/tasks/${taskId}`, {})).statusCode).toBe(400);
    expect((await send('PATCH', `/api/store-health/tasks/${taskId}`, { status: 'cancelled' }, 'otherStaff')).statusCode).toBe(404);
  });
});

describe('POST /evaluate', () => {
  it('queues the evaluation job for managers', async () => {
    const response = await send('POST', '/api/store-health/evaluate', { from: '2026-02-23', to: '2026-02-27' }, 'manager');
    expect(response.statusCode).toBe(202);
    const { jobId } = response.json();
    const [job] = await sqlRows<{ name: string; data: Record<string, unknown> }>(t.database.db, sql`select name, data from pgboss.job where id = ${jobId}`);
    expect(job).toMatchObject({ name: 'store-health.evaluate', data: { organizationId: t.orgA.id, from: '2026-02-23', to: '2026-02-27' } });
  });

  it('refuses staff and bad ranges', async () => {
    expect((await send('POST', '/api/store-health/evaluate', { from: '2026-02-23', to: '2026-02-27' }, 'staff')).statusCode).toBe(403);
    const bad = await send('POST', '/api/store-health/evaluate', { from: '2026-02-27', to: '2026-02-23' }, 'manager');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([{ path: 'to', message: 'Must be on or after "from"' }]);
  });
});
