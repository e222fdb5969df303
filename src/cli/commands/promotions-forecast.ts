import type { Db } from '../../core/db/connection.js';
import { AppError } from '../../core/errors.js';
import { formatBacktestText, runForecastBacktest } from '../../modules/promotions/forecasting/backtest.js';
import { writeBaselineForecasts } from '../../modules/promotions/forecasting/baseline.js';
import type { Operation } from '../operation.js';
import { cliServiceContext } from './user.js';

function wholeNumber(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new AppError('VALIDATION_FAILED', `${flag} must be a whole number (got ${String(value)}).`);
  return n;
}

/** `retailops promotions backtest --org SLUG [--horizon 28 --folds 4]`: runs and keeps the backtest, refreshes the stored baseline. */
export const promotionsBacktestOperation: Operation = async (env, args) => {
  if (!args.org) throw new AppError('VALIDATION_FAILED', 'Name the organization with --org SLUG (see `retailops db info`).');
  const ctx = await cliServiceContext(env, env.database.db as Db, String(args.org));
  const run = await runForecastBacktest(
    ctx,
    { horizon: wholeNumber(args.horizon, '--horizon'), folds: wholeNumber(args.folds, '--folds') },
    { onProgress: env.progress },
  );
  const stored = await writeBaselineForecasts(ctx);
  return { run, storedForecasts: stored, text: `${formatBacktestText(run)}\nStored baseline: ${stored.rows} rows (trained through ${stored.trainedThrough}).` };
};
