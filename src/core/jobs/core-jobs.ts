import { z } from 'zod';
import { defineJob, type AnyJobDefinition } from './define-job.js';

/** Schedule bookkeeping only needs to outlive the catch-up window; a week leaves room to investigate. */
const scheduleFireRetentionMs = 7 * 86_400_000;

/** Nightly housekeeping per organization, at 03:15 in its own time zone: every organization sees its own runs. */
export const cleanupSessionsJob = defineJob({
  name: 'core.cleanup-sessions',
  description: 'Deletes this organization’s expired sign-in sessions and schedule bookkeeping older than 7 days.',
  payload: z.object({ organizationId: z.uuid() }),
  schedule: { cron: '15 3 * * *', perOrganization: true },
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  expireInSeconds: 600,
  run: async (ctx, payload) => {
    const now = ctx.clock.now();
    const [sessions] = await ctx.database.query<{ deleted: number }>(
      'with gone as (delete from core.sessions where organization_id = $1 and expires_at < $2 returning 1) select count(*)::integer as deleted from gone',
      [payload.organizationId, now],
    );
    const [fires] = await ctx.database.query<{ deleted: number }>(
      'with gone as (delete from core.job_schedule_fires where scope in ($1, $2) and fire_at < $3 returning 1) select count(*)::integer as deleted from gone',
      [payload.organizationId, 'global', new Date(now.getTime() - scheduleFireRetentionMs)],
    );
    return { expiredSessionsDeleted: Number(sessions.deleted), scheduleFiresDeleted: Number(fires.deleted) };
  },
});

/** Jobs of the platform itself; modules add theirs from their own jobs.ts. */
export const coreJobs: AnyJobDefinition[] = [cleanupSessionsJob];
