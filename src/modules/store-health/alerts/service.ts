import { aliasedTable, and, asc, count, eq, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../../../core/db/list-query.js';
import { conflict, notFound, validationFailed } from '../../../core/errors.js';
import { aiCalls, alerts, districts, escalations, kpiDefinitions, stores, tasks } from '../schema.js';

export const alertStatuses = ['active', 'acknowledged', 'resolved', 'expired'] as const;
export const alertSeverities = ['yellow', 'red', 'critical'] as const;
export const alertScopes = ['store', 'district'] as const;
export const taskStatuses = ['pending', 'in_progress', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

// ---- alerts ----

export const listAlertsQuery = listQuerySchema(['alertDate', 'severity', 'status', 'escalationLevel', 'daysInCondition', 'expiresAt'], '-alertDate', {
  status: z.enum(alertStatuses).optional(),
  severity: z.enum(alertSeverities).optional(),
  storeId: z.uuid().optional(),
  districtId: z.uuid().optional(),
  kpiId: z.uuid().optional(),
  scope: z.enum(alertScopes).optional(),
});

const alertDistricts = aliasedTable(districts, 'alert_district');

const alertColumns = {
  id: alerts.id,
  scope: alerts.scope,
  storeId: alerts.storeId,
  storeCode: stores.storeCode,
  storeName: stores.name,
  districtId: alerts.districtId,
  districtName: alertDistricts.name,
  kpiId: alerts.kpiDefinitionId,
  kpiCode: kpiDefinitions.kpiCode,
  kpiName: kpiDefinitions.name,
  alertDate: alerts.alertDate,
  severity: alerts.severity,
  escalationLevel: alerts.escalationLevel,
  status: alerts.status,
  title: alerts.title,
  message: alerts.message,
  acknowledgedAt: alerts.acknowledgedAt,
  acknowledgedBy: alerts.acknowledgedBy,
  resolvedAt: alerts.resolvedAt,
  expiresAt: alerts.expiresAt,
  daysInCondition: alerts.daysInCondition,
  snoozedUntil: alerts.snoozedUntil,
  parentAlertId: alerts.parentAlertId,
};

function alertQuery(ctx: ServiceContext) {
  return ctx.db
    .select(alertColumns)
    .from(alerts)
    .leftJoin(stores, eq(stores.id, alerts.storeId))
    .leftJoin(alertDistricts, eq(alertDistricts.id, alerts.districtId))
    .leftJoin(kpiDefinitions, eq(kpiDefinitions.id, alerts.kpiDefinitionId));
}

export type AlertView = Awaited<ReturnType<typeof listAlerts>>['data'][number];

export async function listAlerts(ctx: ServiceContext, query: z.infer<typeof listAlertsQuery>) {
  const where = and(
    eq(alerts.organizationId, ctx.organization.id),
    query.status ? eq(alerts.status, query.status) : undefined,
    query.severity ? eq(alerts.severity, query.severity) : undefined,
    query.storeId ? eq(alerts.storeId, query.storeId) : undefined,
    query.districtId ? eq(alerts.districtId, query.districtId) : undefined,
    query.kpiId ? eq(alerts.kpiDefinitionId, query.kpiId) : undefined,
    query.scope ? eq(alerts.scope, query.scope) : undefined,
    query.q
      ? or(ilike(alerts.title, likePattern(query.q)), ilike(stores.storeCode, likePattern(query.q)), ilike(stores.name, likePattern(query.q)))
      : undefined,
  );
  const data = await alertQuery(ctx)
    .where(where)
    .orderBy(
      ...orderBy(
        query.sort,
        {
          alertDate: alerts.alertDate,
          // Alphabetical order of critical < red < yellow is also most severe first.
          severity: alerts.severity,
          status: alerts.status,
          escalationLevel: alerts.escalationLevel,
          daysInCondition: alerts.daysInCondition,
          expiresAt: alerts.expiresAt,
        },
        alerts.id,
      ),
    )
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(alerts).leftJoin(stores, eq(stores.id, alerts.storeId)).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total: Number(total) } };
}

