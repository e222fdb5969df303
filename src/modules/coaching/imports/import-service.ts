import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import type { ProgressReporter } from '../../../core/demo/demo-steps.js';
import { users as coreUsers } from '../../../core/db/schema.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { forbidden, isAppError, notFound } from '../../../core/errors.js';
import { recomputePerformanceHistory, type RecomputeHistoryResult } from '../analytics/history-service.js';
import { importLogs, users } from '../schema.js';
import { describeRole, requireCoachingRole, resolveCoachingViewer, visiblePersonIds, type CoachingViewer } from '../shared/access.js';
import { coachingError } from '../shared/errors.js';
import { importableMetricKeys } from '../shared/metrics.js';
import { aggregateCalls, defaultPerCallDerivation, type CallRecord } from './per-call-derivation.js';
import { perCallWrittenKeys, readMetricsFile, type ParsedMetricsFile, type RowError } from './read-metrics-file.js';

export const importOptionsSchema = z
  .object({
    /** field → header text or column letter, e.g. { "aht": "Handle time (s)", "agent": "B" }. */
    mapping: z.record(z.string().min(1).max(60), z.string().min(1).max(200)).optional(),
    partialSuccess: z.boolean().optional(),
    aggregate: z.enum(['auto', 'per-call', 'daily']).optional(),
    createMissingAgents: z.boolean().optional(),
    dateOrder: z.enum(['dmy', 'mdy']).optional(),
    sheet: z.string().trim().min(1).max(100).optional(),
    /** Per-call files: the service-level target behind adherence_score (see per-call-derivation.ts). */
    speedOfAnswerTargetSeconds: z.number().int().min(1).max(3600).optional(),
  })
  .strict();
export type MetricsImportOptions = z.infer<typeof importOptionsSchema>;

export interface MetricsImportInput {
  file: { name: string; bytes: Uint8Array };
  options?: unknown;
  /** The data directory; the uploaded file is kept under <dataDir>/coaching-imports/<organization>/. */
  dataDir: string;
  onProgress?: ProgressReporter;
}

/** The agents and days an import or rollback changed: what the history recompute needs. */
export interface AffectedRange {
  agentIds: string[];
  from: string;
  to: string;
}

export type ImportLogRow = typeof importLogs.$inferSelect;

export interface ImportLogView {
  id: string;
  fileName: string;
  fileSizeBytes: number | null;
  fileHash: string | null;
  importType: string;
  importedBy: { id: string; name: string };
  status: string;
  totalRows: number | null;
  processedRows: number | null;
  successfulRows: number | null;
  failedRows: number | null;
  skippedRows: number | null;
  startedAt: Date;
  completedAt: Date | null;
  processingTimeSeconds: number | null;
  errorSummary: string | null;
  errorDetails: { row: number | null; column: string | null; error: string; message: string }[];
  rollbackAvailable: boolean;
  rollbackExecutedAt: Date | null;
  rollbackExecutedBy: { id: string; name: string } | null;
  fileStoragePath: string | null;
  createdAt: Date;
}

export interface MetricsImportResult extends ImportLogView {
  shape: 'daily' | 'per-call' | null;
  notes: string[];
  metricRows: { inserted: number; updated: number; unchanged: number };
  createdAgents: { id: string; name: string }[];
  affected: AffectedRange | null;
}

/** error_details keeps this many row errors; the summary says how many there were in all. */
export const maxStoredRowErrors = 200;
const writeBatchRows = 5_000;

const integerColumns = new Set([
  'aht',
  'calls_handled',
  'calls_transferred',
  'calls_escalated',
  'break_time_minutes',
  'lunch_time_minutes',
  'aux_time_minutes',
]);
const metricColumns = importableMetricKeys;
const recordsetColumns = sql.raw(metricColumns.map((c) => `${c} ${integerColumns.has(c) ? 'integer' : 'numeric'}`).join(', '));
const metricColumnList = sql.raw(metricColumns.join(', '));

const ident = (text: string) => text.trim().toLowerCase();

function parseOptions(options: unknown): MetricsImportOptions {
  const parsed = importOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw coachingError(
      'IMPORT_OPTIONS',
      `The import options are not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}.`,
      { status: 400, details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    );
  }
  return parsed.data;
}

/** Admins and managers import; a manager only for their own agents (checked per row). */
async function importViewer(ctx: ServiceContext, action: string): Promise<CoachingViewer> {
  const viewer = await resolveCoachingViewer(ctx);
  requireCoachingRole(viewer, ['ADMIN', 'MANAGER'], action);
  return viewer;
}

/**
 * The coaching person recorded as imported_by (NOT NULL): the viewer's own person; for an organization admin without
 * one, a linked ADMIN person created now; for the CLI and jobs, the organization's oldest ADMIN person, or a clearly
 * named system person when there is none.
 */
