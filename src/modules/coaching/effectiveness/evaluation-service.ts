import { and, eq, sql } from 'drizzle-orm';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { actionItems, coachingEffectiveness, coachingSessions, users } from '../schema.js';
import { averageMetricsBetween, round2, type MetricAverages } from '../shared/metric-windows.js';
import { addDays, localDate } from './dates.js';
import type { MetricsBefore } from './effectiveness-service.js';
import { issueMetricKey, metricDirection } from './issue-metrics.js';

type Record_ = typeof coachingEffectiveness.$inferSelect;

/** What metrics_after holds once the period after the coaching has passed. */
export interface MetricsAfter {
  window: { from: string; to: string };
  issueMetric: string;
  agent: { days: number; values: Record<string, number | null> };
  /** Comparison agents: same organization, not coached on the same issue metric around these dates, nearest baseline. */
  peers: { n: number; ids: string[]; department: string | null; before: number | null; after: number | null };
  /**
   * Difference in differences on the issue metric: (agent after − before) − (peers' mean after − before), in the
   * metric's unit; `effect` is signed so that positive = better (AHT falling is positive). null without peers.
   */
  did: { metric: string; agentChange: number | null; peersChange: number | null; raw: number | null; effect: number | null };
  sustained?: { day30?: SustainCheck; day90?: SustainCheck };
  [extra: string]: unknown;
}

export interface SustainCheck {
  window: { from: string; to: string };
  value: number | null;
  /** The gain on the issue metric (positive = better) still there, against the gain right after the coaching. */
  keptGain: number | null;
  gain: number | null;
  sustained: boolean | null;
}

export const maxPeers = 10;
/** The window that decides "sustained": the 14 days ending on day 30 / day 90 after the coaching. */
export const sustainWindowDays = 14;
/** Same-department peers are used when at least this many qualify; otherwise the whole organization. */
const minSameDepartmentPeers = 3;
/** Recommendation: at least this many evaluated sessions for the issue × method, and a t-statistic at least this. */
export const recommendMinN = 3;
export const recommendMinT = 2;

const clampPct = (n: number) => Math.max(-999.99, Math.min(999.99, round2(n)));

/** Improvement % on the issue metric, signed so that positive = better. */
export function improvementPercentage(before: number | null | undefined, after: number | null | undefined, metric: string): number | null {
  if (before == null || after == null || before === 0) return null;
  return clampPct(((after - before) / Math.abs(before)) * 100 * metricDirection(metric));
}

/** The mean and one-sample t-statistic of effects; t is Infinity when all effects are equal and positive. */
export function effectEvidence(effects: number[]): { n: number; mean: number | null; t: number | null } {
  const n = effects.length;
  if (n === 0) return { n, mean: null, t: null };
  const mean = effects.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, t: null };
  const variance = effects.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  const se = Math.sqrt(variance / n);
  const t = se === 0 ? (mean > 0 ? Infinity : mean < 0 ? -Infinity : 0) : mean / se;
  return { n, mean, t };
}

export function isRecommended(effects: number[]): boolean {
  const { n, mean, t } = effectEvidence(effects);
  return n >= recommendMinN && mean != null && mean > 0 && t != null && t >= recommendMinT;
}

/**
 * What one evaluation run reads again and again, read once: the organization's agents, every effectiveness record's
 * coaching day and issue, and window averages per date range for all agents (records coached on the same days share
 * windows). Plain reads of rows this run does not write.
 */
interface EvaluationReads {
  agents: { id: string; department: string | null; deleted: boolean }[];
  coached: { agentId: string; primaryIssue: string | null; coachedOn: string }[];
  /** Reads through `ctx` (the caller's transaction: on the embedded database a read outside it would wait for it). */
  averages(ctx: ServiceContext, agentIds: string[], from: string, to: string): Promise<Map<string, MetricAverages>>;
}

