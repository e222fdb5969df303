import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import { systemActor } from '../../../core/context.js';
import type { JobContext } from '../../../core/jobs/index.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { promotionsDemoRefreshJob } from './jobs.js';
import { loadPromotionsDemo } from './load-demo.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.destroy());

const clock = createFixedClock('2026-11-21T10:00:00Z');

async function organization(slug: string, config: Record<string, unknown>) {
  const [row] = await database.query<{ id: string }>(
    `insert into core.organizations (slug, name, timezone, config) values ($1, $1, 'Europe/Berlin', $2) returning id`,
    [slug, JSON.stringify(config)],
  );
  return { id: row.id, slug, name: slug, timezone: 'Europe/Berlin' };
}

function jobContext(org: { id: string; slug: string; name: string; timezone: string }): JobContext {
  return {
    database,
    db: database.db,
    organization: org,
    clock,
    log: createLogger('silent'),
    jobName: promotionsDemoRefreshJob.name,
    jobId: '00000000-0000-4000-8000-000000000011',
    attempt: 1,
    maxAttempts: 2,
    workerId: 'test',
    signal: new AbortController().signal,
    enqueue: async () => 'x',
  };
}

const salesRange = async (orgId: string) =>
  (
    await database.query<{ n: string; first: string | null; last: string | null; scenarios: string }>(
      `select count(*) as n, min(date)::text as first, max(date)::text as last,
              (select count(*) from promotions.promo_scenarios where organization_id = $1) as scenarios
       from promotions.sales_aggregated where organization_id = $1`,
      [orgId],
    )
  )[0];

describe('promotions.demo-refresh', () => {
  it('leaves organizations that are not demos, or hold no promotions demo, alone', async () => {
    const real = await organization('real-shop', {});
    expect(await promotionsDemoRefreshJob.run(jobContext(real), { organizationId: real.id })).toEqual({ skipped: 'not a demo organization' });
    const bare = await organization('bare-demo', { demo: true });
    expect(await promotionsDemoRefreshJob.run(jobContext(bare), { organizationId: bare.id })).toEqual({ skipped: 'no promotions demo loaded' });
    expect(Number((await salesRange(real.id)).n) + Number((await salesRange(bare.id)).n)).toBe(0);
  });

  it('moves a demo organization’s three-year history to the new yesterday and keeps its scenarios', async () => {
    const demo = await organization('demo', { demo: true });
    const ctx = { db: database.db, organization: demo, actor: systemActor('demo'), role: 'admin', clock, log: createLogger('silent') };
    await loadPromotionsDemo(ctx, { endDate: '2026-11-10' });
    const before = await salesRange(demo.id);
    expect(before.last).toBe('2026-11-10');
    const result = (await promotionsDemoRefreshJob.run(jobContext(demo), { organizationId: demo.id })) as { to: string };
    expect(result.to).toBe('2026-11-20');
    const after = await salesRange(demo.id);
    expect(after.last).toBe('2026-11-20');
    // The three-year window slides: ten days more at the end, ten fewer at the start.
    expect(after.first).toBe('2023-11-21');
    expect(before.first).toBe('2023-11-11');
    expect(Number(after.n)).toBe(Number(before.n));
    expect(after.scenarios).toBe(before.scenarios);
    // A day both runs hold keeps its figures.
    const [day] = await database.query<{ total: string }>(
      `select sum(sales_value)::text as total from promotions.sales_aggregated where organization_id = $1 and date = '2026-11-01'`,
      [demo.id],
    );
    await loadPromotionsDemo(ctx, { endDate: '2026-11-10', scenarios: false });
    const [again] = await database.query<{ total: string }>(
      `select sum(sales_value)::text as total from promotions.sales_aggregated where organization_id = $1 and date = '2026-11-01'`,
      [demo.id],
    );
    expect(again.total).toBe(day.total);
  });

  it('runs nightly, before the forecast refresh, in each organization’s time zone', () => {
    expect(promotionsDemoRefreshJob.schedule).toEqual({ cron: '10 2 * * *', perOrganization: true });
  });
});
