import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../../core/context.js';
import { createLogger } from '../../../core/logger.js';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { coachingModule } from '../index.js';
import { actionItems, actionPlans, coachingSessions, performanceHistory, performanceMetrics, quickNotes, users } from '../schema.js';
import { createHierarchyFixture, type HierarchyFixture } from '../testing/hierarchy-fixture.js';
import { recomputePercentileRankings, recomputePerformanceHistory } from './history-service.js';
import { analyticsJobs, archiveOldMetrics, refreshTeamSummary } from './jobs.js';

let t: TestApp;
let f: HierarchyFixture;
let ctx: ServiceContext;
let zed: string;

const previousWeek = { serviceScore: 70, productivityScore: 60, qualityScore: 80, attendanceRate: 90, adherenceScore: 80 }; // composite 75.5
const currentWeek = { serviceScore: 80, productivityScore: 60, qualityScore: 70, attendanceRate: 90, adherenceScore: 100 }; // composite 79

beforeAll(async () => {
  t = await createTestApp({ modules: [coachingModule.descriptor], jobs: analyticsJobs });
  f = await createHierarchyFixture(t);
  ctx = {
    db: t.database.db,
    organization: { id: t.orgA.id, slug: t.orgA.slug, name: t.orgA.name, timezone: t.orgA.timezone },
    actor: { type: 'system', id: 'test', label: 'test', userId: null },
    role: 'system',
    clock: t.clock,
    log: createLogger('silent'),
  };
  const db = t.database.db;
  const [row] = await db
    .insert(users)
    .values({
      organizationId: t.orgA.id,
      name: 'Zed Agent',
      role: 'AGENT',
      teamLeaderId: f.people.leader1.id,
      managerId: f.people.manager1.id,
      timezone: 'America/New_York',
    })
    .returning();
  zed = row.id;
  const day = (metricDate: string, values: typeof previousWeek) => ({ organizationId: t.orgA.id, agentId: zed, metricDate, ...values });
  // The test clock is Monday 2 March 2026, 09:00 in New York: yesterday was Sunday 1 March.
  await db
    .insert(performanceMetrics)
    .values([
      day('2026-02-02', previousWeek),
      ...['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'].map((d) => day(d, previousWeek)),
      ...['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-03-01'].map((d) => day(d, currentWeek)),
    ]);
  const leader = f.people.leader1.id;
  await db
    .insert(actionItems)
    .values({ organizationId: t.orgA.id, agentId: zed, assignedBy: leader, title: 'Shadow a senior', description: 'Two calls', dueDate: '2026-02-20' });
  await db.insert(quickNotes).values([
    { organizationId: t.orgA.id, agentId: zed, teamLeaderId: leader, noteType: 'COACHING', content: 'Long holds' },
    { organizationId: t.orgA.id, agentId: zed, teamLeaderId: leader, noteType: 'URGENT', content: 'Escalation missed' },
  ]);
  await db.insert(coachingSessions).values([
    { organizationId: t.orgA.id, agentId: zed, teamLeaderId: leader, scheduledDate: new Date('2026-02-10T15:00:00Z'), status: 'COMPLETED' },
    { organizationId: t.orgA.id, agentId: zed, teamLeaderId: leader, scheduledDate: new Date('2026-03-04T15:00:00Z'), status: 'SCHEDULED' },
  ]);
  await db.insert(actionPlans).values({
    organizationId: t.orgA.id,
    agentId: zed,
    createdBy: leader,
    startDate: '2026-02-16',
    targetEndDate: '2026-04-16',
    status: 'ACTIVE',
    reasonForPlan: 'Productivity below target',
    targetMetrics: {},
    successCriteria: {} as never,
  });
}, 120_000);
afterAll(async () => t?.close());

