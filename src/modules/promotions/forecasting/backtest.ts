import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import type { ProgressReporter } from '../../../core/demo/demo-steps.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { notFound, validationFailed } from '../../../core/errors.js';
import { forecastBacktests } from '../schema.js';
import { addDays, daysBetween, type IsoDate } from '../shared/dates.js';
import { promotionsError } from '../shared/errors.js';
import { ErrorAccumulator, seasonalNaiveScale } from './metrics.js';
import { lastSalesDate, loadDailySeries } from './sales-history.js';
import {
  baselineModels,
  calendarFactors,
  cleanMask,
  dayIndex,
  maxTrainingDays,
  modelDescriptions,
  prepareSeries,
  runModel,
  seedModel,
  type BaselineModel,
  type DailySeries,
} from './series-models.js';

/** Training days a fold needs before its origin: eight weeks, so every weekday has a few clean values. */
export const minimumTrainingDays = 56;
/** Two models whose WAPE differs by less than this (0.05 percentage points) tie, and the simpler one is chosen. */
export const wapeTieTolerance = 0.0005;

export const backtestInput = z.object({
  horizon: z.number().int().min(7).max(91).default(28),
  folds: z.number().int().min(1).max(12).default(4),
});
export type BacktestInput = z.input<typeof backtestInput>;

export interface ModelScore {
  wape: number | null;
  mase: number | null;
  days: number;
}

export interface SeriesBacktestResult {
  department: string;
  channel: string;
  folds: number;
  scoredDays: number;
  /** Days after a promotion treated as its dip (not baseline), learned at the last origin. */
  dipDays: number;
  /** Every model's score, the seed's SQL function included; null where the model could not be fitted. */
  models: Record<string, ModelScore | null>;
  chosen: BaselineModel | null;
}

export interface BacktestSummaryLine {
  wape: number | null;
  mase: number | null;
  days: number;
  series: number;
}

export interface BacktestSummary {
  models: Record<string, BacktestSummaryLine>;
  /** The chosen model per series, pooled. */
  chosen: BacktestSummaryLine;
  chosenCounts: Record<string, number>;
  /**
   * Selection without hindsight: per series and fold, the model the earlier folds chose, scored on that fold only
   * (folds 2…n), with every model scored on the same days beside it.
   */
  chosenAhead?: { chosen: BacktestSummaryLine; models: Record<string, BacktestSummaryLine> };
  series: number;
  ms: number;
}

export interface BacktestRun {
  id: string;
  status: string;
  parameters: Record<string, unknown>;
  results: SeriesBacktestResult[];
  summary: BacktestSummary | Record<string, never>;
  errorMessage: string | null;
  startedAt: string;
  completedAt: string | null;
  createdBy: string | null;
}

/** Forecasts of the seed's SQL function per origin: origin → date → value. */
export type SeedForecasts = Map<IsoDate, Map<IsoDate, number>>;

/** The origins (training ends) of a rolling-origin backtest: `folds` of them, `horizon` days apart, the last test day = `lastDate`. */
export function backtestOrigins(lastDate: IsoDate, horizon: number, folds: number): IsoDate[] {
  return Array.from({ length: folds }, (_, k) => addDays(lastDate, -(folds - k) * horizon));
}

/**
 * Scores every model on one series: for each origin, fit on days ≤ origin (promo and dip days imputed), forecast the
 * next `horizon` days, score on the days of that window that are clean (observed, no promotion, no dip).
 */