async function loadEvaluationReads(ctx: ServiceContext): Promise<EvaluationReads> {
  const org = ctx.organization.id;
  const agents = await sqlRows<{ id: string; department: string | null; deleted: boolean }>(
    ctx.db,
    sql`SELECT id, department, deleted_at IS NOT NULL AS deleted FROM coaching.users WHERE organization_id = ${org} AND role = 'AGENT'`,
  );
  const coached = await sqlRows<{ agentId: string; primaryIssue: string | null; coachedOn: string }>(
    ctx.db,
    sql`SELECT agent_id AS "agentId", primary_issue AS "primaryIssue", metrics_before->>'coachedOn' AS "coachedOn"
        FROM coaching.coaching_effectiveness WHERE organization_id = ${org} AND metrics_before ? 'coachedOn'`,
  );
  const allIds = agents.map((a) => a.id);
  const windows = new Map<string, Promise<Map<string, MetricAverages>>>();
  return {
    agents,
    coached,
    async averages(readCtx, agentIds, from, to) {
      const key = `${from}|${to}`;
      if (!windows.has(key)) windows.set(key, averageMetricsBetween(readCtx, allIds, from, to));
      const all = await windows.get(key)!;
      return new Map(agentIds.flatMap((id) => (all.has(id) ? [[id, all.get(id)!] as const] : [])));
    },
  };
}

/**
 * Daily per organization (by local yesterday, the last day with metrics): fills metrics_after, improvement %, the
 * difference in differences and success/failure factors once the period after a coaching has passed; then the
 * sustained flags at day 30 and day 90; then the recommendation of each issue × method. Each record in its own
 * transaction.
 */
export async function evaluateDueEffectiveness(ctx: ServiceContext): Promise<{ evaluated: number; sustained30: number; sustained90: number; failed: number }> {
  const yesterday = addDays(localDate(ctx.clock.now(), ctx.organization.timezone), -1);
  const rows = await ctx.db
    .select()
    .from(coachingEffectiveness)
    .where(
      and(
        eq(coachingEffectiveness.organizationId, ctx.organization.id),
        sql`${coachingEffectiveness.metricsBefore} IS NOT NULL`,
        sql`(${coachingEffectiveness.metricsAfter} IS NULL OR ${coachingEffectiveness.sustainedAfter30Days} IS NULL OR ${coachingEffectiveness.sustainedAfter90Days} IS NULL)`,
      ),
    );
  const result = { evaluated: 0, sustained30: 0, sustained90: 0, failed: 0 };
  const reads = rows.length > 0 ? await loadEvaluationReads(ctx) : null;
  for (const row of rows) {
    const before = row.metricsBefore as MetricsBefore | null;
    if (!before?.coachedOn) continue;
    const c = before.coachedOn;
    try {
      await inTransaction(ctx, async (tx) => {
        let record = row;
        if (!record.metricsAfter && addDays(c, record.measurementPeriodDays) <= yesterday) {
          record = await evaluateAfter(tx, reads!, record);
          result.evaluated++;
        }
        if (record.metricsAfter && record.sustainedAfter30Days == null && addDays(c, 30) <= yesterday) {
          record = await evaluateSustained(reads!, tx, record, 30);
          if (record.sustainedAfter30Days != null) result.sustained30++;
        }
        if (record.metricsAfter && record.sustainedAfter90Days == null && addDays(c, 90) <= yesterday) {
          record = await evaluateSustained(reads!, tx, record, 90);
          if (record.sustainedAfter90Days != null) result.sustained90++;
        }
      });
    } catch (error) {
      result.failed++;
      ctx.log.error({ err: error, effectivenessId: row.id }, 'coaching effectiveness evaluation failed');
    }
  }
  if (result.evaluated > 0) await inTransaction(ctx, (tx) => refreshRecommendations(tx));
  return result;
}

async function evaluateAfter(ctx: ServiceContext, reads: EvaluationReads, record: Record_): Promise<Record_> {
  const before = record.metricsBefore as MetricsBefore;
  const metric = before.issueMetric ?? issueMetricKey(record.primaryIssue);
  const c = before.coachedOn;
  const window = { from: addDays(c, 1), to: addDays(c, record.measurementPeriodDays) };
  const agentAfter = (await reads.averages(ctx, [record.agentId], window.from, window.to)).get(record.agentId);
  const agentBeforeValue = before.agent?.values?.[metric] ?? null;
  const agentAfterValue = agentAfter?.values[metric] ?? null;
  const peers = await selectPeers(ctx, reads, record, metric, before.window, window, agentBeforeValue);
  const agentChange = agentBeforeValue != null && agentAfterValue != null ? round2(agentAfterValue - agentBeforeValue) : null;
  const peersChange = peers.before != null && peers.after != null ? round2(peers.after - peers.before) : null;
  const raw = agentChange != null && peersChange != null && peers.n > 0 ? round2(agentChange - peersChange) : null;
  const metricsAfter: MetricsAfter = {
    window,
    issueMetric: metric,
    agent: { days: agentAfter?.days ?? 0, values: agentAfter?.values ?? {} },
    peers,
    did: { metric, agentChange, peersChange, raw, effect: raw == null ? null : round2(raw * metricDirection(metric)) },
  };
  const factors = await factorsFor(ctx, record, metricsAfter);
  const [updated] = await ctx.db
    .update(coachingEffectiveness)
    .set({
      metricsBefore: { ...before, peers: { n: peers.n, ids: peers.ids, value: peers.before } },
      metricsAfter,
      improvementPercentage: improvementPercentage(agentBeforeValue, agentAfterValue, metric),
      successFactors: factors.success,
      failureFactors: factors.failure,
    })
    .where(eq(coachingEffectiveness.id, record.id))
    .returning();
  return updated;
}

