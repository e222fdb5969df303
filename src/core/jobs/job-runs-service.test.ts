import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFixedClock } from '../clock.js';
import { systemActor, type OrganizationRef, type ServiceContext } from '../context.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { coreJobs } from './core-jobs.js';
import { createJobRegistry, defineJob, type EnqueueJob } from './define-job.js';
import { abandonedAttemptMessage, markAbandonedRuns } from './abandoned-runs.js';
import { getJobRun, listJobRuns, retryJobRun, runJobNow } from './job-runs-service.js';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
const clock = createFixedClock('2026-03-02T14:00:00Z');
let database: TestDatabase;
let orgA: OrganizationRef;
let orgB: OrganizationRef;
let ctxA: ServiceContext;
let ctxB: ServiceContext;
const runIdsA: Record<string, string> = {};

const enqueued: { name: string; data: unknown }[] = [];
const recordEnqueue: EnqueueJob = async (name, data) => {
  enqueued.push({ name, data });
  return `00000000-0000-4000-8000-00000000000${enqueued.length}`;
};

const reindexJob = defineJob({
  name: 'test.reindex-catalog',
  description: 'Rebuilds the search index of one organization',
  payload: z.object({ organizationId: z.uuid() }),
  run: async () => null,
});
const platformJob = defineJob({
  name: 'test.platform-vacuum',
  description: 'Platform-wide maintenance across all organizations',
  payload: z.object({}),
  schedule: { cron: '0 4 * * *', perOrganization: false, timezone: 'UTC' },
  run: async () => null,
});
const registry = createJobRegistry([...coreJobs, reindexJob, platformJob]);

async function insertOrganization(slug: string, timezone: string): Promise<OrganizationRef> {
  const [organization] = await database.query<OrganizationRef>(
    'insert into core.organizations (slug, name, timezone) values ($1, $1, $2) returning id, slug, name, timezone',
    [slug, timezone],
  );
  return organization;
}

async function insertRun(organizationId: string, name: string, state: string, startedAt: string, durationMs: number, error: string | null = null) {
  const [row] = await database.query<{ id: string }>(
    `insert into core.job_runs (job_id, name, organization_id, state, attempt, max_attempts, data, error, created_at, started_at, finished_at)
     values (gen_random_uuid(), $1, $2, $3, 1, 3, $4::text::jsonb, $5, $6, $6, $7) returning id`,
    [name, organizationId, state, JSON.stringify({ organizationId }), error, new Date(startedAt), new Date(new Date(startedAt).getTime() + durationMs)],
  );
  return row.id;
}

const contextFor = (organization: OrganizationRef): ServiceContext => ({
  db: database.db,
  organization,
  actor: systemActor('test'),
  role: 'admin',
  clock,
  log: logger,
});

beforeAll(async () => {
  database = await createTestDatabase();
  orgA = await insertOrganization('org-a', 'America/New_York');
  orgB = await insertOrganization('org-b', 'Europe/Berlin');
  ctxA = contextFor(orgA);
  ctxB = contextFor(orgB);
  runIdsA.failed = await insertRun(orgA.id, 'test.reindex-catalog', 'failed', '2026-03-02T10:00:00Z', 4_000, 'search service timed out');
  runIdsA.completed = await insertRun(orgA.id, 'test.reindex-catalog', 'completed', '2026-03-02T11:00:00Z', 12_000);
  runIdsA.slow = await insertRun(orgA.id, 'store.daily-health', 'completed', '2026-03-02T12:00:00Z', 90_000);
  await insertRun(orgB.id, 'test.reindex-catalog', 'failed', '2026-03-02T10:30:00Z', 1_000, 'B’s own failure');
  // A global job's run belongs to no organization.
  await database.query(`insert into core.job_runs (job_id, name, state) values (gen_random_uuid(), 'core.cleanup-sessions', 'completed')`);
});

afterAll(async () => {
  await database?.destroy();
});

