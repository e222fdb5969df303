import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AiProvider } from '../../../core/ai/index.js';
import { createFixedClock } from '../../../core/clock.js';
import type { OrganizationRef } from '../../../core/context.js';
import type { JobContext } from '../../../core/jobs/index.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { riskPredictions } from '../schema.js';
import { dateRange } from '../shared/dates.js';
import { evaluateDateRange, monthChunks, type EvaluationProgress } from './evaluate-range.js';
import { getStoreSnapshots } from './health-read-service.js';
import { createStoreHealthEvaluationJobs } from './jobs.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import {
  createKpi,
  createStores,
  createTestOrganization,
  dumpEvaluationTables,
  everyDayHours,
  putMetrics,
  putSetting,
  serviceContext,
  type ChainStore,
} from './timeline-fixtures.js';

const clock = createFixedClock('2026-03-10T12:00:00Z');
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

// Tuesday 24 Feb … Friday 6 Mar 2026: crosses a month, so the evaluation runs in two chunks and carries state over.
const days = dateRange('2026-02-24', '2026-03-06');
// absolute basis: green ≥ 95, yellow ≥ 90, red below; flap 2 days; recovery margin 2 % → green again from 96.9.
const values = [100, 80, 96, 80, 80, 80, 96, 96.5, 92, 97, 96];
const expectedStatuses = ['green', 'yellow', 'green', 'yellow', 'red', 'red', 'yellow', 'yellow', 'yellow', 'green', 'green'];
const expectedDays = [1, 1, 1, 1, 1, 2, 1, 2, 3, 1, 2];

async function statusesOf(storeId: string, kpiId: string) {
  return sqlRows<{ d: string; status: string; days: number; raw: string | null }>(
    database.db,
    sql`select metric_date::text as d, status, (metadata ->> 'daysInStatus')::int as days, metadata ->> 'rawStatus' as raw from store_health.kpi_metrics
        where store_id = ${storeId} and kpi_definition_id = ${kpiId} order by metric_date`,
  );
}

