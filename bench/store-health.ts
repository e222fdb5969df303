/**
 * Store-health ingestion + evaluation at chain scale, next to the floor measured in the same run:
 * COPY of the same rows into a plain table plus one set-based SQL evaluation (4-week same-weekday baseline,
 * variance and status by threshold) — what the database alone costs for the same work.
 *
 *   npm run bench:store-health                        # PGlite, 1,000 stores × 20 KPIs × 365 days
 *   BENCH_DATABASE_URL=postgres://… npm run bench:store-health
 *   STORES=100 KPIS=10 DAYS=90 npm run bench:store-health   # smaller
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { systemClock } from '../src/core/clock.js';
import { systemActor, type ServiceContext } from '../src/core/context.js';
import { openPglite, openPostgres, type Database } from '../src/core/db/connection.js';
import { migrateDatabase } from '../src/core/db/migrate.js';
import { createLogger } from '../src/core/logger.js';
import { createOrganization } from '../src/core/tenancy/organizations-service.js';
import { evaluateDateRange } from '../src/modules/store-health/evaluation/index.js';
import { importStoreHealthFile } from '../src/modules/store-health/ingestion/import-file.js';
import { ingestMetricsBatch } from '../src/modules/store-health/ingestion/metrics-service.js';
import { createKpi } from '../src/modules/store-health/kpi-config/service.js';
import { addDays, dateRange } from '../src/modules/store-health/shared/dates.js';

const stores = Number(process.env.STORES ?? 1000);
const kpis = Number(process.env.KPIS ?? 20);
const days = Number(process.env.DAYS ?? 365);
const url = process.env.BENCH_DATABASE_URL;
const firstDay = '2025-01-01';
const dates = dateRange(firstDay, addDays(firstDay, days - 1));
const totalRows = stores * kpis * days;
const storeCodes = Array.from({ length: stores }, (_, i) => `S${String(i + 1).padStart(4, '0')}`);
const kpiCodes = Array.from({ length: kpis }, (_, i) => `kpi_${i + 1}`);

/** Deterministic values with a weekly pattern and an occasional dip, so every status occurs. */
function valueOf(s: number, k: number, d: number): number {
  const weekday = d % 7;
  const base = 1000 + s * 3 + k * 50;
  const seasonal = weekday >= 5 ? 1.25 : 1;
  const noise = ((s * 7919 + k * 104729 + d * 1299709) % 1000) / 1000 - 0.5;
  const dip = (s + d) % 97 === 0 ? 0.7 : 1;
  return Math.round(base * seasonal * dip * (1 + noise * 0.1) * 100) / 100;
}

