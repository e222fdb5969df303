import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageSchema } from '../../../core/db/list-query.js';
import { isAppError, validationFailed } from '../../../core/errors.js';
import { errorResponses, errorSchema } from '../../../core/http/routes/schemas.js';
import { jsonFormField, readMultipartForm } from '../../../core/http/multipart-form.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { importKinds, type ImportKind } from './fields.js';
import { createImportJob, getImportJob, importOptionsSchema, listImportJobs, runImportJob, type ImportFileInput } from './import-service.js';
import { listPromoCatalog, listSegments, listTargets, previewImportFile } from './preview-service.js';

const tags = ['promotions'];
export const maxImportFileBytes = 200 * 1024 * 1024;
const maxFilesPerJob = 20;

const nullableDate = z.date().nullable();
const jobFileSchema = z.object({
  name: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  status: z.enum(['queued', 'processing', 'processed', 'failed']),
  records: z.number(),
  sheet: z.string().nullable().optional(),
  error: z.string().optional(),
});
export const importJobSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  kind: z.string(),
  status: z.enum(['queued', 'processing', 'completed', 'failed']),
  filesQueued: z.number(),
  filesProcessed: z.number().nullable(),
  recordsRead: z.number(),
  recordsTotal: z.number().nullable(),
  recordsProcessed: z.number().nullable(),
  errors: z.number().nullable(),
  errorMessage: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  files: z.array(jobFileSchema),
  options: z.record(z.string(), z.unknown()),
  createdBy: z.string().nullable(),
  startedAt: nullableDate,
  completedAt: nullableDate,
  createdAt: z.date(),
});

const issueSchema = z.object({
  file: z.string(),
  sheet: z.string().nullable(),
  row: z.number().nullable(),
  column: z.string().nullable(),
  message: z.string(),
});
const previewSchema = z.object({
  fileName: z.string(),
  format: z.string(),
  sheet: z.string().nullable(),
  sheets: z.array(z.object({ name: z.string(), state: z.string(), chart: z.boolean(), rows: z.number() })),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  headerRow: z.number().nullable(),
  headers: z.array(z.object({ letter: z.string(), header: z.string() })),
  sampleRows: z.array(z.object({ row: z.number(), cells: z.array(z.string()) })),
  suggestedMapping: z.record(z.string(), z.string()),
  columns: z.record(z.string(), z.string()),
  missingFields: z.array(z.object({ field: z.string(), description: z.string() })),
  fields: z.array(z.object({ field: z.string(), required: z.boolean(), description: z.string() })),
  problems: z.array(issueSchema),
});

