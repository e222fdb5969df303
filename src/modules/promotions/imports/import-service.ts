import { createHash, randomBytes } from 'node:crypto';
import { and, count, desc, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import type { ProgressReporter } from '../../../core/demo/demo-steps.js';
import { isAppError, notFound } from '../../../core/errors.js';
import type { EnqueueJob, JobRegistry } from '../../../core/jobs/index.js';
import { readTabularGrid, type TabularGrid } from '../../../core/imports/tabular-grid.js';
import { dataProcessingJobs, type ProcessingJobFile } from '../schema.js';
import { promotionsError } from '../shared/errors.js';
import { resolveMapping, type ImportIssue } from './column-mapping.js';
import { importKinds, type ImportKind } from './fields.js';
import { writeCatalogRecords, writeSalesRecords, writeSegmentRecords, writeTargetRecords, type WriteCounts } from './import-writers.js';
import {
  dateFieldsOf,
  FileRowReader,
  IssueList,
  readCatalogRows,
  readSalesRows,
  readSegmentRows,
  readTargetRows,
  roundSalesMoney,
  type CatalogRecord,
  type FileReading,
  type RowOrigin,
  type SalesRecord,
  type SegmentRecord,
  type TargetRecord,
} from './row-validation.js';

export const forecastRefreshJobName = 'promotions.refresh-forecasts';

const fieldValues = z.record(z.string().trim().min(1).max(60), z.string().max(200));

export const importOptionsSchema = z
  .object({
    map: fieldValues.optional(),
    set: fieldValues.optional(),
    sheet: z.string().trim().min(1).max(100).optional(),
    dateOrder: z.enum(['dmy', 'mdy']).optional(),
    aggregate: z.boolean().optional(),
  })
  .strict();

export type ImportOptions = z.infer<typeof importOptionsSchema>;

export interface ImportFileInput {
  name: string;
  bytes: Uint8Array;
}

export interface ImportJobsAccess {
  registry: JobRegistry;
  enqueue: EnqueueJob;
}

export interface ImportRequest {
  kind: ImportKind;
  files: ImportFileInput[];
  options?: ImportOptions;
  onProgress?: ProgressReporter;
  /** When given and `promotions.refresh-forecasts` is registered, a completed sales import queues it. */
  jobs?: ImportJobsAccess;
}

export type ImportJobRow = typeof dataProcessingJobs.$inferSelect;

/** How often the check phase writes records_read to the job row: every `rows` rows or `ms` milliseconds, whichever first. */
export interface ProgressCadence {
  rows: number;
  ms: number;
}
export const defaultProgressCadence: ProgressCadence = { rows: 20_000, ms: 1_000 };

/**
 * A queued/processing job that this process is not running and that started (or was created, if it never started)
 * longer ago than this is taken as interrupted: the server that ran it stopped. The table has no heartbeat column, so
 * the age is measured from started_at/created_at. With several server processes on PostgreSQL another process may
 * legitimately be running the job; an import of 1,000,000 rows takes a few minutes, so 30 minutes is far above any
 * realistic import, and a job failed this way while still running cannot complete (its final write checks the status).
 */
export const interruptedImportAfterMs = 30 * 60 * 1000;
export const interruptedImportMessage = 'interrupted: the server stopped while it ran; nothing from it was written — start the import again';

/** Row ids of the import jobs this process is running now (they are never taken as interrupted here). */
const runningHere = new Set<string>();

/** Marks the organization's interrupted jobs (see interruptedImportAfterMs) failed; only `id` when given. */
async function failInterruptedJobs(ctx: ServiceContext, id?: string): Promise<void> {
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - interruptedImportAfterMs).toISOString();
  const conditions: SQL[] = [
    eq(dataProcessingJobs.organizationId, ctx.organization.id),
    inArray(dataProcessingJobs.status, ['queued', 'processing']),
    sql`coalesce(${dataProcessingJobs.startedAt}, ${dataProcessingJobs.createdAt}) < ${cutoff}::timestamptz`,
  ];
  if (id !== undefined) conditions.push(eq(dataProcessingJobs.id, id));
  if (runningHere.size > 0) conditions.push(notInArray(dataProcessingJobs.id, [...runningHere]));
  await ctx.db
    .update(dataProcessingJobs)
    .set({
      status: 'failed',
      errorMessage: interruptedImportMessage,
      errors: sql`greatest(coalesce(${dataProcessingJobs.errors}, 0), 1)`,
      completedAt: now,
    })
    .where(and(...conditions));
}