async function openBenchDatabase(): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  if (!url) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-sh-'));
    const database = await openPglite(dir);
    return { database, cleanup: async () => (await database.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('drop database if exists retailops_bench_sh with (force)');
  await admin.query('create database retailops_bench_sh');
  await admin.end();
  const u = new URL(url);
  u.pathname = '/retailops_bench_sh';
  const database = openPostgres(u.toString(), { max: 4 });
  return { database, cleanup: () => database.close() };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;

const { database, cleanup } = await openBenchDatabase();
try {
  await migrateDatabase(database);
  const org = await createOrganization({ db: database.db, clock: systemClock, actor: systemActor('bench') }, { slug: 'bench', name: 'Bench', timezone: 'UTC' });
  const ctx: ServiceContext = { db: database.db, organization: org, actor: systemActor('bench'), role: 'admin', clock: systemClock, log: createLogger('warn') };
  const everyDay = { open: '00:00', close: '23:59' };
  const hours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [`hours_${d}`, `${everyDay.open}-${everyDay.close}`]));
  const header = ['store_code', 'name', 'timezone', 'region', 'district', ...Object.keys(hours)];
  const storeCsv = [
    header.join(','),
    ...storeCodes.map((code, i) => [code, `Store ${code}`, 'UTC', `Region ${i % 5}`, `District ${i % 40}`, ...Object.values(hours)].join(',')),
  ].join('\n');
  await importStoreHealthFile(ctx, { kind: 'stores', fileName: 'stores.csv', bytes: Buffer.from(storeCsv) });
  for (const [k, code] of kpiCodes.entries()) {
    const relative = k % 2 === 0;
    await createKpi(ctx, {
      kpiCode: code,
      name: code,
      unit: 'count',
      category: 'sales',
      threshold: relative
        ? { greenMin: 95, yellowMin: 85, redThreshold: 85, comparisonBasis: 'rolling_4w', priority: (k % 5) + 1 }
        : { greenMin: 1000, yellowMin: 900, redThreshold: 900, comparisonBasis: 'absolute', priority: (k % 5) + 1 },
    });
  }
  console.log(`\nstore-health bench on ${database.kind}: ${stores} stores × ${kpis} KPIs × ${days} days = ${totalRows.toLocaleString('en-US')} rows`);

  // Ours: the validated ingestion path in batches of 50,000 (the API's limit), then the evaluation engine.
  const batchSize = 50_000;
  let batch: { storeCode: string; kpiCode: string; metricDate: string; value: number }[] = [];
  const t0 = performance.now();
  for (const [d, date] of dates.entries()) {
    for (const [s, storeCode] of storeCodes.entries()) {
      for (const [k, kpiCode] of kpiCodes.entries()) batch.push({ storeCode, kpiCode, metricDate: date, value: valueOf(s, k, d) });
      if (batch.length >= batchSize) {
        await ingestMetricsBatch(ctx, { metrics: batch });
        batch = [];
      }
    }
  }
  if (batch.length) await ingestMetricsBatch(ctx, { metrics: batch });
  const ingestMs = performance.now() - t0;
  const t1 = performance.now();
  let lastAt = performance.now();
  const evaluation = await evaluateDateRange(ctx, {
    from: dates[0],
    to: dates.at(-1)!,
    onProgress: (p) => {
      if (process.env.BENCH_VERBOSE) console.log(`  ${p.step}: ${Math.round(performance.now() - lastAt)} ms`);
      lastAt = performance.now();
    },
  });
  const evaluateMs = performance.now() - t1;

  // Floor: COPY the same rows into a plain table, then one set-based evaluation statement.
  await database.exec(`create schema if not exists bench_floor;
    create table bench_floor.metrics (store_code text, kpi_code text, metric_date date, value numeric(18,4), comparison numeric(18,4), status text);`);
  const csvChunks = function* () {
    for (const [d, date] of dates.entries()) {
      const lines: string[] = [];
      for (let s = 0; s < stores; s++) for (let k = 0; k < kpis; k++) lines.push(`${storeCodes[s]},${kpiCodes[k]},${date},${valueOf(s, k, d)}`);
      yield `${lines.join('\n')}\n`;
    }
  };
  const t2 = performance.now();
  if (database.kind === 'pglite') {
    const parts = [...csvChunks()];
    await database.pglite!.query(`copy bench_floor.metrics (store_code, kpi_code, metric_date, value) from '/dev/blob' with (format csv)`, [], {
      blob: new Blob(parts),
    });
  } else {
    const client = await database.pool!.connect();
    try {
      await pipeline(
        Readable.from(csvChunks()),
        client.query(copyFrom(`copy bench_floor.metrics (store_code, kpi_code, metric_date, value) from stdin with (format csv)`)),
      );
    } finally {
      client.release();
    }
  }
  const copyMs = performance.now() - t2;
  const t3 = performance.now();
  await database.exec(`
    update bench_floor.metrics m set comparison = b.baseline,
      status = case when b.baseline is null then null
                    when m.value / b.baseline * 100 >= 95 then 'green' when m.value / b.baseline * 100 >= 85 then 'yellow' else 'red' end
    from (select store_code, kpi_code, metric_date,
            avg(value) over (partition by store_code, kpi_code, extract(isodow from metric_date) order by metric_date rows between 4 preceding and 1 preceding) as baseline
          from bench_floor.metrics) b
    where b.store_code = m.store_code and b.kpi_code = m.kpi_code and b.metric_date = m.metric_date`);
  const floorEvaluateMs = performance.now() - t3;

  console.log('\n| step | RetailOps | floor (same run) |');
  console.log('|---|---|---|');
  console.log(
    `| ingest ${totalRows.toLocaleString('en-US')} rows | ${seconds(ingestMs)} (${rate(totalRows, ingestMs)}) | COPY ${seconds(copyMs)} (${rate(totalRows, copyMs)}) |`,
  );
  console.log(
    `| evaluate (statuses, history, snapshots, alerts) | ${seconds(evaluateMs)} (${rate(totalRows, evaluateMs)}) | one UPDATE ${seconds(floorEvaluateMs)} (${rate(totalRows, floorEvaluateMs)}) |`,
  );
  console.log(`| total | ${seconds(ingestMs + evaluateMs)} | ${seconds(copyMs + floorEvaluateMs)} |`);
  console.log(`\nevaluation: ${JSON.stringify(evaluation)}`);
  console.log(`memory: rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
} finally {
  await cleanup();
}
