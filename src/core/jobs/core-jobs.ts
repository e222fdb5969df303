import { z } from 'zod';
import { defineJob, type AnyJobDefinition } from './define-job.js';

/** Schedule bookkeeping only needs to outlive the catch-up window; a week leaves room to investigate. */
const scheduleFireRetentionMs = 7 * 86_400_000;

export const cleanupSessionsJob = defineJob({
  name: 'core.cleanup-sessions',
  description: 'Deletes expired sign-in sessions and schedule bookkeeping older than 7 days.',
  payload: z.object({}),
  schedule: { cron: '15 3 * * *', perOrganization: false, timezone: 'UTC' },
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  expireInSeconds: 600,
  run: async (ctx) => {
    const now = ctx.clock.now();
    const [sessions] = await ctx.database.query<{ deleted: number }>(
      'with gone as (delete from core.sessions where expires_at < $1 returning 1) select count(*)::integer as deleted from gone',
      [now],
    );
    const [fires] = await ctx.database.query<{ deleted: number }>(
      'with gone as (delete from core.job_schedule_fires where fire_at < $1 returning 1) select count(*)::integer as deleted from gone',
      [new Date(now.getTime() - scheduleFireRetentionMs)],
    );
    return { expiredSessionsDeleted: Number(sessions.deleted), scheduleFiresDeleted: Number(fires.deleted) };
  },
});

/** Jobs of the platform itself; modules add theirs from their own jobs.ts. */
export const coreJobs: AnyJobDefinition[] = [cleanupSessionsJob];
