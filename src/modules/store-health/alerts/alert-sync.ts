import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { addDays, localDate, type IsoDate } from '../shared/dates.js';
import type { EvaluationSettings } from '../evaluation/evaluation-settings.js';
import { pairKey, type EvaluationScope, type KpiInfo, type ResolvedThreshold, type StoreInfo } from '../evaluation/evaluation-scope.js';
import { describeReading, firstActionFor } from '../evaluation/kpi-wording.js';
import { scopeCtes, type EvaluationSqlScope } from '../evaluation/metric-evaluation-sql.js';
import { earlier, higherSeverity, openingInstant, severityRank, slaDeadline, type AlertSeverity } from './alert-timing.js';
import { sqlRows } from '../../../core/db/sql-rows.js';

/**
 * Turns the evaluated KPI statuses of a date range into store alerts and their tasks.
 * An alert covers one condition: consecutive evaluated days on which a (store, KPI) is yellow or red; closed and
 * no_data days neither extend nor end it. At most one alert per (store, KPI) is open (dedupe_key, partial unique
 * index). Each alert remembers the days it has seen (metadata.conditionSince … last_evaluated_date), so
 * re-evaluating a day it already covers changes nothing.
 */

export const openAlertStatuses = ['active', 'acknowledged'] as const;
export const isOpenAlertStatus = (status: string) => status === 'active' || status === 'acknowledged';

export const storeDedupeKey = (storeId: string, kpiId: string) => `store:${storeId}:kpi:${kpiId}`;

interface EvaluatedDay {
  storeId: string;
  kpiId: string;
  d: IsoDate;
  status: 'green' | 'yellow' | 'red';
  value: number | null;
  comparisonValue: number | null;
  variancePct: number | null;
}

/** The part of an alert row the sync reads and changes. */
export interface SyncedAlert {
  id: string;
  storeId: string;
  kpiId: string;
  dedupeKey: string;
  since: IsoDate;
  alertDate: Date;
  severity: AlertSeverity;
  status: string;
  title: string;
  message: string | null;
  daysInCondition: number;
  lastEvaluatedDate: IsoDate | null;
  expiresAt: Date | null;
  resolvedAt: Date | null;
  nextEscalationAt: Date | null;
  metadata: Record<string, unknown>;
  isNew: boolean;
  changed: boolean;
  /** Pending tasks of this alert get cancelled (the condition ended before anyone started them). */
  cancelPendingTasksOn: IsoDate | null;
  /** A severity raise brings open tasks' due date forward to the new SLA deadline. */
  tightenTasks: boolean;
}

export interface NewTask {
  id: string;
  alertId: string;
  storeId: string;
  kpiId: string;
  taskType: string;
  priority: number;
  title: string;
  description: string;
  assignedToRole: string;
  assignedToName: string | null;
  assignedToContact: string | null;
  status: string;
  dueDate: Date | null;
  outcome: string | null;
  metadata: Record<string, unknown>;
}

export interface StoreAlertSyncResult {
  opened: number;
  resolved: number;
  tasksCreated: number;
  /** Every alert the sync looked at, for the district fold that runs next. */
  alerts: SyncedAlert[];
}

interface AlertContext {
  scope: EvaluationScope;
  settings: EvaluationSettings;
  now: Date;
}

function alertTitle(kpi: KpiInfo, store: StoreInfo, severity: AlertSeverity): string {
  return `${kpi.name} ${severity} at ${store.storeCode} ${store.name}`;
}

function alertMessage(kpi: KpiInfo, threshold: ResolvedThreshold, day: EvaluatedDay, days: number): string {
  const reading = describeReading(kpi, threshold, day);
  return `${reading} on ${day.d}; ${day.status} and out of green for ${days} evaluated day${days === 1 ? '' : 's'}.`;
}

function daySeverity(day: EvaluatedDay, daysInCondition: number, settings: EvaluationSettings): AlertSeverity {
  if (day.status !== 'red') return 'yellow';
  return daysInCondition >= settings.criticalAfterDays ? 'critical' : 'red';
}

function recoveredOutcome(date: IsoDate) {
  return `KPI back to green on ${date}; the alert resolved itself before the task was started.`;
}

