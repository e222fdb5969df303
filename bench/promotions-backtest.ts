/**
 * Baseline backtest on the promotions demo data (electronics chain, departments × online/offline, 3 years daily):
 * the model chosen per series next to seasonal naive and the seed's day-of-week baseline (its SQL function), WAPE and
 * MASE on non-promo days, the peak leave-out and fit time per model; then the live forecast path (stored, fitted on
 * the fly, beyond the stored range), and every model's baseline on promo days against the simulation's truth.
 *
 *   npx tsx bench/promotions-backtest.ts                       # PGlite in a temporary folder
 *   HORIZON=28 FOLDS=4 YEARS=3 npx tsx bench/promotions-backtest.ts
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/promotions-backtest.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createFixedClock } from '../src/core/clock.js';
import { systemActor, type ServiceContext } from '../src/core/context.js';
import { openPglite, openPostgres, type Database } from '../src/core/db/connection.js';
import { migrateDatabase } from '../src/core/db/migrate.js';
import { createLogger } from '../src/core/logger.js';
import { createOrganization } from '../src/core/tenancy/organizations-service.js';
import { sql } from 'drizzle-orm';
import { sqlRows } from '../src/core/db/sql-rows.js';
import { loadPromotionsDemo, simulateDemoSales } from '../src/modules/promotions/demo/index.js';
import { defaultDemoSeed } from '../src/modules/promotions/demo/simulation.js';
import { wape } from '../src/modules/promotions/forecasting/metrics.js';
import { formatBacktestText, runForecastBacktest } from '../src/modules/promotions/forecasting/backtest.js';
import { forecastBaseline, writeBaselineForecasts } from '../src/modules/promotions/forecasting/baseline.js';
import { getSalesDaily } from '../src/modules/promotions/forecasting/sales-explorer.js';
import { loadDailySeries } from '../src/modules/promotions/forecasting/sales-history.js';
import { baselineModels, calendarFactors, prepareSeries, runModel } from '../src/modules/promotions/forecasting/series-models.js';
import { loadProphet } from '../src/modules/promotions/forecasting/prophet-model.js';
import { addDays } from '../src/modules/promotions/shared/dates.js';

const horizon = Number(process.env.HORIZON ?? 28);
const folds = Number(process.env.FOLDS ?? 4);
const years = Number(process.env.YEARS ?? 3);
const url = process.env.BENCH_DATABASE_URL;
/** A fixed "today", so the demo history and the figures are the same on every run. */
const today = '2026-12-05T06:00:00Z';

