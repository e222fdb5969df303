import { createRequire } from 'node:module';
import PgBoss from 'pg-boss';
import type { Database } from '../db/connection.js';
import { jobQueueSchema } from '../db/migrate.js';
import type { Logger } from '../logger.js';

export interface SqlResult {
  rows: any[];
}

/** The shape pg-boss calls for every statement (its `db` option and the per-call `db` of send/fetch). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<SqlResult>;
}

export interface TrackedSqlExecutor extends SqlExecutor {
  /** Statements started and not yet settled; stop() waits for zero before handing the connection back. */
  pending(): number;
}

function lastResult(result: unknown): SqlResult {
  const last = Array.isArray(result) ? result.at(-1) : result;
  return (last as SqlResult | undefined) ?? { rows: [] };
}

/**
 * pg-boss 10 fires complete()/fail() without awaiting them, so a failing statement there would be an
 * unhandled rejection that ends the process. We recognise those two statements and log instead; the job
 * then stays active until pg-boss expires and retries it.
 */
function unawaitedCompletionStatements(schema: string): Set<string> {
  try {
    const plans = createRequire(import.meta.url)('pg-boss/src/plans.js') as Record<string, (schema: string) => string>;
    return new Set([plans.completeJobs(schema), plans.failJobsById(schema)]);
  } catch {
    return new Set();
  }
}

async function executeOnPglite(database: Database, text: string, values?: unknown[]): Promise<SqlResult> {
  const pglite = database.pglite!;
  if (values && values.length > 0) return pglite.query(text, values);
  // Inside a transaction so that a failing `BEGIN; …; COMMIT;` batch is rolled back before the shared connection
  // serves anyone else (a bare exec would leave it in an aborted transaction for the HTTP server too).
  return pglite.transaction(async (tx) => lastResult(await tx.exec(text)));
}

async function executeOnPostgres(database: Database, text: string, values?: unknown[]): Promise<SqlResult> {
  const pool = database.pool!;
  if (values && values.length > 0) return pool.query(text, values);
  // Multi-statement batches may open a transaction; on error it must not go back to the pool still open.
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return lastResult(await client.query(text));
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Runs pg-boss's SQL on our Database, so it shares the app's pool (PostgreSQL) or its single connection (PGlite). */
export function createPgBossAdapter(database: Database, log?: Logger, schema = jobQueueSchema): TrackedSqlExecutor {
  const completionStatements = unawaitedCompletionStatements(schema);
  let pending = 0;
  const execute = database.kind === 'pglite' ? executeOnPglite : executeOnPostgres;
  return {
    pending: () => pending,
    async executeSql(text, values) {
      pending += 1;
      try {
        return await execute(database, text, values);
      } catch (error) {
        if (completionStatements.has(text)) {
          log?.warn({ err: error }, 'Could not record a job as finished; pg-boss will retry it after it expires.');
          return { rows: [{ count: 0 }] };
        }
        throw error;
      } finally {
        pending -= 1;
      }
    },
  };
}

/** One transaction on either engine, for statements that must commit together (a schedule fire and its job). */
export async function runInSqlTransaction<T>(database: Database, work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
  if (database.kind === 'pglite') {
    return database.pglite!.transaction(async (tx) => work({ executeSql: async (text, values) => tx.query(text, values as unknown[] | undefined) }));
  }
  const client = await database.pool!.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work({ executeSql: async (text, values) => client.query(text, values as unknown[] | undefined) });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

export interface PgBossSettings {
  /** Worker processes expire stuck jobs and archive old ones; a process that only enqueues leaves that to them. */
  supervise: boolean;
  /** Minimum 0.5 (pg-boss's floor). */
  pollingIntervalSeconds?: number;
}

export function createPgBoss(adapter: SqlExecutor, settings: PgBossSettings): PgBoss {
  return new PgBoss({
    db: adapter as PgBoss.Db,
    schema: jobQueueSchema,
    migrate: true,
    supervise: settings.supervise,
    // Cron lives in our scheduler: pg-boss's schedule table keys by queue name only, not per organization.
    schedule: false,
    // pg-boss checks `'pollingIntervalSeconds' in config`, so an undefined value must not be passed at all.
    ...(settings.pollingIntervalSeconds !== undefined ? { pollingIntervalSeconds: settings.pollingIntervalSeconds } : {}),
  });
}
