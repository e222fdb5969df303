import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { getConfigValue, putConfig } from '../../../core/settings/settings-service.js';
import { addDays } from '../effectiveness/dates.js';
import { actionPlans, notifications } from '../schema.js';
import { requireCoachingRole, resolveCoachingViewer } from '../shared/access.js';
import { round2 } from '../shared/metric-windows.js';
import { compositeComponents, metricByKey } from '../shared/metrics.js';
import { localToday } from './plan-service.js';

export const planTriggersConfigKey = 'coaching.plan-triggers';

export const planTriggersSchema = z.object({
  /** Proposals on or off. */
  enabled: z.boolean(),
  /** A complete month's composite this many points (or more) below the month before triggers a proposal. */
  monthlyCompositeDrop: z.number().min(0).max(100),
  /** A composite below this for `lowCompositeWeeks` consecutive complete weeks triggers a proposal. */
  lowCompositeThreshold: z.number().min(0).max(100),
  lowCompositeWeeks: z.number().int().min(1).max(12),
  /** No new proposal within this many days of a cancelled plan. */
  cooldownDaysAfterCancel: z.number().int().min(0).max(365),
  /** Length and check-in frequency of a proposed plan. */
  planLengthDays: z.number().int().min(7).max(180),
  checkInFrequency: z.enum(['DAILY', 'TWICE_WEEKLY', 'WEEKLY', 'BIWEEKLY']),
});
export type PlanTriggers = z.infer<typeof planTriggersSchema>;
export const planTriggersPatch = planTriggersSchema.partial();

export const defaultPlanTriggers: PlanTriggers = {
  enabled: true,
  monthlyCompositeDrop: 5,
  lowCompositeThreshold: 65,
  lowCompositeWeeks: 2,
  cooldownDaysAfterCancel: 30,
  planLengthDays: 30,
  checkInFrequency: 'WEEKLY',
};

async function readTriggers(ctx: ServiceContext): Promise<PlanTriggers> {
  const stored = await getConfigValue<Partial<PlanTriggers> | null>(ctx, planTriggersConfigKey, null);
  const merged = { ...defaultPlanTriggers, ...(stored && typeof stored === 'object' ? stored : {}) };
  const parsed = planTriggersSchema.safeParse(merged);
  return parsed.success ? parsed.data : defaultPlanTriggers;
}

export async function getPlanTriggers(ctx: ServiceContext): Promise<PlanTriggers> {
  await resolveCoachingViewer(ctx);
  return readTriggers(ctx);
}

/** Organization-wide thresholds: an admin changes them. */
export async function updatePlanTriggers(ctx: ServiceContext, patch: z.infer<typeof planTriggersPatch>): Promise<PlanTriggers> {
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    requireCoachingRole(viewer, ['ADMIN'], 'change the improvement-plan triggers');
    const next = planTriggersSchema.parse({ ...(await readTriggers(tx)), ...patch });
    await putConfig(tx, planTriggersConfigKey, { value: next, description: 'Coaching: when the daily job proposes an improvement plan' });
    return next;
  });
}

interface HistoryRow {
  agent_id: string;
  period_type: 'WEEK' | 'MONTH';
  period_ending: string;
  avg_composite_score: number | null;
  [component: string]: unknown;
}

export interface Breach {
  kind: 'MONTHLY_DROP' | 'LOW_WEEKS';
  text: string;
  weakest: { metric: string; value: number }[];
}

const componentColumn: Record<string, string> = {
  service_score: 'avg_service_score',
  productivity_score: 'avg_productivity_score',
  quality_score: 'avg_quality_score',
  attendance_rate: 'avg_attendance_rate',
  adherence_score: 'avg_adherence_score',
};

const fmt = (n: number) => (Math.round(n * 10) / 10).toFixed(1);

