import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { forbidden } from '../../../core/errors.js';
import { performanceHistory, periodTypes } from '../schema.js';
import { describeRole, loadVisiblePerson, resolveCoachingViewer, visiblePeopleCondition, type CoachingViewer, type Person } from '../shared/access.js';
import { coachingError } from '../shared/errors.js';
import { compositeComponents, compositeWeights, metricByKey, metricDefinitions, type CompositeComponent } from '../shared/metrics.js';
import { addDays, localDate } from './periods.js';

const round2 = (n: number) => Math.round(n * 100) / 100;
const num = (v: unknown) => (v == null ? null : Number(v));

/** The organization's local today and yesterday (the last day metrics usually exist for). */
function localDays(ctx: ServiceContext) {
  const today = localDate(ctx.clock.now(), ctx.organization.timezone);
  return { today, yesterday: addDays(today, -1) };
}

function requireAgent(person: Person) {
  if (person.role !== 'AGENT') {
    throw coachingError('NOT_AN_AGENT', `${person.name} is ${describeRole(person.role)}; scorecards and metrics are kept for agents.`, { status: 400 });
  }
}

// ---------------------------------------------------------------- team view

export const teamQuery = z.object({ teamLeaderId: z.uuid().optional() });

export interface TeamAgentRow {
  id: string;
  name: string;
  status: string;
  latestComposite: number | null;
  latestCompositeDate: string | null;
  /** Average composite of the four 7-day blocks ending yesterday, oldest first (null: no metrics that week). */
  compositeWeeks: (number | null)[];
  /** Last 7 days' average composite minus the one three weeks before (positive = improving). */
  compositeTrend4w: number | null;
  /** The composite component furthest below the team's 28-day average. */
  weakestMetric: { key: string; label: string; value: number; teamAverage: number; gap: number } | null;
  percentile: number | null;
  flags: {
    activePlan: { id: string; targetEndDate: string } | null;
    overdueActionItems: number;
    openActionItems: number;
    unaddressedNotes: number;
    daysSinceLastSession: number | null;
    nextSession: { id: string; scheduledDate: Date } | null;
  };
  /** Why to talk to this agent now, most pressing first; the list is sorted by `attention`. */
  reasons: string[];
  attention: number;
}

