/**
 * Scenario KPI recomputation latency on the demo electronics chain (8 departments × 2 channels × 3 years daily):
 * a 6-mechanic, 14-day scenario previewed (POST /scenarios/preview's service, nothing written) and saved
 * (updateScenario: validate, compute, new current scenario_kpis row, audit — one transaction), next to the floor
 * measured in the same run: the plain SQL sum of the same baseline rows (promotions.baseline_forecasts over the period
 * and the dip window, grouped by department × channel).
 *
 *   npx tsx bench/promotions-kpis.ts                         # PGlite, RUNS=30
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/promotions-kpis.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createFixedClock } from '../src/core/clock.js';
import { systemActor, type ServiceContext } from '../src/core/context.js';
import { openPglite, openPostgres, type Database } from '../src/core/db/connection.js';
import { migrateDatabase } from '../src/core/db/migrate.js';
import { sqlRows } from '../src/core/db/sql-rows.js';
import { createLogger } from '../src/core/logger.js';
import { createOrganization } from '../src/core/tenancy/organizations-service.js';
import { runForecastBacktest } from '../src/modules/promotions/forecasting/backtest.js';
import { writeBaselineForecasts } from '../src/modules/promotions/forecasting/baseline.js';
import { loadPromotionsDemo } from '../src/modules/promotions/demo/load-demo.js';
import { baselineForecasts } from '../src/modules/promotions/schema.js';
import type { Mechanic } from '../src/modules/promotions/schema.js';
import { postPromoDipDays } from '../src/modules/promotions/planning/kpi-engine.js';
import { createScenario, previewScenarioKpis, updateScenario } from '../src/modules/promotions/planning/scenario-service.js';
import { fitUpliftFromHistory } from '../src/modules/promotions/planning/uplift-coefficients.js';
import { addDays } from '../src/modules/promotions/shared/dates.js';
import type { DiscountBand } from '../src/modules/promotions/shared/discount-bands.js';
import { defaultDemoSeed, simulateDemoSales } from '../src/modules/promotions/demo/simulation.js';
import { priorCoefficient } from '../src/modules/promotions/planning/uplift-priors.js';

const runs = Number(process.env.RUNS ?? 30);
const url = process.env.BENCH_DATABASE_URL;
const endDate = '2026-11-30';
const period = { dateRangeStart: '2026-12-01', dateRangeEnd: '2026-12-14' };

async function openBenchDatabase(): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  if (!url) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-pk-'));
    const database = await openPglite(dir);
    return { database, cleanup: async () => (await database.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('drop database if exists retailops_bench_pk with (force)');
  await admin.query('create database retailops_bench_pk');
  await admin.end();
  const u = new URL(url);
  u.pathname = '/retailops_bench_pk';
  const database = openPostgres(u.toString(), { max: 4 });
  return { database, cleanup: () => database.close() };
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

async function time(n: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await work(i);
    out.push(performance.now() - t0);
  }
  return out;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

const { database, cleanup } = await openBenchDatabase();
try {
  await migrateDatabase(database);
  const clock = createFixedClock('2026-12-01T09:00:00Z');
  const org = await createOrganization(
    { db: database.db, clock, actor: systemActor('bench') },
    { slug: 'bench-kpis', name: 'Bench', timezone: 'Europe/Berlin' },
  );
  const ctx: ServiceContext = { db: database.db, organization: org, actor: systemActor('bench'), role: 'admin', clock, log: createLogger('warn') };
  const t0 = performance.now();
  const demo = await loadPromotionsDemo(ctx, { years: 3, endDate, scenarios: false });
  console.log(
    `\npromotions KPI bench on ${database.kind}: ${demo.departments.length} departments × ${demo.channels.length} channels, ` +
      `${demo.salesRows.toLocaleString('en-US')} sales rows (${demo.from} … ${demo.to}), demo loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const [segment] = await sqlRows<{ segment_id: string }>(
    database.db,
    sql`select segment_id from promotions.segments where organization_id = ${org.id} order by share_of_revenue desc limit 1`,
  );
  const d = demo.departments;
  const mechanics: Mechanic[] = [
    { department: d[0], channel: 'online', discount_pct: 20, segments: ['ALL'], notes: 'hero' },
    { department: d[0], channel: 'offline', discount_pct: 15, segments: ['ALL'] },
    { department: d[1], channel: 'online', discount_pct: 25, segments: [segment?.segment_id ?? 'ALL'] },
    { department: d[2], channel: 'offline', discount_pct: 10, segments: ['ALL'] },
    { department: d[3], channel: 'online', discount_pct: 12, segments: ['ALL'] },
    { department: d[4], channel: 'online', discount_pct: 18, segments: ['ALL'] },
  ];
  const draft = { ...period, scenarioType: 'balanced' as const, mechanics };

  // Baseline fitted on the fly (no stored forecasts yet): what a planner waits for right after an import.
  const cold = await time(Math.min(runs, 5), () => previewScenarioKpis(ctx, draft));

  // The baseline a planner gets after the nightly refresh: backtest-chosen model per series, stored forecasts.
  const t1 = performance.now();
  await runForecastBacktest(ctx);
  const stored = await writeBaselineForecasts(ctx);
  console.log(`backtest + stored baseline: ${stored.rows.toLocaleString('en-US')} rows in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

  const t2 = performance.now();
  const fit = await fitUpliftFromHistory(ctx);
  console.log(
    `uplift fitted from history: ${fit.modelVersion}, ${fit.coefficients.length} coefficients from ${fit.promoDays} promo days in ${((performance.now() - t2) / 1000).toFixed(1)} s`,
  );
  // Accuracy of the fit against the simulation's ground truth (realised uplift on promo days vs the no-promo baseline),
  // next to the built-in prior on the same keys.
  const truth = simulateDemoSales({ endDate, years: 3, seed: defaultDemoSeed }).truth.uplift;
  let fitError = 0;
  let priorError = 0;
  let keys = 0;
  for (const c of fit.coefficients) {
    const t = truth.find((u) => u.department === c.department && u.channel === c.channel && u.discountBand === c.discountBand);
    if (!t) continue;
    keys++;
    fitError += Math.abs(c.upliftSalesPct - t.realisedUpliftPct);
    priorError += Math.abs(priorCoefficient(c.department, c.channel, c.discountBand as DiscountBand).upliftSalesPct - t.realisedUpliftPct);
  }
  console.log(
    `uplift vs ground truth over ${keys} keys: mean absolute error fitted ${(fitError / keys).toFixed(1)} points, built-in prior ${(priorError / keys).toFixed(1)} points`,
  );

  await time(3, () => previewScenarioKpis(ctx, draft));
  const previews = await time(runs, (i) =>
    previewScenarioKpis(ctx, { ...draft, mechanics: mechanics.map((m, j) => (j === 0 ? { ...m, discount_pct: 15 + (i % 10) } : m)) }),
  );
  const scenario = await createScenario(ctx, { label: 'Bench December', ...draft });
  const saves = await time(runs, (i) =>
    updateScenario(ctx, scenario.id, { mechanics: mechanics.map((m, j) => (j === 0 ? { ...m, discount_pct: 15 + (i % 10) } : m)) }),
  );
  const to = addDays(period.dateRangeEnd, postPromoDipDays);
  const floor = await time(runs, () =>
    sqlRows(
      database.db,
      sql`select department, channel, sum(forecast_sales_value)::float8 as sales, sum(forecast_margin_value)::float8 as margin, sum(forecast_units)::int as units
          from ${baselineForecasts}
          where organization_id = ${org.id} and date between ${period.dateRangeStart} and ${to}
          group by department, channel`,
    ),
  );
  const last = await previewScenarioKpis(ctx, draft);
  const rows: [string, number[]][] = [
    ['floor: SQL sum of the same baseline rows', floor],
    ['preview (stored baseline)', previews],
    ['save: update + recompute + KPI row', saves],
    ['preview before any stored baseline (fitted on the fly)', cold],
  ];
  console.log(
    `6 mechanics, ${period.dateRangeStart} … ${period.dateRangeEnd}, ${runs} runs (on-the-fly: ${cold.length}); baseline model ${last.baselineModel}`,
  );
  console.log('| what | median | p95 | max |');
  console.log('|---|---|---|---|');
  for (const [name, samples] of rows) {
    const s = stats(samples);
    console.log(`| ${name} | ${ms(s.median)} | ${ms(s.p95)} | ${ms(s.max)} |`);
  }
  console.log(
    `scenario: sales ${Math.round(last.totalSalesValue).toLocaleString('en-US')} (Δ ${Math.round(last.salesValueDelta).toLocaleString('en-US')}), ` +
      `EBIT Δ ${Math.round(last.ebitDelta).toLocaleString('en-US')}, uplift ${last.upliftModelVersion}`,
  );
} finally {
  await cleanup();
}
