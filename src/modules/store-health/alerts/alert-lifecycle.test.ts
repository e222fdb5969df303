import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createFixedClock } from '../../../core/clock.js';
import type { OrganizationRef } from '../../../core/context.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { evaluateDateRange } from '../evaluation/evaluate-range.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import {
  createDistrict,
  createKpi,
  createStores,
  createTestOrganization,
  dumpEvaluationTables,
  putMetrics,
  putSetting,
  serviceContext,
  type ChainStore,
} from '../evaluation/timeline-fixtures.js';
import { zonedInstant } from '../shared/dates.js';
import { resolveAlert } from './service.js';

const ny = (date: string, time: string) => zonedInstant(date, time, 'America/New_York').toISOString();
const absoluteSales = { greenMin: 95, yellowMin: 90, redThreshold: 90, comparisonBasis: 'absolute', priority: 2 };

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

type AlertRow = {
  id: string;
  severity: string;
  status: string;
  alert_date: Date | string;
  expires_at: Date | string | null;
  resolved_at: Date | string | null;
  days_in_condition: number;
  parent_alert_id: string | null;
  next_escalation_at: Date | string | null;
  escalation_level: number;
  scope: string;
  metadata: Record<string, unknown>;
};
type TaskRow = {
  status: string;
  due_date: Date | string | null;
  outcome: string | null;
  assigned_to_role: string;
  assigned_to_name: string | null;
  store_id: string;
};
const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

async function alertsOf(orgId: string, where = sql`true`) {
  return sqlRows<AlertRow>(database.db, sql`select * from store_health.alerts where organization_id = ${orgId} and ${where} order by alert_date, store_id`);
}
async function tasksOf(orgId: string) {
  return sqlRows<TaskRow>(database.db, sql`select * from store_health.tasks where organization_id = ${orgId} order by created_at, store_id`);
}

describe('one store alert along a timeline', () => {
  let org: OrganizationRef;
  let store: ChainStore;
  const clock = createFixedClock('2026-03-03T11:30:00Z');

  beforeAll(async () => {
    org = await createTestOrganization(database.db, clock);
    [store] = await createStores(database.db, org.id, 1);
    const kpiId = await createKpi(database.db, org.id, { code: 'sales', threshold: absoluteSales });
    const plan = { '2026-03-02': 100, '2026-03-03': 80, '2026-03-04': 80, '2026-03-05': 80, '2026-03-06': 80, '2026-03-07': 97 };
    await putMetrics(
      database.db,
      org.id,
      Object.entries(plan).map(([date, value]) => ({ storeId: store.id, kpiId, date, value })),
    );
  });

  const evaluateDay = async (date: string, at: string) => {
    clock.set(at);
    return evaluateDateRange(serviceContext(database.db, org, clock), { from: date, to: date });
  };

  it('opens a yellow alert and a task for the store manager on the first bad day', async () => {
    await evaluateDay('2026-03-02', '2026-03-03T11:30:00Z');
    expect(await alertsOf(org.id)).toEqual([]);
    const result = await evaluateDay('2026-03-03', '2026-03-04T11:30:00Z');
    expect(result).toMatchObject({ alertsOpened: 1, tasksCreated: 1 });
    const [alert] = await alertsOf(org.id);
    expect(alert).toMatchObject({ severity: 'yellow', status: 'active', days_in_condition: 1, escalation_level: 0, scope: 'store' });
    expect(iso(alert.alert_date)).toBe(ny('2026-03-03', '09:00'));
    // 24 opening hours from Tuesday's close (21:00): Wednesday and Thursday 09:00–21:00.
    expect(iso(alert.expires_at)).toBe(ny('2026-03-05', '21:00'));
    expect(iso(alert.next_escalation_at)).toBe('2026-03-04T11:30:00.000Z');
    const [task] = await tasksOf(org.id);
    expect(task).toMatchObject({ status: 'pending', assigned_to_role: 'store_manager', assigned_to_name: 'Manager 1' });
    expect(iso(task.due_date)).toBe(ny('2026-03-05', '21:00'));
  });

  it('keeps one alert per store and KPI, raising it to red and to critical as the condition persists', async () => {
    await evaluateDay('2026-03-04', '2026-03-05T11:30:00Z');
    let alerts = await alertsOf(org.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'red', days_in_condition: 2 });
    // Red: 8 opening hours from Wednesday's close → Thursday 17:00, earlier than the yellow deadline.
    expect(iso(alerts[0].expires_at)).toBe(ny('2026-03-05', '17:00'));
    expect(iso((await tasksOf(org.id))[0].due_date)).toBe(ny('2026-03-05', '17:00'));

    await evaluateDay('2026-03-05', '2026-03-06T11:30:00Z');
    alerts = await alertsOf(org.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical', days_in_condition: 3, metadata: { criticalSince: '2026-03-05' } });
    expect(iso(alerts[0].expires_at)).toBe(ny('2026-03-05', '17:00'));
  });

  it('resolves itself when the KPI is green again and cancels the task nobody started', async () => {
    await evaluateDay('2026-03-06', '2026-03-07T11:30:00Z');
    await evaluateDay('2026-03-07', '2026-03-08T11:30:00Z');
    const [alert] = await alertsOf(org.id);
    expect(alert).toMatchObject({
      status: 'resolved',
      days_in_condition: 4,
      next_escalation_at: null,
      metadata: { resolution: 'recovered', recoveredOn: '2026-03-07' },
    });
    expect(iso(alert.resolved_at)).toBe(ny('2026-03-07', '10:00'));
    const [task] = await tasksOf(org.id);
    expect(task).toMatchObject({ status: 'cancelled', outcome: expect.stringContaining('back to green on 2026-03-07') });
  });

  it('changes nothing when the week is evaluated again', async () => {
    const before = await dumpEvaluationTables(database.db, org.id);
    clock.set('2026-03-09T12:00:00Z');
    const again = await evaluateDateRange(serviceContext(database.db, org, clock), { from: '2026-03-02', to: '2026-03-07' });
    expect(again).toMatchObject({ alertsOpened: 0, alertsResolved: 0, tasksCreated: 0 });
    expect(await dumpEvaluationTables(database.db, org.id)).toEqual(before);
  });
});