describe('flapping, recovery and status history', () => {
  let org: OrganizationRef;
  let rangeStore: ChainStore;
  let dailyStore: ChainStore;
  let kpiId: string;

  beforeAll(async () => {
    const db = database.db;
    org = await createTestOrganization(db, clock);
    [rangeStore, dailyStore] = await createStores(db, org.id, 2, { openingHours: everyDayHours });
    kpiId = await createKpi(db, org.id, {
      code: 'sales',
      threshold: { greenMin: 95, yellowMin: 90, redThreshold: 90, comparisonBasis: 'absolute', priority: 1 },
    });
    await putMetrics(
      db,
      org.id,
      [rangeStore, dailyStore].flatMap((s) => days.map((date, i) => ({ storeId: s.id, kpiId, date, value: values[i] }))),
    );
  });

  it('turns red only on the second consecutive raw-red day and needs the recovery margin to turn green', async () => {
    const progress: EvaluationProgress[] = [];
    const result = await evaluateDateRange(serviceContext(database.db, org, clock), {
      from: days[0],
      to: days[days.length - 1],
      storeIds: [rangeStore.id],
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ metricsEvaluated: days.length, snapshots: days.length });
    const rows = await statusesOf(rangeStore.id, kpiId);
    expect(rows.map((r) => r.status)).toEqual(expectedStatuses);
    expect(rows.map((r) => r.days)).toEqual(expectedDays);
    // The raw status is kept where it differs from the shown one: the damped red and the recovering greens.
    expect(rows.map((r) => r.raw)).toEqual([null, 'red', null, 'red', null, null, 'green', 'green', null, null, null]);
    expect(monthChunks(days[0], days[days.length - 1])).toHaveLength(2);
    expect(progress.at(-1)).toEqual({ step: 'snapshots 2026-03-01…2026-03-06', current: 8, total: 8 });
  });

  it('records a history row on every change with the days spent in that status', async () => {
    const history = await sqlRows<Record<string, unknown>>(
      database.db,
      sql`select date::text as date, previous_status, current_status, duration_in_status, value::float8 as value
          from store_health.kpi_status_history where store_id = ${rangeStore.id} order by date`,
    );
    expect(history.map((h) => [h.date, h.previous_status, h.current_status, h.duration_in_status])).toEqual([
      ['2026-02-24', null, 'green', 1],
      ['2026-02-25', 'green', 'yellow', 1],
      ['2026-02-26', 'yellow', 'green', 1],
      ['2026-02-27', 'green', 'yellow', 1],
      ['2026-02-28', 'yellow', 'red', 2],
      ['2026-03-02', 'red', 'yellow', 3],
      ['2026-03-05', 'yellow', 'green', 2],
    ]);
    expect(history[4].value).toBe(80);
  });

  it('gives the same result evaluated day by day as in one range', async () => {
    for (const date of days) await evaluateDateRange(serviceContext(database.db, org, clock), { from: date, to: date, storeIds: [dailyStore.id] });
    const daily = await statusesOf(dailyStore.id, kpiId);
    const ranged = await statusesOf(rangeStore.id, kpiId);
    expect(daily).toEqual(ranged);
    const alertShape = (storeId: string) =>
      sqlRows(
        database.db,
        sql`select severity, status, alert_date, expires_at, resolved_at, days_in_condition, last_evaluated_date::text, metadata - 'lastStatus' as metadata
            from store_health.alerts where store_id = ${storeId} order by alert_date`,
      );
    expect(await alertShape(dailyStore.id)).toEqual(await alertShape(rangeStore.id));
  });

  it('changes nothing when a day or the whole range is evaluated again', async () => {
    const ctx = serviceContext(database.db, org, clock);
    const before = await dumpEvaluationTables(database.db, org.id);
    await evaluateDateRange(ctx, { from: '2026-03-02', to: '2026-03-02' });
    await evaluateDateRange(ctx, { from: days[0], to: days[days.length - 1] });
    const again = await evaluateDateRange(ctx, { from: days[0], to: days[days.length - 1] });
    expect(again).toMatchObject({ alertsOpened: 0, alertsResolved: 0, tasksCreated: 0 });
    expect(await dumpEvaluationTables(database.db, org.id)).toEqual(before);
  });

  it('rejects a bad range with field paths', async () => {
    const ctx = serviceContext(database.db, org, clock);
    await expect(evaluateDateRange(ctx, { from: '2026-03-05', to: '2026-03-01' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'to', message: 'Must be on or after "from"' }],
    });
    await expect(evaluateDateRange(ctx, { from: '2026-02-30', to: '2026-03-01', storeIds: ['00000000-0000-4000-8000-000000000000'] })).rejects.toMatchObject({
      details: [{ path: 'from' }, { path: 'storeIds.0' }],
    });
  });
});