export async function resolveImporterPerson(ctx: ServiceContext, viewer: CoachingViewer): Promise<string> {
  if (viewer.personId) return viewer.personId;
  const org = ctx.organization.id;
  if (ctx.actor.userId) {
    const [account] = await ctx.db.select({ name: coreUsers.name, email: coreUsers.email }).from(coreUsers).where(eq(coreUsers.id, ctx.actor.userId));
    const [taken] = account
      ? await ctx.db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.organizationId, org), sql`lower(${users.email}) = ${account.email.toLowerCase()}`, isNull(users.deletedAt)))
      : [];
    const [person] = await ctx.db
      .insert(users)
      .values({
        organizationId: org,
        userId: ctx.actor.userId,
        name: account?.name ?? ctx.actor.label,
        email: taken ? null : (account?.email ?? null),
        role: 'ADMIN',
        createdAt: ctx.clock.now(),
        updatedAt: ctx.clock.now(),
      })
      .returning({ id: users.id });
    return person.id;
  }
  const [oldest] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, org), eq(users.role, 'ADMIN'), isNull(users.deletedAt)))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(1);
  if (oldest) return oldest.id;
  const [system] = await ctx.db
    .insert(users)
    .values({ organizationId: org, name: 'RetailOps imports (system)', role: 'ADMIN', createdAt: ctx.clock.now(), updatedAt: ctx.clock.now() })
    .returning({ id: users.id });
  return system.id;
}

interface AgentMatch {
  id: string | null;
  error?: string;
  create?: boolean;
}

/** Each distinct agent text of the file → an AGENT person of the organization (employee id, e-mail, or exact name). */
async function matchAgents(ctx: ServiceContext, viewer: CoachingViewer, texts: string[], createMissing: boolean): Promise<Map<string, AgentMatch>> {
  const agents = await ctx.db
    .select({ id: users.id, name: users.name, email: users.email, employeeId: users.employeeId })
    .from(users)
    .where(and(eq(users.organizationId, ctx.organization.id), eq(users.role, 'AGENT'), isNull(users.deletedAt)));
  const byEmployee = new Map<string, string>();
  const byEmail = new Map<string, string>();
  const byName = new Map<string, string[]>();
  for (const a of agents) {
    if (a.employeeId) byEmployee.set(ident(a.employeeId), a.id);
    if (a.email) byEmail.set(ident(a.email), a.id);
    byName.set(ident(a.name), [...(byName.get(ident(a.name)) ?? []), a.id]);
  }
  const visible = viewer.seesEverything ? null : new Set(await visiblePersonIds(ctx, viewer));
  const result = new Map<string, AgentMatch>();
  for (const text of texts) {
    const key = ident(text);
    if (result.has(key)) continue;
    const named = byName.get(key) ?? [];
    const id = byEmployee.get(key) ?? byEmail.get(key) ?? (named.length === 1 ? named[0] : null);
    if (!id && named.length > 1) {
      result.set(key, { id: null, error: `${named.length} agents are named "${text}"; use their employee id or e-mail instead` });
    } else if (!id) {
      result.set(
        key,
        createMissing
          ? { id: null, create: true }
          : {
              id: null,
              error: `no agent "${text}" in this organization (matched against employee id, e-mail and name); add the agent under Coaching → People, or import with createMissingAgents`,
            },
      );
    } else if (visible && !visible.has(id)) {
      const name = agents.find((a) => a.id === id)!.name;
      const who = ident(name) === key ? name : `${name} (${text})`;
      result.set(key, {
        id: null,
        error: `${who} is not one of your agents; as ${describeRole(viewer.role)} you can import metrics only for the agents in your part of the hierarchy`,
      });
    } else result.set(key, { id });
  }
  return result;
}

