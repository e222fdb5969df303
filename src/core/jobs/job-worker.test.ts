import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../clock.js';
import { systemActor, type ServiceContext } from '../context.js';
import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { createJobRegistry, defineJob } from './define-job.js';
import { enqueueJob, getJobSender } from './enqueue-job.js';
import { listJobRuns } from './job-runs-service.js';
import { startJobWorker, type JobWorker } from './job-worker.js';
import { getWorkerHealth } from './worker-heartbeat.js';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
let database: TestDatabase;
let worker: JobWorker;
let organization: { id: string; slug: string; name: string; timezone: string };

const attemptsByJob = new Map<string, number>();
let abortedBySignal = false;

const echoJob = defineJob({
  name: 'test.echo',
  description: 'Echoes its message',
  payload: z.object({ organizationId: z.uuid(), message: z.string().min(1) }),
  retry: { limit: 2, delaySeconds: 1, backoff: false },
  run: async (ctx, payload) => ({ echoed: payload.message, organization: ctx.organization?.slug, attempt: ctx.attempt }),
});

const flakyJob = defineJob({
  name: 'test.flaky',
  description: 'Fails twice, then succeeds',
  payload: z.object({}),
  retry: { limit: 3, delaySeconds: 1, backoff: true },
  run: async (ctx) => {
    const attempt = (attemptsByJob.get(ctx.jobId) ?? 0) + 1;
    attemptsByJob.set(ctx.jobId, attempt);
    if (attempt <= 2) throw new Error(`supplier feed unavailable (try ${attempt})`);
    return { succeededOnAttempt: ctx.attempt };
  },
});

const doomedJob = defineJob({
  name: 'test.doomed',
  description: 'Always fails',
  payload: z.object({ organizationId: z.uuid() }),
  retry: { limit: 1, delaySeconds: 1, backoff: false },
  run: async () => {
    throw new Error('the warehouse API rejected our credentials');
  },
});

const slowJob = defineJob({
  name: 'test.slow',
  description: 'Outlives its time limit',
  payload: z.object({ organizationId: z.uuid() }),
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  expireInSeconds: 1,
  run: async (ctx) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    abortedBySignal = ctx.signal.aborted;
  },
});

const steadyJob = defineJob({
  name: 'test.steady',
  description: 'Takes a moment',
  payload: z.object({}),
  run: async () => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    return { counted: 42 };
  },
});

/** Defined but not polled by the worker: proves that enqueueing needs no worker. */
const laterJob = defineJob({ name: 'test.later', description: 'Never polled here', payload: z.object({}), run: async () => null });

const registry = createJobRegistry([echoJob, flakyJob, doomedJob, slowJob, steadyJob]);
const enqueueOnlyRegistry = createJobRegistry([laterJob]);

interface RunRow {
  job_id: string;
  state: string;
  attempt: number;
  max_attempts: number;
  organization_id: string | null;
  output: unknown;
  error: string | null;
  worker_id: string | null;
  started_at: Date;
  finished_at: Date | null;
}

