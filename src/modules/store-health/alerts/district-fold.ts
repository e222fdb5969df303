import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { addDays, localDate, type IsoDate } from '../shared/dates.js';
import type { EvaluationSettings } from '../evaluation/evaluation-settings.js';
import type { EvaluationScope } from '../evaluation/evaluation-scope.js';
import { firstActionFor } from '../evaluation/kpi-wording.js';
import { writeTasks, type NewTask } from './alert-sync.js';
import { earlier, openingInstant, slaDeadline, type AlertSeverity } from './alert-timing.js';
import { sqlRows } from '../../../core/db/sql-rows.js';

/**
 * District fold: when at least `district_fold_share` of a district's open stores (and at least three) are red on the
 * same KPI the same day, one district alert (addressed to the district manager, escalation level 1) replaces the
 * per-store pages. The store alerts stay open for the store managers' tasks but point at the district alert
 * (parent_alert_id), carry metadata.folded = true and have no escalation timer, so the escalation engine leaves them
 * to the district alert. The district alert resolves on the first evaluated day the fold no longer holds; its store
 * alerts that are still open then get their escalation timer back.
 */

export const districtDedupeKey = (districtId: string, kpiId: string) => `district:${districtId}:kpi:${kpiId}`;

interface DistrictDay {
  districtId: string;
  kpiId: string;
  d: IsoDate;
  redStores: number;
  openStores: number;
  redStoreIds: string[];
}

interface DistrictAlert {
  id: string;
  districtId: string;
  kpiId: string;
  since: IsoDate;
  lastEvaluatedDate: IsoDate;
  status: string;
  severity: AlertSeverity;
  daysInCondition: number;
  title: string;
  message: string;
  alertDate: Date;
  expiresAt: Date | null;
  resolvedAt: Date | null;
  nextEscalationAt: Date | null;
  metadata: Record<string, unknown>;
  isNew: boolean;
  changed: boolean;
  unfoldChildren: boolean;
}

export interface DistrictFoldResult {
  opened: number;
  resolved: number;
  tasksCreated: number;
  storeAlertsFolded: number;
}

export function foldsOnDay(
  day: Pick<DistrictDay, 'redStores' | 'openStores'>,
  settings: Pick<EvaluationSettings, 'districtFoldShare' | 'districtFoldMinStores'>,
) {
  return day.openStores > 0 && day.redStores >= settings.districtFoldMinStores && day.redStores / day.openStores >= settings.districtFoldShare;
}

