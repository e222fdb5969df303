import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { notFound } from '../../../core/errors.js';
import { coachingEffectiveness, users } from '../schema.js';
import { loadVisiblePerson, resolveCoachingViewer, visiblePeopleCondition, type CoachingViewer } from '../shared/access.js';
import { round2 } from '../shared/metric-windows.js';
import { isIsoDate } from './dates.js';
import type { MetricsBefore } from './effectiveness-service.js';
import { effectEvidence, groupKey, type MetricsAfter } from './evaluation-service.js';

const isoDate = z.string().refine(isIsoDate, 'Use a date as YYYY-MM-DD');

export const listEffectivenessQuery = z.object({
  teamLeaderId: z.uuid().optional(),
  agentId: z.uuid().optional(),
  issue: z.string().trim().min(1).max(255).optional(),
  method: z.string().trim().min(1).max(255).optional(),
  /** Coaching dates (inclusive). */
  from: isoDate.optional(),
  to: isoDate.optional(),
});

const agentPerson = alias(users, 'eff_agent');
const leaderPerson = alias(users, 'eff_leader');

async function selectRecords(ctx: ServiceContext, viewer: CoachingViewer, where: SQL[]) {
  const rows = await ctx.db
    .select({ r: coachingEffectiveness, agentName: agentPerson.name, teamLeaderName: leaderPerson.name })
    .from(coachingEffectiveness)
    .innerJoin(agentPerson, eq(agentPerson.id, coachingEffectiveness.agentId))
    .innerJoin(leaderPerson, eq(leaderPerson.id, coachingEffectiveness.teamLeaderId))
    .where(and(eq(coachingEffectiveness.organizationId, ctx.organization.id), visiblePeopleCondition(ctx, viewer, coachingEffectiveness.agentId), ...where))
    .orderBy(desc(sql`${coachingEffectiveness.metricsBefore}->>'coachedOn'`), desc(coachingEffectiveness.createdAt));
  return rows.map(({ r, agentName, teamLeaderName }) => {
    const before = r.metricsBefore as MetricsBefore | null;
    const after = r.metricsAfter as MetricsAfter | null;
    return {
      ...r,
      metricsBefore: r.metricsBefore,
      metricsAfter: r.metricsAfter,
      agentName,
      teamLeaderName,
      coachedOn: before?.coachedOn ?? null,
      issueMetric: before?.issueMetric ?? null,
      didEffect: after?.did?.effect ?? null,
      peerCount: after?.peers?.n ?? null,
      status: (after ? 'EVALUATED' : 'MEASURING') as 'EVALUATED' | 'MEASURING',
    };
  });
}
export type EffectivenessView = Awaited<ReturnType<typeof selectRecords>>[number];

export interface EffectivenessSummaryRow {
  issue: string;
  method: string;
  n: number;
  evaluated: number;
  meanImprovementPct: number | null;
  meanDid: number | null;
  didN: number;
  tStat: number | null;
  sustained30Rate: number | null;
  sustained90Rate: number | null;
  recommended: boolean;
}

export function summarize(records: EffectivenessView[]): EffectivenessSummaryRow[] {
  const groups = new Map<string, EffectivenessView[]>();
  for (const r of records) {
    const key = `${groupKey(r.primaryIssue)}|${groupKey(r.interventionMethod)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const mean = (xs: number[]) => (xs.length ? round2(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const rate = (xs: (boolean | null)[]) => {
    const known = xs.filter((x): x is boolean => x != null);
    return known.length ? round2(known.filter(Boolean).length / known.length) : null;
  };
  return [...groups.values()]
    .map((rs) => {
      const effects = rs.map((r) => r.didEffect).filter((x): x is number => typeof x === 'number');
      const evidence = effectEvidence(effects);
      return {
        issue: rs[0].primaryIssue ?? '',
        method: rs[0].interventionMethod ?? '',
        n: rs.length,
        evaluated: rs.filter((r) => r.metricsAfter != null).length,
        meanImprovementPct: mean(rs.map((r) => r.improvementPercentage).filter((x): x is number => x != null)),
        meanDid: mean(effects),
        didN: effects.length,
        tStat: evidence.t == null || !Number.isFinite(evidence.t) ? null : round2(evidence.t),
        sustained30Rate: rate(rs.map((r) => r.sustainedAfter30Days)),
        sustained90Rate: rate(rs.map((r) => r.sustainedAfter90Days)),
        recommended: rs.some((r) => r.recommendedForSimilarIssues),
      };
    })
    .sort((a, b) => a.issue.localeCompare(b.issue) || a.method.localeCompare(b.method));
}

/**
 * Effectiveness records of the people the viewer sees, and a summary per issue × method over them. `recommended` is
 * the organization-wide verdict stored on the records (evidence from every evaluated session, not only the visible).
 */
export async function listEffectiveness(ctx: ServiceContext, query: z.infer<typeof listEffectivenessQuery>) {
  const viewer = await resolveCoachingViewer(ctx);
  const where: SQL[] = [];
  if (query.agentId) {
    await loadVisiblePerson(ctx, viewer, query.agentId);
    where.push(eq(coachingEffectiveness.agentId, query.agentId));
  }
  if (query.teamLeaderId) {
    await loadVisiblePerson(ctx, viewer, query.teamLeaderId);
    where.push(eq(coachingEffectiveness.teamLeaderId, query.teamLeaderId));
  }
  if (query.issue) where.push(sql`lower(trim(${coachingEffectiveness.primaryIssue})) = ${groupKey(query.issue)}`);
  if (query.method) where.push(sql`lower(trim(${coachingEffectiveness.interventionMethod})) = ${groupKey(query.method)}`);
  if (query.from) where.push(sql`${coachingEffectiveness.metricsBefore}->>'coachedOn' >= ${query.from}`);
  if (query.to) where.push(sql`${coachingEffectiveness.metricsBefore}->>'coachedOn' <= ${query.to}`);
  const items = await selectRecords(ctx, viewer, where);
  return { items, summary: summarize(items) };
}

export async function getEffectiveness(ctx: ServiceContext, id: string) {
  const viewer = await resolveCoachingViewer(ctx);
  const [record] = await selectRecords(ctx, viewer, [eq(coachingEffectiveness.id, id)]);
  if (!record) throw notFound('Coaching effectiveness record', id);
  return record;
}