describe('agent scorecard', () => {
  it('explains the composite change: weight × component change, summing to the change, for the last two weeks and months', async () => {
    const response = await f.as('leader1').get(`/api/coaching/agents/${zed}/scorecard?from=2026-02-01&to=2026-03-01`);
    expect(response.statusCode).toBe(200);
    const card = response.json();
    expect(card.daily).toHaveLength(12);
    expect(card.daily.at(-1)).toMatchObject({ date: '2026-03-01', values: { composite_score: 79, service_score: 80 } });
    const week = card.moved.week;
    expect(week.previous).toEqual({ from: '2026-02-16', to: '2026-02-22', composite: 75.5 });
    expect(week.current).toEqual({ from: '2026-02-23', to: '2026-03-01', composite: 79 });
    expect(week.compositeChange).toBe(3.5);
    const byKey = Object.fromEntries(week.contributions.map((c: { component: string; contribution: number }) => [c.component, c.contribution]));
    expect(byKey).toEqual({ service_score: 2.5, productivity_score: 0, quality_score: -2, attendance_rate: 0, adherence_score: 3 });
    expect(week.contributions[0].component).toBe('adherence_score'); // largest mover first
    // February (11 days: 6 at 75.5, 5 at 79) against 1 March.
    const month = card.moved.month;
    expect(month.previous.composite).toBeCloseTo(77.09, 2);
    expect(month.compositeChange).toBeCloseTo(1.91, 2);
    const monthly = Object.fromEntries(month.contributions.map((c: { component: string; contribution: number }) => [c.component, c.contribution]));
    expect(monthly).toEqual({ service_score: 1.36, productivity_score: 0, quality_score: -1.09, attendance_rate: 0, adherence_score: 1.64 });
    const sum = month.contributions.reduce((s: number, c: { contribution: number }) => s + c.contribution, 0);
    expect(Math.abs(sum - month.compositeChange)).toBeLessThanOrEqual(0.01);
    expect(card.counts).toEqual({ recentSessions: 1, openActionItems: 1, overdueActionItems: 1, unaddressedNotes: 2 });
  });

  it('shows history per period type after a recompute, with the weekly trend', async () => {
    await recomputePerformanceHistory(ctx, { agentIds: [zed] });
    const card = (await f.as('manager1').get(`/api/coaching/agents/${zed}/scorecard?from=2026-02-01&to=2026-03-01`)).json();
    const weeks = card.history.WEEK.map((h: { periodEnding: string; avgCompositeScore: number; serviceTrend: number | null }) => [
      h.periodEnding,
      h.avgCompositeScore,
      h.serviceTrend,
    ]);
    expect(weeks).toEqual([
      ['2026-02-08', 75.5, null],
      ['2026-02-22', 75.5, null],
      ['2026-03-01', 79, 10],
    ]);
    const history = (await f.as('leader1').get(`/api/coaching/agents/${zed}/history?periodType=MONTH`)).json().items;
    expect(history.map((h: { periodEnding: string }) => h.periodEnding)).toEqual(['2026-02-28', '2026-03-31']);
    expect(history[1].serviceTrend).toBe(5.45); // 80 against February's 74.55
  });

  it('hides percentiles from an agent who opted out of peer comparison, not from their leader', async () => {
    await recomputePercentileRankings(ctx);
    const agent1 = f.people.agent1.id;
    const leaderView = (await f.as('leader1').get(`/api/coaching/agents/${agent1}/scorecard`)).json();
    expect(leaderView.percentiles.peerCount).toBe(5); // agent1, 2, 3, 4 and Zed, no departments
    expect(typeof leaderView.percentiles.composite_score).toBe('number');
    expect((await f.as('agent1').get(`/api/coaching/agents/${agent1}/scorecard`)).json().percentilesHidden).toBe(false);
    expect((await f.as('agent1').put(`/api/coaching/people/${agent1}/profile`, { peerComparisonOptIn: false })).statusCode).toBe(200);
    const own = (await f.as('agent1').get(`/api/coaching/agents/${agent1}/scorecard`)).json();
    expect(own).toMatchObject({ percentiles: null, percentilesHidden: true });
    expect((await f.as('agent1').get(`/api/coaching/people/${agent1}/profile`)).json()).toMatchObject({ percentileRanking: null, percentileHidden: true });
    expect((await f.as('leader1').get(`/api/coaching/agents/${agent1}/scorecard`)).json().percentiles).not.toBeNull();
  });
});

