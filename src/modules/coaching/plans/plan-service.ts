import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { conflict, forbidden, notFound } from '../../../core/errors.js';
import { addDays, isIsoDate, localDate } from '../effectiveness/dates.js';
import { actionPlans, checkInFrequencies, notifications, planStatuses, users, type CheckInFrequency, type PlanStatus, type TargetMetric } from '../schema.js';
import {
  loadManagedPerson,
  loadVisiblePerson,
  requireCoachingRole,
  resolveCoachingViewer,
  visiblePeopleCondition,
  type CoachingViewer,
} from '../shared/access.js';
import { coachingError } from '../shared/errors.js';
import { averageMetricsBetween, round2 } from '../shared/metric-windows.js';
import { metricByKey } from '../shared/metrics.js';
import { evaluateCriterion, metricKeyFor, parseMandatoryCriteria, type CriterionResult, type WindowFacts } from './criteria.js';

export type Plan = typeof actionPlans.$inferSelect;

const isoDate = z.string().refine(isIsoDate, 'Use a date as YYYY-MM-DD');

export const targetMetricsInput = z.record(z.string(), z.object({ target: z.number(), current: z.number().optional() }));
export const successCriteriaInput = z.object({
  mandatory: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
  recommended: z.array(z.string().trim().min(1).max(500)).max(20).default([]),
});

export const createPlanInput = z.object({
  agentId: z.uuid(),
  reasonForPlan: z.string().trim().min(1).max(5000),
  startDate: isoDate,
  targetEndDate: isoDate,
  targetMetrics: targetMetricsInput,
  successCriteria: successCriteriaInput,
  checkInFrequency: z.enum(checkInFrequencies).default('WEEKLY'),
});
export type CreatePlanInput = z.input<typeof createPlanInput>;

export const updatePlanInput = createPlanInput.omit({ agentId: true }).partial();
export const listPlansQuery = z.object({ agentId: z.uuid().optional(), status: z.enum(planStatuses).optional() });
export const extendPlanInput = z.object({ newTargetEndDate: isoDate, reason: z.string().trim().max(2000).optional() });
export const closePlanInput = z.object({
  outcome: z.enum(['SUCCESS', 'FAILURE', 'RESIGNED']),
  outcomeNotes: z.string().trim().max(5000).optional(),
  lessonsLearned: z.string().trim().max(5000).optional(),
});
export const cancelPlanInput = z.object({ reason: z.string().trim().max(2000).optional() });

/** One evaluation in progress_updates (type CHECK_IN), or an extension note (type EXTENDED). */
export interface CheckInRecord {
  type: 'CHECK_IN';
  date: string;
  at: string;
  by: string;
  window: { from: string; to: string; days: number };
  metrics: Record<string, { value: number | null; target: number; start: number | null; progress: number | null; met: boolean }>;
  criteria: CriterionResult[];
  mandatoryMet: boolean;
  score: number | null;
}
export interface ExtensionRecord {
  type: 'EXTENDED';
  date: string;
  at: string;
  by: string;
  from: string;
  to: string;
  reason: string | null;
}
export type ProgressUpdate = CheckInRecord | ExtensionRecord;

export const openStatuses: PlanStatus[] = ['DRAFT', 'ACTIVE', 'EXTENDED'];
export const runningStatuses: PlanStatus[] = ['ACTIVE', 'EXTENDED'];

export const localToday = (ctx: ServiceContext) => localDate(ctx.clock.now(), ctx.organization.timezone);

// ---------- reading ----------

const agentPerson = alias(users, 'agent_person');
const authorPerson = alias(users, 'author_person');
const approverPerson = alias(users, 'approver_person');

