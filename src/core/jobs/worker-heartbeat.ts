import os from 'node:os';
import type { Clock } from '../clock.js';
import type { Database } from '../db/connection.js';

export interface WorkerHealth {
  /** At least one worker has reported within the stale window. */
  ok: boolean;
  /** Workers that reported within the stale window. */
  workers: number;
  lastHeartbeatAt: Date | null;
}

export async function recordWorkerHeartbeat(database: Database, worker: { workerId: string; startedAt: Date; at: Date }): Promise<void> {
  await database.query(
    `insert into core.worker_heartbeats (worker_id, hostname, pid, started_at, last_heartbeat_at)
     values ($1, $2, $3, $4, $5)
     on conflict (worker_id) do update set last_heartbeat_at = excluded.last_heartbeat_at`,
    [worker.workerId, os.hostname(), process.pid, worker.startedAt, worker.at],
  );
}

export async function removeWorkerHeartbeat(database: Database, workerId: string): Promise<void> {
  await database.query('delete from core.worker_heartbeats where worker_id = $1', [workerId]);
}

/** Rows left by workers that were killed rather than stopped; kept a day so a crash stays visible in /api/health. */
export async function forgetLongDeadWorkers(database: Database, now: Date): Promise<void> {
  await database.query(`delete from core.worker_heartbeats where last_heartbeat_at < $1`, [new Date(now.getTime() - 86_400_000)]);
}

/** For /api/health: is any `retailops worker` alive? */
export async function getWorkerHealth(database: Database, clock: Clock, staleAfterMs = 60_000): Promise<WorkerHealth> {
  const freshSince = new Date(clock.now().getTime() - staleAfterMs);
  const [row] = await database.query<{ fresh: number | string; last: Date | string | null }>(
    `select count(*) filter (where last_heartbeat_at >= $1) as fresh, max(last_heartbeat_at) as last
     from core.worker_heartbeats`,
    [freshSince],
  );
  const workers = Number(row?.fresh ?? 0);
  return { ok: workers > 0, workers, lastHeartbeatAt: row?.last ? new Date(row.last) : null };
}
