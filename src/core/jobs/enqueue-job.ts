import type PgBoss from 'pg-boss';
import type { Database } from '../db/connection.js';
import { assertValidJobPayload, findJobDefinition, type AnyJobDefinition, type EnqueueOptions, type JobRegistry } from './define-job.js';
import { createPgBoss, createPgBossAdapter, type SqlExecutor } from './pg-boss-adapter.js';

/** Queue settings from the definition, so retries and expiry follow the code rather than whatever the queue was created with. */
export function queueOptionsFor(definition: AnyJobDefinition): { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds?: number } {
  return {
    retryLimit: definition.retry.limit,
    retryDelay: definition.retry.delaySeconds,
    retryBackoff: definition.retry.backoff,
    ...(definition.expireInSeconds ? { expireInSeconds: definition.expireInSeconds } : {}),
  };
}

const ensuredQueues = new WeakMap<Database, Map<string, Promise<void>>>();

/** pg-boss 10 drops jobs sent to a queue that does not exist; create_queue is `on conflict do nothing`, so this is race-safe. */
export function ensureJobQueue(boss: PgBoss, database: Database, definition: AnyJobDefinition): Promise<void> {
  const queues = ensuredQueues.get(database) ?? new Map<string, Promise<void>>();
  ensuredQueues.set(database, queues);
  let ensured = queues.get(definition.name);
  if (!ensured) {
    ensured = createQueueWithRetry(boss, definition);
    queues.set(definition.name, ensured);
    ensured.catch(() => queues.delete(definition.name));
  }
  return ensured;
}

/**
 * pg-boss 10 gives each queue its own partition of pgboss.job; two processes creating queues at the same moment
 * (two workers starting on a fresh database) can deadlock on the parent table. The loser retries shortly after.
 */
async function createQueueWithRetry(boss: PgBoss, definition: AnyJobDefinition, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(definition.name, { name: definition.name, ...queueOptionsFor(definition) });
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const retriable = code === '40P01' || code === '42P07' || code === '23505';
      if (!retriable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.floor(Math.random() * 50)));
    }
  }
}

function forgetJobQueue(database: Database, name: string): void {
  ensuredQueues.get(database)?.delete(name);
}

const senders = new WeakMap<Database, Promise<PgBoss>>();

/**
 * A pg-boss instance that only sends: no maintenance, no cron, no polling, so `retailops serve` can enqueue
 * without becoming a worker. One per Database, started on first use; it holds no timers and needs no stop.
 */
export function getJobSender(database: Database): Promise<PgBoss> {
  let sender = senders.get(database);
  if (!sender) {
    const boss = createPgBoss(createPgBossAdapter(database), { supervise: false });
    // A sender runs no workers, so pg-boss has nothing to report here; without a listener an 'error' event would throw.
    boss.on('error', () => undefined);
    sender = boss.start();
    senders.set(database, sender);
    sender.catch(() => senders.delete(database));
  }
  return sender;
}

/** Sends an already validated payload; `db` lets the caller put the job in its own transaction. */
export async function sendJob(
  boss: PgBoss,
  database: Database,
  definition: AnyJobDefinition,
  data: object,
  options: EnqueueOptions & { db?: SqlExecutor } = {},
): Promise<string> {
  // With a caller's transaction the caller ensures the queue first: on PGlite a query outside it would wait forever.
  if (!options.db) await ensureJobQueue(boss, database, definition);
  const sendOptions: PgBoss.SendOptions = {
    ...queueOptionsFor(definition),
    ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(options.db ? { db: options.db as PgBoss.Db } : {}),
  };
  let id = await boss.send(definition.name, data, sendOptions);
  if (!id && !options.db) {
    // The queue was deleted behind our cache's back: recreate it once.
    forgetJobQueue(database, definition.name);
    await ensureJobQueue(boss, database, definition);
    id = await boss.send(definition.name, data, sendOptions);
  }
  if (!id) throw new Error(`pg-boss did not accept job "${definition.name}"; does its queue exist?`);
  return id;
}

type EnqueueListener = (jobName: string) => void;
const enqueueListeners = new WeakMap<Database, Set<EnqueueListener>>();

/** Lets a worker in this process hear about jobs queued here, so it fetches them at once rather than at its next poll. */
export function listenForEnqueuedJobs(database: Database, listener: EnqueueListener): () => void {
  const listeners = enqueueListeners.get(database) ?? new Set<EnqueueListener>();
  enqueueListeners.set(database, listeners);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Call only once the job is committed: a worker woken earlier would not see it. */
export function announceEnqueuedJob(database: Database, jobName: string): void {
  enqueueListeners.get(database)?.forEach((listener) => listener(jobName));
}

/**
 * Validates the payload (400 VALIDATION_FAILED with field paths; 404 for an unknown job) and queues the job;
 * works in any process, worker or not. Returns the pg-boss job id.
 */
export async function enqueueJob(database: Database, registry: JobRegistry, name: string, data: unknown, options: EnqueueOptions = {}): Promise<string> {
  const definition = findJobDefinition(registry, name);
  await assertValidJobPayload(definition, data);
  const jobId = await sendJob(await getJobSender(database), database, definition, data as object, options);
  if (options.startAfter === undefined) announceEnqueuedJob(database, name);
  return jobId;
}
