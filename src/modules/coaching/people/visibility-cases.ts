import { expect } from 'vitest';
import type { HierarchyFixture } from '../testing/hierarchy-fixture.js';
import type { VisibilityCase } from '../testing/visibility-case.js';

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();
const sorted = (...list: string[]) => [...list].sort();

/** A throwaway agent under leader1 (created by the admin), for cases that change or delete someone. */
async function scratchAgent(f: HierarchyFixture, name: string): Promise<string> {
  const created = await f.as('admin').post('/api/coaching/people', { name, role: 'AGENT', teamLeaderId: f.people.leader1.id });
  expect(created.statusCode).toBe(201);
  return created.json().id as string;
}

export const peopleVisibilityCases: VisibilityCase[] = [
  {
    route: 'GET /api/coaching/me',
    proves: 'each persona gets their own person, role and direct reports; orgB leader sees only their org',
    async check(f) {
      const p = f.people;
      const leader = (await f.as('leader1').get('/api/coaching/me')).json();
      expect(leader.person.id).toBe(p.leader1.id);
      expect(leader.role).toBe('TEAM_LEADER');
      expect(leader.seesEverything).toBe(false);
      expect(leader.team.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining([p.agent1.id, p.agent2.id, p.agent4.id]));
      expect(leader.team.map((m: { id: string }) => m.id)).not.toContain(p.agent3.id);
      const manager = (await f.as('manager1').get('/api/coaching/me')).json();
      expect(manager.team.map((m: { id: string }) => m.id)).toContain(p.leader1.id);
      expect(manager.team.map((m: { id: string }) => m.id)).not.toContain(p.leader2.id);
      const agent = (await f.as('agent1').get('/api/coaching/me')).json();
      expect(agent).toMatchObject({ role: 'AGENT', person: { id: p.agent1.id }, team: [] });
      const admin = (await f.as('admin').get('/api/coaching/me')).json();
      expect(admin.seesEverything).toBe(true);
      const b = (await f.as('leaderB').get('/api/coaching/me')).json();
      expect(b.person.id).toBe(p.leaderB.id);
      expect(b.team.map((m: { id: string }) => m.id)).toEqual([p.agentB.id]);
      expect((await f.as('unlinkedStaff').get('/api/coaching/me')).statusCode).toBe(403);
    },
  },
  {
    route: 'GET /api/coaching/people',
    proves: 'leader1 lists self + agent1/2/4, manager2 not leader1’s team, agent only self, orgB only orgB; includeDeleted is admin-only',
    async check(f) {
      const p = f.people;
      const list = async (who: Parameters<HierarchyFixture['as']>[0], query = '') => (await f.as(who).get(`/api/coaching/people${query}`)).json().items;
      const leader = await list('leader1', '?role=AGENT');
      expect(ids(leader)).toEqual(expect.arrayContaining(sorted(p.agent1.id, p.agent2.id, p.agent4.id)));
      expect(ids(leader)).not.toContain(p.agent3.id);
      expect(leader.every((r: { teamLeaderName: string }) => r.teamLeaderName === 'Tara Lead')).toBe(true);
      const m2 = ids(await list('manager2'));
      expect(m2).toEqual(expect.arrayContaining([p.manager2.id, p.leader2.id, p.agent3.id]));
      expect(m2).not.toContain(p.agent1.id);
      expect(m2).not.toContain(p.leader1.id);
      expect(ids(await list('agent1'))).toEqual([p.agent1.id]);
      const b = ids(await list('leaderB'));
      expect(b).toEqual(sorted(p.leaderB.id, p.agentB.id));
      const all = ids(await list('admin', '?q=Agent'));
      expect(all).toEqual(expect.arrayContaining([p.agent1.id, p.agent2.id, p.agent3.id, p.agent4.id]));
      expect(all).not.toContain(p.agentB.id);
      expect((await f.as('leader1').get('/api/coaching/people?includeDeleted=true')).statusCode).toBe(403);
      expect((await f.as('admin').get('/api/coaching/people?includeDeleted=true')).statusCode).toBe(200);
    },
  },
  {
    route: 'GET /api/coaching/people/:id',
    proves: 'visible people answer 200 with the profile; outside the branch, another org, or another agent → 404',
    async check(f) {
      const p = f.people;
      const own = await f.as('leader1').get(`/api/coaching/people/${p.agent1.id}`);
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({ id: p.agent1.id, teamLeaderName: 'Tara Lead', managerName: 'Mona Manager', profile: { agentId: p.agent1.id } });
      expect((await f.as('leader2').get(`/api/coaching/people/${p.agent1.id}`)).statusCode).toBe(404);
      expect((await f.as('manager2').get(`/api/coaching/people/${p.agent1.id}`)).statusCode).toBe(404);
      expect((await f.as('agent2').get(`/api/coaching/people/${p.agent1.id}`)).statusCode).toBe(404);
      expect((await f.as('agent1').get(`/api/coaching/people/${p.agent1.id}`)).statusCode).toBe(200);
      expect((await f.as('leaderB').get(`/api/coaching/people/${p.agent1.id}`)).statusCode).toBe(404);
      expect((await f.as('manager1').get(`/api/coaching/people/${p.agent1.id}`)).statusCode).toBe(200);
    },
  },
  {
    route: 'POST /api/coaching/people',
    proves: 'admin any role; manager1 only under their own leaders (403 for leader2); leader and agent 403; orgB cannot use orgA leaders',
    async check(f) {
      const p = f.people;
      const ok = await f.as('manager1').post('/api/coaching/people', { name: 'Vis New Agent', role: 'AGENT', teamLeaderId: p.leader1.id });
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({ teamLeaderId: p.leader1.id, managerId: p.manager1.id });
      expect((await f.as('manager1').post('/api/coaching/people', { name: 'X', role: 'AGENT', teamLeaderId: p.leader2.id })).statusCode).toBe(403);
      expect((await f.as('manager1').post('/api/coaching/people', { name: 'X', role: 'MANAGER' })).statusCode).toBe(403);
      expect((await f.as('leader1').post('/api/coaching/people', { name: 'X', role: 'AGENT', teamLeaderId: p.leader1.id })).statusCode).toBe(403);
      expect((await f.as('agent1').post('/api/coaching/people', { name: 'X', role: 'AGENT', teamLeaderId: p.leader1.id })).statusCode).toBe(403);
      const cross = await f.as('leaderB').post('/api/coaching/people', { name: 'X', role: 'AGENT', teamLeaderId: p.leader1.id });
      expect([400, 403]).toContain(cross.statusCode);
      const admin = await f.as('admin').post('/api/coaching/people', { name: 'Vis New Manager', role: 'MANAGER' });
      expect(admin.statusCode).toBe(201);
    },
  },
  {
    route: 'PATCH /api/coaching/people/:id',
    proves: 'leader1 may change their agent’s shift (not links); leader2 404; agent only own phone; manager2 404; orgB 404',
    async check(f) {
      const p = f.people;
      const id = await scratchAgent(f, 'Vis Patch Agent');
      const shift = await f.as('leader1').patch(`/api/coaching/people/${id}`, { shiftPattern: 'EARLY' });
      expect(shift.statusCode).toBe(200);
      expect(shift.json().shiftPattern).toBe('EARLY');
      expect((await f.as('leader1').patch(`/api/coaching/people/${id}`, { teamLeaderId: p.leader2.id })).statusCode).toBe(403);
      expect((await f.as('leader2').patch(`/api/coaching/people/${id}`, { shiftPattern: 'LATE' })).statusCode).toBe(404);
      expect((await f.as('manager2').patch(`/api/coaching/people/${id}`, { shiftPattern: 'LATE' })).statusCode).toBe(404);
      expect((await f.as('leaderB').patch(`/api/coaching/people/${id}`, { shiftPattern: 'LATE' })).statusCode).toBe(404);
      expect((await f.as('agent1').patch(`/api/coaching/people/${id}`, { phone: '1' })).statusCode).toBe(404);
      expect((await f.as('agent1').patch(`/api/coaching/people/${p.agent1.id}`, { status: 'LEAVE' })).statusCode).toBe(403);
      expect((await f.as('manager1').patch(`/api/coaching/people/${id}`, { status: 'LEAVE' })).json().status).toBe('LEAVE');
    },
  },
  {
    route: 'DELETE /api/coaching/people/:id',
    proves: 'manager1 soft-deletes an agent in their branch; leader 403; manager2 404; deleting leader1 (active team) is refused 409',
    async check(f) {
      const p = f.people;
      const id = await scratchAgent(f, 'Vis Delete Agent');
      expect((await f.as('leader1').delete(`/api/coaching/people/${id}`)).statusCode).toBe(403);
      expect((await f.as('manager2').delete(`/api/coaching/people/${id}`)).statusCode).toBe(404);
      expect((await f.as('leaderB').delete(`/api/coaching/people/${id}`)).statusCode).toBe(404);
      const refused = await f.as('manager1').delete(`/api/coaching/people/${p.leader1.id}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toMatch(/still leads a team with \d+ active agents/);
      expect((await f.as('manager1').delete(`/api/coaching/people/${id}`)).statusCode).toBe(200);
      expect((await f.as('manager1').get(`/api/coaching/people/${id}`)).statusCode).toBe(404);
      expect((await f.as('admin').get(`/api/coaching/people/${id}`)).statusCode).toBe(200);
    },
  },
  {
    route: 'GET /api/coaching/hierarchy',
    proves: 'admin sees both branches; manager1 only leader1’s; leader1 their agents; agent only self; orgB only orgB',
    async check(f) {
      const p = f.people;
      const admin = (await f.as('admin').get('/api/coaching/hierarchy')).json();
      expect(admin.managers.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining([p.manager1.id, p.manager2.id]));
      const m1 = (await f.as('manager1').get('/api/coaching/hierarchy')).json();
      expect(m1.managers.map((m: { id: string }) => m.id)).toEqual([p.manager1.id]);
      const leaders = m1.managers[0].teamLeaders;
      expect(leaders.map((l: { id: string }) => l.id)).toEqual([p.leader1.id]);
      expect(leaders[0].agents.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([p.agent1.id, p.agent2.id, p.agent4.id]));
      const l1 = (await f.as('leader1').get('/api/coaching/hierarchy')).json();
      expect(l1.managers).toEqual([]);
      expect(l1.teamLeaders.map((l: { id: string }) => l.id)).toEqual([p.leader1.id]);
      const agent = (await f.as('agent3').get('/api/coaching/hierarchy')).json();
      expect(agent).toMatchObject({ managers: [], teamLeaders: [], agents: [{ id: p.agent3.id }] });
      const b = (await f.as('leaderB').get('/api/coaching/hierarchy')).json();
      expect(b.teamLeaders.map((l: { id: string }) => l.id)).toEqual([p.leaderB.id]);
      expect(b.teamLeaders[0].agents.map((a: { id: string }) => a.id)).toEqual([p.agentB.id]);
    },
  },
  {
    route: 'GET /api/coaching/people/:id/profile',
    proves: 'the agent reads their own profile, their leader too; another agent, another branch and orgB get 404',
    async check(f) {
      const p = f.people;
      expect((await f.as('agent1').get(`/api/coaching/people/${p.agent1.id}/profile`)).statusCode).toBe(200);
      expect((await f.as('leader1').get(`/api/coaching/people/${p.agent1.id}/profile`)).json().agentId).toBe(p.agent1.id);
      expect((await f.as('agent2').get(`/api/coaching/people/${p.agent1.id}/profile`)).statusCode).toBe(404);
      expect((await f.as('leader2').get(`/api/coaching/people/${p.agent1.id}/profile`)).statusCode).toBe(404);
      expect((await f.as('leaderB').get(`/api/coaching/people/${p.agent1.id}/profile`)).statusCode).toBe(404);
    },
  },
  {
    route: 'PUT /api/coaching/people/:id/profile',
    proves: 'leader1 edits their agent’s profile; the agent only their opt-in (403 otherwise); leader2 and orgB 404',
    async check(f) {
      const id = await scratchAgent(f, 'Vis Profile Agent');
      const put = await f.as('leader1').put(`/api/coaching/people/${id}/profile`, { learningStyle: 'AUDITORY', coreStrengths: ['Calm'] });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ exists: true, learningStyle: 'AUDITORY', coreStrengths: ['Calm'] });
      expect((await f.as('leader2').put(`/api/coaching/people/${id}/profile`, { coreStrengths: [] })).statusCode).toBe(404);
      expect((await f.as('leaderB').put(`/api/coaching/people/${id}/profile`, { coreStrengths: [] })).statusCode).toBe(404);
      const p = f.people;
      expect((await f.as('agent2').put(`/api/coaching/people/${p.agent2.id}/profile`, { coreStrengths: ['Me'] })).statusCode).toBe(403);
      expect((await f.as('agent2').put(`/api/coaching/people/${p.agent2.id}/profile`, { peerComparisonOptIn: true })).statusCode).toBe(200);
    },
  },
];
