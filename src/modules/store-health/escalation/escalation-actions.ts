import { and, eq, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { getConfigValue, writeSystemLog } from '../../../core/settings/settings-service.js';
import { alerts, escalations, tasks } from '../schema.js';
import { addOpenHours } from '../shared/opening-hours.js';
import type { EscalationContact, EscalationSubject } from './escalation-subject.js';
import { labelOfLevel, priorityOfSeverity } from './levels.js';

export type EscalationRow = typeof escalations.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;

export interface EscalationStep {
  fromLevel: number;
  toLevel: number;
  ruleId: string | null;
  triggeredBy: 'threshold' | 'sla_breach' | 'manual' | 'predicted_risk';
  reason: string;
  contact: EscalationContact;
  metadata: Record<string, unknown>;
}

/**
 * Records one escalation step. The unique (alert, from, to) index makes this the point where two workers meet:
 * the second insert does nothing and returns null, and the caller must then not act.
 */
export async function insertEscalationStep(ctx: ServiceContext, subject: EscalationSubject, step: EscalationStep): Promise<EscalationRow | null> {
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .insert(escalations)
    .values({
      organizationId: ctx.organization.id,
      storeId: subject.alert.storeId,
      alertId: subject.alert.id,
      ruleId: step.ruleId,
      fromLevel: step.fromLevel,
      toLevel: step.toLevel,
      escalationReason: step.reason,
      triggeredBy: step.triggeredBy,
      escalatedAt: now,
      escalatedToRole: step.contact.role,
      escalatedToName: step.contact.name,
      escalatedToContact: step.contact.phone ?? step.contact.email,
      status: 'pending',
      metadata: step.metadata,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: [escalations.alertId, escalations.fromLevel, escalations.toLevel] })
    .returning();
  if (!row) return null;
  if (step.toLevel > subject.alert.escalationLevel) {
    await ctx.db
      .update(alerts)
      .set({ escalationLevel: step.toLevel, updatedAt: now })
      .where(and(eq(alerts.organizationId, ctx.organization.id), eq(alerts.id, subject.alert.id)));
    subject.alert = { ...subject.alert, escalationLevel: step.toLevel };
  }
  return row;
}

type SlaHours = Partial<Record<'yellow' | 'red' | 'critical', number>>;
const defaultSlaHours = { yellow: 24, red: 8, critical: 4 };

/** A task for one contact about the alert, due within the severity's SLA in store opening hours. */
export async function createEscalationTask(
  ctx: ServiceContext,
  subject: EscalationSubject,
  contact: EscalationContact,
  options: { taskType: 'escalation' | 'review' | 'follow_up' | 'action'; title: string; description: string; dueAt?: Date; escalationId?: string | null },
): Promise<TaskRow | null> {
  // tasks.store_id is required: a district alert without any store in its district cannot hold a task.
  if (!subject.store) {
    ctx.log.warn({ alertId: subject.alert.id }, 'no store to attach an escalation task to; task skipped');
    return null;
  }
  const now = ctx.clock.now();
  let dueAt = options.dueAt;
  if (!dueAt) {
    const sla = { ...defaultSlaHours, ...(await getConfigValue<SlaHours>(ctx, 'store_health.sla_hours', defaultSlaHours)) };
    const hours = sla[subject.alert.severity as keyof SlaHours] ?? defaultSlaHours.red;
    dueAt = addOpenHours(subject.calendar, now, hours) ?? new Date(now.getTime() + hours * 3_600_000);
  }
  const [task] = await ctx.db
    .insert(tasks)
    .values({
      organizationId: ctx.organization.id,
      alertId: subject.alert.id,
      storeId: subject.store.id,
      kpiDefinitionId: subject.alert.kpiDefinitionId,
      taskType: options.taskType,
      priority: priorityOfSeverity(subject.alert.severity),
      title: options.title,
      description: options.description,
      assignedToRole: contact.role,
      assignedToName: contact.name,
      assignedToContact: contact.phone ?? contact.email,
      status: 'pending',
      dueDate: dueAt,
      metadata: { source: 'escalation', level: contact.level, escalationId: options.escalationId ?? null },
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return task;
}

/**
 * `send_alert`: there is no mail or SMS transport in this build, so a notification is recorded on the alert
 * (metadata.notifications, shown with the alert) and in the system log, where operators relay it.
 */
export async function recordNotification(
  ctx: ServiceContext,
  subject: EscalationSubject,
  recipients: EscalationContact[],
  message: string,
  escalationId: string,
) {
  const now = ctx.clock.now();
  const entries = recipients.map((c) => ({
    at: now.toISOString(),
    level: c.level,
    role: c.role,
    name: c.name,
    contact: c.email ?? c.phone,
    channel: 'system_log',
    escalationId,
    message,
  }));
  await ctx.db
    .update(alerts)
    .set({
      metadata: sql`jsonb_set(${alerts.metadata}, '{notifications}', coalesce(${alerts.metadata}->'notifications', '[]'::jsonb) || ${JSON.stringify(entries)}::jsonb)`,
      updatedAt: now,
    })
    .where(and(eq(alerts.organizationId, ctx.organization.id), eq(alerts.id, subject.alert.id)));
  for (const entry of entries) {
    await writeSystemLog(ctx, 'warning', 'store-health.escalation', `Notify ${entry.name} (${labelOfLevel(entry.level)}): ${message}`, entry);
  }
}
