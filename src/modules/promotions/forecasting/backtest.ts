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
import { loadProphet } from './prophet-model.js';
import { eventDates } from './retail-calendar.js';
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
  slowModels,
  type BaselineModel,
  type DailySeries,
} from './series-models.js';

/** Training days a fold needs before its origin: eight weeks, so every weekday has a few clean values. */
export const minimumTrainingDays = 56;
/** Two models whose WAPE differs by less than this (0.05 percentage points) tie, and the simpler one is chosen. */
export const wapeTieTolerance = 0.0005;
/** A model within this much clean-day WAPE of the best (1 percentage point) may be preferred for a smaller peak bias. */
export const accuracyTolerance = 0.01;
/** Peak leave-out biases within this much (2 percentage points) of the smallest count as equally unbiased. */
export const biasTolerance = 0.02;
/** Held-out peak days a series needs before its leave-out bias is used in the choice. */
export const minimumLeaveOutDays = 14;
/** How far back from the last origin peak days are held out: one year, so every peak of the year is in it once. */
export const leaveOutWindowDays = 364;

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

/**
 * The promo-day counterfactual without the truth: clean days that look like promo days (a holiday or retail peak, or
 * a date on which another series was promoted) in the year before the last origin are hidden from the fit as if they
 * were promoted, and the model's baseline for them is compared with what they actually sold.
 */
