import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { kpiDefinitions, kpiThresholds } from '../schema.js';
import { ensureKpiDefinitions } from '../kpi-config/service.js';
import type { IsoDate } from '../shared/dates.js';
import { ensureMetricPartitions, upsertMetricsFromQuery, type MetricWriteResult } from './metric-writer.js';

/**
 * KPIs computed from labor and inventory rows. Created on first use with a starting threshold (absolute values)
 * that managers are expected to tune; est_lost_sales has none because what is a lot depends on the store's size.
 */
export const operationalKpis = [
  {
    kpiCode: 'labor_coverage',
    name: 'Labor coverage',
    description: 'Available labor hours as a share of required hours that day (all shifts).',
    unit: '%',
    calculationMethod: 'ratio' as const,
    category: 'labor' as const,
    direction: 'higher_is_better' as const,
    threshold: { greenMin: 95, yellowMin: 85, redThreshold: 85 },
  },
  {
    kpiCode: 'callout_hours',
    name: 'Call-out hours lost',
    description: 'Hours of call-outs that were not filled that day.',
    unit: 'hours',
    calculationMethod: 'sum' as const,
    category: 'labor' as const,
    direction: 'lower_is_better' as const,
    threshold: { greenMin: 4, yellowMin: 8, redThreshold: 16 },
  },
  {
    kpiCode: 'top_sku_oos',
    name: 'Top-SKU out-of-stocks',
    description: 'Top SKUs with nothing on hand in the day’s inventory snapshot (all SKUs when none is flagged top).',
    unit: 'count',
    calculationMethod: 'count' as const,
    category: 'inventory' as const,
    direction: 'lower_is_better' as const,
    threshold: { greenMin: 0, yellowMin: 1, redThreshold: 3 },
  },
  {
    kpiCode: 'days_of_cover',
    name: 'Days of cover (top SKUs)',
    description: 'Average days of cover of the top SKUs (all SKUs when none is flagged top); SKUs without sales are left out.',
    unit: 'days',
    calculationMethod: 'average' as const,
    category: 'inventory' as const,
    direction: 'higher_is_better' as const,
    threshold: { greenMin: 7, yellowMin: 3, redThreshold: 1 },
  },
  {
    kpiCode: 'est_lost_sales',
    name: 'Estimated lost sales',
    description: 'Estimated sales lost to out-of-stock events that started that day (store-local date).',
    unit: '$',
    calculationMethod: 'sum' as const,
    category: 'inventory' as const,
    direction: 'lower_is_better' as const,
    threshold: null,
  },
];

export type OperationalKpiCode = (typeof operationalKpis)[number]['kpiCode'];