async function selectPlans(ctx: ServiceContext, viewer: CoachingViewer, where: SQL[]) {
  const rows = await ctx.db
    .select({ plan: actionPlans, agentName: agentPerson.name, createdByName: authorPerson.name, approvedByName: approverPerson.name })
    .from(actionPlans)
    .innerJoin(agentPerson, eq(agentPerson.id, actionPlans.agentId))
    .innerJoin(authorPerson, eq(authorPerson.id, actionPlans.createdBy))
    .leftJoin(approverPerson, eq(approverPerson.id, actionPlans.approvedBy))
    .where(and(eq(actionPlans.organizationId, ctx.organization.id), visiblePeopleCondition(ctx, viewer, actionPlans.agentId), ...where))
    .orderBy(desc(actionPlans.startDate), desc(actionPlans.createdAt));
  return rows.map((r) => viewPlan(r.plan, r));
}

export function viewPlan(plan: Plan, names: { agentName: string; createdByName: string; approvedByName: string | null }) {
  const updates = (plan.progressUpdates ?? []) as unknown as ProgressUpdate[];
  const checkIns = updates.filter((u): u is CheckInRecord => u.type === 'CHECK_IN');
  const last = checkIns.at(-1) ?? null;
  return {
    ...plan,
    progressUpdates: updates as unknown as Record<string, unknown>[],
    agentName: names.agentName,
    createdByName: names.createdByName,
    approvedByName: names.approvedByName,
    checkInCount: checkIns.length,
    lastCheckIn: last as unknown as Record<string, unknown> | null,
  };
}
export type PlanView = ReturnType<typeof viewPlan>;

export async function listPlans(ctx: ServiceContext, query: z.infer<typeof listPlansQuery>) {
  const viewer = await resolveCoachingViewer(ctx);
  const where: SQL[] = [];
  if (query.agentId) {
    await loadVisiblePerson(ctx, viewer, query.agentId);
    where.push(eq(actionPlans.agentId, query.agentId));
  }
  if (query.status) where.push(eq(actionPlans.status, query.status));
  return { items: await selectPlans(ctx, viewer, where) };
}

/** A plan with its evaluation history (the tracker page): one point per check-in, each criterion met or not. */
export async function getPlan(ctx: ServiceContext, id: string) {
  const viewer = await resolveCoachingViewer(ctx);
  const [plan] = await selectPlans(ctx, viewer, [eq(actionPlans.id, id)]);
  if (!plan) throw notFound('Improvement plan', id);
  const checkIns = (plan.progressUpdates as unknown as ProgressUpdate[]).filter((u): u is CheckInRecord => u.type === 'CHECK_IN');
  return {
    ...plan,
    evaluations: checkIns.map((c) => ({
      date: c.date,
      window: c.window,
      score: c.score,
      mandatoryMet: c.mandatoryMet,
      criteria: c.criteria,
      metrics: Object.fromEntries(Object.entries(c.metrics).map(([k, m]) => [k, m.value])),
    })),
  };
}

async function loadPlanForViewer(ctx: ServiceContext, viewer: CoachingViewer, id: string): Promise<Plan> {
  const [plan] = await ctx.db
    .select()
    .from(actionPlans)
    .where(and(eq(actionPlans.organizationId, ctx.organization.id), eq(actionPlans.id, id), visiblePeopleCondition(ctx, viewer, actionPlans.agentId)))
    .for('update');
  if (!plan) throw notFound('Improvement plan', id);
  return plan;
}

async function reload(ctx: ServiceContext, id: string) {
  const viewer = await resolveCoachingViewer(ctx);
  const [plan] = await selectPlans(ctx, viewer, [eq(actionPlans.id, id)]);
  return plan;
}

// ---------- validation ----------