type Row = Record<string, unknown>;
const toDate = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
const toJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function foldDistrictAlerts(
  ctx: ServiceContext,
  scope: EvaluationScope,
  settings: EvaluationSettings,
  from: IsoDate,
  to: IsoDate,
): Promise<DistrictFoldResult> {
  const org = ctx.organization.id;
  const now = ctx.clock.now();
  const dayRows = await sqlRows<Omit<DistrictDay, 'redStoreIds'> & { redStoreIds: string[] | string }>(
    ctx.db,
    sql`
    select s.district_id as "districtId", m.kpi_definition_id as "kpiId", m.metric_date::text as d,
      count(*) filter (where m.status = 'red')::int as "redStores",
      count(*) filter (where m.status in ('green', 'yellow', 'red', 'no_data'))::int as "openStores",
      coalesce(json_agg(m.store_id order by s.store_code) filter (where m.status = 'red'), '[]'::json) as "redStoreIds"
    from store_health.kpi_metrics m
    join store_health.stores s on s.id = m.store_id
    where m.organization_id = ${org}::uuid and m.metric_date between ${from}::date and ${to}::date
      and s.status = 'active' and s.district_id is not null
    group by s.district_id, m.kpi_definition_id, m.metric_date
    having count(*) filter (where m.status = 'red') >= ${settings.districtFoldMinStores}::int
      or exists (select 1 from store_health.alerts a where a.organization_id = ${org}::uuid and a.scope = 'district'
        and a.district_id = s.district_id and a.kpi_definition_id = m.kpi_definition_id and a.status in ('active', 'acknowledged'))
    order by 1, 2, 3`,
  );
  const days: DistrictDay[] = dayRows.map((r) => ({ ...r, redStoreIds: toJson<string[]>(r.redStoreIds) }));
  if (!days.length) return { opened: 0, resolved: 0, tasksCreated: 0, storeAlertsFolded: 0 };

  const existing = await sqlRows<Row>(
    ctx.db,
    sql`
    select id, district_id, kpi_definition_id, alert_date, severity, status, title, message, days_in_condition,
      last_evaluated_date::text as last_evaluated_date, expires_at, resolved_at, next_escalation_at, metadata
    from store_health.alerts
    where organization_id = ${org}::uuid and scope = 'district'
      and (status in ('active', 'acknowledged') or (last_evaluated_date >= ${from}::date and alert_date < ${addDays(to, 2)}::date))`,
  );
  const byKey = new Map<string, DistrictAlert[]>();
  for (const r of existing) {
    const metadata = toJson<Record<string, unknown>>(r.metadata);
    const alertDate = toDate(r.alert_date)!;
    const alert: DistrictAlert = {
      id: String(r.id),
      districtId: String(r.district_id),
      kpiId: String(r.kpi_definition_id),
      since: typeof metadata.conditionSince === 'string' ? metadata.conditionSince : localDate(alertDate, ctx.organization.timezone),
      lastEvaluatedDate: String(r.last_evaluated_date),
      status: String(r.status),
      severity: r.severity as AlertSeverity,
      daysInCondition: Number(r.days_in_condition),
      title: String(r.title),
      message: String(r.message ?? ''),
      alertDate,
      expiresAt: toDate(r.expires_at),
      resolvedAt: toDate(r.resolved_at),
      nextEscalationAt: toDate(r.next_escalation_at),
      metadata,
      isNew: false,
      changed: false,
      unfoldChildren: false,
    };
    const key = districtDedupeKey(alert.districtId, alert.kpiId);
    byKey.set(key, [...(byKey.get(key) ?? []), alert]);
  }

  const tasks: NewTask[] = [];
  const links: { parent: string; store_id: string; kpi_id: string; d: IsoDate }[] = [];
  let opened = 0;
  let resolved = 0;
  for (const day of days) {
    const kpi = scope.kpis.get(day.kpiId);
    const district = scope.districts.get(day.districtId);
    if (!kpi || !district || day.openStores === 0) continue;
    const key = districtDedupeKey(day.districtId, day.kpiId);
    const alerts = byKey.get(key) ?? [];
    const open = alerts.find((a) => a.status === 'active' || a.status === 'acknowledged');
    const representative = scope.stores.get(day.redStoreIds[0] ?? '') ?? [...scope.stores.values()].find((s) => s.districtId === day.districtId);
    if (!foldsOnDay(day, settings)) {
      if (open && open.lastEvaluatedDate < day.d) {
        open.status = 'resolved';
        open.resolvedAt = representative ? openingInstant(representative.calendar, day.d) : now;
        open.nextEscalationAt = null;
        open.metadata = { ...open.metadata, resolution: 'recovered', recoveredOn: day.d };
        open.changed = true;
        open.unfoldChildren = true;
        resolved += 1;
      }
      continue;
    }
    const summary = `${kpi.name} is red at ${day.redStores} of ${day.openStores} open stores in ${district.name}`;
    let target = alerts.find((a) => a.since <= day.d && day.d <= a.lastEvaluatedDate);
    if (!target && open && open.lastEvaluatedDate < day.d) {
      target = open;
      target.daysInCondition += 1;
      target.lastEvaluatedDate = day.d;
      if (target.severity !== 'critical' && target.daysInCondition >= settings.criticalAfterDays) {
        target.severity = 'critical';
        target.expiresAt = earlier(target.expiresAt, representative ? slaDeadline(representative.calendar, day.d, settings.slaHours.critical) : null);
        target.title = `${summary} (critical)`;
        target.metadata = { ...target.metadata, criticalSince: day.d };
      }
      target.message = `${summary} on ${day.d}; folded for ${target.daysInCondition} evaluated days.`;
      target.metadata = { ...target.metadata, redStoreCount: day.redStores, openStoreCount: day.openStores };
      target.changed = true;
    } else if (!target && !open && representative) {
      const severity: AlertSeverity = settings.criticalAfterDays <= 1 ? 'critical' : 'red';
      target = {
        id: randomUUID(),
        districtId: day.districtId,
        kpiId: day.kpiId,
        since: day.d,
        lastEvaluatedDate: day.d,
        status: 'active',
        severity,
        daysInCondition: 1,
        title: summary,
        message: `${summary} on ${day.d}. One district alert replaces the store pages.`,
        alertDate: openingInstant(representative.calendar, day.d),
        expiresAt: slaDeadline(representative.calendar, day.d, settings.slaHours[severity]),
        resolvedAt: null,
        nextEscalationAt: now,
        metadata: { conditionSince: day.d, redStoreCount: day.redStores, openStoreCount: day.openStores, representativeStoreId: representative.id },
        isNew: true,
        changed: true,
        unfoldChildren: false,
      };
      alerts.push(target);
      byKey.set(key, alerts);
      opened += 1;
      tasks.push({
        id: randomUUID(),
        alertId: target.id,
        storeId: representative.id,
        kpiId: day.kpiId,
        taskType: 'action',
        priority: 1,
        title: `Coordinate ${kpi.name} recovery across ${district.name}`,
        description: `${target.message} First: ${firstActionFor(kpi)} in every affected store.`,
        assignedToRole: 'district_manager',
        assignedToName: district.managerName,
        assignedToContact: district.managerPhone ?? district.managerEmail,
        status: 'pending',
        dueDate: target.expiresAt,
        outcome: null,
        metadata: { scope: 'district', districtId: day.districtId, conditionSince: day.d },
      });
    }
    if (target) for (const storeId of day.redStoreIds) links.push({ parent: target.id, store_id: storeId, kpi_id: day.kpiId, d: day.d });
  }

  const all = [...byKey.values()].flat();
  const byId = new Map(all.map((a) => [a.id, a]));
  for (const task of tasks) {
    const alert = byId.get(task.alertId)!;
    task.dueDate = alert.expiresAt;
    if (alert.status === 'resolved') {
      task.status = 'cancelled';
      task.outcome = `The district recovered on ${String(alert.metadata.recoveredOn)} before the task was started.`;
    }
  }
  await writeDistrictAlerts(
    ctx,
    all.filter((a) => a.changed),
  );
  await writeTasks(ctx, tasks);
  const storeAlertsFolded = await linkStoreAlerts(ctx, links);
  await unfoldStoreAlerts(
    ctx,
    all.filter((a) => a.unfoldChildren).map((a) => a.id),
  );
  return { opened, resolved, tasksCreated: tasks.length, storeAlertsFolded };
}

