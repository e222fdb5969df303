import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { aiConfigFromEnv, createAiProvider, type AiProvider } from '../core/ai/index.js';
import { loadConfig, type AppConfig } from '../core/config.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Actor } from '../core/context.js';
import { openPglite, openPostgres, type Database } from '../core/db/connection.js';
import { acquireEmbeddedLock, readEmbeddedLock, type EmbeddedLock, type EmbeddedLockInfo } from '../core/db/embedded-lock.js';
import { coreJobs, createJobRegistry, type JobRegistry } from '../core/jobs/index.js';
import { createLogger, type Logger } from '../core/logger.js';
import { loadEncryptionKey } from '../core/secrets.js';
import { coreDemoSteps } from '../core/demo/core-demo.js';
import type { DemoStep } from '../core/demo/demo-steps.js';
import { moduleCatalog } from '../modules/catalog.js';

export const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Everything a command needs, opened once: configuration, database, clock, logger, keys and providers. */
export interface Runtime {
  config: AppConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
  encryptionKey: Buffer;
  ai: AiProvider;
  jobRegistry: JobRegistry;
  lock: EmbeddedLock | null;
  close(): Promise<void>;
}

export const pgliteDir = (config: AppConfig) => path.join(config.dataDir, 'pgdata');

export function cliActor(viaServer = false): Actor {
  const name = os.userInfo().username;
  return { type: 'cli', id: name, label: viaServer ? `cli:${name} (via server)` : `cli:${name}`, userId: null };
}

export function buildJobRegistry(): JobRegistry {
  return createJobRegistry([...coreJobs, ...moduleCatalog.flatMap((m) => m.jobs)]);
}

export function moduleDemoStepCount(): number {
  return moduleCatalog.reduce((n, m) => n + m.demo.length, 0);
}

export function demoSteps(runtime: Pick<Runtime, 'config' | 'encryptionKey'>, actor: Actor): DemoStep[] {
  return [...coreDemoSteps({ dataDir: runtime.config.dataDir, encryptionKey: runtime.encryptionKey, actor }), ...moduleCatalog.flatMap((m) => m.demo)];
}

/** Where a command should run: here on its own database, or through the server that holds the embedded one. */
export function embeddedHolder(config: AppConfig): EmbeddedLockInfo | null {
  return config.databaseUrl ? null : readEmbeddedLock(config.dataDir);
}

export async function openRuntime(command: string, options: { config?: AppConfig; logger?: Logger } = {}): Promise<Runtime> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.logLevel);
  let lock: EmbeddedLock | null = null;
  let database: Database;
  if (config.databaseUrl) {
    database = openPostgres(config.databaseUrl, { applicationName: `retailops ${command}` });
  } else {
    lock = acquireEmbeddedLock(config.dataDir, command);
    try {
      database = await openPglite(pgliteDir(config));
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  const encryptionKey = loadEncryptionKey(config.secretKey, config.dataDir);
  return {
    config,
    database,
    clock: systemClock,
    logger,
    encryptionKey,
    ai: createAiProvider(aiConfigFromEnv(config.env)),
    jobRegistry: buildJobRegistry(),
    lock,
    close: async () => {
      await database.close();
      lock?.release();
    },
  };
}
