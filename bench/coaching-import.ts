/**
 * Coaching metrics import at 1,000 agents × 365 days (365,000 daily rows, CSV) through the real import service, then
 * the performance_history recompute (weeks, months, quarters with trends), next to the floor measured in the same run:
 * COPY of the same CSV into a bare table, and one plain INSERT … SELECT … GROUP BY of the week/month/quarter averages.
 * Each measurement runs in its own child process on a fresh database, so its peak RSS is its own.
 *
 *   npx tsx bench/coaching-import.ts                                   # PGlite
 *   AGENTS=100 npx tsx bench/coaching-import.ts                        # smaller
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/coaching-import.ts   # PGlite and PostgreSQL (also TEST_DATABASE_URL)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { from as copyFrom } from 'pg-copy-streams';
import { systemClock } from '../src/core/clock.js';
import { systemActor, type ServiceContext } from '../src/core/context.js';
import type { Database } from '../src/core/db/connection.js';
import { migrateDatabase } from '../src/core/db/migrate.js';
import { openFreshBenchDatabase, peakRssMb } from './fresh-database.js';
import { createLogger } from '../src/core/logger.js';
import { createOrganization } from '../src/core/tenancy/organizations-service.js';
import { recomputePerformanceHistory } from '../src/modules/coaching/analytics/history-service.js';
import { importMetricsFile } from '../src/modules/coaching/imports/import-service.js';

const agents = Number(process.env.AGENTS ?? 1000);
const days = Number(process.env.DAYS ?? 365);
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const header = ['Employee ID', 'Date', 'Service', 'Productivity', 'Quality', 'Attendance', 'Adherence', 'CSAT', 'FCR %', 'AHT', 'Calls'];
const floorColumns =
  'employee_id, metric_date, service_score, productivity_score, quality_score, attendance_rate, adherence_score, csat, fcr, aht, calls_handled';

function writeCsv(file: string): number {
  const lines = [header.join(',')];
  const start = Date.UTC(2025, 0, 1);
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (let a = 0; a < agents; a++) {
      const wave = Math.sin((d + a * 7) / 9) * 6;
      const base = 60 + (a % 30);
      const v = (x: number) => Math.min(100, Math.max(0, Math.round(x * 100) / 100));
      lines.push(
        [
          `E${String(a + 1).padStart(5, '0')}`,
          date,
          v(base + wave),
          v(base - 3 + wave / 2),
          v(base + 4 - wave / 3),
          v(d % 7 === 6 ? 80 : 96 + wave / 3),
          v(base + 2),
          (3 + (a % 15) / 10 + wave / 30).toFixed(2),
          v(65 + (a % 25) + wave),
          300 + (a % 120) + Math.round(wave * 4),
          35 + (a % 15) + Math.round(wave),
        ].join(','),
      );
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return lines.length - 1;
}

async function copyCsv(database: Database, table: string, columns: string, file: string) {
  const copySql = `copy ${table} (${columns}) from ${database.kind === 'pglite' ? "'/dev/blob'" : 'stdin'} with (format csv, header true)`;
  if (database.kind === 'pglite') {
    await database.pglite!.query(copySql, [], {
      blob: new Blob([readFileSync(file)]),
    });
    return;
  }
  const client = await database.pool!.connect();
  try {
    await pipeline(Readable.from([readFileSync(file)]), client.query(copyFrom(copySql)));
  } finally {
    client.release();
  }
}

interface Measurement {
  phase: string;
  rows: number;
  importMs: number;
  historyMs: number;
  historyRows: number;
  maxRssMb: number;
}

type Phase = 'service' | 'floor' | 'reference';

async function measure(engine: 'pglite' | 'postgres', phase: Phase, file: string): Promise<Measurement> {
  const { database, cleanup } = await openFreshBenchDatabase(engine === 'pglite' ? null : postgresUrl!, `coaching_${phase}`);
  try {
    await migrateDatabase(database);
    const org = await createOrganization(
      { db: database.db, clock: systemClock, actor: systemActor('bench') },
      { slug: 'bench', name: 'Bench', timezone: 'UTC' },
    );
    if (phase === 'floor') {
      await database.exec(`create table bench_metrics (employee_id text, metric_date date, service_score numeric(5,2), productivity_score numeric(5,2),
        quality_score numeric(5,2), attendance_rate numeric(5,2), adherence_score numeric(5,2), csat numeric(3,2), fcr numeric(5,2), aht integer, calls_handled integer)`);
      await database.exec(`create table bench_history (employee_id text, period_type text, period_ending date, avg_service numeric(5,2), avg_productivity numeric(5,2),
        avg_quality numeric(5,2), avg_attendance numeric(5,2), avg_adherence numeric(5,2), avg_composite numeric(5,2), days_worked integer)`);
      const started = performance.now();
      await copyCsv(database, 'bench_metrics', floorColumns, file);
      const importMs = performance.now() - started;
      const historyStarted = performance.now();
      const periods = [
        ['WEEK', "date_trunc('week', metric_date) + interval '6 days'"],
        ['MONTH', "date_trunc('month', metric_date) + interval '1 month' - interval '1 day'"],
        ['QUARTER', "date_trunc('quarter', metric_date) + interval '3 months' - interval '1 day'"],
      ];
      await database.exec(
        `insert into bench_history ${periods
          .map(
            ([
              type,
              end,
            ]) => `select employee_id, '${type}', (${end})::date, avg(service_score), avg(productivity_score), avg(quality_score), avg(attendance_rate),
            avg(adherence_score), avg(service_score * 0.25 + productivity_score * 0.2 + quality_score * 0.2 + attendance_rate * 0.2 + adherence_score * 0.15), count(*)
          from bench_metrics group by employee_id, (${end})::date`,
          )
          .join(' union all ')}`,
      );
      const historyMs = performance.now() - historyStarted;
      const rows = Number((await database.query<{ n: string }>('select count(*) as n from bench_metrics'))[0].n);
      const historyRows = Number((await database.query<{ n: string }>('select count(*) as n from bench_history'))[0].n);
      return {
        phase,
        rows,
        importMs,
        historyMs,
        historyRows,
        maxRssMb: peakRssMb(),
      };
    }
    await database.query(
      `insert into coaching.users (organization_id, name, role, employee_id) select $1, 'Agent ' || g, 'AGENT', 'E' || lpad(g::text, 5, '0') from generate_series(1, ${agents}) g`,
      [org.id],
    );
    if (phase === 'reference') {
      // What the real table costs: the same rows in one set-based INSERT (5 indexes, 2 foreign keys, the generated composite).
      await database.exec(`create table bench_metrics (employee_id text, metric_date date, service_score numeric(5,2), productivity_score numeric(5,2),
        quality_score numeric(5,2), attendance_rate numeric(5,2), adherence_score numeric(5,2), csat numeric(3,2), fcr numeric(5,2), aht integer, calls_handled integer)`);
      const started = performance.now();
      await copyCsv(database, 'bench_metrics', floorColumns, file);
      await database.query(
        `insert into coaching.performance_metrics (organization_id, agent_id, ${floorColumns.replace('employee_id, ', '')})
         select $1, u.id, ${floorColumns
           .split(', ')
           .slice(1)
           .map((c) => `b.${c}`)
           .join(', ')} from bench_metrics b join coaching.users u on u.organization_id = $1 and u.employee_id = b.employee_id`,
        [org.id],
      );
      const importMs = performance.now() - started;
      const rows = Number((await database.query<{ n: string }>('select count(*) as n from coaching.performance_metrics'))[0].n);
      return {
        phase,
        rows,
        importMs,
        historyMs: 0,
        historyRows: 0,
        maxRssMb: peakRssMb(),
      };
    }
    const ctx: ServiceContext = {
      db: database.db,
      organization: org,
      actor: systemActor('bench'),
      role: 'admin',
      clock: systemClock,
      log: createLogger('warn'),
    };
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-coaching-data-'));
    try {
      const started = performance.now();
      const result = await importMetricsFile(ctx, {
        file: { name: path.basename(file), bytes: readFileSync(file) },
        dataDir,
      });
      const importMs = performance.now() - started;
      if (result.status !== 'SUCCESS') throw new Error(`import ${result.status}: ${result.errorSummary}`);
      const historyStarted = performance.now();
      const history = await recomputePerformanceHistory(ctx, result.affected ?? {});
      const historyMs = performance.now() - historyStarted;
      return {
        phase,
        rows: result.successfulRows ?? 0,
        importMs,
        historyMs,
        historyRows: history.periodsWritten,
        maxRssMb: peakRssMb(),
      };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    await cleanup();
  }
}

if (process.env.BENCH_PHASE) {
  const result = await measure(process.env.BENCH_ENGINE as 'pglite' | 'postgres', process.env.BENCH_PHASE as Phase, process.env.BENCH_FILE!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-coaching-files-'));
  try {
    const file = path.join(dir, 'daily-metrics.csv');
    const rows = writeCsv(file);
    console.log(`Generated ${rows.toLocaleString('en-US')} daily rows (${agents} agents × ${days} days), ${(statSync(file).size / 1e6).toFixed(1)} MB CSV`);
    const self = fileURLToPath(import.meta.url);
    const run = (engine: string, phase: string): Measurement => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', self], {
        env: {
          ...process.env,
          BENCH_ENGINE: engine,
          BENCH_PHASE: phase,
          BENCH_FILE: file,
        },
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
    };
    const engines = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];
    for (const engine of engines) {
      const service = run(engine, 'service');
      const floor = run(engine, 'floor');
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');
      console.log(
        `\n| ${engine === 'pglite' ? 'PGlite' : 'PostgreSQL'} | rows | import | rows/s | history recompute | periods | peak RSS |\n|---|---|---|---|---|---|---|`,
      );
      console.log(
        `| importMetricsFile (read, validate, upsert, row changes) + recomputePerformanceHistory | ${service.rows.toLocaleString('en-US')} | ${s(service.importMs)} | ${rate(service.rows, service.importMs)} | ${s(service.historyMs)} | ${service.historyRows.toLocaleString('en-US')} | ${service.maxRssMb} MB |`,
      );
      console.log(
        `| floor: COPY into a bare table + one INSERT … SELECT … GROUP BY (week/month/quarter averages) | ${floor.rows.toLocaleString('en-US')} | ${s(floor.importMs)} | ${rate(floor.rows, floor.importMs)} | ${s(floor.historyMs)} | ${floor.historyRows.toLocaleString('en-US')} | ${floor.maxRssMb} MB |`,
      );
      const reference = run(engine, 'reference');
      console.log(
        `| reference: COPY + one INSERT … SELECT into coaching.performance_metrics (the table's own cost) | ${reference.rows.toLocaleString('en-US')} | ${s(reference.importMs)} | ${rate(reference.rows, reference.importMs)} | — | — | ${reference.maxRssMb} MB |`,
      );
      console.log(
        `| ratio service ÷ floor | | ${(service.importMs / floor.importMs).toFixed(1)}× | | ${(service.historyMs / floor.historyMs).toFixed(1)}× | | |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
