import { randomUUID } from 'node:crypto';
import { and, asc, between, eq, gte, ilike, inArray, lte, max, or, sql, count } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import type { ServiceContext } from '../../../core/context.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../../../core/db/list-query.js';
import { notFound, validationFailed } from '../../../core/errors.js';
import { kpiDefinitions, kpiMetrics, riskPredictions, stores, type KpiStatus } from '../schema.js';
import { loadEvaluationSettings } from '../evaluation/index.js';
import { addDays, dateRange, isIsoDate, localDate, type IsoDate } from '../shared/dates.js';
import { dayState } from '../shared/opening-hours.js';
import {
  calloutCategories,
  calloutsFactor,
  forecastFactor,
  orderFactors,
  overallPrediction,
  stockoutCategories,
  stockoutFactor,
  streakFactor,
  trendFactor,
  type ContributingFactor,
  type KpiPrediction,
} from './contributing-factors.js';
import { currentStreak, seriesKey, trendPctPerWeek } from './kpi-series.js';
import { modelVersion } from './mstl-forecast.js';
import { loadClosures, loadKpiSeries, loadOperationalSignals, loadPredictionScope, type StoreInfo } from './prediction-inputs.js';
import { fitSeries, forecastStatusPath, trainingWindowDays } from './status-forecast.js';

export const isoDateSchema = z.string().refine(isIsoDate, 'Use a calendar date as YYYY-MM-DD');

export const maxHorizonDays = 7;
/** Stores per batch of reads: bounds memory at 1,000 stores × 20 KPIs while keeping round trips few. */
const storeChunkSize = 200;
const insertChunkSize = 1_000;

export const predictRiskInput = z.object({
  asOf: isoDateSchema,
  horizonDays: z.number().int().min(1).max(maxHorizonDays).default(3),
  storeIds: z.array(z.uuid()).min(1).optional(),
});

export type PredictionType = 'sales' | 'labor' | 'inventory' | 'overall' | string;

/** The seed's prediction types are sales / labor / inventory / overall; other KPI categories map onto the nearest. */
export function predictionTypeOf(category: string): PredictionType {
  if (category === 'hr') return 'labor';
  if (category === 'customer') return 'sales';
  return category;
}

export interface PredictionView {
  id: string;
  storeId: string;
  storeCode: string;
  kpiId: string | null;
  kpiCode: string | null;
  predictionDate: IsoDate;
  targetDate: IsoDate;
  predictionType: string;
  predictedStatus: KpiStatus;
  predictedValue: number | null;
  confidenceScore: number | null;
  contributingFactors: Record<string, unknown>[];
  modelVersion: string;
}

export interface PredictRiskResult {
  asOf: IsoDate;
  horizonDays: number;
  modelVersion: string;
  predictions: PredictionView[];
  /** Store × KPI series (or target days) that got no prediction, by reason. */
  skipped: { noThreshold: number; insufficientHistory: number; noBaseline: number; closedDays: number };
  ms: number;
}

const emptySignals = {
  calloutHours: 0,
  unfilledCalloutHours: 0,
  peakHourCallouts: 0,
  topSkuOutOfStockEvents: 0,
  topSkusStillOut: 0,
  estimatedLostSales: 0,
};

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A day the store does not trade, exactly as the engine decides it: a closure, or a weekday without opening hours. */
function isClosedTarget(store: StoreInfo, closedDates: Set<IsoDate>, target: IsoDate): boolean {
  return dayState({ timezone: store.timezone, openingHours: store.openingHours, closedDates }, target) !== 'open';
}

/**
 * Predicts each store × KPI status for the `horizonDays` days after `asOf` from data up to `asOf` only, plus an
 * overall outlook per store and day, and replaces this model's predictions made on `asOf` (idempotent).
 */
