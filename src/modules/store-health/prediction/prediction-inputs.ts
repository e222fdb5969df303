import { and, asc, between, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { notFound } from '../../../core/errors.js';
import { yellowEdge } from '../evaluation/index.js';
import { kpiDefinitions, kpiMetrics, kpiThresholds, storeClosures, stores, type OpeningHours } from '../schema.js';
import type { IsoDate } from '../shared/dates.js';
import type { StoreCalendar } from '../shared/opening-hours.js';
import { seriesKey, type KpiSeries } from './kpi-series.js';
import type { ComparisonBasis, KpiDirection, StatusRule } from './threshold-status.js';

/**
 * Batched reads for prediction and backtest: one query per kind of data for a whole chunk of stores, never one
 * per series (1,000 stores × 20 KPIs would otherwise mean 20,000 round trips).
 */

export interface StoreInfo {
  id: string;
  storeCode: string;
  timezone: string;
  openingHours: OpeningHours;
}

export interface KpiInfo {
  id: string;
  kpiCode: string;
  name: string;
  category: string;
  direction: KpiDirection;
}

export interface SeriesRule extends StatusRule {
  /** 1 (most important) – 5. */
  priority: number;
  source: 'store' | 'organization';
}

export interface PredictionScope {
  stores: StoreInfo[];
  kpis: KpiInfo[];
  /** The threshold the engine applies to a store × KPI (store override beats organization default); null = none. */
  ruleFor(storeId: string, kpiId: string): SeriesRule | null;
}

/** Stores of the organization to predict: the active ones, or exactly `storeIds` (404 for one that is not ours). */
export async function loadPredictionScope(ctx: ServiceContext, storeIds?: readonly string[]): Promise<PredictionScope> {
  const orgId = ctx.organization.id;
  const storeRows = await ctx.db
    .select({ id: stores.id, storeCode: stores.storeCode, timezone: stores.timezone, openingHours: stores.openingHours })
    .from(stores)
    .where(and(eq(stores.organizationId, orgId), storeIds ? inArray(stores.id, [...storeIds]) : eq(stores.status, 'active')))
    .orderBy(asc(stores.storeCode));
  if (storeIds) {
    const found = new Set(storeRows.map((s) => s.id));
    const missing = storeIds.find((id) => !found.has(id));
    if (missing) throw notFound('Store', missing);
  }
  const kpiRows = await ctx.db
    .select({
      id: kpiDefinitions.id,
      kpiCode: kpiDefinitions.kpiCode,
      name: kpiDefinitions.name,
      category: kpiDefinitions.category,
      direction: kpiDefinitions.direction,
    })
    .from(kpiDefinitions)
    .where(and(eq(kpiDefinitions.organizationId, orgId), eq(kpiDefinitions.isActive, true)))
    .orderBy(asc(kpiDefinitions.kpiCode));
  const thresholdRows = await ctx.db.select().from(kpiThresholds).where(eq(kpiThresholds.organizationId, orgId));
  const kpiById = new Map(kpiRows.map((k) => [k.id, k]));
  const defaults = new Map<string, typeof kpiThresholds.$inferSelect>();
  const overrides = new Map<string, typeof kpiThresholds.$inferSelect>();
  for (const row of thresholdRows) {
    if (row.storeId === null) defaults.set(row.kpiDefinitionId, row);
    else overrides.set(seriesKey(row.storeId, row.kpiDefinitionId), row);
  }
  const ruleFor = (storeId: string, kpiId: string): SeriesRule | null => {
    const kpi = kpiById.get(kpiId);
    const override = overrides.get(seriesKey(storeId, kpiId));
    const row = override ?? defaults.get(kpiId);
    if (!kpi || !row || row.greenMin === null) return null;
    return {
      direction: kpi.direction === 'lower_is_better' ? 'lower_is_better' : 'higher_is_better',
      comparisonBasis: (['rolling_4w', 'same_period_ly', 'absolute'].includes(row.comparisonBasis) ? row.comparisonBasis : 'rolling_4w') as ComparisonBasis,
      greenMin: row.greenMin,
      yellowMin: yellowEdge({ greenMin: row.greenMin, yellowMin: row.yellowMin, redThreshold: row.redThreshold }),
      redThreshold: row.redThreshold,
      priority: row.priority,
      source: override ? 'store' : 'organization',
    };
  };
  return {
    stores: storeRows.map((s) => ({ ...s, openingHours: s.openingHours ?? {} })),
    kpis: kpiRows.map((k) => ({ ...k, direction: k.direction === 'lower_is_better' ? 'lower_is_better' : 'higher_is_better' })),
    ruleFor,
  };
}

/** Daily values and statuses of the given stores over one or more date ranges, grouped per store × KPI. */
export async function loadKpiSeries(
  ctx: ServiceContext,
  storeIds: readonly string[],
  ranges: readonly { from: IsoDate; to: IsoDate }[],
): Promise<Map<string, KpiSeries>> {
  const out = new Map<string, KpiSeries>();
  if (storeIds.length === 0 || ranges.length === 0) return out;
  const dateFilter: SQL = or(...ranges.map((r) => between(kpiMetrics.metricDate, r.from, r.to)))!;
  const rows = await ctx.db
    .select({
      storeId: kpiMetrics.storeId,
      kpiId: kpiMetrics.kpiDefinitionId,
      date: kpiMetrics.metricDate,
      value: kpiMetrics.value,
      status: kpiMetrics.status,
      // The engine's flap and recovery state (evaluation/metric-evaluation-sql.ts writes them into metadata).
      redStreak: sql<number | null>`(${kpiMetrics.metadata} ->> 'redStreak')::int`,
      recoveryAnchor: sql<string | null>`${kpiMetrics.metadata} ->> 'recoveryAnchor'`,
    })
    .from(kpiMetrics)
    .where(and(eq(kpiMetrics.organizationId, ctx.organization.id), inArray(kpiMetrics.storeId, [...storeIds]), dateFilter));
  for (const row of rows) {
    const key = seriesKey(row.storeId, row.kpiId);
    let series = out.get(key);
    if (!series) {
      series = { storeId: row.storeId, kpiId: row.kpiId, days: new Map() };
      out.set(key, series);
    }
    const anchor = row.recoveryAnchor === 'red' || row.recoveryAnchor === 'green' ? row.recoveryAnchor : null;
    series.days.set(row.date, {
      value: row.value,
      status: row.status,
      redStreak: row.redStreak === null ? null : Number(row.redStreak),
      recoveryAnchor: anchor,
    });
  }
  return out;
}

/** Closure dates per store (organization-wide closures apply to every store) within a range. */
export async function loadClosures(ctx: ServiceContext, from: IsoDate, to: IsoDate): Promise<{ forStore(storeId: string): Set<IsoDate> }> {
  const rows = await ctx.db
    .select({ storeId: storeClosures.storeId, date: storeClosures.closureDate })
    .from(storeClosures)
    .where(and(eq(storeClosures.organizationId, ctx.organization.id), between(storeClosures.closureDate, from, to)));
  const orgWide = rows.filter((r) => r.storeId === null).map((r) => r.date);
  const byStore = new Map<string, IsoDate[]>();
  for (const row of rows) if (row.storeId) byStore.set(row.storeId, [...(byStore.get(row.storeId) ?? []), row.date]);
  return { forStore: (storeId) => new Set([...orgWide, ...(byStore.get(storeId) ?? [])]) };
}

export function hasOpeningHours(openingHours: OpeningHours): boolean {
  return Object.values(openingHours).some((intervals) => intervals && intervals.length > 0);
}

/** Open every day, all day: how the escalation engine treats a store without configured opening hours. */
const alwaysOpen: OpeningHours = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ open: '00:00', close: '00:00' }]]));

