import { and, asc, eq, inArray, lte, notInArray } from 'drizzle-orm';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { getConfigValue } from '../../../core/settings/settings-service.js';
import { aiCalls, alerts, escalations, stores } from '../schema.js';
import { addDays, localDate, localMinutes, parseMinutes, zonedInstant } from '../shared/dates.js';
import { createEscalationTask, insertEscalationStep } from '../escalation/escalation-actions.js';
import {
  contactAt,
  isOpenAlert,
  loadEscalationSubject,
  type AlertRow,
  type EscalationContact,
  type EscalationSubject,
} from '../escalation/escalation-subject.js';
import { labelOfLevel, maxEscalationLevel } from '../escalation/levels.js';
import type { CallOutcome, CallProvider, CallProviderResolver, CallRequest, CallType, SimulatedScenario } from './call-provider.js';
import { activeCallScript, callScriptValues, callTypeOfSeverity, formatLocalDeadline, renderCallScript } from './scripts-service.js';
import { createSimulatedProvider } from './simulated-provider.js';

export type AiCallRow = typeof aiCalls.$inferSelect;

/** A service context plus the way to reach a voice provider (simulated when not given). */
export interface CallEnv extends ServiceContext {
  callProviders?: CallProviderResolver;
}

export interface CallWindow {
  start: string;
  end: string;
}

const defaultWindow: CallWindow = { start: '08:00', end: '20:00' };
const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Setting `calls.window` (store-local, e.g. 08:00–20:00); an unusable value falls back to the default. */
export async function callWindowOf(ctx: ServiceContext): Promise<CallWindow> {
  const value = await getConfigValue<Partial<CallWindow> | null>(ctx, 'calls.window', defaultWindow);
  if (value && typeof value.start === 'string' && typeof value.end === 'string' && hhmm.test(value.start) && hhmm.test(value.end)) {
    if (parseMinutes(value.start) < parseMinutes(value.end)) return { start: value.start, end: value.end };
  }
  return defaultWindow;
}

async function callPolicy(ctx: ServiceContext) {
  const maxAttempts = Number(await getConfigValue<number>(ctx, 'calls.max_attempts', 3));
  const redialMinutes = Number(await getConfigValue<number>(ctx, 'calls.redial_minutes', 15));
  return {
    maxAttempts: Number.isInteger(maxAttempts) && maxAttempts >= 1 ? maxAttempts : 3,
    redialMinutes: Number.isFinite(redialMinutes) && redialMinutes > 0 ? redialMinutes : 15,
  };
}

/** The instant itself when it lies in the daily call window (store-local), else the window's next opening. */
export function nextCallWindowStart(timeZone: string, instant: Date, window: CallWindow): Date {
  const minutes = localMinutes(instant, timeZone);
  if (minutes >= parseMinutes(window.start) && minutes < parseMinutes(window.end)) return instant;
  const today = localDate(instant, timeZone);
  return zonedInstant(minutes < parseMinutes(window.start) ? today : addDays(today, 1), window.start, timeZone);
}