function normalizeTargets(raw: Record<string, { target: number; current?: number }>): Record<string, TargetMetric> {
  const out: Record<string, TargetMetric> = {};
  const unknown: string[] = [];
  for (const [name, t] of Object.entries(raw)) {
    const key = metricKeyFor(name);
    if (!key) unknown.push(name);
    else out[key] = { target: t.target, ...(t.current === undefined ? {} : { current: t.current }) };
  }
  if (unknown.length) {
    throw coachingError(
      'PLAN_TARGET_METRIC',
      `Unknown target metric ${unknown.map((u) => `"${u}"`).join(', ')}. Use one of ${[...metricByKey.keys()].join(', ')}.`,
      {
        status: 400,
      },
    );
  }
  if (Object.keys(out).length === 0)
    throw coachingError('PLAN_TARGET_METRIC', 'A plan needs at least one target metric (e.g. {"aht": {"target": 420}}).', { status: 400 });
  return out;
}

function checkCriteria(mandatory: string[]) {
  const { errors } = parseMandatoryCriteria(mandatory);
  if (errors.length) {
    throw coachingError('PLAN_CRITERIA', `Mandatory criteria must be checkable from the metrics. ${errors.join(' ')}`, { status: 400, details: errors });
  }
}

function checkDates(startDate: string, targetEndDate: string) {
  if (targetEndDate < startDate) {
    throw coachingError('PLAN_DATES', `The target end date ${targetEndDate} is before the start date ${startDate}; pick an end date on or after the start.`, {
      status: 400,
    });
  }
}

/** The targets' starting values: the caller's `current`, else the agent's mean over the 14 days ending yesterday. */
async function fillCurrent(ctx: ServiceContext, agentId: string, targets: Record<string, TargetMetric>): Promise<Record<string, TargetMetric>> {
  const yesterday = addDays(localToday(ctx), -1);
  const recent = (await averageMetricsBetween(ctx, [agentId], addDays(yesterday, -13), yesterday)).get(agentId);
  const out: Record<string, TargetMetric> = {};
  for (const [key, t] of Object.entries(targets)) {
    const current = t.current ?? recent?.values[key] ?? null;
    out[key] = { target: t.target, ...(current == null ? {} : { current, start: current }) };
  }
  return out;
}

// ---------- agent status ----------

/**
 * The agent's status follows their plans: a running (ACTIVE/EXTENDED) plan → PIP; none running → back to ACTIVE
 * (only from PIP). LEAVE and TERMINATED are set by hand and never overwritten here.
 */
export async function syncAgentStatus(ctx: ServiceContext, agentId: string): Promise<void> {
  await ctx.db.execute(sql`
    UPDATE coaching.users u
    SET status = CASE WHEN EXISTS (
        SELECT 1 FROM coaching.action_plans p
        WHERE p.organization_id = u.organization_id AND p.agent_id = u.id AND p.status IN ('ACTIVE', 'EXTENDED')
      ) THEN 'PIP' ELSE 'ACTIVE' END
    WHERE u.organization_id = ${ctx.organization.id} AND u.id = ${agentId} AND u.status IN ('ACTIVE', 'PIP')`);
}

// ---------- commands ----------

export async function createPlan(ctx: ServiceContext, rawInput: CreatePlanInput, options: { createdBy?: string } = {}) {
  const input = createPlanInput.parse(rawInput);
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    const agent = await loadManagedPerson(tx, viewer, input.agentId, 'open an improvement plan');
    const author = options.createdBy ?? viewer.personId;
    if (!author) throw forbidden('Plans are written by a person of the coaching hierarchy. Link your sign-in to a person under Coaching → People first.');
    checkDates(input.startDate, input.targetEndDate);
    const today = localToday(tx);
    if (input.targetEndDate < today) {
      throw coachingError('PLAN_DATES', `The target end date ${input.targetEndDate} has already passed; pick a date from ${today} on.`, { status: 400 });
    }
    checkCriteria(input.successCriteria.mandatory);
    const targets = await fillCurrent(tx, agent.id, normalizeTargets(input.targetMetrics));
    await assertNoOpenPlan(tx, agent.id, agent.name);
    const [row] = await tx.db
      .insert(actionPlans)
      .values({
        organizationId: tx.organization.id,
        agentId: agent.id,
        createdBy: author,
        startDate: input.startDate,
        targetEndDate: input.targetEndDate,
        status: 'DRAFT',
        reasonForPlan: input.reasonForPlan,
        targetMetrics: targets,
        successCriteria: { mandatory: input.successCriteria.mandatory, recommended: input.successCriteria.recommended },
        checkInFrequency: input.checkInFrequency,
        progressUpdates: [],
        createdAt: tx.clock.now(),
        updatedAt: tx.clock.now(),
      })
      .returning();
    return (await reload(tx, row.id))!;
  });
}

