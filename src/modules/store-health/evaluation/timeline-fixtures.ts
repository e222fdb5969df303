import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Clock } from '../../../core/clock.js';
import { systemActor, type OrganizationRef, type ServiceContext } from '../../../core/context.js';
import type { Db } from '../../../core/db/connection.js';
import { systemConfig } from '../../../core/db/schema.js';
import { createLogger } from '../../../core/logger.js';
import { createOrganization } from '../../../core/tenancy/organizations-service.js';
import { districts, kpiDefinitions, kpiThresholds, regions, storeClosures, stores, type OpeningHours } from '../schema.js';
import type { IsoDate } from '../shared/dates.js';
import { sqlRows } from '../../../core/db/sql-rows.js';

/** Test helpers: a small chain on a fixed clock, metric rows, and deterministic table dumps for idempotency checks. */

const silentLog = createLogger('silent');

export const weekdayHours = { open: '09:00', close: '21:00' };
/** Monday–Friday 09:00–21:00, Saturday 10:00–18:00, Sunday closed. */
export const standardHours: OpeningHours = {
  '1': [weekdayHours],
  '2': [weekdayHours],
  '3': [weekdayHours],
  '4': [weekdayHours],
  '5': [weekdayHours],
  '6': [{ open: '10:00', close: '18:00' }],
};
export const everyDayHours: OpeningHours = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [weekdayHours]]));

export async function createTestOrganization(db: Db, clock: Clock, timezone = 'America/New_York'): Promise<OrganizationRef> {
  return createOrganization({ db, clock, actor: systemActor('test') }, { slug: `eval-${randomBytes(3).toString('hex')}`, name: 'Eval Org', timezone });
}

export function serviceContext(db: Db, organization: OrganizationRef, clock: Clock): ServiceContext {
  return { db, organization, clock, actor: { type: 'user', id: null, label: 'tester', userId: null }, role: 'admin', log: silentLog };
}

export interface ChainStore {
  id: string;
  storeCode: string;
}

export async function createDistrict(db: Db, organizationId: string, name = 'North') {
  const [region] = await db
    .insert(regions)
    .values({ organizationId, name: `Region ${name}`, managerName: 'Rita Region' })
    .returning();
  const [district] = await db
    .insert(districts)
    .values({ organizationId, regionId: region.id, name: `District ${name}`, managerName: 'Dan District', managerPhone: '+15550000001' })
    .returning();
  return { regionId: region.id, districtId: district.id };
}

export async function createStores(
  db: Db,
  organizationId: string,
  count: number,
  options: { districtId?: string; regionId?: string; openingHours?: OpeningHours; timezone?: string; prefix?: string } = {},
): Promise<ChainStore[]> {
  const rows = await db
    .insert(stores)
    .values(
      Array.from({ length: count }, (_, i) => ({
        organizationId,
        storeCode: `${options.prefix ?? 'S'}${String(i + 1).padStart(3, '0')}`,
        name: `Store ${i + 1}`,
        timezone: options.timezone ?? 'America/New_York',
        openingHours: options.openingHours ?? standardHours,
        managerName: `Manager ${i + 1}`,
        managerPhone: `+1555010${String(i).padStart(4, '0')}`,
        districtId: options.districtId ?? null,
        regionId: options.regionId ?? null,
      })),
    )
    .returning();
  return rows.map((r) => ({ id: r.id, storeCode: r.storeCode }));
}

export async function createKpi(
  db: Db,
  organizationId: string,
  input: {
    code: string;
    direction?: 'higher_is_better' | 'lower_is_better';
    category?: string;
    unit?: string;
    threshold?: { greenMin: number | null; yellowMin: number | null; redThreshold: number | null; comparisonBasis: string; priority?: number };
  },
): Promise<string> {
  const [kpi] = await db
    .insert(kpiDefinitions)
    .values({
      organizationId,
      kpiCode: input.code,
      name: input.code.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase()),
      unit: input.unit ?? '$',
      category: input.category ?? 'sales',
      direction: input.direction ?? 'higher_is_better',
    })
    .returning();
  if (input.threshold) await setThreshold(db, organizationId, kpi.id, null, input.threshold);
  return kpi.id;
}

export async function setThreshold(
  db: Db,
  organizationId: string,
  kpiId: string,
  storeId: string | null,
  t: { greenMin: number | null; yellowMin: number | null; redThreshold: number | null; comparisonBasis: string; priority?: number },
) {
  await db.insert(kpiThresholds).values({
    organizationId,
    kpiDefinitionId: kpiId,
    storeId,
    greenMin: t.greenMin,
    yellowMin: t.yellowMin,
    redThreshold: t.redThreshold,
    comparisonBasis: t.comparisonBasis,
    priority: t.priority ?? 3,
  });
}

export async function addClosure(db: Db, organizationId: string, storeId: string | null, date: IsoDate, kind: 'holiday' | 'closed' = 'holiday') {
  await db.insert(storeClosures).values({ organizationId, storeId, closureDate: date, kind, reason: kind });
}

export async function putSetting(db: Db, organizationId: string, key: string, value: unknown) {
  await db.insert(systemConfig).values({ organizationId, configKey: key, configValue: value });
}

/** Upserts metric values (value null deletes nothing: it records an explicit missing value). */
export async function putMetrics(db: Db, organizationId: string, rows: { storeId: string; kpiId: string; date: IsoDate; value: number | null }[]) {
  if (!rows.length) return;
  const dates = rows.map((r) => r.date).sort();
  await db.execute(sql`select store_health.ensure_kpi_metrics_partitions(${dates[0]}::date, ${dates[dates.length - 1]}::date)`);
  await db.execute(sql`
    insert into store_health.kpi_metrics (organization_id, store_id, kpi_definition_id, metric_date, value)
    select ${organizationId}::uuid, x.store_id, x.kpi_id, x.date, x.value
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ store_id: r.storeId, kpi_id: r.kpiId, date: r.date, value: r.value })))}::jsonb)
      as x(store_id uuid, kpi_id uuid, date date, value numeric)
    on conflict (store_id, kpi_definition_id, metric_date) do update set value = excluded.value, status = null`);
}

/** Every row the evaluation writes for an organization, in a stable order, for "re-running changes nothing" checks. */
export async function dumpEvaluationTables(db: Db, organizationId: string) {
  const q = (table: string, order: string) =>
    sqlRows<Record<string, unknown>>(db, sql.raw(`select * from store_health.${table} where organization_id = '${organizationId}' order by ${order}`));
  return {
    kpiMetrics: await q('kpi_metrics', 'store_id, kpi_definition_id, metric_date'),
    history: await q('kpi_status_history', 'store_id, kpi_definition_id, date'),
    snapshots: await q('store_health_snapshots', 'store_id, snapshot_date'),
    alerts: await q('alerts', 'dedupe_key, alert_date, id'),
    tasks: await q('tasks', 'alert_id, id'),
  };
}

export async function metricRow(db: Db, storeId: string, kpiId: string, date: IsoDate) {
  const rows = await sqlRows<{ status: string | null; comparison_value: number | null; variance_pct: number | null; metadata: Record<string, unknown> }>(
    db,
    sql`select status, comparison_value::float8 as comparison_value, variance_pct::float8 as variance_pct, metadata
        from store_health.kpi_metrics where store_id = ${storeId} and kpi_definition_id = ${kpiId} and metric_date = ${date}::date`,
  );
  return rows[0] ?? null;
}
