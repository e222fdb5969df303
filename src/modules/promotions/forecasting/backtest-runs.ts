import { and, desc, eq, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import type { ProgressEvent } from '../../../core/demo/demo-steps.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { isAppError } from '../../../core/errors.js';
import { forecastBacktests } from '../schema.js';
import { promotionsError } from '../shared/errors.js';
import { getBacktest, runForecastBacktest, type BacktestInput, type BacktestRun } from './backtest.js';
import { writeBaselineForecasts } from './baseline.js';

/**
 * Progress of a backtest started over HTTP, kept in `parameters.progress` of its row: `current` of `total` series done,
 * `series` the one being fitted ("TV|online"); step `backtest`, then `forecasts` (stored forecasts refreshed), then `done`.
 */
export interface BacktestProgress {
  step: 'starting' | 'backtest' | 'forecasts' | 'done';
  current: number;
  total: number;
  series: string | null;
  at: string;
}

/** A `running` row older than this is taken for one whose process died, and marked failed. */
export const staleRunMs = 2 * 60 * 60 * 1000;

/** Organizations whose backtest this process is starting or running (the row may not exist yet). */
const activeByOrganization = new Map<string, Promise<void>>();

/** The organization's running backtest, if any (marking runs older than `staleRunMs` failed first). */
async function runningBacktest(ctx: ServiceContext) {
  const conditions = [eq(forecastBacktests.organizationId, ctx.organization.id), eq(forecastBacktests.status, 'running')];
  const rows = await ctx.db
    .select({ id: forecastBacktests.id, startedAt: forecastBacktests.startedAt })
    .from(forecastBacktests)
    .where(and(...conditions))
    .orderBy(desc(forecastBacktests.startedAt));
  const now = ctx.clock.now().getTime();
  const stale = rows.filter((r) => now - r.startedAt.getTime() > staleRunMs);
  for (const r of stale) {
    await ctx.db
      .update(forecastBacktests)
      .set({
        status: 'failed',
        errorMessage: 'The backtest was interrupted (still running after 2 hours: its server process probably stopped).',
        completedAt: ctx.clock.now(),
      })
      .where(and(eq(forecastBacktests.id, r.id), eq(forecastBacktests.status, 'running')));
  }
  return rows.find((r) => !stale.includes(r)) ?? null;
}

function alreadyRunning(id: string | null, startedAt?: Date): Error {
  return promotionsError(
    'BACKTEST_RUNNING',
    id
      ? `Backtest ${id} is still running for this organization (started ${startedAt?.toISOString() ?? 'just now'}); wait for it to finish (GET /api/promotions/backtests/${id}).`
      : 'A backtest is just starting for this organization; wait for it to finish.',
    { status: 409, details: id ? { runningId: id } : undefined },
  );
}

/**
 * Starts a backtest in the background of this process and answers with its `running` row as soon as it is stored.
 * Bad input or a history that cannot be backtested rejects here (4xx); a second start while one runs for the
 * organization rejects with 409 naming it. The run writes its progress into the row; when it completes, the stored
 * forecasts are refreshed with the models it chose. `settled` resolves when all of that is over (tests, shutdown).
 */
export async function startBacktestRun(ctx: ServiceContext, input: BacktestInput = {}): Promise<{ run: BacktestRun; settled: Promise<void> }> {
  if (activeByOrganization.has(ctx.organization.id)) {
    const running = await runningBacktest(ctx);
    throw alreadyRunning(running?.id ?? null, running?.startedAt);
  }
  let finish!: () => void;
  const settled = new Promise<void>((resolve) => (finish = resolve));
  activeByOrganization.set(ctx.organization.id, settled);
  try {
    const running = await runningBacktest(ctx);
    if (running) throw alreadyRunning(running.id, running.startedAt);
    const names = (
      await sqlRows<{ department: string; channel: string }>(
        ctx.db,
        // The order loadDailySeries gives the series in, so progress event k names series k.
        sql`select distinct department, channel from promotions.sales_aggregated where organization_id = ${ctx.organization.id} order by department, channel`,
      )
    ).map((r) => `${r.department}|${r.channel}`);

    let rowId: string | null = null;
    let writes = Promise.resolve();
    let pending: BacktestProgress | null = null;
    const writeProgress = (progress: BacktestProgress) => {
      pending = progress;
      writes = writes.then(async () => {
        if (!rowId || !pending) return;
        const next = pending;
        pending = null;
        await ctx.db
          .update(forecastBacktests)
          .set({ parameters: sql`${forecastBacktests.parameters} || ${JSON.stringify({ progress: next })}::jsonb` })
          .where(eq(forecastBacktests.id, rowId));
      });
      return writes;
    };
    const onProgress = (event: ProgressEvent) =>
      void writeProgress({
        step: 'backtest',
        current: event.current,
        total: event.total,
        series: names[event.current] ?? null,
        at: ctx.clock.now().toISOString(),
      }).catch((error: unknown) => ctx.log.warn({ err: error }, 'could not store the backtest progress'));

    // runForecastBacktest checks the input and the history, then stores its `running` row and says so: wait for either.
    let announceStarted!: (run: BacktestRun) => void;
    const startedRow = new Promise<BacktestRun>((resolve) => (announceStarted = resolve));
    const work = runForecastBacktest(ctx, input, { onProgress, onStarted: (run) => announceStarted(run) });
    const row = await Promise.race([startedRow, work]);
    rowId = row.id;
    const total = names.length;
    await writeProgress({ step: 'starting', current: 0, total, series: names[0] ?? null, at: ctx.clock.now().toISOString() });
    const started = await getBacktest(ctx, row.id);

    void (async () => {
      try {
        const failure = await work.then(
          () => null,
          (error: unknown) => ({ error }),
        );
        await writes;
        if (failure) {
          // runForecastBacktest has stored the row as failed with the message.
          if (!isAppError(failure.error) || failure.error.status >= 500)
            ctx.log.error({ err: failure.error, backtest: rowId }, 'background promotions backtest failed');
          return;
        }
        await writeProgress({ step: 'forecasts', current: total, total, series: null, at: ctx.clock.now().toISOString() });
        try {
          await writeBaselineForecasts(ctx);
          await writeProgress({ step: 'done', current: total, total, series: null, at: ctx.clock.now().toISOString() });
        } catch (error) {
          ctx.log.error({ err: error, backtest: rowId }, 'refreshing the stored forecasts after a backtest failed');
          await ctx.db
            .update(forecastBacktests)
            .set({ errorMessage: `The backtest completed, but refreshing the stored forecasts failed: ${(error as Error).message}`.slice(0, 1000) })
            .where(eq(forecastBacktests.id, row.id));
          await writeProgress({ step: 'done', current: total, total, series: null, at: ctx.clock.now().toISOString() });
        }
      } catch (error) {
        ctx.log.error({ err: error, backtest: rowId }, 'background promotions backtest bookkeeping failed');
      } finally {
        activeByOrganization.delete(ctx.organization.id);
        finish();
      }
    })();
    return { run: started, settled };
  } catch (error) {
    activeByOrganization.delete(ctx.organization.id);
    finish();
    throw error;
  }
}

/** The background run of the organization started by this process, if any (resolves when it is over). */
export function backtestInProgress(organizationId: string): Promise<void> | null {
  return activeByOrganization.get(organizationId) ?? null;
}