/** `ai_call` action: a call to the level's contact, placed now if inside the call window, else at its next opening. */
export async function scheduleEscalationCall(
  ctx: ServiceContext,
  subject: EscalationSubject,
  input: { escalationId: string; contact: EscalationContact; callType?: CallType },
): Promise<AiCallRow | null> {
  // ai_calls.store_id is required: a district alert without any store in its district cannot be called about.
  if (!subject.store) {
    ctx.log.warn({ alertId: subject.alert.id }, 'no store to attach an AI call to; call skipped');
    return null;
  }
  const now = ctx.clock.now();
  const window = await callWindowOf(ctx);
  const [call] = await ctx.db
    .insert(aiCalls)
    .values({
      organizationId: ctx.organization.id,
      storeId: subject.store.id,
      alertId: subject.alert.id,
      escalationId: input.escalationId,
      callType: input.callType ?? callTypeOfSeverity(subject.alert.severity),
      callStatus: 'scheduled',
      recipientName: input.contact.name,
      recipientPhone: input.contact.phone,
      attempt: 1,
      nextAttemptAt: nextCallWindowStart(subject.store.timezone, now, window),
      metadata: { level: input.contact.level, role: input.contact.role },
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return call;
}

/** Scenario for the simulated provider from the alert (`metadata.simulatedCallScenario`, one or one per attempt). */
function scenarioFor(alert: AlertRow | null, attempt: number): SimulatedScenario | undefined {
  const raw = alert?.metadata?.simulatedCallScenario;
  const pick = Array.isArray(raw) ? raw[Math.min(attempt, raw.length) - 1] : raw;
  if (typeof pick === 'string') return { answer: pick as SimulatedScenario['answer'] };
  if (pick && typeof pick === 'object' && typeof (pick as SimulatedScenario).answer === 'string') return pick as SimulatedScenario;
  return undefined;
}

type Claim = { kind: 'placed'; call: AiCallRow; request: CallRequest } | { kind: 'deferred' } | { kind: 'cancelled' } | { kind: 'none' };

/** Takes one due call for this worker: SKIP LOCKED plus the status change make sure only one worker dials it. */
async function claimDueCall(env: CallEnv, now: Date, providerName: string, skip: string[]): Promise<Claim> {
  return inTransaction(env, async (tx) => {
    const org = tx.organization.id;
    const [call] = await tx.db
      .select()
      .from(aiCalls)
      .where(
        and(
          eq(aiCalls.organizationId, org),
          eq(aiCalls.callStatus, 'scheduled'),
          lte(aiCalls.nextAttemptAt, now),
          skip.length ? notInArray(aiCalls.id, skip) : undefined,
        ),
      )
      .orderBy(asc(aiCalls.nextAttemptAt), asc(aiCalls.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!call) return { kind: 'none' };
    const [alert] = call.alertId
      ? await tx.db
          .select()
          .from(alerts)
          .where(and(eq(alerts.organizationId, org), eq(alerts.id, call.alertId)))
      : [];
    if (alert && (!isOpenAlert(alert) || (alert.status === 'acknowledged' && alert.requiresAcknowledgment))) {
      await tx.db
        .update(aiCalls)
        .set({ callStatus: 'cancelled', nextAttemptAt: null, metadata: { ...call.metadata, cancelledBecause: `alert ${alert.status}` }, updatedAt: now })
        .where(eq(aiCalls.id, call.id));
      return { kind: 'cancelled' };
    }
    const [store] = await tx.db
      .select()
      .from(stores)
      .where(and(eq(stores.organizationId, org), eq(stores.id, call.storeId)));
    const window = await callWindowOf(tx);
    const windowStart = nextCallWindowStart(store.timezone, now, window);
    if (windowStart.getTime() !== now.getTime()) {
      // Due while no worker ran inside the window (e.g. a restart at night): wait for the next window.
      await tx.db.update(aiCalls).set({ nextAttemptAt: windowStart, updatedAt: now }).where(eq(aiCalls.id, call.id));
      return { kind: 'deferred' };
    }
    const callType = call.callType as CallType;
    const script = await activeCallScript(tx, callType);
    const values = await callScriptValues(tx, { alertId: call.alertId, storeId: call.storeId, recipientName: call.recipientName });
    const text = renderCallScript(script.scriptContent, values);
    const [claimed] = await tx.db
      .update(aiCalls)
      .set({
        callStatus: 'in_progress',
        callInitiatedAt: now,
        provider: providerName,
        scriptId: script.id,
        scriptVersion: script.version,
        nextAttemptAt: null,
        metadata: { ...call.metadata, script: text },
        updatedAt: now,
      })
      .where(eq(aiCalls.id, call.id))
      .returning();
    return {
      kind: 'placed',
      call: claimed,
      request: {
        callId: call.id,
        organizationId: org,
        alertId: call.alertId,
        attempt: call.attempt,
        callType,
        to: call.recipientPhone ?? '',
        recipientName: call.recipientName ?? 'store team',
        script: text,
        timezone: store.timezone,
        now,
        scenario: scenarioFor(alert ?? null, call.attempt),
      },
    };
  });
}

export interface PlaceCallsSummary {
  placed: number;
  deferred: number;
  cancelled: number;
  failed: number;
}

/** Default: the simulated provider for every organization. */
const simulatedResolver: CallProviderResolver = async () => createSimulatedProvider();

/** Dials every scheduled call that is due (redials included), one claim at a time. */
export async function placeDueCalls(env: CallEnv, now: Date = env.clock.now()): Promise<PlaceCallsSummary> {
  const summary: PlaceCallsSummary = { placed: 0, deferred: 0, cancelled: 0, failed: 0 };
  const [due] = await env.db
    .select({ id: aiCalls.id })
    .from(aiCalls)
    .where(and(eq(aiCalls.organizationId, env.organization.id), eq(aiCalls.callStatus, 'scheduled'), lte(aiCalls.nextAttemptAt, now)))
    .limit(1);
  if (!due) return summary;
  let provider: CallProvider;
  try {
    provider = await (env.callProviders ?? simulatedResolver)(env);
  } catch (error) {
    env.log.error({ err: error }, 'no call provider available; scheduled calls wait');
    summary.failed += 1;
    return summary;
  }
  const skip: string[] = [];
  for (let i = 0; i < 500; i++) {
    const claim = await claimDueCall(env, now, provider.name, skip);
    if (claim.kind === 'none') break;
    if (claim.kind === 'deferred') summary.deferred += 1;
    if (claim.kind === 'cancelled') summary.cancelled += 1;
    if (claim.kind !== 'placed') continue;
    skip.push(claim.call.id);
    summary.placed += 1;
    if (!claim.request.to) {
      await recordCallOutcome(env, claim.call.id, {
        answer: 'no_answer',
        transcript: null,
        sentiment: null,
        retryable: false,
        detail: { error: 'no phone number' },
      });
      continue;
    }
    try {
      const placed = await provider.placeCall(claim.request);
      await env.db
        .update(aiCalls)
        .set({ externalCallId: placed.externalCallId, updatedAt: env.clock.now() })
        .where(and(eq(aiCalls.organizationId, env.organization.id), eq(aiCalls.id, claim.call.id)));
      if (placed.outcome) await recordCallOutcome(env, claim.call.id, placed.outcome);
    } catch (error) {
      summary.failed += 1;
      env.log.warn({ err: error, callId: claim.call.id }, 'placing a call failed; treated as not answered');
      await recordCallOutcome(env, claim.call.id, {
        answer: 'no_answer',
        transcript: null,
        sentiment: null,
        detail: { error: (error as Error).message, failed: true },
      });
    }
  }
  return summary;
}

const callStatusOf = (outcome: CallOutcome) =>
  outcome.detail?.failed ? 'failed' : outcome.answer === 'no_answer' || outcome.answer === 'voicemail' ? 'no_answer' : 'completed';

export interface RecordedOutcome {
  applied: boolean;
  effect: 'acknowledged' | 'snoozed' | 'redial' | 'escalated' | 'none';
  call: AiCallRow | null;
}

/**
 * Stores what happened on a call and lets the answer drive the alert: yes → acknowledged; later → snoozed until
 * the promised time with a follow-up task; no answer, voicemail or an unclear answer → redial inside the window,
 * and after the last attempt escalate one level. A second report of the same call (Twilio retries) changes nothing.
 */
export async function recordCallOutcome(ctx: ServiceContext, callId: string, outcome: CallOutcome): Promise<RecordedOutcome> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const org = tx.organization.id;
    const [current] = await tx.db
      .select()
      .from(aiCalls)
      .where(and(eq(aiCalls.organizationId, org), eq(aiCalls.id, callId)))
      .for('update');
    if (!current || current.response !== null) return { applied: false, effect: 'none', call: current ?? null };
    const finalNoAnswer = outcome.answer !== 'yes' && outcome.answer !== 'later';
    const [call] = await tx.db
      .update(aiCalls)
      .set({
        callStatus: callStatusOf(outcome),
        response: outcome.answer === 'voicemail' ? 'no_answer' : outcome.answer,
        transcript: outcome.transcript,
        sentiment: outcome.sentiment,
        callConnectedAt: outcome.connectedAt ?? current.callConnectedAt,
        callEndedAt: outcome.endedAt ?? now,
        callDurationSeconds: outcome.durationSeconds ?? current.callDurationSeconds,
        recordingUrl: outcome.recordingUrl ?? current.recordingUrl,
        followUpRequired: outcome.answer !== 'yes',
        metadata: { ...current.metadata, outcome: outcome.answer, ...(outcome.detail ? { provider: outcome.detail } : {}) },
        updatedAt: now,
      })
      .where(eq(aiCalls.id, callId))
      .returning();
    if (!call.alertId) return { applied: true, effect: 'none', call };
    const [alert] = await tx.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.organizationId, org), eq(alerts.id, call.alertId)))
      .for('update');
    if (!alert || !isOpenAlert(alert)) return { applied: true, effect: 'none', call };
    if (outcome.answer === 'yes') return { applied: true, effect: await acknowledgeByCall(tx, alert, call), call };
    if (outcome.answer === 'later') return { applied: true, effect: await snoozeByCall(tx, alert, call, outcome.promisedAt ?? null), call };
    if (alert.status === 'acknowledged' && alert.requiresAcknowledgment) return { applied: true, effect: 'none', call };
    if (finalNoAnswer) return { applied: true, effect: await redialOrEscalate(tx, alert, call, outcome.retryable !== false), call };
    return { applied: true, effect: 'none', call };
  });
}

