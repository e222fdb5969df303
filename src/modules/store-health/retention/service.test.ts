import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { archiveExpiredStoreHealthData } from './service.js';

let database: TestDatabase;
let ctx: ServiceContext;
const clock = createFixedClock('2026-06-15T12:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  const [org] = await database.query<{ id: string }>(`insert into core.organizations (slug, name, timezone) values ('ret', 'Ret', 'UTC') returning id`);
  const [other] = await database.query<{ id: string }>(`insert into core.organizations (slug, name) values ('other', 'Other') returning id`);
  ctx = {
    db: database.db,
    organization: { id: org.id, slug: 'ret', name: 'Ret', timezone: 'UTC' },
    actor: systemActor('test'),
    role: 'admin',
    clock,
    log: createLogger('silent'),
  };
  for (const [orgId, code] of [
    [org.id, 'S1'],
    [other.id, 'S9'],
  ]) {
    const [store] = await database.query<{ id: string }>(
      `insert into store_health.stores (organization_id, store_code, name) values ($1, $2, $2) returning id`,
      [orgId, code],
    );
    const [kpi] = await database.query<{ id: string }>(
      `insert into store_health.kpi_definitions (organization_id, kpi_code, name, unit, category) values ($1, 'sales', 'Sales', '$', 'sales') returning id`,
      [orgId],
    );
    await database.query(`select store_health.ensure_kpi_metrics_partitions('2024-01-01', '2026-06-30')`);
    for (const date of ['2024-05-01', '2024-06-14', '2024-06-16', '2026-06-01']) {
      await database.query(
        `insert into store_health.kpi_metrics (organization_id, store_id, kpi_definition_id, metric_date, value) values ($1, $2, $3, $4, 1)`,
        [orgId, store.id, kpi.id, date],
      );
    }
    await database.query(
      `insert into store_health.store_health_snapshots (organization_id, store_id, snapshot_date, overall_status) values ($1, $2, '2024-01-10', 'green'), ($1, $2, '2026-06-01', 'red')`,
      [orgId, store.id],
    );
    const [oldAlert] = await database.query<{ id: string }>(
      `insert into store_health.alerts (organization_id, store_id, kpi_definition_id, dedupe_key, alert_date, severity, status, title, resolved_at)
       values ($1, $2, $3, 'old', '2025-03-01', 'red', 'resolved', 'old', '2025-03-02') returning id`,
      [orgId, store.id, kpi.id],
    );
    await database.query(
      `insert into store_health.alerts (organization_id, store_id, kpi_definition_id, dedupe_key, alert_date, severity, status, title) values ($1, $2, $3, 'open', '2025-01-01', 'red', 'active', 'open')`,
      [orgId, store.id, kpi.id],
    );
    await database.query(
      `insert into store_health.escalations (organization_id, store_id, alert_id, from_level, to_level, triggered_by, escalated_at) values ($1, $2, $3, 0, 1, 'threshold', '2025-03-01')`,
      [orgId, store.id, oldAlert.id],
    );
    await database.query(
      `insert into store_health.tasks (organization_id, store_id, alert_id, task_type, title, status, completed_at) values
         ($1, $2, $3, 'action', 'done long ago', 'completed', '2025-03-02'), ($1, $2, $3, 'action', 'still open', 'pending', null)`,
      [orgId, store.id, oldAlert.id],
    );
  }
});
afterAll(async () => database?.destroy());

const count = async (table: string, orgId = ctx.organization.id) =>
  Number((await database.query<{ n: string }>(`select count(*) as n from ${table} where organization_id = $1`, [orgId]))[0].n);

describe('store-health retention', () => {
  it('moves rows past the seed’s retention into the archive, only for this organization, and is idempotent', async () => {
    const result = await archiveExpiredStoreHealthData(ctx);
    expect(result.cutoffs.kpiMetrics).toBe('2024-06-15');
    expect(result.archived).toEqual({ kpiMetrics: 2, snapshots: 1, alerts: 1, tasks: 1, aiCalls: 0, escalations: 1 });
    expect(await count('store_health.kpi_metrics')).toBe(2);
    expect(await count('store_health_archive.kpi_metrics')).toBe(2);
    expect(await count('store_health.alerts')).toBe(1);
    expect(await count('store_health_archive.escalations')).toBe(1);
    // The open task survives; its reference to the archived alert is cleared by the foreign key.
    const open = await database.query<{ alert_id: string | null }>(
      `select alert_id from store_health.tasks where organization_id = $1 and status = 'pending'`,
      [ctx.organization.id],
    );
    expect(open).toEqual([{ alert_id: null }]);
    const [other] = await database.query<{ id: string }>(`select id from core.organizations where slug = 'other'`);
    expect(await count('store_health.kpi_metrics', other.id)).toBe(4);

    const again = await archiveExpiredStoreHealthData(ctx);
    expect(Object.values(again.archived).every((n) => n === 0)).toBe(true);
  });
});