async function openBenchDatabase(): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  if (!url) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-promo-bt-'));
    const database = await openPglite(dir);
    return { database, cleanup: async () => (await database.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('drop database if exists retailops_bench_promo_bt with (force)');
  await admin.query('create database retailops_bench_promo_bt');
  await admin.end();
  const u = new URL(url);
  u.pathname = '/retailops_bench_promo_bt';
  const database = openPostgres(u.toString(), { max: 4 });
  return { database, cleanup: () => database.close() };
}

const ms = (v: number) => `${Math.round(v)} ms`;

const { database, cleanup } = await openBenchDatabase();
try {
  await migrateDatabase(database);
  const clock = createFixedClock(today);
  const org = await createOrganization(
    { db: database.db, clock, actor: systemActor('bench') },
    { slug: 'bench-promo', name: 'Bench promotions', timezone: 'UTC' },
  );
  const ctx: ServiceContext = { db: database.db, organization: org, actor: systemActor('bench'), role: 'admin', clock, log: createLogger('warn') };

  let t0 = performance.now();
  const demo = await loadPromotionsDemo(ctx, { years, scenarios: false });
  const loadMs = performance.now() - t0;
  console.log(
    `Demo data (${database.kind}): ${demo.salesRows.toLocaleString('en-US')} sales rows, ${demo.departments.length} departments × ${demo.channels.length} channels, ${demo.from} – ${demo.to}, ${demo.promoDays} promo rows; loaded in ${ms(loadMs)}`,
  );

  t0 = performance.now();
  let lastShown = -1;
  const run = await runForecastBacktest(
    ctx,
    { horizon, folds },
    {
      onProgress: ({ current, total }) => {
        const tenth = Math.floor((current / Math.max(1, total)) * 10);
        if (tenth !== lastShown) {
          lastShown = tenth;
          process.stderr.write(`  backtest ${current}/${total} series\r`);
        }
      },
    },
  );
  const backtestMs = performance.now() - t0;
  process.stderr.write('\n');
  console.log(formatBacktestText(run));
  console.log(
    `Backtest wall time: ${ms(backtestMs)} (${run.results.length} series × ${folds} folds × ${baselineModels.length} models + the seed SQL function + one peak leave-out fit per model and series)`,
  );

  t0 = performance.now();
  const stored = await writeBaselineForecasts(ctx);
  console.log(`Stored baseline: ${stored.rows} rows in ${ms(performance.now() - t0)}`);
  const from = addDays(stored.trainedThrough!, 1);
  const request = { from, to: addDays(from, 30) };
  const timings: Record<string, number[]> = { stored: [], onTheFly: [] };
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    const a = await forecastBaseline(ctx, request);
    timings.stored.push(performance.now() - t0);
    t0 = performance.now();
    const b = await forecastBaseline(ctx, { ...request, trainedThrough: addDays(stored.trainedThrough!, -1) });
    timings.onTheFly.push(performance.now() - t0);
    if (i === 0)
      console.log(
        `forecastBaseline: ${new Set(a.days.map((d) => `${d.department}|${d.channel}`)).size} series × 31 days = ${a.days.length} rows (${b.days.length} fitted)`,
      );
  }
  const median = (list: number[]) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)];
  console.log(
    `  from baseline_forecasts: median ${ms(median(timings.stored))}; fitted on the fly (trainedThrough = day before, chosen models incl. Prophet): median ${ms(median(timings.onTheFly))}`,
  );
  // A live request (default training end) outside the stored range: slow models are replaced by the best fast one.
  const liveMiss: number[] = [];
  const missRequest = { from: addDays(stored.trainedThrough!, 200), to: addDays(stored.trainedThrough!, 230) };
  for (let i = 0; i < 3; i++) {
    t0 = performance.now();
    const r = await forecastBaseline(ctx, missRequest);
    liveMiss.push(performance.now() - t0);
    if (i === 0)
      console.log(
        `  live request beyond the stored 120 days: models ${JSON.stringify(Object.values(r.modelBySeries).reduce<Record<string, number>>((a, m) => ((a[m] = (a[m] ?? 0) + 1), a), {}))}`,
      );
  }
  console.log(`  live request beyond the stored range (fast models only): median ${ms(median(liveMiss))}`);
  // Promo days: the baseline (in-sample, promo days imputed) against the simulation's true no-promotion sales.
  const sim = simulateDemoSales({ endDate: demo.to, years, seed: defaultDemoSeed });
  const pastFrom = addDays(stored.trainedThrough!, -364);
  const mine = await forecastBaseline(ctx, { from: pastFrom, to: stored.trainedThrough! });
  const mineOf = new Map(mine.days.map((d) => [`${d.date}|${d.department}|${d.channel}`, d.salesValue]));
  const seedOf = new Map<string, number>();
  for (const department of demo.departments) {
    for (const channel of demo.channels) {
      const rows = await sqlRows<{ date: string; value: number | null }>(
        ctx.db,
        sql`select date::text as date, forecasted_sales_value::float8 as value from promotions.calculate_baseline_forecast(${org.id}::uuid, ${pastFrom}::date, ${stored.trainedThrough!}::date, ${channel}::varchar, ${department}::varchar)`,
      );
      for (const r of rows) seedOf.set(`${r.date}|${department}|${channel}`, Number(r.value ?? 0));
    }
  }
  const promoRows = sim.rows.filter((r) => r.promoFlag && r.date >= pastFrom);
  const truth = promoRows.map((r) => r.baselineSalesValue);
  const key = (r: (typeof promoRows)[number]) => `${r.date}|${r.department}|${r.channel}`;
  const pctOf = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
  console.log(
    `Baseline on the ${promoRows.length} promo days of the last year vs the simulation's true no-promo sales: WAPE ${pctOf(
      wape(
        truth,
        promoRows.map((r) => mineOf.get(key(r)) ?? 0),
      ),
    )} (chosen models, in-sample); seed function ${pctOf(
      wape(
        truth,
        promoRows.map((r) => seedOf.get(key(r)) ?? 0),
      ),
    )}; promo-day sales themselves ${pctOf(
      wape(
        truth,
        promoRows.map((r) => r.salesValue),
      ),
    )}`,
  );
  // Every model's in-sample baseline on the same promo days (trained through the last sales date, 800-day window).
  await loadProphet();
  const allSeries = await loadDailySeries(ctx, {});
  const factors = calendarFactors(allSeries, stored.trainedThrough!);
  const byModel = new Map<string, Map<string, number>>(baselineModels.map((m) => [m, new Map()]));
  const prophetFitMs: number[] = [];
  for (const series of allSeries) {
    const prepared = prepareSeries(series, stored.trainedThrough!, undefined, factors)!;
    for (const model of baselineModels) {
      t0 = performance.now();
      const out = runModel(model, prepared, 1);
      if (model === 'prophet') prophetFitMs.push(performance.now() - t0);
      if (!out) continue;
      for (let i = 0; i < out.inSample.length; i++) {
        byModel.get(model)!.set(`${addDays(prepared.start, i)}|${series.department}|${series.channel}`, out.inSample[i]);
      }
    }
  }
  const biasOf = (rows: typeof promoRows, of: (r: (typeof promoRows)[number]) => number) => {
    const t = rows.reduce((a, r) => a + r.baselineSalesValue, 0);
    return t > 0 ? rows.reduce((a, r) => a + of(r) - r.baselineSalesValue, 0) / t : null;
  };
  const signed = (v: number | null) => (v === null ? '–' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
  const december = promoRows.filter((r) => r.date.slice(5, 7) === '12');
  const nonDecember = promoRows.filter((r) => r.date.slice(5, 7) !== '12');
  const chosenOf = (r: (typeof promoRows)[number]) => mineOf.get(key(r)) ?? 0;
  console.log(
    `Promo-day baseline vs the simulation's truth, last year (${promoRows.length} promo series-days, ${december.length} in December): WAPE / bias / December bias / other months' bias`,
  );
  const rowsOut: [string, (r: (typeof promoRows)[number]) => number][] = [
    ['chosen (stored, in-sample)', chosenOf],
    ...baselineModels.map(
      (m) => [m, (r: (typeof promoRows)[number]) => byModel.get(m)!.get(key(r)) ?? 0] as [string, (r: (typeof promoRows)[number]) => number],
    ),
    ['seed function', (r) => seedOf.get(key(r)) ?? 0],
  ];
  for (const [name, of] of rowsOut) {
    console.log(
      `  ${name.padEnd(28)} WAPE ${pctOf(wape(truth, promoRows.map(of))).padStart(6)}  bias ${signed(biasOf(promoRows, of)).padStart(6)}  December ${signed(biasOf(december, of)).padStart(6)}  other ${signed(biasOf(nonDecember, of)).padStart(6)}`,
    );
  }
  console.log(
    `Prophet fit + predict per series (800 days, in-sample): median ${ms(median(prophetFitMs))}, max ${ms(Math.max(...prophetFitMs))} over ${prophetFitMs.length} series`,
  );
  const explorer: number[] = [];
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    await getSalesDaily(ctx, {});
    explorer.push(performance.now() - t0);
  }
  console.log(`Sales explorer, all series, last 90 days with the baseline overlaid (GET /sales/daily's service): median ${ms(median(explorer))}`);
} finally {
  await cleanup();
}
