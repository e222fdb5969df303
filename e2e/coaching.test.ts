import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../src/core/testing/test-app.js';
import {
  count,
  logins,
  one,
  pageErrors,
  repoRoot,
  screenshots,
  shot,
  signedInPage,
  startCoachingBrowserApp,
  stopCoachingBrowserApp,
} from './coaching-harness.js';

/** The team leader's, agent's and admin's coaching pages in Chromium on the coaching demo: team, scorecard, people, imports. */
const pwcCsv = path.resolve(repoRoot, '..', 'shared', 'data', 'pwc_call_center', 'call_center_pwc.csv');

const fmt1 = (value: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);

let t: TestApp;
let baseUrl: string;

beforeAll(async () => {
  ({ t, baseUrl } = await startCoachingBrowserApp());
}, 600_000);

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(stopCoachingBrowserApp);

describe('coaching in Chromium', () => {
  it('the team leader sees their team, who needs attention first, and opens an agent scorecard', async () => {
    const sam = await one<{ id: string }>(`select id from coaching.users where organization_id = $1 and name = 'Sam Staff'`, [t.orgA.id]);
    const teamSize = await count(`select count(*) as n from coaching.users where team_leader_id = $1 and deleted_at is null and role = 'AGENT'`, [sam.id]);
    expect(teamSize).toBeGreaterThan(5);

    const page = await signedInPage(logins.staff);
    await page.goto(`${baseUrl}/coaching`);
    await page.getByTestId('co-team-table').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('co-team-row').count()).toBe(teamSize);
    expect(await page.getByTestId('co-tile-agents-value').textContent()).toBe(String(teamSize));
    // A leader sees only their own team: no team picker.
    expect(await page.getByTestId('co-team-select').count()).toBe(0);
    // The first row's composite is the agent's latest daily composite.
    const firstId = await page.getByTestId('co-team-row').first().getAttribute('data-agent-id');
    const latest = await one<{ c: string | null; name: string }>(
      `select m.composite_score as c, u.name from coaching.performance_metrics m join coaching.users u on u.id = m.agent_id
        where m.agent_id = $1 order by m.metric_date desc limit 1`,
      [firstId],
    );
    expect(await page.getByTestId('co-team-row').first().textContent()).toContain(latest.name);
    if (latest.c !== null) expect(await page.getByTestId('co-team-row').first().getByTestId('co-team-composite').textContent()).toBe(fmt1(Number(latest.c)));
    await shot(page, 'team-leader');

    // The inbox: marking a notification read takes it off the list.
    const unread = await count(`select count(*) as n from coaching.notifications where recipient_id = $1 and read_at is null`, [sam.id]);
    if (unread > 0) {
      const shown = await page.getByTestId('co-notification').count();
      expect(shown).toBe(Math.min(unread, 5));
      await page.getByTestId('co-notification').first().getByRole('button', { name: 'Mark read' }).click();
      await expect
        .poll(() => count(`select count(*) as n from coaching.notifications where recipient_id = $1 and read_at is null`, [sam.id]), { timeout: 20_000 })
        .toBe(unread - 1);
    }

    // Row → scorecard.
    await page.getByTestId('co-team-row').first().click();
    await page.getByTestId('co-scorecard-page').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe(`/coaching/agents/${firstId}`);
    expect(await page.locator('h1').first().textContent()).toContain(latest.name);
    await page.locator('[data-testid="co-sc-chart"] .recharts-line').first().waitFor({ timeout: 20_000 });
    if (latest.c !== null) expect(await page.getByTestId('co-sc-composite-value').textContent()).toBe(fmt1(Number(latest.c)));
    await page.getByTestId('co-sc-movement-table').waitFor({ timeout: 20_000 });
    await shot(page, 'scorecard');

    // Weekly history.
    await page.getByTestId('co-sc-period').getByText('Week').click();
    await page.locator('[data-testid="co-sc-chart"] .recharts-line').first().waitFor({ timeout: 20_000 });
    const weeks = await count(`select count(*) as n from coaching.performance_history where agent_id = $1 and period_type = 'WEEK'`, [firstId]);
    expect(weeks).toBeGreaterThan(4);
    await page.getByTestId('co-sc-over-time').scrollIntoViewIfNeeded();
    await page.getByTestId('co-sc-over-time').screenshot({ path: path.join(screenshots, 'scorecard-weekly.png') });

    // A quick note goes to the API and shows as unaddressed.
    await page.getByTestId('co-note-content').fill('Great empathy on the refund call at 10:40 — ask to share it with the team.');
    await page.getByTestId('co-note-save').click();
    await expect
      .poll(() => count(`select count(*) as n from coaching.quick_notes where agent_id = $1 and content like 'Great empathy on the refund call%'`, [firstId]), {
        timeout: 20_000,
      })
      .toBe(1);
    await page.getByTestId('co-sc-notes').getByText('Great empathy on the refund call', { exact: false }).waitFor({ timeout: 20_000 });
    await page.close();
  }, 180_000);

  it('an agent sees only their own scorecard', async () => {
    const vic = await one<{ id: string }>(`select id from coaching.users where organization_id = $1 and name = 'Vic Viewer'`, [t.orgA.id]);
    const other = await one<{ id: string }>(
      `select id from coaching.users where organization_id = $1 and role = 'AGENT' and id <> $2 and deleted_at is null order by name limit 1`,
      [t.orgA.id, vic.id],
    );
    const page = await signedInPage(logins.viewer);
    await page.goto(`${baseUrl}/coaching`);
    await page.getByTestId('co-my-scorecard').click();
    await page.getByTestId('co-scorecard-page').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe(`/coaching/agents/${vic.id}`);
    expect(await page.locator('h1').first().textContent()).toContain('Vic Viewer');
    // Another agent's scorecard answers 404, shown as the API's message.
    await page.goto(`${baseUrl}/coaching/agents/${other.id}`);
    await page.getByTestId('co-scorecard-error').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('co-scorecard-error').textContent()).toMatch(/not found|no person/i);
    await page.close();
  }, 120_000);

  it('an admin compares the teams and switches to another one', async () => {
    const page = await signedInPage(logins.admin);
    await page.goto(`${baseUrl}/coaching`);
    await page.getByTestId('co-teams-compared').waitFor({ timeout: 30_000 });
    const teams = await count(`select count(*) as n from coaching.users where organization_id = $1 and role = 'TEAM_LEADER' and deleted_at is null`, [
      t.orgA.id,
    ]);
    expect(await page.getByTestId('co-teams-row').count()).toBe(teams);
    const other = await one<{ id: string; name: string }>(
      `select id, name from coaching.users where organization_id = $1 and role = 'TEAM_LEADER' and name = 'Marcus Chen'`,
      [t.orgA.id],
    );
    await page.getByTestId('co-teams-row').filter({ hasText: other.name }).click();
    await expect.poll(() => page.locator('h1').first().textContent(), { timeout: 20_000 }).toContain(other.name);
    const size = await count(`select count(*) as n from coaching.users where team_leader_id = $1 and deleted_at is null and role = 'AGENT'`, [other.id]);
    await expect.poll(() => page.getByTestId('co-team-row').count(), { timeout: 20_000 }).toBe(size);
    await shot(page, 'team-admin');
    await page.close();
  }, 120_000);

  it('an admin finds people in the hierarchy, adds an agent to a team, edits and deletes them', async () => {
    const page = await signedInPage(logins.admin);
    await page.goto(`${baseUrl}/coaching/people`);
    await page.getByTestId('co-people-table').waitFor({ timeout: 30_000 });
    const people = await count(`select count(*) as n from coaching.users where organization_id = $1 and deleted_at is null`, [t.orgA.id]);
    expect(await page.getByTestId('co-people-row').count()).toBe(people);
    expect(await page.getByTestId('co-people-tree').textContent()).toContain('Sam Staff');
    await shot(page, 'people');

    await page.getByTestId('co-person-new').click();
    await page.getByTestId('co-person-name').fill('Zed Newcomer');
    await page.getByTestId('co-person-employee-id').fill('E2E-001');
    await page.getByTestId('co-person-leader').click();
    await page.getByRole('option', { name: 'Sam Staff' }).click();
    await page.getByTestId('co-person-save').click();
    await expect
      .poll(() => count(`select count(*) as n from coaching.users where organization_id = $1 and name = 'Zed Newcomer' and deleted_at is null`, [t.orgA.id]), {
        timeout: 20_000,
      })
      .toBe(1);
    // A new agent has no metrics: the scorecard says what to do.
    const zed = await one<{ id: string }>(`select id from coaching.users where organization_id = $1 and employee_id = 'E2E-001'`, [t.orgA.id]);
    await page.goto(`${baseUrl}/coaching/agents/${zed.id}`);
    await page.getByTestId('co-scorecard-empty').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('co-scorecard-empty').textContent()).toContain('No metrics yet — import a file');
    await shot(page, 'scorecard-empty');
    await page.goto(`${baseUrl}/coaching/people`);
    await page.getByTestId('co-people-table').waitFor({ timeout: 30_000 });
    await page.getByTestId('co-people-search').fill('Zed');
    await expect.poll(() => page.getByTestId('co-people-row').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('co-people-row').first().textContent()).toContain('Sam Staff');
    await page.getByTestId('co-people-row').first().click();
    await page.getByTestId('co-person-status').click();
    await page.getByRole('option', { name: 'On leave' }).click();
    await page.getByTestId('co-person-save').click();
    await expect
      .poll(
        async () =>
          (await one<{ status: string }>(`select status from coaching.users where employee_id = 'E2E-001' and organization_id = $1`, [t.orgA.id])).status,
        { timeout: 20_000 },
      )
      .toBe('LEAVE');
    await shot(page, 'person-editor');
    await page.getByTestId('co-person-delete').click();
    await page.getByTestId('co-person-delete-dialog-confirm').click();
    await expect
      .poll(
        async () =>
          (await one<{ d: string | null }>(`select deleted_at as d from coaching.users where employee_id = 'E2E-001' and organization_id = $1`, [t.orgA.id])).d,
        { timeout: 20_000 },
      )
      .not.toBeNull();
    await page.close();
  }, 180_000);

  it('imports a per-call file with preview, refuses it a second time, shows row errors of a bad file, and rolls back', async () => {
    const page = await signedInPage(logins.admin);
    await page.goto(`${baseUrl}/coaching/imports`);
    await page.getByTestId('co-imports-page').waitFor({ timeout: 20_000 });
    const file = existsSync(pwcCsv)
      ? { name: 'call_center_pwc.csv', mimeType: 'text/csv', buffer: readFileSync(pwcCsv) }
      : {
          name: 'calls.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(
            [
              'Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,AvgTalkDuration,Satisfaction rating',
              ...Array.from(
                { length: 60 },
                (_, i) =>
                  `ID${i},${['Diane', 'Becky', 'Stewart'][i % 3]},2026-02-${String(10 + (i % 5)).padStart(2, '0')},0.4,Payment,Y,${i % 4 ? 'Y' : 'N'},${20 + i},0.0021,${1 + (i % 5)}`,
              ),
            ].join('\n'),
          ),
        };
    await page.locator('input[type="file"]').first().setInputFiles(file);
    await page.getByTestId('co-import-preview').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('co-import-shape').getAttribute('data-shape')).toBe('per-call');
    expect(await page.getByTestId('co-import-sample').textContent()).toContain('Diane');
    await page.getByTestId('co-import-sample-days').waitFor();
    await page.getByTestId('co-import-create-agents').check();
    await shot(page, 'import-preview');
    await page.getByTestId('co-import-start').click();
    const result = page.getByTestId('co-import-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await result.getAttribute('data-status')).toMatch(/SUCCESS/);
    const log = await one<{ id: string; successful_rows: number; total_rows: number }>(
      `select id, successful_rows, total_rows from coaching.import_logs where organization_id = $1 and file_name = $2 order by started_at desc limit 1`,
      [t.orgA.id, file.name],
    );
    expect(await page.getByTestId('co-import-successful').textContent()).toBe(Number(log.successful_rows).toLocaleString('en-US'));
    await page.getByTestId('co-import-history-table').locator(`[data-import-id="${log.id}"]`).waitFor({ timeout: 20_000 });
    await shot(page, 'import-result');

    // The same file again: 409, shown with a link to the earlier import.
    await page.getByTestId('co-import-start').click();
    await page.getByTestId('co-import-duplicate').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('co-import-duplicate').textContent()).toContain('already imported');
    await page.getByTestId('co-import-duplicate-open').click();
    await page.getByTestId('co-import-changes').waitFor({ timeout: 20_000 });
    const changed = await count(`select count(*) as n from coaching.import_row_changes where import_log_id = $1`, [log.id]);
    expect(changed).toBeGreaterThan(0);
    expect(await page.getByTestId('co-import-changes').textContent()).toContain(`Changed ${changed.toLocaleString('en-US')} agent-days`);
    await shot(page, 'import-duplicate');

    // Roll it back (confirm dialog).
    await page.getByTestId('co-import-rollback').click();
    await page.getByTestId('co-rollback-dialog-confirm').click();
    await expect
      .poll(async () => (await one<{ status: string }>(`select status from coaching.import_logs where id = $1`, [log.id])).status, { timeout: 60_000 })
      .toBe('ROLLED_BACK');
    expect(
      await count(
        `select count(*) as n from coaching.import_row_changes r join coaching.performance_metrics m using (agent_id, metric_date) where r.import_log_id = $1 and r.action = 'INSERTED'`,
        [log.id],
      ),
    ).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('co-import-history-table').locator(`[data-import-id="${log.id}"] [data-status="ROLLED_BACK"]`).waitFor({ timeout: 20_000 });

    // A daily file with a bad row: row-level errors, nothing written.
    const agent = await one<{ employee_id: string }>(
      `select a.employee_id from coaching.users a join coaching.users l on l.id = a.team_leader_id
        where l.name = 'Sam Staff' and a.organization_id = $1 and a.role = 'AGENT' and a.deleted_at is null order by a.name limit 1`,
      [t.orgA.id],
    );
    const bad = [
      'agent,date,service_score,productivity_score,quality_score,attendance_rate,adherence_score',
      `${agent.employee_id},2026-02-20,80,81,82,95,90`,
      `${agent.employee_id},2026-02-21,80,lots,82,95,90`,
    ].join('\n');
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({ name: 'bad-daily.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByTestId('co-import-preview').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('co-import-shape').getAttribute('data-shape'), { timeout: 20_000 }).toBe('daily');
    await page.getByTestId('co-import-start').click();
    await page.locator('[data-testid="co-import-result"][data-status="FAILED"]').waitFor({ timeout: 30_000 });
    const cells = await page.getByTestId('co-import-result').getByTestId('co-import-errors').locator('tbody tr').first().locator('td').allTextContents();
    expect(cells[0]).toBe('3');
    expect(cells[1]).toMatch(/productivity|C/);
    await shot(page, 'import-errors');

    // Two good daily files on the same agent-day: the first cannot be rolled back while the later one is in place.
    const header = 'agent,date,service_score,productivity_score,quality_score,attendance_rate,adherence_score';
    const upload = async (name: string, lines: string[]) => {
      await page
        .locator('input[type="file"]')
        .first()
        .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from([header, ...lines].join('\n')) });
      await expect.poll(() => page.getByTestId('co-import-preview').textContent(), { timeout: 30_000 }).toContain(name);
      await page.getByTestId('co-import-start').click();
      await page.locator('[data-testid="co-import-result"][data-status="SUCCESS"]').waitFor({ timeout: 30_000 });
      return (await one<{ id: string }>(`select id from coaching.import_logs where organization_id = $1 and file_name = $2`, [t.orgA.id, name])).id;
    };
    const first = await upload('first-daily.csv', [`${agent.employee_id},2026-02-20,80,81,82,95,90`, `${agent.employee_id},2026-02-21,80,81,82,95,90`]);
    // The test clock stands still: move it on so the second import is the later one.
    t.clock.set(new Date(t.clock.now().getTime() + 60_000).toISOString());
    await upload('later-daily.csv', [`${agent.employee_id},2026-02-21,70,71,72,85,80`]);
    await page.getByTestId('co-import-history-table').locator(`[data-import-id="${first}"]`).getByTestId('co-import-details').click();
    await page.getByTestId('co-import-blocked').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('co-import-blocked').textContent()).toContain('later-daily.csv');
    await page.getByTestId('co-import-rollback').click();
    await page.getByTestId('co-rollback-dialog-confirm').click();
    await page
      .getByTestId('co-rollback-dialog-error')
      .waitFor({ timeout: 20_000 })
      .catch(async (error: unknown) => {
        await page.screenshot({ path: path.join(screenshots, 'rollback-blocked-failure.png') });
        throw error;
      });
    expect(await page.getByTestId('co-rollback-dialog-error').textContent()).toContain('later-daily.csv');
    expect((await one<{ status: string }>(`select status from coaching.import_logs where id = $1`, [first])).status).toBe('SUCCESS');
    await shot(page, 'import-rollback-blocked');
    await page.close();
  }, 240_000);
});