function openNewAlert(ctx: AlertContext, day: EvaluatedDay, tasks: NewTask[]): SyncedAlert {
  const store = ctx.scope.stores.get(day.storeId)!;
  const kpi = ctx.scope.kpis.get(day.kpiId)!;
  const threshold = ctx.scope.thresholds.get(pairKey(day.storeId, day.kpiId))!;
  const severity = daySeverity(day, 1, ctx.settings);
  const expiresAt = slaDeadline(store.calendar, day.d, ctx.settings.slaHours[severity]);
  const alert: SyncedAlert = {
    id: randomUUID(),
    storeId: day.storeId,
    kpiId: day.kpiId,
    dedupeKey: storeDedupeKey(day.storeId, day.kpiId),
    since: day.d,
    alertDate: openingInstant(store.calendar, day.d),
    severity,
    status: 'active',
    title: alertTitle(kpi, store, severity),
    message: alertMessage(kpi, threshold, day, 1),
    daysInCondition: 1,
    lastEvaluatedDate: day.d,
    expiresAt,
    resolvedAt: null,
    // The escalation engine picks a new alert up at once; it owns the timer from here on.
    nextEscalationAt: ctx.now,
    metadata: { conditionSince: day.d, lastStatus: day.status, priority: threshold.priority },
    isNew: true,
    changed: true,
    cancelPendingTasksOn: null,
    tightenTasks: false,
  };
  tasks.push({
    id: randomUUID(),
    alertId: alert.id,
    storeId: day.storeId,
    kpiId: day.kpiId,
    taskType: severity === 'yellow' ? 'review' : 'action',
    priority: threshold.priority,
    title: `Bring ${kpi.name} back to green at ${store.storeCode} ${store.name}`,
    description: `${alert.message} First: ${firstActionFor(kpi)}.`,
    assignedToRole: 'store_manager',
    assignedToName: store.managerName,
    assignedToContact: store.managerPhone ?? store.managerEmail,
    status: 'pending',
    dueDate: expiresAt,
    outcome: null,
    metadata: { conditionSince: day.d, severity },
  });
  return alert;
}

function extendAlert(ctx: AlertContext, alert: SyncedAlert, day: EvaluatedDay): void {
  const store = ctx.scope.stores.get(day.storeId)!;
  const kpi = ctx.scope.kpis.get(day.kpiId)!;
  const threshold = ctx.scope.thresholds.get(pairKey(day.storeId, day.kpiId))!;
  alert.daysInCondition += 1;
  alert.lastEvaluatedDate = day.d;
  const severity = daySeverity(day, alert.daysInCondition, ctx.settings);
  if (severityRank[severity] > severityRank[alert.severity]) {
    alert.severity = higherSeverity(alert.severity, severity);
    alert.expiresAt = earlier(alert.expiresAt, slaDeadline(store.calendar, day.d, ctx.settings.slaHours[severity]));
    alert.title = alertTitle(kpi, store, alert.severity);
    alert.metadata = { ...alert.metadata, [`${severity}Since`]: day.d };
    alert.tightenTasks = true;
  }
  alert.message = alertMessage(kpi, threshold, day, alert.daysInCondition);
  alert.metadata = { ...alert.metadata, lastStatus: day.status };
  alert.changed = true;
}

function resolveRecovered(ctx: AlertContext, alert: SyncedAlert, day: EvaluatedDay): void {
  const store = ctx.scope.stores.get(day.storeId)!;
  alert.status = 'resolved';
  alert.resolvedAt = openingInstant(store.calendar, day.d);
  alert.nextEscalationAt = null;
  alert.metadata = { ...alert.metadata, resolution: 'recovered', recoveredOn: day.d };
  alert.cancelPendingTasksOn = day.d;
  alert.changed = true;
}

type AlertRow = {
  id: string;
  store_id: string;
  kpi_definition_id: string;
  dedupe_key: string;
  alert_date: string | Date;
  severity: AlertSeverity;
  status: string;
  title: string;
  message: string | null;
  days_in_condition: number;
  last_evaluated_date: string | null;
  expires_at: string | Date | null;
  resolved_at: string | Date | null;
  next_escalation_at: string | Date | null;
  metadata: Record<string, unknown> | string;
};

