import * as XLSX from 'xlsx-republish';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { systemActor } from '../../../core/context.js';
import type { ModuleDescriptor } from '../../../core/http/types.js';
import { defineJob } from '../../../core/jobs/index.js';
import { createTestApp, type TestApp, type TestOrg } from '../../../core/testing/test-app.js';
import { forecastRefreshJobName } from './import-service.js';
import { registerImportsRoutes } from './routes.js';

/** Test-only: the imports routes as a module, without the rest of promotions. */
export const importsModule: ModuleDescriptor = {
  key: 'promotions',
  name: 'Promotions (imports)',
  description: 'test wiring',
  ready: true,
  registerRoutes: registerImportsRoutes,
};

/** Stands in for the forecasting engineer's job: same name and payload, does nothing. */
export const refreshForecastsStub = defineJob({
  name: forecastRefreshJobName,
  description: 'test stub of the forecast refresh',
  payload: z.object({ organizationId: z.uuid() }),
  run: async () => ({ ok: true }),
});

export async function createImportsTestApp(options: { withForecastJob?: boolean } = {}): Promise<TestApp> {
  return createTestApp({ modules: [importsModule], jobs: options.withForecastJob === false ? [] : [refreshForecastsStub] });
}

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

/** A multipart/form-data body with text fields and files, for app.inject. */
export function multipartForm(fields: Record<string, string>, files: { field?: string; name: string; bytes: Uint8Array | string }[]) {
  const boundary = `----retailops${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'files'}"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      typeof f.bytes === 'string' ? Buffer.from(f.bytes) : Buffer.from(f.bytes),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A workbook (xlsx or xlsb) from rows of values; Date values become true date cells. */
export function workbookBytes(sheets: Record<string, unknown[][]>, bookType: 'xlsx' | 'xlsb' = 'xlsx'): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), name);
  return XLSX.write(wb, { type: 'buffer', bookType }) as Uint8Array;
}

export const utf8 = (text: string) => new TextEncoder().encode(text);
