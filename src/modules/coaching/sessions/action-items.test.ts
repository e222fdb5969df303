import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import type { Db } from '../../../core/db/connection.js';
import { createLogger } from '../../../core/logger.js';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { coachingModule } from '../index.js';
import { actionItemRemindersJobName, markOverdueActionItemsJobName } from '../shared/job-names.js';
import { createHierarchyFixture, type HierarchyFixture } from '../testing/hierarchy-fixture.js';
import { sessionsJobs } from './jobs.js';
import { addDays } from './time.js';

// The seed's overdue trigger compares due_date with the database's real CURRENT_DATE, not with the test clock. So that
// it never fires early on this timeline, the fixed clock starts on 2 March two years after the real date: every due
// date below is in the database's future, and only the job (which reads the clock) can turn items overdue.
const year = new Date().getUTCFullYear() + 2;
const day0 = `${year}-03-02`;
const d = (n: number) => addDays(day0, n);

let t: TestApp;
let f: HierarchyFixture;
let ctx: ServiceContext;
beforeAll(async () => {
  t = await createTestApp({ modules: [coachingModule.descriptor] });
  t.clock.set(`${day0}T14:00:00Z`); // 09:00 in New York (organization A's zone)
  f = await createHierarchyFixture(t);
  ctx = {
    db: t.database.db as Db,
    organization: { id: t.orgA.id, slug: t.orgA.slug, name: t.orgA.name, timezone: t.orgA.timezone },
    actor: systemActor('test'),
    role: 'system',
    clock: t.clock,
    log: createLogger('silent'),
  };
}, 120_000);
afterAll(async () => t?.close());

const job = (name: string) => sessionsJobs.find((j) => j.name === name)!;
const runJob = (name: string) =>
  job(name).run(
    {
      database: t.database,
      db: t.database.db,
      organization: ctx.organization,
      clock: t.clock,
      log: createLogger('silent'),
      jobName: name,
      jobId: '00000000-0000-4000-8000-000000000001',
      attempt: 1,
      maxAttempts: 3,
      workerId: 'test',
      signal: new AbortController().signal,
      enqueue: async () => 'x',
    },
    { organizationId: t.orgA.id },
  );
