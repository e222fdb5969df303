import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AiProvider } from '../ai/index.js';
import type { AuthenticatedPrincipal } from '../auth/auth-service.js';
import type { AppConfig } from '../config.js';
import type { Clock } from '../clock.js';
import type { ServiceContext } from '../context.js';
import type { Database } from '../db/connection.js';
import type { Logger } from '../logger.js';
import type { EnqueueJob, JobRegistry } from '../jobs/index.js';

/** Who may call a route: nobody signed in, a minimum organization role, or the local CLI bridge. */
export type RouteAccess = 'public' | 'local' | string;

export interface JobsFacade {
  enqueue: EnqueueJob;
  registry: JobRegistry;
}

export interface ModuleDescriptor {
  key: 'store-health' | 'commerce' | 'promotions' | 'agent-org' | 'coaching';
  name: string;
  description: string;
  ready: boolean;
  registerRoutes?: (app: TypedApp, deps: AppDeps) => Promise<void> | void;
}

export interface AppDeps {
  database: Database;
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  encryptionKey: Buffer;
  ai: AiProvider;
  jobs: JobsFacade;
  modules: ModuleDescriptor[];
  version: string;
  /** Secret shared with the CLI through the embedded-database lock file; null when no bridge is offered. */
  bridgeToken: string | null;
  /** Runs a CLI command inside this process (see cli/bridge.ts). */
  runBridgedCommand?: (command: string, args: Record<string, unknown>, onProgress: (event: unknown) => void) => Promise<unknown>;
  /** Sends password-reset links and similar messages. */
  deliverMessage: (message: { to: string; subject: string; text: string }) => Promise<void>;
}

export type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: AuthenticatedPrincipal | null;
    /** The service context of the signed-in principal; throws 401 when nobody is signed in. */
    serviceContext(): ServiceContext;
  }
}