interface DayRecord {
  agentId: string;
  /** The agent as the file names them (for agents created by the import). */
  agentText: string;
  date: string;
  rows: number[];
  values: Record<string, number | null>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Rows → one record per agent-day (daily: the row; per-call: the aggregate of its calls). Row errors for the rest. */
function buildDays(
  parsed: ParsedMetricsFile,
  agentOf: (text: string) => AgentMatch,
  speedTarget: number,
): { days: DayRecord[]; errors: RowError[]; failedRows: Set<number>; brokenDays: number } {
  const errors: RowError[] = [...parsed.rowErrors];
  const failedRows = new Set(parsed.rowErrors.flatMap((e) => (e.row === null ? [] : [e.row])));
  const agentColumn = parsed.sources.agent ? `${parsed.sources.agent.header} (${parsed.sources.agent.letter})` : null;
  const resolved: { row: number; agentId: string; agentText: string; date: string; values?: Record<string, number>; call?: CallRecord }[] = [];
  for (const row of parsed.rows) {
    const match = agentOf(row.agent);
    if (match.error) {
      errors.push({ row: row.row, column: agentColumn, message: match.error });
      failedRows.add(row.row);
      continue;
    }
    resolved.push({ row: row.row, agentId: match.id ?? `new:${ident(row.agent)}`, agentText: row.agent, date: row.date, values: row.values, call: row.call });
  }
  const days = new Map<string, DayRecord & { calls: CallRecord[] }>();
  for (const r of resolved) {
    const key = `${r.agentId}|${r.date}`;
    const day = days.get(key);
    if (parsed.shape === 'daily') {
      if (day) {
        // Two spellings of one agent (name and employee id) on the same day.
        errors.push({
          row: r.row,
          column: agentColumn,
          message: `the same agent and date as row ${day.rows[0]} (named differently); keep one row per agent and day`,
        });
        failedRows.add(r.row);
        continue;
      }
      days.set(key, { agentId: r.agentId, agentText: r.agentText, date: r.date, rows: [r.row], values: r.values!, calls: [] });
    } else if (day) {
      day.rows.push(r.row);
      day.calls.push(r.call!);
    } else days.set(key, { agentId: r.agentId, agentText: r.agentText, date: r.date, rows: [r.row], values: {}, calls: [r.call!] });
  }
  let brokenDays = 0;
  if (parsed.shape === 'per-call') {
    // A day with a broken call would be aggregated from part of its calls: it is not written at all.
    for (const broken of parsed.brokenCallDays) {
      const match = agentOf(broken.agent);
      const key = `${match.id ?? `new:${ident(broken.agent)}`}|${broken.date}`;
      const day = days.get(key);
      if (!day) continue;
      days.delete(key);
      brokenDays++;
      for (const row of day.rows) failedRows.add(row);
    }
    const keys = perCallWrittenKeys(parsed.sources);
    for (const day of days.values()) {
      const all = aggregateCalls(day.calls, { speedOfAnswerTargetSeconds: speedTarget });
      day.values = Object.fromEntries(keys.map((k) => [k, all[k]]));
    }
  }
  return { days: [...days.values()].map(({ calls: _calls, ...d }) => d), errors, failedRows, brokenDays };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  return round2(Number(a)) === round2(Number(b));
}

/** The stored row as the JSON recorded in import_row_changes: metric columns and imported_from, nulls left out. */
function rowJson(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of metricColumns) if (row[c] !== null && row[c] !== undefined) out[c] = Number(row[c]);
  if (row.imported_from !== null && row.imported_from !== undefined) out.imported_from = row.imported_from;
  return out;
}

function formatErrors(errors: RowError[]) {
  return errors.slice(0, maxStoredRowErrors).map((e) => ({ row: e.row, column: e.column, error: e.message, message: e.message }));
}

function summarize(errors: RowError[], failedRows: number, extra: string[]): string | null {
  const parts: string[] = [];
  if (errors.length) {
    const first = errors[0];
    parts.push(
      `${failedRows} row${failedRows === 1 ? '' : 's'} with errors (${errors.length} problem${errors.length === 1 ? '' : 's'}${
        errors.length > maxStoredRowErrors ? `, the first ${maxStoredRowErrors} listed` : ''
      }); first: ${first.row !== null ? `row ${first.row}` : 'the file'}${first.column ? `, ${first.column}` : ''}: ${first.message}.`,
    );
  }
  parts.push(...extra);
  return parts.length ? parts.join(' ') : null;
}

const safeFileName = (name: string) =>
  path
    .basename(name)
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 120) || 'upload';

async function loadLogView(ctx: ServiceContext, id: string): Promise<ImportLogView> {
  const [row] = await ctx.db
    .select()
    .from(importLogs)
    .where(and(eq(importLogs.organizationId, ctx.organization.id), eq(importLogs.id, id)));
  if (!row) throw notFound('Import', id);
  return (await toViews(ctx, [row]))[0];
}

async function toViews(ctx: ServiceContext, rows: ImportLogRow[]): Promise<ImportLogView[]> {
  const ids = [...new Set(rows.flatMap((r) => [r.importedBy, r.rollbackExecutedBy].filter((x): x is string => Boolean(x))))];
  const names = new Map<string, string>();
  if (ids.length) {
    const people = await sqlRows<{ id: string; name: string }>(
      ctx.db,
      sql`SELECT id, name FROM coaching.users WHERE organization_id = ${ctx.organization.id} AND id IN (SELECT value::uuid FROM jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`,
    );
    for (const p of people) names.set(p.id, p.name);
  }
  return rows.map((r) => ({
    id: r.id,
    fileName: r.fileName,
    fileSizeBytes: r.fileSizeBytes,
    fileHash: r.fileHash,
    importType: r.importType,
    importedBy: { id: r.importedBy, name: names.get(r.importedBy) ?? 'unknown' },
    status: r.status,
    totalRows: r.totalRows,
    processedRows: r.processedRows,
    successfulRows: r.successfulRows,
    failedRows: r.failedRows,
    skippedRows: r.skippedRows,
    startedAt: r.startedAt,
    completedAt: r.completedAt,
    processingTimeSeconds: r.processingTimeSeconds,
    errorSummary: r.errorSummary,
    errorDetails: (r.errorDetails ?? []).map((e) => ({
      row: (e.row as number | null) ?? null,
      column: (e.column as string | null) ?? null,
      error: String(e.error ?? e.message ?? ''),
      message: String(e.message ?? e.error ?? ''),
    })),
    rollbackAvailable: r.rollbackAvailable,
    rollbackExecutedAt: r.rollbackExecutedAt,
    rollbackExecutedBy: r.rollbackExecutedBy ? { id: r.rollbackExecutedBy, name: names.get(r.rollbackExecutedBy) ?? 'unknown' } : null,
    fileStoragePath: r.fileStoragePath,
    createdAt: r.createdAt,
  }));
}