const toDate = (v: string | Date | null) => (v === null ? null : v instanceof Date ? v : new Date(v));
const toJson = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function fromRow(row: AlertRow, store: StoreInfo | undefined): SyncedAlert {
  const metadata = toJson<Record<string, unknown>>(row.metadata);
  const alertDate = toDate(row.alert_date)!;
  const since = typeof metadata.conditionSince === 'string' ? metadata.conditionSince : localDate(alertDate, store?.timezone ?? 'UTC');
  return {
    id: row.id,
    storeId: row.store_id,
    kpiId: row.kpi_definition_id,
    dedupeKey: row.dedupe_key,
    since,
    alertDate,
    severity: row.severity,
    status: row.status,
    title: row.title,
    message: row.message,
    daysInCondition: row.days_in_condition,
    lastEvaluatedDate: row.last_evaluated_date,
    expiresAt: toDate(row.expires_at),
    resolvedAt: toDate(row.resolved_at),
    nextEscalationAt: toDate(row.next_escalation_at),
    metadata,
    isNew: false,
    changed: false,
    cancelPendingTasksOn: null,
    tightenTasks: false,
  };
}

/** Opens, extends, raises and auto-resolves store alerts for the evaluated days from `from` to `to`. */
export async function syncStoreAlerts(
  ctx: ServiceContext,
  sqlScope: EvaluationSqlScope,
  scope: EvaluationScope,
  settings: EvaluationSettings,
  from: IsoDate,
  to: IsoDate,
): Promise<StoreAlertSyncResult> {
  const org = ctx.organization.id;
  // Non-green days, plus each green day that follows a non-green one (or opens the range): a green day anywhere
  // else cannot change an alert.
  const days = await sqlRows<EvaluatedDay>(
    ctx.db,
    sql`
    with ${scopeCtes(sqlScope, from, to)},
    ev as (
      select m.store_id, m.kpi_definition_id, m.metric_date, m.status, m.value, m.comparison_value, m.variance_pct,
        lag(m.status) over (partition by m.store_id, m.kpi_definition_id order by m.metric_date) as previous_status
      from store_health.kpi_metrics m
      join thr t on t.store_id = m.store_id and t.kpi_id = m.kpi_definition_id
      where m.organization_id = ${org}::uuid and m.metric_date between ${from}::date and ${to}::date
        and m.status in ('green', 'yellow', 'red')
    )
    select store_id as "storeId", kpi_definition_id as "kpiId", metric_date::text as d, status,
      value::float8 as value, comparison_value::float8 as "comparisonValue", variance_pct::float8 as "variancePct"
    from ev where status <> 'green' or previous_status is distinct from 'green'
    order by store_id, kpi_definition_id, metric_date`,
  );

  const storeFilter = sqlScope.storeIds
    ? sql`and a.store_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(sqlScope.storeIds)}::jsonb))`
    : sql``;
  const alertRows = await sqlRows<AlertRow>(
    ctx.db,
    sql`
    select a.id, a.store_id, a.kpi_definition_id, a.dedupe_key, a.alert_date, a.severity, a.status, a.title, a.message,
      a.days_in_condition, a.last_evaluated_date::text as last_evaluated_date, a.expires_at, a.resolved_at, a.next_escalation_at, a.metadata
    from store_health.alerts a
    where a.organization_id = ${org}::uuid and a.scope = 'store' and a.store_id is not null and a.kpi_definition_id is not null ${storeFilter}
      and (a.status in ('active', 'acknowledged')
        or (a.last_evaluated_date >= ${from}::date and a.alert_date < ${addDays(to, 2)}::date))`,
  );

  const alertsByPair = new Map<string, SyncedAlert[]>();
  for (const row of alertRows) {
    const alert = fromRow(row, scope.stores.get(row.store_id));
    const key = pairKey(alert.storeId, alert.kpiId);
    alertsByPair.set(key, [...(alertsByPair.get(key) ?? []), alert]);
  }

  const alertCtx: AlertContext = { scope, settings, now: ctx.clock.now() };
  const tasks: NewTask[] = [];
  let opened = 0;
  let resolved = 0;
  for (const day of days) {
    const key = pairKey(day.storeId, day.kpiId);
    if (!scope.stores.has(day.storeId) || !scope.kpis.has(day.kpiId) || !scope.thresholds.has(key)) continue;
    const pairAlerts = alertsByPair.get(key) ?? [];
    const open = pairAlerts.find((a) => isOpenAlertStatus(a.status));
    if (day.status === 'green') {
      if (open && (open.lastEvaluatedDate ?? open.since) < day.d) {
        resolveRecovered(alertCtx, open, day);
        resolved += 1;
      }
      continue;
    }
    const covering = pairAlerts.some((a) => a.since <= day.d && day.d <= (a.lastEvaluatedDate ?? a.since));
    if (covering) continue;
    if (open) {
      if ((open.lastEvaluatedDate ?? open.since) < day.d) extendAlert(alertCtx, open, day);
      continue;
    }
    const created = openNewAlert(alertCtx, day, tasks);
    pairAlerts.push(created);
    alertsByPair.set(key, pairAlerts);
    opened += 1;
  }

  const all = [...alertsByPair.values()].flat();
  const byId = new Map(all.map((a) => [a.id, a]));
  // A task whose alert was born resolved (a backfilled condition that already ended) is cancelled from the start.
  const bornResolved = new Map(all.filter((a) => a.isNew && a.cancelPendingTasksOn).map((a) => [a.id, a.cancelPendingTasksOn!]));
  for (const task of tasks) {
    const recoveredOn = bornResolved.get(task.alertId);
    if (recoveredOn) {
      task.status = 'cancelled';
      task.outcome = recoveredOutcome(recoveredOn);
    } else {
      task.dueDate = byId.get(task.alertId)?.expiresAt ?? task.dueDate;
    }
  }
  await writeAlerts(
    ctx,
    all.filter((a) => a.changed),
  );
  await writeTasks(ctx, tasks);
  await followUpExistingTasks(
    ctx,
    all.filter((a) => !a.isNew && (a.cancelPendingTasksOn || a.tightenTasks)),
  );
  return { opened, resolved, tasksCreated: tasks.length, alerts: all };
}