export function storeCalendar(store: StoreInfo, closedDates: Set<IsoDate>): StoreCalendar {
  return { timezone: store.timezone, openingHours: hasOpeningHours(store.openingHours) ? store.openingHours : alwaysOpen, closedDates };
}

export interface StoreOperationalSignals {
  calloutHours: number;
  unfilledCalloutHours: number;
  peakHourCallouts: number;
  topSkuOutOfStockEvents: number;
  topSkusStillOut: number;
  estimatedLostSales: number;
}

/** Call-outs and top-SKU stock-outs of the week ending `asOf` (store-local dates), per store: contributing factors. */
export async function loadOperationalSignals(
  ctx: ServiceContext,
  storeIds: readonly string[],
  from: IsoDate,
  asOf: IsoDate,
): Promise<Map<string, StoreOperationalSignals>> {
  const out = new Map<string, StoreOperationalSignals>();
  if (storeIds.length === 0) return out;
  const ids = sql.join(
    storeIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const callouts = (await ctx.db.execute(sql`
    select store_id, sum(hours_lost)::float8 as hours, sum(case when is_filled then 0 else hours_lost end)::float8 as unfilled,
           count(*) filter (where is_peak_hours)::int as peak
    from store_health.labor_callouts
    where organization_id = ${ctx.organization.id} and store_id in (${ids}) and callout_date between ${from}::date and ${asOf}::date
    group by store_id`)) as unknown as { rows: Record<string, unknown>[] };
  // A stock-out that began before the week but was still open at its end also counts as still out.
  const stockouts = (await ctx.db.execute(sql`
    with top_sku as (
      select e.store_id, (e.out_of_stock_at at time zone s.timezone)::date as began,
             e.restocked_at is null or (e.restocked_at at time zone s.timezone)::date > ${asOf}::date as open_at_end,
             e.estimated_lost_sales
      from store_health.out_of_stock_events e
      join store_health.stores s on s.id = e.store_id and s.organization_id = e.organization_id
      where e.organization_id = ${ctx.organization.id} and e.store_id in (${ids}) and e.is_top_sku
    )
    select store_id,
           count(*) filter (where began >= ${from}::date)::int as events,
           count(*) filter (where open_at_end)::int as still_out,
           coalesce(sum(estimated_lost_sales) filter (where began >= ${from}::date), 0)::float8 as lost
    from top_sku
    where began <= ${asOf}::date and (began >= ${from}::date or open_at_end)
    group by store_id`)) as unknown as { rows: Record<string, unknown>[] };
  const empty = (): StoreOperationalSignals => ({
    calloutHours: 0,
    unfilledCalloutHours: 0,
    peakHourCallouts: 0,
    topSkuOutOfStockEvents: 0,
    topSkusStillOut: 0,
    estimatedLostSales: 0,
  });
  for (const row of callouts.rows as { store_id: string; hours: number; unfilled: number; peak: number }[]) {
    out.set(row.store_id, { ...empty(), calloutHours: Number(row.hours), unfilledCalloutHours: Number(row.unfilled), peakHourCallouts: Number(row.peak) });
  }
  for (const row of stockouts.rows as { store_id: string; events: number; still_out: number; lost: number }[]) {
    const signals = out.get(row.store_id) ?? empty();
    out.set(row.store_id, {
      ...signals,
      topSkuOutOfStockEvents: Number(row.events),
      topSkusStillOut: Number(row.still_out),
      estimatedLostSales: Number(row.lost),
    });
  }
  return out;
}
