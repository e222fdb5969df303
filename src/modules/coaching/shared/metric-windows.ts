import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { metricDefinitions } from './metrics.js';

/** Averages of every metric per agent over [from, to] (inclusive dates), with the number of days that had a row. */
export interface MetricAverages {
  agentId: string;
  days: number;
  values: Record<string, number | null>;
}

const averageColumns = sql.raw(metricDefinitions.map((m) => `avg(${m.key})::float8 AS "${m.key}"`).join(', '));

/**
 * The one query behind before/after snapshots, plan check-ins and session prep: per-agent averages over a date window.
 * Agents without any row in the window are absent from the result.
 */
export async function averageMetricsBetween(ctx: ServiceContext, agentIds: string[], from: string, to: string): Promise<Map<string, MetricAverages>> {
  if (agentIds.length === 0) return new Map();
  const rows = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT agent_id, count(*)::int AS days, ${averageColumns}
        FROM coaching.performance_metrics
        WHERE organization_id = ${ctx.organization.id}
          AND agent_id IN (${sql.join(
            agentIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})
          AND metric_date BETWEEN ${from}::date AND ${to}::date
        GROUP BY agent_id`,
  );
  const result = new Map<string, MetricAverages>();
  for (const row of rows) {
    const values: Record<string, number | null> = {};
    for (const m of metricDefinitions) values[m.key] = row[m.key] == null ? null : round2(Number(row[m.key]));
    result.set(String(row.agent_id), { agentId: String(row.agent_id), days: Number(row.days), values });
  }
  return result;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