describe('snapshots', () => {
  let org: OrganizationRef;
  let store: ChainStore;

  beforeAll(async () => {
    const db = database.db;
    org = await createTestOrganization(db, clock);
    await putSetting(db, org.id, 'store_health.flap_red_days', 1);
    [store] = await createStores(db, org.id, 1, { openingHours: everyDayHours });
    const threshold = (priority: number) => ({ greenMin: 95, yellowMin: 90, redThreshold: 90, comparisonBasis: 'absolute', priority });
    const p1 = await createKpi(db, org.id, { code: 'sales', category: 'sales', threshold: threshold(1) });
    const p3 = await createKpi(db, org.id, { code: 'labor_coverage', category: 'labor', unit: '%', threshold: threshold(3) });
    const p5 = await createKpi(db, org.id, { code: 'nps', category: 'customer', unit: 'count', threshold: threshold(5) });
    const plan: Record<string, [number, number, number]> = {
      '2026-03-02': [100, 100, 100], // all green
      '2026-03-03': [100, 80, 92], // one red (priority 3) and one yellow → yellow
      '2026-03-04': [80, 100, 100], // priority-1 red → red
      '2026-03-05': [100, 80, 80], // two reds → red
    };
    await putMetrics(
      db,
      org.id,
      Object.entries(plan).flatMap(([date, [a, b, c]]) => [
        { storeId: store.id, kpiId: p1, date, value: a },
        { storeId: store.id, kpiId: p3, date, value: b },
        { storeId: store.id, kpiId: p5, date, value: c },
      ]),
    );
    // Two predictions for the same day: the later one counts.
    await db.insert(riskPredictions).values([
      {
        organizationId: org.id,
        storeId: store.id,
        predictionDate: '2026-03-01',
        targetDate: '2026-03-04',
        predictionType: 'overall',
        predictedStatus: 'green',
        confidenceScore: 90,
        modelVersion: 'test',
      },
      {
        organizationId: org.id,
        storeId: store.id,
        predictionDate: '2026-03-03',
        targetDate: '2026-03-04',
        predictionType: 'overall',
        predictedStatus: 'red',
        confidenceScore: 80,
        modelVersion: 'test',
      },
    ]);
    const model: AiProvider = {
      name: 'openai',
      model: 'fake',
      generateText: async (input) => ({
        text: `MODEL: ${input.prompt.split('\n')[0]}`,
        provider: 'openai',
        model: 'fake',
        producedWithoutModel: false,
        latencyMs: 1,
      }),
      embed: async () => {
        throw new Error('not used');
      },
    };
    await evaluateDateRange(serviceContext(db, org, clock), { from: '2026-03-02', to: '2026-03-05', ai: model });
  });

  it('derives overall status, counts and the priority-weighted health score', async () => {
    const rows = await sqlRows<Record<string, unknown>>(
      database.db,
      sql`select snapshot_date::text as d, overall_status, health_score::float8 as score, red_kpi_count, yellow_kpi_count, green_kpi_count,
            risk_probability::float8 as risk, action_required
          from store_health.store_health_snapshots where store_id = ${store.id} order by snapshot_date`,
    );
    expect(rows.map((r) => [r.d, r.overall_status, r.score, r.red_kpi_count, r.yellow_kpi_count, r.green_kpi_count])).toEqual([
      ['2026-03-02', 'green', 100, 0, 0, 3],
      ['2026-03-03', 'yellow', 61.11, 1, 1, 1], // (5×100 + 3×0 + 1×50) / 9
      ['2026-03-04', 'red', 44.44, 1, 0, 2], // (5×0 + 3×100 + 1×100) / 9
      ['2026-03-05', 'red', 55.56, 2, 0, 1], // (5×100) / 9
    ]);
    expect(rows.map((r) => r.risk)).toEqual([null, null, 0.8, null]);
    expect(rows[0].action_required).toBe(false);
    expect(rows[2].action_required).toBe(true);
  });

  it('summarizes what changed, why and what to do first; the model writes only the last day', async () => {
    const snapshots = await sqlRows<{ d: string; summary: string; metadata: Record<string, unknown> }>(
      database.db,
      sql`select snapshot_date::text as d, summary, metadata from store_health.store_health_snapshots where store_id = ${store.id} order by snapshot_date`,
    );
    expect(snapshots[1].summary).toContain('Overall green → yellow since yesterday');
    expect(snapshots[1].summary).toContain('Red: Labor coverage is 80% against a green target of at least 95%');
    expect(snapshots[1].summary).toContain('First: Labor coverage — fill open shifts');
    expect(snapshots[2].summary).toMatch(/^Overall yellow → red since yesterday: Sales green → red/);
    expect(snapshots[2].metadata.summarySource).toBe('offline');
    expect(snapshots[3].summary).toMatch(/^MODEL: Store S001 Store 1, 2026-03-05: overall red/);
    expect(snapshots[3].metadata.summarySource).toBe('openai');
  });

  it('lists each store snapshot of a day for the CLI', async () => {
    const [snapshot] = await getStoreSnapshots(serviceContext(database.db, org, clock), '2026-03-04');
    expect(snapshot).toMatchObject({ storeCode: 'S001', overallStatus: 'red', healthScore: 44.44, riskProbability: 0.8, actionRequired: true });
  });

  it('evaluates yesterday in the organization time zone when the daily job runs', async () => {
    const [job] = createStoreHealthEvaluationJobs();
    expect(job.schedule).toEqual({ cron: '30 6 * * *', perOrganization: true });
    // 11:30 UTC is 06:30 in New York on 6 March: yesterday there is 5 March.
    const jobClock = createFixedClock('2026-03-06T11:30:00Z');
    const jobCtx = {
      database,
      db: database.db,
      organization: org,
      clock: jobClock,
      log: serviceContext(database.db, org, jobClock).log,
      jobName: job.name,
      jobId: 'test',
      attempt: 1,
      maxAttempts: 1,
      workerId: 'test',
      signal: new AbortController().signal,
      enqueue: async () => 'unused',
    } satisfies JobContext;
    const result = (await job.run(jobCtx, { organizationId: org.id })) as { snapshots: number };
    expect(result.snapshots).toBe(1);
  });
});