export async function predictRisk(ctx: ServiceContext, rawInput: z.input<typeof predictRiskInput>): Promise<PredictRiskResult> {
  const started = performance.now();
  const parsed = predictRiskInput.safeParse(rawInput);
  if (!parsed.success) {
    throw validationFailed(
      'The prediction request is invalid.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message })),
    );
  }
  const { asOf, horizonDays, storeIds } = parsed.data;
  const scope = await loadPredictionScope(ctx, storeIds);
  const firstTarget = addDays(asOf, 1);
  const lastTarget = addDays(asOf, horizonDays);
  const closures = await loadClosures(ctx, firstTarget, lastTarget);
  const ranges = [
    { from: addDays(asOf, -(trainingWindowDays - 1)), to: asOf },
    // same_period_ly baselines of the target days.
    { from: addDays(firstTarget, -364), to: addDays(lastTarget, -364) },
  ];
  const skipped = { noThreshold: 0, insufficientHistory: 0, noBaseline: 0, closedDays: 0 };
  const settings = await loadEvaluationSettings(ctx);
  const targets = dateRange(firstTarget, lastTarget);
  const rows: (typeof riskPredictions.$inferInsert)[] = [];
  const createdAt = ctx.clock.now();

  for (let i = 0; i < scope.stores.length; i += storeChunkSize) {
    const chunk = scope.stores.slice(i, i + storeChunkSize);
    const chunkIds = chunk.map((s) => s.id);
    const seriesByKey = await loadKpiSeries(ctx, chunkIds, ranges);
    const signals = await loadOperationalSignals(ctx, chunkIds, addDays(asOf, -6), asOf);
    for (const store of chunk) {
      const closedDates = closures.forStore(store.id);
      const perTarget = new Map<IsoDate, KpiPrediction[]>();
      for (const kpi of scope.kpis) {
        const rule = scope.ruleFor(store.id, kpi.id);
        const series = seriesByKey.get(seriesKey(store.id, kpi.id));
        // A KPI the store does not report is not a gap in the model.
        if (!series) continue;
        if (!rule) {
          skipped.noThreshold++;
          continue;
        }
        const fit = fitSeries(series, asOf, horizonDays);
        if (!fit) {
          skipped.insufficientHistory++;
          continue;
        }
        const trend = trendPctPerWeek(series, asOf);
        const streak = currentStreak(series, asOf, trainingWindowDays);
        const storeSignals = signals.get(store.id) ?? emptySignals;
        const isOpen = (date: IsoDate) => !isClosedTarget(store, closedDates, date);
        const forecasts = forecastStatusPath({ fit, series, rule, settings, visibleUntil: asOf, lastTarget, isOpen });
        skipped.closedDays += targets.filter((t) => !isOpen(t)).length;
        skipped.noBaseline += targets.filter((t) => isOpen(t)).length - forecasts.length;
        for (const forecast of forecasts) {
          const factors: ContributingFactor[] = [forecastFactor(kpi, rule, forecast)];
          if (trend !== null) factors.push(trendFactor(kpi, trend));
          if (streak) factors.push(streakFactor(kpi, streak));
          if (calloutCategories.has(kpi.category)) factors.push(calloutsFactor(storeSignals));
          if (stockoutCategories.has(kpi.category)) factors.push(stockoutFactor(storeSignals));
          rows.push({
            id: randomUUID(),
            organizationId: ctx.organization.id,
            storeId: store.id,
            kpiDefinitionId: kpi.id,
            predictionDate: asOf,
            targetDate: forecast.targetDate,
            predictionType: predictionTypeOf(kpi.category),
            predictedStatus: forecast.status,
            predictedValue: round(forecast.predictedValue, 4),
            confidenceScore: forecast.confidence,
            contributingFactors: orderFactors(factors),
            modelVersion,
            createdAt,
          });
          perTarget.set(forecast.targetDate, [...(perTarget.get(forecast.targetDate) ?? []), { kpi, rule, forecast }]);
        }
      }
      for (const [target, kpiPredictions] of perTarget) {
        const overall = overallPrediction(kpiPredictions);
        if (!overall) continue;
        rows.push({
          id: randomUUID(),
          organizationId: ctx.organization.id,
          storeId: store.id,
          kpiDefinitionId: null,
          predictionDate: asOf,
          targetDate: target,
          predictionType: 'overall',
          predictedStatus: overall.status,
          predictedValue: overall.riskProbability,
          confidenceScore: overall.confidence,
          contributingFactors: overall.factors,
          modelVersion,
          createdAt,
        });
      }
    }
  }

  await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx as unknown as ServiceContext['db'] };
    // Two runs for the same day must not interleave their delete and insert.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`store_health.predict:${ctx.organization.id}`}))`);
    await tx
      .delete(riskPredictions)
      .where(
        and(
          eq(riskPredictions.organizationId, ctx.organization.id),
          eq(riskPredictions.predictionDate, asOf),
          eq(riskPredictions.modelVersion, modelVersion),
          storeIds ? inArray(riskPredictions.storeId, storeIds) : undefined,
        ),
      );
    for (let i = 0; i < rows.length; i += insertChunkSize) await tx.insert(riskPredictions).values(rows.slice(i, i + insertChunkSize));
    await recordAudit(txCtx, {
      action: 'store_health.predictions.generated',
      entityType: 'risk_predictions',
      entityId: asOf,
      after: { asOf, horizonDays, modelVersion, predictions: rows.length, stores: scope.stores.length, skipped },
    });
  });

  const storeCodes = new Map(scope.stores.map((s) => [s.id, s.storeCode]));
  const kpiCodes = new Map(scope.kpis.map((k) => [k.id, k.kpiCode]));
  return {
    asOf,
    horizonDays,
    modelVersion,
    predictions: rows.map((row) => ({
      id: row.id!,
      storeId: row.storeId,
      storeCode: storeCodes.get(row.storeId) ?? '',
      kpiId: row.kpiDefinitionId ?? null,
      kpiCode: row.kpiDefinitionId ? (kpiCodes.get(row.kpiDefinitionId) ?? null) : null,
      predictionDate: row.predictionDate,
      targetDate: row.targetDate,
      predictionType: row.predictionType,
      predictedStatus: row.predictedStatus,
      predictedValue: row.predictedValue ?? null,
      confidenceScore: row.confidenceScore ?? null,
      contributingFactors: row.contributingFactors ?? [],
      modelVersion: row.modelVersion,
    })),
    skipped,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * The day the daily job predicts from: the latest day with evaluated statuses, at most yesterday in the
 * organization's time zone (today's trading is not over). Null when nothing has been evaluated yet.
 */
