import type { Clock } from './clock.js';
import type { Db } from './db/connection.js';
import type { Logger } from './logger.js';

export type ActorType = 'user' | 'token' | 'cli' | 'system';

export interface Actor {
  type: ActorType;
  /** user id, token id, OS user for the CLI, job name for the system */
  id: string | null;
  label: string;
  /** The user behind a session or token, when there is one. */
  userId: string | null;
}

export interface OrganizationRef {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}

/** Everything a service function needs: whose data, who acts, which transaction, what time it is. */
export interface ServiceContext {
  db: Db;
  organization: OrganizationRef;
  actor: Actor;
  role: string;
  clock: Clock;
  log: Logger;
  requestId?: string;
  ip?: string;
}

/** Runs `work` in one transaction; the context it receives writes through that transaction. */
export async function inTransaction<T>(ctx: ServiceContext, work: (tx: ServiceContext) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => work({ ...ctx, db: tx as unknown as Db }));
}

export const systemActor = (label: string): Actor => ({ type: 'system', id: null, label, userId: null });