function duplicateFileError(earlier: ImportLogRow) {
  return coachingError(
    'IMPORT_DUPLICATE_FILE',
    `This file was already imported on ${earlier.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC as import ${earlier.id} (${earlier.fileName}, ${earlier.status}); nothing was changed. Roll that import back first to import the file again.`,
    { status: 409, details: { importId: earlier.id, fileName: earlier.fileName, importedAt: earlier.startedAt.toISOString(), status: earlier.status } },
  );
}

async function findActiveImportOfHash(ctx: ServiceContext, hash: string): Promise<ImportLogRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(importLogs)
    .where(
      and(
        eq(importLogs.organizationId, ctx.organization.id),
        eq(importLogs.importType, 'METRICS'),
        eq(importLogs.fileHash, hash),
        sql`${importLogs.status} NOT IN ('FAILED', 'ROLLED_BACK')`,
      ),
    )
    .limit(1);
  return row;
}

const isUniqueViolation = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
};

/**
 * Imports one metrics file (daily per-agent rows, or per-call rows aggregated per agent and day) and records it in
 * import_logs. The same file twice → 409. Row errors: without partialSuccess nothing is written (status FAILED);
 * with it the good rows are written (PARTIAL_SUCCESS). All writes, with the previous values of every changed row,
 * happen in one transaction. The caller recomputes the derived history for `affected` (job or recomputeAfterImport).
 */