async function findAlert(ctx: ServiceContext, id: string) {
  const [row] = await alertQuery(ctx).where(and(eq(alerts.organizationId, ctx.organization.id), eq(alerts.id, id)));
  if (!row) throw notFound('Alert', id);
  return row;
}

export async function getAlert(ctx: ServiceContext, id: string) {
  const alert = await findAlert(ctx, id);
  const orgId = ctx.organization.id;
  const alertTasks = await taskQuery(ctx)
    .where(and(eq(tasks.organizationId, orgId), eq(tasks.alertId, id)))
    .orderBy(asc(tasks.createdAt), asc(tasks.id));
  const escalationRows = await ctx.db
    .select({
      id: escalations.id,
      alertId: escalations.alertId,
      storeId: escalations.storeId,
      taskId: escalations.taskId,
      fromLevel: escalations.fromLevel,
      toLevel: escalations.toLevel,
      escalationReason: escalations.escalationReason,
      triggeredBy: escalations.triggeredBy,
      escalatedAt: escalations.escalatedAt,
      escalatedToRole: escalations.escalatedToRole,
      escalatedToName: escalations.escalatedToName,
      escalatedToContact: escalations.escalatedToContact,
      status: escalations.status,
      resolution: escalations.resolution,
      resolvedAt: escalations.resolvedAt,
    })
    .from(escalations)
    .where(and(eq(escalations.organizationId, orgId), eq(escalations.alertId, id)))
    .orderBy(asc(escalations.escalatedAt), asc(escalations.id));
  const callRows = await ctx.db
    .select({
      id: aiCalls.id,
      storeId: aiCalls.storeId,
      alertId: aiCalls.alertId,
      taskId: aiCalls.taskId,
      escalationId: aiCalls.escalationId,
      callType: aiCalls.callType,
      callStatus: aiCalls.callStatus,
      recipientName: aiCalls.recipientName,
      recipientPhone: aiCalls.recipientPhone,
      callInitiatedAt: aiCalls.callInitiatedAt,
      callConnectedAt: aiCalls.callConnectedAt,
      callEndedAt: aiCalls.callEndedAt,
      callDurationSeconds: aiCalls.callDurationSeconds,
      sentiment: aiCalls.sentiment,
      response: aiCalls.response,
      followUpRequired: aiCalls.followUpRequired,
      attempt: aiCalls.attempt,
      provider: aiCalls.provider,
    })
    .from(aiCalls)
    .where(and(eq(aiCalls.organizationId, orgId), eq(aiCalls.alertId, id)))
    .orderBy(asc(aiCalls.createdAt), asc(aiCalls.id));
  return { ...alert, tasks: alertTasks, escalations: escalationRows, calls: callRows };
}

export const acknowledgeAlertInput = z.object({ note: z.string().trim().max(1000).optional() });
export const resolveAlertInput = z.object({ resolution: z.string().trim().min(1, 'Say how the alert was resolved').max(2000) });

async function lockAlert(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db
    .select()
    .from(alerts)
    .where(and(eq(alerts.organizationId, ctx.organization.id), eq(alerts.id, id)))
    .for('update');
  if (!row) throw notFound('Alert', id);
  return row;
}

/** The person on duty has seen the alert; escalation and the SLA clock carry on until it is resolved. */
export async function acknowledgeAlert(ctx: ServiceContext, id: string, input: z.infer<typeof acknowledgeAlertInput>): Promise<AlertView> {
  await inTransaction(ctx, async (tx) => {
    const before = await lockAlert(tx, id);
    if (before.status === 'acknowledged') {
      throw conflict(`This alert was already acknowledged by ${before.acknowledgedBy ?? 'someone'}.`, [{ path: 'status', message: 'Already acknowledged' }]);
    }
    if (before.status !== 'active')
      throw conflict(`This alert is ${before.status}; only an active alert can be acknowledged.`, [{ path: 'status', message: `Is ${before.status}` }]);
    const now = ctx.clock.now();
    const [after] = await tx.db
      .update(alerts)
      .set({
        status: 'acknowledged',
        acknowledgedAt: now,
        acknowledgedBy: tx.actor.label,
        metadata: { ...before.metadata, ...(input.note ? { acknowledgementNote: input.note } : {}) },
        updatedAt: now,
      })
      .where(and(eq(alerts.organizationId, ctx.organization.id), eq(alerts.id, id)))
      .returning();
    await recordAudit(tx, { action: 'alert.acknowledged', entityType: 'store_health.alert', entityId: id, before, after });
  });
  return findAlert(ctx, id);
}

