import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import type { IsoDate } from '../shared/dates.js';
import { sqlRows } from '../../../core/db/sql-rows.js';

/**
 * Refreshes the planner statistics the evaluation's joins depend on. PGlite has no autovacuum, and after a bulk
 * import PostgreSQL's autovacuum lags behind: on tables without statistics the planner expects a handful of rows and
 * picks nested loops over hundreds of thousands (measured: minutes instead of a second per month). ANALYZE samples
 * at most 30,000 rows per table, so this costs tens of milliseconds per table.
 */
const supportingTables = ['stores', 'districts', 'kpi_definitions', 'kpi_thresholds', 'store_closures', 'alerts', 'kpi_status_history', 'risk_predictions'];

export async function analyzeSupportingTables(ctx: ServiceContext): Promise<void> {
  for (const table of supportingTables) await ctx.db.execute(sql.raw(`analyze store_health.${table}`));
}

const partitionName = (date: IsoDate) => `kpi_metrics_${date.slice(0, 4)}_${date.slice(5, 7)}`;

/** Analyzes the monthly kpi_metrics partitions holding dates from `from` to `to` (and the default partition). */
export async function analyzeMetricPartitions(ctx: ServiceContext, from: IsoDate, to: IsoDate): Promise<void> {
  const partitions = await sqlRows<{ name: string }>(
    ctx.db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'store_health.kpi_metrics'::regclass
          and (c.relname = 'kpi_metrics_default' or c.relname between ${partitionName(from)} and ${partitionName(to)})
        order by c.relname`,
  );
  for (const { name } of partitions) {
    if (/^kpi_metrics_(default|\d{4}_\d{2})$/.test(name)) await ctx.db.execute(sql.raw(`analyze store_health.${name}`));
  }
}

/**
 * Runs `work` with the evaluation's planner settings, then restores the previous ones (SET LOCAL would otherwise last
 * to the end of a caller's transaction). The statements join CTEs whose row estimates the planner gets wrong after
 * several window functions; it then nests loops over tens of thousands of rows on each side (measured: minutes for a
 * month of 50 stores). Hash joins are always reasonable here, and lateral look-ups still run as index loops because
 * nothing else can. JIT compilation costs about a second per statement on PostgreSQL and never pays off at these sizes.
 */
export async function withEvaluationPlannerSettings<T>(ctx: ServiceContext, work: () => Promise<T>): Promise<T> {
  const [previous] = await sqlRows<{ nestloop: string; jit: string }>(
    ctx.db,
    sql`select current_setting('enable_nestloop') as nestloop, current_setting('jit') as jit,
        set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`,
  );
  const result = await work();
  await ctx.db.execute(sql`select set_config('enable_nestloop', ${previous.nestloop}, true), set_config('jit', ${previous.jit}, true)`);
  return result;
}
