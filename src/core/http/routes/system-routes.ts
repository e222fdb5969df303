import { z } from 'zod';
import { getMigrationStatus } from '../../db/migrate.js';
import { getWorkerHealth } from '../../jobs/index.js';
import type { AppDeps, TypedApp } from '../types.js';
import { errorResponses } from './schemas.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  version: z.string(),
  database: z.object({ ok: z.boolean(), kind: z.enum(['pglite', 'postgres']), latencyMs: z.number().nullable(), error: z.string().optional() }),
  migrations: z.object({ ok: z.boolean(), applied: z.number(), pending: z.number(), latest: z.string().nullable() }),
  worker: z.object({ ok: z.boolean(), workers: z.number(), lastHeartbeatAt: z.date().nullable() }),
});

export async function registerSystemRoutes(app: TypedApp, deps: AppDeps) {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Database, migrations and worker heartbeat; 503 when the database is unreachable',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const started = performance.now();
      try {
        await withTimeout(deps.database.query('select 1'), 3000);
      } catch (error) {
        return reply.status(503).send({
          status: 'down' as const,
          version: deps.version,
          database: { ok: false, kind: deps.database.kind, latencyMs: null, error: 'The database does not answer.' },
          migrations: { ok: false, applied: 0, pending: 0, latest: null },
          worker: { ok: false, workers: 0, lastHeartbeatAt: null },
        });
      }
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const migrations = await getMigrationStatus(deps.database);
      const worker = await getWorkerHealth(deps.database, deps.clock);
      const status: 'ok' | 'degraded' = migrations.ok && worker.ok ? 'ok' : 'degraded';
      return { status, version: deps.version, database: { ok: true, kind: deps.database.kind, latencyMs }, migrations, worker };
    },
  );

  app.get(
    '/api/modules',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['system'],
        summary: 'The five RetailOps modules and whether they are available',
        response: {
          200: z.object({ data: z.array(z.object({ key: z.string(), name: z.string(), description: z.string(), ready: z.boolean() })) }),
          ...errorResponses,
        },
      },
    },
    async () => ({ data: deps.modules.map(({ key, name, description, ready }) => ({ key, name, description, ready })) }),
  );

  app.get(
    '/api/ai/status',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['ai'],
        summary: 'Which AI provider answers (offline when none is configured)',
        response: { 200: z.object({ provider: z.string(), model: z.string().nullable(), offline: z.boolean() }), ...errorResponses },
      },
    },
    async () => ({ provider: deps.ai.name, model: deps.ai.model, offline: deps.ai.name === 'offline' }),
  );

  // The CLI's way into a running server that holds the embedded database (see cli/bridge.ts).
  app.post(
    '/api/internal/cli',
    { config: { access: 'local' }, schema: { hide: true, body: z.object({ command: z.string(), args: z.record(z.string(), z.unknown()) }) } },
    async (request, reply) => {
      if (!deps.runBridgedCommand) return reply.status(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: 'No CLI bridge here.' } });
      reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const write = (line: unknown) => reply.raw.write(`${JSON.stringify(line)}\n`);
      try {
        const result = await deps.runBridgedCommand(request.body.command, request.body.args, (event) => write({ type: 'progress', event }));
        write({ type: 'result', result });
      } catch (error) {
        const e = error as { code?: string; message?: string; details?: unknown };
        write({ type: 'error', error: { code: e.code ?? 'INTERNAL', message: e.message ?? String(error), details: e.details } });
      }
      reply.raw.end();
      return reply;
    },
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