/**
 * Closes an alert by hand. Pending tasks are cancelled (work in progress stays with its owner); store alerts folded
 * into a resolved district alert get their own escalation timer back.
 */
export async function resolveAlert(ctx: ServiceContext, id: string, input: z.infer<typeof resolveAlertInput>): Promise<AlertView> {
  await inTransaction(ctx, async (tx) => {
    const before = await lockAlert(tx, id);
    if (before.status === 'resolved' || before.status === 'expired') {
      throw conflict(`This alert is already ${before.status}.`, [{ path: 'status', message: `Is ${before.status}` }]);
    }
    const now = ctx.clock.now();
    const [after] = await tx.db
      .update(alerts)
      .set({
        status: 'resolved',
        resolvedAt: now,
        nextEscalationAt: null,
        metadata: { ...before.metadata, resolution: input.resolution, resolvedBy: tx.actor.label },
        updatedAt: now,
      })
      .where(and(eq(alerts.organizationId, ctx.organization.id), eq(alerts.id, id)))
      .returning();
    const cancelled = await tx.db
      .update(tasks)
      .set({ status: 'cancelled', outcome: `Alert resolved by ${tx.actor.label}: ${input.resolution}`, updatedAt: now })
      .where(and(eq(tasks.organizationId, ctx.organization.id), eq(tasks.alertId, id), eq(tasks.status, 'pending')))
      .returning({ id: tasks.id });
    if (before.scope === 'district') {
      await tx.db
        .update(alerts)
        .set({ nextEscalationAt: now, metadata: sql`${alerts.metadata} || '{"folded": false}'::jsonb`, updatedAt: now })
        .where(
          and(
            eq(alerts.organizationId, ctx.organization.id),
            eq(alerts.parentAlertId, id),
            inArray(alerts.status, ['active', 'acknowledged']),
            sql`${alerts.metadata} ->> 'folded' = 'true'`,
          ),
        );
    }
    await recordAudit(tx, {
      action: 'alert.resolved',
      entityType: 'store_health.alert',
      entityId: id,
      before,
      after: { ...after, cancelledTaskIds: cancelled.map((t) => t.id) },
    });
  });
  return findAlert(ctx, id);
}

// ---- tasks ----