const item = async (agent: 'agent1' | 'agent2', body: Record<string, unknown>) => {
  const response = await f.as('leader1').post('/api/coaching/action-items', { agentId: f.people[agent].id, description: 'Do it', ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; status: string };
};
const statuses = async () =>
  Object.fromEntries(
    (await t.database.query<{ title: string; status: string }>(`select title, status from coaching.action_items where organization_id = $1`, [t.orgA.id])).map(
      (r) => [r.title, r.status],
    ),
  );
const notifications = () =>
  t.database.query<{ kind: string; recipient_id: string; subject_id: string }>(
    `select kind, recipient_id, subject_id from coaching.notifications where organization_id = $1 order by kind, recipient_id`,
    [t.orgA.id],
  );

describe('action items on a timeline (organization A in New York)', () => {
  let a: { id: string };
  let done: { id: string };
  it('day 0: creates items; the reminder due today goes out once, nothing is overdue', async () => {
    a = await item('agent1', { title: 'A: shadow a senior', dueDate: d(1), reminderDate: d(1) });
    await item('agent1', { title: 'B: read the refund guide', dueDate: d(3) });
    done = await item('agent1', { title: 'C: update the CRM notes', dueDate: d(1) });
    await item('agent2', { title: 'D: QA self-review', dueDate: d(2), reminderDate: d(0) });
    const completed = await f.as('agent1').patch(`/api/coaching/action-items/${done.id}`, { status: 'COMPLETED', completionNotes: 'All updated' });
    expect(completed.json()).toMatchObject({ status: 'COMPLETED', progressPercentage: 100 });

    expect(await runJob(actionItemRemindersJobName)).toEqual({ date: d(0), reminders: 1, overdueNotices: 0 });
    expect(await runJob(actionItemRemindersJobName)).toEqual({ date: d(0), reminders: 0, overdueNotices: 0 });
    expect(await notifications()).toEqual([{ kind: 'ACTION_ITEM_REMINDER', recipient_id: f.people.agent2.id, subject_id: expect.any(String) }]);
    expect(await runJob(markOverdueActionItemsJobName)).toMatchObject({ date: d(0), markedOverdue: 0 });
  });

  it('day 1, 23:30 in New York (04:30 UTC on day 2): still day 1 locally, nothing overdue; A’s reminder went out', async () => {
    t.clock.set(`${d(1)}T12:00:00Z`);
    expect(await runJob(actionItemRemindersJobName)).toMatchObject({ reminders: 1 });
    t.clock.set(`${d(2)}T04:30:00Z`);
    expect(await runJob(markOverdueActionItemsJobName)).toEqual({ date: d(1), markedOverdue: 0, notificationsWritten: 0 });
    expect((await statuses())['A: shadow a senior']).toBe('PENDING');
  });

  it('day 2, 00:10 in New York: A turns overdue (not B, not the completed C, not D due today); agent and leader hear once', async () => {
    t.clock.set(`${d(2)}T05:10:00Z`);
    expect(await runJob(markOverdueActionItemsJobName)).toEqual({ date: d(2), markedOverdue: 1, notificationsWritten: 2 });
    expect(await statuses()).toEqual({
      'A: shadow a senior': 'OVERDUE',
      'B: read the refund guide': 'PENDING',
      'C: update the CRM notes': 'COMPLETED',
      'D: QA self-review': 'PENDING',
    });
    expect(await runJob(markOverdueActionItemsJobName)).toEqual({ date: d(2), markedOverdue: 0, notificationsWritten: 0 });
    expect(await runJob(actionItemRemindersJobName)).toMatchObject({ reminders: 0, overdueNotices: 0 });
    const overdue = (await notifications()).filter((n) => n.kind === 'ACTION_ITEM_OVERDUE');
    expect(overdue.map((n) => n.recipient_id).sort()).toEqual([f.people.agent1.id, f.people.leader1.id].sort());
    expect(overdue.every((n) => n.subject_id === a.id)).toBe(true);
    const list = await f.as('leader1').get(`/api/coaching/action-items?agentId=${f.people.agent1.id}&due=overdue`);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([a.id]);
  });

  it('the agent reads the overdue notice in their inbox (unread first) and marks it read', async () => {
    const inbox = (await f.as('agent1').get('/api/coaching/notifications')).json();
    expect(inbox.unread).toBe(2);
    expect(inbox.items[0]).toMatchObject({ kind: expect.stringMatching(/ACTION_ITEM_(OVERDUE|REMINDER)/), readAt: null });
    const overdue = inbox.items.find((n: { kind: string }) => n.kind === 'ACTION_ITEM_OVERDUE');
    expect(overdue.title).toBe('Overdue: A: shadow a senior');
    expect((await f.as('agent1').post(`/api/coaching/notifications/${overdue.id}/read`)).statusCode).toBe(200);
    const after = (await f.as('agent1').get('/api/coaching/notifications')).json();
    expect(after.unread).toBe(1);
    expect(after.items.at(-1).id).toBe(overdue.id);
  });

  it('a later due date lifts OVERDUE; the agent’s progress moves it on; the leader verifies completion', async () => {
    const moved = await f.as('leader1').patch(`/api/coaching/action-items/${a.id}`, { dueDate: d(6) });
    expect(moved.json()).toMatchObject({ status: 'PENDING', overdue: false, dueDate: d(6) });
    const progress = await f.as('agent1').patch(`/api/coaching/action-items/${a.id}`, { progressPercentage: 50, progressNotes: 'One call shadowed' });
    expect(progress.json()).toMatchObject({ status: 'IN_PROGRESS', progressPercentage: 50 });
    const cancel = await f.as('agent1').patch(`/api/coaching/action-items/${a.id}`, { status: 'CANCELLED' });
    expect(cancel.statusCode).toBe(403);
    expect((await f.as('leader1').post(`/api/coaching/action-items/${a.id}/verify`)).statusCode).toBe(409);
    await f.as('agent1').patch(`/api/coaching/action-items/${a.id}`, { status: 'COMPLETED' });
    const verified = await f.as('leader1').post(`/api/coaching/action-items/${a.id}/verify`, {});
    expect(verified.json()).toMatchObject({ status: 'COMPLETED', verifiedBy: f.people.leader1.id, verificationDate: `${d(2)}T05:10:00.000Z` });
  });

  it('the seed’s trigger marks an item overdue on insert when its due date has already passed', async () => {
    const late = await item('agent2', { title: 'E: backdated', dueDate: '2020-01-31' });
    expect(late.status).toBe('OVERDUE');
  });

  it('refuses a reminder after the due date', async () => {
    const response = await f
      .as('leader1')
      .post('/api/coaching/action-items', { agentId: f.people.agent1.id, title: 'x', description: 'y', dueDate: d(5), reminderDate: d(6) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/reminder .* comes after the due date/);
  });
});
