import type { Clock } from '../clock.js';
import type { Database } from '../db/connection.js';
import { jobQueueSchema } from '../db/migrate.js';

export const abandonedAttemptMessage = 'The attempt did not finish: its worker stopped or it ran past its time limit.';

/**
 * A worker that is killed mid-job leaves its run 'active'; pg-boss later expires the job and retries or fails it.
 * This closes such runs so the run list never shows a job as running forever: 'retry' when pg-boss will run it
 * again, else 'failed'. A run counts as abandoned once pg-boss no longer has that attempt active.
 */
export async function markAbandonedRuns(database: Database, clock: Clock, graceMs = 60_000): Promise<number> {
  const now = clock.now();
  const rows = await database.query<{ id: string }>(
    `update core.job_runs run
     set state = case when job.state in ('created', 'retry') then 'retry' else 'failed' end,
         error = coalesce(run.error, $3),
         finished_at = $1
     from core.job_runs candidate
     left join ${jobQueueSchema}.job job on job.name = candidate.name and job.id = candidate.job_id
     where run.id = candidate.id
       and candidate.state = 'active'
       and candidate.started_at < $2
       and (job.id is null or job.state <> 'active' or job.retry_count + 1 <> candidate.attempt)
     returning run.id`,
    [now, new Date(now.getTime() - graceMs), abandonedAttemptMessage],
  );
  return rows.length;
}