async function assertNoOpenPlan(ctx: ServiceContext, agentId: string, agentName: string) {
  const [open] = await ctx.db
    .select({ id: actionPlans.id, status: actionPlans.status })
    .from(actionPlans)
    .where(and(eq(actionPlans.organizationId, ctx.organization.id), eq(actionPlans.agentId, agentId), inArray(actionPlans.status, openStatuses)));
  if (open) {
    throw conflict(`${agentName} already has an open improvement plan (${open.id}, ${open.status}); edit, close or cancel it before opening another.`, {
      planId: open.id,
    });
  }
}

export async function updatePlan(ctx: ServiceContext, id: string, rawInput: z.input<typeof updatePlanInput>) {
  const input = updatePlanInput.parse(rawInput);
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    const plan = await loadPlanForViewer(tx, viewer, id);
    await loadManagedPerson(tx, viewer, plan.agentId, 'edit this improvement plan');
    if (plan.status !== 'DRAFT' || plan.approvedBy) {
      throw conflict(
        `Only an unapproved draft can be edited; this plan is ${plan.approvedBy && plan.status === 'DRAFT' ? 'approved' : plan.status}. Extend, close or cancel it instead.`,
      );
    }
    const startDate = input.startDate ?? plan.startDate;
    const targetEndDate = input.targetEndDate ?? plan.targetEndDate;
    checkDates(startDate, targetEndDate);
    if (input.successCriteria) checkCriteria(input.successCriteria.mandatory);
    const set: Partial<typeof actionPlans.$inferInsert> = { startDate, targetEndDate, updatedAt: tx.clock.now() };
    if (input.reasonForPlan !== undefined) set.reasonForPlan = input.reasonForPlan;
    if (input.checkInFrequency !== undefined) set.checkInFrequency = input.checkInFrequency;
    if (input.successCriteria) set.successCriteria = { mandatory: input.successCriteria.mandatory, recommended: input.successCriteria.recommended };
    if (input.targetMetrics) set.targetMetrics = await fillCurrent(tx, plan.agentId, normalizeTargets(input.targetMetrics));
    await tx.db.update(actionPlans).set(set).where(eq(actionPlans.id, plan.id));
    return (await reload(tx, plan.id))!;
  });
}

/**
 * A manager or admin above the agent approves a draft; the plan's author cannot approve their own plan (four eyes).
 * The plan becomes ACTIVE at once when it starts today or earlier, otherwise the daily check-in job activates it on
 * its start date. The approver must be a coaching person (approved_by names them).
 */
export async function approvePlan(ctx: ServiceContext, id: string) {
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    const plan = await loadPlanForViewer(tx, viewer, id);
    requireCoachingRole(viewer, ['MANAGER', 'ADMIN'], 'approve improvement plans');
    const agent = await loadManagedPerson(tx, viewer, plan.agentId, 'approve this improvement plan');
    if (!viewer.personId) {
      throw forbidden('Approvals are signed by a person of the coaching hierarchy. Link your sign-in to a person under Coaching → People first.');
    }
    if (viewer.personId === plan.createdBy) {
      throw forbidden(`You wrote this plan for ${agent.name}; another manager or an admin approves it (four eyes).`);
    }
    if (plan.status !== 'DRAFT' || plan.approvedBy) {
      throw conflict(
        `This plan is ${plan.approvedBy && plan.status === 'DRAFT' ? 'already approved and starts on ' + plan.startDate : plan.status}; only an unapproved draft can be approved.`,
      );
    }
    const today = localToday(tx);
    if (plan.targetEndDate < today) {
      throw conflict(`This draft's target end date ${plan.targetEndDate} has passed; edit the dates before approving it.`);
    }
    await tx.db.update(actionPlans).set({ approvedBy: viewer.personId, updatedAt: tx.clock.now() }).where(eq(actionPlans.id, plan.id));
    if (plan.startDate <= today) await activatePlan(tx, plan.id, plan.checkInFrequency, plan.startDate, today);
    return (await reload(tx, plan.id))!;
  });
}

