import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { isAppError, validationFailed } from '../../../core/errors.js';
import { errorResponses, errorSchema } from '../../../core/http/routes/schemas.js';
import { jsonFormField, readMultipartForm } from '../../../core/http/multipart-form.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { recomputeHistoryJobName } from '../shared/job-names.js';
import { getImport, importMetricsFile, listImports, recomputeAfterImport, rollbackImport, type AffectedRange } from './import-service.js';
import { previewMetricsFile } from './preview-service.js';

const tags = ['coaching'];
/** Same ceiling as the promotions uploads: a year of per-call rows for a large centre stays well below it. */
export const maxMetricsFileBytes = 200 * 1024 * 1024;

const person = z.object({ id: z.string(), name: z.string() });
const rowError = z.object({ row: z.number().nullable(), column: z.string().nullable(), error: z.string(), message: z.string() });
export const importLogSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  fileSizeBytes: z.number().nullable(),
  fileHash: z.string().nullable(),
  importType: z.string(),
  importedBy: person,
  status: z.string(),
  totalRows: z.number().nullable(),
  processedRows: z.number().nullable(),
  successfulRows: z.number().nullable(),
  failedRows: z.number().nullable(),
  skippedRows: z.number().nullable(),
  startedAt: z.date(),
  completedAt: z.date().nullable(),
  processingTimeSeconds: z.number().nullable(),
  errorSummary: z.string().nullable(),
  errorDetails: z.array(rowError),
  rollbackAvailable: z.boolean(),
  rollbackExecutedAt: z.date().nullable(),
  rollbackExecutedBy: person.nullable(),
  fileStoragePath: z.string().nullable(),
  createdAt: z.date(),
});
const affectedSchema = z.object({ agentIds: z.array(z.string()), from: z.string(), to: z.string() }).nullable();
const recomputeSchema = z
  .object({ mode: z.enum(['queued', 'ran', 'failed']), jobId: z.string().optional(), periodsWritten: z.number().optional(), message: z.string().optional() })
  .nullable();
const importResultSchema = importLogSchema.extend({
  shape: z.enum(['daily', 'per-call']).nullable(),
  notes: z.array(z.string()),
  metricRows: z.object({ inserted: z.number(), updated: z.number(), unchanged: z.number() }),
  createdAgents: z.array(person),
  affected: affectedSchema,
  recompute: recomputeSchema,
});
const rollbackResultSchema = importLogSchema.extend({ restored: z.number(), deleted: z.number(), affected: affectedSchema, recompute: recomputeSchema });
const importDetailSchema = importLogSchema.extend({
  rowChanges: z.object({ inserted: z.number(), updated: z.number(), agents: z.number(), from: z.string().nullable(), to: z.string().nullable() }),
  rollbackBlockedBy: z.object({ id: z.string(), fileName: z.string(), startedAt: z.date(), rows: z.number() }).nullable(),
});
const previewSchema = z.object({
  fileName: z.string(),
  format: z.string(),
  sheet: z.string().nullable(),
  sheets: z.array(z.object({ name: z.string(), state: z.string(), chart: z.boolean(), rows: z.number() })),
  shape: z.enum(['daily', 'per-call']),
  shapeReason: z.string(),
  headerRow: z.number(),
  headers: z.array(z.object({ letter: z.string(), header: z.string() })),
  mapping: z.record(z.string(), z.object({ letter: z.string(), header: z.string() })),
  fields: z.array(z.object({ field: z.string(), description: z.string() })),
  ignoredColumns: z.array(z.string()),
  notes: z.array(z.string()),
  problems: z.array(z.string()),
  rowCount: z.number(),
  agentDays: z.number(),
  sampleRows: z.array(z.object({ row: z.number(), cells: z.array(z.string()) })),
  sampleDays: z.array(z.object({ agent: z.string(), date: z.string(), calls: z.number(), values: z.record(z.string(), z.number().nullable()) })),
  rowErrors: z.array(z.object({ row: z.number().nullable(), column: z.string().nullable(), message: z.string() })),
  rowErrorCount: z.number(),
});