export async function getTeamView(ctx: ServiceContext, query: z.output<typeof teamQuery>) {
  const viewer = await resolveCoachingViewer(ctx);
  if (!viewer.seesEverything && viewer.role === 'AGENT') {
    throw forbidden('The team view is for team leaders, managers and admins; your own scorecard is under My scorecard.');
  }
  let leader: Person | null = null;
  if (query.teamLeaderId) {
    leader = await loadVisiblePerson(ctx, viewer, query.teamLeaderId);
    if (leader.role !== 'TEAM_LEADER') {
      throw coachingError('NOT_A_TEAM_LEADER', `${leader.name} is ${describeRole(leader.role)}, not a team leader; choose a team leader's team.`, {
        status: 400,
      });
    }
  } else if (viewer.role === 'TEAM_LEADER' && viewer.personId) {
    leader = await loadVisiblePerson(ctx, viewer, viewer.personId);
  } else {
    const [first] = await sqlRows<{ id: string }>(
      ctx.db,
      sql`SELECT id FROM coaching.users p WHERE p.organization_id = ${ctx.organization.id} AND p.role = 'TEAM_LEADER' AND p.deleted_at IS NULL
            AND ${visiblePeopleCondition(ctx, viewer, sql`p.id`)} ORDER BY p.name, p.id LIMIT 1`,
    );
    if (first) leader = await loadVisiblePerson(ctx, viewer, first.id);
  }
  const teams = await sqlRows<{ id: string; name: string }>(
    ctx.db,
    sql`SELECT id, name FROM coaching.users p WHERE p.organization_id = ${ctx.organization.id} AND p.role = 'TEAM_LEADER' AND p.deleted_at IS NULL
          AND ${visiblePeopleCondition(ctx, viewer, sql`p.id`)} ORDER BY p.name, p.id`,
  );
  if (!leader) return { teamLeader: null, teams, summary: null, asOf: localDays(ctx).yesterday, agents: [] as TeamAgentRow[] };

  const [summary] = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT agent_count::int, active_pips::int, avg_team_score::float8, avg_service_score::float8, avg_quality_score::float8,
               sessions_last_week::int, calculated_date::text
        FROM coaching.team_performance_summary WHERE organization_id = ${ctx.organization.id} AND team_leader_id = ${leader.id}`,
  );
  const agents = await teamAgents(ctx, leader.id);
  return {
    teamLeader: { id: leader.id, name: leader.name },
    teams,
    summary: summary
      ? {
          agentCount: Number(summary.agent_count),
          activePips: Number(summary.active_pips),
          avgTeamScore: num(summary.avg_team_score) == null ? null : round2(Number(summary.avg_team_score)),
          avgServiceScore: num(summary.avg_service_score) == null ? null : round2(Number(summary.avg_service_score)),
          avgQualityScore: num(summary.avg_quality_score) == null ? null : round2(Number(summary.avg_quality_score)),
          sessionsLastWeek: Number(summary.sessions_last_week),
          calculatedDate: String(summary.calculated_date),
        }
      : null,
    asOf: localDays(ctx).yesterday,
    agents,
  };
}

async function teamAgents(ctx: ServiceContext, leaderId: string): Promise<TeamAgentRow[]> {
  const org = ctx.organization.id;
  const { today, yesterday } = localDays(ctx);
  const from = addDays(yesterday, -27);
  const now = ctx.clock.now();
  const block = (i: number) =>
    sql.raw(
      `avg(m.composite_score) FILTER (WHERE m.metric_date BETWEEN '${addDays(yesterday, -7 * i - 6)}' AND '${addDays(yesterday, -7 * i)}')::float8 AS w${i}`,
    );
  const componentAvgs = sql.raw(compositeComponents.map((c) => `avg(m.${c})::float8 AS ${c}`).join(', '));
  const rows = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT a.id, a.name, a.status, lm.composite_score::float8 AS latest, lm.metric_date::text AS latest_date,
               (pr.percentile_ranking ->> 'composite_score')::float8 AS percentile,
               w.w3, w.w2, w.w1, w.w0, ${sql.raw(compositeComponents.map((c) => `w.${c}`).join(', '))},
               plan.id AS plan_id, plan.target_end_date::text AS plan_end,
               (SELECT count(*) FROM coaching.action_items i WHERE i.organization_id = ${org} AND i.agent_id = a.id
                  AND (i.status = 'OVERDUE' OR (i.status IN ('PENDING', 'IN_PROGRESS') AND i.due_date < ${today}::date)))::int AS overdue,
               (SELECT count(*) FROM coaching.action_items i WHERE i.organization_id = ${org} AND i.agent_id = a.id
                  AND i.status IN ('PENDING', 'IN_PROGRESS', 'OVERDUE'))::int AS open_items,
               (SELECT count(*) FROM coaching.quick_notes n WHERE n.organization_id = ${org} AND n.agent_id = a.id AND n.addressed = false)::int AS notes,
               (SELECT max(coalesce(s.actual_end_time, s.scheduled_date)) FROM coaching.coaching_sessions s
                  WHERE s.organization_id = ${org} AND s.agent_id = a.id AND s.status = 'COMPLETED') AS last_session,
               nx.id AS next_id, nx.scheduled_date AS next_date
        FROM coaching.users a
        LEFT JOIN LATERAL (SELECT composite_score, metric_date FROM coaching.performance_metrics m
                           WHERE m.organization_id = ${org} AND m.agent_id = a.id AND m.composite_score IS NOT NULL
                           ORDER BY metric_date DESC LIMIT 1) lm ON true
        LEFT JOIN coaching.agent_profiles pr ON pr.agent_id = a.id
        LEFT JOIN LATERAL (SELECT ${block(3)}, ${block(2)}, ${block(1)}, ${block(0)}, ${componentAvgs}
                           FROM coaching.performance_metrics m
                           WHERE m.organization_id = ${org} AND m.agent_id = a.id AND m.metric_date BETWEEN ${from}::date AND ${yesterday}::date) w ON true
        LEFT JOIN LATERAL (SELECT id, target_end_date FROM coaching.action_plans p
                           WHERE p.organization_id = ${org} AND p.agent_id = a.id AND p.status IN ('ACTIVE', 'EXTENDED')
                           ORDER BY start_date DESC LIMIT 1) plan ON true
        LEFT JOIN LATERAL (SELECT id, scheduled_date FROM coaching.coaching_sessions s
                           WHERE s.organization_id = ${org} AND s.agent_id = a.id AND s.status = 'SCHEDULED' AND s.scheduled_date >= ${now}
                           ORDER BY scheduled_date LIMIT 1) nx ON true
        WHERE a.organization_id = ${org} AND a.team_leader_id = ${leaderId} AND a.role = 'AGENT' AND a.deleted_at IS NULL
        ORDER BY a.name, a.id`,
  );
  // Team averages of each component over the same 28 days (agents with data only).
  const teamAverage = {} as Record<CompositeComponent, number | null>;
  for (const c of compositeComponents) {
    const values = rows.map((r) => num(r[c])).filter((v): v is number => v != null);
    teamAverage[c] = values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
  }
  const result = rows.map((r): TeamAgentRow => {
    const weeks = [num(r.w3), num(r.w2), num(r.w1), num(r.w0)].map((v) => (v == null ? null : round2(v)));
    const trend = weeks[3] != null && weeks[0] != null ? round2(weeks[3] - weeks[0]) : null;
    let weakest: TeamAgentRow['weakestMetric'] = null;
    for (const c of compositeComponents) {
      const value = num(r[c]);
      const team = teamAverage[c];
      if (value == null || team == null) continue;
      const gap = round2(value - team);
      if (!weakest || gap < weakest.gap) weakest = { key: c, label: metricByKey.get(c)!.label, value: round2(value), teamAverage: round2(team), gap };
    }
    const lastSession = r.last_session ? new Date(r.last_session as string) : null;
    const daysSince = lastSession
      ? Math.floor((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${localDate(lastSession, ctx.organization.timezone)}T00:00:00Z`)) / 86_400_000)
      : null;
    const flags: TeamAgentRow['flags'] = {
      activePlan: r.plan_id ? { id: String(r.plan_id), targetEndDate: String(r.plan_end) } : null,
      overdueActionItems: Number(r.overdue),
      openActionItems: Number(r.open_items),
      unaddressedNotes: Number(r.notes),
      daysSinceLastSession: daysSince,
      nextSession: r.next_id ? { id: String(r.next_id), scheduledDate: new Date(r.next_date as string) } : null,
    };
    const percentile = num(r.percentile);
    // Attention: what a team leader should raise first, with the reason spelled out.
    const reasons: [number, string][] = [];
    if (trend != null && trend <= -2) reasons.push([Math.min(40, -trend * 5), `Composite down ${Math.abs(trend).toFixed(1)} points over 4 weeks`]);
    if (weakest && weakest.gap <= -3)
      reasons.push([Math.min(30, -weakest.gap * 2), `${weakest.label} ${Math.abs(weakest.gap).toFixed(1)} below the team average`]);
    if (flags.overdueActionItems > 0)
      reasons.push([10 + 5 * flags.overdueActionItems, `${flags.overdueActionItems} overdue action item${flags.overdueActionItems === 1 ? '' : 's'}`]);
    if (flags.unaddressedNotes > 0)
      reasons.push([5 + 3 * flags.unaddressedNotes, `${flags.unaddressedNotes} unaddressed quick note${flags.unaddressedNotes === 1 ? '' : 's'}`]);
    if (daysSince == null) reasons.push([12, 'No completed coaching session yet']);
    else if (daysSince > 30) reasons.push([Math.min(25, daysSince / 3), `No coaching session for ${daysSince} days`]);
    if (percentile != null && percentile <= 25) reasons.push([15, `Bottom quartile among peers (percentile ${percentile})`]);
    if (flags.activePlan) reasons.push([8, 'On an improvement plan']);
    if (trend != null && trend >= 3) reasons.push([1, `Composite up ${trend.toFixed(1)} points over 4 weeks — recognise it`]);
    reasons.sort((a, b) => b[0] - a[0]);
    return {
      id: String(r.id),
      name: String(r.name),
      status: String(r.status),
      latestComposite: num(r.latest),
      latestCompositeDate: (r.latest_date as string | null) ?? null,
      compositeWeeks: weeks,
      compositeTrend4w: trend,
      weakestMetric: weakest,
      percentile,
      flags,
      reasons: reasons.map(([, text]) => text),
      attention: Math.round(reasons.reduce((s, [w]) => s + w, 0)),
    };
  });
  return result.sort((a, b) => b.attention - a.attention || a.name.localeCompare(b.name));
}

export async function getTeamSummaries(ctx: ServiceContext) {
  const viewer = await resolveCoachingViewer(ctx);
  const rows = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT s.team_leader_id, s.team_leader_name, s.agent_count::int, s.active_pips::int, s.avg_team_score::float8,
               s.avg_service_score::float8, s.avg_quality_score::float8, s.sessions_last_week::int, s.calculated_date::text
        FROM coaching.team_performance_summary s
        WHERE s.organization_id = ${ctx.organization.id} AND ${visiblePeopleCondition(ctx, viewer, sql`s.team_leader_id`)}
        ORDER BY s.team_leader_name, s.team_leader_id`,
  );
  const items = rows.map((r) => ({
    teamLeaderId: String(r.team_leader_id),
    teamLeaderName: String(r.team_leader_name),
    agentCount: Number(r.agent_count),
    activePips: Number(r.active_pips),
    avgTeamScore: num(r.avg_team_score) == null ? null : round2(Number(r.avg_team_score)),
    avgServiceScore: num(r.avg_service_score) == null ? null : round2(Number(r.avg_service_score)),
    avgQualityScore: num(r.avg_quality_score) == null ? null : round2(Number(r.avg_quality_score)),
    sessionsLastWeek: Number(r.sessions_last_week),
    calculatedDate: String(r.calculated_date),
  }));
  return {
    items,
    calculatedDate: items.length
      ? items
          .map((i) => i.calculatedDate)
          .sort()
          .at(-1)!
      : null,
  };
}

// ---------------------------------------------------------------- agent scorecard

export const rangeQuery = z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() });

