import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors.js';
import type { Db } from '../../core/db/connection.js';
import {
  importMetricsFile,
  listImports,
  recomputeAfterImport,
  rollbackImport,
  type MetricsImportResult,
} from '../../modules/coaching/imports/import-service.js';
import type { Operation } from '../operation.js';
import { cliServiceContext } from './user.js';

function requireOrg(args: Record<string, unknown>): string {
  if (!args.org) throw new AppError('VALIDATION_FAILED', 'Name the organization with --org SLUG (see `retailops db info`).');
  return String(args.org);
}

/** "field=column" pairs of --map into the mapping option. */
function mappingOf(values: unknown): Record<string, string> | undefined {
  const list = Array.isArray(values) ? values.map(String) : values ? [String(values)] : [];
  if (list.length === 0) return undefined;
  const mapping: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf('=');
    if (at <= 0) throw new AppError('VALIDATION_FAILED', `--map takes field=column (e.g. --map aht="Handle time"); got "${item}".`);
    mapping[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return mapping;
}

function describeImport(r: MetricsImportResult): string[] {
  return [
    `Import ${r.id} of ${r.fileName} (${r.shape ?? 'unread'}): ${r.status} — ${r.totalRows ?? 0} rows, ${r.successfulRows ?? 0} written, ${r.skippedRows ?? 0} unchanged, ${r.failedRows ?? 0} with errors.`,
    ...(r.metricRows.inserted + r.metricRows.updated + r.metricRows.unchanged > 0
      ? [`Daily metric rows: ${r.metricRows.inserted} inserted, ${r.metricRows.updated} updated, ${r.metricRows.unchanged} unchanged.`]
      : []),
    ...(r.createdAgents.length ? [`Created agents: ${r.createdAgents.map((a) => a.name).join(', ')}.`] : []),
    ...r.notes,
  ];
}

/** `retailops import coaching metrics FILE`: one import log; history recomputed here for the agents and days it changed. */
export const coachingImportOperation: Operation = async (env, args) => {
  if (String(args.kind) !== 'metrics') throw new AppError('VALIDATION_FAILED', `Coaching imports "metrics" files; got "${String(args.kind)}".`);
  const org = requireOrg(args);
  const file = String(args.file ?? '');
  let bytes: Buffer;
  try {
    if (statSync(file).size === 0) throw new Error('the file is empty');
    bytes = readFileSync(file);
  } catch (error) {
    throw new AppError('FILE_NOT_READABLE', `Cannot read ${file}: ${(error as Error).message}`);
  }
  const aggregate = args.aggregate ? String(args.aggregate) : undefined;
  if (aggregate && !['auto', 'per-call', 'daily'].includes(aggregate))
    throw new AppError('VALIDATION_FAILED', `--aggregate is auto, per-call or daily (got ${aggregate}).`);
  const options = Object.fromEntries(
    Object.entries({
      partialSuccess: args.partial ? true : undefined,
      aggregate,
      createMissingAgents: args.createAgents ? true : undefined,
      mapping: mappingOf(args.map),
      sheet: args.sheet ? String(args.sheet) : undefined,
      dateOrder: args.dateOrder ? String(args.dateOrder) : undefined,
    }).filter(([, v]) => v !== undefined),
  );
  const ctx = await cliServiceContext(env, env.database.db as Db, org);
  const result = await importMetricsFile(ctx, { file: { name: path.basename(file), bytes }, options, dataDir: env.config.dataDir, onProgress: env.progress });
  if (result.status === 'FAILED') {
    throw new AppError('COACHING_IMPORT_FAILED', `${describeImport(result).join('\n')}\n${result.errorSummary ?? ''}`, {
      status: 422,
      details: result.errorDetails.map((e) => ({
        path: [result.fileName, e.row !== null ? `row ${e.row}` : null, e.column].filter(Boolean).join(', '),
        message: e.message,
      })),
    });
  }
  env.progress({ step: 'recomputing history', current: 0, total: 1 });
  const history = await recomputeAfterImport(ctx, result.affected);
  const lines = [
    ...describeImport(result),
    ...(result.status === 'PARTIAL_SUCCESS'
      ? [`Rows with errors (not written):`, ...result.errorDetails.map((e) => `  row ${e.row ?? '-'}${e.column ? `, ${e.column}` : ''}: ${e.message}`)]
      : []),
    ...(history ? [`History recomputed: ${history.agents} agents, ${history.periodsWritten} periods written, ${history.periodsRemoved} removed.`] : []),
    `Roll it back with: retailops coaching rollback ${result.id} --org ${org}`,
  ];
  return { ...result, history, text: lines.join('\n') };
};

export const coachingImportsListOperation: Operation = async (env, args) => {
  const ctx = await cliServiceContext(env, env.database.db as Db, requireOrg(args));
  const list = await listImports(ctx, { limit: args.limit ? Number(args.limit) : 20 });
  const lines = list.items.map(
    (i) =>
      `${i.id}  ${i.startedAt.toISOString().slice(0, 16).replace('T', ' ')}  ${i.status.padEnd(15)} ${String(i.successfulRows ?? 0).padStart(7)} written ${String(i.failedRows ?? 0).padStart(5)} failed  ${i.fileName}  (${i.importedBy.name})`,
  );
  return { ...list, text: lines.length ? [`${list.total} import(s), newest first:`, ...lines].join('\n') : 'No metric imports yet.' };
};

export const coachingRollbackOperation: Operation = async (env, args) => {
  const ctx = await cliServiceContext(env, env.database.db as Db, requireOrg(args));
  const result = await rollbackImport(ctx, String(args.id));
  const history = await recomputeAfterImport(ctx, result.affected);
  return {
    ...result,
    history,
    text: [
      `Import ${result.id} (${result.fileName}) rolled back: ${result.restored} rows restored to their previous values, ${result.deleted} inserted rows deleted.`,
      ...(history ? [`History recomputed: ${history.periodsWritten} periods written, ${history.periodsRemoved} removed.`] : []),
    ].join('\n'),
  };
};