async function writeDistrictAlerts(ctx: ServiceContext, alerts: DistrictAlert[]): Promise<void> {
  if (!alerts.length) return;
  const org = ctx.organization.id;
  const now = ctx.clock.now().toISOString();
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const payload = JSON.stringify(
    alerts.map((a) => ({
      id: a.id,
      district_id: a.districtId,
      kpi_id: a.kpiId,
      dedupe_key: districtDedupeKey(a.districtId, a.kpiId),
      alert_date: iso(a.alertDate),
      severity: a.severity,
      status: a.status,
      title: a.title,
      message: a.message,
      days_in_condition: a.daysInCondition,
      last_evaluated_date: a.lastEvaluatedDate,
      expires_at: iso(a.expiresAt),
      resolved_at: iso(a.resolvedAt),
      next_escalation_at: iso(a.nextEscalationAt),
      metadata: a.metadata,
      is_new: a.isNew,
    })),
  );
  await ctx.db.execute(sql`
    with x as (
      select * from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, district_id uuid, kpi_id uuid, dedupe_key text, alert_date timestamptz,
        severity text, status text, title text, message text, days_in_condition int, last_evaluated_date date, expires_at timestamptz,
        resolved_at timestamptz, next_escalation_at timestamptz, metadata jsonb, is_new boolean)
    ),
    updated as (
      update store_health.alerts a set severity = x.severity, status = x.status, title = x.title, message = x.message,
        days_in_condition = x.days_in_condition, last_evaluated_date = x.last_evaluated_date, expires_at = x.expires_at,
        resolved_at = x.resolved_at, next_escalation_at = x.next_escalation_at, metadata = a.metadata || x.metadata,
        updated_at = ${now}::timestamptz
      from x where not x.is_new and a.id = x.id and a.organization_id = ${org}::uuid
      returning 1
    )
    insert into store_health.alerts (id, organization_id, store_id, district_id, kpi_definition_id, scope, dedupe_key, alert_date, severity,
      escalation_level, status, title, message, requires_acknowledgment, expires_at, next_escalation_at, resolved_at,
      days_in_condition, last_evaluated_date, metadata, created_at, updated_at)
    select x.id, ${org}::uuid, null, x.district_id, x.kpi_id, 'district', x.dedupe_key, x.alert_date, x.severity,
      1, x.status, x.title, x.message, true, x.expires_at, x.next_escalation_at, x.resolved_at,
      x.days_in_condition, x.last_evaluated_date, x.metadata, ${now}::timestamptz, ${now}::timestamptz
    from x where x.is_new`);
}

