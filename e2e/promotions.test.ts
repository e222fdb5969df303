import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/core/context.js';
import { createLogger } from '../src/core/logger.js';
import { createTestApp, testPassword, type TestApp } from '../src/core/testing/test-app.js';
import { loadPromotionsDemo, type PromotionsDemoResult } from '../src/modules/promotions/demo/index.js';
import { promotionsModule } from '../src/modules/promotions/index.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const screenshots = path.join(repoRoot, '.test-artifacts', 'screenshots', 'promotions');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let browser: Browser;
let baseUrl: string;
let demo: PromotionsDemoResult;
/** Uncaught exceptions in any page of the current test: there must be none. */
const pageErrors: string[] = [];

beforeAll(async () => {
  expect(spawnSync(process.execPath, [path.join(repoRoot, 'bin/build-web.mjs'), '--if-missing'], { stdio: 'inherit' }).status).toBe(0);
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium.`);
  mkdirSync(screenshots, { recursive: true });
  t = await createTestApp({ modules: [promotionsModule.descriptor], jobs: promotionsModule.jobs });
  t.clock.set('2026-11-20T12:00:00Z');
  // Organization A holds the demo electronics chain (one year keeps the test quick); B starts empty and imports a file.
  const ctx = { db: t.database.db, organization: t.orgA, actor: systemActor('test'), role: 'admin', clock: t.clock, log: createLogger('silent') };
  demo = await loadPromotionsDemo(ctx, { years: 1 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 300_000);

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signedInPage(email: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(testPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-org-name').first().waitFor({ timeout: 15_000 });
  return page;
}

async function shot(page: Page, name: string) {
  // From the top (the shell's header is fixed), without toasts, once charts have finished their entry animation.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.addStyleTag({ content: '.mantine-Notifications-root { display: none !important; }' });
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const [row] = await t.database.query<{ n: string }>(sql, params);
  return Number(row.n);
}

const csvDays = 120;

/**
 * 120 days × 2 departments × 2 channels of daily sales with two week-long promotions at 20 %, headers as a German export
 * names them. `lastQuarterTotal`: the sales of the last 90 days, the explorer's default period.
 */
function salesCsv(): { text: string; lastQuarterTotal: number; rows: number } {
  const lines = ['Datum;Kanal;Abteilung;Aktion;Rabatt;Umsatz;Rohertrag;Menge'];
  let lastQuarterTotal = 0;
  let rows = 0;
  for (let day = 0; day < csvDays; day++) {
    const date = new Date(Date.UTC(2026, 6, 1 + day)).toISOString().slice(0, 10);
    const promo = (day >= 40 && day <= 46) || (day >= 90 && day <= 96);
    for (const [department, base] of [
      ['Kameras', 4000],
      ['Drohnen', 2500],
    ] as const) {
      for (const channel of ['online', 'offline']) {
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        // A deterministic wobble (±8 %) so the series are not trivially predictable.
        const noise = 1 + 0.08 * Math.sin(day * 12.9898 + base + (channel === 'online' ? 78.233 : 0));
        const sales = Math.round(base * (channel === 'online' ? 1.3 : 1) * (weekday === 6 ? 1.4 : 1) * (promo ? 1.35 : 1) * noise + day * 3);
        const margin = Math.round(sales * (promo ? 0.18 : 0.26));
        lines.push([date, channel, department, promo ? 'TRUE' : 'FALSE', promo ? '20' : '', sales, margin, Math.round(sales / 250)].join(';'));
        if (day >= csvDays - 90) lastQuarterTotal += sales;
        rows += 1;
      }
    }
  }
  return { text: `${lines.join('\n')}\n`, lastQuarterTotal, rows };
}

// First: it expects organization B to have imported nothing yet.
describe('promotions data page in Chromium', () => {
  it('shows the imported promo calendar, targets and segments of the organization, and says what to import when empty', async () => {
    const calendarRows = await count('select count(*) as n from promotions.promo_catalog where organization_id = $1', [t.orgA.id]);
    const segmentRows = await count('select count(*) as n from promotions.segments where organization_id = $1', [t.orgA.id]);
    expect(calendarRows).toBeGreaterThan(0);
    expect(segmentRows).toBeGreaterThan(0);

    const page = await signedInPage(t.orgA.emails.admin);
    await page.goto(`${baseUrl}/promotions`);
    await page.getByTestId('nav-pr-data').click();
    await page.getByTestId('pr-data-calendar-table').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/promotions/data');
    // Every promotion of the organization, read back whole across the API's pages.
    expect(await page.getByTestId('pr-data-calendar-row').count()).toBe(calendarRows);
    const [first] = await t.database.query<{ promo_name: string }>(
      'select promo_name from promotions.promo_catalog where organization_id = $1 order by date_start, id limit 1',
      [t.orgA.id],
    );
    expect(await page.getByTestId('pr-data-calendar-row').first().textContent()).toContain(first.promo_name);

    // The department filter keeps only the promotions that name it.
    const [dept] = await t.database.query<{ d: string; n: string }>(
      `select d, count(*) as n from promotions.promo_catalog, unnest(departments) as d where organization_id = $1 group by d order by count(*), d limit 1`,
      [t.orgA.id],
    );
    await page.getByTestId('pr-data-department').click();
    await page.getByRole('option', { name: dept.d, exact: true }).click();
    await expect.poll(() => page.getByTestId('pr-data-calendar-row').count()).toBe(Number(dept.n));
    expect(Number(dept.n)).toBeLessThan(calendarRows);
    await page.getByTestId('pr-data-department').click();
    await page.getByRole('option', { name: 'All departments' }).click();
    await expect.poll(() => page.getByTestId('pr-data-calendar-row').count()).toBe(calendarRows);
    await shot(page, 'data');

    // Targets: grouped by month, the coming months first (nearest first), then the past ones (latest first).
    await page.getByTestId('pr-data-tab-targets').click();
    await page.getByTestId('pr-data-targets').waitFor({ timeout: 20_000 });
    const months = (await t.database.query<{ month: string }>('select distinct month from promotions.targets where organization_id = $1', [t.orgA.id])).map(
      (row) => row.month,
    );
    const thisMonth = await page.evaluate(() => new Date().toISOString().slice(0, 7));
    const expectedOrder = [
      ...months.filter((month) => month >= thisMonth).sort(),
      ...months.filter((month) => month < thisMonth).sort((a, b) => b.localeCompare(a)),
    ];
    const shownOrder = await page
      .locator('[data-testid^="pr-data-target-month-"]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-testid')!.replace('pr-data-target-month-', '')));
    expect(shownOrder).toEqual(expectedOrder);
    // The whole-business target of the latest month, formatted as in the table.
    const [target] = await t.database.query<{ month: string; sales_value_target: string }>(
      `select month, sales_value_target from promotions.targets
        where organization_id = $1 and department is null and channel is null order by month desc, geo limit 1`,
      [t.orgA.id],
    );
    const formatted = await page.evaluate(
      (value) => new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(value),
      Number(target.sales_value_target),
    );
    const wholeRow = page.getByTestId(`pr-data-target-month-${target.month}`).getByTestId('pr-data-target-row').filter({ hasText: 'Whole business' });
    expect(await wholeRow.textContent()).toContain(formatted);
    const targetRows = await count('select count(*) as n from promotions.targets where organization_id = $1', [t.orgA.id]);
    expect(await page.getByTestId('pr-data-tab-targets').textContent()).toContain(targetRows.toLocaleString('en-US'));
    await shot(page, 'data-targets');

    // Segments: every segment, by name and id.
    await page.getByTestId('pr-data-tab-segments').click();
    await page.getByTestId('pr-data-segments-table').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('pr-data-segment-row').count()).toBe(segmentRows);
    const dealSeekers = page.getByTestId('pr-data-segment-row').filter({ hasText: 'DEAL_SEEKERS' });
    expect(await dealSeekers.textContent()).toContain('Deal seekers');
    expect(await dealSeekers.getByTestId('pr-data-sensitivity').textContent()).toBe('high');
    await shot(page, 'data-segments');
    await page.close();

    // An organization without imports is told what to import, with a link to the imports page.
    const empty = await signedInPage(t.orgB.emails.admin);
    await empty.goto(`${baseUrl}/promotions/data?tab=segments`);
    await empty.getByTestId('pr-data-segments-empty').waitFor({ timeout: 20_000 });
    await empty.getByTestId('pr-data-segments-empty').getByTestId('pr-data-import-segments').click();
    await empty.getByTestId('pr-imports-page').waitFor({ timeout: 20_000 });
    expect(new URL(empty.url()).search).toBe('?kind=segments');
    await empty.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

describe('promotions in Chromium', () => {
  it('an empty organization says what to do, imports a sales file through the page with progress, and shows it in the explorer', async () => {
    const page = await signedInPage(t.orgB.emails.admin);
    await page.goto(`${baseUrl}/promotions`);
    await page.getByTestId('pr-sales-empty').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('pr-sales-empty').textContent()).toContain('No sales history yet — import files');
    // The module's sub-pages unfold in the navigation.
    await page.getByTestId('nav-pr-imports').waitFor();
    await shot(page, 'sales-empty');

    const csv = salesCsv();
    await page.getByTestId('nav-pr-imports').click();
    await page.getByTestId('pr-imports-page').waitFor({ timeout: 20_000 });
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({ name: 'umsatz-jul-okt.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.text) });
    // The preview suggests the mapping from the German headers.
    await page.getByTestId('pr-import-preview').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('pr-map-sales_value').inputValue()).toContain('Umsatz');
    expect(await page.getByTestId('pr-import-sample').textContent()).toContain('Kameras');
    await page.getByTestId('pr-import-start').click();
    await page.locator('[data-testid="pr-import-job"][data-status="completed"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('pr-import-records').textContent()).toBe(csv.rows.toLocaleString('en-US'));
    expect(await count('select count(*) as n from promotions.sales_aggregated where organization_id = $1', [t.orgB.id])).toBe(csv.rows);
    await page.getByTestId('pr-import-history').getByText('umsatz-jul-okt.csv').waitFor();
    await shot(page, 'imports');

    // The explorer shows the imported sales of its default period, the last 90 days.
    await page.goto(`${baseUrl}/promotions`);
    await page.getByTestId('pr-sales-chart').waitFor({ timeout: 20_000 });
    const expected = await page.evaluate(
      (total) => new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }).format(total),
      csv.lastQuarterTotal,
    );
    await expect.poll(() => page.getByTestId('pr-tile-sales-value').textContent(), { timeout: 20_000 }).toBe(expected);
    // Both promotions (7 days at 20 %) are shaded, and listed.
    await expect.poll(() => page.locator('[data-testid="pr-sales-chart-panel"] .recharts-reference-area').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId('pr-sales-promotions').locator('tbody tr').count()).toBe(2);
    await page.close();
  }, 120_000);

  it('a bad file is refused with the file, row and column to fix, and nothing is written', async () => {
    const before = await count('select count(*) as n from promotions.sales_aggregated where organization_id = $1', [t.orgB.id]);
    const page = await signedInPage(t.orgB.emails.staff);
    await page.goto(`${baseUrl}/promotions/imports`);
    const bad = [
      'date,channel,department,promo_flag,discount_pct,sales_value,margin_value,units',
      '2026-11-01,online,Kameras,false,,5000,1300,20',
      '2026-11-02,online,Kameras,false,,5100,1320,lots',
      '2026-11-03,online,Kameras,false,,5200,1340,21',
    ].join('\n');
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({ name: 'bad-sales.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByTestId('pr-import-preview').waitFor({ timeout: 20_000 });
    await page.getByTestId('pr-import-start').click();
    await page.getByTestId('pr-import-errors').waitFor({ timeout: 30_000 });
    const errorRow = page.getByTestId('pr-import-errors').locator('tbody tr').first();
    const cells = await errorRow.locator('td').allTextContents();
    expect(cells[0]).toContain('bad-sales.csv');
    expect(cells[2]).toBe('3');
    expect(cells[3]).toMatch(/units|H/);
    expect(cells[4]).toMatch(/lots|number|whole/i);
    // The offending cell is marked in the preview too.
    expect(await page.locator('[data-testid="pr-import-sample"] [data-bad-cell="true"]').allTextContents()).toEqual(['lots']);
    await shot(page, 'import-errors');
    expect(await count('select count(*) as n from promotions.sales_aggregated where organization_id = $1', [t.orgB.id])).toBe(before);
    await page.close();
  }, 60_000);

  it('the sales explorer charts the demo chain with its baseline and promotions, by department and channel', async () => {
    const page = await signedInPage(t.orgA.emails.viewer);
    await page.goto(`${baseUrl}/promotions`);
    await page.getByTestId('pr-sales-chart').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-testid="pr-sales-chart-panel"] .recharts-reference-area').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // A line for the baseline and an area for sales.
    expect(await page.locator('[data-testid="pr-sales-chart-panel"] .recharts-line').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="pr-sales-chart-panel"] .recharts-area').count()).toBeGreaterThan(0);
    // Every department of the demo appears in the breakdown.
    const breakdown = page.getByTestId('pr-breakdown-department');
    await expect.poll(() => breakdown.locator('tbody tr').count(), { timeout: 30_000 }).toBe(demo.departments.length);
    expect(await page.getByTestId('pr-tile-margin-value').textContent()).toMatch(/\d+\.\d %/);
    await shot(page, 'sales-explorer');

    // Filtering by a department narrows the breakdown to it.
    await page.getByTestId('pr-sales-department').click();
    await page.getByRole('option', { name: 'TV', exact: true }).click();
    await expect.poll(() => breakdown.locator('tbody tr').count(), { timeout: 20_000 }).toBe(1);
    expect(page.url()).toContain('department=TV');
    await page.close();
  }, 120_000);

  let planned: string[] = [];

  it('computes the month’s opportunities and plans scenarios from the largest gap', async () => {
    const page = await signedInPage(t.orgA.emails.staff);
    await page.goto(`${baseUrl}/promotions/opportunities`);
    await page.getByTestId('pr-opportunities-page').waitFor({ timeout: 20_000 });
    await page.getByTestId('pr-opportunities-compute').click();
    const table = page.getByTestId('pr-opportunities-table');
    await table.waitFor({ timeout: 60_000 });
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(3);
    // The demo's planned shortfalls rank first: TV online misses its target by ~10 %.
    expect(await table.textContent()).toContain('TV');
    await shot(page, 'opportunities');

    await page.locator('[data-testid^="pr-plan-"]').first().click();
    await page.waitForURL(/\/promotions\/(comparison\?ids=|scenarios\/)/, { timeout: 60_000 });
    const url = new URL(page.url());
    planned = url.pathname.endsWith('/comparison') ? (url.searchParams.get('ids') ?? '').split(',') : [url.pathname.split('/').pop() ?? ''];
    expect(planned.length).toBeGreaterThan(0);
    expect(
      await count('select count(*) as n from promotions.promo_scenarios where organization_id = $1 and source_opportunity_id is not null', [t.orgA.id]),
    ).toBe(planned.length);
    await page.close();
  }, 120_000);

  it('the scenario builder recomputes the KPIs live when a discount changes, saves, validates and drafts a brief', async () => {
    const id = planned[0];
    const page = await signedInPage(t.orgA.emails.staff);
    await page.goto(`${baseUrl}/promotions/scenarios/${id}`);
    await page.getByTestId('pr-builder').waitFor({ timeout: 20_000 });
    const sales = page.getByTestId('pr-kpi-sales-value');
    await expect.poll(() => sales.textContent(), { timeout: 20_000 }).toMatch(/\d/);
    await page.getByTestId('pr-kpi-ms').waitFor();
    const before = await sales.textContent();
    const discount = page.getByTestId('pr-discount-0');
    const old = Number((await discount.inputValue()).replace('%', ''));
    const next = old >= 30 ? old - 15 : old + 15;
    await discount.fill(String(next));
    await expect.poll(() => sales.textContent(), { timeout: 20_000 }).not.toBe(before);
    await page.getByTestId('pr-unsaved').waitFor();
    await page.getByTestId('pr-save').click();
    await expect
      .poll(
        async () => {
          const [row] = await t.database.query<{ d: string }>(`select mechanics->0->>'discount_pct' as d from promotions.promo_scenarios where id = $1`, [id]);
          return Number(row.d);
        },
        { timeout: 20_000 },
      )
      .toBe(next);
    await page.getByTestId('pr-unsaved').waitFor({ state: 'detached', timeout: 20_000 });

    await page.getByTestId('pr-validate').click();
    const status = page.getByTestId('pr-validation-status');
    await status.waitFor({ timeout: 60_000 });
    expect(['PASS', 'WARN', 'BLOCK']).toContain(await status.getAttribute('data-validation'));
    const [report] = await t.database.query<{ status: string }>('select status from promotions.validation_reports where scenario_id = $1', [id]);
    expect(await status.getAttribute('data-validation')).toBe(report.status);

    await page.getByTestId('pr-brief-generate').click();
    const primary = page.getByTestId('pr-brief-primary');
    await expect.poll(() => primary.inputValue(), { timeout: 30_000 }).not.toBe('');
    await primary.fill('Close the TV gap before Christmas');
    await page.getByTestId('pr-brief-save').click();
    await expect
      .poll(
        async () => {
          const [row] = await t.database.query<{ p: string | null }>(
            `select brief->'objectives'->>'primary' as p from promotions.creative_briefs where scenario_id = $1`,
            [id],
          );
          return row?.p ?? null;
        },
        { timeout: 20_000 },
      )
      .toBe('Close the TV gap before Christmas');
    await shot(page, 'scenario-builder');

    // An issue with a computed fix applies it to the draft in one click (dates or discounts change, unsaved).
    const fixes = page.locator('[data-testid^="pr-apply-fix-"]');
    expect(await fixes.count()).toBeGreaterThan(0);
    const periodBefore = await page.getByTestId('pr-period').textContent();
    const discountBefore = await discount.inputValue();
    await fixes.first().click();
    await page.getByTestId('pr-unsaved').waitFor({ timeout: 10_000 });
    expect([await page.getByTestId('pr-period').textContent(), await discount.inputValue()]).not.toEqual([periodBefore, discountBefore]);
    await page.close();
  }, 180_000);

  it('compares the planned scenarios side by side with the best value highlighted', async () => {
    const page = await signedInPage(t.orgA.emails.viewer);
    await page.goto(`${baseUrl}/promotions/scenarios`);
    await page.getByTestId('pr-scenarios-table').waitFor({ timeout: 20_000 });
    await shot(page, 'scenarios');
    const ids = planned.length >= 2 ? planned : [...planned, ...demo.scenarios.filter((s) => s.key.startsWith('draft')).map((s) => s.id)].slice(0, 3);
    await page.goto(`${baseUrl}/promotions/comparison?ids=${ids.join(',')}`);
    const table = page.getByTestId('pr-comparison-table');
    await table.waitFor({ timeout: 20_000 });
    expect(await table.locator('thead th').count()).toBe(ids.length + 1);
    expect(await table.locator('[data-best="true"]').count()).toBeGreaterThan(0);
    await shot(page, 'comparison');

    // A viewer reads a scenario with its live KPIs but cannot change it.
    await page.goto(`${baseUrl}/promotions/scenarios/${ids[0]}`);
    await expect.poll(() => page.getByTestId('pr-kpi-sales-value').textContent(), { timeout: 20_000 }).toMatch(/\d/);
    expect(await page.getByTestId('pr-save').count()).toBe(0);
    expect(await page.getByTestId('pr-discount-0').isDisabled()).toBe(true);
    await page.close();
  }, 60_000);

  it('runs a post-mortem of a past promotion and shows actual vs forecast, the dip, insights and the learned coefficients', async () => {
    const past = demo.scenarios.find((s) => s.key.startsWith('past'));
    expect(past).toBeDefined();
    const page = await signedInPage(t.orgA.emails.staff);
    await page.goto(`${baseUrl}/promotions/post-mortems/${past!.id}`);
    await page.getByTestId('pr-post-mortems-page').waitFor({ timeout: 20_000 });
    await page.getByTestId('pr-pm-run').click();
    await page.getByTestId('pr-post-mortem').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('pr-pm-sales').textContent()).toMatch(/error [+−±]/);
    expect(await page.getByTestId('pr-pm-insights').locator('li').count()).toBeGreaterThan(0);
    await page.locator('[data-testid="pr-pm-dip"] .recharts-reference-area').first().waitFor({ timeout: 20_000 });
    const [pm] = await t.database.query<{ v: string | null }>('select learned_model_version as v from promotions.post_mortem_reports where scenario_id = $1', [
      past!.id,
    ]);
    expect(pm.v).toMatch(/^v\d+$/);
    expect(await page.getByTestId('pr-pm-coefficients').textContent()).toContain(pm.v);
    await shot(page, 'post-mortem');
    await page.close();
  }, 180_000);

  it('lists the uplift coefficients in force with the history of one of them', async () => {
    const page = await signedInPage(t.orgA.emails.staff);
    await page.goto(`${baseUrl}/promotions/uplift`);
    await page.getByTestId('pr-uplift-page').waitFor({ timeout: 20_000 });
    const table = page.getByTestId('pr-uplift-table');
    await table.waitFor({ timeout: 20_000 });
    const total = () => count('select count(*) as n from promotions.uplift_coefficients where organization_id = $1', [t.orgA.id]);
    const before = await total();
    // Fitting from the sales history adds a version for every department × channel × band with promo days.
    await page.getByTestId('pr-uplift-fit').click();
    await expect.poll(total, { timeout: 60_000 }).toBeGreaterThan(before);
    const current = await count(
      `select count(*) as n from (select distinct department, channel, discount_band from promotions.uplift_coefficients where organization_id = $1) k`,
      [t.orgA.id],
    );
    expect(current).toBeGreaterThan(2);
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 20_000 }).toBe(current);
    // The coefficient the post-mortem learned now has two versions: its history shows both, with a chart.
    const [learned] = await t.database.query<{ department: string; channel: string; discount_band: string }>(
      `select department, channel, discount_band from promotions.uplift_coefficients where organization_id = $1 and source = 'learned' limit 1`,
      [t.orgA.id],
    );
    expect(learned).toBeDefined();
    await page.getByTestId(`pr-uplift-row-${learned.department}|${learned.channel}|${learned.discount_band}`).click();
    const history = page.getByTestId('pr-uplift-history');
    await expect.poll(() => history.locator('tbody tr').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await history.locator('.recharts-line').first().waitFor({ timeout: 20_000 });
    expect(await history.textContent()).toContain('learned');
    await shot(page, 'uplift');
    await page.close();
  }, 120_000);

  it('a manager changes the validation rules', async () => {
    const page = await signedInPage(t.orgA.emails.manager);
    await page.goto(`${baseUrl}/promotions/settings`);
    const floor = page.getByTestId('pr-setting-marginFloorPct');
    await floor.waitFor({ timeout: 20_000 });
    await floor.fill('12.5');
    await page.getByTestId('pr-settings-save').click();
    const { headers } = await t.login(t.orgA.emails.viewer);
    await expect
      .poll(async () => (await t.app.inject({ method: 'GET', url: '/api/promotions/settings/validation', headers })).json().marginFloorPct, { timeout: 20_000 })
      .toBe(12.5);
    await shot(page, 'validation-rules');
    await page.close();
  }, 60_000);

  it('runs the forecast backtest and shows the chosen model next to seasonal naive and the seed baseline', async () => {
    // Organization B's imported file (2 departments × 2 channels, 120 days) keeps the model fits few.
    const page = await signedInPage(t.orgB.emails.manager);
    await page.goto(`${baseUrl}/promotions/backtest`);
    await page.getByTestId('pr-backtest-empty').waitFor({ timeout: 20_000 });
    await page.getByLabel('Horizon (days)').fill('7');
    await page.getByLabel('Folds (origins)').fill('2');
    await page.getByTestId('pr-backtest-run').click();
    // The start answers at once with the running run; the page shows its progress while it polls, then the report.
    await page.getByTestId('pr-backtest-progress').waitFor({ timeout: 20_000 });
    const report = page.getByTestId('pr-backtest-report');
    await report.waitFor({ timeout: 240_000 });
    await expect.poll(() => page.getByTestId('pr-backtest-series').locator('tbody tr').count(), { timeout: 20_000 }).toBe(4);
    expect(await page.getByTestId('pr-bt-chosen-value').textContent()).toMatch(/\d+\.\d %/);
    expect(await page.getByTestId('pr-bt-naive-value').textContent()).toMatch(/\d+\.\d %/);
    expect(await report.textContent()).toMatch(/Seed SQL baseline/);
    await shot(page, 'backtest');
    await page.close();
  }, 300_000);
});