async function acknowledgeByCall(tx: ServiceContext, alert: AlertRow, call: AiCallRow): Promise<RecordedOutcome['effect']> {
  const now = tx.clock.now();
  if (alert.status !== 'active') return 'none';
  const [after] = await tx.db
    .update(alerts)
    .set({
      status: 'acknowledged',
      acknowledgedAt: now,
      acknowledgedBy: `AI call: ${call.recipientName ?? 'store team'}`,
      snoozedUntil: null,
      // The engine re-plans on its next pass (acknowledgement stops the clock of alerts that require it).
      nextEscalationAt: now,
      updatedAt: now,
    })
    .where(eq(alerts.id, alert.id))
    .returning();
  await tx.db
    .update(escalations)
    .set({ status: 'acknowledged', updatedAt: now })
    .where(and(eq(escalations.organizationId, tx.organization.id), eq(escalations.alertId, alert.id), eq(escalations.status, 'pending')));
  await recordAudit(
    { ...tx, actor: { type: 'system', id: 'ai-call', label: `AI call ${call.id}`, userId: null } },
    {
      action: 'alert.acknowledged',
      entityType: 'alert',
      entityId: alert.id,
      before: { status: alert.status },
      after: { status: after.status, acknowledgedBy: after.acknowledgedBy },
    },
  );
  return 'acknowledged';
}

