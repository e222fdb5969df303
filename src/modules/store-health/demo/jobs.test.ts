import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import { createLogger } from '../../../core/logger.js';
import type { JobContext } from '../../../core/jobs/index.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { demoRefreshJob } from './jobs.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.destroy());

function jobContext(organization: { id: string; slug: string; name: string; timezone: string }): JobContext {
  return {
    database,
    db: database.db,
    organization,
    clock: createFixedClock('2026-11-21T10:00:00Z'),
    log: createLogger('silent'),
    jobName: demoRefreshJob.name,
    jobId: '00000000-0000-4000-8000-000000000009',
    attempt: 1,
    maxAttempts: 2,
    workerId: 'test',
    signal: new AbortController().signal,
    enqueue: async () => 'x',
  };
}

describe('store-health.demo-refresh', () => {
  it('leaves organizations that are not demos alone', async () => {
    const [org] = await database.query<{ id: string }>(
      `insert into core.organizations (slug, name, config) values ('demo', 'Real shop called demo', '{}') returning id`,
    );
    const result = await demoRefreshJob.run(jobContext({ id: org.id, slug: 'demo', name: 'x', timezone: 'UTC' }), { organizationId: org.id });
    expect(result).toEqual({ skipped: 'not a demo organization' });
    const [{ n }] = await database.query<{ n: string }>('select count(*) as n from store_health.stores');
    expect(Number(n)).toBe(0);
  });

  it('runs nightly in each organization’s time zone', () => {
    expect(demoRefreshJob.schedule).toEqual({ cron: '15 5 * * *', perOrganization: true });
  });
});
