import { and, asc, eq, inArray, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../../../core/clock.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { aiCalls, alerts, escalations } from '../schema.js';
import { placeDueCalls, scheduleEscalationCall, type CallEnv, type PlaceCallsSummary } from '../calls/call-workflow.js';
import { formatLocalDeadline } from '../calls/scripts-service.js';
import { createEscalationTask, insertEscalationStep, recordNotification } from './escalation-actions.js';
import { contactAt, isOpenAlert, loadEscalationSubject, storeHasPredictedRedRisk, type AlertRow, type EscalationSubject } from './escalation-subject.js';
import { labelOfLevel, triggeredByOf } from './levels.js';
import { nextDueRule, stepKey, type DueRule, type EscalationRuleRow, type RuleTimingState } from './rule-timing.js';
import { ensureDefaultEscalationRules, loadActiveEscalationRules } from './service.js';

/** What the engine runs with: a service context (organization, db, clock, log) and the voice provider choice. */
export type EscalationEnv = CallEnv;

export interface FiredEscalation {
  alertId: string;
  escalationId: string;
  fromLevel: number;
  toLevel: number;
  action: string;
  ruleId: string;
}

export interface EscalationRunSummary {
  alertsChecked: number;
  escalations: FiredEscalation[];
  callsScheduled: number;
  calls: PlaceCallsSummary;
  /** Escalations closed because their alert was acknowledged, resolved or expired meanwhile. */
  escalationsSettled: number;
  errors: { alertId: string; message: string }[];
}

const fixedClock = (at: Date): Clock => ({ now: () => new Date(at) });

/** Loads the rule-timing state of an alert from the database alone (no memory of earlier runs needed). */
export async function loadTimingState(ctx: ServiceContext, subject: EscalationSubject, rules: readonly EscalationRuleRow[]): Promise<RuleTimingState> {
  const steps = await ctx.db
    .select({ fromLevel: escalations.fromLevel, toLevel: escalations.toLevel, escalatedAt: escalations.escalatedAt })
    .from(escalations)
    .where(and(eq(escalations.organizationId, ctx.organization.id), eq(escalations.alertId, subject.alert.id)));
  const alert = subject.alert;
  const predictedRisk =
    alert.metadata?.predicted === true ||
    (rules.some((r) => r.triggerCondition === 'predicted_risk' && r.fromLevel === alert.escalationLevel) &&
      (await storeHasPredictedRedRisk(ctx, alert.storeId)));
  return {
    alert,
    levelSince: levelSinceOf(alert, steps),
    calendar: subject.calendar,
    predictedRisk,
    takenSteps: new Set(steps.map((s) => stepKey(s.fromLevel, s.toLevel))),
  };
}

/** The clock of a level starts when the alert was raised to it (same-level reminders do not restart it). */
function levelSinceOf(alert: AlertRow, steps: { fromLevel: number; toLevel: number; escalatedAt: Date }[]): Date {
  let since = alert.alertDate;
  for (const step of steps) {
    if (step.toLevel === alert.escalationLevel && step.toLevel > step.fromLevel && step.escalatedAt > since) since = step.escalatedAt;
  }
  return since;
}

function describeTrigger(due: DueRule, subject: EscalationSubject): string {
  const { rule } = due;
  const at = labelOfLevel(rule.fromLevel);
  const hours = `${rule.durationHours} opening hour${rule.durationHours === 1 ? '' : 's'}`;
  switch (rule.triggerCondition) {
    case 'status_red':
      return `Still ${subject.alert.severity} after ${hours} at ${at} level`;
    case 'status_yellow':
      return `Still yellow after ${hours} at ${at} level`;
    case 'sla_breach':
      return `Not acknowledged by the SLA deadline (${formatLocalDeadline(subject.alert.expiresAt!, subject.calendar.timezone)})${rule.durationHours ? ` plus ${hours} at ${at} level` : ''}`;
    case 'predicted_risk':
      return `Red risk predicted for the store${rule.durationHours ? `, ${hours} at ${at} level` : ''}`;
    default:
      return rule.triggerCondition;
  }
}

/** Fires one rule: records the step (exactly once across workers), then performs its action. */
async function fireRule(tx: ServiceContext, subject: EscalationSubject, due: DueRule): Promise<{ escalationId: string; callScheduled: boolean } | null> {
  const { rule } = due;
  const contact = contactAt(subject, rule.toLevel);
  const trigger = describeTrigger(due, subject);
  const escalation = await insertEscalationStep(tx, subject, {
    fromLevel: rule.fromLevel,
    toLevel: rule.toLevel,
    ruleId: rule.id,
    triggeredBy: triggeredByOf(rule.triggerCondition),
    reason: `${trigger}: ${rule.name ?? rule.action} → ${contact.name} (${labelOfLevel(rule.toLevel)}).`,
    contact,
    metadata: { ruleName: rule.name, trigger: rule.triggerCondition, action: rule.action, dueAt: due.dueAt.toISOString() },
  });
  if (!escalation) return null;
  const alert = subject.alert;
  let taskId: string | null = null;
  let callScheduled = false;
  switch (rule.action) {
    case 'create_task': {
      const task = await createEscalationTask(tx, subject, contact, {
        taskType: rule.toLevel > rule.fromLevel ? 'escalation' : 'review',
        title: rule.toLevel > rule.fromLevel ? `Escalated to you: ${alert.title}` : `Review: ${alert.title}`,
        description: `${trigger}. ${alert.message ?? ''}`.trim(),
        escalationId: escalation.id,
      });
      taskId = task?.id ?? null;
      break;
    }
    case 'send_alert':
      await recordNotification(tx, subject, [contact], `${alert.title} — ${trigger}.`, escalation.id);
      break;
    case 'ai_call':
      callScheduled = Boolean(await scheduleEscalationCall(tx, subject, { escalationId: escalation.id, contact }));
      break;
    case 'regional_escalation': {
      const task = await createEscalationTask(tx, subject, contact, {
        taskType: 'escalation',
        title: `Regional escalation: ${alert.title}`,
        description: `${trigger}. ${alert.message ?? ''}`.trim(),
        escalationId: escalation.id,
      });
      taskId = task?.id ?? null;
      const recipients = subject.contacts.filter((c) => c.level >= 2 && c.level <= rule.toLevel);
      await recordNotification(tx, subject, recipients, `${alert.title} — ${trigger}.`, escalation.id);
      break;
    }
  }
  if (taskId) await tx.db.update(escalations).set({ taskId }).where(eq(escalations.id, escalation.id));
  return { escalationId: escalation.id, callScheduled };
}

/**
 * Brings one locked alert up to date: fires every rule that is due by `now` (a late run catches up step by step),
 * then stores the persisted timer — the earliest moment any remaining rule can fire, or null.
 */
async function escalateAlert(
  tx: ServiceContext,
  alert: AlertRow,
  rules: readonly EscalationRuleRow[],
  now: Date,
): Promise<{ fired: FiredEscalation[]; callsScheduled: number }> {
  const result = { fired: [] as FiredEscalation[], callsScheduled: 0 };
  if (!isOpenAlert(alert) || alert.metadata?.folded === true) {
    await tx.db.update(alerts).set({ nextEscalationAt: null }).where(eq(alerts.id, alert.id));
    return result;
  }
  const subject = await loadEscalationSubject(tx, alert);
  let state = await loadTimingState(tx, subject, rules);
  // Bounded: each step is unique per (from, to) and levels only rise, so 25 covers every possible step.
  for (let i = 0; i < 25; i++) {
    const due = nextDueRule(rules, state);
    if (!due || due.dueAt > now) break;
    const fired = await fireRule(tx, subject, due);
    const raised = fired && due.rule.toLevel > due.rule.fromLevel;
    state = {
      ...state,
      alert: subject.alert,
      levelSince: raised ? now : state.levelSince,
      takenSteps: new Set([...state.takenSteps, stepKey(due.rule.fromLevel, due.rule.toLevel)]),
    };
    if (fired) {
      result.fired.push({
        alertId: alert.id,
        escalationId: fired.escalationId,
        fromLevel: due.rule.fromLevel,
        toLevel: due.rule.toLevel,
        action: due.rule.action,
        ruleId: due.rule.id,
      });
      if (fired.callScheduled) result.callsScheduled += 1;
    }
  }
  const next = nextDueRule(rules, state);
  await tx.db
    .update(alerts)
    .set({ nextEscalationAt: next?.dueAt ?? null, updatedAt: now })
    .where(eq(alerts.id, alert.id));
  return result;
}

/** One alert at a time, each in its own transaction, taken with SKIP LOCKED so parallel workers share the work. */
async function escalateDueAlertsOnce(ctx: EscalationEnv, rules: readonly EscalationRuleRow[], now: Date, summary: EscalationRunSummary) {
  const skip: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const current: { alertId: string | null } = { alertId: null };
    try {
      const found = await inTransaction(ctx, async (tx) => {
        const [alert] = await tx.db
          .select()
          .from(alerts)
          .where(
            and(
              eq(alerts.organizationId, tx.organization.id),
              inArray(alerts.status, ['active', 'acknowledged']),
              lte(alerts.nextEscalationAt, now),
              skip.length ? notInArray(alerts.id, skip) : undefined,
            ),
          )
          .orderBy(asc(alerts.nextEscalationAt), asc(alerts.id))
          .limit(1)
          .for('update', { skipLocked: true });
        if (!alert) return null;
        current.alertId = alert.id;
        return escalateAlert(tx, alert, rules, now);
      });
      if (!found) break;
      summary.alertsChecked += 1;
      summary.escalations.push(...found.fired);
      summary.callsScheduled += found.callsScheduled;
    } catch (error) {
      if (!current.alertId) throw error;
      // One broken alert must not stop the others; the auditor reports it while its timer stays overdue.
      ctx.log.error({ err: error, alertId: current.alertId }, 'escalating an alert failed');
      summary.errors.push({ alertId: current.alertId, message: (error as Error).message });
    }
    if (current.alertId) skip.push(current.alertId);
  }
}

