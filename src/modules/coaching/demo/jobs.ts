import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { organizations } from '../../../core/db/schema.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { recomputePerformanceHistory } from '../analytics/history-service.js';
import { demoEndDate, demoPersonIds, insertMetrics } from './load-demo.js';
import { simulateCoachingDemo } from './simulation.js';

export const coachingDemoRefreshJobName = 'coaching.demo-refresh';

export interface CoachingDemoExtendResult {
  to: string;
  agents: number;
  rowsWritten: number;
  historyRecomputed: boolean;
  historyError?: string;
}

/**
 * Extends the demo's daily metrics to yesterday: the simulation runs again for the new end date and only the days after
 * each demo agent's last stored day are written (days already there, imported or not, stay as they are; agents on
 * leave or terminated get none). The history of
 * the new days is recomputed; sessions, notes and plans are left alone. Returns null when the organization holds no
 * demo agents.
 */
export async function extendCoachingDemo(ctx: ServiceContext): Promise<CoachingDemoExtendResult | null> {
  const ids = await demoPersonIds(ctx);
  const agentKeys = Object.keys(ids).filter((k) => k.includes('-A'));
  if (agentKeys.length === 0) return null;
  const to = demoEndDate(ctx);
  const last = await sqlRows<{ agent_id: string; last: string | null; status: string }>(
    ctx.db,
    sql`SELECT u.id::text AS agent_id, u.status, max(m.metric_date)::text AS last
        FROM coaching.users u
        LEFT JOIN coaching.performance_metrics m ON m.organization_id = u.organization_id AND m.agent_id = u.id
        WHERE u.organization_id = ${ctx.organization.id} AND u.id IN (${sql.join(
          agentKeys.map((k) => sql`${ids[k]}::uuid`),
          sql`, `,
        )})
        GROUP BY u.id, u.status`,
  );
  // Agents on leave or gone get no new days (the simulation would move a leave's start along with the end date).
  const away = new Set(last.filter((r) => r.status === 'LEAVE' || r.status === 'TERMINATED').map((r) => r.agent_id));
  const lastByAgent = new Map(last.map((r) => [r.agent_id, r.last]));
  const sim = simulateCoachingDemo({ endDate: to, timezone: ctx.organization.timezone });
  const rows = sim.metrics.filter((r) => {
    const id = ids[r.agentKey];
    if (id === undefined || away.has(id)) return false;
    const lastDay = lastByAgent.get(id);
    return !lastDay || r.metric_date > lastDay;
  });
  const rowsWritten = rows.length ? await insertMetrics(ctx, rows, ids, ctx.clock.now()) : 0;
  const result: CoachingDemoExtendResult = { to, agents: agentKeys.length, rowsWritten, historyRecomputed: false };
  if (rows.length) {
    const from = rows.reduce((min, r) => (r.metric_date < min ? r.metric_date : min), to);
    try {
      await recomputePerformanceHistory(ctx, { agentIds: [...new Set(rows.map((r) => ids[r.agentKey]))], from, to });
      result.historyRecomputed = true;
    } catch (error) {
      result.historyError = (error as Error).message;
    }
  }
  return result;
}

/**
 * Keeps the coaching demo alive: its metrics end "yesterday", so each night a demo organization's demo agents get the
 * new day (before the analytics nightly at 02:30 refreshes percentiles and the team summary). Organizations that are
 * not demos (config.demo is not true) or have no demo agents are left alone.
 */
export const coachingDemoRefreshJob = defineJob({
  name: coachingDemoRefreshJobName,
  description: 'Demo organizations only: extends the coaching demo’s daily agent metrics to yesterday.',
  payload: z.object({ organizationId: z.uuid() }),
  schedule: { cron: '15 2 * * *', perOrganization: true },
  retry: { limit: 1, delaySeconds: 600, backoff: false },
  expireInSeconds: 1800,
  run: async (jobCtx) => {
    const ctx = serviceContextForJob(jobCtx);
    const [org] = await ctx.db.select({ config: organizations.config }).from(organizations).where(eq(organizations.id, ctx.organization.id));
    if (org?.config?.demo !== true) return { skipped: 'not a demo organization' };
    const result = await extendCoachingDemo(ctx);
    return result ?? { skipped: 'no coaching demo loaded' };
  },
});

export const coachingDemoJobs: AnyJobDefinition[] = [coachingDemoRefreshJob as unknown as AnyJobDefinition];