export function backtestSeries(
  series: DailySeries,
  origins: readonly IsoDate[],
  horizon: number,
  seed?: SeedForecasts,
  /** Calendar factors per origin (see calendarFactors), learned from all series up to that origin. */
  factorsByOrigin?: ReadonlyMap<IsoDate, ReadonlyMap<IsoDate, number>>,
): { result: SeriesBacktestResult; accumulators: Map<string, ErrorAccumulator>; ahead: Map<string, ErrorAccumulator> } {
  const accumulators = new Map<string, ErrorAccumulator>([...baselineModels, seedModel].map((m) => [m, new ErrorAccumulator()]));
  const ahead = new Map<string, ErrorAccumulator>(['chosen', ...baselineModels, seedModel].map((m) => [m, new ErrorAccumulator()]));
  const failed = new Set<string>();
  let folds = 0;
  let scoredDays = 0;
  let dipDays = 0;
  for (const origin of origins) {
    const prepared = prepareSeries(series, origin, maxTrainingDays, factorsByOrigin?.get(origin));
    if (!prepared || prepared.values.length < minimumTrainingDays) continue;
    const originIndex = dayIndex(series.start, origin);
    const testFrom = originIndex + 1;
    const testTo = Math.min(series.sales.length - 1, originIndex + horizon);
    if (testTo < testFrom) continue;
    dipDays = prepared.dipDays;
    const scale = seasonalNaiveScale(prepared.values, prepared.clean);
    const testClean = cleanMask(series, prepared.dipDays, testFrom, testTo + 1);
    const outputs = new Map<string, number[] | null>();
    for (const model of baselineModels) outputs.set(model, runModel(model, prepared, horizon)?.forecast ?? null);
    const seedForOrigin = seed?.get(origin);
    folds++;
    const foldAcc = new Map<string, ErrorAccumulator>([...baselineModels, seedModel].map((m) => [m, new ErrorAccumulator()]));
    for (let k = testFrom; k <= testTo; k++) {
      if (!testClean[k - testFrom]) continue;
      const actual = series.sales[k]!;
      scoredDays++;
      for (const [model, forecast] of outputs) {
        if (!forecast) {
          failed.add(model);
          continue;
        }
        foldAcc.get(model)!.add(actual, forecast[k - originIndex - 1], scale);
      }
      const seedValue = seedForOrigin?.get(addDays(series.start, k));
      if (seedValue === undefined) failed.add(seedModel);
      else foldAcc.get(seedModel)!.add(actual, seedValue, scale);
    }
    // Out of sample: the model the earlier folds would have chosen, scored on this fold (with every model beside it).
    const earlier = chooseModel(scoresOf(accumulators, failed));
    if (earlier && foldAcc.get(earlier)!.days > 0) {
      ahead.get('chosen')!.merge(foldAcc.get(earlier)!);
      for (const [model, acc] of foldAcc) ahead.get(model)!.merge(acc);
    }
    for (const [model, acc] of foldAcc) accumulators.get(model)!.merge(acc);
  }
  const models = scoresOf(accumulators, failed);
  return {
    result: { department: series.department, channel: series.channel, folds, scoredDays, dipDays, models, chosen: chooseModel(models) },
    accumulators,
    ahead,
  };
}

function scoresOf(accumulators: ReadonlyMap<string, ErrorAccumulator>, failed: ReadonlySet<string>): Record<string, ModelScore | null> {
  const models: Record<string, ModelScore | null> = {};
  for (const [model, acc] of accumulators) {
    models[model] = failed.has(model) || acc.days === 0 ? null : { wape: acc.wape, mase: acc.mase, days: acc.days };
  }
  return models;
}

/** The candidate with the lowest WAPE; within the tie tolerance the simpler (earlier in `baselineModels`) wins. */
export function chooseModel(models: Record<string, ModelScore | null>): BaselineModel | null {
  let best: BaselineModel | null = null;
  let bestWape = Number.POSITIVE_INFINITY;
  for (const model of baselineModels) {
    const wape = models[model]?.wape;
    if (wape === null || wape === undefined) continue;
    if (wape < bestWape - wapeTieTolerance) {
      best = model;
      bestWape = wape;
    }
  }
  return best;
}

export interface BacktestOptions {
  onProgress?: ProgressReporter;
  /** Aborting stops between series; the run is stored as cancelled and nothing else is written. */
  signal?: AbortSignal;
}

function toRun(row: typeof forecastBacktests.$inferSelect): BacktestRun {
  return {
    id: row.id,
    status: row.status,
    parameters: row.parameters,
    results: row.results as unknown as SeriesBacktestResult[],
    summary: row.summary as BacktestRun['summary'],
    errorMessage: row.errorMessage,
    startedAt: row.startedAt.toISOString(),
    completedAt: row.completedAt ? row.completedAt.toISOString() : null,
    createdBy: row.createdBy,
  };
}

