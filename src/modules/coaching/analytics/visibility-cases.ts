import { expect } from 'vitest';
import { recomputeHistoryJobName } from '../shared/job-names.js';
import type { VisibilityCase } from '../testing/visibility-case.js';

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();

export const analyticsVisibilityCases: VisibilityCase[] = [
  {
    route: 'GET /api/coaching/team',
    proves: "leader1 gets their own team (agent1/2/4); manager2 cannot open leader1's team (404); an agent 403; orgB 404",
    async check(f) {
      const p = f.people;
      const own = await f.as('leader1').get('/api/coaching/team');
      expect(own.statusCode).toBe(200);
      expect(own.json().teamLeader.id).toBe(p.leader1.id);
      expect(ids(own.json().agents)).toEqual(expect.arrayContaining([p.agent1.id, p.agent2.id, p.agent4.id].sort()));
      expect(ids(own.json().agents)).not.toContain(p.agent3.id);
      expect(ids(own.json().teams)).toEqual([p.leader1.id]);
      const m1 = await f.as('manager1').get(`/api/coaching/team?teamLeaderId=${p.leader1.id}`);
      expect(m1.statusCode).toBe(200);
      expect(ids(m1.json().teams)).toEqual([p.leader1.id]);
      expect((await f.as('manager2').get(`/api/coaching/team?teamLeaderId=${p.leader1.id}`)).statusCode).toBe(404);
      expect((await f.as('leader2').get(`/api/coaching/team?teamLeaderId=${p.leader1.id}`)).statusCode).toBe(404);
      expect((await f.as('leaderB').get(`/api/coaching/team?teamLeaderId=${p.leader1.id}`)).statusCode).toBe(404);
      expect((await f.as('agent1').get('/api/coaching/team')).statusCode).toBe(403);
      const b = (await f.as('leaderB').get('/api/coaching/team')).json();
      expect(ids(b.agents)).toEqual([p.agentB.id]);
      const admin = (await f.as('admin').get('/api/coaching/team')).json();
      expect(ids(admin.teams)).toEqual([p.leader1.id, p.leader2.id].sort());
    },
  },
  {
    route: 'GET /api/coaching/team-summary',
    proves: 'summary rows only for visible team leaders: leader1 own row, manager2 only leader2, admin both, agent none, orgB only orgB',
    async check(f) {
      const p = f.people;
      await f.t.database.db.execute('REFRESH MATERIALIZED VIEW coaching.team_performance_summary' as never);
      const rows = async (who: Parameters<typeof f.as>[0]) =>
        ((await f.as(who).get('/api/coaching/team-summary')).json().items as { teamLeaderId: string }[]).map((r) => r.teamLeaderId).sort();
      expect(await rows('leader1')).toEqual([p.leader1.id]);
      expect(await rows('manager2')).toEqual([p.leader2.id]);
      expect(await rows('admin')).toEqual([p.leader1.id, p.leader2.id].sort());
      expect(await rows('agent1')).toEqual([]);
      expect(await rows('leaderB')).toEqual([p.leaderB.id]);
    },
  },
  {
    route: 'GET /api/coaching/agents/:id/scorecard',
    proves: 'the agent and their branch read the scorecard with 28 daily rows; another agent, another branch and orgB get 404',
    async check(f) {
      const p = f.people;
      const url = `/api/coaching/agents/${p.agent1.id}/scorecard?from=${f.metricDates.from}&to=${f.metricDates.to}`;
      const own = await f.as('agent1').get(url);
      expect(own.statusCode).toBe(200);
      expect(own.json().daily).toHaveLength(28);
      expect((await f.as('leader1').get(url)).statusCode).toBe(200);
      expect((await f.as('manager1').get(url)).statusCode).toBe(200);
      expect((await f.as('agent2').get(url)).statusCode).toBe(404);
      expect((await f.as('leader2').get(url)).statusCode).toBe(404);
      expect((await f.as('manager2').get(url)).statusCode).toBe(404);
      expect((await f.as('leaderB').get(url)).statusCode).toBe(404);
    },
  },
  {
    route: 'GET /api/coaching/agents/:id/metrics',
    proves: 'daily rows for the agent themself and their leader; other agents, branches and orgB get 404',
    async check(f) {
      const p = f.people;
      const url = `/api/coaching/agents/${p.agent3.id}/metrics?from=${f.metricDates.from}&to=${f.metricDates.to}`;
      const own = await f.as('agent3').get(url);
      expect(own.statusCode).toBe(200);
      expect(own.json().items).toHaveLength(28);
      expect((await f.as('leader2').get(url)).json().agentId).toBe(p.agent3.id);
      expect((await f.as('leader1').get(url)).statusCode).toBe(404);
      expect((await f.as('manager1').get(url)).statusCode).toBe(404);
      expect((await f.as('agent1').get(url)).statusCode).toBe(404);
      expect((await f.as('leaderB').get(url)).statusCode).toBe(404);
    },
  },
  {
    route: 'GET /api/coaching/agents/:id/history',
    proves: 'history rows for the agent and their branch; other agents, branches and orgB get 404',
    async check(f) {
      const p = f.people;
      const url = `/api/coaching/agents/${p.agent2.id}/history?periodType=WEEK`;
      expect((await f.as('agent2').get(url)).statusCode).toBe(200);
      expect((await f.as('manager1').get(url)).json().agentId).toBe(p.agent2.id);
      expect((await f.as('agent1').get(url)).statusCode).toBe(404);
      expect((await f.as('manager2').get(url)).statusCode).toBe(404);
      expect((await f.as('leaderB').get(url)).statusCode).toBe(404);
    },
  },
  {
    route: 'POST /api/coaching/history/recompute',
    proves: "admin and managers queue a recompute (202); a manager naming another branch's agent gets 404; leaders and agents 403",
    async check(f) {
      const p = f.people;
      expect((await f.as('leader1').post('/api/coaching/history/recompute', {})).statusCode).toBe(403);
      expect((await f.as('agent1').post('/api/coaching/history/recompute', {})).statusCode).toBe(403);
      expect((await f.as('leaderB').post('/api/coaching/history/recompute', {})).statusCode).toBe(403);
      expect((await f.as('manager1').post('/api/coaching/history/recompute', { agentIds: [p.agent3.id] })).statusCode).toBe(404);
      if (f.t.deps.jobs.registry.get(recomputeHistoryJobName)) {
        const queued = await f.as('manager1').post('/api/coaching/history/recompute', {});
        expect(queued.statusCode).toBe(202);
        // Other cases add people to manager1's branch, so the expected count is what manager1 can list right now.
        const visibleAgents = (await f.as('manager1').get('/api/coaching/people?role=AGENT')).json().items as { id: string }[];
        expect(visibleAgents.map((a) => a.id)).toEqual(expect.arrayContaining([p.agent1.id, p.agent2.id, p.agent4.id]));
        expect(queued.json().agents).toBe(visibleAgents.length);
        expect((await f.as('admin').post('/api/coaching/history/recompute', { agentIds: [p.agent3.id] })).statusCode).toBe(202);
      }
    },
  },
];
