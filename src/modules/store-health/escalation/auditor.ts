import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { inTransaction } from '../../../core/context.js';
import { recordSystemEvent } from '../../../core/settings/settings-service.js';
import { aiCalls, alerts } from '../schema.js';
import { recordCallOutcome } from '../calls/call-workflow.js';
import { plannedEscalationAt, settleEscalationsOfClosedAlerts, type EscalationEnv } from './engine.js';
import { ensureDefaultEscalationRules, loadActiveEscalationRules } from './service.js';

/** A timer this far overdue means the minute job did not handle the alert (it failed, or no worker ran). */
export const stuckAfterMinutes = 30;
/** A call without a final status after this long lost its provider callback. */
export const callStuckAfterMinutes = 60;

export interface AuditFinding {
  kind: 'missing_timer' | 'stuck_timer' | 'stuck_call' | 'overdue_call';
  alertId: string | null;
  callId?: string;
  previous: Date | null;
  fixedTo: Date | null;
  message: string;
}

export interface EscalationAuditReport {
  checkedAlerts: number;
  findings: AuditFinding[];
  escalationsSettled: number;
}

/**
 * The escalation auditor (every 15 minutes): open alerts without a timer although a rule applies, timers more than
 * 30 minutes overdue, and calls that never finished. Timers are re-planned from the database, stuck calls count as
 * not answered (redial or escalate), and every finding becomes a system event.
 */
export async function auditEscalations(env: EscalationEnv, now: Date = env.clock.now()): Promise<EscalationAuditReport> {
  const ctx: EscalationEnv = { ...env, clock: { now: () => new Date(now) } };
  const org = ctx.organization.id;
  await ensureDefaultEscalationRules(ctx);
  const rules = await loadActiveEscalationRules(ctx);
  const stuckBefore = new Date(now.getTime() - stuckAfterMinutes * 60_000);
  const suspicious = and(
    eq(alerts.organizationId, org),
    inArray(alerts.status, ['active', 'acknowledged']),
    sql`(${alerts.metadata}->>'folded') is distinct from 'true'`,
    or(isNull(alerts.nextEscalationAt), lt(alerts.nextEscalationAt, stuckBefore)),
  );
  const candidates = await ctx.db.select({ id: alerts.id }).from(alerts).where(suspicious).orderBy(asc(alerts.id)).limit(5000);
  const findings: AuditFinding[] = [];
  for (const { id } of candidates) {
    const finding = await inTransaction(ctx, async (tx) => {
      const [alert] = await tx.db
        .select()
        .from(alerts)
        .where(and(suspicious, eq(alerts.id, id)))
        .for('update', { skipLocked: true });
      if (!alert) return null;
      const planned = await plannedEscalationAt(tx, alert, rules);
      const previous = alert.nextEscalationAt;
      if (previous === null && planned === null) return null;
      await tx.db.update(alerts).set({ nextEscalationAt: planned, updatedAt: now }).where(eq(alerts.id, alert.id));
      const found: AuditFinding =
        previous === null
          ? {
              kind: 'missing_timer',
              alertId: alert.id,
              previous,
              fixedTo: planned,
              message: `Alert "${alert.title}" had no escalation timer although a rule applies; set to ${planned!.toISOString()}.`,
            }
          : {
              kind: 'stuck_timer',
              alertId: alert.id,
              previous,
              fixedTo: planned,
              message: `Escalation of alert "${alert.title}" was due at ${previous.toISOString()} and not handled; re-planned to ${planned?.toISOString() ?? 'no further escalation'}.`,
            };
      await recordSystemEvent(tx, {
        eventType: 'store_health.escalation_audit',
        severity: 'warning',
        message: found.message,
        details: { kind: found.kind, alertId: found.alertId, previous: previous?.toISOString() ?? null, fixedTo: planned?.toISOString() ?? null },
      });
      return found;
    });
    if (finding) findings.push(finding);
  }

  const lostCalls = await ctx.db
    .select({ id: aiCalls.id, alertId: aiCalls.alertId, initiatedAt: aiCalls.callInitiatedAt })
    .from(aiCalls)
    .where(
      and(
        eq(aiCalls.organizationId, org),
        eq(aiCalls.callStatus, 'in_progress'),
        isNull(aiCalls.response),
        lt(aiCalls.callInitiatedAt, new Date(now.getTime() - callStuckAfterMinutes * 60_000)),
      ),
    );
  for (const call of lostCalls) {
    const recorded = await recordCallOutcome(ctx, call.id, {
      answer: 'no_answer',
      transcript: null,
      sentiment: null,
      detail: { error: `no final status from the provider within ${callStuckAfterMinutes} minutes`, failed: true },
    });
    if (!recorded.applied) continue;
    const message = `AI call ${call.id} got no final status within ${callStuckAfterMinutes} minutes; counted as not answered (${recorded.effect}).`;
    findings.push({ kind: 'stuck_call', alertId: call.alertId, callId: call.id, previous: call.initiatedAt, fixedTo: null, message });
    await recordSystemEvent(ctx, {
      eventType: 'store_health.escalation_audit',
      severity: 'warning',
      message,
      details: { kind: 'stuck_call', callId: call.id },
    });
  }

  const overdueCalls = await ctx.db
    .select({ id: aiCalls.id, alertId: aiCalls.alertId, nextAttemptAt: aiCalls.nextAttemptAt })
    .from(aiCalls)
    .where(and(eq(aiCalls.organizationId, org), eq(aiCalls.callStatus, 'scheduled'), lt(aiCalls.nextAttemptAt, stuckBefore)));
  for (const call of overdueCalls) {
    const message = `AI call ${call.id} was due at ${call.nextAttemptAt!.toISOString()} and has not been placed; is a worker running?`;
    findings.push({ kind: 'overdue_call', alertId: call.alertId, callId: call.id, previous: call.nextAttemptAt, fixedTo: null, message });
    await recordSystemEvent(ctx, {
      eventType: 'store_health.escalation_audit',
      severity: 'warning',
      message,
      details: { kind: 'overdue_call', callId: call.id },
    });
  }

  const escalationsSettled = await settleEscalationsOfClosedAlerts(ctx, now);
  return { checkedAlerts: candidates.length, findings, escalationsSettled };
}