export interface LeaveOutScore {
  wape: number | null;
  /** Σ(baseline − actual) / Σ actual: negative = the baseline runs low on peaks (uplift would be overstated). */
  bias: number | null;
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
  /** Per model, the peak leave-out score at the last origin (absent in runs before it existed). */
  peakLeaveOut?: Record<string, LeaveOutScore | null>;
  chosen: BaselineModel | null;
  /** The choice among the fast models only: what a live request uses when the chosen model is slow and not stored. */
  fastChosen?: BaselineModel | null;
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
  /** Peak leave-out pooled over series, per model and for the chosen models. */
  peakLeaveOut?: Record<string, LeaveOutScore>;
  /** Fit (and forecast) time per model over every fold and leave-out fit. */
  fitMs?: Record<string, { fits: number; meanMs: number; maxMs: number }>;
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
  /** Milliseconds per fit, per model (filled in). */
  fitTimes: Map<string, number[]> = new Map(),
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
    for (const model of baselineModels) outputs.set(model, timed(fitTimes, model, () => runModel(model, prepared, horizon))?.forecast ?? null);
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

function timed<T>(times: Map<string, number[]>, model: string, run: () => T): T {
  const started = performance.now();
  const out = run();
  const list = times.get(model) ?? [];
  list.push(performance.now() - started);
  times.set(model, list);
  return out;
}

/** Running Σ|e|, Σ(forecast − actual), Σ actual for the leave-out score. */
export class BiasAccumulator {
  absError = 0;
  signedError = 0;
  absActual = 0;
  days = 0;
  add(actual: number, forecast: number): void {
    this.absError += Math.abs(forecast - actual);
    this.signedError += forecast - actual;
    this.absActual += Math.abs(actual);
    this.days++;
  }
  merge(other: BiasAccumulator): void {
    this.absError += other.absError;
    this.signedError += other.signedError;
    this.absActual += other.absActual;
    this.days += other.days;
  }
  score(): LeaveOutScore {
    return {
      wape: this.absActual > 0 ? this.absError / this.absActual : null,
      bias: this.absActual > 0 ? this.signedError / this.absActual : null,
      days: this.days,
    };
  }
}

/**
 * The peak leave-out for one series at `origin`: its clean days in the year up to the origin that fall on a calendar
 * event or on a date another series was promoted are set to missing (in this series only; calendar factors are
 * re-learned without them), every model is fitted, and its in-sample baseline on those days is compared with their
 * sales. A day a model cannot fit is skipped for that model (its accumulator stays empty → null).
 */
export function peakLeaveOut(
  series: DailySeries,
  allSeries: readonly DailySeries[],
  origin: IsoDate,
  /** Dates with a promotion in any series other than this one. */
  promoDatesOfOthers: ReadonlySet<IsoDate>,
  fitTimes: Map<string, number[]> = new Map(),
  models: readonly BaselineModel[] = baselineModels,
): Map<string, BiasAccumulator> {
  const out = new Map<string, BiasAccumulator>(models.map((m) => [m, new BiasAccumulator()]));
  const originIndex = Math.min(series.sales.length - 1, dayIndex(series.start, origin));
  const fromIndex = Math.max(0, originIndex - leaveOutWindowDays + 1);
  if (originIndex < minimumTrainingDays) return out;
  const events = eventDates(addDays(series.start, fromIndex), origin);
  const dipDays = prepareSeries(series, origin)?.dipDays ?? 0;
  const clean = cleanMask(series, dipDays, fromIndex, originIndex + 1);
  const held: number[] = [];
  for (let k = fromIndex; k <= originIndex; k++) {
    const date = addDays(series.start, k);
    if (clean[k - fromIndex] && (events.has(date) || promoDatesOfOthers.has(date))) held.push(k);
  }
  if (held.length === 0) return out;
  const heldSet = new Set(held);
  const masked: DailySeries = { ...series, sales: series.sales.map((v, k) => (heldSet.has(k) ? null : v)) };
  const factors = calendarFactors(
    allSeries.map((s) => (s === series ? masked : s)),
    origin,
  );
  const prepared = prepareSeries(masked, origin, maxTrainingDays, factors);
  if (!prepared) return out;
  const offset = dayIndex(series.start, prepared.start);
  for (const model of models) {
    const fitted = timed(fitTimes, model, () => runModel(model, prepared, 1));
    if (!fitted) continue;
    for (const k of held) {
      const i = k - offset;
      if (i >= 0 && i < fitted.inSample.length) out.get(model)!.add(series.sales[k]!, fitted.inSample[i]);
    }
  }
  return out;
}

function scoresOf(accumulators: ReadonlyMap<string, ErrorAccumulator>, failed: ReadonlySet<string>): Record<string, ModelScore | null> {
  const models: Record<string, ModelScore | null> = {};
  for (const [model, acc] of accumulators) {
    models[model] = failed.has(model) || acc.days === 0 ? null : { wape: acc.wape, mase: acc.mase, days: acc.days };
  }
  return models;
}

/**
 * The choice per series. Without leave-out scores: the lowest clean-day WAPE, the simpler model within the tie
 * tolerance. With them (≥ 14 held-out peak days): among the models within 1 percentage point of the best clean-day
 * WAPE, those whose |peak leave-out bias| is within 2 points of the smallest; of these the lowest clean-day WAPE
 * (simpler on a tie). Accurate on ordinary days first, then unbiased on the days promotions sit on.
 */
export function chooseModel(
  models: Record<string, ModelScore | null>,
  leaveOut?: Record<string, LeaveOutScore | null>,
  candidates: readonly BaselineModel[] = baselineModels,
): BaselineModel | null {
  const lowestWape = (among: readonly BaselineModel[]) => {
    let best: BaselineModel | null = null;
    let bestWape = Number.POSITIVE_INFINITY;
    for (const model of among) {
      const wape = models[model]?.wape;
      if (wape === null || wape === undefined) continue;
      if (wape < bestWape - wapeTieTolerance) {
        best = model;
        bestWape = wape;
      }
    }
    return best;
  };
  const best = lowestWape(candidates);
  if (!best || !leaveOut) return best;
  const bestWape = models[best]!.wape!;
  const eligible = candidates.filter((m) => {
    const w = models[m]?.wape;
    const b = leaveOut[m];
    return w !== null && w !== undefined && w <= bestWape + accuracyTolerance && b?.bias != null && b.days >= minimumLeaveOutDays;
  });
  if (eligible.length === 0) return best;
  const smallestBias = Math.min(...eligible.map((m) => Math.abs(leaveOut[m]!.bias!)));
  return lowestWape(eligible.filter((m) => Math.abs(leaveOut[m]!.bias!) <= smallestBias + biasTolerance)) ?? best;
}

export interface BacktestOptions {
  onProgress?: ProgressReporter;
  /** Aborting stops between series; the run is stored as cancelled and nothing else is written. */
  signal?: AbortSignal;
  /** Called once the input and history have passed their checks and the `running` row is stored. */
  onStarted?: (run: BacktestRun) => void;
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
    selection:
      `among models within ${accuracyTolerance * 100} percentage point(s) of the lowest clean-day WAPE, those within ${biasTolerance * 100} points of the smallest |peak leave-out bias| ` +
      `(when ≥ ${minimumLeaveOutDays} held-out days), then the lowest WAPE; within ${wapeTieTolerance * 100} points the simpler model (order: ${baselineModels.join(' < ')})`,
    peakLeaveOut:
      'at the last origin, clean days of the year before it on a holiday/retail peak or on a date another series was promoted are hidden from the fit (as if promoted); baseline vs their sales',
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
  options.onStarted?.(toRun(row));
  try {
    await loadProphet();
    const seriesList = await loadDailySeries(ctx, {});
    const factorsByOrigin = new Map(origins.map((origin) => [origin, calendarFactors(seriesList, origin)]));
    const results: SeriesBacktestResult[] = [];
    const totals = new Map<string, ErrorAccumulator>([...baselineModels, seedModel].map((m) => [m, new ErrorAccumulator()]));
    const seriesPerModel = new Map<string, number>();
    const chosenTotal = new ErrorAccumulator();
    const aheadTotals = new Map<string, ErrorAccumulator>(['chosen', ...baselineModels, seedModel].map((m) => [m, new ErrorAccumulator()]));
    let aheadSeries = 0;
    const chosenCounts: Record<string, number> = {};
    const fitTimes = new Map<string, number[]>();
    const leaveOutTotals = new Map<string, BiasAccumulator>(['chosen', ...baselineModels].map((m) => [m, new BiasAccumulator()]));
    const lastOrigin = origins[origins.length - 1];
    const promoSeriesByDate = new Map<IsoDate, Set<DailySeries>>();
    for (const s of seriesList) {
      s.promo.forEach((p, k) => {
        if (!p) return;
        const date = addDays(s.start, k);
        if (!promoSeriesByDate.has(date)) promoSeriesByDate.set(date, new Set());
        promoSeriesByDate.get(date)!.add(s);
      });
    }
    options.onProgress?.({ step: 'backtest', current: 0, total: seriesList.length });
    for (const [index, series] of seriesList.entries()) {
      if (options.signal?.aborted) throw promotionsError('CANCELLED', 'The backtest was cancelled.', { status: 409 });
      const seed: SeedForecasts = new Map();
      for (const origin of origins) seed.set(origin, await seedFunctionForecast(ctx, series, addDays(origin, 1), addDays(origin, horizon)));
      const { result, accumulators, ahead } = backtestSeries(series, origins, horizon, seed, factorsByOrigin, fitTimes);
      const others = new Set([...promoSeriesByDate].filter(([, set]) => [...set].some((s) => s !== series)).map(([date]) => date));
      const leaveOut = peakLeaveOut(series, seriesList, lastOrigin, others, fitTimes);
      result.peakLeaveOut = Object.fromEntries([...leaveOut].map(([m, acc]) => [m, acc.days ? acc.score() : null]));
      result.chosen = chooseModel(result.models, result.peakLeaveOut);
      result.fastChosen = chooseModel(
        result.models,
        result.peakLeaveOut,
        baselineModels.filter((m) => !slowModels.has(m)),
      );
      for (const [m, acc] of leaveOut) if (result.models[m]) leaveOutTotals.get(m)!.merge(acc);
      if (result.chosen) leaveOutTotals.get('chosen')!.merge(leaveOut.get(result.chosen)!);
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
      peakLeaveOut: Object.fromEntries([...leaveOutTotals].map(([m, acc]) => [m, acc.score()])),
      fitMs: Object.fromEntries(
        [...fitTimes].map(([m, list]) => [
          m,
          { fits: list.length, meanMs: Math.round((list.reduce((a, b) => a + b, 0) / list.length) * 10) / 10, maxMs: Math.round(Math.max(...list)) },
        ]),
      ),
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

/** "department|channel" → the model the newest completed backtest chose (known models only). */
export async function chosenModels(ctx: ServiceContext): Promise<Map<string, BaselineModel>> {
  return new Map([...(await chosenModelsWithFallback(ctx))].map(([key, v]) => [key, v.chosen]));
}

/** "department|channel" → the chosen model and the best fast one (for live requests that cannot wait for a slow fit). */
export async function chosenModelsWithFallback(ctx: ServiceContext): Promise<Map<string, { chosen: BaselineModel; fast: BaselineModel | null }>> {
  const run = await newestCompletedBacktest(ctx);
  const known = new Set<string>(baselineModels);
  const out = new Map<string, { chosen: BaselineModel; fast: BaselineModel | null }>();
  for (const r of run?.results ?? []) {
    if (!r.chosen || !known.has(r.chosen)) continue;
    const fast = r.fastChosen && known.has(r.fastChosen) ? r.fastChosen : slowModels.has(r.chosen) ? null : r.chosen;
    out.set(`${r.department}|${r.channel}`, { chosen: r.chosen, fast });
  }
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
    ...(summary.peakLeaveOut
      ? [
          'Peak leave-out at the last origin (clean holiday/peak/other-series-promo days of the year before it hidden from the fit, as if promoted; baseline vs actual):',
          ...['chosen', ...baselineModels].map((m) => {
            const l = summary.peakLeaveOut![m];
            return `  ${m.padEnd(20)}WAPE ${pct(l?.wape)}  bias ${l?.bias == null ? '     –' : `${l.bias >= 0 ? '+' : ''}${(l.bias * 100).toFixed(1)}%`.padStart(6)}  (${l?.days ?? 0} days)`;
          }),
        ]
      : []),
    ...(summary.fitMs
      ? [
          `Fit time per series and fit: ${baselineModels
            .filter((m) => summary.fitMs![m])
            .map((m) => `${m} ${summary.fitMs![m].meanMs} ms (max ${summary.fitMs![m].maxMs}, ${summary.fitMs![m].fits} fits)`)
            .join(', ')}`,
        ]
      : []),
    ...(summary.chosenAhead && summary.chosenAhead.chosen.days > 0
      ? [
          `Without hindsight (model chosen on the earlier folds, scored on folds 2–${p.folds}, ${summary.chosenAhead.chosen.days} days): ` +
            `WAPE ${pct(summary.chosenAhead.chosen.wape).trim()} / MASE ${num(summary.chosenAhead.chosen.mase).trim()}; same days: ` +
            [...baselineModels, seedModel].map((m) => `${m} ${pct(summary.chosenAhead!.models[m]?.wape).trim()}`).join(', '),
        ]
      : []),
  ].join('\n');
}
