import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type PgBoss from 'pg-boss';
import type { Clock } from '../clock.js';
import type { OrganizationRef } from '../context.js';
import type { Database } from '../db/connection.js';
import type { Logger } from '../logger.js';
import {
  checkJobPayload,
  formatFieldIssues,
  type AnyJobDefinition,
  type EnqueueJob,
  type JobContext,
  type JobRegistry,
  type JobRunState,
} from './define-job.js';
import { enqueueJob, ensureJobQueue, listenForEnqueuedJobs, queueOptionsFor } from './enqueue-job.js';
import { abandonedAttemptMessage, markAbandonedRuns } from './abandoned-runs.js';
import { createPgBoss, createPgBossAdapter } from './pg-boss-adapter.js';
import { fireDueSchedules } from './scheduler.js';
import { forgetLongDeadWorkers, recordWorkerHeartbeat, removeWorkerHeartbeat } from './worker-heartbeat.js';

export interface JobWorkerOptions {
  database: Database;
  registry: JobRegistry;
  logger: Logger;
  clock: Clock;
  workerId?: string;
  /**
   * How often each idle queue is polled (pg-boss's floor is 0.5). Defaults to 2 s on PostgreSQL and 10 s on PGlite,
   * where every poll (~5 ms) holds the connection the HTTP server shares; there every enqueue comes from this
   * process (worker.enqueue, schedules), which wakes the poller at once, so polling only catches due retries.
   */
  pollingIntervalSeconds?: number;
  /** Fire cron schedules from this worker; safe on any number of workers at once. */
  scheduling?: boolean;
  heartbeatIntervalMs?: number;
  scheduleTickMs?: number;
  catchUpMinutes?: number;
  /** How long stop() lets running jobs finish before pg-boss fails them (they are retried later). */
  stopTimeoutMs?: number;
}

export interface JobWorker {
  workerId: string;
  /** enqueueJob bound to this worker's database and registry (any enqueue in this process wakes the poller). */
  enqueue: EnqueueJob;
  /** Lets running jobs finish (bounded), then stops polling; the Database stays open for its owner. */
  stop(): Promise<void>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
}

/** JSON text for a jsonb column; passing text (not objects) keeps pg and PGlite from encoding it differently. */
function toJsonText(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return JSON.stringify({ unserializable: String(value) });
  }
}

