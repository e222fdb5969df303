import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../clock.js';
import { openPostgres, type Database } from '../db/connection.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../testing/test-database.js';
import { createJobRegistry, defineJob } from './define-job.js';
import { enqueueJob } from './enqueue-job.js';
import { startJobWorker, type JobWorker } from './job-worker.js';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
const jobCount = 200;
let database: TestDatabase;
const workerDatabases: Database[] = [];
const workers: JobWorker[] = [];
let duplicateExecutions = 0;

/** Each execution claims its job id in a table with a primary key: a second execution of one job cannot hide. */
const recordExecutionJob = defineJob({
  name: 'test.record-execution',
  description: 'Records which worker executed the job',
  payload: z.object({ sequence: z.number().int() }),
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  run: async (ctx) => {
    try {
      await ctx.database.query('insert into public.job_executions (job_id, worker_id) values ($1, $2)', [ctx.jobId, ctx.workerId]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') duplicateExecutions += 1;
      else throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 3));
  },
});
const registry = createJobRegistry([recordExecutionJob]);

beforeAll(async () => {
  // PGlite is one in-process connection: there is no second process to race against.
  if (testDatabaseKind === 'postgres') database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await Promise.all(workerDatabases.map((workerDatabase) => workerDatabase.close()));
  await database?.destroy();
});

describe('two worker processes on one PostgreSQL', () => {
  it.skipIf(testDatabaseKind !== 'postgres')('never run the same job twice', async () => {
    await database.exec('create table public.job_executions (job_id uuid primary key, worker_id text not null)');
    for (const name of ['worker-one', 'worker-two']) {
      // Separate pools, as two `retailops worker` processes would have.
      const workerDatabase = openPostgres(database.url!, { max: 4, applicationName: name });
      workerDatabases.push(workerDatabase);
      workers.push(
        await startJobWorker({
          database: workerDatabase,
          registry,
          logger,
          clock: systemClock,
          workerId: name,
          pollingIntervalSeconds: 0.5,
          scheduling: false,
        }),
      );
    }

    const jobIds = new Set<string>();
    for (let start = 0; start < jobCount; start += 20) {
      const batch = Array.from({ length: 20 }, (_, i) => enqueueJob(database, registry, 'test.record-execution', { sequence: start + i }));
      for (const id of await Promise.all(batch)) jobIds.add(id);
    }
    expect(jobIds.size).toBe(jobCount);

    const deadline = Date.now() + 25_000;
    let finished = 0;
    while (Date.now() < deadline) {
      const [row] = await database.query<{ n: number }>(`select count(*)::integer as n from core.job_runs where state in ('completed', 'failed')`);
      finished = row.n;
      if (finished >= jobCount) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(finished).toBe(jobCount);

    const executions = await database.query<{ worker_id: string; n: number }>(
      'select worker_id, count(*)::integer as n from public.job_executions group by worker_id order by worker_id',
    );
    const [runs] = await database.query<{ total: number; distinct_jobs: number; completed: number }>(
      `select count(*)::integer as total, count(distinct job_id)::integer as distinct_jobs,
              count(*) filter (where state = 'completed')::integer as completed
       from core.job_runs`,
    );
    expect(duplicateExecutions).toBe(0);
    expect(runs).toEqual({ total: jobCount, distinct_jobs: jobCount, completed: jobCount });
    expect(executions.reduce((sum, row) => sum + row.n, 0)).toBe(jobCount);
    expect(executions.map((row) => row.worker_id)).toEqual(['worker-one', 'worker-two']);
    expect(executions.every((row) => row.n > 0)).toBe(true);
  });
});
