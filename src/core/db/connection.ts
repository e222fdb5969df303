import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type DatabaseKind = 'pglite' | 'postgres';

/** One handle over either engine: Drizzle for queries, raw SQL for the few places that need it. */
export interface Database {
  kind: DatabaseKind;
  /** Where the data lives: a folder for PGlite, the server (without password) for PostgreSQL. */
  location: string;
  db: Db;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs parameterless SQL that may contain several statements. */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
  pglite?: PGlite;
  pool?: pg.Pool;
}

export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(unparseable url)';
  }
}

export function wrapPglite(client: PGlite, location: string): Database {
  const db = drizzlePglite(client) as unknown as Db;
  return {
    kind: 'pglite',
    location,
    db,
    pglite: client,
    query: async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params as unknown[])).rows,
    exec: async (text) => {
      await client.exec(text);
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

export async function openPglite(dataDir: string | undefined, options: { loadDataDir?: Blob | File } = {}): Promise<Database> {
  const client = await PGlite.create({ dataDir, loadDataDir: options.loadDataDir });
  return wrapPglite(client, dataDir ?? 'memory://');
}

export function openPostgres(url: string, options: { max?: number; applicationName?: string } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'retailops',
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its server must not crash the process; the next query reports the error.
  pool.on('error', () => undefined);
  const db = drizzleNodePg(pool) as unknown as Db;
  return {
    kind: 'postgres',
    location: describeDatabaseUrl(url),
    db,
    pool,
    query: async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[],
    exec: async (text) => {
      await pool.query(text);
    },
    close: async () => {
      await pool.end();
    },
  };
}