async function activatePlan(ctx: ServiceContext, planId: string, frequency: CheckInFrequency, startDate: string, today: string) {
  const from = startDate > today ? startDate : today;
  const [plan] = await ctx.db
    .update(actionPlans)
    .set({ status: 'ACTIVE', nextCheckInDate: nextCheckInDate(frequency, from), updatedAt: ctx.clock.now() })
    .where(eq(actionPlans.id, planId))
    .returning();
  await syncAgentStatus(ctx, plan.agentId);
}

/** DAILY +1 day, TWICE_WEEKLY the next Monday or Thursday, WEEKLY +7, BIWEEKLY +14. */
export function nextCheckInDate(frequency: CheckInFrequency, after: string): string {
  switch (frequency) {
    case 'DAILY':
      return addDays(after, 1);
    case 'TWICE_WEEKLY': {
      let d = addDays(after, 1);
      while (![1, 4].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) d = addDays(d, 1);
      return d;
    }
    case 'BIWEEKLY':
      return addDays(after, 14);
    default:
      return addDays(after, 7);
  }
}

/** Days of the window with attendance below 100 % on a scheduled day (scheduled_hours > 0 or not recorded). */
async function absenceDays(ctx: ServiceContext, agentId: string, from: string, to: string): Promise<number> {
  const [row] = await sqlRows<{ n: number }>(
    ctx.db,
    sql`SELECT count(*)::int AS n FROM coaching.performance_metrics
        WHERE organization_id = ${ctx.organization.id} AND agent_id = ${agentId}::uuid
          AND metric_date BETWEEN ${from}::date AND ${to}::date
          AND attendance_rate < 100 AND (scheduled_hours IS NULL OR scheduled_hours > 0)`,
  );
  return Number(row?.n ?? 0);
}

/** Progress on one target: the share of the gap from the start value to the target closed, 0–1 (1 once met). */
export function targetProgress(value: number | null, target: number, start: number | null, metricKey: string): { progress: number | null; met: boolean } {
  if (value == null) return { progress: null, met: false };
  const higherIsBetter = start != null && start !== target ? target > start : (metricByKey.get(metricKey)?.higherIsBetter ?? true);
  const met = higherIsBetter ? value >= target : value <= target;
  if (met) return { progress: 1, met };
  if (start == null || start === target) return { progress: 0, met };
  const share = (value - start) / (target - start);
  return { progress: Math.max(0, Math.min(1, share)), met };
}

/**
 * Evaluates a running plan now: every target and mandatory criterion over the days since the last check-in (up to
 * yesterday, the last day with metrics), appended to progress_updates; current_score is the mean progress over the
 * targets in %; the next check-in date follows the frequency (the last one falls on the target end date). After the
 * end date no further check-in is scheduled: a decision (close or extend) is due, and the author is told so.
 */
