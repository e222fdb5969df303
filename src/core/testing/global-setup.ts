import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import type {} from './test-database.js';
import { openPglite, openPostgres } from '../db/connection.js';
import { migrateDatabase, migrationsFolder } from '../db/migrate.js';

/** Hash of the committed migrations: a changed migration gets a fresh snapshot and template. */
function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(path.join(migrationsFolder, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * Runs once per `vitest run`: migrates one PGlite database and dumps it to a file (each test file loads a copy),
 * and on PostgreSQL creates a migrated template database that each test file clones.
 */
export default async function setup(project: TestProject) {
  const provide = (key: 'pgliteSnapshot' | 'postgresTemplate', value: string) => project.provide(key, value);
  const fingerprint = migrationsFingerprint();
  // Runs in the main process, where a project's `env` does not apply: the project name says which database.
  const kind = project.name === 'postgres' ? 'postgres' : 'pglite';
  if (kind === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('RETAILOPS_TEST_DB=postgres needs TEST_DATABASE_URL');
    const templateName = `retailops_tpl_${fingerprint}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [templateName]);
      if (exists.rowCount === 0) {
        const building = `${templateName}_build_${process.pid}`;
        await admin.query(`create database "${building}"`);
        const u = new URL(url);
        u.pathname = `/${building}`;
        const database = openPostgres(u.toString(), { max: 2 });
        await migrateDatabase(database);
        await database.close();
        // Rename at the end so a crashed build never leaves a half-migrated template behind.
        await admin.query(`alter database "${building}" rename to "${templateName}"`).catch(async (error) => {
          await admin.query(`drop database if exists "${building}"`);
          if (!String(error.message).includes('already exists')) throw error;
        });
      }
    } finally {
      await admin.end();
    }
    provide('postgresTemplate', templateName);
    provide('pgliteSnapshot', '');
    return;
  }
  const dir = path.join(os.tmpdir(), 'retailops-test');
  mkdirSync(dir, { recursive: true });
  const snapshotPath = path.join(dir, `snapshot-${fingerprint}.tar`);
  const database = await openPglite(undefined);
  await migrateDatabase(database);
  const dump = await database.pglite!.dumpDataDir('none');
  writeFileSync(snapshotPath, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  provide('pgliteSnapshot', snapshotPath);
  provide('postgresTemplate', '');
}