/** Creates the operational KPI definitions (and their starting thresholds) that do not exist yet; answers code → id. */
export async function ensureOperationalKpis(ctx: ServiceContext): Promise<Record<OperationalKpiCode, string>> {
  const existing = await ctx.db
    .select({ kpiCode: kpiDefinitions.kpiCode })
    .from(kpiDefinitions)
    .where(
      and(
        eq(kpiDefinitions.organizationId, ctx.organization.id),
        inArray(
          kpiDefinitions.kpiCode,
          operationalKpis.map((k) => k.kpiCode),
        ),
      ),
    );
  const missing = operationalKpis.filter((k) => !existing.some((e) => e.kpiCode === k.kpiCode));
  const ids = await ensureKpiDefinitions(
    ctx,
    missing.map(({ threshold: _threshold, ...definition }) => definition),
  );
  const now = ctx.clock.now();
  const thresholds = missing.filter((k) => k.threshold);
  if (thresholds.length > 0) {
    await ctx.db
      .insert(kpiThresholds)
      .values(
        thresholds.map((k) => ({
          ...k.threshold!,
          kpiDefinitionId: ids.get(k.kpiCode)!,
          organizationId: ctx.organization.id,
          storeId: null,
          comparisonBasis: 'absolute',
          priority: 3,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoNothing();
  }
  return Object.fromEntries(operationalKpis.map((k) => [k.kpiCode, ids.get(k.kpiCode)!])) as Record<OperationalKpiCode, string>;
}

const derivedFrom = (table: string) => sql.raw(`'${JSON.stringify({ source: 'derived', from: table })}'::jsonb`);

/**
 * Recomputes the daily labor and inventory KPIs of a date range (optionally some stores) from the supporting
 * tables and upserts them into kpi_metrics like any other value: unchanged days stay untouched, changed days
 * lose their evaluation. Rules:
 * - labor_coverage = 100 × Σ available hours ÷ Σ required hours of the day's shifts (available defaults to scheduled);
 * - callout_hours = Σ hours_lost of unfilled call-outs, 0 on scheduled days without any;
 * - top_sku_oos = top SKUs with quantity_on_hand ≤ 0 in the day's snapshot;
 * - days_of_cover = average days of cover of the top SKUs that sell;
 * - est_lost_sales = Σ estimated_lost_sales of events starting that local day, and 0 on snapshot days of stores
 *   that report out-of-stock events at all; no value on a day whose events carry no estimate.
 * "Top SKUs" means every SKU when the day's snapshot flags none.
 */
export async function deriveOperationalKpis(ctx: ServiceContext, range: { from: IsoDate; to: IsoDate; storeIds?: string[] }): Promise<MetricWriteResult> {
  await ensureMetricPartitions(ctx, range.from, range.to);
  return ctx.db.transaction(async (db) => writeOperationalKpis({ ...ctx, db: db as unknown as ServiceContext['db'] }, range));
}

/** deriveOperationalKpis on the caller's transaction; the caller has ensured the kpi_metrics partitions. */
export async function writeOperationalKpis(ctx: ServiceContext, range: { from: IsoDate; to: IsoDate; storeIds?: string[] }): Promise<MetricWriteResult> {
  const kpi = await ensureOperationalKpis(ctx);
  const org = sql`${ctx.organization.id}::uuid`;
  const storeIdsJson = range.storeIds ? JSON.stringify(range.storeIds) : null;
  const storeFilter = (column: string): SQL =>
    storeIdsJson ? sql`and ${sql.raw(column)} in (select value::uuid from json_array_elements_text(${storeIdsJson}::json))` : sql``;
  const inRange = (column: string): SQL => sql`${sql.raw(column)} between ${range.from}::date and ${range.to}::date ${storeFilter('store_id')}`;
  const source = sql`
    with
    schedule_days as (
      select store_id, schedule_date as day, sum(coalesce(available_hours, scheduled_hours)) as available, sum(required_hours) as required
      from store_health.labor_schedules
      where organization_id = ${org} and ${inRange('schedule_date')}
      group by store_id, schedule_date
    ),
    callout_days as (
      select store_id, callout_date as day, coalesce(sum(hours_lost) filter (where not is_filled), 0) as hours_lost
      from store_health.labor_callouts
      where organization_id = ${org} and ${inRange('callout_date')}
      group by store_id, callout_date
    ),
    snapshot_skus as (
      select store_id, snapshot_date as day, is_out_of_stock, days_of_cover, average_daily_sales,
        is_top_sku or not bool_or(is_top_sku) over (partition by store_id, snapshot_date) as counts_as_top
      from store_health.inventory_levels
      where organization_id = ${org} and ${inRange('snapshot_date')}
    ),
    event_days as (
      select e.store_id, (e.out_of_stock_at at time zone s.timezone)::date as day, sum(e.estimated_lost_sales) as lost_sales
      from store_health.out_of_stock_events e
      join store_health.stores s on s.id = e.store_id
      where e.organization_id = ${org} ${storeFilter('e.store_id')}
        and e.out_of_stock_at >= (${range.from}::date - 1)::timestamp at time zone 'UTC'
        and e.out_of_stock_at < (${range.to}::date + 2)::timestamp at time zone 'UTC'
      group by 1, 2
    ),
    stores_reporting_events as (
      select distinct store_id from store_health.out_of_stock_events where organization_id = ${org} ${storeFilter('store_id')}
    )
    select store_id, ${kpi.labor_coverage}::uuid as kpi_definition_id, day as metric_date,
      round(100 * available / required, 4)::numeric(18, 4) as value, ${derivedFrom('labor_schedules')} as metadata
    from schedule_days where required > 0
    union all
    select coalesce(s.store_id, c.store_id), ${kpi.callout_hours}::uuid, coalesce(s.day, c.day),
      coalesce(c.hours_lost, 0)::numeric(18, 4), ${derivedFrom('labor_callouts')}
    from schedule_days s full join callout_days c on c.store_id = s.store_id and c.day = s.day
    union all
    select store_id, ${kpi.top_sku_oos}::uuid, day, (count(*) filter (where counts_as_top and is_out_of_stock))::numeric(18, 4),
      ${derivedFrom('inventory_levels')}
    from snapshot_skus group by store_id, day
    union all
    select store_id, ${kpi.days_of_cover}::uuid, day, round(avg(days_of_cover) filter (where counts_as_top), 4)::numeric(18, 4),
      ${derivedFrom('inventory_levels')}
    from snapshot_skus group by store_id, day
    having count(days_of_cover) filter (where counts_as_top) > 0
    union all
    select coalesce(e.store_id, d.store_id), ${kpi.est_lost_sales}::uuid, coalesce(e.day, d.day),
      coalesce(e.lost_sales, 0)::numeric(18, 4), ${derivedFrom('out_of_stock_events')}
    from (select * from event_days where day between ${range.from}::date and ${range.to}::date) e
    full join (
      select distinct store_id, day from snapshot_skus where store_id in (select store_id from stores_reporting_events)
    ) d on d.store_id = e.store_id and d.day = e.day
    -- A day whose events carry no estimate (no price known) has no value rather than a misleading 0.
    where e.store_id is null or e.lost_sales is not null
  `;
  return upsertMetricsFromQuery(ctx, sql`select * from (${source}) as derived(store_id, kpi_definition_id, metric_date, value, metadata)`);
}