async function snoozeByCall(tx: ServiceContext, alert: AlertRow, call: AiCallRow, promisedAt: Date | null): Promise<RecordedOutcome['effect']> {
  const now = tx.clock.now();
  const until = promisedAt && promisedAt > now ? promisedAt : new Date(now.getTime() + 2 * 3_600_000);
  await tx.db.update(alerts).set({ snoozedUntil: until, nextEscalationAt: now, updatedAt: now }).where(eq(alerts.id, alert.id));
  const subject = await loadEscalationSubject(tx, { ...alert, snoozedUntil: until });
  const level = typeof call.metadata.level === 'number' ? call.metadata.level : alert.escalationLevel;
  const contact: EscalationContact = {
    ...contactAt(subject, level),
    name: call.recipientName ?? contactAt(subject, level).name,
    phone: call.recipientPhone ?? contactAt(subject, level).phone,
  };
  const task = await createEscalationTask(tx, subject, contact, {
    taskType: 'follow_up',
    title: `Follow up: ${alert.title}`,
    description: `${contact.name} asked on the AI call for time and promised to act by ${formatLocalDeadline(until, subject.calendar.timezone)}. Escalation is paused until then.`,
    dueAt: until,
    escalationId: call.escalationId,
  });
  if (task) await tx.db.update(aiCalls).set({ taskId: task.id }).where(eq(aiCalls.id, call.id));
  return 'snoozed';
}