async function executeReturning(ctx: ServiceContext, query: SQL): Promise<unknown[]> {
  const result = (await ctx.db.execute(query)) as unknown as { rows: unknown[] };
  return result.rows;
}

/**
 * Closes escalations whose alert moved on: acknowledged alerts acknowledge their pending escalations; resolved or
 * expired alerts resolve them and cancel calls still waiting to be dialled.
 */
export async function settleEscalationsOfClosedAlerts(ctx: ServiceContext, now: Date): Promise<number> {
  const org = ctx.organization.id;
  // Rows another worker is settling at the same moment are skipped, not waited for (no lock-order deadlocks).
  const resolved = await executeReturning(
    ctx,
    sql`
    update ${escalations} e
       set status = 'resolved',
           resolution = coalesce(e.resolution, a.metadata->>'resolution', 'Alert ' || a.status),
           resolved_at = coalesce(a.resolved_at, ${now}),
           updated_at = ${now}
      from ${alerts} a
     where a.id = e.alert_id
       and e.id in (select p.id from ${escalations} p join ${alerts} pa on pa.id = p.alert_id
                     where p.organization_id = ${org} and p.status <> 'resolved' and pa.status in ('resolved', 'expired')
                     for update of p skip locked)
    returning e.id`,
  );
  const acknowledged = await executeReturning(
    ctx,
    sql`
    update ${escalations} e
       set status = 'acknowledged', updated_at = ${now}
     where e.id in (select p.id from ${escalations} p join ${alerts} pa on pa.id = p.alert_id
                     where p.organization_id = ${org} and p.status = 'pending' and pa.status = 'acknowledged'
                     for update of p skip locked)
    returning e.id`,
  );
  await ctx.db.execute(sql`
    update ${aiCalls} c
       set call_status = 'cancelled', next_attempt_at = null, updated_at = ${now},
           metadata = c.metadata || jsonb_build_object('cancelledBecause', 'alert ' || a.status)
      from ${alerts} a
     where a.id = c.alert_id
       and c.id in (select q.id from ${aiCalls} q join ${alerts} qa on qa.id = q.alert_id
                     where q.organization_id = ${org} and q.call_status = 'scheduled'
                       and (qa.status in ('resolved', 'expired') or (qa.status = 'acknowledged' and qa.requires_acknowledgment))
                     for update of q skip locked)`);
  return resolved.length + acknowledged.length;
}