/** The seed's own function for one series and test window (explicit casts: the function is overloaded). */
async function seedFunctionForecast(ctx: ServiceContext, series: DailySeries, from: IsoDate, to: IsoDate): Promise<Map<IsoDate, number>> {
  const rows = await sqlRows<{ date: string; value: number | null }>(
    ctx.db,
    sql`select date::text as date, forecasted_sales_value::float8 as value
        from promotions.calculate_baseline_forecast(${ctx.organization.id}::uuid, ${from}::date, ${to}::date,
             ${series.channel}::varchar, ${series.department}::varchar)`,
  );
  return new Map(rows.filter((r) => r.value !== null).map((r) => [r.date, Number(r.value)]));
}

/**
 * Rolling-origin backtest of the baseline models per department × channel: `folds` origins `horizon` days apart
 * ending at the last sales date, WAPE and MASE on non-promo, non-dip days, the lowest-WAPE model chosen per series.
 * The run is kept in promotions.forecast_backtests; the newest completed run decides the model per series.
 */
export async function runForecastBacktest(ctx: ServiceContext, rawInput: BacktestInput = {}, options: BacktestOptions = {}): Promise<BacktestRun> {
  const started = performance.now();
  const parsed = backtestInput.safeParse(rawInput);
  if (!parsed.success) {
    throw validationFailed(
      'The backtest request is invalid.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message })),
    );
  }
  const { horizon, folds } = parsed.data;
  const lastDate = await lastSalesDate(ctx);
  if (!lastDate) throw promotionsError('NO_SALES', 'There is no sales history to backtest: import sales first.', { status: 400 });
  const [{ first }] = await sqlRows<{ first: string }>(
    ctx.db,
    sql`select min(date)::text as first from promotions.sales_aggregated where organization_id = ${ctx.organization.id}`,
  );
  const origins = backtestOrigins(lastDate, horizon, folds);
  const available = daysBetween(first, origins[0]) + 1;
  if (available < minimumTrainingDays) {
    const maxFolds = Math.floor((daysBetween(first, lastDate) + 1 - minimumTrainingDays) / horizon);
    throw validationFailed(
      `The sales history (${first} – ${lastDate}) is too short for ${folds} folds of ${horizon} days: the first origin needs ${minimumTrainingDays} days of history before it. ` +
        (maxFolds >= 1 ? `Use at most ${maxFolds} fold(s) or a shorter horizon.` : 'Import more history.'),
      [{ path: 'folds', message: `At most ${Math.max(0, maxFolds)} for this history` }],
    );
  }
  const parameters = {
    horizon,
    folds,
    stepDays: horizon,
    origins,
    dataFrom: first,
    dataThrough: lastDate,
    models: [...baselineModels],
    seedModel,
    descriptions: modelDescriptions,
    scoring: 'sales value on clean days only: no promo row that day and outside the post-promo dip learned from the training data',
    selection: `lowest WAPE; within ${wapeTieTolerance * 100} percentage points the simpler model (order: ${baselineModels.join(' < ')})`,
    mase: 'mean |error| / in-sample MAE of the weekly seasonal-naive forecast on clean training days, per fold',
  };
  const [row] = await ctx.db
    .insert(forecastBacktests)
    .values({
      organizationId: ctx.organization.id,
      status: 'running',
      parameters,
      startedAt: ctx.clock.now(),
      createdBy: ctx.actor.label.slice(0, 100),
    })
    .returning();
  try {
    const seriesList = await loadDailySeries(ctx, {});
    const factorsByOrigin = new Map(origins.map((origin) => [origin, calendarFactors(seriesList, origin)]));
    const results: SeriesBacktestResult[] = [];
    const totals = new Map<string, ErrorAccumulator>([...baselineModels, seedModel].map((m) => [m, new ErrorAccumulator()]));
    const seriesPerModel = new Map<string, number>();
    const chosenTotal = new ErrorAccumulator();
    const aheadTotals = new Map<string, ErrorAccumulator>(['chosen', ...baselineModels, seedModel].map((m) => [m, new ErrorAccumulator()]));
    let aheadSeries = 0;
    const chosenCounts: Record<string, number> = {};
    options.onProgress?.({ step: 'backtest', current: 0, total: seriesList.length });
    for (const [index, series] of seriesList.entries()) {
      if (options.signal?.aborted) throw promotionsError('CANCELLED', 'The backtest was cancelled.', { status: 409 });
      const seed: SeedForecasts = new Map();
      for (const origin of origins) seed.set(origin, await seedFunctionForecast(ctx, series, addDays(origin, 1), addDays(origin, horizon)));
      const { result, accumulators, ahead } = backtestSeries(series, origins, horizon, seed, factorsByOrigin);
      if (ahead.get('chosen')!.days > 0) {
        aheadSeries++;
        for (const [model, acc] of ahead) aheadTotals.get(model)!.merge(acc);
      }
      results.push(result);
      // Totals pool only models that scored this series, so a model that could not fit one series is not flattered.
      for (const [model, acc] of accumulators) {
        if (!result.models[model]) continue;
        totals.get(model)!.merge(acc);
        seriesPerModel.set(model, (seriesPerModel.get(model) ?? 0) + 1);
      }
      if (result.chosen) {
        chosenTotal.merge(accumulators.get(result.chosen)!);
        chosenCounts[result.chosen] = (chosenCounts[result.chosen] ?? 0) + 1;
      }
      options.onProgress?.({ step: 'backtest', current: index + 1, total: seriesList.length });
    }
    const line = (acc: ErrorAccumulator, series: number): BacktestSummaryLine => ({ wape: acc.wape, mase: acc.mase, days: acc.days, series });
    const summary: BacktestSummary = {
      models: Object.fromEntries([...totals].map(([model, acc]) => [model, line(acc, seriesPerModel.get(model) ?? 0)])),
      chosen: line(chosenTotal, results.filter((r) => r.chosen).length),
      chosenCounts,
      chosenAhead: {
        chosen: line(aheadTotals.get('chosen')!, aheadSeries),
        models: Object.fromEntries([...baselineModels, seedModel].map((m) => [m, line(aheadTotals.get(m)!, aheadSeries)])),
      },
      series: results.length,
      ms: Math.round(performance.now() - started),
    };
    const [done] = await ctx.db
      .update(forecastBacktests)
      .set({
        status: 'completed',
        results: results as unknown as Record<string, unknown>[],
        summary: summary as unknown as Record<string, unknown>,
        completedAt: ctx.clock.now(),
      })
      .where(eq(forecastBacktests.id, row.id))
      .returning();
    return toRun(done);
  } catch (error) {
    const cancelled = options.signal?.aborted ?? false;
    await ctx.db
      .update(forecastBacktests)
      .set({ status: cancelled ? 'cancelled' : 'failed', errorMessage: (error as Error).message.slice(0, 1000), completedAt: ctx.clock.now() })
      .where(eq(forecastBacktests.id, row.id));
    throw error;
  }
}