/** The metrics file and its options (JSON in "options"; "sheet" as a plain field also works). */
async function readUpload(request: FastifyRequest): Promise<{ file: { name: string; bytes: Uint8Array }; options: unknown }> {
  const form = await readMultipartForm(request, {
    fileFields: ['file', 'files'],
    expected: 'the file in the field "file" (options as JSON in the field "options")',
  });
  const [file] = form.files;
  if (!file) throw validationFailed('Send the file in the multipart field "file".', [{ path: 'file', message: 'No file.' }]);
  let options = jsonFormField(form, 'options');
  if (form.fields.sheet?.trim()) options = { ...((options as object) ?? {}), sheet: form.fields.sheet };
  return { file: { name: file.name, bytes: file.bytes }, options };
}

/** After an import or rollback: queue the history recompute when the job exists, else run it here. */
async function recomputeHistory(deps: AppDeps, ctx: ServiceContext, affected: AffectedRange | null, log: FastifyRequest['log']) {
  if (!affected) return null;
  if (deps.jobs.registry.get(recomputeHistoryJobName)) {
    const jobId = await deps.jobs.enqueue(recomputeHistoryJobName, { organizationId: ctx.organization.id, ...affected });
    return { mode: 'queued' as const, jobId };
  }
  try {
    const result = await recomputeAfterImport(ctx, affected);
    return { mode: 'ran' as const, periodsWritten: result?.periodsWritten ?? 0 };
  } catch (error) {
    log.warn({ err: error }, 'coaching history recompute after import failed');
    return { mode: 'failed' as const, message: `The history was not recomputed: ${(error as Error).message}. The nightly job recomputes it.` };
  }
}

/** Coaching imports routes, under /api/coaching. */
export async function registerImportsRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  app.get(
    '/api/coaching/imports',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Metric imports, newest first (admins: all; managers: their own)',
        querystring: z.object({
          status: z.enum(['VALIDATING', 'PROCESSING', 'SUCCESS', 'PARTIAL_SUCCESS', 'FAILED', 'ROLLED_BACK']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(importLogSchema), total: z.number() }), ...errorResponses },
      },
    },
    async (request) => listImports(request.serviceContext(), request.query),
  );

  app.get(
    '/api/coaching/imports/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'One import: the log, a summary of the rows it changed, and which later import blocks its rollback',
        params: z.object({ id: z.string() }),
        response: { 200: importDetailSchema, ...errorResponses },
      },
    },
    async (request) => getImport(request.serviceContext(), request.params.id),
  );

  app.post(
    '/api/coaching/imports/:id/rollback',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Roll an import back: previous values restored, inserted rows deleted (409 while a later import changed the same rows); history recomputed',
        params: z.object({ id: z.string() }),
        response: { 200: rollbackResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = request.serviceContext();
      const result = await rollbackImport(ctx, request.params.id);
      return { ...result, recompute: await recomputeHistory(deps, ctx, result.affected, request.log) };
    },
  );

  // Multipart in this plugin's own scope, like the promotions uploads.
  await app.register(async (scope) => {
    if (!scope.hasContentTypeParser('multipart/form-data')) {
      await scope.register(multipart, { limits: { fileSize: maxMetricsFileBytes, files: 1, fields: 5 } });
    }
    const typed = scope.withTypeProvider<ZodTypeProvider>();
    typed.post(
      '/api/coaching/imports/preview',
      {
        config: { access: 'staff' },
        schema: {
          tags,
          summary: 'Preview a metrics file (multipart: file, optional options JSON): daily or per-call, column mapping, sample rows, row count',
          consumes: ['multipart/form-data'],
          response: { 200: previewSchema, ...errorResponses, 413: errorSchema },
        },
      },
      async (request) => {
        const ctx = request.serviceContext();
        const upload = await readUpload(request);
        return previewMetricsFile(ctx, upload.file, upload.options);
      },
    );
    typed.post(
      '/api/coaching/imports',
      {
        config: { access: 'staff' },
        schema: {
          tags,
          summary:
            'Import a metrics file (multipart: file, options JSON {mapping, partialSuccess, aggregate, createMissingAgents, dateOrder, sheet}); answers the import log (SUCCESS, PARTIAL_SUCCESS or FAILED with row errors); 409 for a file already imported',
          consumes: ['multipart/form-data'],
          response: { 200: importResultSchema, ...errorResponses, 413: errorSchema },
        },
      },
      async (request) => {
        const ctx = request.serviceContext();
        const upload = await readUpload(request);
        const result = await importMetricsFile(ctx, { file: upload.file, options: upload.options, dataDir: deps.config.dataDir });
        return { ...result, recompute: await recomputeHistory(deps, ctx, result.affected, request.log) };
      },
    );
  });
}
