import multipart from '@fastify/multipart';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { forbidden, isAppError, validationFailed } from '../../../core/errors.js';
import { errorResponses, errorSchema } from '../../../core/http/routes/schemas.js';
import { readMultipartForm } from '../../../core/http/multipart-form.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import type { EnqueueJob } from '../../../core/jobs/index.js';
import { roleAtLeast } from '../../../core/roles.js';
import { enqueueEvaluation, evaluateJobName } from './evaluation-trigger.js';
import { importKinds, importStoreHealthFile } from './import-file.js';
import type { IngestResult } from './ingest-result.js';
import {
  inventoryLevelsBatchInput,
  inventoryLevelsFromBatch,
  ingestInventoryLevels,
  ingestOutOfStockEvents,
  outOfStockEventsBatchInput,
  outOfStockEventsFromBatch,
} from './inventory-service.js';
import {
  ingestLaborCallouts,
  ingestLaborSchedules,
  laborCalloutsBatchInput,
  laborCalloutsFromBatch,
  laborSchedulesBatchInput,
  laborSchedulesFromBatch,
} from './labor-service.js';
import { ingestMetricsBatch, metricsBatchInput } from './metrics-service.js';

const tags = ['store-health'];
export const maxImportFileBytes = 50 * 1024 * 1024;
// 50,000 metric items as JSON run to about 5 MB; the application-wide body limit is 1 MB.
const batchBodyLimit = 32 * 1024 * 1024;

const dateRange = z.object({ from: z.string(), to: z.string() });
const counts = z.object({ inserted: z.number(), updated: z.number(), unchanged: z.number() });
export const ingestResultSchema = counts.extend({
  kind: z.string(),
  rows: z.number(),
  dates: dateRange.nullable(),
  evaluationJobId: z.string().nullable(),
  changedDates: dateRange.nullable(),
  derived: counts.optional(),
});
export const importResultSchema = ingestResultSchema.extend({
  fileName: z.string(),
  created: z.object({ regions: z.number(), districts: z.number() }).optional(),
});

/**
 * The queue for re-evaluation jobs, when the evaluation job is registered in this process; without it the data
 * is still written and the next scheduled evaluation picks it up.
 */
function evaluationQueue(deps: AppDeps, log: FastifyBaseLogger): EnqueueJob | undefined {
  if (deps.jobs.registry.get(evaluateJobName)) return deps.jobs.enqueue;
  log.warn({ job: evaluateJobName }, 'store-health evaluation job is not registered; no re-evaluation queued');
  return undefined;
}

async function answer(ctx: ServiceContext, kind: string, result: IngestResult, enqueue: EnqueueJob | undefined) {
  const evaluationJobId = await enqueueEvaluation(ctx, enqueue, result.changed);
  return {
    kind,
    rows: result.rows,
    inserted: result.inserted,
    updated: result.updated,
    unchanged: result.unchanged,
    dates: result.dates,
    evaluationJobId,
    changedDates: result.changed ? { from: result.changed.from, to: result.changed.to } : null,
    ...(result.derived ? { derived: result.derived } : {}),
  };
}

/** The one file of a multipart request; a broken body is the client's mistake (400), an oversized file a 413. */
async function readUploadedFile(request: FastifyRequest): Promise<{ fileName: string; bytes: Buffer }> {
  const form = await readMultipartForm(request, { fileFields: ['file'], expected: 'the file in the field "file"' });
  const [file] = form.files;
  if (!file) throw validationFailed('Send the file as multipart/form-data in the field "file".', [{ path: 'file', message: 'No file in the field "file".' }]);
  return { fileName: file.name, bytes: file.bytes };
}

/** KPI values, labor and inventory data by JSON batch or file upload; staff and above. */
export async function registerIngestionRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  app.post(
    '/api/store-health/metrics',
    {
      config: { access: 'staff' },
      bodyLimit: batchBodyLimit,
      schema: {
        tags,
        summary: 'Upsert up to 50,000 KPI values per (store, KPI, date); the batch is written whole or not at all',
        body: metricsBatchInput,
        response: { 200: ingestResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = request.serviceContext();
      return answer(ctx, 'metrics', await ingestMetricsBatch(ctx, request.body), evaluationQueue(deps, request.log));
    },
  );

  const batchRoutes = [
    {
      url: 'labor-schedules',
      body: laborSchedulesBatchInput,
      run: (ctx: ServiceContext, body: never) => ingestLaborSchedules(ctx, laborSchedulesFromBatch(body)),
    },
    { url: 'labor-callouts', body: laborCalloutsBatchInput, run: (ctx: ServiceContext, body: never) => ingestLaborCallouts(ctx, laborCalloutsFromBatch(body)) },
    {
      url: 'inventory-levels',
      body: inventoryLevelsBatchInput,
      run: (ctx: ServiceContext, body: never) => ingestInventoryLevels(ctx, inventoryLevelsFromBatch(body)),
    },
    {
      url: 'out-of-stock-events',
      body: outOfStockEventsBatchInput,
      run: (ctx: ServiceContext, body: never) => ingestOutOfStockEvents(ctx, outOfStockEventsFromBatch(body)),
    },
  ];
  for (const route of batchRoutes) {
    app.post(
      `/api/store-health/${route.url}`,
      {
        config: { access: 'staff' },
        bodyLimit: batchBodyLimit,
        schema: {
          tags,
          summary: `Upsert ${route.url.replace(/-/g, ' ')} (up to 50,000) and recompute the labor and inventory KPIs of their days`,
          body: route.body,
          response: { 200: ingestResultSchema, ...errorResponses },
        },
      },
      async (request) => {
        const ctx = request.serviceContext();
        return answer(ctx, route.url, await route.run(ctx, request.body as never), evaluationQueue(deps, request.log));
      },
    );
  }

  // Multipart is registered in this plugin's own scope: the core app does not parse uploads anywhere else.
  await app.register(async (scope) => {
    if (!scope.hasContentTypeParser('multipart/form-data')) {
      await scope.register(multipart, { limits: { fileSize: maxImportFileBytes, files: 1, fields: 5 } });
    }
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/store-health/imports/:kind',
      {
        config: { access: 'staff' },
        schema: {
          tags,
          summary: 'Import a CSV, XLSX or XLS file (multipart field "file"); a bad row rejects the whole file with row and column',
          consumes: ['multipart/form-data'],
          params: z.object({ kind: z.enum(importKinds) }),
          response: { 200: importResultSchema, ...errorResponses, 413: errorSchema },
        },
      },
      async (request) => {
        const ctx = request.serviceContext();
        if (request.params.kind === 'stores' && !roleAtLeast(ctx.role, 'manager')) {
          throw forbidden(`Importing stores needs the manager role or higher; you are ${ctx.role}.`);
        }
        if (!request.isMultipart()) {
          throw validationFailed('Send the file as multipart/form-data in the field "file".', [{ path: 'file', message: 'No multipart body.' }]);
        }
        const { fileName, bytes } = await readUploadedFile(request);
        return importStoreHealthFile(ctx, {
          kind: request.params.kind,
          fileName: fileName || `upload.${request.params.kind}`,
          bytes,
          enqueue: evaluationQueue(deps, request.log),
        });
      },
    );
  });
}
