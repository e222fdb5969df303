/**
 * Time from `retailops start` to a healthy /api/health, on a fresh data folder (first start: migrate + demo)
 * and on an existing one (later start), next to the floor measured in the same run: a bare Node process
 * and PGlite opening the same kind of folder by itself.
 *
 *   npm run bench:startup            (RUNS=3 by default)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { startServerProcess, waitForExit } from '../e2e/process-harness.js';

const runs = Number(process.env.RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const results: Record<string, number[]> = {
  'node bare process': [],
  'PGlite create (new folder)': [],
  'PGlite open (existing folder)': [],
  'retailops start — first start': [],
  'retailops start — later start': [],
};

for (let i = 0; i < runs; i++) {
  let t = performance.now();
  spawnSync(process.execPath, ['-e', '']);
  results['node bare process'].push(performance.now() - t);

  const rawDir = mkdtempSync(path.join(os.tmpdir(), 'bench-pglite-'));
  t = performance.now();
  let db = await PGlite.create({ dataDir: rawDir });
  await db.query('select 1');
  results['PGlite create (new folder)'].push(performance.now() - t);
  await db.close();
  t = performance.now();
  db = await PGlite.create({ dataDir: rawDir });
  await db.query('select 1');
  results['PGlite open (existing folder)'].push(performance.now() - t);
  await db.close();
  rmSync(rawDir, { recursive: true, force: true });

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  for (const label of ['retailops start — first start', 'retailops start — later start']) {
    const server = await startServerProcess(dataDir);
    results[label].push(server.msToHealthy);
    server.child.kill('SIGTERM');
    await waitForExit(server.child);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(`\nStartup to healthy (median of ${runs} runs, ${os.cpus().length} cores, Node ${process.version})\n`);
console.log('| what | median | runs |');
console.log('|---|---|---|');
for (const [label, xs] of Object.entries(results)) console.log(`| ${label} | ${fmt(median(xs))} | ${xs.map(fmt).join(', ')} |`);
