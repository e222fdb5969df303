import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../clock.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { cleanupSessionsJob } from './core-jobs.js';
import type { JobContext } from './define-job.js';

const clock = createFixedClock('2026-03-02T03:15:00Z');
let database: TestDatabase;
let organizationId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const [organization] = await database.query<{ id: string }>(`insert into core.organizations (slug, name) values ('vinyl-hub', 'Vinyl Hub') returning id`);
  const [user] = await database.query<{ id: string }>(`insert into core.users (email, name) values ('ops@vinyl-hub.test', 'Ops') returning id`);
  for (const [id, expiresAt] of [
    ['expired-yesterday', '2026-03-01T03:00:00Z'],
    ['expired-a-second-ago', '2026-03-02T03:14:59Z'],
    ['valid-tomorrow', '2026-03-03T03:00:00Z'],
  ]) {
    await database.query(`insert into core.sessions (id, user_id, organization_id, csrf_token, expires_at) values ($1, $2, $3, 'csrf', $4)`, [
      id,
      user.id,
      organization.id,
      new Date(expiresAt),
    ]);
  }
  for (const fireAt of ['2026-02-20T05:00:00Z', '2026-02-28T05:00:00Z']) {
    await database.query(`insert into core.job_schedule_fires (schedule_name, scope, fire_at) values ('x', $1, $2)`, [organization.id, new Date(fireAt)]);
  }
  organizationId = organization.id;
  // Another organization's expired session is not this job's business.
  const [other] = await database.query<{ id: string }>(`insert into core.organizations (slug, name) values ('other-shop', 'Other') returning id`);
  await database.query(`insert into core.sessions (id, user_id, organization_id, csrf_token, expires_at) values ('other-expired', $1, $2, 'csrf', $3)`, [
    user.id,
    other.id,
    new Date('2026-03-01T00:00:00Z'),
  ]);
});

afterAll(async () => {
  await database?.destroy();
});

describe('core.cleanup-sessions', () => {
  it('deletes expired sessions and schedule fires older than a week', async () => {
    const ctx: JobContext = {
      database,
      db: database.db,
      organization: null,
      clock,
      log: createLogger('silent'),
      jobName: cleanupSessionsJob.name,
      jobId: '00000000-0000-4000-8000-000000000001',
      attempt: 1,
      maxAttempts: 4,
      workerId: 'test',
      signal: new AbortController().signal,
      enqueue: async () => {
        throw new Error('cleanup enqueues nothing');
      },
    };
    expect(await cleanupSessionsJob.run(ctx, { organizationId })).toEqual({ expiredSessionsDeleted: 2, scheduleFiresDeleted: 1 });
    expect(await database.query('select id from core.sessions order by id')).toEqual([{ id: 'other-expired' }, { id: 'valid-tomorrow' }]);
    expect(await cleanupSessionsJob.run(ctx, { organizationId })).toEqual({ expiredSessionsDeleted: 0, scheduleFiresDeleted: 0 });
  });

  it('runs daily at 03:15 in each organization’s time zone', () => {
    expect(cleanupSessionsJob.schedule).toEqual({ cron: '15 3 * * *', perOrganization: true });
  });
});