const batchSize = 2000;

function chunked<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function writeAlerts(ctx: ServiceContext, alerts: SyncedAlert[]): Promise<void> {
  const org = ctx.organization.id;
  const now = ctx.clock.now().toISOString();
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  // Updates first: an alert resolved in this run must be closed before its successor (same dedupe key) is inserted.
  const updateBatches = chunked(
    alerts.filter((a) => !a.isNew),
    batchSize,
  );
  const insertBatches = chunked(
    alerts.filter((a) => a.isNew),
    batchSize,
  );
  for (const updates of updateBatches) {
    const payload = JSON.stringify(
      updates.map((a) => ({
        id: a.id,
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
      })),
    );
    await ctx.db.execute(sql`
        update store_health.alerts a set severity = x.severity, status = x.status, title = x.title, message = x.message,
          days_in_condition = x.days_in_condition, last_evaluated_date = x.last_evaluated_date, expires_at = x.expires_at,
          resolved_at = x.resolved_at, next_escalation_at = x.next_escalation_at, metadata = a.metadata || x.metadata,
          updated_at = ${now}::timestamptz
        from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, severity text, status text, title text, message text,
          days_in_condition int, last_evaluated_date date, expires_at timestamptz, resolved_at timestamptz,
          next_escalation_at timestamptz, metadata jsonb)
        where a.id = x.id and a.organization_id = ${org}::uuid`);
  }
  for (const inserts of insertBatches) {
    const payload = JSON.stringify(
      inserts.map((a) => ({
        id: a.id,
        store_id: a.storeId,
        kpi_id: a.kpiId,
        dedupe_key: a.dedupeKey,
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
      })),
    );
    await ctx.db.execute(sql`
        insert into store_health.alerts (id, organization_id, store_id, district_id, kpi_definition_id, scope, dedupe_key, alert_date, severity,
          escalation_level, status, title, message, requires_acknowledgment, expires_at, next_escalation_at, resolved_at,
          days_in_condition, last_evaluated_date, metadata, created_at, updated_at)
        select x.id, ${org}::uuid, x.store_id, s.district_id, x.kpi_id, 'store', x.dedupe_key, x.alert_date, x.severity,
          0, x.status, x.title, x.message, true, x.expires_at, x.next_escalation_at, x.resolved_at,
          x.days_in_condition, x.last_evaluated_date, x.metadata, ${now}::timestamptz, ${now}::timestamptz
        from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, store_id uuid, kpi_id uuid, dedupe_key text, alert_date timestamptz,
          severity text, status text, title text, message text, days_in_condition int, last_evaluated_date date, expires_at timestamptz,
          resolved_at timestamptz, next_escalation_at timestamptz, metadata jsonb)
        join store_health.stores s on s.id = x.store_id`);
  }
}