export async function checkInPlanRow(ctx: ServiceContext, plan: Plan): Promise<CheckInRecord> {
  const today = localToday(ctx);
  const yesterday = addDays(today, -1);
  const updates = ((plan.progressUpdates ?? []) as unknown as ProgressUpdate[]).slice();
  const last = updates.filter((u): u is CheckInRecord => u.type === 'CHECK_IN').at(-1);
  let from = last ? addDays(last.window.to, 1) : plan.startDate;
  let to = yesterday;
  if (from > to && last) {
    from = last.window.from;
    to = last.window.to;
  }
  const averages = from <= to ? (await averageMetricsBetween(ctx, [plan.agentId], from, to)).get(plan.agentId) : undefined;
  const facts: WindowFacts = {
    days: averages?.days ?? 0,
    values: averages?.values ?? {},
    absenceDays: from <= to ? await absenceDays(ctx, plan.agentId, from, to) : 0,
  };
  const metrics: CheckInRecord['metrics'] = {};
  const progresses: number[] = [];
  const targets = { ...(plan.targetMetrics ?? {}) };
  for (const [key, t] of Object.entries(targets)) {
    const start = typeof t.start === 'number' ? t.start : typeof t.current === 'number' && t.start === undefined ? t.current : null;
    const value = facts.values[key] ?? null;
    const { progress, met } = targetProgress(value, t.target, start, key);
    metrics[key] = { value, target: t.target, start, progress: progress == null ? null : Math.round(progress * 10000) / 10000, met };
    if (progress != null) progresses.push(progress);
    targets[key] = { ...t, ...(start != null ? { start } : {}), ...(value != null ? { current: value } : {}) };
  }
  const { criteria: parsed } = parseMandatoryCriteria(plan.successCriteria?.mandatory ?? []);
  const criteria = parsed.map((c) => evaluateCriterion(c, facts));
  const score = progresses.length ? round2((progresses.reduce((a, b) => a + b, 0) / progresses.length) * 100) : null;
  const record: CheckInRecord = {
    type: 'CHECK_IN',
    date: today,
    at: ctx.clock.now().toISOString(),
    by: ctx.actor.label,
    window: { from, to, days: facts.days },
    metrics,
    criteria,
    mandatoryMet: criteria.every((c) => c.met),
    score,
  };
  updates.push(record);
  let next: string | null = nextCheckInDate(plan.checkInFrequency, today);
  if (today >= plan.targetEndDate) next = null;
  else if (next > plan.targetEndDate) next = plan.targetEndDate;
  await ctx.db
    .update(actionPlans)
    .set({
      progressUpdates: updates as unknown as Record<string, unknown>[],
      targetMetrics: targets,
      currentScore: score,
      nextCheckInDate: next,
      updatedAt: ctx.clock.now(),
    })
    .where(eq(actionPlans.id, plan.id));
  if (next === null) await notifyDecisionDue(ctx, plan, record);
  return record;
}

async function notifyDecisionDue(ctx: ServiceContext, plan: Plan, record: CheckInRecord) {
  const [agent] = await ctx.db.select({ name: users.name, teamLeaderId: users.teamLeaderId }).from(users).where(eq(users.id, plan.agentId));
  const recipients = [...new Set([plan.createdBy, agent?.teamLeaderId].filter((x): x is string => !!x))];
  const unmet = record.criteria.filter((c) => !c.met).map((c) => c.criterion);
  for (const recipientId of recipients) {
    await ctx.db
      .insert(notifications)
      .values({
        organizationId: ctx.organization.id,
        recipientId,
        kind: 'PLAN_CHECK_IN_DUE',
        title: `Decision due on ${agent?.name ?? 'an agent'}'s improvement plan`,
        body: `The plan reached its target end date ${plan.targetEndDate}. Last check-in ${record.date}: progress ${record.score ?? '–'} %, ${
          unmet.length ? `not met: ${unmet.join(', ')}` : 'every mandatory criterion met'
        }. Close it (success, failure, resigned) or extend it.`,
        subjectType: 'action_plan',
        subjectId: plan.id,
        dedupKey: `plan-decision:${plan.id}:${plan.targetEndDate}:${recipientId}`,
        createdAt: ctx.clock.now(),
      })
      .onConflictDoNothing();
  }
}

