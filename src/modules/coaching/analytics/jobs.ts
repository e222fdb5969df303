import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import type { Db } from '../../../core/db/connection.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { archiveMetricsJobName, recomputeHistoryJobName, refreshTeamSummaryJobName } from '../shared/job-names.js';
import { recomputePercentileRankings, recomputePerformanceHistory } from './history-service.js';
import { addDays, localDate } from './periods.js';

export const nightlyAnalyticsJobName = 'coaching.nightly-analytics';

export const recomputeHistoryPayload = z.object({
  organizationId: z.uuid(),
  agentIds: z.array(z.uuid()).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

/** After an import, a rollback or on request: history for the touched agents and dates, then the percentiles. */
export const recomputeHistoryJob = defineJob({
  name: recomputeHistoryJobName,
  description: 'Recomputes performance history (weeks, months, quarters) for the given agents and dates, then the percentile rankings.',
  payload: recomputeHistoryPayload,
  retry: { limit: 2, delaySeconds: 30, backoff: true },
  expireInSeconds: 1800,
  run: async (ctx, payload) => {
    const service = serviceContextForJob(ctx);
    const history = await recomputePerformanceHistory(service, { agentIds: payload.agentIds, from: payload.from, to: payload.to });
    const percentiles = await recomputePercentileRankings(service);
    return { ...history, percentileAgents: percentiles.agents };
  },
});

/**
 * The seed's team_performance_summary is one materialized view for every organization, so its refresh is one global
 * job (not per organization). CONCURRENTLY keeps the view readable during the refresh (its unique index allows it).
 */
export async function refreshTeamSummary(db: Db): Promise<{ teams: number }> {
  await db.execute(sql`REFRESH MATERIALIZED VIEW CONCURRENTLY coaching.team_performance_summary`);
  const [row] = await sqlRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM coaching.team_performance_summary`);
  return { teams: Number(row?.n ?? 0) };
}

export const refreshTeamSummaryJob = defineJob({
  name: refreshTeamSummaryJobName,
  description: 'Refreshes the team_performance_summary materialized view (all organizations at once).',
  payload: z.object({}),
  schedule: { cron: '45 2 * * *', perOrganization: false, timezone: 'UTC' },
  retry: { limit: 2, delaySeconds: 300, backoff: true },
  expireInSeconds: 1800,
  run: async (ctx) => refreshTeamSummary(ctx.db),
});

/** Nightly per organization: yesterday's periods recomputed for every agent (a safety net), then the percentiles. */
export async function nightlyAnalytics(ctx: ServiceContext) {
  const yesterday = addDays(localDate(ctx.clock.now(), ctx.organization.timezone), -1);
  const history = await recomputePerformanceHistory(ctx, { from: yesterday, to: yesterday });
  const percentiles = await recomputePercentileRankings(ctx);
  return { day: yesterday, ...history, percentileAgents: percentiles.agents };
}

export const nightlyAnalyticsJob = defineJob({
  name: nightlyAnalyticsJobName,
  description: "Recomputes yesterday's history periods for every agent and refreshes the percentile rankings (02:30 local).",
  payload: z.object({ organizationId: z.uuid() }),
  schedule: { cron: '30 2 * * *', perOrganization: true },
  retry: { limit: 2, delaySeconds: 300, backoff: true },
  expireInSeconds: 1800,
  run: async (ctx) => nightlyAnalytics(serviceContextForJob(ctx)),
});

/** The seed's 13-month retention: daily metrics older than 13 months before the local today move to coaching_archive. */
export async function archiveOldMetrics(ctx: ServiceContext): Promise<{ asOf: string; moved: number }> {
  const asOf = localDate(ctx.clock.now(), ctx.organization.timezone);
  const [row] = await sqlRows<{ moved: number }>(ctx.db, sql`SELECT coaching.archive_old_metrics(${ctx.organization.id}::uuid, ${asOf}::date) AS moved`);
  return { asOf, moved: Number(row?.moved ?? 0) };
}

export const archiveMetricsJob = defineJob({
  name: archiveMetricsJobName,
  description: 'Moves daily metrics older than 13 months to coaching_archive.performance_metrics (history stays). Daily, idempotent.',
  payload: z.object({ organizationId: z.uuid() }),
  schedule: { cron: '30 3 * * *', perOrganization: true },
  retry: { limit: 2, delaySeconds: 300, backoff: true },
  expireInSeconds: 3600,
  run: async (ctx) => archiveOldMetrics(serviceContextForJob(ctx)),
});

export const analyticsJobs: AnyJobDefinition[] = [
  recomputeHistoryJob as unknown as AnyJobDefinition,
  refreshTeamSummaryJob as unknown as AnyJobDefinition,
  nightlyAnalyticsJob as unknown as AnyJobDefinition,
  archiveMetricsJob as unknown as AnyJobDefinition,
];
