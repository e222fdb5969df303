import { and, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import { auditLog } from '../../../core/db/schema.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { kpiMetrics, laborCallouts, riskPredictions } from '../schema.js';
import { addDays } from '../shared/dates.js';
import { dayOf, seedSyntheticOrg, type SyntheticOrg } from './prediction-test-data.js';
import type { JobContext } from '../../../core/jobs/index.js';
import { predictRiskJob } from './jobs.js';
import { latestEvaluatedDate, predictRisk } from './service.js';

let database: TestDatabase;
let ctx: ServiceContext;
let data: SyntheticOrg;
const clock = createFixedClock('2025-12-08T07:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  const [org] = await database.query<{ id: string }>(`insert into core.organizations (slug, name, timezone) values ('pred', 'Pred', 'UTC') returning id`);
  ctx = {
    db: database.db,
    organization: { id: org.id, slug: 'pred', name: 'Pred', timezone: 'UTC' },
    actor: systemActor('test'),
    role: 'admin',
    clock,
    log: createLogger('silent'),
  };
  data = await seedSyntheticOrg(database.db, org.id);
});
afterAll(async () => database?.destroy());

const storedPredictions = (predictionDate: string) =>
  ctx.db
    .select()
    .from(riskPredictions)
    .where(and(eq(riskPredictions.organizationId, ctx.organization.id), eq(riskPredictions.predictionDate, predictionDate)));