/** The rule applied to one agent's complete periods (months and weeks, newest first). */
export function detectBreach(months: HistoryRow[], weeks: HistoryRow[], triggers: PlanTriggers): Breach | null {
  const weakestOf = (row: HistoryRow) =>
    compositeComponents
      .map((c) => ({ metric: c, value: row[componentColumn[c]] == null ? null : Number(row[componentColumn[c]]) }))
      .filter((c): c is { metric: (typeof compositeComponents)[number]; value: number } => c.value != null)
      .sort((a, b) => a.value - b.value)
      .slice(0, 2);
  const [m0, m1] = months;
  if (
    m0 &&
    m1 &&
    m0.avg_composite_score != null &&
    m1.avg_composite_score != null &&
    addDays(m1.period_ending, 1).slice(0, 7) === m0.period_ending.slice(0, 7)
  ) {
    const change = Number(m0.avg_composite_score) - Number(m1.avg_composite_score);
    if (change <= -triggers.monthlyCompositeDrop) {
      return {
        kind: 'MONTHLY_DROP',
        text: `Composite fell from ${fmt(Number(m1.avg_composite_score))} (month ending ${m1.period_ending}) to ${fmt(Number(m0.avg_composite_score))} (month ending ${m0.period_ending}): ${fmt(change)} points, beyond the −${triggers.monthlyCompositeDrop} point trigger.`,
        weakest: weakestOf(m0),
      };
    }
  }
  const n = triggers.lowCompositeWeeks;
  const recent = weeks.slice(0, n);
  const consecutive = recent.length === n && recent.every((w, i) => i === 0 || addDays(w.period_ending, 7) === recent[i - 1].period_ending);
  if (consecutive && recent.every((w) => w.avg_composite_score != null && Number(w.avg_composite_score) < triggers.lowCompositeThreshold)) {
    const list = recent
      .slice()
      .reverse()
      .map((w) => `${fmt(Number(w.avg_composite_score))} (week ending ${w.period_ending})`)
      .join(', ');
    return {
      kind: 'LOW_WEEKS',
      text: `Composite below ${triggers.lowCompositeThreshold} for ${n} consecutive weeks: ${list}.`,
      weakest: weakestOf(recent[0]),
    };
  }
  return null;
}

/**
 * Daily per organization: for each active agent (not on a plan, not on leave) whose complete periods in
 * performance_history breach a trigger, a DRAFT plan authored by their team leader and a PLAN_PROPOSED notification to
 * the leader. No proposal while the agent has an open plan (draft, active, extended) or within the cooldown after a
 * cancelled one, so a breach proposes once.
 */
export async function proposePlans(ctx: ServiceContext): Promise<{ proposed: { planId: string; agentId: string; kind: string }[] }> {
  const triggers = await readTriggers(ctx);
  if (!triggers.enabled) return { proposed: [] };
  const today = localToday(ctx);
  const yesterday = addDays(today, -1);
  const cooldownFrom = addDays(today, -triggers.cooldownDaysAfterCancel);
  const org = ctx.organization.id;
  const agents = await sqlRows<{ id: string; name: string; team_leader_id: string }>(
    ctx.db,
    sql`SELECT a.id, a.name, a.team_leader_id FROM coaching.users a
        JOIN coaching.users l ON l.id = a.team_leader_id AND l.organization_id = a.organization_id AND l.deleted_at IS NULL
        WHERE a.organization_id = ${org} AND a.role = 'AGENT' AND a.status = 'ACTIVE' AND a.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM coaching.action_plans p WHERE p.organization_id = a.organization_id AND p.agent_id = a.id
                          AND (p.status IN ('DRAFT', 'ACTIVE', 'EXTENDED')
                               OR (p.status = 'CANCELLED' AND COALESCE(p.actual_end_date, p.updated_at::date) >= ${cooldownFrom}::date)))`,
  );
  if (agents.length === 0) return { proposed: [] };
  const history = await sqlRows<HistoryRow>(
    ctx.db,
    sql`SELECT agent_id, period_type, period_ending::text AS period_ending, avg_composite_score::float8 AS avg_composite_score,
               avg_service_score::float8 AS avg_service_score, avg_productivity_score::float8 AS avg_productivity_score,
               avg_quality_score::float8 AS avg_quality_score, avg_attendance_rate::float8 AS avg_attendance_rate,
               avg_adherence_score::float8 AS avg_adherence_score
        FROM coaching.performance_history
        WHERE organization_id = ${org} AND period_type IN ('WEEK', 'MONTH') AND period_ending <= ${yesterday}::date
          AND period_ending >= ${addDays(today, -120)}::date
          AND agent_id IN (${sql.join(
            agents.map((a) => sql`${a.id}::uuid`),
            sql`, `,
          )})
        ORDER BY period_ending DESC`,
  );
  const proposed: { planId: string; agentId: string; kind: string }[] = [];
  for (const agent of agents) {
    const rows = history.filter((h) => h.agent_id === agent.id);
    const breach = detectBreach(
      rows.filter((r) => r.period_type === 'MONTH'),
      rows.filter((r) => r.period_type === 'WEEK'),
      triggers,
    );
    if (!breach) continue;
    const planId = await inTransaction(ctx, (tx) => writeProposal(tx, agent, breach, triggers, today));
    proposed.push({ planId, agentId: agent.id, kind: breach.kind });
  }
  return { proposed };
}

