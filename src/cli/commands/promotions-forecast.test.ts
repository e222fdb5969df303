import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../core/clock.js';
import { systemActor } from '../../core/context.js';
import type { ProgressEvent } from '../../core/demo/demo-steps.js';
import { createLogger } from '../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../core/testing/test-database.js';
import { createOrganization } from '../../core/tenancy/organizations-service.js';
import { insertSyntheticSales, syntheticDays } from '../../modules/promotions/forecasting/synthetic-sales.js';
import type { OperationEnv } from '../operation.js';
import { promotionsBacktestOperation } from './promotions-forecast.js';

let database: TestDatabase;
const events: ProgressEvent[] = [];
let env: OperationEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  const clock = createFixedClock('2026-03-02T06:00:00Z');
  const org = await createOrganization({ db: database.db, clock, actor: systemActor('test') }, { slug: 'cli-bt', name: 'CLI backtest', timezone: 'UTC' });
  for (const [i, department] of ['TV', 'Photo'].entries()) {
    await insertSyntheticSales(
      database.db,
      org.id,
      syntheticDays({
        department,
        channel: 'online',
        start: '2025-06-02',
        days: 180,
        level: 2_000,
        seed: i + 1,
        promotions: { every: 28, length: 3, uplift: 2, discountPct: 15 },
      }),
    );
  }
  env = {
    database,
    clock,
    logger: createLogger('silent'),
    actor: systemActor('cli'),
    progress: (e: ProgressEvent) => events.push(e),
  } as unknown as OperationEnv;
});
afterAll(async () => database?.destroy());

describe('retailops promotions backtest', () => {
  it('prints per series the chosen model next to seasonal naive and the seed baseline, with totals and progress', async () => {
    const result = (await promotionsBacktestOperation(env, { org: 'cli-bt', horizon: '14', folds: '2' })) as {
      text: string;
      run: { results: unknown[] };
      storedForecasts: { rows: number };
    };
    expect(result.run.results).toHaveLength(2);
    // Per series: 28 days before the first sale, the 180 days of history (in-sample) and 120 days ahead.
    expect(result.storedForecasts.rows).toBe(2 * (28 + 180 + 120));
    const lines = result.text.split('\n');
    expect(lines[0]).toMatch(/^Baseline backtest .* \(completed\): data 2025-06-02 – 2025-11-28, 2 origins × 14 days/);
    expect(lines.find((l) => l.startsWith('department'))).toMatch(/chosen\s+WAPE\s+MASE\s+naive WAPE\s+MASE\s+seed WAPE\s+MASE/);
    expect(lines.filter((l) => /^(TV|Photo)\s+online\s+(seasonal_naive|dow_average|mstl|mstl_log|prophet)\s+\d+\.\d%/.test(l))).toHaveLength(2);
    expect(result.text).toMatch(/chosen per series\s+WAPE\s+\d+\.\d%/);
    expect(result.text).toMatch(/seed_dow_sql\s+WAPE\s+\d+\.\d%/);
    expect(events.at(-1)).toEqual({ step: 'backtest', current: 2, total: 2 });
  });

  it('names the flag that is wrong', async () => {
    await expect(promotionsBacktestOperation(env, { org: 'cli-bt', horizon: 'four weeks' })).rejects.toThrow('--horizon must be a whole number');
    await expect(promotionsBacktestOperation(env, {})).rejects.toThrow('--org SLUG');
    await expect(promotionsBacktestOperation(env, { org: 'cli-bt', folds: '40' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