async function runsOf(jobId: string): Promise<RunRow[]> {
  return database.query<RunRow>('select * from core.job_runs where job_id = $1 order by attempt', [jobId]);
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const finished = (runs: RunRow[]) => runs.some((run) => run.state === 'completed' || run.state === 'failed');

beforeAll(async () => {
  database = await createTestDatabase();
  [organization] = await database.query(
    `insert into core.organizations (slug, name, timezone) values ('corner-records', 'Corner Records', 'Europe/Berlin')
     returning id, slug, name, timezone`,
  );
  worker = await startJobWorker({ database, registry, logger, clock: systemClock, pollingIntervalSeconds: 0.5, scheduling: false });
});

afterAll(async () => {
  await worker?.stop();
  await database?.destroy();
});

describe('job worker', () => {
  it('runs a job once and records the completed run with its output', async () => {
    const jobId = await worker.enqueue('test.echo', { organizationId: organization.id, message: 'restock vinyl' });
    const runs = await waitFor(() => runsOf(jobId), finished);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      state: 'completed',
      attempt: 1,
      max_attempts: 3,
      organization_id: organization.id,
      output: { echoed: 'restock vinyl', organization: 'corner-records', attempt: 1 },
      error: null,
      worker_id: worker.workerId,
    });
    expect(runs[0].finished_at!.getTime()).toBeGreaterThanOrEqual(runs[0].started_at.getTime());
  });

  it('refuses an invalid payload at enqueue, naming each wrong field', async () => {
    const error = await enqueueJob(database, registry, 'test.echo', { organizationId: 'not-a-uuid' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    const paths = ((error as AppError).details as { path: string }[]).map((issue) => issue.path).sort();
    expect(paths).toEqual(['message', 'organizationId']);
    expect((error as AppError).message).toContain('organizationId');

    await expect(enqueueJob(database, registry, 'test.nope', {})).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    await expect(enqueueJob(database, registry, 'test.flaky', ['an', 'array'])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('fails a job whose stored payload is invalid once, without retrying it', async () => {
    // Bypasses enqueue validation, as a payload written by an older release would.
    const sender = await getJobSender(database);
    const jobId = (await sender.send('test.echo', { organizationId: organization.id }))!;
    const runs = await waitFor(() => runsOf(jobId), finished);
    expect(runs).toHaveLength(1);
    expect(runs[0].state).toBe('failed');
    expect(runs[0].error).toMatch(/^Invalid payload, not retried: message: /);
    const [job] = await database.query<{ state: string; output: { refused: boolean } }>('select state, output from pgboss.job where id = $1', [jobId]);
    expect(job).toMatchObject({ state: 'completed', output: { refused: true } });

    const orphanId = (await sender.send('test.echo', { organizationId: '5f0c2a9e-0000-4000-8000-000000000000', message: 'hi' }))!;
    const orphanRuns = await waitFor(() => runsOf(orphanId), finished);
    expect(orphanRuns.map((run) => [run.state, run.organization_id, run.error])).toEqual([
      ['failed', null, 'Invalid payload, not retried: organizationId: organization 5f0c2a9e-0000-4000-8000-000000000000 no longer exists'],
    ]);
  });

  it('enqueues from a process that runs no worker', async () => {
    const jobId = await enqueueJob(database, enqueueOnlyRegistry, 'test.later', {});
    const [job] = await database.query<{ name: string; state: string }>('select name, state from pgboss.job where id = $1', [jobId]);
    expect(job).toEqual({ name: 'test.later', state: 'created' });
  });

  it('retries with backoff, and keeps a job that keeps failing visible as failed', async () => {
    const flakyId = await worker.enqueue('test.flaky', {});
    const doomedId = await worker.enqueue('test.doomed', { organizationId: organization.id });

    const flakyRuns = await waitFor(
      () => runsOf(flakyId),
      (runs) => runs.some((run) => run.state === 'completed'),
    );
    expect(flakyRuns.map((run) => [run.attempt, run.state, run.error, run.max_attempts])).toEqual([
      [1, 'retry', 'supplier feed unavailable (try 1)', 4],
      [2, 'retry', 'supplier feed unavailable (try 2)', 4],
      [3, 'completed', null, 4],
    ]);
    expect(flakyRuns[2].output).toEqual({ succeededOnAttempt: 3 });
    // Backoff: about 1–2 s before the second attempt, 2–4 s before the third.
    const gap = (from: RunRow, to: RunRow) => to.started_at.getTime() - from.finished_at!.getTime();
    expect(gap(flakyRuns[0], flakyRuns[1])).toBeGreaterThanOrEqual(900);
    expect(gap(flakyRuns[1], flakyRuns[2])).toBeGreaterThanOrEqual(1900);

    const doomedRuns = await waitFor(
      () => runsOf(doomedId),
      (runs) => runs.some((run) => run.state === 'failed'),
    );
    expect(doomedRuns.map((run) => [run.attempt, run.state])).toEqual([
      [1, 'retry'],
      [2, 'failed'],
    ]);

    const ctx: ServiceContext = { db: database.db, organization, actor: systemActor('test'), role: 'admin', clock: systemClock, log: logger };
    const listed = await listJobRuns(ctx, { state: 'failed', name: 'test.doomed' });
    expect(listed.page.total).toBe(1);
    expect(listed.data[0]).toMatchObject({ jobId: doomedId, attempt: 2, maxAttempts: 2, error: 'the warehouse API rejected our credentials' });
    expect(listed.data[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('fails an attempt that outlives its time limit and aborts its signal', async () => {
    const jobId = await worker.enqueue('test.slow', { organizationId: organization.id });
    const runs = await waitFor(() => runsOf(jobId), finished);
    expect(runs[0]).toMatchObject({ state: 'failed', error: 'The job did not finish within its 1 s time limit.' });
    await waitFor(
      async () => abortedBySignal,
      (aborted) => aborted,
      5_000,
    );
  });

  it('reports a heartbeat while running, and on stop lets the running job finish and removes the heartbeat', async () => {
    const health = await getWorkerHealth(database, systemClock);
    expect(health.ok).toBe(true);
    expect(health.workers).toBe(1);
    expect(health.lastHeartbeatAt).toBeInstanceOf(Date);
    expect((await getWorkerHealth(database, { now: () => new Date(Date.now() + 120_000) })).ok).toBe(false);

    const steadyId = await worker.enqueue('test.steady', {});
    await waitFor(
      () => runsOf(steadyId),
      (runs) => runs.length > 0,
    );
    await worker.stop();
    expect((await runsOf(steadyId)).map((run) => [run.state, run.output])).toEqual([['completed', { counted: 42 }]]);
    const after = await getWorkerHealth(database, systemClock);
    expect(after).toEqual({ ok: false, workers: 0, lastHeartbeatAt: null });
    // The caller still owns the database.
    expect(await database.query('select 1 as one')).toEqual([{ one: 1 }]);
  });
});
