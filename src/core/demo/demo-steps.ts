import type { Clock } from '../clock.js';
import type { Database } from '../db/connection.js';
import type { Logger } from '../logger.js';

export interface ProgressEvent {
  step: string;
  current: number;
  total: number;
}

export type ProgressReporter = (event: ProgressEvent) => void;

export interface DemoEnvironment {
  database: Database;
  clock: Clock;
  log: Logger;
  progress: ProgressReporter;
  /** Organizations created by the core demo, by slug. */
  organizations: Record<string, { id: string; slug: string; name: string; timezone: string }>;
}

/** One idempotent piece of demo data; running it again refreshes rather than duplicates. */
export interface DemoStep {
  name: string;
  run(env: DemoEnvironment): Promise<void>;
}
