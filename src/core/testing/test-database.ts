import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../db/connection.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    postgresTemplate: string;
  }
}

export const testDatabaseKind = (process.env.RETAILOPS_TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

export interface TestDatabase extends Database {
  /** Connection string of the cloned PostgreSQL database (null on PGlite). */
  url: string | null;
  /** Closes the connection and drops the cloned database. */
  destroy(): Promise<void>;
}

let snapshotBytes: Buffer | null = null;

/** A fresh, migrated database for one test file: a PGlite snapshot copy, or a clone of the PostgreSQL template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseKind === 'postgres') {
    const baseUrl = process.env.TEST_DATABASE_URL!;
    const name = `retailops_test_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database "${name}" template "${inject('postgresTemplate')}"`);
    await admin.end();
    const u = new URL(baseUrl);
    u.pathname = `/${name}`;
    const database = openPostgres(u.toString(), { max: 5 });
    return {
      ...database,
      url: u.toString(),
      destroy: async () => {
        await database.close();
        const cleanup = new pg.Client({ connectionString: baseUrl });
        await cleanup.connect();
        await cleanup.query(`drop database if exists "${name}" with (force)`);
        await cleanup.end();
      },
    };
  }
  snapshotBytes ??= readFileSync(inject('pgliteSnapshot'));
  const database = await openPglite(undefined, { loadDataDir: new Blob([new Uint8Array(snapshotBytes)]) });
  return { ...database, url: null, destroy: () => database.close() };
}