/** The newest completed backtest of the organization, or null. */
export async function newestCompletedBacktest(ctx: ServiceContext): Promise<BacktestRun | null> {
  const [row] = await ctx.db
    .select()
    .from(forecastBacktests)
    .where(and(eq(forecastBacktests.organizationId, ctx.organization.id), eq(forecastBacktests.status, 'completed')))
    .orderBy(desc(forecastBacktests.startedAt), desc(forecastBacktests.completedAt))
    .limit(1);
  return row ? toRun(row) : null;
}

export async function getLatestBacktest(ctx: ServiceContext): Promise<BacktestRun> {
  const run = await newestCompletedBacktest(ctx);
  if (!run) throw notFound('Completed backtest');
  return run;
}

export async function getBacktest(ctx: ServiceContext, id: string): Promise<BacktestRun> {
  const [row] = await ctx.db
    .select()
    .from(forecastBacktests)
    .where(and(eq(forecastBacktests.organizationId, ctx.organization.id), eq(forecastBacktests.id, id)));
  if (!row) throw notFound('Backtest', id);
  return toRun(row);
}

/** Runs newest first, without the per-series results (GET /backtests/:id has them). */
export async function listBacktests(ctx: ServiceContext, page: { limit: number; offset: number }) {
  const where = eq(forecastBacktests.organizationId, ctx.organization.id);
  const rows = await ctx.db.select().from(forecastBacktests).where(where).orderBy(desc(forecastBacktests.startedAt)).limit(page.limit).offset(page.offset);
  const [{ total }] = await ctx.db
    .select({ total: sql<number>`count(*)::int` })
    .from(forecastBacktests)
    .where(where);
  return {
    data: rows.map((r) => {
      const { results: _results, ...rest } = toRun(r);
      return { ...rest, seriesCount: Array.isArray(r.results) ? r.results.length : 0 };
    }),
    page: { ...page, total: Number(total) },
  };
}