function range(ctx: ServiceContext, query: z.output<typeof rangeQuery>, days: number) {
  const to = query.to ?? localDays(ctx).yesterday;
  const from = query.from ?? addDays(to, -(days - 1));
  if (from > to) throw coachingError('BAD_RANGE', `The range starts (${from}) after it ends (${to}); swap the dates.`, { status: 400 });
  return { from, to };
}

const metricColumns = sql.raw(metricDefinitions.map((m) => `${m.key}::float8 AS ${m.key}`).join(', '));

export async function getAgentMetrics(ctx: ServiceContext, agentId: string, query: z.output<typeof rangeQuery>) {
  const viewer = await resolveCoachingViewer(ctx);
  const agent = await loadVisiblePerson(ctx, viewer, agentId);
  requireAgent(agent);
  const { from, to } = range(ctx, query, 30);
  const rows = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT metric_date::text AS date, ${metricColumns}, imported_from FROM coaching.performance_metrics
        WHERE organization_id = ${ctx.organization.id} AND agent_id = ${agent.id} AND metric_date BETWEEN ${from}::date AND ${to}::date
        ORDER BY metric_date`,
  );
  return { agentId: agent.id, from, to, items: rows.map(dailyRow) };
}

function dailyRow(r: Record<string, unknown>) {
  const values: Record<string, number | null> = {};
  for (const m of metricDefinitions) values[m.key] = num(r[m.key]);
  return { date: String(r.date), values, importedFrom: (r.imported_from as string | null) ?? null };
}

export const historyQuery = z.object({ periodType: z.enum(periodTypes).optional() });

export async function getAgentHistory(ctx: ServiceContext, agentId: string, query: z.output<typeof historyQuery>) {
  const viewer = await resolveCoachingViewer(ctx);
  const agent = await loadVisiblePerson(ctx, viewer, agentId);
  requireAgent(agent);
  const items = await ctx.db
    .select()
    .from(performanceHistory)
    .where(
      and(
        eq(performanceHistory.organizationId, ctx.organization.id),
        eq(performanceHistory.agentId, agent.id),
        query.periodType ? eq(performanceHistory.periodType, query.periodType) : undefined,
      ),
    )
    .orderBy(asc(performanceHistory.periodType), asc(performanceHistory.periodEnding));
  return { agentId: agent.id, items };
}

export interface Contribution {
  component: CompositeComponent;
  label: string;
  weight: number;
  previous: number;
  current: number;
  change: number;
  /** weight × change: the composite points this component added or took away. */
  contribution: number;
}

export interface CompositeMove {
  previous: { from: string; to: string; composite: number };
  current: { from: string; to: string; composite: number };
  compositeChange: number;
  contributions: Contribution[];
}

/**
 * What moved the composite between two windows: contribution of each component = weight × change of its average.
 * Both windows average only days where every component is present, so the contributions add up to the composite
 * change (up to the composite's own rounding to two decimals per day).
 */
async function compositeMove(ctx: ServiceContext, agentId: string, previous: [string, string], current: [string, string]): Promise<CompositeMove | null> {
  const cols = sql.raw(
    ['composite_score', ...compositeComponents]
      .map(
        (c) =>
          `avg(${c}) FILTER (WHERE metric_date BETWEEN $P1 AND $P2)::float8 AS p_${c}, avg(${c}) FILTER (WHERE metric_date BETWEEN $C1 AND $C2)::float8 AS c_${c}`,
      )
      .join(', ')
      .replaceAll('$P1', `'${previous[0]}'`)
      .replaceAll('$P2', `'${previous[1]}'`)
      .replaceAll('$C1', `'${current[0]}'`)
      .replaceAll('$C2', `'${current[1]}'`),
  );
  const [r] = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT ${cols} FROM coaching.performance_metrics
        WHERE organization_id = ${ctx.organization.id} AND agent_id = ${agentId} AND composite_score IS NOT NULL
          AND metric_date BETWEEN ${previous[0]}::date AND ${current[1]}::date`,
  );
  if (!r || r.p_composite_score == null || r.c_composite_score == null) return null;
  const contributions = compositeComponents.map((c): Contribution => {
    const prev = Number(r[`p_${c}`]);
    const cur = Number(r[`c_${c}`]);
    return {
      component: c,
      label: metricByKey.get(c)!.label,
      weight: compositeWeights[c],
      previous: round2(prev),
      current: round2(cur),
      change: round2(cur - prev),
      contribution: round2(compositeWeights[c] * (cur - prev)),
    };
  });
  contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const p = Number(r.p_composite_score);
  const c = Number(r.c_composite_score);
  return {
    previous: { from: previous[0], to: previous[1], composite: round2(p) },
    current: { from: current[0], to: current[1], composite: round2(c) },
    compositeChange: round2(c - p),
    contributions,
  };
}

