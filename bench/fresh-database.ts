import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../src/core/db/connection.js';

/**
 * An empty database for one measurement: a PGlite folder in the temp dir when `postgresUrl` is null, else a database
 * `retailops_bench_<label>` created on that server (dropped first if a crashed run left it). `cleanup` removes it.
 */
export async function openFreshBenchDatabase(postgresUrl: string | null, label: string): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  const slug = label.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
  if (!postgresUrl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), `bench-${slug}-`));
    const database = await openPglite(dir);
    return { database, cleanup: async () => (await database.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `retailops_bench_${slug}`;
  const dropAndMaybeCreate = async (create: boolean) => {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    if (create) await admin.query(`create database ${name}`);
    await admin.end();
  };
  await dropAndMaybeCreate(true);
  const u = new URL(postgresUrl);
  u.pathname = `/${name}`;
  const database = openPostgres(u.toString(), { max: 4 });
  return { database, cleanup: async () => (await database.close(), await dropAndMaybeCreate(false)) };
}

/** Peak RSS of this process: VmHWM starts afresh at exec, while getrusage's maxRSS keeps the forking parent's. */
export function peakRssMb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Math.round(Number(match[1]) / 1024);
  } catch {
    // not Linux: fall back below
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
