import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { coachingModule } from '../index.js';
import { freshAs, insertAgent, insertDailyMetrics, orgAContext } from '../plans/test-support.js';
import { actionItems, coachingEffectiveness, coachingSessions } from '../schema.js';
import { createHierarchyFixture, type HierarchyFixture } from '../testing/hierarchy-fixture.js';
import { startEffectivenessTracking, type MetricsBefore } from './effectiveness-service.js';
import { effectEvidence, evaluateDueEffectiveness, improvementPercentage, isRecommended, type MetricsAfter } from './evaluation-service.js';
import { issueMetricKey, metricDirection } from './issue-metrics.js';

describe('coaching effectiveness', () => {
  let t: TestApp;
  let f: HierarchyFixture;
  beforeAll(async () => {
    t = await createTestApp({ modules: [coachingModule.descriptor] });
    f = await createHierarchyFixture(t);
  }, 120_000);
  afterAll(async () => t?.close());

  const newSession = async (agentId: string, leaderId: string, at: string) => {
    const [s] = await t.database.db
      .insert(coachingSessions)
      .values({ organizationId: t.orgA.id, agentId, teamLeaderId: leaderId, scheduledDate: new Date(at), status: 'COMPLETED' })
      .returning();
    return s.id;
  };

  it('maps primary issues to metrics and directions', () => {
    expect(issueMetricKey('AHT')).toBe('aht');
    expect(issueMetricKey('Average handle time')).toBe('aht');
    expect(issueMetricKey('Quality')).toBe('quality_score');
    expect(issueMetricKey('CSAT')).toBe('csat');
    expect(issueMetricKey('FCR')).toBe('fcr');
    expect(issueMetricKey('Attendance')).toBe('attendance_rate');
    expect(issueMetricKey('Schedule adherence')).toBe('adherence_score');
    expect(issueMetricKey('Compliance')).toBe('compliance_score');
    expect(issueMetricKey('Productivity')).toBe('productivity_score');
    expect(issueMetricKey('Service')).toBe('service_score');
    expect(issueMetricKey('Tone of voice')).toBe('composite_score');
    expect(metricDirection('aht')).toBe(-1);
    expect(metricDirection('csat')).toBe(1);
  });

  it('startEffectivenessTracking snapshots the 14 days before the coaching day, once per session', async () => {
    const ctx = orgAContext(t);
    const sessionId = await newSession(f.people.agent1.id, f.people.leader1.id, '2026-02-20T15:00:00Z');
    const input = {
      sessionId,
      agentId: f.people.agent1.id,
      teamLeaderId: f.people.leader1.id,
      primaryIssue: 'AHT',
      interventionMethod: 'Call review',
      coachedOn: '2026-02-20T15:00:00Z',
    };
    const first = await startEffectivenessTracking(ctx, input);
    const second = await startEffectivenessTracking(ctx, input);
    expect(second.id).toBe(first.id);
    const rows = await t.database.db.select().from(coachingEffectiveness).where(eq(coachingEffectiveness.sessionId, sessionId));
    expect(rows).toHaveLength(1);
    const before = rows[0].metricsBefore as MetricsBefore;
    expect(before.coachedOn).toBe('2026-02-20');
    expect(before.window).toEqual({ from: '2026-02-06', to: '2026-02-19' });
    expect(before.issueMetric).toBe('aht');
    expect(before.agent.days).toBe(14);
    expect(before.agent.values.aht).toBeGreaterThan(300);
    expect(rows[0].metricsAfter).toBeNull();
    expect(rows[0].measurementPeriodDays).toBe(14);
  });
  it('signs improvement so positive is better and asks for n ≥ 3 and t ≥ 2 before recommending', () => {
    expect(improvementPercentage(420, 408, 'aht')).toBeCloseTo(2.86, 2);
    expect(improvementPercentage(420, 430, 'aht')).toBeCloseTo(-2.38, 2);
    expect(improvementPercentage(70, 82, 'quality_score')).toBeCloseTo(17.14, 2);
    expect(improvementPercentage(0, 5, 'quality_score')).toBeNull();
    expect(isRecommended([7, 7])).toBe(false);
    expect(isRecommended([7, 7, 7])).toBe(true);
    expect(isRecommended([5, 6, 7])).toBe(true); // t = 6 / (1/√3) ≈ 10.4
    expect(isRecommended([8, -6, 1])).toBe(false); // mean 1, t ≈ 0.25
    expect(effectEvidence([5, 6, 7]).t).toBeCloseTo(10.39, 2);
  });

  it('credits only the rise beyond similar uncoached agents (difference in differences), with the right sign for AHT', async () => {
    t.clock.set('2026-04-01T15:00:00Z');
    const ctx = orgAContext(t);
    const leader = f.people.leader1.id;
    const dept = 'Seasonal';
    const add = (name: string) => insertAgent(t, t.orgA.id, name, { teamLeaderId: leader, managerId: f.people.manager1.id, department: dept });
    const coachedQ = [await add('Quinn Q1'), await add('Quinn Q2'), await add('Quinn Q3')];
    const coachedAht = await add('Aaron AHT');
    const peers = [await add('Peer 1'), await add('Peer 2'), await add('Peer 3'), await add('Peer 4'), await add('Peer 5')];
    // Everyone: quality +5 and AHT −5 s from 04-02 on (seasonality). The Quality-coached agents gain +12 instead, until
    // day 75; the AHT-coached agent handles calls 12 s faster.
    const series = (baseQ: number, baseAht: number, extraQ: number, extraAht: number) => (_i: number, date: string) => {
      const after = date >= '2026-04-02';
      const q = baseQ + (after ? 5 : 0) + (after && date <= '2026-06-15' ? extraQ : 0);
      return { quality: q, aht: baseAht - (after ? 5 : 0) - (after ? extraAht : 0) };
    };
    for (const [i, id] of coachedQ.entries()) await insertDailyMetrics(t, t.orgA.id, id, '2026-03-01', 122, series(70 + i, 410, 7, 0));
    await insertDailyMetrics(t, t.orgA.id, coachedAht, '2026-03-01', 122, series(73, 420, 0, 7));
    for (const [i, id] of peers.entries()) await insertDailyMetrics(t, t.orgA.id, id, '2026-03-01', 122, series(68 + i, 395 + i * 5, 0, 0));

    const recordIds: string[] = [];
    for (const agentId of coachedQ) {
      const sessionId = await newSession(agentId, leader, '2026-04-01T15:00:00Z');
      await t.database.db.update(coachingSessions).set({ engagementScore: 5, receptivenessScore: 2 }).where(eq(coachingSessions.id, sessionId));
      recordIds.push(
        (
          await startEffectivenessTracking(ctx, {
            sessionId,
            agentId,
            teamLeaderId: leader,
            primaryIssue: 'Quality',
            interventionMethod: 'Role-play',
            coachedOn: '2026-04-01',
          })
        ).id,
      );
    }
    const firstSession = (await t.database.db.select().from(coachingEffectiveness).where(eq(coachingEffectiveness.id, recordIds[0])))[0].sessionId!;
    await t.database.db.insert(actionItems).values(
      [0, 1, 2, 3].map((n) => ({
        organizationId: t.orgA.id,
        sessionId: firstSession,
        agentId: coachedQ[0],
        assignedBy: leader,
        title: `Item ${n}`,
        description: 'Practise',
        dueDate: '2026-04-10',
        status: 'COMPLETED' as const,
        completedDate: new Date('2026-04-09T12:00:00Z'),
        progressPercentage: 100,
      })),
    );
    const ahtSession = await newSession(coachedAht, leader, '2026-04-01T15:00:00Z');
    const ahtRecord = (
      await startEffectivenessTracking(ctx, {
        sessionId: ahtSession,
        agentId: coachedAht,
        teamLeaderId: leader,
        primaryIssue: 'AHT',
        interventionMethod: 'Call review',
        coachedOn: '2026-04-01',
      })
    ).id;

    // Not due until the 14 days after have passed (by local yesterday).
    const load = async (id: string) => (await t.database.db.select().from(coachingEffectiveness).where(eq(coachingEffectiveness.id, id)))[0];
    t.clock.set('2026-04-15T14:00:00Z');
    await evaluateDueEffectiveness(ctx);
    expect((await load(recordIds[0])).metricsAfter).toBeNull();
    t.clock.set('2026-04-16T14:00:00Z');
    expect((await evaluateDueEffectiveness(ctx)).evaluated).toBe(4);

    const q1 = await load(recordIds[0]);
    const q1After = q1.metricsAfter as MetricsAfter;
    expect(q1After.window).toEqual({ from: '2026-04-02', to: '2026-04-15' });
    // Peers: the five uncoached agents and the AHT-coached one (not coached on quality); never the other Quality agents.
    expect(q1After.peers.n).toBe(6);
    expect(q1After.peers.department).toBe(dept);
    expect(q1After.peers.ids.sort()).toEqual([...peers, coachedAht].sort());
    expect(q1After.did).toEqual({ metric: 'quality_score', agentChange: 12, peersChange: 5, raw: 7, effect: 7 });
    expect(q1.improvementPercentage).toBeCloseTo((12 / 70) * 100, 2);
    expect(q1.successFactors).toEqual(['Engagement 5/5', '4 of 4 action items completed', 'Improved 7 on quality_score more than 6 similar uncoached agents']);
    expect(q1.failureFactors).toEqual(['Receptiveness 2/5']);
    expect(q1.sustainedAfter30Days).toBeNull();
    expect((q1.metricsBefore as MetricsBefore).peers).toMatchObject({ n: 6 });

    const aht = await load(ahtRecord);
    const ahtAfter = aht.metricsAfter as MetricsAfter;
    expect(ahtAfter.did).toEqual({ metric: 'aht', agentChange: -12, peersChange: -5, raw: -7, effect: 7 });
    // The Quality-coached agents were not coached on AHT: they are AHT peers (8 in all).
    expect(ahtAfter.peers.ids.sort()).toEqual([...peers, ...coachedQ].sort());
    expect(aht.improvementPercentage).toBeCloseTo((12 / 420) * 100, 2);
    expect(aht.improvementPercentage).toBeGreaterThan(0);

    // Three Quality × Role-play sessions each 7 points better than their peers: recommended; one AHT session: not yet.
    expect((await load(recordIds[1])).recommendedForSimilarIssues).toBe(true);
    expect(aht.recommendedForSimilarIssues).toBe(false);

    // Day 30: the gain holds. Day 90: quality fell back to the seasonal level (kept 5 of 12 → not sustained).
    t.clock.set('2026-05-02T14:00:00Z');
    expect(await evaluateDueEffectiveness(ctx)).toMatchObject({ evaluated: 0, sustained30: 4, sustained90: 0 });
    expect((await load(recordIds[0])).sustainedAfter30Days).toBe(true);
    t.clock.set('2026-07-01T14:00:00Z');
    expect(await evaluateDueEffectiveness(ctx)).toMatchObject({ sustained90: 4 });
    const q1Late = await load(recordIds[0]);
    expect(q1Late.sustainedAfter90Days).toBe(false);
    expect((q1Late.metricsAfter as MetricsAfter).sustained?.day90).toMatchObject({
      window: { from: '2026-06-17', to: '2026-06-30' },
      gain: 12,
      sustained: false,
    });
    expect((await load(ahtRecord)).sustainedAfter90Days).toBe(true);
    expect((await evaluateDueEffectiveness(ctx)).sustained90).toBe(0);

    const list = (await freshAs(t, f, 'leader1').get('/api/coaching/effectiveness?from=2026-04-01&to=2026-04-01')).json();
    expect(list.items).toHaveLength(4);
    expect(list.summary).toEqual([
      {
        issue: 'AHT',
        method: 'Call review',
        n: 1,
        evaluated: 1,
        meanImprovementPct: 2.86,
        meanDid: 7,
        didN: 1,
        tStat: null,
        sustained30Rate: 1,
        sustained90Rate: 1,
        recommended: false,
      },
      {
        issue: 'Quality',
        method: 'Role-play',
        n: 3,
        evaluated: 3,
        meanImprovementPct: expect.closeTo(16.9, 1),
        meanDid: 7,
        didN: 3,
        tStat: null,
        sustained30Rate: 1,
        sustained90Rate: 0,
        recommended: true,
      },
    ]);
    const one = (await freshAs(t, f, 'leader1').get(`/api/coaching/effectiveness/${ahtRecord}`)).json();
    expect(one).toMatchObject({ id: ahtRecord, coachedOn: '2026-04-01', issueMetric: 'aht', status: 'EVALUATED', didEffect: 7, peerCount: 8 });
  });
});
