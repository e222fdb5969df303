import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/core/db/connection.js';
import { migrateDatabase } from '../src/core/db/migrate.js';
import { coreJobs, createJobRegistry, enqueueJob } from '../src/core/jobs/index.js';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot, waitForExit, withScratchPostgresDatabase } from './process-harness.js';

const postgresUrl = process.env.TEST_DATABASE_URL;
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map(waitForExit));
});

describe.skipIf(!postgresUrl)('two `retailops worker` processes on one PostgreSQL', () => {
  it('run each job exactly once', async () => {
    await withScratchPostgresDatabase(postgresUrl!, 'workers', async (databaseUrl) => {
      const url = new URL(databaseUrl);
      const database = openPostgres(databaseUrl, { max: 4 });
      try {
        await migrateDatabase(database);
        const outputs: string[] = [];
        for (let i = 0; i < 2; i++) {
          const child = spawn(process.execPath, [path.join(repoRoot, 'bin/retailops.mjs'), 'worker'], {
            cwd: repoRoot,
            env: { ...process.env, DATABASE_URL: url.toString(), RETAILOPS_DEMO: 'false', LOG_LEVEL: 'warn' },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          outputs[i] = '';
          child.stdout!.on('data', (d) => (outputs[i] += d));
          child.stderr!.on('data', (d) => (outputs[i] += d));
          children.push(child);
        }
        // Both workers report a heartbeat before any job exists.
        const ready = Date.now() + 30_000;
        while (Date.now() < ready) {
          const [{ n }] = await database.query<{ n: number }>('select count(*)::integer as n from core.worker_heartbeats');
          if (n === 2) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        const registry = createJobRegistry(coreJobs);
        const [organization] = await database.query<{ id: string }>(`insert into core.organizations (slug, name) values ('workers', 'Workers') returning id`);
        const jobCount = 60;
        const jobIds = new Set<string>();
        for (let i = 0; i < jobCount; i++) jobIds.add(await enqueueJob(database, registry, 'core.cleanup-sessions', { organizationId: organization.id }));
        expect(jobIds.size).toBe(jobCount);

        const deadline = Date.now() + 60_000;
        let done = 0;
        while (Date.now() < deadline && done < jobCount) {
          [{ n: done }] = await database.query<{ n: number }>(
            `select count(*)::integer as n from core.job_runs where name = 'core.cleanup-sessions' and state = 'completed'`,
          );
          await new Promise((r) => setTimeout(r, 200));
        }
        const [runs] = await database.query<{ total: number; distinct_jobs: number; workers: number; retried: number }>(
          `select count(*)::integer as total, count(distinct job_id)::integer as distinct_jobs, count(distinct worker_id)::integer as workers,
                count(*) filter (where attempt > 1)::integer as retried from core.job_runs where name = 'core.cleanup-sessions'`,
        );
        expect(runs, outputs.join('\n')).toMatchObject({ total: jobCount, distinct_jobs: jobCount, retried: 0 });
        const [{ n: completedInQueue }] = await database.query<{ n: number }>(
          `select count(*)::integer as n from pgboss.job where name = 'core.cleanup-sessions' and state = 'completed'`,
        );
        expect(completedInQueue).toBe(jobCount);
        // Both workers started side by side on a fresh database and are still running.
        expect(
          children.map((c) => c.exitCode),
          outputs.join('\n'),
        ).toEqual([null, null]);
      } finally {
        for (const child of children) child.kill('SIGTERM');
        await Promise.all(children.map(waitForExit));
        await database.close();
      }
    });
  }, 120_000);
});
