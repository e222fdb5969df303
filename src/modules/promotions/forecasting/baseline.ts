import { and, eq, gte, inArray, lte, param, sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import type { Channel } from '../schema.js';
import { baselineForecasts } from '../schema.js';
import { addDays, dayOfWeek, daysBetween, eachDay, type IsoDate } from '../shared/dates.js';
import { chosenModelsWithFallback, newestCompletedBacktest, runForecastBacktest, type BacktestOptions, type BacktestRun } from './backtest.js';
import { loadProphet } from './prophet-model.js';
import { lastSalesDate, loadDailySeries, recentRates } from './sales-history.js';
import {
  calendarFactors,
  dayIndex,
  fallbackModel,
  maxInSampleDays,
  maxTrainingDays,
  prepareSeries,
  runModel,
  slowModels,
  weekdayAverage,
  type BaselineModel,
} from './series-models.js';

/** What a department × channel would sell on a day without a promotion. */
export interface BaselineDay {
  department: string;
  channel: Channel;
  date: IsoDate;
  salesValue: number;
  marginValue: number;
  units: number;
}

export interface BaselineRequest {
  from: IsoDate;
  to: IsoDate;
  departments?: string[];
  channels?: Channel[];
  /** Learn only from history up to this day (a post-mortem asks for the day before its promotion began). */
  trainedThrough?: IsoDate;
}

export interface BaselineResult {
  days: BaselineDay[];
  /** The model used: one name, or 'mixed' when series used different models (see modelBySeries). */
  model: string;
  /** "department|channel" → model name */
  modelBySeries: Record<string, string>;
}

export const seriesKey = (department: string, channel: string) => `${department}|${channel}`;

/** Days ahead the nightly refresh stores in promotions.baseline_forecasts. */
export const storedHorizonDays = 120;
/** Days up to the last sales date stored as in-sample fits, for the sales explorer's overlay. */
export const storedPastDays = 365;
/** A backtest older than this is re-run by the refresh job even when no new sales arrived. */
export const backtestMaxAgeDays = 7;

const overallModel = (modelBySeries: Record<string, string>) => {
  const names = new Set(Object.values(modelBySeries));
  return names.size === 1 ? [...names][0] : names.size === 0 ? fallbackModel : 'mixed';
};

/**
 * Baseline forecast per department × channel × day, from the model the newest completed backtest chose for that
 * series (the seed's weekday average where none was chosen), fitted only on non-promo history up to `trainedThrough`
 * (default: the last sales date; promo and post-promo dip days are imputed, not learned). Days after the training
 * end are forecasts; days on or before it are the model's in-sample fit (what the explorer overlays on history), the
 * fit window reaching back to `from` (up to five years; earlier days get the window's weekday average).
 * With the default training end, the answer comes from promotions.baseline_forecasts when the refresh has stored
 * the whole range for the current data (the last 365 days and the next 120); otherwise the models are fitted here.
 */
export async function forecastBaseline(ctx: ServiceContext, request: BaselineRequest): Promise<BaselineResult> {
  const lastDate = await lastSalesDate(ctx);
  if (!lastDate || request.to < request.from) return { days: [], model: fallbackModel, modelBySeries: {} };
  const defaultTraining = !request.trainedThrough || request.trainedThrough >= lastDate;
  if (defaultTraining) {
    const stored = await storedBaseline(ctx, request, lastDate);
    if (stored) return stored;
  }
  // A live request (default training end) that misses the stored rows must stay fast: slow models (Prophet) are
  // replaced by the series' best fast model. An explicit training end (post-mortems) fits the chosen model.
  return fitBaseline(ctx, request, defaultTraining ? lastDate : request.trainedThrough!, { slowModels: !defaultTraining });
}

/** The stored forecasts when they were trained through `lastDate` and cover every day of the range for each series. */
async function storedBaseline(ctx: ServiceContext, request: BaselineRequest, lastDate: IsoDate): Promise<BaselineResult | null> {
  const conditions: SQL[] = [
    eq(baselineForecasts.organizationId, ctx.organization.id),
    eq(baselineForecasts.trainedThrough, lastDate),
    gte(baselineForecasts.date, request.from),
    lte(baselineForecasts.date, request.to),
  ];
  if (request.departments) conditions.push(request.departments.length ? inArray(baselineForecasts.department, request.departments) : sql`false`);
  if (request.channels) conditions.push(request.channels.length ? inArray(baselineForecasts.channel, request.channels) : sql`false`);
  const rows = await ctx.db
    .select({
      department: baselineForecasts.department,
      channel: baselineForecasts.channel,
      date: baselineForecasts.date,
      model: baselineForecasts.model,
      sales: baselineForecasts.forecastSalesValue,
      margin: baselineForecasts.forecastMarginValue,
      units: baselineForecasts.forecastUnits,
    })
    .from(baselineForecasts)
    .where(and(...conditions))
    .orderBy(baselineForecasts.department, baselineForecasts.channel, baselineForecasts.date);
  if (rows.length === 0) return null;
  const expected = daysBetween(request.from, request.to) + 1;
  const counts = new Map<string, number>();
  const modelBySeries: Record<string, string> = {};
  for (const r of rows) {
    const key = seriesKey(r.department, r.channel);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    modelBySeries[key] = r.model;
  }
  if ([...counts.values()].some((n) => n !== expected)) return null;
  return {
    days: rows.map((r) => ({
      department: r.department,
      channel: r.channel,
      date: r.date,
      salesValue: Number(r.sales),
      marginValue: Number(r.margin),
      units: r.units,
    })),
    model: overallModel(modelBySeries),
    modelBySeries,
  };
}

/**
 * Fits each series' chosen model on the fly (tens of milliseconds per MSTL series, 0.1–0.5 s per Prophet series,
 * microseconds for the others). With `slowModels: false` a series whose chosen model is slow gets its best fast one.
 */
async function fitBaseline(ctx: ServiceContext, request: BaselineRequest, trainedThrough: IsoDate, options: { slowModels: boolean }): Promise<BaselineResult> {
  // Every series is loaded, filtered or not: the calendar factors that impute promo days come from all of them.
  // One query after another: callers run this inside transactions, whose queries share one connection.
  const allSeries = await loadDailySeries(ctx, { through: trainedThrough });
  const chosen = await chosenModelsWithFallback(ctx);
  const seriesList = allSeries.filter(
    (s) => (!request.departments || request.departments.includes(s.department)) && (!request.channels || request.channels.includes(s.channel as Channel)),
  );
  const days: BaselineDay[] = [];
  const modelBySeries: Record<string, string> = {};
  const dates = eachDay(request.from, request.to);
  // Past days asked for are covered by the fit window where history allows (uplift fitting asks for all of it).
  const windowDays = Math.min(maxInSampleDays, Math.max(maxTrainingDays, daysBetween(request.from, trainedThrough) + 1));
  const factors = seriesList.length ? calendarFactors(allSeries, trainedThrough, windowDays) : undefined;
  for (const series of seriesList) {
    const prepared = prepareSeries(series, trainedThrough, windowDays, factors);
    if (!prepared) continue;
    const key = seriesKey(series.department, series.channel);
    const n = prepared.values.length;
    const end = addDays(prepared.start, n - 1);
    const horizon = Math.max(1, daysBetween(end, request.to));
    const choice = chosen.get(key);
    let model: BaselineModel = choice ? (slowModels.has(choice.chosen) && !options.slowModels ? (choice.fast ?? fallbackModel) : choice.chosen) : fallbackModel;
    if (slowModels.has(model)) await loadProphet();
    let output = runModel(model, prepared, horizon);
    if (!output) {
      model = fallbackModel;
      output = runModel(model, prepared, horizon)!;
    }
    const weekdayMeans = weekdayAverage(prepared, 7).inSample;
    const rates = recentRates(series, prepared);
    modelBySeries[key] = model;
    for (const date of dates) {
      const i = dayIndex(prepared.start, date);
      const sales = i < 0 ? weekdayMeans[((i % 7) + 7) % 7] : i < n ? output.inSample[i] : output.forecast[i - n];
      const salesValue = Math.max(0, sales);
      days.push({
        department: series.department,
        channel: series.channel as Channel,
        date,
        salesValue,
        marginValue: salesValue * rates.marginRateByWeekday[dayOfWeek(date)],
        units: rates.averagePrice > 0 ? Math.round(salesValue / rates.averagePrice) : 0,
      });
    }
  }
  return { days, model: overallModel(modelBySeries), modelBySeries };
}

/** Days before the first sales date stored too (the weekday average), so a request reaching back a few weeks hits. */
export const storedMarginDays = 28;

/**
 * Rewrites promotions.baseline_forecasts: the next `horizonDays` days after the last sales date (forecasts) and the
 * `pastDays` up to it (in-sample fits, which the sales explorer overlays), all trained through the last sales date.
 * With `wholeHistory` (default) the older days back to 28 days before the first sales date (at most five years) are
 * stored as well, from a second in-sample fit over that whole window, so uplift fitting over every past promotion reads
 * the chosen (possibly slow) model's baseline instead of refitting a fast one.
 */
export async function writeBaselineForecasts(
  ctx: ServiceContext,
  horizonDays = storedHorizonDays,
  pastDays = storedPastDays,
  wholeHistory = true,
): Promise<{ trainedThrough: IsoDate | null; rows: number }> {
  const lastDate = await lastSalesDate(ctx);
  if (!lastDate) return { trainedThrough: null, rows: 0 };
  const [{ first }] = await sqlRows<{ first: string }>(
    ctx.db,
    sql`select min(date)::text as first from promotions.sales_aggregated where organization_id = ${ctx.organization.id}`,
  );
  const from = [addDays(lastDate, 1 - pastDays), first].sort()[1];
  const recent = await fitBaseline(ctx, { from, to: addDays(lastDate, horizonDays) }, lastDate, { slowModels: true });
  const rows = recent.days.map((d) => ({ ...d, model: recent.modelBySeries[seriesKey(d.department, d.channel)] }));
  const historyFrom = [addDays(first, -storedMarginDays), addDays(lastDate, 1 - maxInSampleDays)].sort()[1];
  if (wholeHistory && historyFrom < from) {
    const older = await fitBaseline(ctx, { from: historyFrom, to: addDays(from, -1) }, lastDate, { slowModels: true });
    rows.unshift(...older.days.map((d) => ({ ...d, model: older.modelBySeries[seriesKey(d.department, d.channel)] })));
  }
  const result = { days: rows };
  const generatedAt = ctx.clock.now();
  const round2 = (v: number) => Math.round(v * 100) / 100;
  await ctx.db.transaction(async (tx) => {
    await tx.delete(baselineForecasts).where(eq(baselineForecasts.organizationId, ctx.organization.id));
    for (let i = 0; i < result.days.length; i += 10_000) {
      const chunk = result.days.slice(i, i + 10_000);
      // One unnest insert per chunk: 16 series × 485 days go in one statement instead of thousands of parameters.
      await tx.execute(sql`
        insert into promotions.baseline_forecasts
          (organization_id, department, channel, date, model, forecast_sales_value, forecast_margin_value, forecast_units, trained_through, generated_at)
        select ${ctx.organization.id}::uuid, r.department, r.channel, r.date, r.model, r.sales, r.margin, r.units, ${lastDate}::date, ${generatedAt}
        from unnest(
          ${param(chunk.map((d) => d.department))}::text[],
          ${param(chunk.map((d) => d.channel))}::text[],
          ${param(chunk.map((d) => d.date))}::date[],
          ${param(chunk.map((d) => d.model))}::text[],
          ${param(chunk.map((d) => round2(d.salesValue)))}::numeric[],
          ${param(chunk.map((d) => round2(d.marginValue)))}::numeric[],
          ${param(chunk.map((d) => d.units))}::int[]
        ) as r(department, channel, date, model, sales, margin, units)`);
    }
  });
  return { trainedThrough: lastDate, rows: result.days.length };
}

export interface RefreshResult {
  lastSalesDate: IsoDate | null;
  backtest: { id: string; reran: boolean; reason: string } | null;
  backtestError?: string;
  forecastRows: number;
}

/**
 * The nightly refresh: re-runs the backtest when the newest completed one is older than the data or than 7 days,
 * then stores the next 120 days of baseline per series.
 */
export async function refreshBaselineForecasts(ctx: ServiceContext, options: BacktestOptions = {}): Promise<RefreshResult> {
  const lastDate = await lastSalesDate(ctx);
  if (!lastDate) return { lastSalesDate: null, backtest: null, forecastRows: 0 };
  const latest = await newestCompletedBacktest(ctx);
  const dataThrough = latest?.parameters.dataThrough as string | undefined;
  const ageDays = latest?.completedAt ? (ctx.clock.now().getTime() - Date.parse(latest.completedAt)) / 86_400_000 : Infinity;
  const reason = !latest
    ? 'no completed backtest'
    : !dataThrough || dataThrough < lastDate
      ? `the backtest covers data through ${dataThrough ?? '?'}, sales now run through ${lastDate}`
      : ageDays > backtestMaxAgeDays
        ? `the backtest is ${Math.floor(ageDays)} days old`
        : null;
  let backtest: RefreshResult['backtest'] = latest ? { id: latest.id, reran: false, reason: 'up to date' } : null;
  let backtestError: string | undefined;
  if (reason) {
    try {
      const run: BacktestRun = await runForecastBacktest(ctx, {}, options);
      backtest = { id: run.id, reran: true, reason };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      // Too little history for a backtest is not a failure of the refresh: the weekday average serves meanwhile.
      backtestError = (error as Error).message;
    }
  }
  const written = await writeBaselineForecasts(ctx);
  return { lastSalesDate: lastDate, backtest, ...(backtestError ? { backtestError } : {}), forecastRows: written.rows };
}
