import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { coachingModule } from '../index.js';
import { actionPlans, notifications, performanceHistory, users } from '../schema.js';
import { createHierarchyFixture, type HierarchyFixture } from '../testing/hierarchy-fixture.js';
import { evaluateCriterion, parseCriterion, parseMandatoryCriteria } from './criteria.js';
import { nextCheckInDate, runDuePlanCheckIns, targetProgress } from './plan-service.js';
import { proposePlans } from './proposal-service.js';
import { freshAs, insertAgent, insertDailyMetrics, orgAContext } from './test-support.js';

describe('mandatory criteria parser', () => {
  it('parses metric thresholds and no_absences, and names what it cannot check', () => {
    expect(parseCriterion('service_score >= 85')).toEqual({
      ok: true,
      criterion: { kind: 'threshold', text: 'service_score >= 85', metric: 'service_score', op: '>=', value: 85 },
    });
    expect(parseCriterion('aht <= 420')).toMatchObject({ ok: true, criterion: { metric: 'aht', op: '<=', value: 420 } });
    expect(parseCriterion('CSAT >= 4.2')).toMatchObject({ ok: true, criterion: { metric: 'csat', op: '>=', value: 4.2 } });
    expect(parseCriterion('composite >= 75')).toMatchObject({ ok: true, criterion: { metric: 'composite_score', value: 75 } });
    expect(parseCriterion('fcr > 70%')).toMatchObject({ ok: true, criterion: { metric: 'fcr', op: '>', value: 70 } });
    expect(parseCriterion('Quality == 80')).toMatchObject({ ok: true, criterion: { metric: 'quality_score', op: '=', value: 80 } });
    expect(parseCriterion('no_absences')).toMatchObject({ ok: true, criterion: { kind: 'no_absences' } });
    expect(parseCriterion('No absences')).toMatchObject({ ok: true, criterion: { kind: 'no_absences' } });
    const vague = parseCriterion('be friendlier on calls');
    expect(vague.ok).toBe(false);
    if (!vague.ok) expect(vague.error).toContain('"be friendlier on calls" is not a checkable criterion');
    const unknown = parseCriterion('smiles >= 3');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error).toContain('"smiles" is not a metric');
    expect(parseMandatoryCriteria(['aht <= 420', 'x', 'no_absences']).errors).toHaveLength(1);
  });

  it('evaluates criteria on window facts', () => {
    const facts = { days: 7, values: { aht: 415, csat: 4.1 }, absenceDays: 1 };
    const c = (text: string) => {
      const p = parseCriterion(text);
      if (!p.ok) throw new Error(p.error);
      return evaluateCriterion(p.criterion, facts);
    };
    expect(c('aht <= 420')).toEqual({ criterion: 'aht <= 420', met: true, value: 415 });
    expect(c('csat >= 4.2')).toEqual({ criterion: 'csat >= 4.2', met: false, value: 4.1 });
    expect(c('no_absences')).toEqual({ criterion: 'no_absences', met: false, value: 1 });
    expect(c('fcr >= 70')).toEqual({ criterion: 'fcr >= 70', met: false, value: null });
  });

  it('computes progress on a target and the next check-in date', () => {
    expect(targetProgress(450, 420, 480, 'aht')).toEqual({ progress: 0.5, met: false });
    expect(targetProgress(500, 420, 480, 'aht')).toEqual({ progress: 0, met: false });
    expect(targetProgress(410, 420, 480, 'aht')).toEqual({ progress: 1, met: true });
    expect(targetProgress(null, 85, 70, 'service_score')).toEqual({ progress: null, met: false });
    expect(nextCheckInDate('DAILY', '2026-03-02')).toBe('2026-03-03');
    expect(nextCheckInDate('WEEKLY', '2026-03-02')).toBe('2026-03-09');
    expect(nextCheckInDate('BIWEEKLY', '2026-03-02')).toBe('2026-03-16');
    expect(nextCheckInDate('TWICE_WEEKLY', '2026-03-02')).toBe('2026-03-05'); // Monday → Thursday
    expect(nextCheckInDate('TWICE_WEEKLY', '2026-03-05')).toBe('2026-03-09'); // Thursday → Monday
  });
});