async function redialOrEscalate(tx: ServiceContext, alert: AlertRow, call: AiCallRow, retryable: boolean): Promise<RecordedOutcome['effect']> {
  const now = tx.clock.now();
  const policy = await callPolicy(tx);
  if (retryable && call.attempt < policy.maxAttempts) {
    const [store] = await tx.db.select({ timezone: stores.timezone }).from(stores).where(eq(stores.id, call.storeId));
    const redialAt = nextCallWindowStart(store.timezone, new Date(now.getTime() + policy.redialMinutes * 60_000), await callWindowOf(tx));
    await tx.db.update(aiCalls).set({ nextAttemptAt: redialAt }).where(eq(aiCalls.id, call.id));
    await tx.db.insert(aiCalls).values({
      organizationId: tx.organization.id,
      storeId: call.storeId,
      alertId: call.alertId,
      escalationId: call.escalationId,
      callType: call.callType,
      callStatus: 'scheduled',
      recipientName: call.recipientName,
      recipientPhone: call.recipientPhone,
      attempt: call.attempt + 1,
      nextAttemptAt: redialAt,
      metadata: { level: call.metadata.level, role: call.metadata.role, previousCallId: call.id },
      createdAt: now,
      updatedAt: now,
    });
    return 'redial';
  }
  return escalateAfterUnansweredCalls(tx, alert, call);
}

/**
 * After the last unanswered attempt the alert goes one level up, recorded as an SLA breach (the person who had
 * to acknowledge could not be reached), with a task for the next level's contact.
 */
async function escalateAfterUnansweredCalls(tx: ServiceContext, alert: AlertRow, call: AiCallRow): Promise<RecordedOutcome['effect']> {
  const level = typeof call.metadata.level === 'number' ? call.metadata.level : alert.escalationLevel;
  if (alert.escalationLevel !== level || level >= maxEscalationLevel) return 'none';
  const subject = await loadEscalationSubject(tx, alert);
  const contact = contactAt(subject, level + 1);
  const attempts = await tx.db
    .select({ id: aiCalls.id })
    .from(aiCalls)
    .where(
      and(
        eq(aiCalls.organizationId, tx.organization.id),
        eq(aiCalls.alertId, alert.id),
        call.escalationId ? eq(aiCalls.escalationId, call.escalationId) : undefined,
        inArray(aiCalls.callStatus, ['no_answer', 'failed', 'completed']),
      ),
    )
    .orderBy(asc(aiCalls.attempt));
  const escalation = await insertEscalationStep(tx, subject, {
    fromLevel: level,
    toLevel: level + 1,
    ruleId: null,
    triggeredBy: 'sla_breach',
    reason: `${call.attempt} call attempt${call.attempt > 1 ? 's' : ''} to ${call.recipientName ?? labelOfLevel(level)} went unanswered; escalated to the ${labelOfLevel(level + 1)}.`,
    contact,
    metadata: { cause: 'calls_unanswered', callIds: attempts.map((a) => a.id) },
  });
  if (!escalation) return 'none';
  const task = await createEscalationTask(tx, subject, contact, {
    taskType: 'escalation',
    title: `Escalated to you: ${alert.title}`,
    description: `${call.recipientName ?? 'The previous contact'} did not answer ${call.attempt} AI call${call.attempt > 1 ? 's' : ''} about this alert. Please take ownership and acknowledge it.`,
    escalationId: escalation.id,
  });
  if (task) await tx.db.update(escalations).set({ taskId: task.id }).where(eq(escalations.id, escalation.id));
  await tx.db.update(alerts).set({ nextEscalationAt: tx.clock.now() }).where(eq(alerts.id, alert.id));
  return 'escalated';
}
