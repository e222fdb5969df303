import { expect } from 'vitest';
import type { HierarchyFixture, Persona } from '../testing/hierarchy-fixture.js';
import type { VisibilityCase } from '../testing/visibility-case.js';

const base = '/api/coaching';
const unknownId = '00000000-0000-4000-8000-00000000abcd';

/** Each case books its own hour so that cases sharing the fixture never double-book each other. */
const slot = (n: number, past = false) =>
  `${past ? '2026-02' : '2026-05'}-${String(1 + (n % 28)).padStart(2, '0')}T${String(12 + Math.floor(n / 28)).padStart(2, '0')}:00:00Z`;

async function scheduleFor(f: HierarchyFixture, agent: Persona, n: number, options: { past?: boolean; as?: Persona } = {}) {
  const response = await f.as(options.as ?? 'leader1').post(`${base}/sessions`, { agentId: f.people[agent].id, start: slot(n, options.past) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; agentId: string };
}

async function noteFor(f: HierarchyFixture, agent: Persona, noteType = 'COACHING', as: Persona = 'leader1') {
  const response = await f.as(as).post(`${base}/notes`, { agentId: f.people[agent].id, noteType, content: `${noteType} note about ${agent}` });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
}

async function itemFor(f: HierarchyFixture, agent: Persona, as: Persona = 'leader1') {
  const response = await f
    .as(as)
    .post(`${base}/action-items`, { agentId: f.people[agent].id, title: `Item for ${agent}`, description: 'Practise the greeting', dueDate: '2099-01-31' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
}

const statusOf = async (p: Promise<{ statusCode: number }>) => (await p).statusCode;

export const sessionsVisibilityCases: VisibilityCase[] = [
  {
    route: `GET ${base}/sessions`,
    proves: 'each persona lists only sessions of people in their branch; an agent only their own; organization B none of A’s',
    async check(f) {
      const s1 = await scheduleFor(f, 'agent1', 1);
      const s3 = await scheduleFor(f, 'agent3', 1, { as: 'leader2' });
      const ids = async (who: Persona) => ((await f.as(who).get(`${base}/sessions`)).json().items as { id: string; agentId: string }[]).map((s) => s.id);
      expect(await ids('admin')).toEqual(expect.arrayContaining([s1.id, s3.id]));
      expect(await ids('manager1')).toContain(s1.id);
      expect(await ids('manager1')).not.toContain(s3.id);
      expect(await ids('leader1')).toContain(s1.id);
      expect(await ids('leader1')).not.toContain(s3.id);
      expect(await ids('manager2')).toEqual(expect.arrayContaining([s3.id]));
      expect(await ids('manager2')).not.toContain(s1.id);
      const own = (await f.as('agent1').get(`${base}/sessions`)).json().items as { agentId: string }[];
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((s) => s.agentId === f.people.agent1.id)).toBe(true);
      expect(await ids('agent2')).not.toContain(s1.id);
      expect(await ids('leaderB')).toEqual([]);
      expect(await statusOf(f.as('leader2').get(`${base}/sessions?agentId=${f.people.agent1.id}`))).toBe(404);
      expect(await statusOf(f.as('leaderB').get(`${base}/sessions?agentId=${f.people.agent1.id}`))).toBe(404);
    },
  },
  {
    route: `POST ${base}/sessions`,
    proves: 'the agent’s leader, a manager above and an admin schedule; another branch 404; the agent themself 403; organization B 404',
    async check(f) {
      await scheduleFor(f, 'agent4', 2);
      await scheduleFor(f, 'agent4', 3, { as: 'manager1' });
      await scheduleFor(f, 'agent4', 4, { as: 'admin' });
      const body = { agentId: f.people.agent4.id, start: slot(5) };
      expect(await statusOf(f.as('leader2').post(`${base}/sessions`, body))).toBe(404);
      expect(await statusOf(f.as('manager2').post(`${base}/sessions`, body))).toBe(404);
      expect(await statusOf(f.as('agent2').post(`${base}/sessions`, body))).toBe(404);
      expect(await statusOf(f.as('leaderB').post(`${base}/sessions`, body))).toBe(404);
      const self = await f.as('agent1').post(`${base}/sessions`, { agentId: f.people.agent1.id, start: slot(5) });
      expect(self.statusCode).toBe(403);
      expect(self.json().error.message).toMatch(/team leader, manager or an admin can/);
    },
  },
  {
    route: `GET ${base}/sessions/:id`,
    proves: 'the session reads for its agent and their branch; 404 for other agents, other branches and organization B',
    async check(f) {
      const s = await scheduleFor(f, 'agent1', 6);
      for (const who of ['admin', 'manager1', 'leader1', 'agent1'] as Persona[])
        expect(await statusOf(f.as(who).get(`${base}/sessions/${s.id}`)), who).toBe(200);
      for (const who of ['manager2', 'leader2', 'agent2', 'agent3', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).get(`${base}/sessions/${s.id}`)), who).toBe(404);
    },
  },
  {
    route: `PATCH ${base}/sessions/:id`,
    proves: 'the leader and a manager above reschedule; the agent 403; other branches and organization B 404',
    async check(f) {
      const s = await scheduleFor(f, 'agent1', 7);
      expect(await statusOf(f.as('leader1').patch(`${base}/sessions/${s.id}`, { discussionNotes: 'Bring the QA form' }))).toBe(200);
      expect(await statusOf(f.as('manager1').patch(`${base}/sessions/${s.id}`, { plannedMinutes: 45 }))).toBe(200);
      expect(await statusOf(f.as('agent1').patch(`${base}/sessions/${s.id}`, { plannedMinutes: 20 }))).toBe(403);
      for (const who of ['manager2', 'leader2', 'agent2', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).patch(`${base}/sessions/${s.id}`, { plannedMinutes: 20 })), who).toBe(404);
    },
  },
  {
    route: `POST ${base}/sessions/:id/start`,
    proves: 'only the leader side starts a session; the agent 403; other branches and organization B 404',
    async check(f) {
      const s = await scheduleFor(f, 'agent2', 8);
      expect(await statusOf(f.as('agent2').post(`${base}/sessions/${s.id}/start`))).toBe(403);
      for (const who of ['leader2', 'manager2', 'agent1', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).post(`${base}/sessions/${s.id}/start`)), who).toBe(404);
      const started = await f.as('leader1').post(`${base}/sessions/${s.id}/start`);
      expect(started.statusCode, started.body).toBe(200);
      expect(started.json().status).toBe('IN_PROGRESS');
    },
  },
  {
    route: `POST ${base}/sessions/:id/complete`,
    proves: 'a manager above records a session; the agent 403; another branch and organization B 404',
    async check(f) {
      const s = await scheduleFor(f, 'agent1', 9, { past: true });
      expect(await statusOf(f.as('agent1').post(`${base}/sessions/${s.id}/complete`, {}))).toBe(403);
      for (const who of ['leader2', 'manager2', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).post(`${base}/sessions/${s.id}/complete`, {})), who).toBe(404);
      const done = await f.as('manager1').post(`${base}/sessions/${s.id}/complete`, { topicsCovered: ['Greeting'], overallEffectiveness: 3 });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json().session.status).toBe('COMPLETED');
    },
  },
  {
    route: `POST ${base}/sessions/:id/cancel`,
    proves: 'the leader cancels with a reason; the agent 403; other branches and organization B 404',
    async check(f) {
      const s = await scheduleFor(f, 'agent1', 10);
      expect(await statusOf(f.as('agent1').post(`${base}/sessions/${s.id}/cancel`, { reason: 'x' }))).toBe(403);
      for (const who of ['leader2', 'manager2', 'agent2', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).post(`${base}/sessions/${s.id}/cancel`, { reason: 'x' })), who).toBe(404);
      expect(await statusOf(f.as('leader1').post(`${base}/sessions/${s.id}/cancel`, { reason: 'Team meeting' }))).toBe(200);
    },
  },
  {
    route: `POST ${base}/sessions/:id/no-show`,
    proves: 'the admin records a no-show; the agent 403; other branches and organization B 404',
    async check(f) {
      const s = await scheduleFor(f, 'agent2', 11, { past: true });
      expect(await statusOf(f.as('agent2').post(`${base}/sessions/${s.id}/no-show`, { reason: 'x' }))).toBe(403);
      for (const who of ['leader2', 'manager2', 'agent1', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).post(`${base}/sessions/${s.id}/no-show`, { reason: 'x' })), who).toBe(404);
      const ok = await f.as('admin').post(`${base}/sessions/${s.id}/no-show`, { reason: 'Called in sick' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().status).toBe('NO_SHOW');
    },
  },
  {
    route: `POST ${base}/sessions/:id/prep`,
    proves: 'the leader regenerates prep; the agent 403; other branches and organization B 404',
    async check(f) {
      const s = await scheduleFor(f, 'agent1', 12);
      const prep = await f.as('leader1').post(`${base}/sessions/${s.id}/prep`);
      expect(prep.statusCode, prep.body).toBe(200);
      expect(prep.json().prepData.agentId).toBe(f.people.agent1.id);
      expect(await statusOf(f.as('agent1').post(`${base}/sessions/${s.id}/prep`))).toBe(403);
      for (const who of ['leader2', 'manager2', 'leaderB'] as Persona[]) expect(await statusOf(f.as(who).post(`${base}/sessions/${s.id}/prep`)), who).toBe(404);
    },
  },
  {
    route: `GET ${base}/availability`,
    proves: 'the leader and managers above see free slots for their agent; the agent 403; other branches and organization B 404',
    async check(f) {
      const url = `${base}/availability?agentId=${f.people.agent2.id}&date=2026-06-03`;
      const ok = await f.as('leader1').get(url);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().agent.timezone).toBe('Europe/Berlin');
      expect(ok.json().slots.length).toBeGreaterThan(0);
      expect(await statusOf(f.as('manager1').get(url))).toBe(200);
      expect(await statusOf(f.as('agent2').get(url))).toBe(403);
      for (const who of ['leader2', 'manager2', 'agent1', 'leaderB'] as Persona[]) expect(await statusOf(f.as(who).get(url)), who).toBe(404);
    },
  },
  {
    route: `GET ${base}/notes`,
    proves: 'leaders see notes of their branch; an agent only the positive notes about themself; organization B none',
    async check(f) {
      const coaching = await noteFor(f, 'agent1', 'COACHING');
      const positive = await noteFor(f, 'agent1', 'POSITIVE');
      const other = await noteFor(f, 'agent3', 'COACHING', 'leader2');
      const ids = async (who: Persona, query = '') => ((await f.as(who).get(`${base}/notes${query}`)).json().items as { id: string }[]).map((n) => n.id);
      expect(await ids('leader1')).toEqual(expect.arrayContaining([coaching.id, positive.id]));
      expect(await ids('leader1')).not.toContain(other.id);
      expect(await ids('manager1')).toEqual(expect.arrayContaining([coaching.id, positive.id]));
      expect(await ids('manager2')).toContain(other.id);
      expect(await ids('manager2')).not.toContain(coaching.id);
      expect(await ids('admin')).toEqual(expect.arrayContaining([coaching.id, other.id]));
      const agentSees = await ids('agent1');
      expect(agentSees).toContain(positive.id);
      expect(agentSees).not.toContain(coaching.id);
      expect(await ids('agent2')).not.toContain(positive.id);
      expect(await ids('leaderB')).toEqual([]);
      expect(await statusOf(f.as('leader2').get(`${base}/notes?agentId=${f.people.agent1.id}`))).toBe(404);
    },
  },
  {
    route: `POST ${base}/notes`,
    proves: 'the leader, a manager above and an admin write notes; the agent 403; other branches and organization B 404',
    async check(f) {
      await noteFor(f, 'agent4', 'GENERAL', 'leader1');
      await noteFor(f, 'agent4', 'GENERAL', 'manager1');
      await noteFor(f, 'agent4', 'GENERAL', 'admin');
      const body = { agentId: f.people.agent1.id, noteType: 'POSITIVE', content: 'Self praise' };
      expect(await statusOf(f.as('agent1').post(`${base}/notes`, body))).toBe(403);
      for (const who of ['leader2', 'manager2', 'agent2', 'leaderB'] as Persona[]) expect(await statusOf(f.as(who).post(`${base}/notes`, body)), who).toBe(404);
    },
  },
  {
    route: `PATCH ${base}/notes/:id`,
    proves: 'the leader marks a note addressed; the agent cannot (404 for a private note, 403 for a positive one); other branches 404',
    async check(f) {
      const note = await noteFor(f, 'agent1', 'COACHING');
      const positive = await noteFor(f, 'agent1', 'POSITIVE');
      const ok = await f.as('leader1').patch(`${base}/notes/${note.id}`, { addressed: true, addressedNotes: 'Discussed' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ addressed: true, addressedNotes: 'Discussed' });
      expect(await statusOf(f.as('agent1').patch(`${base}/notes/${note.id}`, { addressed: false }))).toBe(404);
      expect(await statusOf(f.as('agent1').patch(`${base}/notes/${positive.id}`, { addressed: true }))).toBe(403);
      for (const who of ['leader2', 'manager2', 'agent2', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).patch(`${base}/notes/${note.id}`, { addressed: false })), who).toBe(404);
    },
  },
  {
    route: `GET ${base}/action-items`,
    proves: 'each persona lists only items of their branch; an agent only their own; organization B none',
    async check(f) {
      const mine = await itemFor(f, 'agent1');
      const other = await itemFor(f, 'agent3', 'leader2');
      const ids = async (who: Persona) => ((await f.as(who).get(`${base}/action-items`)).json().items as { id: string }[]).map((i) => i.id);
      expect(await ids('leader1')).toContain(mine.id);
      expect(await ids('leader1')).not.toContain(other.id);
      expect(await ids('manager1')).toContain(mine.id);
      expect(await ids('manager2')).toContain(other.id);
      expect(await ids('manager2')).not.toContain(mine.id);
      expect(await ids('admin')).toEqual(expect.arrayContaining([mine.id, other.id]));
      expect(await ids('agent1')).toContain(mine.id);
      expect(await ids('agent2')).not.toContain(mine.id);
      expect(await ids('leaderB')).toEqual([]);
      expect(await statusOf(f.as('leaderB').get(`${base}/action-items?agentId=${f.people.agent1.id}`))).toBe(404);
    },
  },
  {
    route: `POST ${base}/action-items`,
    proves: 'the leader, a manager above and an admin assign items; the agent 403; other branches and organization B 404',
    async check(f) {
      await itemFor(f, 'agent4', 'leader1');
      await itemFor(f, 'agent4', 'manager1');
      await itemFor(f, 'agent4', 'admin');
      const body = { agentId: f.people.agent2.id, title: 'x', description: 'y', dueDate: '2099-01-01' };
      expect(await statusOf(f.as('agent2').post(`${base}/action-items`, body))).toBe(403);
      for (const who of ['leader2', 'manager2', 'agent1', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).post(`${base}/action-items`, body)), who).toBe(404);
    },
  },
  {
    route: `GET ${base}/action-items/:id`,
    proves: 'the item reads for its agent and their branch; 404 elsewhere',
    async check(f) {
      const item = await itemFor(f, 'agent2');
      for (const who of ['admin', 'manager1', 'leader1', 'agent2'] as Persona[])
        expect(await statusOf(f.as(who).get(`${base}/action-items/${item.id}`)), who).toBe(200);
      for (const who of ['manager2', 'leader2', 'agent1', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).get(`${base}/action-items/${item.id}`)), who).toBe(404);
    },
  },
  {
    route: `PATCH ${base}/action-items/:id`,
    proves: 'the agent updates progress on their own item but not its due date (403); the leader edits; others 404',
    async check(f) {
      const item = await itemFor(f, 'agent1');
      const progress = await f.as('agent1').patch(`${base}/action-items/${item.id}`, { progressPercentage: 40, blockers: 'Waiting for a QA slot' });
      expect(progress.statusCode, progress.body).toBe(200);
      expect(progress.json()).toMatchObject({ progressPercentage: 40, blockers: 'Waiting for a QA slot', status: 'IN_PROGRESS' });
      expect(await statusOf(f.as('agent1').patch(`${base}/action-items/${item.id}`, { dueDate: '2099-12-31' }))).toBe(403);
      expect(await statusOf(f.as('leader1').patch(`${base}/action-items/${item.id}`, { dueDate: '2099-02-28' }))).toBe(200);
      for (const who of ['leader2', 'manager2', 'agent2', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).patch(`${base}/action-items/${item.id}`, { progressPercentage: 10 })), who).toBe(404);
    },
  },
  {
    route: `POST ${base}/action-items/:id/verify`,
    proves: 'a manager above verifies a completed item; the agent 403; other branches and organization B 404',
    async check(f) {
      const item = await itemFor(f, 'agent2');
      expect(await statusOf(f.as('agent2').patch(`${base}/action-items/${item.id}`, { status: 'COMPLETED', completionNotes: 'Done' }))).toBe(200);
      expect(await statusOf(f.as('agent2').post(`${base}/action-items/${item.id}/verify`))).toBe(403);
      for (const who of ['leader2', 'manager2', 'agent1', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).post(`${base}/action-items/${item.id}/verify`)), who).toBe(404);
      const ok = await f.as('manager1').post(`${base}/action-items/${item.id}/verify`, { notes: 'Checked on the floor' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().verifiedBy).toBe(f.people.manager1.id);
    },
  },
  {
    route: `GET ${base}/notifications`,
    proves: 'everyone reads only their own inbox',
    async check(f) {
      for (const who of ['admin', 'leader1', 'agent1', 'leaderB'] as Persona[]) {
        const response = await f.as(who).get(`${base}/notifications`);
        expect(response.statusCode, who).toBe(200);
        const items = response.json().items as { id: string }[];
        const recipients = items.length
          ? await f.t.database.query<{ recipient_id: string }>(`select distinct recipient_id from coaching.notifications where id = any($1::uuid[])`, [
              items.map((i) => i.id),
            ])
          : [];
        expect(recipients.map((r) => r.recipient_id).every((id) => id === f.people[who].id)).toBe(true);
      }
    },
  },
  {
    route: `POST ${base}/notifications/:id/read`,
    proves: 'a person marks their own notification read; anyone else (their leader included) gets 404',
    async check(f) {
      const [row] = await f.t.database.query<{ id: string }>(
        `insert into coaching.notifications (organization_id, recipient_id, kind, title, dedup_key)
         values ($1, $2, 'ACTION_ITEM_REMINDER', 'Reminder: practise the greeting', $3) returning id`,
        [f.people.agent1.organizationId, f.people.agent1.id, `visibility-case:${f.people.agent1.id}`],
      );
      for (const who of ['leader1', 'manager1', 'admin', 'agent2', 'leaderB'] as Persona[])
        expect(await statusOf(f.as(who).post(`${base}/notifications/${row.id}/read`)), who).toBe(404);
      const ok = await f.as('agent1').post(`${base}/notifications/${row.id}/read`);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().readAt).not.toBeNull();
      expect(await statusOf(f.as('agent1').post(`${base}/notifications/${unknownId}/read`))).toBe(404);
    },
  },
];