export async function checkInPlan(ctx: ServiceContext, id: string) {
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    const plan = await loadPlanForViewer(tx, viewer, id);
    await loadManagedPerson(tx, viewer, plan.agentId, 'run a check-in on this improvement plan');
    if (!runningStatuses.includes(plan.status)) {
      throw conflict(`Check-ins run on active or extended plans; this plan is ${plan.status}${plan.status === 'DRAFT' ? ' (approve it first)' : ''}.`);
    }
    await checkInPlanRow(tx, plan);
    return (await reload(tx, plan.id))!;
  });
}

export async function extendPlan(ctx: ServiceContext, id: string, rawInput: z.input<typeof extendPlanInput>) {
  const input = extendPlanInput.parse(rawInput);
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    const plan = await loadPlanForViewer(tx, viewer, id);
    await loadManagedPerson(tx, viewer, plan.agentId, 'extend this improvement plan');
    if (!runningStatuses.includes(plan.status)) throw conflict(`Only an active or extended plan can be extended; this plan is ${plan.status}.`);
    if (input.newTargetEndDate <= plan.targetEndDate) {
      throw coachingError('PLAN_DATES', `The new end date must be after the current target end date ${plan.targetEndDate} (got ${input.newTargetEndDate}).`, {
        status: 400,
      });
    }
    const today = localToday(tx);
    const updates = ((plan.progressUpdates ?? []) as unknown as ProgressUpdate[]).slice();
    updates.push({
      type: 'EXTENDED',
      date: today,
      at: tx.clock.now().toISOString(),
      by: tx.actor.label,
      from: plan.targetEndDate,
      to: input.newTargetEndDate,
      reason: input.reason ?? null,
    });
    let next = plan.nextCheckInDate ?? nextCheckInDate(plan.checkInFrequency, today);
    if (next > input.newTargetEndDate) next = input.newTargetEndDate;
    await tx.db
      .update(actionPlans)
      .set({
        targetEndDate: input.newTargetEndDate,
        extensionCount: plan.extensionCount + 1,
        status: 'EXTENDED',
        nextCheckInDate: next,
        progressUpdates: updates as unknown as Record<string, unknown>[],
        updatedAt: tx.clock.now(),
      })
      .where(eq(actionPlans.id, plan.id));
    await syncAgentStatus(tx, plan.agentId);
    return (await reload(tx, plan.id))!;
  });
}

/**
 * The decision at or after the target end date: SUCCESS → COMPLETED (only when every mandatory criterion was met at
 * the last check-in), FAILURE → FAILED, RESIGNED → COMPLETED with outcome RESIGNED (any time; the agent becomes
 * TERMINATED). The agent leaves PIP status.
 */
export async function closePlan(ctx: ServiceContext, id: string, rawInput: z.input<typeof closePlanInput>) {
  const input = closePlanInput.parse(rawInput);
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    const plan = await loadPlanForViewer(tx, viewer, id);
    const agent = await loadManagedPerson(tx, viewer, plan.agentId, 'close this improvement plan');
    if (!runningStatuses.includes(plan.status)) throw conflict(`Only an active or extended plan can be closed; this plan is ${plan.status}.`);
    const today = localToday(tx);
    if (input.outcome !== 'RESIGNED' && today < plan.targetEndDate) {
      throw conflict(`This plan runs until ${plan.targetEndDate}; decide on success or failure from that date, or cancel it now.`);
    }
    if (input.outcome === 'SUCCESS') {
      const last = ((plan.progressUpdates ?? []) as unknown as ProgressUpdate[]).filter((u): u is CheckInRecord => u.type === 'CHECK_IN').at(-1);
      if (!last) throw conflict('There is no check-in yet; run a check-in first so the mandatory criteria are evaluated.');
      const unmet = last.criteria.filter((c) => !c.met);
      if (unmet.length) {
        throw coachingError(
          'PLAN_CRITERIA_UNMET',
          `Success needs every mandatory criterion met at the last check-in (${last.date}); not met: ${unmet
            .map((c) => `${c.criterion} (${c.value ?? 'no data'})`)
            .join(', ')}. Close it as a failure, extend it, or run a new check-in.`,
          { status: 409, details: unmet },
        );
      }
    }
    const status: PlanStatus = input.outcome === 'FAILURE' ? 'FAILED' : 'COMPLETED';
    await tx.db
      .update(actionPlans)
      .set({
        status,
        outcome: input.outcome,
        outcomeNotes: input.outcomeNotes ?? null,
        lessonsLearned: input.lessonsLearned ?? null,
        actualEndDate: today,
        nextCheckInDate: null,
        updatedAt: tx.clock.now(),
      })
      .where(eq(actionPlans.id, plan.id));
    if (input.outcome === 'RESIGNED') {
      await tx.db
        .update(users)
        .set({ status: 'TERMINATED' })
        .where(and(eq(users.organizationId, tx.organization.id), eq(users.id, agent.id)));
    } else {
      await syncAgentStatus(tx, plan.agentId);
    }
    return (await reload(tx, plan.id))!;
  });
}

