import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors.js';
import type { Db } from '../../core/db/connection.js';
import {
  evaluateDateRange,
  formatBacktestReport,
  getStoreSnapshots,
  importKinds,
  importStoreHealthFile,
  runBacktest,
  type ImportKind,
} from '../../modules/store-health/index.js';
import { isIsoDate } from '../../modules/store-health/shared/dates.js';
import type { Operation, OperationEnv } from '../operation.js';
import { cliServiceContext } from './user.js';

function requireDate(value: unknown, flag: string): string {
  if (typeof value !== 'string' || !isIsoDate(value)) throw new AppError('VALIDATION_FAILED', `${flag} must be a date like 2026-03-02 (got ${String(value)}).`);
  return value;
}

function dateRangeArgs(args: Record<string, unknown>): { from: string; to: string } {
  if (args.date) {
    const date = requireDate(args.date, '--date');
    return { from: date, to: date };
  }
  if (!args.from || !args.to) throw new AppError('VALIDATION_FAILED', 'Give --date D, or --from D and --to D.');
  return { from: requireDate(args.from, '--from'), to: requireDate(args.to, '--to') };
}

async function context(env: OperationEnv, org: unknown) {
  if (!org) throw new AppError('VALIDATION_FAILED', 'Name the organization with --org SLUG (see `retailops db info`).');
  return cliServiceContext(env, env.database.db as Db, String(org));
}

/** Imports a CSV/XLSX file, then re-evaluates the days whose values changed, here and now. */
export const storeHealthImportOperation: Operation = async (env, args) => {
  const kind = String(args.kind) as ImportKind;
  if (!importKinds.includes(kind)) throw new AppError('VALIDATION_FAILED', `Unknown import kind "${kind}"; use one of ${importKinds.join(', ')}.`);
  const file = String(args.file);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new AppError('FILE_NOT_READABLE', `Cannot read ${file}: ${(error as Error).message}`);
  }
  const ctx = await context(env, args.org);
  const result = await importStoreHealthFile(ctx, { kind, fileName: path.basename(file), bytes, onProgress: env.progress });
  const evaluation = result.changedDates ? await evaluateDateRange(ctx, { ...result.changedDates, ai: env.ai, onProgress: env.progress }) : null;
  return { ...result, evaluation };
};

export const storeHealthEvaluateOperation: Operation = async (env, args) => {
  const ctx = await context(env, args.org);
  return evaluateDateRange(ctx, { ...dateRangeArgs(args), ai: env.ai, onProgress: env.progress });
};

export const storeHealthStatusOperation: Operation = async (env, args) => {
  const ctx = await context(env, args.org);
  return getStoreSnapshots(ctx, requireDate(args.date, '--date'));
};

export const storeHealthBacktestOperation: Operation = async (env, args) => {
  const ctx = await context(env, args.org);
  const report = await runBacktest(ctx, { ...dateRangeArgs(args), horizonDays: args.horizon === undefined ? undefined : Number(args.horizon) });
  return { report, text: formatBacktestReport(report) };
};