describe('SLA and manual resolution', () => {
  let org: OrganizationRef;
  let store: ChainStore;
  let kpiId: string;
  const clock = createFixedClock('2026-03-07T11:30:00Z');

  beforeAll(async () => {
    org = await createTestOrganization(database.db, clock);
    await putSetting(database.db, org.id, 'store_health.flap_red_days', 1);
    [store] = await createStores(database.db, org.id, 1);
    kpiId = await createKpi(database.db, org.id, { code: 'sales', threshold: absoluteSales });
  });

  it('counts the SLA of a red Friday in opening hours from Saturday opening', async () => {
    await putMetrics(database.db, org.id, [{ storeId: store.id, kpiId, date: '2026-03-06', value: 50 }]);
    await evaluateDateRange(serviceContext(database.db, org, clock), { from: '2026-03-06', to: '2026-03-06' });
    const [alert] = await alertsOf(org.id);
    expect(alert.severity).toBe('red');
    expect(iso(alert.alert_date)).toBe(ny('2026-03-06', '09:00'));
    // Friday closes at 21:00, Saturday opens 10:00–18:00: 8 opening hours end exactly at Saturday's close.
    expect(iso(alert.expires_at)).toBe(ny('2026-03-07', '18:00'));
  });

  it('opens a new alert after a manual resolution when the KPI is still red the next day, but not for days already covered', async () => {
    const ctx = serviceContext(database.db, org, clock);
    const [first] = await alertsOf(org.id);
    await resolveAlert(ctx, first.id, { resolution: 'Extra staff scheduled' });
    await putMetrics(database.db, org.id, [{ storeId: store.id, kpiId, date: '2026-03-07', value: 50 }]);
    await evaluateDateRange(ctx, { from: '2026-03-06', to: '2026-03-07' });
    const alerts = await alertsOf(org.id);
    expect(alerts.map((a) => [a.status, a.metadata.conditionSince])).toEqual([
      ['resolved', '2026-03-06'],
      ['active', '2026-03-07'],
    ]);
    const tasks = await tasksOf(org.id);
    expect(tasks.map((t) => t.status)).toEqual(['cancelled', 'pending']);
  });
});