/** "department|channel" → the model the newest completed backtest chose. */
export async function chosenModels(ctx: ServiceContext): Promise<Map<string, BaselineModel>> {
  const run = await newestCompletedBacktest(ctx);
  const out = new Map<string, BaselineModel>();
  for (const r of run?.results ?? []) if (r.chosen) out.set(`${r.department}|${r.channel}`, r.chosen);
  return out;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '     –' : `${(v * 100).toFixed(1).padStart(5)}%`);
const num = (v: number | null | undefined) => (v === null || v === undefined ? '    –' : v.toFixed(2).padStart(5));

/** Plain-text table: per series the chosen model's WAPE/MASE next to seasonal naive and the seed's weekday baseline, then totals. */
export function formatBacktestText(run: BacktestRun): string {
  const p = run.parameters as { horizon: number; folds: number; origins: string[]; dataFrom: string; dataThrough: string };
  const summary = run.summary as BacktestSummary;
  const header = `${'department'.padEnd(16)}${'channel'.padEnd(9)}${'chosen'.padEnd(16)}${'WAPE'.padStart(7)}${'MASE'.padStart(7)}   ${'naive WAPE'.padStart(10)}${'MASE'.padStart(7)}   ${'seed WAPE'.padStart(9)}${'MASE'.padStart(7)}`;
  const rows = run.results.map((r) => {
    const chosen = r.chosen ? r.models[r.chosen] : null;
    const naive = r.models.seasonal_naive;
    const seed = r.models[seedModel];
    return `${r.department.slice(0, 15).padEnd(16)}${r.channel.padEnd(9)}${(r.chosen ?? '–').padEnd(16)}${pct(chosen?.wape).padStart(7)}${num(chosen?.mase).padStart(7)}   ${pct(naive?.wape).padStart(10)}${num(naive?.mase).padStart(7)}   ${pct(seed?.wape).padStart(9)}${num(seed?.mase).padStart(7)}`;
  });
  const totals = [['chosen per series', summary.chosen], ...[...baselineModels, seedModel].map((m) => [m, summary.models[m]] as const)].map(([name, s]) => {
    const line = s as BacktestSummaryLine | undefined;
    return `  ${String(name).padEnd(20)}WAPE ${pct(line?.wape)}  MASE ${num(line?.mase)}  (${line?.series ?? 0} series, ${line?.days ?? 0} days)`;
  });
  const counts = Object.entries(summary.chosenCounts ?? {})
    .map(([m, n]) => `${m} ${n}`)
    .join(', ');
  return [
    `Baseline backtest ${run.id} (${run.status}): data ${p.dataFrom} – ${p.dataThrough}, ${p.folds} origins × ${p.horizon} days (${p.origins.join(', ')}), ${summary.ms} ms`,
    'Scored on non-promo, non-dip days; seed = promotions.calculate_baseline_forecast as written (it has no training end, so it also sees the test days).',
    '',
    header,
    ...rows,
    '',
    'Totals (WAPE pooled over series, MASE averaged over scored days):',
    ...totals,
    `Chosen: ${counts || 'none'}`,
    ...(summary.chosenAhead && summary.chosenAhead.chosen.days > 0
      ? [
          `Without hindsight (model chosen on the earlier folds, scored on folds 2–${p.folds}, ${summary.chosenAhead.chosen.days} days): ` +
            `WAPE ${pct(summary.chosenAhead.chosen.wape).trim()} / MASE ${num(summary.chosenAhead.chosen.mase).trim()}; same days: ` +
            [...baselineModels, seedModel].map((m) => `${m} ${pct(summary.chosenAhead!.models[m]?.wape).trim()}`).join(', '),
        ]
      : []),
  ].join('\n');
}
