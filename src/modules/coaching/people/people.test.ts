import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { coachingModule } from '../index.js';
import { createHierarchyFixture, type HierarchyFixture } from '../testing/hierarchy-fixture.js';

let t: TestApp;
let f: HierarchyFixture;

beforeAll(async () => {
  t = await createTestApp({ modules: [coachingModule.descriptor] });
  f = await createHierarchyFixture(t);
}, 120_000);
afterAll(async () => t?.close());

describe('people and links', () => {
  it('lists with names of links and the latest composite, and filters', async () => {
    const items = (await f.as('admin').get(`/api/coaching/people?teamLeaderId=${f.people.leader1.id}`)).json().items;
    expect(items.map((p: { name: string }) => p.name)).toEqual(['Alice Agent', 'Bob Agent', 'Dan Agent']);
    const alice = items[0];
    expect(alice).toMatchObject({ teamLeaderName: 'Tara Lead', managerName: 'Mona Manager', latestCompositeDate: f.metricDates.to, status: 'ACTIVE' });
    expect(typeof alice.latestComposite).toBe('number');
    const byQ = (await f.as('admin').get('/api/coaching/people?q=E-agent3')).json().items;
    expect(byQ.map((p: { id: string }) => p.id)).toEqual([f.people.agent3.id]);
    const leaders = (await f.as('admin').get('/api/coaching/people?role=TEAM_LEADER')).json().items;
    expect(leaders.map((p: { name: string }) => p.name)).toEqual(['Tara Lead', 'Theo Lead']);
  });

  it("validates links: an agent's leader must be a TEAM_LEADER, a leader's manager a MANAGER, in this organization", async () => {
    const p = f.people;
    const wrongLeader = await f.as('admin').post('/api/coaching/people', { name: 'W', role: 'AGENT', teamLeaderId: p.manager1.id });
    expect(wrongLeader.statusCode).toBe(400);
    expect(wrongLeader.json().error.message).toContain('Mona Manager is a manager, not a team leader');
    const wrongManager = await f.as('admin').post('/api/coaching/people', { name: 'W', role: 'TEAM_LEADER', managerId: p.leader2.id });
    expect(wrongManager.statusCode).toBe(400);
    expect((await f.as('admin').post('/api/coaching/people', { name: 'W', role: 'AGENT', teamLeaderId: p.leaderB.id })).statusCode).toBe(400);
    expect((await f.as('admin').post('/api/coaching/people', { name: 'W', role: 'TEAM_LEADER', teamLeaderId: p.leader1.id })).statusCode).toBe(400);
    // The agent's manager follows the team leader's.
    const ok = await f.as('admin').post('/api/coaching/people', { name: 'Nia New', role: 'AGENT', teamLeaderId: p.leader2.id, timezone: 'Asia/Tokyo' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ managerId: p.manager2.id, managerName: 'Max Manager', timezone: 'Asia/Tokyo' });
    // A manager creating a team leader puts them under themself.
    const lead = await f.as('manager1').post('/api/coaching/people', { name: 'Lou Lead', role: 'TEAM_LEADER' });
    expect(lead.json()).toMatchObject({ managerId: p.manager1.id });
  });

  it('refuses a manager loop, a bad time zone, duplicate employee ids and foreign sign-ins', async () => {
    const p = f.people;
    const senior = (await f.as('admin').post('/api/coaching/people', { name: 'Sam Senior', role: 'MANAGER', managerId: p.manager1.id })).json();
    const loop = await f.as('admin').patch(`/api/coaching/people/${p.manager1.id}`, { managerId: senior.id });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().error.message).toContain('loop');
    const tz = await f.as('admin').patch(`/api/coaching/people/${p.agent1.id}`, { timezone: 'Mars/Olympus' });
    expect(tz.statusCode).toBe(400);
    expect(tz.json().error.message).toContain('"Mars/Olympus" is not an IANA time zone');
    const dup = await f.as('admin').patch(`/api/coaching/people/${p.agent2.id}`, { employeeId: 'E-agent1' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toBe('Employee id E-agent1 already belongs to Alice Agent.');
    const foreign = await f.as('admin').patch(`/api/coaching/people/${p.agent4.id}`, { userId: t.orgB.userIds.staff });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.message).toContain('not a member of this organization');
    const taken = await f.as('admin').patch(`/api/coaching/people/${p.agent4.id}`, { userId: t.orgA.userIds.manager });
    expect(taken.statusCode).toBe(409);
    const link = await f.as('admin').patch(`/api/coaching/people/${p.agent4.id}`, { userId: t.orgA.userIds.viewer });
    expect(link.json().userId).toBe(t.orgA.userIds.viewer);
    expect((await f.as('manager1').patch(`/api/coaching/people/${p.agent4.id}`, { userId: null })).statusCode).toBe(403);
  });

  it('moves an agent between teams, then deletes the emptied leader softly', async () => {
    const p = f.people;
    const lead = (await f.as('admin').post('/api/coaching/people', { name: 'Tina Temp', role: 'TEAM_LEADER', managerId: p.manager2.id })).json();
    const agent = (await f.as('admin').post('/api/coaching/people', { name: 'Mo Mover', role: 'AGENT', teamLeaderId: lead.id })).json();
    const refused = await f.as('admin').delete(`/api/coaching/people/${lead.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('Tina Temp still leads a team with 1 active agent; move them to another team leader (or terminate them) first.');
    const moved = await f.as('admin').patch(`/api/coaching/people/${agent.id}`, { teamLeaderId: p.leader1.id });
    expect(moved.json()).toMatchObject({ teamLeaderName: 'Tara Lead', managerName: 'Mona Manager' });
    const deleted = await f.as('admin').delete(`/api/coaching/people/${lead.id}`);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().deletedAt).toBe('2026-03-02T14:00:00.000Z');
    const listed = (await f.as('admin').get('/api/coaching/people?role=TEAM_LEADER')).json().items.map((x: { id: string }) => x.id);
    expect(listed).not.toContain(lead.id);
    const withDeleted = (await f.as('admin').get('/api/coaching/people?role=TEAM_LEADER&includeDeleted=true')).json().items.map((x: { id: string }) => x.id);
    expect(withDeleted).toContain(lead.id);
  });

  it('keeps a profile per agent: defaults first, the learning style taken from the person', async () => {
    const p = f.people;
    const fresh = (await f.as('leader1').get(`/api/coaching/people/${p.agent2.id}/profile`)).json();
    expect(fresh).toMatchObject({ exists: false, learningStyle: 'VISUAL', peerComparisonOptIn: true });
    const saved = await f.as('leader1').put(`/api/coaching/people/${p.agent2.id}/profile`, {
      preferredFeedbackMethod: 'Written summary after the call',
      primaryMotivators: ['Recognition'],
      developmentAreas: ['Call control'],
      preferredSessionLength: 20,
      bestCoachingTime: 'Morning',
    });
    expect(saved.json()).toMatchObject({
      exists: true,
      learningStyle: 'VISUAL',
      developmentAreas: ['Call control'],
      preferredSessionLength: 20,
      lastUpdatedBy: p.leader1.id,
    });
    expect((await f.as('agent2').get(`/api/coaching/people/${p.agent2.id}/profile`)).json().primaryMotivators).toEqual(['Recognition']);
    const leaderProfile = await f.as('admin').get(`/api/coaching/people/${p.leader1.id}/profile`);
    expect(leaderProfile.statusCode).toBe(400);
  });
});
