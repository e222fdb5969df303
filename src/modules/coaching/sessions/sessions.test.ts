import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { coachingModule } from '../index.js';
import { createHierarchyFixture, type HierarchyFixture } from '../testing/hierarchy-fixture.js';

// Test clock: Mon 2 March 2026 14:00 UTC (09:00 in New York, 15:00 in Berlin). leader1 and agent1 are in New York,
// agent2 in Berlin. In early March New York is UTC−5 (EST until 8 March) and Berlin UTC+1 (CET).
let t: TestApp;
let f: HierarchyFixture;
beforeAll(async () => {
  t = await createTestApp({ modules: [coachingModule.descriptor] });
  f = await createHierarchyFixture(t);
}, 120_000);
afterAll(async () => t?.close());

const schedule = (body: Record<string, unknown>, as: Parameters<HierarchyFixture['as']>[0] = 'leader1') => f.as(as).post('/api/coaching/sessions', body);

describe('scheduling in each person’s time zone', () => {
  it('reads a local start in the team leader’s zone by default and shows it in both zones', async () => {
    const response = await schedule({ agentId: f.people.agent2.id, start: '2026-03-05T10:00' });
    expect(response.statusCode, response.body).toBe(201);
    const s = response.json();
    expect(s.scheduledDate).toBe('2026-03-05T15:00:00.000Z');
    expect(s.times.teamLeader).toMatchObject({ timezone: 'America/New_York', date: '2026-03-05', time: '10:00', local: '2026-03-05T10:00:00-05:00' });
    expect(s.times.agent).toMatchObject({ timezone: 'Europe/Berlin', date: '2026-03-05', time: '16:00', local: '2026-03-05T16:00:00+01:00' });
    expect(s.plannedMinutes).toBe(30);
    expect(s.status).toBe('SCHEDULED');
    expect(s.sessionType).toBe('REGULAR');
  });

  it('reads a local start in the zone given (the agent’s), and accepts an ISO instant', async () => {
    const berlin = await schedule({ agentId: f.people.agent2.id, start: '2026-03-06T09:00', timezone: 'Europe/Berlin', plannedMinutes: 45 });
    expect(berlin.statusCode, berlin.body).toBe(201);
    expect(berlin.json().scheduledDate).toBe('2026-03-06T08:00:00.000Z');
    expect(berlin.json().times.teamLeader.time).toBe('03:00');
    expect(berlin.json().endsAt).toBe('2026-03-06T08:45:00.000Z');
    const instant = await schedule({ agentId: f.people.agent1.id, start: '2026-03-06T20:00:00Z' });
    expect(instant.statusCode, instant.body).toBe(201);
    expect(instant.json().times.agent.time).toBe('15:00');
    const bad = await schedule({ agentId: f.people.agent1.id, start: '2026-03-06T09:00', timezone: 'Mars/Olympus' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/not a time zone/);
  });

  it('refuses to double-book the leader or the agent, naming the clash in the requester’s zone', async () => {
    const first = await schedule({ agentId: f.people.agent1.id, start: '2026-03-09T11:00', plannedMinutes: 60 });
    expect(first.statusCode, first.body).toBe(201);
    // The leader is busy 11:00–12:00 New York: agent2 at 11:30 clashes through the leader.
    const leaderBusy = await schedule({ agentId: f.people.agent2.id, start: '2026-03-09T11:30' });
    expect(leaderBusy.statusCode).toBe(409);
    expect(leaderBusy.json().error.code).toBe('COACHING_DOUBLE_BOOKED');
    expect(leaderBusy.json().error.message).toContain('Tara Lead already has a regular session (Tara Lead with Alice Agent)');
    expect(leaderBusy.json().error.message).toContain('Mon, 9 Mar 2026, 11:00–12:00 (America/New_York)');
    expect(leaderBusy.json().error.details.clashingSessionId).toBe(first.json().id);
    // Back to back is fine.
    expect((await schedule({ agentId: f.people.agent2.id, start: '2026-03-09T12:00' })).statusCode).toBe(201);
    // The agent is busy: the manager (also New York) cannot book agent1 with themself across it.
    const agentBusy = await schedule({ agentId: f.people.agent1.id, start: '2026-03-09T15:45:00Z', teamLeaderId: f.people.manager1.id }, 'manager1');
    expect(agentBusy.statusCode).toBe(409);
    expect(agentBusy.json().error.message).toContain('Alice Agent already has');
    // A cancelled session frees the slot.
    const cancel = await f.as('leader1').post(`/api/coaching/sessions/${first.json().id}/cancel`, { reason: 'Agent on training' });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'CANCELLED', cancelledReason: 'Agent on training' });
    expect((await schedule({ agentId: f.people.agent2.id, start: '2026-03-09T11:00' })).statusCode).toBe(201);
  });

  it('books one of two simultaneous requests for the same slot and refuses the other', async () => {
    const body = { agentId: f.people.agent1.id, start: '2026-03-20T14:00' };
    const both = await Promise.all([schedule(body), schedule({ ...body, start: '2026-03-20T14:15' })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('moves a scheduled session with the same double-booking rule', async () => {
    const a = (await schedule({ agentId: f.people.agent1.id, start: '2026-03-10T09:00' })).json();
    const b = (await schedule({ agentId: f.people.agent2.id, start: '2026-03-10T10:00' })).json();
    const clash = await f.as('leader1').patch(`/api/coaching/sessions/${b.id}`, { start: '2026-03-10T09:15' });
    expect(clash.statusCode).toBe(409);
    const moved = await f.as('leader1').patch(`/api/coaching/sessions/${b.id}`, { start: '2026-03-10T09:30' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().times.teamLeader.time).toBe('09:30');
    expect(a.id).not.toBe(b.id);
  });

  it('lists free slots over both working days, in both zones', async () => {
    // 2026-03-11: New York is on summer time since 8 March (UTC−4), Berlin not yet (UTC+1): New York 09:00–17:00 =
    // 13:00–21:00 UTC, Berlin 09:00–17:00 = 08:00–16:00 UTC → 13:00–16:00 UTC together, minus the 09:30 session.
    await schedule({ agentId: f.people.agent2.id, start: '2026-03-11T09:30' });
    const response = await f.as('leader1').get(`/api/coaching/availability?agentId=${f.people.agent2.id}&date=2026-03-11`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.minutes).toBe(30);
    const starts = body.slots.map((s: { teamLeader: { time: string }; agent: { time: string } }) => `${s.teamLeader.time}/${s.agent.time}`);
    expect(starts).toEqual(['09:00/14:00', '10:00/15:00', '10:15/15:15', '10:30/15:30', '10:45/15:45', '11:00/16:00', '11:15/16:15', '11:30/16:30']);
    expect(body.busy).toHaveLength(1);
    expect(body.busy[0].who).toBe('both');
    const none = await f.as('leader1').get(`/api/coaching/availability?agentId=${f.people.agent2.id}&date=2026-03-11&minutes=180`);
    expect(none.json().slots).toEqual([]);
    expect(none.json().message).toMatch(/No free 180-minute slot/);
  });
});

describe('session lifecycle', () => {
  it('NO_SHOW needs a reason and a start in the past', async () => {
    const future = (await schedule({ agentId: f.people.agent1.id, start: '2026-03-12T10:00' })).json();
    const noReason = await f.as('leader1').post(`/api/coaching/sessions/${future.id}/no-show`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toMatch(/Say why/);
    const early = await f.as('leader1').post(`/api/coaching/sessions/${future.id}/no-show`, { reason: 'Did not join' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('COACHING_NO_SHOW_TOO_EARLY');
    const past = (await schedule({ agentId: f.people.agent1.id, start: '2026-03-02T08:00' })).json();
    const ok = await f.as('leader1').post(`/api/coaching/sessions/${past.id}/no-show`, { reason: 'Did not join, no message' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'NO_SHOW', noShowReason: 'Did not join, no message' });
    const again = await f.as('leader1').post(`/api/coaching/sessions/${past.id}/start`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/no show; it can be started only when scheduled/);
  });

  it('starts, completes with follow-up, addressed notes, action items and effectiveness tracking', async () => {
    const note = await f
      .as('leader1')
      .post('/api/coaching/notes', { agentId: f.people.agent1.id, noteType: 'COACHING', content: 'Talked over the customer on call 881', callId: '881' });
    expect(note.statusCode, note.body).toBe(201);
    const s = (await schedule({ agentId: f.people.agent1.id, start: '2026-03-02T09:30' })).json();
    const started = await f.as('leader1').post(`/api/coaching/sessions/${s.id}/start`);
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().status).toBe('IN_PROGRESS');
    expect(started.json().actualStartTime).toBe('2026-03-02T14:00:00.000Z');
    const missing = await f.as('leader1').post(`/api/coaching/sessions/${s.id}/complete`, { followUp: { required: true } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/followUp.date.*followUp.topics/);
    const agentTries = await f.as('agent1').post(`/api/coaching/sessions/${s.id}/complete`, {});
    expect(agentTries.statusCode).toBe(403);
    t.clock.advance(25 * 60_000);
    const done = await f.as('leader1').post(`/api/coaching/sessions/${s.id}/complete`, {
      topicsCovered: ['Listening', 'Hold etiquette'],
      discussionNotes: 'Went through call 881.',
      agentCommitments: 'Let the customer finish before answering',
      resourcesShared: ['Active listening guide'],
      engagementScore: 4,
      receptivenessScore: 5,
      understandingScore: 4,
      overallEffectiveness: 4,
      followUp: { required: true, date: '2026-03-16', topics: ['Listening'], schedule: { start: '2026-03-16T10:00' } },
      addressedNotes: [{ id: note.json().id, notes: 'Discussed; agent agreed' }],
      actionItems: [{ title: 'Shadow a senior agent', description: 'Two calls with Maria', dueDate: '2026-12-20', reminderDate: '2026-12-18' }],
      primaryIssue: 'Quality',
      interventionMethod: 'Call review',
    });
    expect(done.statusCode, done.body).toBe(200);
    const body = done.json();
    expect(body.session).toMatchObject({
      status: 'COMPLETED',
      durationMinutes: 25,
      followUpRequired: true,
      followUpDate: '2026-03-16',
      followUpTopics: ['Listening'],
      overallEffectiveness: 4,
    });
    expect(body.followUpSession).toMatchObject({ sessionType: 'FOLLOW_UP', status: 'SCHEDULED', scheduledDate: '2026-03-16T14:00:00.000Z' });
    expect(body.addressedNoteIds).toEqual([note.json().id]);
    expect(body.actionItems).toHaveLength(1);
    expect(body.actionItems[0]).toMatchObject({ sessionId: s.id, title: 'Shadow a senior agent', status: 'PENDING' });
    expect(body.effectivenessId).toEqual(expect.any(String));
    const notes = (await f.as('leader1').get(`/api/coaching/notes?agentId=${f.people.agent1.id}&addressed=true`)).json().items;
    expect(notes.find((n: { id: string }) => n.id === note.json().id)).toMatchObject({
      addressed: true,
      linkedSessionId: s.id,
      addressedNotes: 'Discussed; agent agreed',
    });
    const twice = await f.as('leader1').post(`/api/coaching/sessions/${s.id}/complete`, {});
    expect(twice.statusCode).toBe(409);
    const prepAfter = await f.as('leader1').post(`/api/coaching/sessions/${s.id}/prep`);
    expect(prepAfter.statusCode).toBe(409);
    expect(prepAfter.json().error.message).toMatch(/completed; prep is rebuilt only for sessions still to run/);
    t.clock.set('2026-03-02T14:00:00Z');
  });

  it('lets the agent read their sessions, without the leader’s notes in the prep', async () => {
    await f
      .as('leader1')
      .post('/api/coaching/notes', { agentId: f.people.agent2.id, noteType: 'URGENT', content: 'Rude to a caller on call 12', priority: 'HIGH' });
    const s = (await schedule({ agentId: f.people.agent2.id, start: '2026-03-13T10:00' })).json();
    expect(s.prepData.unaddressedNotes.map((n: { content: string }) => n.content)).toContain('Rude to a caller on call 12');
    const mine = await f.as('agent2').get(`/api/coaching/sessions/${s.id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().prepData.unaddressedNotes).toEqual([]);
    expect(mine.json().prepData.agenda).toBeNull();
    expect(JSON.stringify(mine.json().prepData)).not.toContain('Rude to a caller');
    expect((await f.as('agent1').get(`/api/coaching/sessions/${s.id}`)).statusCode).toBe(404);
    const list = (await f.as('agent2').get('/api/coaching/sessions')).json().items;
    expect(list.every((x: { agentId: string }) => x.agentId === f.people.agent2.id)).toBe(true);
  });
});

describe('quick notes', () => {
  it('captures a note fast, filters by type and addressed, and shows the agent only the positive ones', async () => {
    const urgent = await f.as('leader1').post('/api/coaching/notes', {
      agentId: f.people.agent4.id,
      noteType: 'COMPLIANCE',
      content: 'Read out a full card number on call 77',
      category: 'PCI',
      priority: 'HIGH',
      callId: '77',
      customerId: 'C-9',
      occurredAt: '2026-03-02T13:20:00Z',
    });
    expect(urgent.statusCode, urgent.body).toBe(201);
    expect(urgent.json()).toMatchObject({
      teamLeaderId: f.people.leader1.id,
      agentName: 'Dan Agent',
      callId: '77',
      customerId: 'C-9',
      timestampOccurred: '2026-03-02T13:20:00.000Z',
      addressed: false,
    });
    const byManager = await f
      .as('manager1')
      .post('/api/coaching/notes', { agentId: f.people.agent2.id, noteType: 'POSITIVE', content: 'Great save on call 90' });
    expect(byManager.json().teamLeaderId).toBe(f.people.leader1.id); // filed under the agent's team leader
    const open = (await f.as('leader1').get(`/api/coaching/notes?agentId=${f.people.agent4.id}&type=COMPLIANCE&addressed=false`)).json().items;
    expect(open.map((n: { id: string }) => n.id)).toEqual([urgent.json().id]);
    const mine = (await f.as('agent2').get('/api/coaching/notes')).json().items as { noteType: string; agentId: string }[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((n) => n.noteType === 'POSITIVE' && n.agentId === f.people.agent2.id)).toBe(true);
  });
});