/**
 * Peers: agents of the same organization (not the coached agent, not deleted) with metrics in both windows who were
 * not coached on the same issue metric between the start of the before window and the end of the after window; the
 * nearest `maxPeers` by baseline on the issue metric, from the agent's department when it has enough of them.
 */
async function selectPeers(
  ctx: ServiceContext,
  reads: EvaluationReads,
  record: Record_,
  metric: string,
  beforeWindow: { from: string; to: string },
  afterWindow: { from: string; to: string },
  baseline: number | null,
): Promise<MetricsAfter['peers']> {
  const none = { n: 0, ids: [], department: null, before: null, after: null };
  if (baseline == null) return none;
  const candidates = reads.agents.filter((a) => !a.deleted && a.id !== record.agentId);
  const excluded = new Set(
    reads.coached
      .filter((r) => r.coachedOn >= beforeWindow.from && r.coachedOn <= afterWindow.to && issueMetricKey(r.primaryIssue) === metric)
      .map((r) => r.agentId),
  );
  const pool = candidates.filter((p) => !excluded.has(p.id));
  if (pool.length === 0) return none;
  const ids = pool.map((p) => p.id);
  const [b, a] = await Promise.all([reads.averages(ctx, ids, beforeWindow.from, beforeWindow.to), reads.averages(ctx, ids, afterWindow.from, afterWindow.to)]);
  const usable = pool
    .map((p) => ({ ...p, before: b.get(p.id)?.values[metric] ?? null, after: a.get(p.id)?.values[metric] ?? null }))
    .filter((p): p is typeof p & { before: number; after: number } => p.before != null && p.after != null);
  const department = reads.agents.find((a) => a.id === record.agentId)?.department ?? null;
  const sameDepartment = department ? usable.filter((p) => p.department === department) : [];
  const chosenPool = sameDepartment.length >= minSameDepartmentPeers ? sameDepartment : usable;
  const chosen = chosenPool.sort((x, y) => Math.abs(x.before - baseline) - Math.abs(y.before - baseline) || x.id.localeCompare(y.id)).slice(0, maxPeers);
  if (chosen.length === 0) return none;
  const mean = (xs: number[]) => round2(xs.reduce((s, v) => s + v, 0) / xs.length);
  return {
    n: chosen.length,
    ids: chosen.map((p) => p.id),
    department: chosenPool === sameDepartment ? department : null,
    before: mean(chosen.map((p) => p.before)),
    after: mean(chosen.map((p) => p.after)),
  };
}