type AnyRecord = SalesRecord | CatalogRecord | TargetRecord | SegmentRecord;

function checkRequest(kind: string, files: ImportFileInput[], options: unknown): ImportOptions {
  if (!importKinds.includes(kind as ImportKind)) {
    throw promotionsError('IMPORT_KIND', `"${kind}" is not an import kind; use one of ${importKinds.join(', ')}.`);
  }
  if (files.length === 0) throw promotionsError('IMPORT_NO_FILES', 'Send at least one file (.xlsb, .xlsx or .csv).');
  const names = files.map((f) => f.name);
  const long = names.find((n) => n.length > 500 || n.trim() === '');
  if (long !== undefined) throw promotionsError('IMPORT_FILE_NAME', `A file name must have 1–500 characters (got ${long.length}).`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw promotionsError('IMPORT_DUPLICATE_FILE', `The file ${twice} is in the job twice; each file may appear once.`);
  const parsed = importOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw promotionsError(
      'IMPORT_OPTIONS',
      `The import options are not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}.`,
      {
        details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    );
  }
  return parsed.data;
}

/** Creates the job row (status queued) with one entry per file; the work happens in `runImportJob`. */
export async function createImportJob(ctx: ServiceContext, request: { kind: ImportKind; files: ImportFileInput[]; options?: unknown }): Promise<ImportJobRow> {
  const options = checkRequest(request.kind, request.files, request.options);
  const now = ctx.clock.now();
  const files: ProcessingJobFile[] = request.files.map((f) => ({
    name: f.name,
    bytes: f.bytes.byteLength,
    sha256: createHash('sha256').update(f.bytes).digest('hex'),
    status: 'queued',
    records: 0,
  }));
  const [row] = await ctx.db
    .insert(dataProcessingJobs)
    .values({
      organizationId: ctx.organization.id,
      jobId: `import-${request.kind}-${now
        .toISOString()
        .replace(/[-:.TZ]/g, '')
        .slice(0, 14)}-${randomBytes(4).toString('hex')}`,
      kind: request.kind,
      status: 'queued',
      filesQueued: files.length,
      filesProcessed: 0,
      recordsProcessed: 0,
      errors: 0,
      files,
      options,
      createdBy: ctx.actor.label,
      createdAt: now,
    })
    .returning();
  return row;
}

async function updateJob(ctx: ServiceContext, id: string, patch: Partial<typeof dataProcessingJobs.$inferInsert>): Promise<ImportJobRow> {
  const [row] = await ctx.db
    .update(dataProcessingJobs)
    .set(patch)
    .where(and(eq(dataProcessingJobs.id, id), eq(dataProcessingJobs.organizationId, ctx.organization.id)))
    .returning();
  return row;
}

const keyOf = (r: SalesRecord) => `${r.date}|${r.channel}|${r.department}|${r.promoFlag ? 1 : 0}`;
const where = (o: RowOrigin) => `${o.file}${o.sheet ? ` (sheet ${o.sheet})` : ''} row ${o.row}`;

/** Sums a line into the row of its key: money and units add up; the discount is the sales-weighted mean. */
function mergeSales(into: SalesRecord, line: SalesRecord): void {
  into.salesValue += line.salesValue;
  into.marginValue += line.marginValue;
  into.units += line.units;
  into.lines += line.lines;
  into.discountWeight += line.discountWeight;
  into.discountWeighted += line.discountWeighted;
  into.discountCount += line.discountCount;
  into.discountSum += line.discountSum;
  if (into.discountCount > 0) {
    const mean = into.discountWeight > 0 ? into.discountWeighted / into.discountWeight : into.discountSum / into.discountCount;
    into.discountPct = Math.round(mean * 100) / 100;
  }
}

interface Collected {
  records: AnyRecord[];
  /** Per sales key, the index in `records` (duplicates and aggregation). */
  salesKeys: Map<string, number>;
  otherKeys: Map<string, RowOrigin>;
}

function collector(
  kind: ImportKind,
  aggregate: boolean,
  issues: IssueList,
  reader: () => FileRowReader,
): { collected: Collected; add: (r: AnyRecord) => void } {
  const collected: Collected = { records: [], salesKeys: new Map(), otherKeys: new Map() };
  const duplicate = (origin: RowOrigin, first: RowOrigin, key: string, column: string) => {
    const r = reader();
    issues.add({
      file: origin.file,
      sheet: origin.sheet,
      row: origin.row,
      column: r.reading.columns[column] ?? column,
      message: `repeats ${key} of ${where(first)}${kind === 'sales' ? '; use the aggregate option to sum rows that share a key (per-line exports)' : ''}`,
    });
  };
  const add = (record: AnyRecord) => {
    if (kind === 'sales') {
      const r = record as SalesRecord;
      const key = keyOf(r);
      const at = collected.salesKeys.get(key);
      if (at === undefined) {
        collected.salesKeys.set(key, collected.records.length);
        collected.records.push(r);
      } else if (aggregate) {
        const into = collected.records[at] as SalesRecord;
        mergeSales(into, r);
        if (Math.abs(into.units) > 2_147_483_647 || Math.abs(into.salesValue) > 9_999_999_999_999 || Math.abs(into.marginValue) > 9_999_999_999_999) {
          issues.add({
            file: r.origin.file,
            sheet: r.origin.sheet,
            row: r.origin.row,
            column: null,
            message: `summing this row into ${where(into.origin)} exceeds the largest storable units or money`,
          });
        }
      } else {
        const first = (collected.records[at] as SalesRecord).origin;
        duplicate(r.origin, first, `the day ${r.date}, ${r.channel}, department "${r.department}", promo ${r.promoFlag}`, 'date');
      }
      return;
    }
    let key: string;
    let label: string;
    let column: string;
    if (kind === 'targets') {
      const t = record as TargetRecord;
      key = `${t.month}|${t.geo}|${t.department ?? ''}|${t.channel ?? ''}`;
      label = `the target of ${t.month}, ${t.geo}${t.department ? `, ${t.department}` : ''}${t.channel ? `, ${t.channel}` : ''}`;
      column = 'month';
    } else if (kind === 'segments') {
      key = (record as SegmentRecord).segmentId;
      label = `the segment "${key}"`;
      column = 'segment_id';
    } else {
      collected.records.push(record);
      return;
    }
    const first = collected.otherKeys.get(key);
    if (first) duplicate(record.origin, first, label, column);
    else {
      collected.otherKeys.set(key, record.origin);
      collected.records.push(record);
    }
  };
  return { collected, add };
}

async function readRows(kind: ImportKind, reader: FileRowReader, add: (r: AnyRecord) => void): Promise<void> {
  if (kind === 'sales') await readSalesRows(reader, add);
  else if (kind === 'promo-catalog') await readCatalogRows(reader, add);
  else if (kind === 'targets') await readTargetRows(reader, add);
  else await readSegmentRows(reader, add);
}

function summarize(kind: ImportKind, records: AnyRecord[]): Record<string, unknown> {
  let from: string | null = null;
  let to: string | null = null;
  const see = (a: string, b: string) => {
    if (from === null || a < from) from = a;
    if (to === null || b > to) to = b;
  };
  const departments = new Set<string>();
  const channels = new Set<string>();
  let marginPctClamped = 0;
  for (const record of records) {
    if (kind === 'sales') {
      const r = record as SalesRecord;
      see(r.date, r.date);
      departments.add(r.department);
      channels.add(r.channel);
      if (r.salesValue > 0 && Math.abs((r.marginValue / r.salesValue) * 100) > 999.99) marginPctClamped++;
    } else if (kind === 'promo-catalog') {
      const r = record as CatalogRecord;
      see(r.dateStart, r.dateEnd);
      r.departments?.forEach((d) => departments.add(d));
      r.channels?.forEach((c) => channels.add(c));
    } else if (kind === 'targets') {
      const r = record as TargetRecord;
      see(r.month, r.month);
      if (r.department) departments.add(r.department);
      if (r.channel) channels.add(r.channel);
    }
  }
  return {
    dateRange: from && to ? { from, to } : null,
    departments: [...departments].sort(),
    channels: [...channels].sort(),
    ...(kind === 'sales' ? { marginPctClamped } : {}),
  };
}

function failureMessage(issues: IssueList): string {
  const first = issues.items[0];
  const place = [first.file, first.sheet ? `sheet ${first.sheet}` : null, first.row ? `row ${first.row}` : null, first.column ? `column ${first.column}` : null]
    .filter(Boolean)
    .join(', ');
  return `${issues.count} problem${issues.count === 1 ? '' : 's'} found; nothing was imported. First: ${place}: ${first.message}`;
}

async function writeRecords(
  tx: ServiceContext,
  kind: ImportKind,
  records: AnyRecord[],
  fileNames: string[],
  jobId: string,
  onChunk: (n: number) => void,
): Promise<WriteCounts> {
  if (kind === 'sales') return writeSalesRecords(tx, records as SalesRecord[], jobId, onChunk);
  if (kind === 'promo-catalog') return writeCatalogRecords(tx, records as CatalogRecord[], fileNames, jobId, onChunk);
  if (kind === 'targets') return writeTargetRecords(tx, records as TargetRecord[], jobId, onChunk);
  return writeSegmentRecords(tx, records as SegmentRecord[], jobId, onChunk);
}

/**
 * Runs a queued import job: reads and validates every row of every file first; any problem fails the job (up to 100
 * problems with file, sheet, row and column are kept in `result.errors`) and nothing is written. Otherwise all rows
 * are written in one transaction together with the job's completion, so a job is either wholly in or wholly out.
 * While checking, records_read is written to the row every `progressEvery` rows or milliseconds (outside any
 * transaction, so pollers see it); `onRowProgress` is awaited after each such write (tests).
 */
export async function runImportJob(
  ctx: ServiceContext,
  jobRowId: string,
  files: ImportFileInput[],
  extras: {
    onProgress?: ProgressReporter;
    jobs?: ImportJobsAccess;
    progressEvery?: ProgressCadence;
    onRowProgress?: (row: ImportJobRow) => Promise<void> | void;
  } = {},
): Promise<ImportJobRow> {
  if (runningHere.has(jobRowId)) throw promotionsError('IMPORT_RUNNING', `The import job ${jobRowId} is already running.`, { status: 409 });
  runningHere.add(jobRowId);
  try {
    return await runImportJobHere(ctx, jobRowId, files, extras);
  } finally {
    runningHere.delete(jobRowId);
  }
}

async function runImportJobHere(
  ctx: ServiceContext,
  jobRowId: string,
  files: ImportFileInput[],
  extras: {
    onProgress?: ProgressReporter;
    jobs?: ImportJobsAccess;
    progressEvery?: ProgressCadence;
    onRowProgress?: (row: ImportJobRow) => Promise<void> | void;
  },
): Promise<ImportJobRow> {
  let job = await getImportJob(ctx, jobRowId);
  if (job.status !== 'queued') {
    throw promotionsError('IMPORT_NOT_QUEUED', `The import job ${job.jobId} is ${job.status}; only a queued job can run.`, { status: 409 });
  }
  const cadence = extras.progressEvery ?? defaultProgressCadence;
  const kind = job.kind as ImportKind;
  const options = importOptionsSchema.parse(job.options);
  const progress = extras.onProgress ?? (() => undefined);
  const fileStates = job.files.map((f) => ({ ...f }));
  const startedAt = ctx.clock.now();
  job = await updateJob(ctx, job.id, { status: 'processing', startedAt });
  const issues = new IssueList();
  let current: FileRowReader | null = null;
  const { collected, add } = collector(kind, Boolean(options.aggregate), issues, () => current!);
  const readings: Record<string, unknown>[] = [];
  let recordsRead = 0;
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      const state = fileStates[i];
      progress({ step: `reading ${file.name}`, current: i, total: files.length });
      const before = issues.count;
      let grid: TabularGrid | null = null;
      try {
        grid = readTabularGrid(file.name, file.bytes, { sheet: options.sheet });
      } catch (error) {
        if (!isAppError(error)) throw error;
        issues.addAll((error.details as ImportIssue[] | undefined) ?? [{ file: file.name, sheet: null, row: null, column: null, message: error.message }]);
      }
      let rows = 0;
      if (grid) {
        const { mapping, issues: mappingIssues } = resolveMapping(kind, grid, options);
        issues.addAll(mappingIssues);
        if (mapping) {
          rows = mapping.dataRows.length;
          if (rows === 0) {
            issues.add({ file: file.name, sheet: grid.sheetName, row: mapping.headerRow, column: null, message: 'the file has a header row but no data rows' });
          }
          current = new FileRowReader(grid, mapping, issues, options.dateOrder, dateFieldsOf[kind]);
          state.status = 'processing';
          state.sheet = grid.sheetName;
          job = await updateJob(ctx, job.id, { files: fileStates, recordsTotal: recordsRead + rows });
          const countBefore = collected.records.length;
          progress({ step: `checking ${file.name}`, current: 0, total: rows });
          const readBefore = recordsRead;
          let lastRows = 0;
          let lastAt = performance.now();
          current.pace = (checked) => {
            if (checked === 0) return null;
            const due = checked - lastRows >= cadence.rows || (checked % 1000 === 0 && performance.now() - lastAt >= cadence.ms);
            if (!due) return null;
            lastRows = checked;
            return (async () => {
              job = await updateJob(ctx, job.id, { recordsRead: readBefore + checked, recordsTotal: readBefore + rows, errors: issues.count });
              progress({ step: `checking ${file.name}`, current: checked, total: rows });
              await extras.onRowProgress?.(job);
              lastAt = performance.now();
            })();
          };
          await readRows(kind, current, add);
          state.records = collected.records.length - countBefore;
          readings.push({
            name: file.name,
            format: grid.format,
            sheet: grid.sheetName,
            encoding: grid.encoding,
            delimiter: grid.delimiter,
            rows,
            ...(current.reading as FileReading),
          } as Record<string, unknown>);
        }
        state.sheet = grid.sheetName;
      }
      recordsRead += rows;
      state.status = issues.count > before ? 'failed' : 'processed';
      if (issues.count > before) state.error = issues.items.find((it) => it.file === file.name)?.message ?? 'see the errors';
      job = await updateJob(ctx, job.id, {
        files: fileStates,
        filesProcessed: i + 1,
        recordsRead,
        recordsTotal: recordsRead,
        errors: issues.count,
      });
      progress({ step: `read ${file.name}`, current: i + 1, total: files.length });
    }
    if (issues.count > 0) {
      const message = failureMessage(issues);
      await updateJob(ctx, job.id, {
        status: 'failed',
        errors: issues.count,
        errorMessage: message,
        result: { errors: issues.items, errorCount: issues.count, files: readings },
        completedAt: ctx.clock.now(),
      });
      throw promotionsError('IMPORT_INVALID', message, { status: 400, details: issues.items });
    }

    // Free what only validation needed (the sheets' cells, the key index) before the write holds its own memory.
    current = null;
    collected.salesKeys.clear();
    collected.otherKeys.clear();
    const records = collected.records;
    if (kind === 'sales') roundSalesMoney(records as SalesRecord[], Boolean(options.aggregate));
    const summary = summarize(kind, records);
    progress({ step: 'writing', current: 0, total: records.length });
    job = await inTransaction(ctx, async (tx) => {
      const counts = await writeRecords(
        tx,
        kind,
        records,
        files.map((f) => f.name),
        job.id,
        (n) => progress({ step: 'writing', current: n, total: records.length }),
      );
      const notes: string[] = [];
      for (const r of readings) {
        const fractions = (r.fractionFields as string[]) ?? [];
        if (fractions.length) notes.push(`${String(r.name)}: ${fractions.join(', ')} read as fractions (0.2 = 20 %) because every value is at most 1.`);
        if (r.dateOrder && fractions !== undefined)
          notes.push(`${String(r.name)}: dates like 03/04 read as ${r.dateOrder === 'dmy' ? 'day/month/year' : 'month/day/year'}.`);
      }
      if (kind === 'sales' && (summary.marginPctClamped as number) > 0) {
        notes.push(`${String(summary.marginPctClamped)} rows have a margin beyond ±999.99 % of sales; margin_pct shows them clamped to ±999.99.`);
      }
      // Completes only a job still processing: one failed meanwhile as interrupted (by another process) stays failed.
      const [done] = await tx.db
        .update(dataProcessingJobs)
        .set({
          status: 'completed',
          recordsProcessed: records.length,
          files: fileStates,
          result: {
            kind,
            rows: records.length,
            linesRead: recordsRead,
            aggregated: Boolean(options.aggregate),
            ...counts,
            ...summary,
            files: readings,
            notes,
          },
          completedAt: ctx.clock.now(),
        })
        .where(and(eq(dataProcessingJobs.id, job.id), eq(dataProcessingJobs.organizationId, ctx.organization.id), eq(dataProcessingJobs.status, 'processing')))
        .returning();
      if (!done)
        throw promotionsError('IMPORT_INTERRUPTED', `The import job ${job.jobId} was marked failed meanwhile: ${interruptedImportMessage}.`, { status: 409 });
      return done;
    });
    progress({ step: 'written', current: records.length, total: records.length });
  } catch (error) {
    if (isAppError(error) && (error.code === 'PROMOTIONS_IMPORT_INVALID' || error.code === 'PROMOTIONS_IMPORT_INTERRUPTED')) throw error;
    const message = isAppError(error) ? error.message : `The import stopped: ${(error as Error).message}`;
    ctx.log.error({ err: error, job: job.jobId }, 'promotions import failed');
    await updateJob(ctx, job.id, {
      status: 'failed',
      errorMessage: `${message} Nothing was imported.`,
      completedAt: ctx.clock.now(),
      errors: Math.max(1, issues.count),
    });
    throw isAppError(error) ? error : promotionsError('IMPORT_FAILED', `${message} Nothing was imported.`, { status: 500 });
  }

  if (kind === 'sales' && extras.jobs?.registry.get(forecastRefreshJobName)) {
    const forecastJobId = await extras.jobs.enqueue(forecastRefreshJobName, { organizationId: ctx.organization.id });
    job = await updateJob(ctx, job.id, { result: { ...job.result, forecastRefreshJobId: forecastJobId } });
  }
  return job;
}

