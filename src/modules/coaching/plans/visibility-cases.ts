import { expect } from 'vitest';
import { addDays, localDate } from '../effectiveness/dates.js';
import type { HierarchyFixture, Persona } from '../testing/hierarchy-fixture.js';
import type { VisibilityCase } from '../testing/visibility-case.js';

const today = (f: HierarchyFixture) => localDate(f.t.clock.now(), f.t.orgA.timezone);

/** A draft plan by leader1 (agent1, agent2, agent4) or leader2 (agent3); the case cancels it when done. */
async function withPlan(f: HierarchyFixture, agent: Persona, work: (planId: string) => Promise<void>, options: { approve?: boolean; endToday?: boolean } = {}) {
  const leader = agent === 'agent3' ? 'leader2' : 'leader1';
  const manager = agent === 'agent3' ? 'manager2' : 'manager1';
  const start = today(f);
  const created = await f.as(leader).post('/api/coaching/plans', {
    agentId: f.people[agent].id,
    reasonForPlan: 'Visibility case',
    startDate: start,
    targetEndDate: options.endToday ? start : addDays(start, 28),
    targetMetrics: { aht: { target: 300 } },
    successCriteria: { mandatory: ['aht <= 300'], recommended: ['Shadow a senior agent'] },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  try {
    if (options.approve) expect((await f.as(manager).post(`/api/coaching/plans/${id}/approve`)).statusCode).toBe(200);
    await work(id);
  } finally {
    await f.as('admin').post(`/api/coaching/plans/${id}/cancel`, { reason: 'visibility case done' });
  }
}

const ids = (body: { items: { id: string }[] }) => body.items.map((p) => p.id);

export const plansVisibilityCases: VisibilityCase[] = [
  {
    route: 'GET /api/coaching/plans',
    proves: "leader1, manager1 and the agent see agent2's plan; agent1, manager2 and orgB do not; a filter on an invisible agent is 404",
    check: async (f) =>
      withPlan(f, 'agent2', async (id) => {
        for (const who of ['leader1', 'manager1', 'admin', 'agent2'] as const) {
          const r = await f.as(who).get('/api/coaching/plans');
          expect(r.statusCode).toBe(200);
          expect(ids(r.json())).toContain(id);
        }
        const own = (await f.as('agent2').get('/api/coaching/plans')).json();
        expect(own.items.every((p: { agentId: string }) => p.agentId === f.people.agent2.id)).toBe(true);
        for (const who of ['agent1', 'manager2', 'leader2', 'leaderB'] as const) {
          expect(ids((await f.as(who).get('/api/coaching/plans')).json())).not.toContain(id);
        }
        expect((await f.as('manager2').get(`/api/coaching/plans?agentId=${f.people.agent2.id}`)).statusCode).toBe(404);
        expect((await f.as('leaderB').get(`/api/coaching/plans?agentId=${f.people.agent2.id}`)).statusCode).toBe(404);
      }),
  },
  {
    route: 'POST /api/coaching/plans',
    proves: 'a leader drafts for their own agent; another branch or org gets 404; an agent cannot draft their own plan (403)',
    check: async (f) => {
      const body = (agent: Persona) => ({
        agentId: f.people[agent].id,
        reasonForPlan: 'x',
        startDate: today(f),
        targetEndDate: addDays(today(f), 14),
        targetMetrics: { csat: { target: 4.5 } },
        successCriteria: { mandatory: ['csat >= 4.5'] },
      });
      expect((await f.as('leader2').post('/api/coaching/plans', body('agent1'))).statusCode).toBe(404);
      expect((await f.as('leaderB').post('/api/coaching/plans', body('agent1'))).statusCode).toBe(404);
      expect((await f.as('agent1').post('/api/coaching/plans', body('agent1'))).statusCode).toBe(403);
      const ok = await f.as('leader1').post('/api/coaching/plans', body('agent4'));
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({ agentId: f.people.agent4.id, createdBy: f.people.leader1.id, status: 'DRAFT' });
      await f.as('leader1').post(`/api/coaching/plans/${ok.json().id}/cancel`);
    },
  },
  {
    route: 'GET /api/coaching/plans/:id',
    proves: 'the plan is readable by the agent and the hierarchy above; 404 for another agent, another branch and orgB',
    check: async (f) =>
      withPlan(f, 'agent1', async (id) => {
        for (const who of ['agent1', 'leader1', 'manager1', 'admin'] as const) {
          const r = await f.as(who).get(`/api/coaching/plans/${id}`);
          expect(r.statusCode).toBe(200);
          expect(r.json()).toMatchObject({ id, agentId: f.people.agent1.id, evaluations: [] });
        }
        for (const who of ['agent2', 'leader2', 'manager2', 'leaderB'] as const)
          expect((await f.as(who).get(`/api/coaching/plans/${id}`)).statusCode).toBe(404);
      }),
  },
  {
    route: 'PATCH /api/coaching/plans/:id',
    proves: 'the leader edits a draft; the agent may read but not edit (403); another branch and orgB get 404',
    check: async (f) =>
      withPlan(f, 'agent1', async (id) => {
        expect((await f.as('agent1').patch(`/api/coaching/plans/${id}`, { reasonForPlan: 'mine' })).statusCode).toBe(403);
        expect((await f.as('leader2').patch(`/api/coaching/plans/${id}`, { reasonForPlan: 'x' })).statusCode).toBe(404);
        expect((await f.as('leaderB').patch(`/api/coaching/plans/${id}`, { reasonForPlan: 'x' })).statusCode).toBe(404);
        const r = await f.as('leader1').patch(`/api/coaching/plans/${id}`, { reasonForPlan: 'Edited reason' });
        expect(r.statusCode).toBe(200);
        expect(r.json().reasonForPlan).toBe('Edited reason');
      }),
  },
  {
    route: 'POST /api/coaching/plans/:id/approve',
    proves: 'the leader (author) cannot approve (403); manager2 and orgB get 404; manager1 approves and the plan is ACTIVE',
    check: async (f) =>
      withPlan(f, 'agent2', async (id) => {
        expect((await f.as('leader1').post(`/api/coaching/plans/${id}/approve`)).statusCode).toBe(403);
        expect((await f.as('agent2').post(`/api/coaching/plans/${id}/approve`)).statusCode).toBe(403);
        expect((await f.as('manager2').post(`/api/coaching/plans/${id}/approve`)).statusCode).toBe(404);
        expect((await f.as('leaderB').post(`/api/coaching/plans/${id}/approve`)).statusCode).toBe(404);
        const r = await f.as('manager1').post(`/api/coaching/plans/${id}/approve`);
        expect(r.statusCode).toBe(200);
        expect(r.json()).toMatchObject({ status: 'ACTIVE', approvedBy: f.people.manager1.id });
      }),
  },
  {
    route: 'POST /api/coaching/plans/:id/check-ins',
    proves: 'the leader runs a check-in on an active plan; the agent gets 403; another branch and orgB get 404',
    check: async (f) =>
      withPlan(
        f,
        'agent1',
        async (id) => {
          expect((await f.as('agent1').post(`/api/coaching/plans/${id}/check-ins`)).statusCode).toBe(403);
          expect((await f.as('manager2').post(`/api/coaching/plans/${id}/check-ins`)).statusCode).toBe(404);
          expect((await f.as('leaderB').post(`/api/coaching/plans/${id}/check-ins`)).statusCode).toBe(404);
          const r = await f.as('leader1').post(`/api/coaching/plans/${id}/check-ins`);
          expect(r.statusCode).toBe(200);
          expect(r.json().checkInCount).toBe(1);
        },
        { approve: true },
      ),
  },
  {
    route: 'POST /api/coaching/plans/:id/extend',
    proves: 'the leader extends a running plan; the agent gets 403; another branch and orgB get 404',
    check: async (f) =>
      withPlan(
        f,
        'agent2',
        async (id) => {
          const body = { newTargetEndDate: addDays(today(f), 60) };
          expect((await f.as('agent2').post(`/api/coaching/plans/${id}/extend`, body)).statusCode).toBe(403);
          expect((await f.as('leader2').post(`/api/coaching/plans/${id}/extend`, body)).statusCode).toBe(404);
          expect((await f.as('leaderB').post(`/api/coaching/plans/${id}/extend`, body)).statusCode).toBe(404);
          const r = await f.as('leader1').post(`/api/coaching/plans/${id}/extend`, body);
          expect(r.statusCode).toBe(200);
          expect(r.json()).toMatchObject({ status: 'EXTENDED', extensionCount: 1 });
        },
        { approve: true },
      ),
  },
  {
    route: 'POST /api/coaching/plans/:id/close',
    proves: 'the leader closes a plan at its end date; the agent gets 403; another branch and orgB get 404',
    check: async (f) =>
      withPlan(
        f,
        'agent3',
        async (id) => {
          expect((await f.as('agent3').post(`/api/coaching/plans/${id}/close`, { outcome: 'FAILURE' })).statusCode).toBe(403);
          expect((await f.as('leader1').post(`/api/coaching/plans/${id}/close`, { outcome: 'FAILURE' })).statusCode).toBe(404);
          expect((await f.as('manager1').post(`/api/coaching/plans/${id}/close`, { outcome: 'FAILURE' })).statusCode).toBe(404);
          expect((await f.as('leaderB').post(`/api/coaching/plans/${id}/close`, { outcome: 'FAILURE' })).statusCode).toBe(404);
          const r = await f.as('leader2').post(`/api/coaching/plans/${id}/close`, { outcome: 'FAILURE' });
          expect(r.statusCode).toBe(200);
          expect(r.json()).toMatchObject({ status: 'FAILED', outcome: 'FAILURE' });
        },
        { approve: true, endToday: true },
      ),
  },
  {
    route: 'POST /api/coaching/plans/:id/cancel',
    proves: 'the leader cancels; the agent gets 403; another branch and orgB get 404',
    check: async (f) =>
      withPlan(f, 'agent1', async (id) => {
        expect((await f.as('agent1').post(`/api/coaching/plans/${id}/cancel`)).statusCode).toBe(403);
        expect((await f.as('leader2').post(`/api/coaching/plans/${id}/cancel`)).statusCode).toBe(404);
        expect((await f.as('leaderB').post(`/api/coaching/plans/${id}/cancel`)).statusCode).toBe(404);
        const r = await f.as('leader1').post(`/api/coaching/plans/${id}/cancel`, { reason: 'no longer needed' });
        expect(r.statusCode).toBe(200);
        expect(r.json().status).toBe('CANCELLED');
      }),
  },
  {
    route: 'GET /api/coaching/settings/plan-triggers',
    proves: 'everyone in the hierarchy reads their own organization’s thresholds; a sign-in outside the hierarchy gets 403',
    check: async (f) => {
      for (const who of ['agent1', 'leader1', 'leaderB'] as const) {
        const r = await f.as(who).get('/api/coaching/settings/plan-triggers');
        expect(r.statusCode).toBe(200);
        expect(r.json()).toMatchObject({ lowCompositeThreshold: expect.any(Number), monthlyCompositeDrop: expect.any(Number) });
      }
      expect((await f.as('unlinkedStaff').get('/api/coaching/settings/plan-triggers')).statusCode).toBe(403);
    },
  },
  {
    route: 'PUT /api/coaching/settings/plan-triggers',
    proves: 'only an admin changes the thresholds (leaders, managers and agents get 403)',
    check: async (f) => {
      for (const who of ['agent1', 'leader1', 'manager1', 'leaderB'] as const) {
        expect((await f.as(who).put('/api/coaching/settings/plan-triggers', { lowCompositeWeeks: 3 })).statusCode).toBe(403);
      }
      const current = (await f.as('admin').get('/api/coaching/settings/plan-triggers')).json();
      const r = await f.as('admin').put('/api/coaching/settings/plan-triggers', { lowCompositeWeeks: current.lowCompositeWeeks });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual(current);
    },
  },
];
