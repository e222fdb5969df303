import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors.js';
import type { Db } from '../../core/db/connection.js';
import { enqueueJob } from '../../core/jobs/index.js';
import { importKinds, type ImportKind } from '../../modules/promotions/imports/fields.js';
import { importPromotionsFiles, type ImportOptions } from '../../modules/promotions/imports/import-service.js';
import type { Operation } from '../operation.js';
import { cliServiceContext } from './user.js';

/** ["channel=online", "date=Order Date"] → { channel: "online", date: "Order Date" }. */
function fieldPairs(values: unknown, flag: string): Record<string, string> | undefined {
  const list = Array.isArray(values) ? values.map(String) : values ? [String(values)] : [];
  if (list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf('=');
    if (at <= 0) throw new AppError('VALIDATION_FAILED', `${flag} takes field=value (e.g. ${flag} date="Order Date"); got "${item}".`);
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return out;
}

/** `retailops import promotions <kind> FILE…`: one job for all files, written whole or not at all. */
export const promotionsImportOperation: Operation = async (env, args) => {
  const kind = String(args.kind) as ImportKind;
  if (!importKinds.includes(kind)) throw new AppError('VALIDATION_FAILED', `Unknown import kind "${kind}"; use one of ${importKinds.join(', ')}.`);
  if (!args.org) throw new AppError('VALIDATION_FAILED', 'Name the organization with --org SLUG (see `retailops db info`).');
  const paths = (Array.isArray(args.files) ? args.files : [args.files]).filter(Boolean).map(String);
  if (paths.length === 0) throw new AppError('VALIDATION_FAILED', 'Name at least one .xlsb, .xlsx or .csv file.');
  const files = paths.map((file) => {
    try {
      return { name: path.basename(file), bytes: readFileSync(file) };
    } catch (error) {
      throw new AppError('FILE_NOT_READABLE', `Cannot read ${file}: ${(error as Error).message}`);
    }
  });
  const dateOrder = args.dateOrder ? String(args.dateOrder) : undefined;
  if (dateOrder && dateOrder !== 'dmy' && dateOrder !== 'mdy') throw new AppError('VALIDATION_FAILED', `--date-order is dmy or mdy (got ${dateOrder}).`);
  const options: ImportOptions = {
    map: fieldPairs(args.map, '--map'),
    set: fieldPairs(args.set, '--set'),
    sheet: args.sheet ? String(args.sheet) : undefined,
    dateOrder: dateOrder as ImportOptions['dateOrder'],
    aggregate: args.aggregate ? true : undefined,
  };
  const ctx = await cliServiceContext(env, env.database.db as Db, String(args.org));
  let job: Awaited<ReturnType<typeof importPromotionsFiles>>;
  try {
    job = await importPromotionsFiles(ctx, {
      kind,
      files,
      options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
      onProgress: env.progress,
      jobs: { registry: env.jobRegistry, enqueue: (name, data, opts) => enqueueJob(env.database, env.jobRegistry, name, data, opts) },
    });
  } catch (error) {
    // The CLI prints each detail as "path: message"; say where in the files each problem is.
    if (error instanceof AppError && Array.isArray(error.details)) {
      const details = (error.details as { file: string; sheet: string | null; row: number | null; column: string | null; message: string }[]).map((d) => ({
        ...d,
        path: [d.file, d.sheet ? `sheet ${d.sheet}` : null, d.row ? `row ${d.row}` : null, d.column ? `column ${d.column}` : null].filter(Boolean).join(', '),
      }));
      throw new AppError(error.code, error.message, { status: error.status, details });
    }
    throw error;
  }
  const r = (job.result ?? {}) as Record<string, unknown>;
  const range = r.dateRange as { from: string; to: string } | null;
  const lines = [
    `Import ${job.jobId} (${kind}): ${files.length} file${files.length === 1 ? '' : 's'}, ${String(r.linesRead ?? job.recordsRead)} rows read, ${job.recordsProcessed} records — ${String(r.inserted)} inserted, ${String(r.updated)} updated, ${String(r.unchanged)} unchanged${r.replaced ? `, ${String(r.replaced)} replaced` : ''}.`,
    ...(range
      ? [`Dates ${range.from} … ${range.to}${(r.departments as string[])?.length ? `; departments: ${(r.departments as string[]).join(', ')}` : ''}.`]
      : []),
    ...((r.notes as string[]) ?? []),
    ...(r.forecastRefreshJobId ? [`Forecast refresh queued (${String(r.forecastRefreshJobId)}).`] : []),
  ];
  return { ...job, text: lines.join('\n') };
};
