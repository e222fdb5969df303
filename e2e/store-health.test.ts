import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/core/logger.js';
import { createTestApp, testPassword, type TestApp } from '../src/core/testing/test-app.js';
import { storeHealthDemoSteps } from '../src/modules/store-health/demo/index.js';
import { storeHealthModule } from '../src/modules/store-health/index.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const screenshots = path.join(repoRoot, '.test-artifacts', 'screenshots', 'store-health');

let t: TestApp;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  expect(spawnSync(process.execPath, [path.join(repoRoot, 'bin/build-web.mjs'), '--if-missing'], { stdio: 'inherit' }).status).toBe(0);
  mkdirSync(screenshots, { recursive: true });
  t = await createTestApp({ modules: [storeHealthModule.descriptor], jobs: storeHealthModule.jobs });
  t.clock.set('2026-11-20T12:00:00Z');
  // A smaller chain than `retailops demo` (12 stores, 120 days) keeps the test quick; the pages are the same.
  const steps = storeHealthDemoSteps({ stores: 12, days: 120, detailDays: 30, evaluationDays: 35, northwind: false });
  const env = { database: t.database, clock: t.clock, log: createLogger('silent'), progress: () => undefined, organizations: { demo: t.orgA } };
  for (const step of steps) await step.run(env);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signedInPage(email = t.orgA.emails.admin): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(testPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-org-name').first().waitFor({ timeout: 15_000 });
  return page;
}

describe('store health in Chromium', () => {
  it('shows the chain overview with stores by status, and a store page with KPI charts', async () => {
    const page = await signedInPage();
    await page.goto(`${baseUrl}/store-health`);
    await page.getByTestId('sh-overview').waitFor({ timeout: 20_000 });
    const tiles = page.locator('[data-testid^="sh-store-tile-"]');
    await expect.poll(() => tiles.count(), { timeout: 20_000 }).toBe(12);
    await page.screenshot({ path: path.join(screenshots, 'overview.png'), fullPage: true });

    await tiles.first().click();
    await page.getByTestId('sh-store-page').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('[data-testid^="sh-kpi-chart-"]').count(), { timeout: 20_000 }).toBeGreaterThan(3);
    await page.screenshot({ path: path.join(screenshots, 'store.png'), fullPage: true });
    await page.close();
  });

  it('acknowledges an alert from the inbox', async () => {
    const page = await signedInPage();
    await page.goto(`${baseUrl}/store-health/alerts`);
    await page.getByTestId('sh-alerts-table').waitFor({ timeout: 20_000 });
    const ack = page.locator('[data-testid^="sh-ack-"]').first();
    await ack.waitFor({ timeout: 20_000 });
    const alertId = (await ack.getAttribute('data-testid'))!.replace('sh-ack-', '');
    await ack.click();
    await expect
      .poll(async () => (await t.database.query<{ status: string }>('select status from store_health.alerts where id = $1', [alertId]))[0].status, {
        timeout: 10_000,
      })
      .toBe('acknowledged');
    await page.screenshot({ path: path.join(screenshots, 'alerts.png'), fullPage: true });
    await page.close();
  });

  it('shows the tasks board, escalation rules, call scripts and a backtest', async () => {
    const page = await signedInPage();
    for (const [route, testId, file] of [
      ['tasks', 'sh-tasks-board', 'tasks.png'],
      ['escalation-rules', 'sh-rules-table', 'escalation-rules.png'],
      ['call-scripts', 'sh-scripts-editor', 'call-scripts.png'],
    ] as const) {
      await page.goto(`${baseUrl}/store-health/${route}`);
      await page.getByTestId(testId).waitFor({ timeout: 20_000 });
      await page.screenshot({ path: path.join(screenshots, file), fullPage: true });
    }
    // The backtest page starts empty; running one replays the evaluated days and shows model vs persistence.
    await page.goto(`${baseUrl}/store-health/backtest`);
    await page.getByTestId('sh-backtest-run').click();
    await page.getByTestId('sh-backtest-report').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('sh-backtest-report').textContent()).toMatch(/persistence/i);
    await page.screenshot({ path: path.join(screenshots, 'backtest.png'), fullPage: true });
    await page.close();
  }, 180_000);

  it('shows row-level errors for a bad import file and writes nothing', async () => {
    const before = Number((await t.database.query<{ n: string }>('select count(*) as n from store_health.kpi_metrics'))[0].n);
    const page = await signedInPage();
    await page.goto(`${baseUrl}/store-health/imports`);
    const input = page.locator('input[type="file"]').first();
    await input.waitFor({ state: 'attached', timeout: 20_000 });
    await input.setInputFiles({
      name: 'bad-metrics.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('store_code,kpi_code,metric_date,value\nNOPE-1,sales,2026-11-01,10\n'),
    });
    const upload = page.getByRole('button', { name: /import|upload/i }).last();
    if (await upload.isEnabled().catch(() => false)) await upload.click().catch(() => undefined);
    await page.getByTestId('sh-import-errors').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('sh-import-errors').textContent()).toContain('NOPE-1');
    await page.screenshot({ path: path.join(screenshots, 'import-errors.png'), fullPage: true });
    const after = Number((await t.database.query<{ n: string }>('select count(*) as n from store_health.kpi_metrics'))[0].n);
    expect(after).toBe(before);
    await page.close();
  });
});
