import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../src/core/testing/test-app.js';
import { logins, one, pageErrors, rows, shot, signedInPage, startCoachingBrowserApp, stopCoachingBrowserApp } from './coaching-harness.js';

/**
 * The team leader's coaching pages in Chromium, on the coaching demo: sessions (list, week, prep with citations,
 * scheduling with a double-booking refusal), quick notes, the action-item board, the plan tracker and the
 * effectiveness report. Sam Staff (staff@retailops.demo) leads a team; Morgan Manager (manager@…) sits above.
 */
let t: TestApp;
let baseUrl: string;
/** Sam Staff's coaching person id. */
let samId: string;

beforeAll(async () => {
  ({ t, baseUrl } = await startCoachingBrowserApp());
  samId = (await one<{ id: string }>(`select id from coaching.users where organization_id = $1 and name = 'Sam Staff'`, [t.orgA.id])).id;
}, 600_000);

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(stopCoachingBrowserApp);

/** Picks an option of a Mantine Select by typing part of its label. */
async function choose(page: Page, testId: string, text: string) {
  const input = page.getByTestId(testId);
  await input.click();
  await input.fill(text);
  await page
    .getByRole('option', { name: new RegExp(text) })
    .first()
    .click();
}

/** Local date and HH:MM of an instant in a zone. */
function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

