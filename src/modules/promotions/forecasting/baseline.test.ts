import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import type { JobContext } from '../../../core/jobs/index.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { createOrganization } from '../../../core/tenancy/organizations-service.js';
import { forecastBacktests } from '../schema.js';
import { addDays } from '../shared/dates.js';
import { newestCompletedBacktest, runForecastBacktest } from './backtest.js';
import { forecastBaseline, refreshBaselineForecasts } from './baseline.js';
import { refreshForecastsJob } from './jobs.js';
import { insertSyntheticSales, syntheticDays } from './synthetic-sales.js';

let database: TestDatabase;
let ctx: ServiceContext;
const clock = createFixedClock('2026-03-02T06:00:00Z');
const start = '2025-06-02';
const days = 240;
const last = addDays(start, days - 1);
/** From this day on, TV online sells three times as much: a forecast trained before it must not know. */
const jump = addDays(start, 200);

beforeAll(async () => {
  database = await createTestDatabase();
  const org = await createOrganization({ db: database.db, clock, actor: systemActor('test') }, { slug: 'fc-base', name: 'Forecast base', timezone: 'UTC' });
  ctx = { db: database.db, organization: org, actor: systemActor('test'), role: 'admin', clock, log: createLogger('silent') };
  const tv = syntheticDays({
    department: 'TV',
    channel: 'online',
    start,
    days,
    level: 3_000,
    noise: 0.05,
    seed: 5,
    promotions: { every: 35, length: 4, uplift: 2, discountPct: 20, offset: 10 },
  }).map((d) => (d.date >= jump ? { ...d, sales: d.sales * 3, margin: d.margin * 3, units: d.units * 3 } : d));
  const audio = syntheticDays({ department: 'Audio', channel: 'offline', start, days, level: 1_000, noise: 0.05, seed: 6 });
  await insertSyntheticSales(database.db, org.id, [...tv, ...audio]);
});
afterAll(async () => database?.destroy());