describe('job runs are scoped to one organization', () => {
  it('never shows A’s runs to B', async () => {
    const listB = await listJobRuns(ctxB);
    expect(listB.page.total).toBe(1);
    expect(listB.data.map((run) => run.error)).toEqual(['B’s own failure']);
    for (const id of Object.values(runIdsA)) {
      await expect(getJobRun(ctxB, id)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    }
    await expect(retryJobRun(ctxB, runIdsA.failed, recordEnqueue)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(enqueued).toEqual([]);
  });

  it('lists, filters, searches and sorts A’s runs', async () => {
    const all = await listJobRuns(ctxA);
    expect(all.page).toEqual({ limit: 50, offset: 0, total: 3 });
    expect(all.data.map((run) => run.id)).toEqual([runIdsA.slow, runIdsA.completed, runIdsA.failed]);
    expect(all.data[0]).toMatchObject({ organizationId: orgA.id, durationMs: 90_000, attempt: 1, maxAttempts: 3, data: { organizationId: orgA.id } });

    expect((await listJobRuns(ctxA, { sort: 'durationMs' })).data.map((run) => run.durationMs)).toEqual([4_000, 12_000, 90_000]);
    expect((await listJobRuns(ctxA, { state: 'failed' })).data.map((run) => run.id)).toEqual([runIdsA.failed]);
    expect((await listJobRuns(ctxA, { q: 'timed out' })).data.map((run) => run.id)).toEqual([runIdsA.failed]);
    expect((await listJobRuns(ctxA, { name: 'store.daily-health' })).page.total).toBe(1);
    const page2 = await listJobRuns(ctxA, { limit: 2, offset: 2, sort: 'name' });
    expect(page2).toMatchObject({ page: { limit: 2, offset: 2, total: 3 } });
    expect(page2.data).toHaveLength(1);
    await expect(listJobRuns(ctxA, { sort: 'error' as 'name' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
  });

  it('shows one run with its output, and 404 for an id that is not a run', async () => {
    const run = await getJobRun(ctxA, runIdsA.failed);
    expect(run).toMatchObject({ id: runIdsA.failed, state: 'failed', error: 'search service timed out', output: null });
    await expect(getJobRun(ctxA, 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('retries only failed runs, with the same payload, and audits it', async () => {
    const jobId = await retryJobRun(ctxA, runIdsA.failed, recordEnqueue);
    expect(enqueued.at(-1)).toEqual({ name: 'test.reindex-catalog', data: { organizationId: orgA.id } });
    expect(jobId).toMatch(/^0{8}-/);
    await expect(retryJobRun(ctxA, runIdsA.completed, recordEnqueue)).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
    const audit = await database.query<{ action: string; organization_id: string }>(`select action, organization_id from core.audit_log where entity_id = $1`, [
      runIdsA.failed,
    ]);
    expect(audit).toEqual([{ action: 'job.retry', organization_id: orgA.id }]);
  });

  it('runs a job now for the caller’s organization, and refuses a platform-wide job', async () => {
    await runJobNow(ctxB, 'test.reindex-catalog', recordEnqueue, registry);
    expect(enqueued.at(-1)).toEqual({ name: 'test.reindex-catalog', data: { organizationId: orgB.id } });
    await runJobNow(ctxB, 'core.cleanup-sessions', recordEnqueue, registry);
    expect(enqueued.at(-1)).toEqual({ name: 'core.cleanup-sessions', data: { organizationId: orgB.id } });
    const before = enqueued.length;
    await expect(runJobNow(ctxB, 'test.platform-vacuum', recordEnqueue, registry)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(enqueued.length).toBe(before);
    await expect(runJobNow(ctxB, 'test.unknown', recordEnqueue, registry)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });
});

describe('runs left behind by a killed worker', () => {
  it('are closed as failed once pg-boss no longer has them active', async () => {
    const [stuck] = await database.query<{ id: string }>(
      `insert into core.job_runs (job_id, name, organization_id, state, started_at) values (gen_random_uuid(), 'test.reindex-catalog', $1, 'active', $2) returning id`,
      [orgA.id, new Date('2026-03-02T13:00:00Z')],
    );
    const [fresh] = await database.query<{ id: string }>(
      `insert into core.job_runs (job_id, name, organization_id, state, started_at) values (gen_random_uuid(), 'test.reindex-catalog', $1, 'active', $2) returning id`,
      [orgA.id, new Date('2026-03-02T13:59:30Z')],
    );
    expect(await markAbandonedRuns(database, clock)).toBe(1);
    expect(await getJobRun(ctxA, stuck.id)).toMatchObject({ state: 'failed', error: abandonedAttemptMessage, finishedAt: clock.now() });
    // Within the grace period it may still be starting up.
    expect((await getJobRun(ctxA, fresh.id)).state).toBe('active');
  });
});