export const listTasksQuery = listQuerySchema(['dueDate', 'priority', 'status', 'createdAt'], 'dueDate', {
  status: z.enum(taskStatuses).optional(),
  storeId: z.uuid().optional(),
  assignedToRole: z.string().trim().min(1).max(50).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

function taskQuery(ctx: ServiceContext) {
  return ctx.db
    .select({
      id: tasks.id,
      alertId: tasks.alertId,
      storeId: tasks.storeId,
      storeCode: stores.storeCode,
      storeName: stores.name,
      kpiCode: kpiDefinitions.kpiCode,
      taskType: tasks.taskType,
      priority: tasks.priority,
      title: tasks.title,
      description: tasks.description,
      assignedToRole: tasks.assignedToRole,
      assignedToName: tasks.assignedToName,
      assignedToContact: tasks.assignedToContact,
      status: tasks.status,
      dueDate: tasks.dueDate,
      completedAt: tasks.completedAt,
      completedBy: tasks.completedBy,
      outcome: tasks.outcome,
    })
    .from(tasks)
    .innerJoin(stores, eq(stores.id, tasks.storeId))
    .leftJoin(kpiDefinitions, eq(kpiDefinitions.id, tasks.kpiDefinitionId));
}

export type TaskView = Awaited<ReturnType<typeof listTasks>>['data'][number];

export async function listTasks(ctx: ServiceContext, query: z.infer<typeof listTasksQuery>) {
  const conditions: (SQL | undefined)[] = [
    eq(tasks.organizationId, ctx.organization.id),
    query.status ? eq(tasks.status, query.status) : undefined,
    query.storeId ? eq(tasks.storeId, query.storeId) : undefined,
    query.assignedToRole ? eq(tasks.assignedToRole, query.assignedToRole) : undefined,
    query.q ? or(ilike(tasks.title, likePattern(query.q)), ilike(stores.storeCode, likePattern(query.q)), ilike(stores.name, likePattern(query.q))) : undefined,
  ];
  if (query.overdue === true) conditions.push(inArray(tasks.status, ['pending', 'in_progress']), lt(tasks.dueDate, ctx.clock.now()));
  if (query.overdue === false)
    conditions.push(sql`not (${tasks.status} in ('pending', 'in_progress') and ${tasks.dueDate} < ${ctx.clock.now().toISOString()}::timestamptz)`);
  const where = and(...conditions);
  const data = await taskQuery(ctx)
    .where(where)
    .orderBy(...orderBy(query.sort, { dueDate: tasks.dueDate, priority: tasks.priority, status: tasks.status, createdAt: tasks.createdAt }, tasks.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(tasks).innerJoin(stores, eq(stores.id, tasks.storeId)).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total: Number(total) } } satisfies Page<unknown>;
}

async function findTask(ctx: ServiceContext, id: string) {
  const [row] = await taskQuery(ctx).where(and(eq(tasks.organizationId, ctx.organization.id), eq(tasks.id, id)));
  if (!row) throw notFound('Task', id);
  return row;
}

export async function getTask(ctx: ServiceContext, id: string): Promise<TaskView> {
  return findTask(ctx, id);
}

export const updateTaskInput = z
  .object({
    status: z.enum(taskStatuses).optional(),
    outcome: z.string().trim().min(1).max(2000).optional(),
    assignedToName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((patch) => patch.status !== undefined || patch.outcome !== undefined || patch.assignedToName !== undefined, {
    message: 'Send status, outcome or assignedToName',
  });

/** pending → in_progress → completed / cancelled (pending may also be completed or cancelled directly). */
const allowedTransitions: Record<TaskStatus, readonly TaskStatus[]> = {
  pending: ['in_progress', 'completed', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export async function updateTask(ctx: ServiceContext, id: string, patch: z.infer<typeof updateTaskInput>): Promise<TaskView> {
  await inTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.organizationId, ctx.organization.id), eq(tasks.id, id)))
      .for('update');
    if (!before) throw notFound('Task', id);
    const current = before.status as TaskStatus;
    if (current === 'completed' || current === 'cancelled') {
      throw conflict(`This task is ${current}; a finished task cannot change.`, [{ path: 'status', message: `Is ${current}` }]);
    }
    const next = patch.status ?? current;
    if (next !== current && !allowedTransitions[current].includes(next)) {
      throw conflict(`A ${current} task cannot become ${next}.`, [
        { path: 'status', message: `Allowed from ${current}: ${allowedTransitions[current].join(', ')}` },
      ]);
    }
    const outcome = patch.outcome ?? before.outcome;
    if (next === 'completed' && !outcome) {
      throw validationFailed('Say what was done before completing the task.', [{ path: 'outcome', message: 'Required to complete a task' }]);
    }
    const now = ctx.clock.now();
    const finishing = next !== current && (next === 'completed' || next === 'cancelled');
    const [after] = await tx.db
      .update(tasks)
      .set({
        status: next,
        outcome,
        assignedToName: patch.assignedToName ?? before.assignedToName,
        completedAt: finishing ? now : before.completedAt,
        completedBy: finishing ? tx.actor.label : before.completedBy,
        updatedAt: now,
      })
      .where(and(eq(tasks.organizationId, ctx.organization.id), eq(tasks.id, id)))
      .returning();
    await recordAudit(tx, { action: next !== current ? `task.${next}` : 'task.updated', entityType: 'store_health.task', entityId: id, before, after });
  });
  return findTask(ctx, id);
}
