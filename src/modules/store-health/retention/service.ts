import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { recordSystemEvent, getConfigValue } from '../../../core/settings/settings-service.js';
import { addDays, localDate, type IsoDate } from '../shared/dates.js';

/** The seed's retention table, in days of hot storage. */
export const defaultRetentionDays = {
  kpiMetrics: 730,
  snapshots: 730,
  resolvedAlerts: 365,
  completedTasks: 365,
  aiCalls: 730,
  resolvedEscalations: 730,
};

export type RetentionPolicy = typeof defaultRetentionDays;

export interface ArchiveResult {
  cutoffs: Record<keyof RetentionPolicy, IsoDate>;
  archived: Record<'kpiMetrics' | 'snapshots' | 'alerts' | 'tasks' | 'aiCalls' | 'escalations', number>;
}

/**
 * Moves rows past their hot retention into `store_health_archive` in one transaction (copy, then delete).
 * Escalations and calls of an archived alert move with it, so nothing is left pointing at a missing alert.
 */
export async function archiveExpiredStoreHealthData(ctx: ServiceContext): Promise<ArchiveResult> {
  const policy = { ...defaultRetentionDays, ...(await getConfigValue<Partial<RetentionPolicy>>(ctx, 'store_health.retention_days', {})) };
  const today = localDate(ctx.clock.now(), ctx.organization.timezone);
  const cutoff = (days: number) => addDays(today, -days);
  const cutoffs = Object.fromEntries(Object.entries(policy).map(([k, v]) => [k, cutoff(v)])) as ArchiveResult['cutoffs'];
  const org = ctx.organization.id;
  const now = ctx.clock.now();

  const result = await ctx.db.transaction(async (tx) => {
    const move = async (table: string, where: ReturnType<typeof sql>) => {
      const moved = await tx.execute(
        sql`with moved as (delete from ${sql.raw(`store_health.${table}`)} where organization_id = ${org} and ${where} returning *)
            insert into ${sql.raw(`store_health_archive.${table}`)} select moved.*, ${now}::timestamptz from moved`,
      );
      return Number((moved as unknown as { rowCount?: number; affectedRows?: number }).rowCount ?? (moved as { affectedRows?: number }).affectedRows ?? 0);
    };
    const oldAlerts = sql`status in ('resolved', 'expired') and coalesce(resolved_at, alert_date) < ${cutoffs.resolvedAlerts}::date`;
    const alertIds = sql`alert_id in (select id from store_health.alerts where organization_id = ${org} and ${oldAlerts})`;
    const escalations = await move(
      'escalations',
      sql`((status = 'resolved' and coalesce(resolved_at, escalated_at) < ${cutoffs.resolvedEscalations}::date) or ${alertIds})`,
    );
    const aiCalls = await move('ai_calls', sql`(created_at < ${cutoffs.aiCalls}::date or ${alertIds})`);
    const tasks = await move('tasks', sql`status in ('completed', 'cancelled') and coalesce(completed_at, updated_at) < ${cutoffs.completedTasks}::date`);
    // Tasks still open keep their alert reference nulled by the foreign key when the alert moves.
    const alerts = await move('alerts', oldAlerts);
    const kpiMetrics = await move('kpi_metrics', sql`metric_date < ${cutoffs.kpiMetrics}::date`);
    const snapshots = await move('store_health_snapshots', sql`snapshot_date < ${cutoffs.snapshots}::date`);
    return { kpiMetrics, snapshots, alerts, tasks, aiCalls, escalations };
  });
  const total = Object.values(result).reduce((a, b) => a + b, 0);
  if (total > 0) {
    await recordSystemEvent(ctx, {
      eventType: 'store_health.archived',
      message: `Archived ${total} store-health rows past retention`,
      details: { ...result, cutoffs },
    });
  }
  return { cutoffs, archived: result };
}
