import { and, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { escalationRules, kpiMetrics, type KpiStatus } from '../schema.js';
import { addDays } from '../shared/dates.js';
import { getLatestBacktest, runBacktest } from './backtest-service.js';
import { dayOf, insertHistory, insertKpi, insertStore, seedSyntheticOrg, type SyntheticOrg } from './prediction-test-data.js';
import type { SyntheticDay } from './synthetic-history.js';

let database: TestDatabase;
let synthetic: ServiceContext;
let tiny: ServiceContext;
let data: SyntheticOrg;
const clock = createFixedClock('2026-03-20T07:00:00Z');

async function organization(slug: string): Promise<ServiceContext> {
  const [org] = await database.query<{ id: string }>(`insert into core.organizations (slug, name, timezone) values ($1, $1, 'UTC') returning id`, [slug]);
  return {
    db: database.db,
    organization: { id: org.id, slug, name: slug, timezone: 'UTC' },
    actor: systemActor('test'),
    role: 'manager',
    clock,
    log: createLogger('silent'),
  };
}

/** Day 0 is Monday 2026-01-05; statuses by hand where the test reads them, green elsewhere. */
const tinyStart = '2026-01-05';
const tinyStatuses: Record<number, KpiStatus> = {
  57: 'red',
  58: 'green',
  59: 'yellow',
  60: 'green',
  61: 'green',
  62: 'green',
  63: 'yellow',
  64: 'red',
  65: 'red',
  66: 'no_data',
  67: 'green',
  68: 'red',
  69: 'yellow',
};

beforeAll(async () => {
  database = await createTestDatabase();
  synthetic = await organization('synthetic');
  data = await seedSyntheticOrg(database.db, synthetic.organization.id);
  const now = new Date('2026-01-01T00:00:00Z');
  await database.db.insert(escalationRules).values([
    {
      organizationId: synthetic.organization.id,
      name: 'red task',
      triggerCondition: 'status_red',
      durationHours: 0,
      fromLevel: 0,
      toLevel: 0,
      action: 'create_task',
      createdAt: now,
    },
    {
      organizationId: synthetic.organization.id,
      name: 'red call',
      triggerCondition: 'status_red',
      durationHours: 12,
      fromLevel: 0,
      toLevel: 1,
      action: 'ai_call',
      createdAt: now,
    },
  ]);

  tiny = await organization('tiny');
  const storeId = await insertStore(database.db, tiny.organization.id, 'T1');
  const kpiId = await insertKpi(
    database.db,
    tiny.organization.id,
    { kpiCode: 'callout_hours', category: 'labor', direction: 'lower_is_better' },
    { direction: 'lower_is_better', comparisonBasis: 'absolute', greenMin: 4, yellowMin: 8, redThreshold: 12 },
    2,
  );
  const days: SyntheticDay[] = [];
  for (let i = 0; i < 70; i++) {
    const status = tinyStatuses[i] ?? 'green';
    days.push({ date: addDays(tinyStart, i), value: status === 'no_data' ? null : 3 + 0.2 * Math.sin(i), status, rawStatus: status, comparisonValue: 4 });
  }
  await insertHistory(database.db, tiny.organization.id, storeId, kpiId, days);
});
afterAll(async () => database?.destroy());

describe('runBacktest', () => {
  it('scores the baselines exactly on a hand-checked history', async () => {
    const report = await runBacktest(tiny, { from: addDays(tinyStart, 63), to: addDays(tinyStart, 68), horizonDays: 1 });
    // Targets 64…69; 66 is no_data. Persistence predicts the status of d (for d = 66: the latest, 65's red).
    expect(report.samples).toBe(5);
    expect(report.skipped).toEqual({ noActual: 1, noPrediction: 0 });
    expect(report.confusion.persistence).toEqual({
      green: { green: 0, yellow: 0, red: 1 },
      yellow: { green: 0, yellow: 0, red: 1 },
      red: { green: 1, yellow: 1, red: 1 },
    });
    expect(report.persistence).toEqual({ samples: 5, accuracy: 0.2, redRecall: 0.3333, redPrecision: 0.3333, macroF1: 0.1111 });
    // Seasonal naive reads the target's weekday a week earlier: 57 red, 58/60/61/62 green.
    expect(report.confusion.seasonalNaive).toEqual({
      green: { green: 1, yellow: 0, red: 0 },
      yellow: { green: 1, yellow: 0, red: 0 },
      red: { green: 2, yellow: 0, red: 1 },
    });
    expect(report.seasonalNaive).toEqual({ samples: 5, accuracy: 0.4, redRecall: 0.3333, redPrecision: 1, macroF1: 0.3 });
    const modelTotal = Object.values(report.confusion.model).reduce((sum, row) => sum + row.green + row.yellow + row.red, 0);
    expect(modelTotal).toBe(5);
    // Alerts opened inside the range: the yellow of day 63 and the red of day 68 (no rules in this organization).
    expect(report.escalation.alertsOpened).toBe(2);
    expect(report.escalation.rulesFired).toBe(0);
    expect(report.protocol.refitEveryDays).toBe(1);
  });

  it('replays the synthetic chain and keeps the report as the latest', async () => {
    const report = await runBacktest(synthetic, { from: dayOf(60), to: dayOf(118), horizonDays: 1 });
    expect(report.series).toBe(6);
    expect(report.samples).toBe(6 * 59);
    expect(report.model.samples).toBe(report.persistence.samples);
    // The sliding store goes red: red shows up in the actual column of the confusion matrix.
    expect(report.confusion.persistence.red.red + report.confusion.persistence.red.yellow + report.confusion.persistence.red.green).toBeGreaterThan(10);
    // On this seeded history the model must at least match "tomorrow looks like today".
    expect(report.model.accuracy!).toBeGreaterThanOrEqual(report.persistence.accuracy!);
    expect(report.escalation.byRule.map((r) => r.name).sort()).toEqual(['red call', 'red task']);
    expect(report.escalation.levels[0].tasks).toBeGreaterThan(0);
    expect(report.escalation.levels[1].calls).toBe(report.escalation.levels[0].tasks);
    expect(await getLatestBacktest(synthetic)).toEqual(report);
    await expect(getLatestBacktest(tiny)).resolves.toMatchObject({ from: addDays(tinyStart, 63) });
  });

  it('refuses ranges over 120 days and inverted ranges, naming the field', async () => {
    await expect(runBacktest(synthetic, { from: dayOf(0), to: dayOf(120) })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'to' }] });
    await expect(runBacktest(synthetic, { from: dayOf(10), to: dayOf(9) })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'to' }] });
    await expect(runBacktest(synthetic, { from: dayOf(10), to: dayOf(20), horizonDays: 8 })).rejects.toMatchObject({ details: [{ path: 'horizonDays' }] });
  });

  it('has no leakage: changing every day after d leaves the predictions made at d unchanged', async () => {
    const d = dayOf(96);
    for (const horizonDays of [1, 3]) {
      const before = await runBacktest(synthetic, { from: d, to: d, horizonDays, includeSamples: true });
      expect(before.sampleDetails).toHaveLength(6);
      await synthetic.db
        .update(kpiMetrics)
        .set({ value: sql`${kpiMetrics.value} * 3`, status: sql`case when ${kpiMetrics.status} = 'green' then 'red' else 'green' end` })
        .where(and(eq(kpiMetrics.organizationId, synthetic.organization.id), gt(kpiMetrics.metricDate, d)));
      const after = await runBacktest(synthetic, { from: d, to: d, horizonDays, includeSamples: true });
      const predictions = (r: typeof before) => r.sampleDetails!.map(({ actual: _actual, ...prediction }) => prediction);
      expect(predictions(after)).toEqual(predictions(before));
      // The actual statuses did change, so the test would notice a model that peeked.
      expect(after.sampleDetails!.map((s) => s.actual)).not.toEqual(before.sampleDetails!.map((s) => s.actual));
    }
  });
});