describe('district fold', () => {
  let org: OrganizationRef;
  let north: ChainStore[];
  let south: ChainStore[];
  let kpiId: string;
  const clock = createFixedClock('2026-03-03T11:30:00Z');

  beforeAll(async () => {
    const db = database.db;
    org = await createTestOrganization(db, clock);
    await putSetting(db, org.id, 'store_health.flap_red_days', 1);
    const n = await createDistrict(db, org.id, 'North');
    const s = await createDistrict(db, org.id, 'South');
    north = await createStores(db, org.id, 5, { ...n, prefix: 'N' });
    south = await createStores(db, org.id, 3, { ...s, prefix: 'S' });
    kpiId = await createKpi(db, org.id, { code: 'sales', threshold: absoluteSales });
    const value = (date: string, storeIndex: number, district: 'N' | 'S') => {
      if (district === 'S') return storeIndex < 2 ? 50 : 100; // 2 of 3 red: below the three-store minimum
      if (date === '2026-03-02') return storeIndex < 3 ? 50 : 100; // 3 of 5 red: exactly the 60 % share
      return storeIndex < 2 ? 50 : 100; // 2 of 5 red: the fold ends
    };
    await putMetrics(db, org.id, [
      ...['2026-03-02', '2026-03-03'].flatMap((date) => north.map((st, i) => ({ storeId: st.id, kpiId, date, value: value(date, i, 'N') }))),
      ...['2026-03-02', '2026-03-03'].flatMap((date) => south.map((st, i) => ({ storeId: st.id, kpiId, date, value: value(date, i, 'S') }))),
    ]);
  });

  it('replaces the store pages with one district alert when most stores of a district are red', async () => {
    await evaluateDateRange(serviceContext(database.db, org, clock), { from: '2026-03-02', to: '2026-03-02' });
    const [district] = await alertsOf(org.id, sql`scope = 'district'`);
    expect(district).toMatchObject({ status: 'active', severity: 'red', escalation_level: 1, metadata: { redStoreCount: 3, openStoreCount: 5 } });
    const storeAlerts = await alertsOf(
      org.id,
      sql`scope = 'store' and store_id in (${sql.join(
        north.map((s) => sql`${s.id}::uuid`),
        sql`, `,
      )})`,
    );
    expect(storeAlerts).toHaveLength(3);
    for (const a of storeAlerts) expect(a).toMatchObject({ parent_alert_id: district.id, next_escalation_at: null, metadata: { folded: true } });
    // South: 2 of 3 red is a high share but fewer than three stores, so its stores page on their own.
    const southAlerts = await alertsOf(
      org.id,
      sql`scope = 'store' and store_id in (${sql.join(
        south.map((s) => sql`${s.id}::uuid`),
        sql`, `,
      )})`,
    );
    expect(southAlerts).toHaveLength(2);
    expect(southAlerts.map((a) => [a.parent_alert_id, a.metadata.folded ?? null, iso(a.next_escalation_at)])).toEqual([
      [null, null, '2026-03-03T11:30:00.000Z'],
      [null, null, '2026-03-03T11:30:00.000Z'],
    ]);
    const districtTask = (await tasksOf(org.id)).find((t) => t.assigned_to_role === 'district_manager');
    expect(districtTask).toMatchObject({ status: 'pending', assigned_to_name: 'Dan District', store_id: north[0].id });
  });

  it('resolves the district alert when the share drops and gives the remaining store alerts their pages back', async () => {
    clock.set('2026-03-04T11:30:00Z');
    await evaluateDateRange(serviceContext(database.db, org, clock), { from: '2026-03-03', to: '2026-03-03' });
    const [district] = await alertsOf(org.id, sql`scope = 'district'`);
    expect(district).toMatchObject({ status: 'resolved', metadata: { resolution: 'recovered', recoveredOn: '2026-03-03' } });
    const northAlerts = await alertsOf(
      org.id,
      sql`scope = 'store' and store_id in (${sql.join(
        north.map((s) => sql`${s.id}::uuid`),
        sql`, `,
      )})`,
    );
    expect(northAlerts.map((a) => [a.status, a.metadata.folded, iso(a.next_escalation_at)]).sort()).toEqual([
      ['active', false, '2026-03-04T11:30:00.000Z'],
      ['active', false, '2026-03-04T11:30:00.000Z'],
      ['resolved', true, null],
    ]);
  });
});