async function writeProposal(
  ctx: ServiceContext,
  agent: { id: string; name: string; team_leader_id: string },
  breach: Breach,
  triggers: PlanTriggers,
  today: string,
): Promise<string> {
  const recent = await sqlRows<Record<string, number | null>>(
    ctx.db,
    sql`SELECT avg(composite_score)::float8 AS composite_score, avg(service_score)::float8 AS service_score,
               avg(productivity_score)::float8 AS productivity_score, avg(quality_score)::float8 AS quality_score,
               avg(attendance_rate)::float8 AS attendance_rate, avg(adherence_score)::float8 AS adherence_score
        FROM coaching.performance_metrics
        WHERE organization_id = ${ctx.organization.id} AND agent_id = ${agent.id}::uuid
          AND metric_date BETWEEN ${addDays(today, -14)}::date AND ${addDays(today, -1)}::date`,
  );
  const now = recent[0] ?? {};
  const currentOf = (key: string, fallback: number) => (now[key] == null ? fallback : round2(Number(now[key])));
  const compositeNow = currentOf('composite_score', triggers.lowCompositeThreshold);
  const compositeTarget = Math.min(100, Math.max(triggers.lowCompositeThreshold + 5, Math.ceil(compositeNow + 5)));
  const targetMetrics: Record<string, { target: number; current: number; start: number }> = {
    composite_score: { target: compositeTarget, current: compositeNow, start: compositeNow },
  };
  const mandatory = [`composite_score >= ${compositeTarget}`];
  for (const w of breach.weakest) {
    const current = currentOf(w.metric, w.value);
    const target = Math.min(100, Math.ceil(current + 5));
    targetMetrics[w.metric] = { target, current, start: current };
  }
  const weakestText = breach.weakest.map((w) => `${metricByKey.get(w.metric)?.label ?? w.metric} ${fmt(w.value)}`).join(', ');
  const reason = `Proposed automatically: ${breach.text} Weakest components: ${weakestText || 'n/a'}.`;
  const [plan] = await ctx.db
    .insert(actionPlans)
    .values({
      organizationId: ctx.organization.id,
      agentId: agent.id,
      createdBy: agent.team_leader_id,
      startDate: today,
      targetEndDate: addDays(today, triggers.planLengthDays),
      status: 'DRAFT',
      reasonForPlan: reason,
      targetMetrics,
      successCriteria: {
        mandatory,
        recommended: breach.weakest.map((w) => `Lift ${metricByKey.get(w.metric)?.label ?? w.metric} by 5 points`),
      },
      checkInFrequency: triggers.checkInFrequency,
      progressUpdates: [],
      createdAt: ctx.clock.now(),
      updatedAt: ctx.clock.now(),
    })
    .returning({ id: actionPlans.id });
  await ctx.db
    .insert(notifications)
    .values({
      organizationId: ctx.organization.id,
      recipientId: agent.team_leader_id,
      kind: 'PLAN_PROPOSED',
      title: `Improvement plan proposed for ${agent.name}`,
      body: `${breach.text} A draft plan is ready for you to review, edit and send for approval.`,
      subjectType: 'action_plan',
      subjectId: plan.id,
      dedupKey: `plan-proposed:${agent.id}:${breach.kind}:${today}`,
      createdAt: ctx.clock.now(),
    })
    .onConflictDoNothing();
  return plan.id;
}