export async function cancelPlan(ctx: ServiceContext, id: string, rawInput: z.input<typeof cancelPlanInput>) {
  const input = cancelPlanInput.parse(rawInput);
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    const plan = await loadPlanForViewer(tx, viewer, id);
    await loadManagedPerson(tx, viewer, plan.agentId, 'cancel this improvement plan');
    if (!openStatuses.includes(plan.status)) throw conflict(`This plan is already ${plan.status}; only a draft, active or extended plan can be cancelled.`);
    await tx.db
      .update(actionPlans)
      .set({ status: 'CANCELLED', outcomeNotes: input.reason ?? null, actualEndDate: localToday(tx), nextCheckInDate: null, updatedAt: tx.clock.now() })
      .where(eq(actionPlans.id, plan.id));
    await syncAgentStatus(tx, plan.agentId);
    return (await reload(tx, plan.id))!;
  });
}

// ---------- the daily job ----------

/**
 * Daily per organization: approved drafts whose start date has come become ACTIVE (agent → PIP); running plans with
 * next_check_in_date ≤ today get their check-in. Each plan in its own transaction, so one bad plan stops no other.
 */
export async function runDuePlanCheckIns(ctx: ServiceContext): Promise<{ activated: number; checkedIn: number; failed: number }> {
  const today = localToday(ctx);
  const toActivate = await ctx.db
    .select({ id: actionPlans.id, frequency: actionPlans.checkInFrequency, startDate: actionPlans.startDate })
    .from(actionPlans)
    .where(
      and(
        eq(actionPlans.organizationId, ctx.organization.id),
        eq(actionPlans.status, 'DRAFT'),
        sql`${actionPlans.approvedBy} IS NOT NULL`,
        sql`${actionPlans.startDate} <= ${today}::date`,
      ),
    );
  for (const p of toActivate) await inTransaction(ctx, (tx) => activatePlan(tx, p.id, p.frequency, p.startDate, today));
  const due = await ctx.db
    .select({ id: actionPlans.id })
    .from(actionPlans)
    .where(
      and(
        eq(actionPlans.organizationId, ctx.organization.id),
        inArray(actionPlans.status, runningStatuses),
        sql`${actionPlans.nextCheckInDate} <= ${today}::date`,
      ),
    );
  let checkedIn = 0;
  let failed = 0;
  for (const { id } of due) {
    try {
      await inTransaction(ctx, async (tx) => {
        const [plan] = await tx.db.select().from(actionPlans).where(eq(actionPlans.id, id)).for('update');
        if (plan && runningStatuses.includes(plan.status) && plan.nextCheckInDate && plan.nextCheckInDate <= today) await checkInPlanRow(tx, plan);
      });
      checkedIn++;
    } catch (error) {
      failed++;
      ctx.log.error({ err: error, planId: id }, 'plan check-in failed');
    }
  }
  return { activated: toActivate.length, checkedIn, failed };
}