describe('coaching sessions, notes, action items, plans and effectiveness in Chromium', () => {
  it("lists Sam's sessions, opens an upcoming one's prep with citations, and refuses a double booking", async () => {
    const open = await rows<{ id: string; agent_id: string; agent_name: string; scheduled_date: Date; has_prep: boolean }>(
      `select s.id, s.agent_id, a.name as agent_name, s.scheduled_date, s.prep_data is not null as has_prep
         from coaching.coaching_sessions s join coaching.users a on a.id = s.agent_id
        where s.organization_id = $1 and s.team_leader_id = $2 and s.status in ('SCHEDULED', 'IN_PROGRESS')
        order by s.scheduled_date`,
      [t.orgA.id, samId],
    );
    const total = await one<{ n: string }>(`select count(*) as n from coaching.coaching_sessions where organization_id = $1 and team_leader_id = $2`, [
      t.orgA.id,
      samId,
    ]);
    expect(open.length).toBeGreaterThan(0);

    const page = await signedInPage(logins.staff);
    await page.goto(`${baseUrl}/coaching`);
    await page.getByTestId('nav-co-sessions').click();
    await page.getByTestId('co-sessions-upcoming').getByTestId('co-session-row').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('co-sessions-upcoming').getByTestId('co-session-row').count()).toBe(open.length);
    // Sam sees only the sessions of the own team (12 past ones until "Show all").
    const pastShown = await page.getByTestId('co-sessions-past').getByTestId('co-session-row').count();
    expect(pastShown).toBe(Math.min(12, Number(total.n) - open.length));
    expect(await page.getByTestId('co-sessions-upcoming').getByTestId('co-session-row').first().textContent()).toContain(open[0].agent_name);
    await shot(page, 'sessions-list');

    await page.getByTestId('co-sessions-view').getByText('Week').click();
    await page.getByTestId('co-sessions-week').waitFor();
    await shot(page, 'sessions-week');

    // The next session with a prep: every section there, points cited, a metric citation opens the agent's scorecard.
    const next = open.find((s) => s.has_prep) ?? open[0];
    await page.goto(`${baseUrl}/coaching/sessions/${next.id}`);
    await page.getByTestId('co-prep').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('co-session-page').getAttribute('data-status')).toBe('SCHEDULED');
    expect(await page.locator('h1').textContent()).toContain(next.agent_name);
    for (const section of ['co-prep-topics', 'co-prep-weakest', 'co-prep-last-time', 'co-prep-notes', 'co-prep-overdue', 'co-prep-snapshot']) {
      await page.getByTestId(section).waitFor();
    }
    const citations = page.getByTestId('co-citation');
    expect(await citations.count()).toBeGreaterThan(3);
    const types = new Set(await citations.evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-citation-type'))));
    expect(types.has('metric')).toBe(true);
    expect(await page.getByTestId('co-prep-weakest').getByTestId('co-citation').count()).toBeGreaterThan(0);
    await shot(page, 'sessions-prep');
    await page.getByTestId('co-prep-weakest').locator('[data-citation-type="metric"]').first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/coaching/agents/${next.agent_id}`);

    // Scheduling the same agent at the same time is refused with the API's message.
    const agentZone = (await one<{ timezone: string }>('select timezone from coaching.users where id = $1', [next.agent_id])).timezone;
    const samZone = (await one<{ timezone: string }>('select timezone from coaching.users where id = $1', [samId])).timezone;
    const clash = localParts(new Date(next.scheduled_date), samZone);
    await page.goto(`${baseUrl}/coaching/sessions?agentId=${next.agent_id}&schedule=1`);
    await page.getByTestId('co-schedule-form').waitFor({ timeout: 20_000 });
    await page.getByTestId('co-schedule-date').fill(clash.date);
    await page.getByTestId('co-schedule-time').fill(clash.time);
    await page.getByTestId('co-schedule-preview').waitFor();
    // Both zones shown: the leader's and the agent's reading of the same start.
    const preview = await page.getByTestId('co-schedule-preview').textContent();
    expect(preview).toContain('You:');
    expect(preview).toContain(next.agent_name);
    expect(agentZone).toBeTruthy();
    await page.getByTestId('co-schedule-slots').waitFor();
    const before = await one<{ n: string }>('select count(*) as n from coaching.coaching_sessions where organization_id = $1', [t.orgA.id]);
    await page.getByTestId('co-schedule-submit').click();
    await page.getByTestId('co-schedule-error').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('co-schedule-error').textContent()).toMatch(/already booked/i);
    expect((await one<{ n: string }>('select count(*) as n from coaching.coaching_sessions where organization_id = $1', [t.orgA.id])).n).toBe(before.n);
    await shot(page, 'sessions-schedule-conflict');

    // A free slot from the availability is accepted and opens the new session.
    const slots = page.getByTestId('co-schedule-slot');
    if ((await slots.count()) === 0) {
      // No common slot that day: try the next day.
      const nextDay = new Date(`${clash.date}T12:00:00Z`);
      nextDay.setUTCDate(nextDay.getUTCDate() + 1);
      await page.getByTestId('co-schedule-date').fill(nextDay.toISOString().slice(0, 10));
    }
    await slots.first().waitFor({ timeout: 15_000 });
    await slots.first().click();
    await page.getByTestId('co-schedule-submit').click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 15_000 }).not.toBe('/coaching/sessions');
    const newId = new URL(page.url()).pathname.split('/').at(-1)!;
    const created = await one<{ agent_id: string; team_leader_id: string; status: string }>(
      'select agent_id, team_leader_id, status from coaching.coaching_sessions where id = $1',
      [newId],
    );
    expect(created).toEqual({ agent_id: next.agent_id, team_leader_id: samId, status: 'SCHEDULED' });
    await page.getByTestId('co-session-page').waitFor({ timeout: 15_000 });

    // Run and record it: notes, issue + method (starts the effectiveness measurement), one action item.
    await page.getByTestId('co-session-start').click();
    await expect.poll(() => page.getByTestId('co-session-page').getAttribute('data-status'), { timeout: 15_000 }).toBe('IN_PROGRESS');
    await page.getByTestId('co-record-notes').fill('Walked through three long calls; the hold-and-summarise flow cuts the wrap-up.');
    await page.getByTestId('co-record-commitments').fill('Use the summary template on every call this week.');
    await page.getByTestId('co-record-issue').fill('AHT');
    await page.getByTestId('co-record-method').fill('Role-play');
    await page.getByTestId('co-record-add-item').click();
    await page.getByTestId('co-record-item-title').fill('Use the summary template');
    const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('co-record-item-due').fill(due);
    // Four stars: a real click on the fourth star's label (the radio inputs are visually hidden).
    const fourStars = await page.getByTestId('co-record-overallEffectiveness').locator('input[value="4"]').getAttribute('id');
    await page.locator(`label[for="${fourStars}"]`).click();
    await shot(page, 'sessions-record');
    await page.getByTestId('co-record-complete').click();
    await expect.poll(() => page.getByTestId('co-session-page').getAttribute('data-status'), { timeout: 15_000 }).toBe('COMPLETED');
    await page.getByTestId('co-session-outcome').waitFor();
    const recorded = await one<{ status: string; overall_effectiveness: number; agent_commitments: string }>(
      'select status, overall_effectiveness, agent_commitments from coaching.coaching_sessions where id = $1',
      [newId],
    );
    expect(recorded).toEqual({ status: 'COMPLETED', overall_effectiveness: 4, agent_commitments: 'Use the summary template on every call this week.' });
    const tracked = await one<{ primary_issue: string; intervention_method: string }>(
      'select primary_issue, intervention_method from coaching.coaching_effectiveness where session_id = $1',
      [newId],
    );
    expect(tracked).toEqual({ primary_issue: 'AHT', intervention_method: 'Role-play' });
    const createdItem = await one<{ title: string; due_date: string }>(
      "select title, to_char(due_date, 'YYYY-MM-DD') as due_date from coaching.action_items where session_id = $1",
      [newId],
    );
    expect(createdItem).toEqual({ title: 'Use the summary template', due_date: due });
    await expect.poll(() => page.getByTestId('co-session-items').textContent()).toContain('Use the summary template');
    await shot(page, 'sessions-completed');
    await page.close();
  }, 180_000);

  it('captures a quick note with Enter, marks it addressed, and moves an action item on the board', async () => {
    const agent = await one<{ id: string; name: string }>(
      `select id, name from coaching.users where organization_id = $1 and team_leader_id = $2 and deleted_at is null order by name limit 1`,
      [t.orgA.id, samId],
    );
    const page = await signedInPage(logins.staff);
    await page.goto(`${baseUrl}/coaching/notes`);
    await page.getByTestId('co-note-capture').waitFor({ timeout: 20_000 });
    await choose(page, 'co-note-agent', agent.name);
    await page.getByTestId('co-note-type').getByText('Positive').click();
    const text = 'Calmed an angry caller at 10:40 without escalating';
    await page.getByTestId('co-note-content').fill(text);
    await page.getByTestId('co-note-content').press('Enter');
    await page.getByTestId('co-note-saved').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('co-note-content').inputValue()).toBe('');
    const row = page.getByTestId('co-note-row').filter({ hasText: text });
    await row.waitFor({ timeout: 15_000 });
    const saved = await one<{ id: string; agent_id: string; note_type: string; addressed: boolean }>(
      'select id, agent_id, note_type, addressed from coaching.quick_notes where content = $1',
      [text],
    );
    expect(saved).toMatchObject({ agent_id: agent.id, note_type: 'POSITIVE', addressed: false });
    await shot(page, 'notes');
    await row.getByTestId('co-note-mark-addressed').click();
    await expect
      .poll(async () => (await one<{ addressed: boolean }>('select addressed from coaching.quick_notes where id = $1', [saved.id])).addressed)
      .toBe(true);
    await expect.poll(() => page.getByTestId('co-note-row').filter({ hasText: text }).count()).toBe(0);
    await page.close();

    // The board: one open, not-overdue item moves from Pending to In progress.
    const item = await one<{ id: string; title: string }>(
      `select i.id, i.title from coaching.action_items i join coaching.users a on a.id = i.agent_id
        where i.organization_id = $1 and a.team_leader_id = $2 and i.status = 'PENDING' and i.due_date >= (now() at time zone 'America/New_York')::date
        order by i.due_date limit 1`,
      [t.orgA.id, samId],
    );
    expect(item?.id).toBeTruthy();
    const board = await signedInPage(logins.staff);
    await board.goto(`${baseUrl}/coaching/action-items`);
    await board.getByTestId('co-items-board').waitFor({ timeout: 20_000 });
    const card = board.locator(`[data-testid="co-item-card"][data-item-id="${item.id}"]`);
    expect(await card.getAttribute('data-status')).toBe('PENDING');
    expect(await board.getByTestId('co-items-column-PENDING').locator(`[data-item-id="${item.id}"]`).count()).toBe(1);
    const overdueCards = await board.getByTestId('co-items-column-OVERDUE').getByTestId('co-item-card').count();
    if (overdueCards > 0)
      expect(await board.getByTestId('co-items-column-OVERDUE').getByTestId('co-item-late').first().textContent()).toMatch(/\d+ days? late/);
    await shot(board, 'action-items');
    await card.getByTestId('co-item-move').click();
    await board.getByTestId('co-item-move-IN_PROGRESS').click();
    await board.getByTestId('co-items-column-IN_PROGRESS').locator(`[data-item-id="${item.id}"]`).waitFor({ timeout: 15_000 });
    expect((await one<{ status: string }>('select status from coaching.action_items where id = $1', [item.id])).status).toBe('IN_PROGRESS');
    await board.close();
  }, 120_000);

  it('shows the plans and a plan tracker with targets and criteria per check-in', async () => {
    const plans = await rows<{ id: string; status: string; agent: string; leader: string }>(
      `select p.id, p.status, a.name as agent, l.name as leader from coaching.action_plans p
         join coaching.users a on a.id = p.agent_id left join coaching.users l on l.id = a.team_leader_id
        where p.organization_id = $1 order by p.start_date`,
      [t.orgA.id],
    );
    expect(plans.length).toBeGreaterThan(0);
    // The admin sees every plan of the organization; the running one is the tracker to check.
    const page = await signedInPage(logins.admin);
    await page.goto(`${baseUrl}/coaching/plans`);
    await page.getByTestId('co-plans-table').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('co-plan-row').count()).toBe(plans.length);
    await shot(page, 'plans-list');
    const running = plans.find((p) => p.status === 'ACTIVE' || p.status === 'EXTENDED') ?? plans[plans.length - 1];
    await page.goto(`${baseUrl}/coaching/plans/${running.id}`);
    await page.getByTestId('co-plan-targets').waitFor({ timeout: 20_000 });
    expect(await page.locator('h1').textContent()).toContain(running.agent);
    expect(await page.getByTestId('co-plan-target-row').count()).toBeGreaterThan(0);
    await page.getByTestId('co-plan-criteria').waitFor();
    await page.getByTestId('co-plan-timeline').waitFor();
    await shot(page, 'plans-tracker');
    if (running.status === 'ACTIVE' || running.status === 'EXTENDED') {
      const before = (await one<{ n: number }>('select jsonb_array_length(progress_updates) as n from coaching.action_plans where id = $1', [running.id])).n;
      await page.getByTestId('co-plan-check-in').click();
      await expect
        .poll(
          async () => (await one<{ n: number }>('select jsonb_array_length(progress_updates) as n from coaching.action_plans where id = $1', [running.id])).n,
        )
        .toBe(before + 1);
      await expect.poll(() => page.getByTestId('co-plan-timeline-check-in').count()).toBeGreaterThan(0);
    }
    const closed = plans.find((p) => p.status === 'COMPLETED' || p.status === 'FAILED');
    if (closed) {
      await page.goto(`${baseUrl}/coaching/plans/${closed.id}`);
      await page.getByTestId('co-plan-criteria').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('co-plan-criterion-cell').count()).toBeGreaterThan(0);
      await shot(page, `plans-tracker-${closed.status.toLowerCase()}`);
    }
    await page.close();
  }, 120_000);

  it('shows the effectiveness report per issue and method with the difference-in-differences explained', async () => {
    const page = await signedInPage(logins.admin);
    await page.goto(`${baseUrl}/coaching/effectiveness`);
    await page.getByTestId('co-eff-did-explainer').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="co-eff-summary"], [data-testid="co-eff-empty"]').first().waitFor({ timeout: 20_000 });
    const records = await one<{ n: string }>('select count(*) as n from coaching.coaching_effectiveness where organization_id = $1', [t.orgA.id]);
    expect(Number(records.n)).toBeGreaterThan(0);
    const groups = await rows<{ issue: string; method: string }>(
      `select distinct lower(trim(primary_issue)) as issue, lower(trim(intervention_method)) as method from coaching.coaching_effectiveness where organization_id = $1`,
      [t.orgA.id],
    );
    expect(await page.getByTestId('co-eff-summary-row').count()).toBe(groups.length);
    // The measured sessions first, 20 of them until "Show all"; then every record, still measuring included.
    const evaluated = Number(
      (
        await one<{ n: string }>('select count(*) as n from coaching.coaching_effectiveness where organization_id = $1 and metrics_after is not null', [
          t.orgA.id,
        ])
      ).n,
    );
    expect(evaluated).toBeGreaterThan(0);
    expect(await page.getByTestId('co-eff-record-row').count()).toBe(Math.min(20, evaluated));
    expect(await page.getByTestId('co-eff-summary-table').textContent()).toContain('Beyond peers (DiD)');
    expect(await page.getByTestId('co-eff-best-card').count()).toBeGreaterThan(0);
    await shot(page, 'effectiveness');
    if (evaluated > 20) {
      await page.getByTestId('co-eff-records-more').click();
      await expect.poll(() => page.getByTestId('co-eff-record-row').count()).toBe(evaluated);
    }
    await page.getByTestId('co-eff-records-status').getByText('All').click();
    await expect.poll(() => page.getByTestId('co-eff-record-row').count()).toBe(Number(records.n));
    await page.close();
  }, 60_000);

  it("tells a signed-in user without a coaching person why the pages are empty (the API's 403 message)", async () => {
    const page = await signedInPage(t.orgA.emails.staff);
    for (const [url, title] of [
      ['/coaching/sessions', 'Could not load the sessions'],
      ['/coaching/action-items', 'Could not load the action items'],
      ['/coaching/effectiveness', 'Could not load the effectiveness report'],
    ] as const) {
      await page.goto(`${baseUrl}${url}`);
      const alert = page.getByRole('alert').filter({ hasText: title });
      await alert.waitFor({ timeout: 20_000 });
      // The API's own sentence, not a generic failure.
      expect((await alert.textContent())!.replace(title, '').length).toBeGreaterThan(30);
    }
    await shot(page, 'sessions-no-access');
    await page.close();
  }, 60_000);
});
