import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import type { JobContext } from '../../../core/jobs/index.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { coachingDemoRefreshJob } from './jobs.js';
import { loadCoachingDemo } from './load-demo.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.destroy());

const clock = createFixedClock('2026-11-21T15:00:00Z');

async function organization(slug: string, config: Record<string, unknown>) {
  const [row] = await database.query<{ id: string }>(
    `insert into core.organizations (slug, name, timezone, config) values ($1, $1, 'America/New_York', $2) returning id`,
    [slug, JSON.stringify(config)],
  );
  return { id: row.id, slug, name: slug, timezone: 'America/New_York' };
}

function jobContext(org: { id: string; slug: string; name: string; timezone: string }): JobContext {
  return {
    database,
    db: database.db,
    organization: org,
    clock,
    log: createLogger('silent'),
    jobName: coachingDemoRefreshJob.name,
    jobId: '00000000-0000-4000-8000-000000000012',
    attempt: 1,
    maxAttempts: 2,
    workerId: 'test',
    signal: new AbortController().signal,
    enqueue: async () => 'x',
  };
}

const metricsRange = async (orgId: string) =>
  (
    await database.query<{ n: string; last: string | null; sessions: string }>(
      `select count(*) as n, max(metric_date)::text as last,
              (select count(*) from coaching.coaching_sessions where organization_id = $1) as sessions
       from coaching.performance_metrics where organization_id = $1`,
      [orgId],
    )
  )[0];

describe('coaching.demo-refresh', () => {
  it('leaves organizations that are not demos, or hold no coaching demo, alone', async () => {
    const real = await organization('real-centre', {});
    expect(await coachingDemoRefreshJob.run(jobContext(real), { organizationId: real.id })).toEqual({ skipped: 'not a demo organization' });
    const bare = await organization('bare-demo', { demo: true });
    expect(await coachingDemoRefreshJob.run(jobContext(bare), { organizationId: bare.id })).toEqual({ skipped: 'no coaching demo loaded' });
  });

  it('extends a demo organization’s metrics to the new yesterday, keeping the stored days and the sessions', async () => {
    const org = await organization('demo', { demo: true });
    const ctx: ServiceContext = { db: database.db, organization: org, actor: systemActor('test'), role: 'admin', clock, log: createLogger('silent') };
    await loadCoachingDemo(ctx);
    const before = await metricsRange(org.id);
    expect(before.last).toBe('2026-11-20');
    const [sample] = await database.query<{ agent_id: string; composite_score: string }>(
      `select agent_id, composite_score::text from coaching.performance_metrics where organization_id = $1 and metric_date = '2026-11-20' order by agent_id limit 1`,
      [org.id],
    );
    clock.set('2026-11-24T15:00:00Z');
    const result = (await coachingDemoRefreshJob.run(jobContext(org), { organizationId: org.id })) as { to: string; rowsWritten: number; agents: number };
    expect(result.to).toBe('2026-11-23');
    expect(result.agents).toBe(60);
    // Three new days, each agent working most of them.
    expect(result.rowsWritten).toBeGreaterThan(60 * 2);
    expect(result.rowsWritten).toBeLessThanOrEqual(59 * 3);
    // The agent on leave gets no new days.
    const [onLeave] = await database.query<{ last: string }>(
      `select max(m.metric_date)::text as last from coaching.performance_metrics m join coaching.users u on u.id = m.agent_id where u.organization_id = $1 and u.status = 'LEAVE'`,
      [org.id],
    );
    expect(onLeave.last).toBe('2026-11-15');
    const after = await metricsRange(org.id);
    expect(after.last).toBe('2026-11-23');
    expect(Number(after.n)).toBe(Number(before.n) + result.rowsWritten);
    expect(after.sessions).toBe(before.sessions);
    const [same] = await database.query<{ composite_score: string }>(
      `select composite_score::text from coaching.performance_metrics where organization_id = $1 and agent_id = $2 and metric_date = '2026-11-20'`,
      [org.id, sample.agent_id],
    );
    expect(same.composite_score).toBe(sample.composite_score);
    // A second run the same night writes nothing.
    const again = (await coachingDemoRefreshJob.run(jobContext(org), { organizationId: org.id })) as { rowsWritten: number };
    expect(again.rowsWritten).toBe(0);
  }, 120_000);
});