export async function importMetricsFile(ctx: ServiceContext, input: MetricsImportInput): Promise<MetricsImportResult> {
  const options = parseOptions(input.options);
  const viewer = await importViewer(ctx, 'import metrics');
  if (options.createMissingAgents && !viewer.seesEverything) {
    throw forbidden(
      `As ${describeRole(viewer.role)} you cannot create agents during an import; an admin can, or add the agents under Coaching → People first.`,
    );
  }
  const name = input.file.name.trim() || 'upload';
  if (name.length > 255) throw coachingError('IMPORT_FILE_NAME', `A file name may have at most 255 characters (got ${name.length}).`, { status: 400 });
  const hash = createHash('sha256').update(input.file.bytes).digest('hex');
  const earlier = await findActiveImportOfHash(ctx, hash);
  if (earlier) throw duplicateFileError(earlier);

  const logId = randomUUID();
  const relativePath = path.join('coaching-imports', ctx.organization.id, `${logId}-${safeFileName(name)}`);
  const startedAt = ctx.clock.now();
  let importedBy: string;
  try {
    importedBy = await inTransaction(ctx, async (tx) => {
      const person = await resolveImporterPerson(tx, viewer);
      await tx.db.insert(importLogs).values({
        id: logId,
        organizationId: ctx.organization.id,
        fileName: name,
        fileSizeBytes: input.file.bytes.byteLength,
        fileHash: hash,
        importType: 'METRICS',
        importedBy: person,
        status: 'VALIDATING',
        startedAt,
        createdAt: startedAt,
        fileStoragePath: relativePath,
      });
      return person;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await findActiveImportOfHash(ctx, hash);
      if (winner) throw duplicateFileError(winner);
    }
    throw error;
  }
  const updateLog = (patch: Partial<typeof importLogs.$inferInsert>, db = ctx.db) =>
    db
      .update(importLogs)
      .set(patch)
      .where(and(eq(importLogs.id, logId), eq(importLogs.organizationId, ctx.organization.id)));
  const empty = { shape: null, notes: [] as string[], metricRows: { inserted: 0, updated: 0, unchanged: 0 }, createdAgents: [], affected: null };

  try {
    const target = path.join(input.dataDir, relativePath);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, input.file.bytes);

    input.onProgress?.({ step: 'reading the file', current: 0, total: 1 });
    let parsed: ParsedMetricsFile;
    try {
      parsed = readMetricsFile({ name, bytes: input.file.bytes }, options);
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      await updateLog({
        status: 'FAILED',
        completedAt: ctx.clock.now(),
        totalRows: 0,
        processedRows: 0,
        successfulRows: 0,
        failedRows: 0,
        skippedRows: 0,
        errorSummary: error.message,
        errorDetails: formatErrors([{ row: null, column: null, message: error.message }]) as never,
      });
      return { ...(await loadLogView(ctx, logId)), ...empty };
    }
    if (parsed.fileProblems.length) {
      const problems = parsed.fileProblems.map((message) => ({ row: parsed.headerRow, column: null, message }));
      await updateLog({
        status: 'FAILED',
        completedAt: ctx.clock.now(),
        totalRows: parsed.dataRowCount,
        processedRows: 0,
        successfulRows: 0,
        failedRows: parsed.dataRowCount,
        skippedRows: 0,
        errorSummary: `Nothing was imported: ${parsed.fileProblems.join('; ')}.`,
        errorDetails: formatErrors(problems) as never,
      });
      return { ...(await loadLogView(ctx, logId)), ...empty, shape: parsed.shape, notes: parsed.notes };
    }
    input.onProgress?.({ step: `checking ${parsed.dataRowCount} rows`, current: 0, total: parsed.dataRowCount });
    const matches = await matchAgents(
      ctx,
      viewer,
      [...new Set([...parsed.rows.map((r) => r.agent), ...parsed.brokenCallDays.map((b) => b.agent)])],
      Boolean(options.createMissingAgents),
    );
    const agentOf = (text: string) => matches.get(ident(text)) ?? { id: null, error: `no agent "${text}"` };
    const speedTarget = options.speedOfAnswerTargetSeconds ?? defaultPerCallDerivation.speedOfAnswerTargetSeconds;
    const { days, errors, failedRows, brokenDays } = buildDays(parsed, agentOf, speedTarget);
    const extra = [...parsed.notes];
    if (brokenDays) extra.push(`${brokenDays} agent-day${brokenDays === 1 ? ' was' : 's were'} not written because one of their calls has an error.`);
    if (parsed.shape === 'per-call') {
      extra.push(
        `Per-call rows were aggregated into daily metrics (speed-of-answer target ${speedTarget} s; attendance 100 on a day with calls — the file has no schedule).`,
      );
    }

    if (errors.length && !options.partialSuccess) {
      await updateLog({
        status: 'FAILED',
        completedAt: ctx.clock.now(),
        totalRows: parsed.dataRowCount,
        processedRows: parsed.dataRowCount,
        successfulRows: 0,
        failedRows: failedRows.size,
        skippedRows: 0,
        errorSummary: summarize(errors, failedRows.size, [
          'Nothing was written; fix the rows, or import with partialSuccess to write the good rows.',
          ...extra,
        ]),
        errorDetails: formatErrors(errors) as never,
      });
      return { ...(await loadLogView(ctx, logId)), ...empty, shape: parsed.shape, notes: parsed.notes };
    }

    await updateLog({ status: 'PROCESSING' });
    const outcome = await inTransaction(ctx, (tx) => writeDays(tx, { logId, fileName: name, days, onProgress: input.onProgress }));
    const successfulRows = outcome.writtenRows;
    const skippedRows = outcome.skippedRows;
    const status = errors.length ? 'PARTIAL_SUCCESS' : 'SUCCESS';
    await updateLog({
      status,
      completedAt: ctx.clock.now(),
      totalRows: parsed.dataRowCount,
      processedRows: successfulRows + skippedRows + failedRows.size,
      successfulRows,
      failedRows: failedRows.size,
      skippedRows,
      errorSummary: summarize(errors, failedRows.size, [
        ...(errors.length ? ['The other rows were written (partial success).'] : []),
        ...(outcome.created.length
          ? [`Created ${outcome.created.length} agent${outcome.created.length === 1 ? '' : 's'}: ${outcome.created.map((c) => c.name).join(', ')}.`]
          : []),
        ...extra,
      ]),
      errorDetails: formatErrors(errors) as never,
      rollbackAvailable: outcome.inserted + outcome.updated > 0,
    });
    input.onProgress?.({ step: 'done', current: parsed.dataRowCount, total: parsed.dataRowCount });
    return {
      ...(await loadLogView(ctx, logId)),
      shape: parsed.shape,
      notes: parsed.notes,
      metricRows: { inserted: outcome.inserted, updated: outcome.updated, unchanged: outcome.unchanged },
      createdAgents: outcome.created,
      affected: outcome.affected,
    };
  } catch (error) {
    const message = isAppError(error) && error.status < 500 ? error.message : `the import stopped: ${(error as Error).message}`;
    await updateLog({ status: 'FAILED', completedAt: ctx.clock.now(), errorSummary: `Nothing was written: ${message}`, successfulRows: 0 }).catch(
      () => undefined,
    );
    throw error;
  }
}

interface WriteOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  writtenRows: number;
  skippedRows: number;
  created: { id: string; name: string }[];
  affected: AffectedRange | null;
}

