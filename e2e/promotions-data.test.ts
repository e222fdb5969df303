import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/core/context.js';
import { createLogger } from '../src/core/logger.js';
import { createTestApp, testPassword, type TestApp } from '../src/core/testing/test-app.js';
import { loadPromotionsDemo } from '../src/modules/promotions/demo/index.js';
import { promotionsModule } from '../src/modules/promotions/index.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const screenshots = path.join(repoRoot, '.test-artifacts', 'screenshots', 'promotions');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let browser: Browser;
let baseUrl: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  expect(spawnSync(process.execPath, [path.join(repoRoot, 'bin/build-web.mjs'), '--if-missing'], { stdio: 'inherit' }).status).toBe(0);
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium.`);
  mkdirSync(screenshots, { recursive: true });
  t = await createTestApp({ modules: [promotionsModule.descriptor], jobs: promotionsModule.jobs });
  t.clock.set('2026-11-20T12:00:00Z');
  // Organization A holds one year of the demo electronics chain; B stays empty.
  const ctx = { db: t.database.db, organization: t.orgA, actor: systemActor('test'), role: 'admin', clock: t.clock, log: createLogger('silent') };
  await loadPromotionsDemo(ctx, { years: 1 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 300_000);

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
