import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promotionsOpportunitiesOperation } from '../../../cli/commands/promotions-planning.js';
import type { OperationEnv } from '../../../cli/operation.js';
import { createFixedClock } from '../../../core/clock.js';
import { createLogger } from '../../../core/logger.js';
import { seedOrganization, type TestOrg } from '../../../core/testing/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { insertFlatHistory, insertTarget } from './test-fixtures.js';

let database: TestDatabase;
let org: TestOrg;
let env: OperationEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  // 31 March 2026, 23:30 UTC is already 1 April in Berlin: "next month" there is May.
  const clock = createFixedClock('2026-03-31T23:30:00Z');
  org = await seedOrganization(database, clock, 'cli-plan', 'Europe/Berlin');
  await insertFlatHistory(database.db, org.id);
  await insertTarget(database.db, org.id, '2026-05', 136400);
  await insertTarget(database.db, org.id, '2026-04', 100000);
  env = {
    database,
    clock,
    logger: createLogger('silent'),
    actor: { type: 'cli', id: 'tester', label: 'tester', userId: null },
    progress: () => {},
  } as unknown as OperationEnv;
});

afterAll(async () => {
  await database?.destroy();
});

describe('retailops promotions opportunities', () => {
  it("defaults to next month in the organization's time zone and prints a ranked table", async () => {
    const result = (await promotionsOpportunitiesOperation(env, { org: 'cli-plan' })) as { month: string; text: string; opportunities: unknown[] };
    expect(result.month).toBe('2026-05');
    expect(result.opportunities).toHaveLength(4);
    const lines = result.text.split('\n');
    expect(lines[0]).toBe('Opportunities for 2026-05 (baseline dow_average vs targets), largest gap first:');
    expect(lines[1]).toMatch(/^#\s+department\s+channel\s+forecast\s+target\s+gap\s+gap %\s+margin target\s+status$/);
    expect(lines[3]).toMatch(/^1\s+TV\s+offline\s+62,000\s+68,200\s+6,200\s+9\.1%\s+25\.0%\s+open$/);
    expect(lines.at(-1)).toBe('Total short of target: 12,400 over 4 department × channel lines.');
  });

  it('takes --month and refuses a malformed one or a missing organization', async () => {
    const april = (await promotionsOpportunitiesOperation(env, { org: 'cli-plan', month: '2026-04' })) as { month: string; text: string };
    expect(april.month).toBe('2026-04');
    // April: 30 days × 4,000 = 120,000 forecast against 100,000: every line is ahead of target.
    expect(april.text).toContain('Total short of target: 0 over 0 department × channel lines.');
    await expect(promotionsOpportunitiesOperation(env, { org: 'cli-plan', month: 'April' })).rejects.toThrow('--month must be a month like 2026-04');
    await expect(promotionsOpportunitiesOperation(env, {})).rejects.toThrow('--org SLUG');
    await expect(promotionsOpportunitiesOperation(env, { org: 'cli-plan', month: '2026-06' })).rejects.toThrow('There are no targets for 2026-06');
  });
});