/** Upserts the agent-days and records each change (previous and new values); identical days are skipped. */
async function writeDays(
  ctx: ServiceContext,
  input: { logId: string; fileName: string; days: DayRecord[]; onProgress?: ProgressReporter },
): Promise<WriteOutcome> {
  const org = ctx.organization.id;
  const now = ctx.clock.now();
  const created: { id: string; name: string }[] = [];
  const newIds = new Map<string, string>();
  for (const day of input.days) {
    if (!day.agentId.startsWith('new:') || newIds.has(day.agentId)) continue;
    const text = day.agentText.trim();
    const isEmail = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text);
    const [person] = await ctx.db
      .insert(users)
      .values({ organizationId: org, name: isEmail ? text.split('@')[0] : text, email: isEmail ? text : null, role: 'AGENT', createdAt: now, updatedAt: now })
      .returning({ id: users.id, name: users.name });
    newIds.set(day.agentId, person.id);
    created.push(person);
  }
  const days = input.days.map((d) => (d.agentId.startsWith('new:') ? { ...d, agentId: newIds.get(d.agentId)! } : d));
  if (days.length === 0) return { inserted: 0, updated: 0, unchanged: 0, writtenRows: 0, skippedRows: 0, created, affected: null };

  const agentIds = [...new Set(days.map((d) => d.agentId))];
  const dates = days.map((d) => d.date).sort();
  const from = dates[0];
  const to = dates[dates.length - 1];
  const existing = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT agent_id, metric_date::text AS metric_date, ${metricColumnList}, imported_from FROM coaching.performance_metrics
        WHERE organization_id = ${org} AND metric_date BETWEEN ${from}::date AND ${to}::date
          AND agent_id IN (SELECT value::uuid FROM jsonb_array_elements_text(${JSON.stringify(agentIds)}::jsonb))`,
  );
  const stored = new Map(existing.map((r) => [`${r.agent_id as string}|${r.metric_date as string}`, r]));

  const writes: {
    agent_id: string;
    metric_date: string;
    row: Record<string, unknown>;
    action: 'INSERTED' | 'UPDATED';
    previous: Record<string, unknown> | null;
  }[] = [];
  let unchanged = 0;
  let skippedRows = 0;
  let writtenRows = 0;
  for (const day of days) {
    const previous = stored.get(`${day.agentId}|${day.date}`);
    if (previous && Object.entries(day.values).every(([k, v]) => sameValue(previous[k], v))) {
      unchanged++;
      skippedRows += day.rows.length;
      continue;
    }
    writtenRows += day.rows.length;
    const merged: Record<string, unknown> = {};
    for (const c of metricColumns) merged[c] = c in day.values ? day.values[c] : previous ? (previous[c] ?? null) : null;
    merged.imported_from = input.fileName;
    writes.push({
      agent_id: day.agentId,
      metric_date: day.date,
      row: merged,
      action: previous ? 'UPDATED' : 'INSERTED',
      previous: previous ? rowJson(previous) : null,
    });
  }

  for (let i = 0; i < writes.length; i += writeBatchRows) {
    const batch = writes.slice(i, i + writeBatchRows);
    const metricsJson = JSON.stringify(batch.map((w) => ({ agent_id: w.agent_id, metric_date: w.metric_date, ...w.row })));
    await ctx.db.execute(sql`
      INSERT INTO coaching.performance_metrics (organization_id, agent_id, metric_date, ${metricColumnList}, imported_from, created_at, updated_at)
      SELECT ${org}::uuid, r.agent_id, r.metric_date, ${sql.raw(metricColumns.map((c) => `r.${c}`).join(', '))}, r.imported_from, ${now}::timestamptz, ${now}::timestamptz
      FROM json_to_recordset(${metricsJson}::json) AS r(agent_id uuid, metric_date date, ${recordsetColumns}, imported_from varchar)
      ON CONFLICT (organization_id, agent_id, metric_date) DO UPDATE SET
        ${sql.raw(metricColumns.map((c) => `${c} = EXCLUDED.${c}`).join(', '))}, imported_from = EXCLUDED.imported_from`);
    const changesJson = JSON.stringify(
      batch.map((w) => ({ agent_id: w.agent_id, metric_date: w.metric_date, action: w.action, previous_values: w.previous, new_values: rowJson(w.row) })),
    );
    await ctx.db.execute(sql`
      INSERT INTO coaching.import_row_changes (organization_id, import_log_id, agent_id, metric_date, action, previous_values, new_values, created_at)
      SELECT ${org}::uuid, ${input.logId}::uuid, r.agent_id, r.metric_date, r.action, r.previous_values, r.new_values, ${now}::timestamptz
      FROM json_to_recordset(${changesJson}::json) AS r(agent_id uuid, metric_date date, action varchar, previous_values jsonb, new_values jsonb)`);
    input.onProgress?.({ step: 'writing daily metrics', current: Math.min(i + writeBatchRows, writes.length), total: writes.length });
  }
  const changed = writes.map((w) => w.metric_date).sort();
  return {
    inserted: writes.filter((w) => w.action === 'INSERTED').length,
    updated: writes.filter((w) => w.action === 'UPDATED').length,
    unchanged,
    writtenRows,
    skippedRows,
    created,
    affected: writes.length ? { agentIds: [...new Set(writes.map((w) => w.agent_id))], from: changed[0], to: changed[changed.length - 1] } : null,
  };
}

/** Recomputes the derived history (performance_history) right here: for the CLI without a worker, and for tests. */
export async function recomputeAfterImport(ctx: ServiceContext, affected: AffectedRange | null): Promise<RecomputeHistoryResult | null> {
  if (!affected) return null;
  return recomputePerformanceHistory(ctx, affected);
}

/** Who may see an import log: admins all; a manager the imports they made. Team leaders and agents: 403. */
async function logsViewer(ctx: ServiceContext): Promise<CoachingViewer> {
  const viewer = await resolveCoachingViewer(ctx);
  requireCoachingRole(viewer, ['ADMIN', 'MANAGER'], 'see metric imports');
  return viewer;
}

export async function listImports(ctx: ServiceContext, query: { status?: string; limit?: number; offset?: number } = {}) {
  const viewer = await logsViewer(ctx);
  const conditions = [eq(importLogs.organizationId, ctx.organization.id)];
  if (!viewer.seesEverything) conditions.push(eq(importLogs.importedBy, viewer.personId!));
  if (query.status) conditions.push(eq(importLogs.status, query.status as ImportLogRow['status']));
  const [{ total }] = await ctx.db
    .select({ total: count() })
    .from(importLogs)
    .where(and(...conditions));
  const rows = await ctx.db
    .select()
    .from(importLogs)
    .where(and(...conditions))
    .orderBy(desc(importLogs.startedAt), desc(importLogs.id))
    .limit(query.limit ?? 50)
    .offset(query.offset ?? 0);
  return { items: await toViews(ctx, rows), total };
}

/** The import of this organization (404 otherwise), if the viewer may see it: 403 for team leaders and agents, 404 for a manager's view of someone else's import. */
async function loadVisibleLog(ctx: ServiceContext, id: string, action: string): Promise<{ viewer: CoachingViewer; log: ImportLogRow }> {
  const viewer = await resolveCoachingViewer(ctx);
  const [row] = z.uuid().safeParse(id).success
    ? await ctx.db
        .select()
        .from(importLogs)
        .where(and(eq(importLogs.organizationId, ctx.organization.id), eq(importLogs.id, id)))
    : [];
  if (!row) throw notFound('Import', id);
  requireCoachingRole(viewer, ['ADMIN', 'MANAGER'], action);
  if (!viewer.seesEverything && row.importedBy !== viewer.personId) throw notFound('Import', id);
  return { viewer, log: row };
}

/** A later, still-active import that changed one of the rows of this import (rollback must wait for it). */
async function laterImportOnSameRows(ctx: ServiceContext, log: ImportLogRow) {
  const [row] = await sqlRows<{ id: string; file_name: string; started_at: string; status: string; rows: number }>(
    ctx.db,
    sql`SELECT l.id, l.file_name, l.started_at::text AS started_at, l.status, count(*)::int AS rows
        FROM coaching.import_row_changes mine
        JOIN coaching.import_row_changes theirs ON theirs.organization_id = mine.organization_id AND theirs.agent_id = mine.agent_id
          AND theirs.metric_date = mine.metric_date AND theirs.import_log_id <> mine.import_log_id
        JOIN coaching.import_logs l ON l.id = theirs.import_log_id
        WHERE mine.import_log_id = ${log.id} AND mine.organization_id = ${ctx.organization.id}
          AND l.status IN ('SUCCESS', 'PARTIAL_SUCCESS', 'PROCESSING')
          AND (l.started_at > ${log.startedAt.toISOString()}::timestamptz OR (l.started_at = ${log.startedAt.toISOString()}::timestamptz AND l.id > ${log.id}))
        GROUP BY l.id, l.file_name, l.started_at, l.status
        ORDER BY l.started_at DESC, l.id DESC
        LIMIT 1`,
  );
  return row ?? null;
}

export async function getImport(ctx: ServiceContext, id: string) {
  const { log } = await loadVisibleLog(ctx, id, 'see metric imports');
  const [summary] = await sqlRows<{ inserted: number; updated: number; agents: number; from: string | null; to: string | null }>(
    ctx.db,
    sql`SELECT count(*) FILTER (WHERE action = 'INSERTED')::int AS inserted, count(*) FILTER (WHERE action = 'UPDATED')::int AS updated,
               count(DISTINCT agent_id)::int AS agents, min(metric_date)::text AS "from", max(metric_date)::text AS "to"
        FROM coaching.import_row_changes WHERE import_log_id = ${log.id} AND organization_id = ${ctx.organization.id}`,
  );
  const blocker = log.status === 'SUCCESS' || log.status === 'PARTIAL_SUCCESS' ? await laterImportOnSameRows(ctx, log) : null;
  return {
    ...(await toViews(ctx, [log]))[0],
    rowChanges: summary,
    rollbackBlockedBy: blocker ? { id: blocker.id, fileName: blocker.file_name, startedAt: new Date(blocker.started_at), rows: blocker.rows } : null,
  };
}

/**
 * Undoes an import: every row it updated gets its previous values back, every row it inserted is deleted. Refused
 * (409) while a later import that changed the same rows is still in place — roll that one back first.
 */
export async function rollbackImport(
  ctx: ServiceContext,
  id: string,
): Promise<ImportLogView & { affected: AffectedRange | null; restored: number; deleted: number }> {
  const { viewer, log } = await loadVisibleLog(ctx, id, 'roll back metric imports');
  if (log.status === 'ROLLED_BACK') {
    throw coachingError(
      'IMPORT_ALREADY_ROLLED_BACK',
      `Import ${log.id} (${log.fileName}) was already rolled back on ${log.rollbackExecutedAt?.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
      { status: 409 },
    );
  }
  if (log.status !== 'SUCCESS' && log.status !== 'PARTIAL_SUCCESS') {
    throw coachingError('IMPORT_NOT_ROLLBACKABLE', `Import ${log.id} (${log.fileName}) is ${log.status}: it wrote nothing, so there is nothing to roll back.`, {
      status: 409,
    });
  }
  const blocker = await laterImportOnSameRows(ctx, log);
  if (blocker) {
    throw coachingError(
      'IMPORT_ROLLBACK_BLOCKED',
      `Import ${blocker.id} (${blocker.file_name}, ${blocker.started_at.slice(0, 16)}) changed ${blocker.rows} of the same agent-days later; roll that import back first, then this one.`,
      { status: 409, details: { blockingImportId: blocker.id, fileName: blocker.file_name, startedAt: blocker.started_at, rows: blocker.rows } },
    );
  }
  const org = ctx.organization.id;
  const result = await inTransaction(ctx, async (tx) => {
    const by = await resolveImporterPerson(tx, viewer);
    // Lock the log: two rollbacks of one import at once must not both run.
    const [locked] = await sqlRows<{ status: string }>(tx.db, sql`SELECT status FROM coaching.import_logs WHERE id = ${log.id} FOR UPDATE`);
    if (locked.status !== log.status)
      throw coachingError('IMPORT_ALREADY_ROLLED_BACK', `Import ${log.id} changed status to ${locked.status} meanwhile.`, { status: 409 });
    const [range] = await sqlRows<{ agents: string[] | null; from: string | null; to: string | null }>(
      tx.db,
      sql`SELECT array_agg(DISTINCT agent_id::text) AS agents, min(metric_date)::text AS "from", max(metric_date)::text AS "to"
          FROM coaching.import_row_changes WHERE import_log_id = ${log.id} AND organization_id = ${org}`,
    );
    const restored = await tx.db.execute(sql`
      UPDATE coaching.performance_metrics m SET
        ${sql.raw(metricColumns.map((c) => `${c} = p.${c}`).join(', '))}, imported_from = p.imported_from
      FROM coaching.import_row_changes c, jsonb_populate_record(NULL::coaching.performance_metrics, c.previous_values) p
      WHERE c.import_log_id = ${log.id} AND c.organization_id = ${org} AND c.action = 'UPDATED'
        AND m.organization_id = c.organization_id AND m.agent_id = c.agent_id AND m.metric_date = c.metric_date`);
    const deleted = await tx.db.execute(sql`
      DELETE FROM coaching.performance_metrics m USING coaching.import_row_changes c
      WHERE c.import_log_id = ${log.id} AND c.organization_id = ${org} AND c.action = 'INSERTED'
        AND m.organization_id = c.organization_id AND m.agent_id = c.agent_id AND m.metric_date = c.metric_date`);
    await tx.db
      .update(importLogs)
      .set({ status: 'ROLLED_BACK', rollbackExecutedAt: ctx.clock.now(), rollbackExecutedBy: by, rollbackAvailable: false })
      .where(eq(importLogs.id, log.id));
    const affectedCount = (r: unknown) =>
      Number((r as { affectedRows?: number; rowCount?: number }).affectedRows ?? (r as { rowCount?: number }).rowCount ?? 0);
    return {
      restored: affectedCount(restored),
      deleted: affectedCount(deleted),
      affected: range.agents?.length ? { agentIds: range.agents, from: range.from!, to: range.to! } : null,
    };
  });
  return { ...(await loadLogView(ctx, log.id)), ...result };
}