describe('team view', () => {
  it('puts the agent who needs a conversation first, with the reasons, trend, weakest metric and flags', async () => {
    await refreshTeamSummary(t.database.db);
    const team = (await f.as('leader1').get('/api/coaching/team')).json();
    expect(team.summary).toMatchObject({ agentCount: 4, activePips: 1 });
    const first = team.agents[0];
    expect(first.id).toBe(zed);
    expect(first.latestComposite).toBe(79);
    expect(first.compositeWeeks).toEqual([75.5, null, 75.5, 79]);
    expect(first.compositeTrend4w).toBe(3.5);
    expect(first.weakestMetric.key).toBe('productivity_score');
    expect(first.weakestMetric.gap).toBeLessThan(-5);
    expect(first.flags).toMatchObject({
      activePlan: { targetEndDate: '2026-04-16' },
      overdueActionItems: 1,
      openActionItems: 1,
      unaddressedNotes: 2,
      daysSinceLastSession: 20,
      nextSession: { scheduledDate: '2026-03-04T15:00:00.000Z' },
    });
    expect(first.reasons).toEqual(expect.arrayContaining(['1 overdue action item', '2 unaddressed quick notes', 'On an improvement plan']));
    expect(first.reasons[0]).toMatch(/^Productivity \d+\.\d below the team average$/);
    const others = team.agents.slice(1);
    expect(others.every((a: { reasons: string[] }) => a.reasons.includes('No completed coaching session yet'))).toBe(true);
  });
});

describe('jobs', () => {
  it('declares the recompute, the global view refresh, the nightly per-organization run and the daily archival', () => {
    const byName = new Map(analyticsJobs.map((j) => [j.name, j]));
    expect(byName.get('coaching.refresh-team-summary')!.schedule).toEqual({ cron: '45 2 * * *', perOrganization: false, timezone: 'UTC' });
    expect(byName.get('coaching.nightly-analytics')!.schedule).toEqual({ cron: '30 2 * * *', perOrganization: true });
    expect(byName.get('coaching.archive-metrics')!.schedule).toEqual({ cron: '30 3 * * *', perOrganization: true });
    expect(byName.get('coaching.recompute-history')!.schedule).toBeUndefined();
  });

  it('archives metrics older than 13 months on a timeline; history stays and a recompute keeps it', async () => {
    const db = t.database.db;
    const [old] = await db.insert(users).values({ organizationId: t.orgA.id, name: 'Olga Old', role: 'AGENT', teamLeaderId: f.people.leader1.id }).returning();
    const row = (metricDate: string, serviceScore: number) => ({ organizationId: t.orgA.id, agentId: old.id, metricDate, ...previousWeek, serviceScore });
    await db.insert(performanceMetrics).values([row('2025-01-15', 60), row('2025-02-01', 80), row('2025-02-03', 90), row('2026-02-01', 70)]);
    await recomputePerformanceHistory(ctx, { agentIds: [old.id] });
    const januaryBefore = (await db.select().from(performanceHistory).where(eq(performanceHistory.agentId, old.id))).find(
      (h) => h.periodType === 'MONTH' && h.periodEnding === '2025-01-31',
    )!;
    expect(januaryBefore.avgServiceScore).toBe(60);

    // 2 March 2026 in New York: 13 months back is 2 February 2025; 15 January and 1 February 2025 move.
    expect(await archiveOldMetrics(ctx)).toEqual({ asOf: '2026-03-02', moved: 2 });
    expect(await archiveOldMetrics(ctx)).toEqual({ asOf: '2026-03-02', moved: 0 });
    const live = await db.select({ d: performanceMetrics.metricDate }).from(performanceMetrics).where(eq(performanceMetrics.agentId, old.id));
    expect(live.map((r) => r.d).sort()).toEqual(['2025-02-03', '2026-02-01']);
    const archived = await db.execute(
      sql`SELECT metric_date::text AS d, composite_score::float8 AS c FROM coaching_archive.performance_metrics WHERE agent_id = ${old.id} ORDER BY 1`,
    );
    expect((archived as unknown as { rows: { d: string; c: number }[] }).rows).toEqual([
      { d: '2025-01-15', c: 73 },
      { d: '2025-02-01', c: 78 },
    ]);

    // A full recompute afterwards neither drops nor thins the archived months.
    await recomputePerformanceHistory(ctx, { agentIds: [old.id] });
    const after = await db.select().from(performanceHistory).where(eq(performanceHistory.agentId, old.id));
    const month = (ending: string) => after.find((h) => h.periodType === 'MONTH' && h.periodEnding === ending)!;
    expect(month('2025-01-31').avgServiceScore).toBe(60);
    expect(month('2025-02-28')).toMatchObject({ avgServiceScore: 85, daysWorked: 2 });

    // A month later the 3 February 2025 row goes too.
    t.clock.set('2026-04-03T14:00:00Z');
    try {
      expect(await archiveOldMetrics(ctx)).toEqual({ asOf: '2026-04-03', moved: 1 });
    } finally {
      t.clock.set('2026-03-02T14:00:00Z');
    }
  });
});