export async function writeTasks(ctx: ServiceContext, tasks: NewTask[]): Promise<void> {
  const org = ctx.organization.id;
  const now = ctx.clock.now().toISOString();
  for (let i = 0; i < tasks.length; i += batchSize) {
    const payload = JSON.stringify(
      tasks.slice(i, i + batchSize).map((t) => ({
        id: t.id,
        alert_id: t.alertId,
        store_id: t.storeId,
        kpi_id: t.kpiId,
        task_type: t.taskType,
        priority: t.priority,
        title: t.title,
        description: t.description,
        assigned_to_role: t.assignedToRole,
        assigned_to_name: t.assignedToName,
        assigned_to_contact: t.assignedToContact,
        status: t.status,
        due_date: t.dueDate ? t.dueDate.toISOString() : null,
        outcome: t.outcome,
        metadata: t.metadata,
      })),
    );
    await ctx.db.execute(sql`
      insert into store_health.tasks (id, organization_id, alert_id, store_id, kpi_definition_id, task_type, priority, title, description,
        assigned_to_role, assigned_to_name, assigned_to_contact, status, due_date, outcome, metadata, created_at, updated_at)
      select x.id, ${org}::uuid, x.alert_id, x.store_id, x.kpi_id, x.task_type, x.priority, x.title, x.description,
        x.assigned_to_role, x.assigned_to_name, x.assigned_to_contact, x.status, x.due_date, x.outcome, x.metadata,
        ${now}::timestamptz, ${now}::timestamptz
      from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, alert_id uuid, store_id uuid, kpi_id uuid, task_type text, priority int,
        title text, description text, assigned_to_role text, assigned_to_name text, assigned_to_contact text, status text,
        due_date timestamptz, outcome text, metadata jsonb)`);
  }
}

/** Existing alerts: cancel pending tasks of a recovered alert; pull open tasks' due date in after a severity raise. */
async function followUpExistingTasks(ctx: ServiceContext, alerts: SyncedAlert[]): Promise<void> {
  if (!alerts.length) return;
  const org = ctx.organization.id;
  const now = ctx.clock.now().toISOString();
  const payload = JSON.stringify(
    alerts.map((a) => ({
      alert_id: a.id,
      outcome: a.cancelPendingTasksOn ? recoveredOutcome(a.cancelPendingTasksOn) : null,
      due_date: a.tightenTasks && a.expiresAt ? a.expiresAt.toISOString() : null,
    })),
  );
  await ctx.db.execute(sql`
    update store_health.tasks t set
      status = case when x.outcome is not null and t.status = 'pending' then 'cancelled' else t.status end,
      outcome = case when x.outcome is not null and t.status = 'pending' then x.outcome else t.outcome end,
      due_date = case when x.due_date is not null and t.status in ('pending', 'in_progress') and (t.due_date is null or t.due_date > x.due_date)
        then x.due_date else t.due_date end,
      updated_at = ${now}::timestamptz
    from jsonb_to_recordset(${payload}::jsonb) as x(alert_id uuid, outcome text, due_date timestamptz)
    where t.alert_id = x.alert_id and t.organization_id = ${org}::uuid
      and ((x.outcome is not null and t.status = 'pending')
        or (x.due_date is not null and t.status in ('pending', 'in_progress') and (t.due_date is null or t.due_date > x.due_date)))`);
}
