import { expect } from 'vitest';
import { orgAContext } from '../plans/test-support.js';
import { coachingSessions } from '../schema.js';
import type { HierarchyFixture, Persona } from '../testing/hierarchy-fixture.js';
import type { VisibilityCase } from '../testing/visibility-case.js';
import { startEffectivenessTracking } from './effectiveness-service.js';

/** An effectiveness record for a fixture agent, opened as a completed session would open it. */
async function trackedSession(f: HierarchyFixture, agent: Persona, leader: Persona): Promise<string> {
  const [session] = await f.t.database.db
    .insert(coachingSessions)
    .values({
      organizationId: f.people[agent].organizationId,
      agentId: f.people[agent].id,
      teamLeaderId: f.people[leader].id,
      scheduledDate: new Date(`${f.metricDates.to}T15:00:00Z`),
      status: 'COMPLETED',
    })
    .returning();
  const { id } = await startEffectivenessTracking(orgAContext(f.t), {
    sessionId: session.id,
    agentId: f.people[agent].id,
    teamLeaderId: f.people[leader].id,
    primaryIssue: 'CSAT',
    interventionMethod: 'Call review',
    coachedOn: f.metricDates.to,
  });
  return id;
}

const ids = (body: { items: { id: string }[] }) => body.items.map((r) => r.id);

export const effectivenessVisibilityCases: VisibilityCase[] = [
  {
    route: 'GET /api/coaching/effectiveness',
    proves: "each persona lists only their branch's records (agent: own); summaries cover only those; filters on invisible people are 404",
    check: async (f) => {
      const r1 = await trackedSession(f, 'agent1', 'leader1');
      const r3 = await trackedSession(f, 'agent3', 'leader2');
      const sees = async (who: Persona, url = '/api/coaching/effectiveness') => {
        const r = await f.as(who).get(url);
        expect(r.statusCode).toBe(200);
        return ids(r.json());
      };
      expect(await sees('admin')).toEqual(expect.arrayContaining([r1, r3]));
      for (const who of ['leader1', 'manager1', 'agent1'] as const) {
        const seen = await sees(who);
        expect(seen).toContain(r1);
        expect(seen).not.toContain(r3);
      }
      for (const who of ['leader2', 'manager2', 'agent3'] as const) {
        const seen = await sees(who);
        expect(seen).toContain(r3);
        expect(seen).not.toContain(r1);
      }
      const own = (await f.as('agent1').get('/api/coaching/effectiveness')).json();
      expect(own.items.every((r: { agentId: string }) => r.agentId === f.people.agent1.id)).toBe(true);
      expect(own.summary.reduce((n: number, s: { n: number }) => n + s.n, 0)).toBe(own.items.length);
      expect(await sees('agent2')).not.toContain(r1);
      expect(await sees('leaderB')).toEqual([]);
      expect(await sees('leader1', `/api/coaching/effectiveness?teamLeaderId=${f.people.leader1.id}&issue=csat&method=call%20review`)).toContain(r1);
      expect((await f.as('manager2').get(`/api/coaching/effectiveness?teamLeaderId=${f.people.leader1.id}`)).statusCode).toBe(404);
      expect((await f.as('leaderB').get(`/api/coaching/effectiveness?agentId=${f.people.agent1.id}`)).statusCode).toBe(404);
      expect((await f.as('agent1').get(`/api/coaching/effectiveness?agentId=${f.people.agent2.id}`)).statusCode).toBe(404);
    },
  },
  {
    route: 'GET /api/coaching/effectiveness/:id',
    proves: "agent1's record is readable by agent1, leader1, manager1 and admin; 404 for agent2, leader2, manager2 and orgB",
    check: async (f) => {
      const id = await trackedSession(f, 'agent1', 'leader1');
      for (const who of ['agent1', 'leader1', 'manager1', 'admin'] as const) {
        const r = await f.as(who).get(`/api/coaching/effectiveness/${id}`);
        expect(r.statusCode).toBe(200);
        expect(r.json()).toMatchObject({ id, agentId: f.people.agent1.id, status: 'MEASURING', issueMetric: 'csat' });
      }
      for (const who of ['agent2', 'leader2', 'manager2', 'leaderB'] as const)
        expect((await f.as(who).get(`/api/coaching/effectiveness/${id}`)).statusCode).toBe(404);
    },
  },
];
