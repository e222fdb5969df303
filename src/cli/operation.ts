import type { AiProvider } from '../core/ai/index.js';
import type { AppConfig } from '../core/config.js';
import type { Clock } from '../core/clock.js';
import type { Actor } from '../core/context.js';
import type { Database } from '../core/db/connection.js';
import type { ProgressReporter } from '../core/demo/demo-steps.js';
import type { JobRegistry } from '../core/jobs/index.js';
import type { Logger } from '../core/logger.js';

/** What a CLI operation runs against, whether in the CLI process or inside the server (bridge). */
export interface OperationEnv {
  config: AppConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
  encryptionKey: Buffer;
  jobRegistry: JobRegistry;
  ai: AiProvider;
  actor: Actor;
  progress: ProgressReporter;
}

/** A command body that returns JSON-able data; printing is the command's own business. */
export type Operation = (env: OperationEnv, args: Record<string, unknown>) => Promise<unknown>;