const catalogSchema = z.object({
  id: z.string(),
  promoName: z.string().nullable(),
  dateStart: z.string(),
  dateEnd: z.string(),
  departments: z.array(z.string()).nullable(),
  channels: z.array(z.string()).nullable(),
  avgDiscountPct: z.number().nullable(),
  mechanics: z.record(z.string(), z.unknown()).nullable(),
  sourceFile: z.string().nullable(),
  importJobId: z.string().nullable(),
  createdAt: z.date(),
});
const targetSchema = z.object({
  id: z.string(),
  month: z.string(),
  geo: z.string(),
  salesValueTarget: z.number(),
  marginPctTarget: z.number(),
  unitsTarget: z.number().nullable(),
  department: z.string().nullable(),
  channel: z.string().nullable(),
  importJobId: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const segmentSchema = z.object({
  segmentId: z.string(),
  name: z.string(),
  shareOfCustomers: z.number(),
  shareOfRevenue: z.number(),
  avgBasketValue: z.number(),
  favCategories: z.array(z.string()).nullable(),
  discountSensitivity: z.string().nullable(),
  purchaseFrequency: z.number().nullable(),
  lastPurchaseDaysAgo: z.number().nullable(),
  importJobId: z.string().nullable(),
  updatedAt: z.date(),
});

const pageQuery = { limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) };

interface UploadedForm {
  kind: string | undefined;
  options: unknown;
  files: ImportFileInput[];
}

/** Reads every part of a multipart body: the fields `kind` and `options` (JSON) and one or more `files`. */
async function readUploadForm(request: FastifyRequest): Promise<UploadedForm> {
  const raw = await readMultipartForm(request, { fileFields: ['files', 'file'], expected: 'the files in the field "files", with the field "kind"' });
  const form: UploadedForm = { kind: raw.fields.kind, options: jsonFormField(raw, 'options'), files: raw.files.map((f) => ({ name: f.name, bytes: f.bytes })) };
  if (!form.kind || !importKinds.includes(form.kind as ImportKind)) {
    throw validationFailed(`The field "kind" must be one of ${importKinds.join(', ')}${form.kind ? ` (got "${form.kind}")` : ''}.`, [
      { path: 'kind', message: 'missing or unknown' },
    ]);
  }
  if (form.files.length === 0) throw validationFailed('Send at least one file in the field "files".', [{ path: 'files', message: 'No file.' }]);
  return form;
}

/** Promotions imports routes, under /api/promotions: uploads processed in the background, preview, imported lists. */
export async function registerImportsRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  app.get(
    '/api/promotions/imports',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Import jobs, newest first, with progress and results',
        querystring: z.object({
          ...pageQuery,
          kind: z.enum(importKinds).optional(),
          status: z.enum(['queued', 'processing', 'completed', 'failed']).optional(),
        }),
        response: { 200: pageSchema(importJobSchema), ...errorResponses },
      },
    },
    async (request) => listImportJobs(request.serviceContext(), request.query),
  );

  app.get(
    '/api/promotions/imports/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'One import job: status, files, records read of total, result or errors with file, sheet, row and column',
        params: z.object({ id: z.string() }),
        response: { 200: importJobSchema, ...errorResponses },
      },
    },
    async (request) => getImportJob(request.serviceContext(), request.params.id),
  );

  app.get(
    '/api/promotions/promo-catalog',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Historical promotions (promo calendar) by start date',
        querystring: z.object({ ...pageQuery, sourceFile: z.string().optional() }),
        response: { 200: pageSchema(catalogSchema), ...errorResponses },
      },
    },
    async (request) => listPromoCatalog(request.serviceContext(), request.query),
  );

  app.get(
    '/api/promotions/targets',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Monthly targets by geography (and department/channel)',
        querystring: z.object({
          ...pageQuery,
          month: z
            .string()
            .regex(/^\d{4}-\d{2}$/)
            .optional(),
          geo: z.string().optional(),
        }),
        response: { 200: pageSchema(targetSchema), ...errorResponses },
      },
    },
    async (request) => listTargets(request.serviceContext(), request.query),
  );

  app.get(
    '/api/promotions/segments',
    { config: { access: 'viewer' }, schema: { tags, summary: 'CDP customer segments', response: { 200: z.array(segmentSchema), ...errorResponses } } },
    async (request) => listSegments(request.serviceContext()),
  );

  // Multipart is registered in this plugin's own scope: the core app does not parse uploads anywhere else.
  await app.register(async (scope) => {
    if (!scope.hasContentTypeParser('multipart/form-data')) {
      await scope.register(multipart, { limits: { fileSize: maxImportFileBytes, files: maxFilesPerJob, fields: 5 } });
    }
    const typed = scope.withTypeProvider<ZodTypeProvider>();
    typed.post(
      '/api/promotions/imports',
      {
        config: { access: 'staff' },
        schema: {
          tags,
          summary:
            'Upload one or more .xlsb/.xlsx/.csv files (multipart: kind, files, optional options JSON); answers 202 with the job, processed in the background (poll GET /imports/:id)',
          consumes: ['multipart/form-data'],
          response: { 202: importJobSchema, ...errorResponses, 413: errorSchema },
        },
      },
      async (request, reply) => {
        const ctx = request.serviceContext();
        const form = await readUploadForm(request);
        const job = await createImportJob(ctx, { kind: form.kind as ImportKind, files: form.files, options: form.options });
        // The work runs after the answer; its progress and outcome live in the job row.
        setImmediate(() => {
          runImportJob(ctx, job.id, form.files, { jobs: deps.jobs }).catch((error: unknown) => {
            if (!isAppError(error) || error.status >= 500) request.log.error({ err: error, job: job.jobId }, 'background promotions import failed');
          });
        });
        return reply.code(202).send(job);
      },
    );

    typed.post(
      '/api/promotions/imports/preview',
      {
        config: { access: 'staff' },
        schema: {
          tags,
          summary: 'Preview one file (multipart: kind, file, optional options JSON): sheets, headers, sample rows, suggested mapping, missing fields',
          consumes: ['multipart/form-data'],
          response: { 200: previewSchema, ...errorResponses, 413: errorSchema },
        },
      },
      async (request) => {
        request.serviceContext();
        const form = await readUploadForm(request);
        const parsed = importOptionsSchema.safeParse(form.options ?? {});
        if (!parsed.success) {
          throw validationFailed(
            'The import options are not valid.',
            parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          );
        }
        return previewImportFile(form.kind as ImportKind, form.files[0], parsed.data);
      },
    );
  });
}