/** Success / failure factors: the session's 1–5 scores, how many of its action items were completed, the DiD. */
async function factorsFor(ctx: ServiceContext, record: Record_, after: MetricsAfter): Promise<{ success: string[]; failure: string[] }> {
  const success: string[] = [];
  const failure: string[] = [];
  if (record.sessionId) {
    const [session] = await ctx.db.select().from(coachingSessions).where(eq(coachingSessions.id, record.sessionId));
    if (session) {
      const scores: [string, number | null][] = [
        ['Engagement', session.engagementScore],
        ['Receptiveness', session.receptivenessScore],
        ['Understanding', session.understandingScore],
        ['Overall session effectiveness', session.overallEffectiveness],
      ];
      for (const [label, value] of scores) {
        if (value == null) continue;
        if (value >= 4) success.push(`${label} ${value}/5`);
        else if (value <= 2) failure.push(`${label} ${value}/5`);
      }
    }
    const items = await ctx.db.select({ status: actionItems.status }).from(actionItems).where(eq(actionItems.sessionId, record.sessionId));
    if (items.length > 0) {
      const done = items.filter((i) => i.status === 'COMPLETED').length;
      const text = `${done} of ${items.length} action items completed`;
      if (done / items.length >= 0.75) success.push(text);
      else if (done / items.length < 0.5) failure.push(text);
    }
  }
  const effect = after.did.effect;
  if (effect != null && after.peers.n > 0) {
    const unit = after.issueMetric;
    if (effect > 0) success.push(`Improved ${Math.abs(effect)} on ${unit} more than ${after.peers.n} similar uncoached agents`);
    else if (effect < 0) failure.push(`Did ${Math.abs(effect)} worse on ${unit} than ${after.peers.n} similar uncoached agents`);
  }
  return { success, failure };
}

/**
 * Sustained at day 30 / 90: the issue metric's mean over the 14 days ending on that day keeps at least half of the
 * gain measured right after the coaching (gain signed so positive = better). No gain to keep → false. No metrics in
 * that window → stays null (checked again the next day).
 */
async function evaluateSustained(reads: EvaluationReads, ctx: ServiceContext, record: Record_, day: 30 | 90): Promise<Record_> {
  const before = record.metricsBefore as MetricsBefore;
  const after = record.metricsAfter as MetricsAfter;
  const metric = after.issueMetric;
  const window = { from: addDays(before.coachedOn, day - sustainWindowDays + 1), to: addDays(before.coachedOn, day) };
  const value = (await reads.averages(ctx, [record.agentId], window.from, window.to)).get(record.agentId)?.values[metric] ?? null;
  const baseline = before.agent?.values?.[metric] ?? null;
  const afterValue = after.agent?.values?.[metric] ?? null;
  const dir = metricDirection(metric);
  const gain = baseline != null && afterValue != null ? round2((afterValue - baseline) * dir) : null;
  const keptGain = baseline != null && value != null ? round2((value - baseline) * dir) : null;
  const sustained = value == null || gain == null ? null : gain > 0 && keptGain != null && keptGain >= gain / 2;
  const check: SustainCheck = { window, value, gain, keptGain, sustained };
  const metricsAfter: MetricsAfter = { ...after, sustained: { ...(after.sustained ?? {}), [day === 30 ? 'day30' : 'day90']: check } };
  const [updated] = await ctx.db
    .update(coachingEffectiveness)
    .set(day === 30 ? { sustainedAfter30Days: sustained, metricsAfter } : { sustainedAfter90Days: sustained, metricsAfter })
    .where(eq(coachingEffectiveness.id, record.id))
    .returning();
  return updated;
}

/** recommended_for_similar_issues per issue × method of the organization, from the DiD effects of the evaluated sessions. */
export async function refreshRecommendations(ctx: ServiceContext): Promise<void> {
  const rows = await ctx.db
    .select({
      id: coachingEffectiveness.id,
      issue: coachingEffectiveness.primaryIssue,
      method: coachingEffectiveness.interventionMethod,
      after: coachingEffectiveness.metricsAfter,
    })
    .from(coachingEffectiveness)
    .where(eq(coachingEffectiveness.organizationId, ctx.organization.id));
  const groups = new Map<string, { ids: string[]; effects: number[] }>();
  for (const r of rows) {
    const key = `${groupKey(r.issue)}|${groupKey(r.method)}`;
    const g = groups.get(key) ?? { ids: [], effects: [] };
    g.ids.push(r.id);
    const effect = (r.after as MetricsAfter | null)?.did?.effect;
    if (typeof effect === 'number') g.effects.push(effect);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const recommended = isRecommended(g.effects);
    await ctx.db
      .update(coachingEffectiveness)
      .set({ recommendedForSimilarIssues: recommended })
      .where(
        and(
          eq(coachingEffectiveness.organizationId, ctx.organization.id),
          sql`${coachingEffectiveness.id} IN (${sql.join(
            g.ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
          sql`${coachingEffectiveness.recommendedForSimilarIssues} IS DISTINCT FROM ${recommended}`,
        ),
      );
  }
}

/** Issues and methods are free text: grouped case- and space-insensitively. */
export const groupKey = (s: string | null) => (s ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