export async function latestEvaluatedDate(ctx: ServiceContext): Promise<IsoDate | null> {
  const yesterday = addDays(localDate(ctx.clock.now(), ctx.organization.timezone), -1);
  const [row] = await ctx.db
    .select({ date: max(kpiMetrics.metricDate) })
    .from(kpiMetrics)
    .where(
      and(
        eq(kpiMetrics.organizationId, ctx.organization.id),
        gte(kpiMetrics.metricDate, addDays(yesterday, -trainingWindowDays)),
        lte(kpiMetrics.metricDate, yesterday),
        inArray(kpiMetrics.status, ['green', 'yellow', 'red']),
      ),
    );
  return row?.date ?? null;
}

export const listPredictionsQuery = listQuerySchema(['predictionDate', 'targetDate', 'confidenceScore', 'storeCode'], '-predictionDate', {
  storeId: z.uuid().optional(),
  kpiId: z.uuid().optional(),
  /** Target dates from / to (inclusive). */
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  predictionDate: isoDateSchema.optional(),
  predictionType: z.string().trim().min(1).max(40).optional(),
  predictedStatus: z.enum(['green', 'yellow', 'red']).optional(),
});

export async function listPredictions(ctx: ServiceContext, query: z.infer<typeof listPredictionsQuery>): Promise<Page<PredictionView>> {
  const orgId = ctx.organization.id;
  if (query.from && query.to && query.from > query.to)
    throw validationFailed('"from" must not be after "to".', [{ path: 'to', message: 'Must be on or after from' }]);
  if (query.storeId) {
    const [store] = await ctx.db
      .select({ id: stores.id })
      .from(stores)
      .where(and(eq(stores.organizationId, orgId), eq(stores.id, query.storeId)));
    if (!store) throw notFound('Store', query.storeId);
  }
  if (query.kpiId) {
    const [kpi] = await ctx.db
      .select({ id: kpiDefinitions.id })
      .from(kpiDefinitions)
      .where(and(eq(kpiDefinitions.organizationId, orgId), eq(kpiDefinitions.id, query.kpiId)));
    if (!kpi) throw notFound('KPI', query.kpiId);
  }
  const where = and(
    eq(riskPredictions.organizationId, orgId),
    query.storeId ? eq(riskPredictions.storeId, query.storeId) : undefined,
    query.kpiId ? eq(riskPredictions.kpiDefinitionId, query.kpiId) : undefined,
    query.from && query.to ? between(riskPredictions.targetDate, query.from, query.to) : undefined,
    query.from && !query.to ? gte(riskPredictions.targetDate, query.from) : undefined,
    query.to && !query.from ? lte(riskPredictions.targetDate, query.to) : undefined,
    query.predictionDate ? eq(riskPredictions.predictionDate, query.predictionDate) : undefined,
    query.predictionType ? eq(riskPredictions.predictionType, query.predictionType) : undefined,
    query.predictedStatus ? eq(riskPredictions.predictedStatus, query.predictedStatus) : undefined,
    query.q ? or(ilike(stores.storeCode, likePattern(query.q)), ilike(kpiDefinitions.kpiCode, likePattern(query.q))) : undefined,
  );
  const [primary] = orderBy(
    query.sort,
    {
      predictionDate: riskPredictions.predictionDate,
      targetDate: riskPredictions.targetDate,
      confidenceScore: riskPredictions.confidenceScore,
      storeCode: stores.storeCode,
    },
    riskPredictions.id,
  );
  const rows = await ctx.db
    .select({
      id: riskPredictions.id,
      storeId: riskPredictions.storeId,
      storeCode: stores.storeCode,
      kpiId: riskPredictions.kpiDefinitionId,
      kpiCode: kpiDefinitions.kpiCode,
      predictionDate: riskPredictions.predictionDate,
      targetDate: riskPredictions.targetDate,
      predictionType: riskPredictions.predictionType,
      predictedStatus: riskPredictions.predictedStatus,
      predictedValue: riskPredictions.predictedValue,
      confidenceScore: riskPredictions.confidenceScore,
      contributingFactors: riskPredictions.contributingFactors,
      modelVersion: riskPredictions.modelVersion,
    })
    .from(riskPredictions)
    .innerJoin(stores, and(eq(stores.id, riskPredictions.storeId), eq(stores.organizationId, orgId)))
    .leftJoin(kpiDefinitions, eq(kpiDefinitions.id, riskPredictions.kpiDefinitionId))
    .where(where)
    // Within one ordering value: by target day, store, then the overall row before the store's KPIs.
    .orderBy(primary, asc(riskPredictions.targetDate), asc(stores.storeCode), sql`${kpiDefinitions.kpiCode} asc nulls first`, asc(riskPredictions.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db
    .select({ total: count() })
    .from(riskPredictions)
    .innerJoin(stores, and(eq(stores.id, riskPredictions.storeId), eq(stores.organizationId, orgId)))
    .leftJoin(kpiDefinitions, eq(kpiDefinitions.id, riskPredictions.kpiDefinitionId))
    .where(where);
  return { data: rows, page: { limit: query.limit, offset: query.offset, total: Number(total) } };
}
