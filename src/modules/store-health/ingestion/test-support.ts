import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { systemActor } from '../../../core/context.js';
import type { ModuleDescriptor } from '../../../core/http/types.js';
import { defineJob } from '../../../core/jobs/index.js';
import { createTestApp, type TestApp, type TestOrg } from '../../../core/testing/test-app.js';
import { registerKpiConfigRoutes } from '../kpi-config/routes.js';
import { registerOrgStructureRoutes } from '../org-structure/routes.js';
import { evaluateJobName } from './evaluation-trigger.js';
import { registerIngestionRoutes } from './routes.js';

/** Test-only: this engineer's routes as a module, without the rest of store-health. */
export const orgAndIngestionModule: ModuleDescriptor = {
  key: 'store-health',
  name: 'Store health (org structure, KPI config, ingestion)',
  description: 'test wiring',
  ready: true,
  registerRoutes: async (app, deps) => {
    await registerOrgStructureRoutes(app, deps);
    await registerKpiConfigRoutes(app, deps);
    await registerIngestionRoutes(app, deps);
  },
};

/** Stands in for the evaluation engineer's job: same name and payload schema, does nothing. */
export const evaluateJobStub = defineJob({
  name: evaluateJobName,
  description: 'test stub of the store-health evaluation',
  payload: z.object({ organizationId: z.uuid(), from: z.iso.date(), to: z.iso.date() }),
  run: async () => ({ ok: true }),
});

export async function createIngestionTestApp(): Promise<TestApp> {
  return createTestApp({ modules: [orgAndIngestionModule], jobs: [evaluateJobStub] });
}

/** A service context for one of the test organizations, acting as the CLI would. */
export function serviceContextFor(t: TestApp, org: TestOrg, role = 'admin'): ServiceContext {
  return {
    db: t.database.db,
    organization: { id: org.id, slug: org.slug, name: org.name, timezone: org.timezone },
    actor: systemActor('test'),
    role,
    clock: t.clock,
    log: t.deps.logger,
  };
}

/** A multipart/form-data body with one file in the field "file", for app.inject. */
export function multipartFile(fileName: string, bytes: Uint8Array | string, field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----retailops${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
  return { payload: Buffer.concat([head, body, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The pg-boss jobs queued under a name, with their payloads. */
export async function queuedJobs(t: TestApp, name: string): Promise<{ id: string; data: Record<string, unknown> }[]> {
  return t.database.query<{ id: string; data: Record<string, unknown> }>('select id, data from pgboss.job where name = $1 order by created_on', [name]);
}
