import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { createPgBossAdapter, runInSqlTransaction } from './pg-boss-adapter.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.exec('create table public.adapter_probe (n integer)');
});

afterAll(async () => {
  await database?.destroy();
});

describe('pg-boss adapter', () => {
  it('returns the last result of a multi-statement batch', async () => {
    const adapter = createPgBossAdapter(database);
    expect((await adapter.executeSql('select 1 as one; select 2 as two')).rows).toEqual([{ two: 2 }]);
    expect((await adapter.executeSql('select $1::integer as n', [7])).rows).toEqual([{ n: 7 }]);
  });

  it('rolls back a failing BEGIN…COMMIT batch instead of leaving the connection in an aborted transaction', async () => {
    const adapter = createPgBossAdapter(database);
    await expect(adapter.executeSql('BEGIN; insert into public.adapter_probe values (1); select 1 / 0; COMMIT;')).rejects.toThrow(/division by zero/);
    expect(await database.query('select count(*)::integer as n from public.adapter_probe')).toEqual([{ n: 0 }]);
    expect(adapter.pending()).toBe(0);
  });

  it('logs instead of rejecting when pg-boss’s unawaited completion write fails', async () => {
    const plans = createRequire(import.meta.url)('pg-boss/src/plans.js') as Record<string, (schema: string) => string>;
    const adapter = createPgBossAdapter(database, createLogger('silent'));
    const result = await adapter.executeSql(plans.completeJobs('pgboss'), ['test.any', ['not-a-uuid'], null]);
    expect(result.rows).toEqual([{ count: 0 }]);
    await expect(adapter.executeSql('select $1::uuid', ['not-a-uuid'])).rejects.toThrow();
  });

  it('commits or rolls back statements together', async () => {
    await expect(
      runInSqlTransaction(database, async (sql) => {
        await sql.executeSql('insert into public.adapter_probe values ($1)', [2]);
        throw new Error('enqueue failed');
      }),
    ).rejects.toThrow('enqueue failed');
    await runInSqlTransaction(database, (sql) => sql.executeSql('insert into public.adapter_probe values ($1)', [3]));
    expect(await database.query('select n from public.adapter_probe')).toEqual([{ n: 3 }]);
  });
});
