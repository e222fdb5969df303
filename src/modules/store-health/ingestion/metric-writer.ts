import { sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import type { IsoDate } from '../shared/dates.js';

export interface MetricValue {
  storeId: string;
  kpiDefinitionId: string;
  metricDate: IsoDate;
  value: number;
}

/** What a write changed: counts, and the dates and stores whose evaluation is now stale. */
export interface MetricWriteResult {
  inserted: number;
  updated: number;
  unchanged: number;
  changed: { from: IsoDate; to: IsoDate; storeIds: string[] } | null;
}

/** Rows per statement: bounds the JSON parameter to about 1 MB and the memory one statement holds. */
export const metricChunkSize = 10_000;

export const emptyWriteResult = (): MetricWriteResult => ({ inserted: 0, updated: 0, unchanged: 0, changed: null });

export function mergeWriteResults(a: MetricWriteResult, b: MetricWriteResult): MetricWriteResult {
  const changed =
    a.changed && b.changed
      ? {
          from: a.changed.from < b.changed.from ? a.changed.from : b.changed.from,
          to: a.changed.to > b.changed.to ? a.changed.to : b.changed.to,
          storeIds: [...new Set([...a.changed.storeIds, ...b.changed.storeIds])],
        }
      : (a.changed ?? b.changed);
  return { inserted: a.inserted + b.inserted, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged, changed };
}

/**
 * Creates the monthly kpi_metrics partitions a write needs. Runs in its own short transaction under an advisory
 * lock, so two imports reaching a new month together do not both try to create its partition.
 */
export async function ensureMetricPartitions(ctx: ServiceContext, from: IsoDate, to: IsoDate): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('store_health.kpi_metrics_partitions'))`);
    await tx.execute(sql`select store_health.ensure_kpi_metrics_partitions(${from}::date, ${to}::date)`);
  });
}

/**
 * Upserts (store, KPI, date) values from `source`, a query yielding store_id, kpi_definition_id, metric_date, value
 * and metadata. A value that differs from the stored one replaces it and clears the row's evaluation (status,
 * comparison, variance) so the next evaluation recomputes it; an equal value leaves the row untouched.
 * Counting uses the pre-write snapshot that every part of one statement sees, because xmax is not readable
 * through a partitioned table on PostgreSQL 18 (PGlite).
 */
async function upsertFromSource(ctx: ServiceContext, source: SQL): Promise<MetricWriteResult> {
  const nowIso = ctx.clock.now().toISOString();
  const result = (await ctx.db.execute(sql`
    with input as (${source}),
    prior as (
      select (m.store_id is not null) as existed
      from input i
      left join store_health.kpi_metrics m
        on m.store_id = i.store_id and m.kpi_definition_id = i.kpi_definition_id and m.metric_date = i.metric_date
    ),
    written as (
      insert into store_health.kpi_metrics as m
        (organization_id, store_id, kpi_definition_id, metric_date, metric_timestamp, value, metadata, created_at, updated_at)
      select ${ctx.organization.id}::uuid, store_id, kpi_definition_id, metric_date, ${nowIso}::timestamptz, value, metadata,
        ${nowIso}::timestamptz, ${nowIso}::timestamptz
      from input
      on conflict (store_id, kpi_definition_id, metric_date) do update set
        value = excluded.value,
        metadata = excluded.metadata,
        metric_timestamp = excluded.metric_timestamp,
        comparison_value = null,
        comparison_type = null,
        variance_pct = null,
        status = null,
        updated_at = excluded.updated_at
      where m.value is distinct from excluded.value
      returning m.store_id, m.metric_date
    )
    select
      (select count(*) from prior)::int as total,
      (select count(*) from prior where not existed)::int as inserted,
      (select count(*) from written)::int as written,
      (select min(metric_date) from written)::text as changed_from,
      (select max(metric_date) from written)::text as changed_to,
      (select coalesce(json_agg(distinct store_id), '[]'::json) from written) as changed_store_ids
  `)) as unknown as { rows: Record<string, unknown>[] };
  const row = result.rows[0] as {
    total: number;
    inserted: number;
    written: number;
    changed_from: string | null;
    changed_to: string | null;
    changed_store_ids: string[] | string;
  };
  const storeIds = typeof row.changed_store_ids === 'string' ? (JSON.parse(row.changed_store_ids) as string[]) : row.changed_store_ids;
  return {
    inserted: row.inserted,
    updated: row.written - row.inserted,
    unchanged: row.total - row.written,
    changed: row.changed_from && row.changed_to ? { from: row.changed_from, to: row.changed_to, storeIds } : null,
  };
}

/**
 * Writes metric values in chunks on the caller's transaction. The caller has ensured the partitions
 * (ensureMetricPartitions) and guarantees one value per (store, KPI, date): Postgres refuses to update a row
 * twice in one statement.
 */
export async function upsertMetricValues(
  ctx: ServiceContext,
  values: MetricValue[],
  metadata: Record<string, unknown>,
  onChunk?: (written: number) => void,
): Promise<MetricWriteResult> {
  let total = emptyWriteResult();
  const metadataJson = JSON.stringify(metadata);
  for (let start = 0; start < values.length; start += metricChunkSize) {
    const chunk = values.slice(start, start + metricChunkSize);
    const payload = JSON.stringify(chunk.map((v) => ({ s: v.storeId, k: v.kpiDefinitionId, d: v.metricDate, v: v.value })));
    const source = sql`
      select x.s as store_id, x.k as kpi_definition_id, x.d as metric_date, x.v::numeric(18, 4) as value, ${metadataJson}::jsonb as metadata
      from json_to_recordset(${payload}::json) as x(s uuid, k uuid, d date, v numeric)`;
    total = mergeWriteResults(total, await upsertFromSource(ctx, source));
    onChunk?.(start + chunk.length);
  }
  return total;
}

/** Writes values computed by a query (derived KPIs) with the same upsert rules. */
export async function upsertMetricsFromQuery(ctx: ServiceContext, source: SQL): Promise<MetricWriteResult> {
  return upsertFromSource(ctx, source);
}