/** ISO-week and calendar-month windows: the period containing `to` and the one before it. */
function lastTwo(to: string) {
  const d = new Date(`${to}T00:00:00Z`);
  const weekStart = addDays(to, -((d.getUTCDay() + 6) % 7));
  const monthStart = `${to.slice(0, 7)}-01`;
  const prevMonthEnd = addDays(monthStart, -1);
  return {
    week: { previous: [addDays(weekStart, -7), addDays(weekStart, -1)] as [string, string], current: [weekStart, to] as [string, string] },
    month: { previous: [`${prevMonthEnd.slice(0, 7)}-01`, prevMonthEnd] as [string, string], current: [monthStart, to] as [string, string] },
  };
}

export async function getScorecard(ctx: ServiceContext, agentId: string, query: z.output<typeof rangeQuery>) {
  const viewer = await resolveCoachingViewer(ctx);
  const agent = await loadVisiblePerson(ctx, viewer, agentId);
  requireAgent(agent);
  const { from, to } = range(ctx, query, 90);
  const org = ctx.organization.id;
  const daily = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT metric_date::text AS date, ${metricColumns}, imported_from FROM coaching.performance_metrics
        WHERE organization_id = ${org} AND agent_id = ${agent.id} AND metric_date BETWEEN ${from}::date AND ${to}::date ORDER BY metric_date`,
  );
  const history = await ctx.db
    .select()
    .from(performanceHistory)
    .where(
      and(
        eq(performanceHistory.organizationId, org),
        eq(performanceHistory.agentId, agent.id),
        lte(performanceHistory.periodEnding, addDays(to, 92)),
        gte(performanceHistory.periodEnding, addDays(from, -366)),
      ),
    )
    .orderBy(asc(performanceHistory.periodEnding));
  const byType = { WEEK: [] as typeof history, MONTH: [] as typeof history, QUARTER: [] as typeof history };
  for (const h of history) byType[h.periodType].push(h);
  byType.WEEK = byType.WEEK.slice(-26);
  byType.MONTH = byType.MONTH.slice(-13);
  byType.QUARTER = byType.QUARTER.slice(-8);

  const [profile] = await sqlRows<{ percentile_ranking: Record<string, unknown> | null; peer_comparison_opt_in: boolean }>(
    ctx.db,
    sql`SELECT percentile_ranking, peer_comparison_opt_in FROM coaching.agent_profiles WHERE agent_id = ${agent.id}`,
  );
  const hidden = viewer.personId === agent.id && profile?.peer_comparison_opt_in === false;
  const windows = lastTwo(to);
  const [counts] = await sqlRows<{ sessions: number; open_items: number; overdue: number; notes: number }>(
    ctx.db,
    sql`SELECT
          (SELECT count(*) FROM coaching.coaching_sessions s WHERE s.organization_id = ${org} AND s.agent_id = ${agent.id}
             AND s.status = 'COMPLETED' AND s.scheduled_date >= ${ctx.clock.now()}::timestamptz - interval '90 days')::int AS sessions,
          (SELECT count(*) FROM coaching.action_items i WHERE i.organization_id = ${org} AND i.agent_id = ${agent.id}
             AND i.status IN ('PENDING', 'IN_PROGRESS', 'OVERDUE'))::int AS open_items,
          (SELECT count(*) FROM coaching.action_items i WHERE i.organization_id = ${org} AND i.agent_id = ${agent.id}
             AND i.status = 'OVERDUE')::int AS overdue,
          (SELECT count(*) FROM coaching.quick_notes n WHERE n.organization_id = ${org} AND n.agent_id = ${agent.id} AND n.addressed = false)::int AS notes`,
  );
  const [links] = await sqlRows<{ team_leader_name: string | null }>(
    ctx.db,
    sql`SELECT tl.name AS team_leader_name FROM coaching.users tl WHERE tl.id = ${agent.teamLeaderId}`,
  );
  return {
    agent: {
      id: agent.id,
      name: agent.name,
      status: agent.status,
      teamLeaderId: agent.teamLeaderId,
      teamLeaderName: links?.team_leader_name ?? null,
      department: agent.department,
    },
    from,
    to,
    metrics: metricDefinitions.map((m) => ({ key: m.key, label: m.label, unit: m.unit, higherIsBetter: m.higherIsBetter })),
    compositeWeights,
    daily: daily.map(dailyRow),
    history: byType,
    percentiles: hidden ? null : (profile?.percentile_ranking ?? null),
    percentilesHidden: hidden,
    moved: {
      week: await compositeMove(ctx, agent.id, windows.week.previous, windows.week.current),
      month: await compositeMove(ctx, agent.id, windows.month.previous, windows.month.current),
    },
    counts: {
      recentSessions: Number(counts.sessions),
      openActionItems: Number(counts.open_items),
      overdueActionItems: Number(counts.overdue),
      unaddressedNotes: Number(counts.notes),
    },
  };
}

// ---------------------------------------------------------------- recompute request

export const recomputeInput = z.object({
  agentIds: z.array(z.uuid()).max(5000).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

/** Admin / manager: which agents a recompute may touch (a manager only their own branch). */
export async function recomputeScope(ctx: ServiceContext, input: z.output<typeof recomputeInput>): Promise<{ viewer: CoachingViewer; agentIds?: string[] }> {
  const viewer = await resolveCoachingViewer(ctx);
  if (!viewer.seesEverything && viewer.role !== 'MANAGER') {
    throw forbidden(`As ${describeRole(viewer.role)} you cannot start a history recompute; a manager or an admin can (imports start one on their own).`);
  }
  if (input.agentIds) {
    for (const id of input.agentIds) requireAgent(await loadVisiblePerson(ctx, viewer, id));
    return { viewer, agentIds: input.agentIds };
  }
  if (viewer.seesEverything) return { viewer };
  const rows = await sqlRows<{ id: string }>(
    ctx.db,
    sql`SELECT id FROM coaching.users p WHERE p.organization_id = ${ctx.organization.id} AND p.role = 'AGENT' AND p.deleted_at IS NULL
          AND ${visiblePeopleCondition(ctx, viewer, sql`p.id`)}`,
  );
  return { viewer, agentIds: rows.map((r) => r.id) };
}