describe('predictRisk', () => {
  it('stores a prediction per store × KPI × day plus an overall one, with factors, confidence and model version; a rerun replaces them', async () => {
    const asOf = dayOf(100);
    await ctx.db.insert(laborCallouts).values({
      organizationId: ctx.organization.id,
      storeId: data.storeIds[1],
      calloutDate: addDays(asOf, -2),
      employeeName: 'Ana',
      shiftAffected: 'morning',
      hoursLost: 6,
      isFilled: false,
    });
    const first = await predictRisk(ctx, { asOf, horizonDays: 3 });
    // 3 stores × (2 KPIs + overall) × 3 days.
    expect(first.predictions).toHaveLength(27);
    expect(first.skipped).toEqual({ noThreshold: 0, insufficientHistory: 0, noBaseline: 0, closedDays: 0 });
    const rows = await storedPredictions(asOf);
    expect(rows).toHaveLength(27);
    for (const row of rows) {
      expect(row.modelVersion).toBe('mstl-ets-v1');
      expect(row.targetDate > asOf && row.targetDate <= addDays(asOf, 3)).toBe(true);
      expect(['green', 'yellow', 'red']).toContain(row.predictedStatus);
      expect(row.confidenceScore).toBeGreaterThanOrEqual(0);
      expect(row.confidenceScore).toBeLessThanOrEqual(100);
      expect(row.contributingFactors.length).toBeGreaterThan(0);
    }
    const salesRow = rows.find((r) => r.kpiDefinitionId === data.salesKpiId && r.storeId === data.storeIds[1])!;
    expect(salesRow.predictionType).toBe('sales');
    expect(salesRow.contributingFactors.map((f) => f.type)).toEqual(expect.arrayContaining(['forecast_vs_threshold', 'trend', 'streak', 'out_of_stock']));
    const trend = salesRow.contributingFactors.find((f) => f.type === 'trend')!;
    expect(trend.pctPerWeek as number).toBeLessThan(-2);
    expect(trend.impact).toBe('raises_risk');
    const laborRow = rows.find((r) => r.kpiDefinitionId === data.calloutKpiId && r.storeId === data.storeIds[1])!;
    expect(laborRow.predictionType).toBe('labor');
    expect(laborRow.contributingFactors.find((f) => f.type === 'callouts')).toMatchObject({ hoursLost: 6, unfilledHours: 6, impact: 'raises_risk' });
    const overall = rows.filter((r) => r.kpiDefinitionId === null);
    expect(overall).toHaveLength(9);
    expect(overall.every((r) => r.predictionType === 'overall' && r.predictedValue !== null)).toBe(true);

    const again = await predictRisk(ctx, { asOf, horizonDays: 3 });
    const rerun = await storedPredictions(asOf);
    expect(rerun).toHaveLength(27);
    const key = (r: { storeId: string; kpiDefinitionId: string | null; targetDate: string }) => `${r.storeId}|${r.kpiDefinitionId}|${r.targetDate}`;
    const summary = (list: typeof rows) => Object.fromEntries(list.map((r) => [key(r), [r.predictedStatus, r.predictedValue, r.confidenceScore]]));
    expect(summary(rerun)).toEqual(summary(rows));
    expect(again.predictions.map((p) => p.predictedStatus)).toEqual(first.predictions.map((p) => p.predictedStatus));
    const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.action, 'store_health.predictions.generated'));
    expect(audits).toHaveLength(2);
  });

  it('predicts the sliding store red before the engine shows red', async () => {
    const history = data.history.get(`${data.storeIds[1]}|${data.salesKpiId}`)!;
    const firstRed = history.findIndex((d, i) => i > 84 && d.status === 'red');
    expect(firstRed).toBe(98);
    const asOf = dayOf(firstRed - 2);
    expect(history[firstRed - 2].status).toBe('yellow');
    const result = await predictRisk(ctx, { asOf, horizonDays: 3, storeIds: [data.storeIds[1]] });
    const sales = result.predictions.filter((p) => p.kpiId === data.salesKpiId);
    expect(sales.map((p) => [p.targetDate, p.predictedStatus])).toEqual([
      [dayOf(firstRed - 1), 'yellow'],
      [dayOf(firstRed), 'red'],
      [dayOf(firstRed + 1), 'red'],
    ]);
    expect(sales[1].confidenceScore).toBeGreaterThan(70);
    const overall = result.predictions.find((p) => p.kpiId === null && p.targetDate === dayOf(firstRed))!;
    // Sales has priority 1: its red makes the whole store red.
    expect(overall.predictedStatus).toBe('red');
    expect(overall.contributingFactors[0]).toMatchObject({ type: 'kpi', kpiCode: 'sales', predictedStatus: 'red' });
    // The stable stores keep their earlier predictions: a store-scoped run replaces only its own rows.
    const storedFor = await storedPredictions(asOf);
    expect(new Set(storedFor.map((r) => r.storeId))).toEqual(new Set([data.storeIds[1]]));
  });

  it('reads nothing after asOf', async () => {
    const asOf = dayOf(95);
    const before = await predictRisk(ctx, { asOf, horizonDays: 3 });
    await ctx.db
      .update(kpiMetrics)
      .set({ value: sql`${kpiMetrics.value} * 3`, status: 'red' })
      .where(and(eq(kpiMetrics.organizationId, ctx.organization.id), gt(kpiMetrics.metricDate, asOf)));
    const after = await predictRisk(ctx, { asOf, horizonDays: 3 });
    const view = (r: typeof before) => r.predictions.map((p) => [p.storeId, p.kpiId, p.targetDate, p.predictedStatus, p.predictedValue, p.confidenceScore]);
    expect(view(after)).toEqual(view(before));
  });

  it('rejects bad input with field paths and answers 404 for a store of another organization', async () => {
    await expect(predictRisk(ctx, { asOf: '2025-13-01' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'asOf' }] });
    await expect(predictRisk(ctx, { asOf: dayOf(90), horizonDays: 9 })).rejects.toMatchObject({ details: [{ path: 'horizonDays' }] });
    await expect(predictRisk(ctx, { asOf: dayOf(90), storeIds: ['00000000-0000-4000-8000-000000000000'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('runs as the daily job from the latest evaluated day up to yesterday', async () => {
    // The clock says 2025-12-08 07:00 UTC; history runs to day 119 = 2025-12-29, so yesterday (12-07) wins.
    expect(await latestEvaluatedDate(ctx)).toBe('2025-12-07');
    const jobContext = {
      database,
      db: database.db,
      organization: ctx.organization,
      clock,
      log: ctx.log,
      jobName: predictRiskJob.name,
    } as unknown as JobContext;
    const result = await predictRiskJob.run(jobContext, { organizationId: ctx.organization.id });
    expect(result).toMatchObject({ asOf: '2025-12-07', modelVersion: 'mstl-ets-v1', predictions: 27 });
    expect(await storedPredictions('2025-12-07')).toHaveLength(27);
    expect(predictRiskJob.schedule).toEqual({ cron: '45 6 * * *', perOrganization: true });
  });
});