async function resolveOrganization(database: Database, data: unknown): Promise<{ organization: OrganizationRef | null; problem?: string }> {
  const id = data && typeof data === 'object' ? (data as Record<string, unknown>).organizationId : undefined;
  if (id === undefined || id === null) return { organization: null };
  if (typeof id !== 'string' || !uuidPattern.test(id)) return { organization: null, problem: 'organizationId: must be a UUID' };
  const [organization] = await database.query<OrganizationRef>('select id, slug, name, timezone from core.organizations where id = $1', [id]);
  return organization ? { organization } : { organization: null, problem: `organizationId: organization ${id} no longer exists` };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sleeps before each check so that work started in pending microtasks (pg-boss's completion writes) is counted. */
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  do {
    await sleep(25);
    if (condition()) return true;
  } while (Date.now() < deadline);
  return false;
}

/**
 * Starts polling every registered job's queue (one job at a time per queue), records each attempt in
 * core.job_runs, fires cron schedules and reports a heartbeat. pg-boss hands each job to exactly one worker
 * (`FOR UPDATE SKIP LOCKED`), so any number of these may run against one database.
 */
export async function startJobWorker(options: JobWorkerOptions): Promise<JobWorker> {
  const {
    database,
    registry,
    clock,
    pollingIntervalSeconds = database.kind === 'pglite' ? 10 : 2,
    scheduling = true,
    heartbeatIntervalMs = 15_000,
    scheduleTickMs = 30_000,
    catchUpMinutes = 60,
    stopTimeoutMs = 20_000,
  } = options;
  const workerId = options.workerId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const log = options.logger.child({ component: 'job-worker', workerId });
  const startedAt = clock.now();

  const adapter = createPgBossAdapter(database, log);
  const boss = createPgBoss(adapter, { supervise: true, pollingIntervalSeconds });
  boss.on('error', (error) => log.error({ err: error }, 'Job queue error'));

  const pollerIdByJob = new Map<string, string>();
  const runningAttempts = new Set<AbortController>();
  let stopping = false;

  /** Makes the queue's poller fetch now instead of at its next interval. */
  const wakePoller = (jobName: string) => {
    const pollerId = pollerIdByJob.get(jobName);
    if (pollerId && !stopping) boss.notifyWorker(pollerId);
  };

  const enqueue: EnqueueJob = (name, data, enqueueOptions) => enqueueJob(database, registry, name, data, enqueueOptions);

  async function insertRunRow(
    definition: AnyJobDefinition,
    job: PgBoss.JobWithMetadata<unknown>,
    organizationId: string | null,
    attempt: number,
    maxAttempts: number,
  ): Promise<string> {
    const [row] = await database.query<{ id: string }>(
      `insert into core.job_runs (job_id, name, organization_id, state, attempt, max_attempts, data, worker_id, created_at, started_at)
       values ($1, $2, $3, 'active', $4, $5, $6::text::jsonb, $7, $8, $8)
       on conflict (job_id, attempt) do update
         set state = 'active', worker_id = excluded.worker_id, started_at = excluded.started_at,
             finished_at = null, error = null, output = null
       returning id`,
      [job.id, definition.name, organizationId, attempt, maxAttempts, toJsonText(job.data ?? {}), workerId, clock.now()],
    );
    if (attempt > 1) {
      // An earlier attempt still marked active was cut off (worker killed, or expired); a later attempt exists now.
      await database.query(
        `update core.job_runs set state = 'retry', finished_at = $3,
           error = coalesce(error, $4)
         where job_id = $1 and attempt < $2 and state = 'active'`,
        [job.id, attempt, clock.now(), abandonedAttemptMessage],
      );
    }
    return row.id;
  }

  async function finishRunRow(runId: string, state: JobRunState, outputJson: string | null, error: string | null): Promise<void> {
    await database.query('update core.job_runs set state = $2, output = $3::text::jsonb, error = $4, finished_at = $5 where id = $1', [
      runId,
      state,
      outputJson,
      error,
      clock.now(),
    ]);
  }

  async function runWithinTimeLimit(definition: AnyJobDefinition, ctx: JobContext, payload: unknown, limitMs: number, controller: AbortController) {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`The job did not finish within its ${Math.round(limitMs / 1000)} s time limit.`));
      }, limitMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(() => definition.run(ctx, payload)), limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One attempt: record it, validate, run, record the outcome; a thrown error makes pg-boss retry with backoff. */
  async function runAttempt(definition: AnyJobDefinition, job: PgBoss.JobWithMetadata<unknown>): Promise<unknown> {
    const attempt = job.retryCount + 1;
    const maxAttempts = job.retryLimit + 1;
    const jobLog = log.child({ job: definition.name, jobId: job.id, attempt });
    const controller = new AbortController();
    runningAttempts.add(controller);
    try {
      const { organization, problem } = await resolveOrganization(database, job.data);
      const runId = await insertRunRow(definition, job, organization?.id ?? null, attempt, maxAttempts);

      // A payload that cannot run will not run on a retry either: record the failure and finish the pg-boss job.
      const check = await checkJobPayload(definition, job.data);
      if (problem || !check.ok) {
        const message = `Invalid payload, not retried: ${problem ?? (check.ok ? '' : formatFieldIssues(check.issues))}`;
        await finishRunRow(runId, 'failed', null, message);
        jobLog.error({ reason: message }, 'Job refused');
        return { refused: true, error: message };
      }

      const ctx: JobContext = {
        database,
        db: database.db,
        organization,
        clock,
        log: jobLog,
        jobName: definition.name,
        jobId: job.id,
        attempt,
        maxAttempts,
        workerId,
        signal: controller.signal,
        enqueue,
      };
      const limitMs = Number(job.expireInSeconds) * 1000 || 15 * 60_000;
      let outputJson: string | null;
      try {
        outputJson = toJsonText(await runWithinTimeLimit(definition, ctx, check.payload, limitMs, controller));
      } catch (error) {
        const willRetry = job.retryCount < job.retryLimit;
        await finishRunRow(runId, willRetry ? 'retry' : 'failed', null, describeError(error)).catch((writeError) =>
          jobLog.error({ err: writeError }, 'Could not record the failed attempt'),
        );
        jobLog.warn({ err: error, willRetry }, willRetry ? 'Job attempt failed; will retry' : 'Job failed');
        throw error;
      }
      await finishRunRow(runId, 'completed', outputJson, null);
      jobLog.info('Job completed');
      // Hand pg-boss the JSON round-trip so its own output column never sees a value it cannot encode.
      return outputJson === null ? null : JSON.parse(outputJson);
    } finally {
      runningAttempts.delete(controller);
      // Poll again straight away: pg-boss 10 otherwise waits a full interval after every job, even with more queued.
      wakePoller(definition.name);
    }
  }

  let heartbeatInFlight: Promise<void> = Promise.resolve();
  const beat = () => {
    heartbeatInFlight = recordWorkerHeartbeat(database, { workerId, startedAt, at: clock.now() }).catch((error) =>
      log.error({ err: error }, 'Could not record the worker heartbeat'),
    );
    return heartbeatInFlight;
  };

  let tickInFlight: Promise<void> | null = null;
  /** Periodic duties of a scheduling worker: due cron occurrences, then runs left behind by killed workers. */
  const tick = () => {
    if (tickInFlight || stopping) return;
    tickInFlight = (async () => {
      await fireDueSchedules({ database, registry, clock, logger: log, catchUpMinutes }).catch((error) => log.error({ err: error }, 'Schedule tick failed'));
      const closed = await markAbandonedRuns(database, clock).catch((error) => {
        log.error({ err: error }, 'Could not close abandoned job runs');
        return 0;
      });
      if (closed > 0) log.warn({ closed }, 'Closed job runs whose worker stopped before they finished');
    })().finally(() => {
      tickInFlight = null;
    });
  };

  try {
    await boss.start();
    for (const definition of registry.list()) {
      await ensureJobQueue(boss, database, definition);
      await boss.updateQueue(definition.name, { name: definition.name, ...queueOptionsFor(definition) });
      const pollerId = await boss.work<unknown>(definition.name, { pollingIntervalSeconds, batchSize: 1, includeMetadata: true }, async ([job]) =>
        runAttempt(definition, job),
      );
      pollerIdByJob.set(definition.name, pollerId);
    }
    await forgetLongDeadWorkers(database, clock.now());
    await beat();
  } catch (error) {
    stopping = true;
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    throw error;
  }

  const stopListening = listenForEnqueuedJobs(database, wakePoller);
  const heartbeatTimer = setInterval(beat, heartbeatIntervalMs).unref();
  const scheduleTimer = scheduling ? setInterval(tick, scheduleTickMs).unref() : null;
  if (scheduling) tick();
  log.info({ jobs: [...pollerIdByJob.keys()], pollingIntervalSeconds, scheduling }, 'Job worker started');

  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      stopListening();
      clearInterval(heartbeatTimer);
      if (scheduleTimer) clearInterval(scheduleTimer);
      // Past the grace period, tell still-running jobs to give up; pg-boss fails them and they retry elsewhere.
      const abortTimer = setTimeout(() => runningAttempts.forEach((controller) => controller.abort()), stopTimeoutMs).unref();
      await tickInFlight;
      await boss.stop({ graceful: true, wait: true, timeout: stopTimeoutMs }).catch((error) => log.error({ err: error }, 'Job queue stop failed'));
      // pg-boss may still deliver a job it fetched while stopping and writes completions without awaiting them.
      const drained = await waitUntil(() => runningAttempts.size === 0 && adapter.pending() === 0, stopTimeoutMs + 5_000);
      if (!drained) log.warn({ running: runningAttempts.size }, 'Stopped with job attempts still running');
      clearTimeout(abortTimer);
      await heartbeatInFlight;
      await removeWorkerHeartbeat(database, workerId).catch((error) => log.error({ err: error }, 'Could not remove the worker heartbeat'));
      log.info('Job worker stopped');
    })();
    return stopped;
  };

  return { workerId, enqueue, stop };
}