describe('improvement plans over a timeline', () => {
  let t: TestApp;
  let f: HierarchyFixture;
  beforeAll(async () => {
    t = await createTestApp({ modules: [coachingModule.descriptor] });
    f = await createHierarchyFixture(t);
  }, 120_000);
  afterAll(async () => t?.close());

  const statusOf = async (id: string) => (await t.database.db.select({ s: users.status }).from(users).where(eq(users.id, id)))[0].s;

  it('drafts, approves, checks in weekly with known metrics, and closes as a success', async () => {
    t.clock.set('2026-03-02T14:00:00Z');
    const agentX = await insertAgent(t, t.orgA.id, 'Xena Timeline', { teamLeaderId: f.people.leader1.id, managerId: f.people.manager1.id });
    // Before the plan: AHT 480, service 70. Week 1 (03-02..03-08): 450 / 78. From 03-09: 410 / 86, one absence on 03-10.
    await insertDailyMetrics(t, t.orgA.id, agentX, '2026-02-16', 60, (_i, date) => {
      if (date < '2026-03-02') return { aht: 480, service: 70 };
      if (date < '2026-03-09') return { aht: 450, service: 78 };
      return { aht: 410, service: 86, attendance: date === '2026-03-10' ? 90 : 100 };
    });
    const leader = freshAs(t, f, 'leader1');
    const bad = await leader.post('/api/coaching/plans', {
      agentId: agentX,
      reasonForPlan: 'AHT above target for a month',
      startDate: '2026-03-02',
      targetEndDate: '2026-03-23',
      targetMetrics: { aht: { target: 420 } },
      successCriteria: { mandatory: ['aht <= 420', 'be friendlier on calls'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('"be friendlier on calls" is not a checkable criterion');

    const created = await leader.post('/api/coaching/plans', {
      agentId: agentX,
      reasonForPlan: 'AHT above target for a month',
      startDate: '2026-03-02',
      targetEndDate: '2026-03-23',
      targetMetrics: { aht: { target: 420 }, service: { target: 85 } },
      successCriteria: { mandatory: ['aht <= 420', 'service_score >= 85', 'no_absences'], recommended: ['Listen to two top calls a week'] },
      checkInFrequency: 'WEEKLY',
    });
    expect(created.statusCode).toBe(201);
    const plan = created.json();
    expect(plan.status).toBe('DRAFT');
    expect(plan.createdBy).toBe(f.people.leader1.id);
    expect(plan.targetMetrics).toEqual({ aht: { target: 420, current: 480, start: 480 }, service_score: { target: 85, current: 70, start: 70 } });
    expect(await statusOf(agentX)).toBe('ACTIVE');

    const second = await leader.post('/api/coaching/plans', {
      agentId: agentX,
      reasonForPlan: 'again',
      startDate: '2026-03-02',
      targetEndDate: '2026-03-23',
      successCriteria: { mandatory: [] },
      targetMetrics: { aht: { target: 400 } },
    });
    expect(second.statusCode).toBe(409);

    const edited = await leader.patch(`/api/coaching/plans/${plan.id}`, { reasonForPlan: 'AHT 480 s against a 420 s target since February' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().reasonForPlan).toContain('480 s');

    expect((await leader.post(`/api/coaching/plans/${plan.id}/approve`)).statusCode).toBe(403);
    const approved = await freshAs(t, f, 'manager1').post(`/api/coaching/plans/${plan.id}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'ACTIVE', approvedBy: f.people.manager1.id, nextCheckInDate: '2026-03-09' });
    expect(await statusOf(agentX)).toBe('PIP');
    expect((await leader.patch(`/api/coaching/plans/${plan.id}`, { reasonForPlan: 'late edit' })).statusCode).toBe(409);

    // Week 1: nothing due before 03-09.
    const ctx = orgAContext(t);
    expect((await runDuePlanCheckIns(ctx)).checkedIn).toBe(0);
    t.clock.set('2026-03-09T14:00:00Z');
    expect(await runDuePlanCheckIns(ctx)).toMatchObject({ checkedIn: 1, failed: 0 });
    let detail = (await leader.get(`/api/coaching/plans/${plan.id}`)).json();
    expect(detail.evaluations).toHaveLength(1);
    expect(detail.evaluations[0]).toMatchObject({
      date: '2026-03-09',
      window: { from: '2026-03-02', to: '2026-03-08', days: 7 },
      mandatoryMet: false,
      criteria: [
        { criterion: 'aht <= 420', met: false, value: 450 },
        { criterion: 'service_score >= 85', met: false, value: 78 },
        { criterion: 'no_absences', met: true, value: 0 },
      ],
    });
    // AHT closed 30 of 60 s (50 %), service 8 of 15 points (53.33 %): mean 51.67.
    expect(detail.evaluations[0].score).toBeCloseTo(51.67, 2);
    expect(detail.currentScore).toBeCloseTo(51.67, 2);
    expect(detail.nextCheckInDate).toBe('2026-03-16');
    expect(detail.targetMetrics.aht).toEqual({ target: 420, current: 450, start: 480 });

    t.clock.set('2026-03-16T14:00:00Z');
    expect(await runDuePlanCheckIns(ctx)).toMatchObject({ checkedIn: 1 });
    detail = (await leader.get(`/api/coaching/plans/${plan.id}`)).json();
    expect(detail.evaluations[1]).toMatchObject({
      window: { from: '2026-03-09', to: '2026-03-15', days: 7 },
      score: 100,
      mandatoryMet: false,
      criteria: [
        { criterion: 'aht <= 420', met: true, value: 410 },
        { criterion: 'service_score >= 85', met: true, value: 86 },
        { criterion: 'no_absences', met: false, value: 1 },
      ],
    });
    expect(detail.nextCheckInDate).toBe('2026-03-23');
    const early = await leader.post(`/api/coaching/plans/${plan.id}/close`, { outcome: 'SUCCESS' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('runs until 2026-03-23');

    t.clock.set('2026-03-23T14:00:00Z');
    expect(await runDuePlanCheckIns(ctx)).toMatchObject({ checkedIn: 1 });
    detail = (await leader.get(`/api/coaching/plans/${plan.id}`)).json();
    expect(detail.evaluations[2]).toMatchObject({ window: { from: '2026-03-16', to: '2026-03-22' }, mandatoryMet: true, score: 100 });
    expect(detail.nextCheckInDate).toBeNull();
    const due = await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.subjectId, plan.id), eq(notifications.kind, 'PLAN_CHECK_IN_DUE')));
    expect(due.map((n) => n.recipientId)).toEqual([f.people.leader1.id]);
    expect(await runDuePlanCheckIns(ctx)).toMatchObject({ checkedIn: 0 });

    const closed = await leader.post(`/api/coaching/plans/${plan.id}/close`, { outcome: 'SUCCESS', outcomeNotes: 'Targets held for two weeks' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'COMPLETED', outcome: 'SUCCESS', actualEndDate: '2026-03-23' });
    expect(await statusOf(agentX)).toBe('ACTIVE');
  });

  it('refuses success with unmet criteria, extends, fails; keeps LEAVE; RESIGNED terminates', async () => {
    t.clock.set('2026-03-23T14:00:00Z');
    const ctx = orgAContext(t);
    const agentY = await insertAgent(t, t.orgA.id, 'Yuri Slow', { teamLeaderId: f.people.leader1.id, managerId: f.people.manager1.id });
    await insertDailyMetrics(t, t.orgA.id, agentY, '2026-03-01', 50, () => ({ csat: 3.9 }));
    const leader = freshAs(t, f, 'leader1');
    const plan = (
      await leader.post('/api/coaching/plans', {
        agentId: agentY,
        reasonForPlan: 'CSAT 3.9',
        startDate: '2026-03-16',
        targetEndDate: '2026-03-23',
        targetMetrics: { csat: { target: 4.2 } },
        successCriteria: { mandatory: ['csat >= 4.2'] },
        checkInFrequency: 'DAILY',
      })
    ).json();
    const approvedY = await freshAs(t, f, 'manager1').post(`/api/coaching/plans/${plan.id}/approve`);
    expect(approvedY.json().status, approvedY.body).toBe('ACTIVE');
    const checked = (await leader.post(`/api/coaching/plans/${plan.id}/check-ins`)).json();
    expect(checked.lastCheckIn).toMatchObject({
      window: { from: '2026-03-16', to: '2026-03-22', days: 7 },
      criteria: [{ criterion: 'csat >= 4.2', met: false, value: 3.9 }],
      score: 0,
    });
    const success = await leader.post(`/api/coaching/plans/${plan.id}/close`, { outcome: 'SUCCESS' });
    expect(success.statusCode).toBe(409);
    expect(success.json().error.message).toContain('not met: csat >= 4.2 (3.9)');

    const extended = await leader.post(`/api/coaching/plans/${plan.id}/extend`, { newTargetEndDate: '2026-04-06', reason: 'Two more weeks' });
    expect(extended.statusCode).toBe(200);
    expect(extended.json()).toMatchObject({ status: 'EXTENDED', extensionCount: 1, targetEndDate: '2026-04-06', outcome: null });
    expect(await statusOf(agentY)).toBe('PIP');
    t.clock.set('2026-04-06T14:00:00Z');
    const failed = await leader.post(`/api/coaching/plans/${plan.id}/close`, { outcome: 'FAILURE' });
    expect(failed.json()).toMatchObject({ status: 'FAILED', outcome: 'FAILURE' });
    expect(await statusOf(agentY)).toBe('ACTIVE');

    // A person on leave (set by hand) stays on leave while a plan runs and after it is cancelled.
    const agentL = await insertAgent(t, t.orgA.id, 'Lena Leave', { teamLeaderId: f.people.leader1.id, managerId: f.people.manager1.id });
    await t.database.db.update(users).set({ status: 'LEAVE' }).where(eq(users.id, agentL));
    const leavePlan = (
      await leader.post('/api/coaching/plans', {
        agentId: agentL,
        reasonForPlan: 'Quality',
        startDate: '2026-04-08',
        targetEndDate: '2026-05-08',
        targetMetrics: { quality: { target: 80, current: 70 } },
        successCriteria: { mandatory: ['quality_score >= 80'] },
      })
    ).json();
    expect((await freshAs(t, f, 'manager1').post(`/api/coaching/plans/${leavePlan.id}/approve`)).json()).toMatchObject({
      status: 'DRAFT',
      approvedBy: f.people.manager1.id,
    });
    t.clock.set('2026-04-08T14:00:00Z');
    expect((await runDuePlanCheckIns(ctx)).activated).toBe(1);
    expect((await t.database.db.select().from(actionPlans).where(eq(actionPlans.id, leavePlan.id)))[0]).toMatchObject({
      status: 'ACTIVE',
      nextCheckInDate: '2026-04-15',
    });
    expect(await statusOf(agentL)).toBe('LEAVE');
    expect((await leader.post(`/api/coaching/plans/${leavePlan.id}/cancel`, { reason: 'Long leave' })).json().status).toBe('CANCELLED');
    expect(await statusOf(agentL)).toBe('LEAVE');

    const agentR = await insertAgent(t, t.orgA.id, 'Rita Resigns', { teamLeaderId: f.people.leader1.id, managerId: f.people.manager1.id });
    const rPlan = (
      await leader.post('/api/coaching/plans', {
        agentId: agentR,
        reasonForPlan: 'Adherence',
        startDate: '2026-04-08',
        targetEndDate: '2026-05-08',
        targetMetrics: { adherence: { target: 85, current: 70 } },
        successCriteria: { mandatory: [] },
      })
    ).json();
    await freshAs(t, f, 'manager1').post(`/api/coaching/plans/${rPlan.id}/approve`);
    expect(await statusOf(agentR)).toBe('PIP');
    expect((await leader.post(`/api/coaching/plans/${rPlan.id}/close`, { outcome: 'RESIGNED' })).json()).toMatchObject({
      status: 'COMPLETED',
      outcome: 'RESIGNED',
    });
    expect(await statusOf(agentR)).toBe('TERMINATED');
  });

  it('proposes a draft plan to the team leader on a known breach, once', async () => {
    t.clock.set('2026-04-08T14:00:00Z');
    const ctx = orgAContext(t);
    const agentP = await insertAgent(t, t.orgA.id, 'Pia Drop', { teamLeaderId: f.people.leader2.id, managerId: f.people.manager2.id });
    const agentQ = await insertAgent(t, t.orgA.id, 'Quinn Low', { teamLeaderId: f.people.leader2.id, managerId: f.people.manager2.id });
    const agentOk = await insertAgent(t, t.orgA.id, 'Olga Fine', { teamLeaderId: f.people.leader2.id, managerId: f.people.manager2.id });
    const h = (agentId: string, periodType: 'WEEK' | 'MONTH', periodEnding: string, composite: number, service = composite, quality = composite + 4) => ({
      organizationId: t.orgA.id,
      agentId,
      periodType,
      periodEnding,
      avgCompositeScore: composite,
      avgServiceScore: service,
      avgProductivityScore: composite + 2,
      avgQualityScore: quality,
      avgAttendanceRate: 95,
      avgAdherenceScore: composite + 1,
    });
    await t.database.db.insert(performanceHistory).values([
      h(agentP, 'MONTH', '2026-02-28', 78.4),
      h(agentP, 'MONTH', '2026-03-31', 71.2, 66, 69),
      h(agentP, 'MONTH', '2026-04-30', 50), // the running month is not complete: ignored
      h(agentQ, 'WEEK', '2026-03-29', 63.5),
      h(agentQ, 'WEEK', '2026-04-05', 61.0),
      h(agentQ, 'MONTH', '2026-03-31', 64),
      h(agentQ, 'MONTH', '2026-02-28', 66),
      h(agentOk, 'MONTH', '2026-02-28', 78),
      h(agentOk, 'MONTH', '2026-03-31', 75),
      h(agentOk, 'WEEK', '2026-03-29', 64),
      h(agentOk, 'WEEK', '2026-04-05', 70),
    ]);
    const first = await proposePlans(ctx);
    expect(first.proposed.map((p) => [p.agentId, p.kind]).sort()).toEqual(
      [
        [agentP, 'MONTHLY_DROP'],
        [agentQ, 'LOW_WEEKS'],
      ].sort(),
    );
    const [pPlan] = await t.database.db.select().from(actionPlans).where(eq(actionPlans.agentId, agentP));
    expect(pPlan).toMatchObject({
      status: 'DRAFT',
      createdBy: f.people.leader2.id,
      startDate: '2026-04-08',
      targetEndDate: '2026-05-08',
      checkInFrequency: 'WEEKLY',
    });
    expect(pPlan.reasonForPlan).toContain('Composite fell from 78.4 (month ending 2026-02-28) to 71.2 (month ending 2026-03-31): -7.2 points');
    expect(Object.keys(pPlan.targetMetrics).sort()).toEqual(['composite_score', 'quality_score', 'service_score']);
    expect(pPlan.successCriteria.mandatory).toEqual([`composite_score >= ${pPlan.targetMetrics.composite_score.target}`]);
    const [qPlan] = await t.database.db.select().from(actionPlans).where(eq(actionPlans.agentId, agentQ));
    expect(qPlan.reasonForPlan).toContain('Composite below 65 for 2 consecutive weeks: 63.5 (week ending 2026-03-29), 61.0 (week ending 2026-04-05)');
    const proposedNotes = await t.database.db.select().from(notifications).where(eq(notifications.kind, 'PLAN_PROPOSED'));
    expect(proposedNotes.map((n) => [n.recipientId, n.subjectId]).sort()).toEqual(
      [
        [f.people.leader2.id, pPlan.id],
        [f.people.leader2.id, qPlan.id],
      ].sort(),
    );
    // The leader sees the proposal; the next day's run proposes nothing new (the draft is open).
    const listed = (await freshAs(t, f, 'leader2').get(`/api/coaching/plans?agentId=${agentP}&status=DRAFT`)).json();
    expect(listed.items.map((p: { id: string }) => p.id)).toEqual([pPlan.id]);
    t.clock.set('2026-04-09T14:00:00Z');
    expect((await proposePlans(ctx)).proposed).toEqual([]);
    // Cancelled within 30 days: still no proposal.
    await freshAs(t, f, 'leader2').post(`/api/coaching/plans/${pPlan.id}/cancel`, { reason: 'Talked it through' });
    expect((await proposePlans(ctx)).proposed).toEqual([]);
    // Thresholds are settings; an admin may change them, a leader may not.
    expect((await freshAs(t, f, 'leader2').put('/api/coaching/settings/plan-triggers', { monthlyCompositeDrop: 2 })).statusCode).toBe(403);
    const put = await freshAs(t, f, 'admin').put('/api/coaching/settings/plan-triggers', { monthlyCompositeDrop: 2 });
    expect(put.json()).toMatchObject({ monthlyCompositeDrop: 2, lowCompositeThreshold: 65 });
    t.clock.set('2026-05-12T14:00:00Z');
    // 30 days after the cancellation the breach (now −3 points vs the 2-point trigger for Olga too) proposes again.
    const later = await proposePlans(ctx);
    expect(later.proposed.map((p) => p.agentId).sort()).toEqual([agentOk, agentP].sort());
  });
});