/** Asks the engine to re-plan an alert on its next pass (call after changing severity, status or SLA of an alert). */
export async function requestEscalationReplan(ctx: ServiceContext, alertId: string): Promise<void> {
  await ctx.db
    .update(alerts)
    .set({ nextEscalationAt: ctx.clock.now() })
    .where(
      and(
        eq(alerts.organizationId, ctx.organization.id),
        eq(alerts.id, alertId),
        inArray(alerts.status, ['active', 'acknowledged']),
        sql`(${alerts.metadata}->>'folded') is distinct from 'true'`,
      ),
    );
}

/**
 * The minute job: escalates every open alert whose persisted timer is due, dials due calls, then re-plans the
 * alerts the calls changed (an answered call acknowledges, an unanswered last attempt escalates). Everything it
 * needs is in the database, so a restarted or second worker simply continues.
 */
export async function escalateDueAlerts(env: EscalationEnv, now: Date = env.clock.now()): Promise<EscalationRunSummary> {
  const ctx: EscalationEnv = { ...env, clock: fixedClock(now) };
  const summary: EscalationRunSummary = {
    alertsChecked: 0,
    escalations: [],
    callsScheduled: 0,
    calls: { placed: 0, deferred: 0, cancelled: 0, failed: 0 },
    escalationsSettled: 0,
    errors: [],
  };
  await ensureDefaultEscalationRules(ctx);
  const rules = await loadActiveEscalationRules(ctx);
  summary.escalationsSettled = await settleEscalationsOfClosedAlerts(ctx, now);
  await escalateDueAlertsOnce(ctx, rules, now, summary);
  summary.calls = await placeDueCalls(ctx, now);
  if (summary.calls.placed > 0) {
    await escalateDueAlertsOnce(ctx, rules, now, summary);
    summary.escalationsSettled += await settleEscalationsOfClosedAlerts(ctx, now);
  }
  return summary;
}

/** The timer an alert should have now (auditor): the next rule's due time, without firing anything. */
export async function plannedEscalationAt(ctx: ServiceContext, alert: AlertRow, rules: readonly EscalationRuleRow[]): Promise<Date | null> {
  if (!isOpenAlert(alert) || alert.metadata?.folded === true) return null;
  const subject = await loadEscalationSubject(ctx, alert);
  const state = await loadTimingState(ctx, subject, rules);
  return nextDueRule(rules, state)?.dueAt ?? null;
}