/**
 * Imports one or more files of one kind as one job (see runImportJob) and answers the finished
 * data_processing_jobs row; throws a 400 with `details: [{ file, sheet, row, column, message }]` when any row is bad.
 */
export async function importPromotionsFiles(ctx: ServiceContext, request: ImportRequest): Promise<ImportJobRow> {
  const job = await createImportJob(ctx, request);
  return runImportJob(ctx, job.id, request.files, { onProgress: request.onProgress, jobs: request.jobs });
}

export async function getImportJob(ctx: ServiceContext, id: string): Promise<ImportJobRow> {
  if (!z.uuid().safeParse(id).success) throw notFound('Import job', id);
  await failInterruptedJobs(ctx, id);
  const [row] = await ctx.db
    .select()
    .from(dataProcessingJobs)
    .where(and(eq(dataProcessingJobs.id, id), eq(dataProcessingJobs.organizationId, ctx.organization.id)));
  if (!row) throw notFound('Import job', id);
  return row;
}

export async function listImportJobs(
  ctx: ServiceContext,
  query: { limit: number; offset: number; kind?: string; status?: string },
): Promise<{ data: ImportJobRow[]; page: { limit: number; offset: number; total: number } }> {
  await failInterruptedJobs(ctx);
  const conditions: SQL[] = [eq(dataProcessingJobs.organizationId, ctx.organization.id)];
  if (query.kind) conditions.push(eq(dataProcessingJobs.kind, query.kind));
  if (query.status) conditions.push(eq(dataProcessingJobs.status, query.status as ImportJobRow['status']));
  const filter = and(...conditions);
  const data = await ctx.db
    .select()
    .from(dataProcessingJobs)
    .where(filter)
    .orderBy(desc(dataProcessingJobs.createdAt), desc(dataProcessingJobs.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(dataProcessingJobs).where(filter);
  return { data, page: { limit: query.limit, offset: query.offset, total } };
}

/** Queues the forecast refresh after a sales import, when that job exists in this process. */
export function forecastRefreshRegistered(jobs: ImportJobsAccess | undefined): boolean {
  return Boolean(jobs?.registry.get(forecastRefreshJobName));
}