describe('forecastBaseline', () => {
  it('falls back to the weekday average of non-promo days before any backtest', async () => {
    const result = await forecastBaseline(ctx, { from: addDays(last, 1), to: addDays(last, 7), departments: ['Audio'] });
    expect(result.model).toBe('dow_average');
    expect(result.days).toHaveLength(7);
    // Level 1,000 with the retail weekday profile (Saturday 1.5×, Monday 0.8×).
    const saturday = result.days.find((d) => new Date(`${d.date}T00:00:00Z`).getUTCDay() === 6)!;
    expect(saturday.salesValue).toBeGreaterThan(1_400);
    expect(saturday.salesValue).toBeLessThan(1_600);
    expect(saturday.marginValue / saturday.salesValue).toBeCloseTo(0.25, 2);
    expect(saturday.units).toBe(Math.round(saturday.salesValue / 100));
  });

  it('with trainedThrough, learns nothing from later days: the same answer as if they had never been imported', async () => {
    await runForecastBacktest(ctx, { horizon: 14, folds: 2 });
    const request = { from: addDays(jump, 1), to: addDays(jump, 20), departments: ['TV'] };
    const trained = await forecastBaseline(ctx, { ...request, trainedThrough: addDays(jump, -1) });
    const untrained = await forecastBaseline(ctx, request);
    const mean = (r: typeof trained) => r.days.reduce((a, d) => a + d.salesValue, 0) / r.days.length;
    // The default learns the jump (in-sample), the cut-off one cannot.
    expect(mean(untrained)).toBeGreaterThan(1.8 * mean(trained));
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`delete from promotions.sales_aggregated where organization_id = ${ctx.organization.id} and date >= ${jump}::date`);
        const withoutLaterData = await forecastBaseline({ ...ctx, db: tx as unknown as ServiceContext['db'] }, request);
        expect(withoutLaterData).toEqual(trained);
        tx.rollback();
      })
      .catch((error: Error) => {
        if (!/rollback/i.test(error.message)) throw error;
      });
  });

  it('refresh stores 120 days from the chosen models and the live path reads them back', async () => {
    const latest = await newestCompletedBacktest(ctx);
    const first = await refreshBaselineForecasts(ctx);
    // The backtest above covers the current data and is fresh, so it is not re-run.
    expect(first.backtest).toEqual({ id: latest!.id, reran: false, reason: 'up to date' });
    // 240 days of history (in-sample, the whole history), the 28 days before it and 120 ahead, for each of the two series.
    expect(first.forecastRows).toBe(2 * (28 + 240 + 120));
    // A request over the whole history (uplift fitting asks for every promotion ± 28 days) is served from the table.
    const whole = await forecastBaseline(ctx, { from: addDays(start, -28), to: addDays(last, 28) });
    expect(whole.days).toHaveLength(2 * (28 + 240 + 28));
    await database.db.execute(
      sql`update promotions.baseline_forecasts set forecast_sales_value = 777 where organization_id = ${ctx.organization.id} and department = 'TV' and date = ${addDays(start, 5)}::date`,
    );
    const early = await forecastBaseline(ctx, { from: addDays(start, -28), to: addDays(last, 28), departments: ['TV'] });
    expect(early.days.find((d) => d.date === addDays(start, 5))!.salesValue).toBe(777);
    const request = { from: addDays(last, 1), to: addDays(last, 31) };
    const stored = await forecastBaseline(ctx, request);
    expect(stored.days).toHaveLength(2 * 31);
    const chosen = Object.fromEntries(latest!.results.map((r) => [`${r.department}|${r.channel}`, r.chosen]));
    expect(stored.modelBySeries).toEqual(chosen);
    // Proof that the answer comes from the table: a changed stored value comes back.
    await database.db.execute(
      sql`update promotions.baseline_forecasts set forecast_sales_value = 12345 where organization_id = ${ctx.organization.id} and department = 'Audio' and date = ${addDays(last, 1)}::date`,
    );
    const again = await forecastBaseline(ctx, request);
    expect(again.days.find((d) => d.department === 'Audio' && d.date === addDays(last, 1))!.salesValue).toBe(12345);
    // Past days are stored too (the in-sample fit the explorer overlays), and served from the table.
    await database.db.execute(
      sql`update promotions.baseline_forecasts set forecast_sales_value = 54321 where organization_id = ${ctx.organization.id} and department = 'TV' and date = ${addDays(last, -3)}::date`,
    );
    const past = await forecastBaseline(ctx, { from: addDays(last, -30), to: last, departments: ['TV'] });
    expect(past.days).toHaveLength(31);
    expect(past.days.find((d) => d.date === addDays(last, -3))!.salesValue).toBe(54321);
    // A range past the stored horizon is fitted on the fly instead.
    const beyond = await forecastBaseline(ctx, { from: addDays(last, 100), to: addDays(last, 130) });
    expect(beyond.days).toHaveLength(2 * 31);
    for (const r of latest!.results) expect(r.fastChosen).not.toBe('prophet');
    // That live path never fits the slow model: were Prophet chosen for TV, the best fast model answers instead,
    // while an explicit training end (the post-mortem path) fits Prophet itself.
    const results = latest!.results.map((r) => (r.department === 'TV' ? { ...r, chosen: 'prophet', fastChosen: 'seasonal_naive' } : r));
    await database.db
      .update(forecastBacktests)
      .set({ results: results as never })
      .where(eq(forecastBacktests.id, latest!.id));
    const live = await forecastBaseline(ctx, { from: addDays(last, 100), to: addDays(last, 130), departments: ['TV'] });
    expect(live.modelBySeries).toEqual({ 'TV|online': 'seasonal_naive' });
    const postMortem = await forecastBaseline(ctx, {
      from: addDays(last, -20),
      to: addDays(last, -10),
      departments: ['TV'],
      trainedThrough: addDays(last, -21),
    });
    expect(postMortem.modelBySeries).toEqual({ 'TV|online': 'prophet' });
    expect(postMortem.days.every((d) => d.salesValue > 0)).toBe(true);
    await database.db
      .update(forecastBacktests)
      .set({ results: latest!.results as never })
      .where(eq(forecastBacktests.id, latest!.id));

    // New sales make the backtest older than the data: the refresh re-runs it, and the stale rows are not served.
    await insertSyntheticSales(
      database.db,
      ctx.organization.id,
      syntheticDays({ department: 'Audio', channel: 'offline', start: addDays(last, 1), days: 1, level: 1_000, seed: 9 }),
    );
    const stale = await forecastBaseline(ctx, { from: addDays(last, 2), to: addDays(last, 3), departments: ['Audio'] });
    expect(stale.days.every((d) => d.salesValue !== 12345)).toBe(true);
    const second = await refreshBaselineForecasts(ctx);
    expect(second.backtest).toMatchObject({ reran: true, reason: expect.stringContaining(`sales now run through ${addDays(last, 1)}`) });
    clock.advance(8 * 86_400_000);
    const third = await refreshBaselineForecasts(ctx);
    expect(third.backtest).toMatchObject({ reran: true, reason: 'the backtest is 8 days old' });
  });

  it('runs as the promotions.refresh-forecasts job for the organization in its payload', async () => {
    const jobCtx = {
      database,
      db: database.db,
      organization: ctx.organization,
      clock,
      log: ctx.log,
      jobName: refreshForecastsJob.name,
      jobId: 'test',
      attempt: 1,
      maxAttempts: 3,
      workerId: 'test',
      signal: new AbortController().signal,
      enqueue: async () => 'none',
    } as JobContext;
    const result = (await refreshForecastsJob.run(jobCtx, { organizationId: ctx.organization.id })) as Awaited<ReturnType<typeof refreshBaselineForecasts>>;
    expect(result).toMatchObject({ lastSalesDate: addDays(last, 1), backtest: { reran: false, reason: 'up to date' } });
    expect(result.forecastRows).toBeGreaterThan(0);
    expect(refreshForecastsJob.schedule).toEqual({ cron: '30 3 * * *', perOrganization: true });
  });

  it('stores a cancelled backtest as cancelled and keeps the previous one in force', async () => {
    const before = await newestCompletedBacktest(ctx);
    clock.advance(1_000);
    const controller = new AbortController();
    controller.abort();
    await expect(runForecastBacktest(ctx, { horizon: 14, folds: 2 }, { signal: controller.signal })).rejects.toMatchObject({ code: 'PROMOTIONS_CANCELLED' });
    const [row] = await database.db
      .execute(
        sql`select status from promotions.forecast_backtests where organization_id = ${ctx.organization.id} order by started_at desc, completed_at desc limit 1`,
      )
      .then((r) => (r as unknown as { rows: { status: string }[] }).rows);
    expect(row.status).toBe('cancelled');
    expect((await newestCompletedBacktest(ctx))!.id).toBe(before!.id);
  });
});