/** Points each red store's alert covering that day at the district alert and stops its own escalation timer. */
async function linkStoreAlerts(ctx: ServiceContext, links: { parent: string; store_id: string; kpi_id: string; d: IsoDate }[]): Promise<number> {
  if (!links.length) return 0;
  const org = ctx.organization.id;
  const now = ctx.clock.now().toISOString();
  const result = await sqlRows<{ linked: number }>(
    ctx.db,
    sql`
    with x as (
      select * from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as x(parent uuid, store_id uuid, kpi_id uuid, d date)
    ),
    linked as (
      update store_health.alerts a set parent_alert_id = x.parent, next_escalation_at = null,
        metadata = a.metadata || '{"folded": true}'::jsonb, updated_at = ${now}::timestamptz
      from x
      where a.organization_id = ${org}::uuid and a.scope = 'store' and a.store_id = x.store_id and a.kpi_definition_id = x.kpi_id
        and (a.metadata ->> 'conditionSince')::date <= x.d and a.last_evaluated_date >= x.d
        and (a.parent_alert_id is distinct from x.parent or a.next_escalation_at is not null or (a.metadata ->> 'folded') is distinct from 'true')
      returning 1
    )
    select count(*)::int as linked from linked`,
  );
  return Number(result[0].linked);
}

async function unfoldStoreAlerts(ctx: ServiceContext, parentIds: string[]): Promise<void> {
  if (!parentIds.length) return;
  const now = ctx.clock.now().toISOString();
  await ctx.db.execute(sql`
    update store_health.alerts a set metadata = a.metadata || '{"folded": false}'::jsonb, next_escalation_at = ${now}::timestamptz,
      updated_at = ${now}::timestamptz
    where a.organization_id = ${ctx.organization.id}::uuid and a.scope = 'store' and a.status in ('active', 'acknowledged')
      and a.parent_alert_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(parentIds)}::jsonb))
      and (a.metadata ->> 'folded') = 'true'`);
}
