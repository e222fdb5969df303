import { readFileSync } from 'node:fs';
import path from 'node:path';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import PgBoss from 'pg-boss';
import type { Database } from './connection.js';

export const migrationsFolder = path.resolve(import.meta.dirname, '../../../migrations');
export const jobQueueSchema = 'pgboss';
/** Arbitrary but fixed: serialises concurrent `migrate` runs against one PostgreSQL database. */
const migrationLockKey = 7_316_401_117;

interface JournalEntry {
  idx: number;
  tag: string;
  when: number;
}

export function readMigrationJournal(folder = migrationsFolder): JournalEntry[] {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return journal.entries;
}

export interface MigrationStatus {
  ok: boolean;
  applied: number;
  pending: number;
  latest: string | null;
}

export async function getMigrationStatus(database: Database): Promise<MigrationStatus> {
  const journal = readMigrationJournal();
  const [{ exists }] = await database.query<{ exists: boolean }>(
    `select exists (select 1 from information_schema.tables where table_schema = 'drizzle' and table_name = '__drizzle_migrations') as exists`,
  );
  const applied = exists ? Number((await database.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations'))[0].n) : 0;
  const pending = Math.max(0, journal.length - applied);
  return { ok: pending === 0, applied, pending, latest: journal.at(-1)?.tag ?? null };
}

/** Applies committed SQL migrations and installs the job queue's schema; safe to run repeatedly and concurrently. */
export async function migrateDatabase(database: Database): Promise<{ newlyApplied: number; status: MigrationStatus }> {
  const before = await getMigrationStatus(database);
  if (database.kind === 'pglite') {
    await migratePglite(drizzlePglite(database.pglite!), { migrationsFolder });
    await ensureJobQueueSchema(database);
  } else {
    const client = await database.pool!.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
      await migrateNodePg(drizzleNodePg(client), { migrationsFolder });
      await ensureJobQueueSchema(database);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
      client.release();
    }
  }
  const status = await getMigrationStatus(database);
  return { newlyApplied: status.applied - before.applied, status };
}

async function ensureJobQueueSchema(database: Database): Promise<void> {
  const rows = await database.query<{ exists: boolean }>(
    `select exists (select 1 from information_schema.tables where table_schema = $1 and table_name = 'version') as exists`,
    [jobQueueSchema],
  );
  if (!rows[0].exists) await database.exec(PgBoss.getConstructionPlans(jobQueueSchema));
}
