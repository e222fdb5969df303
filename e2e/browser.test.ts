import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testPassword, type TestApp } from '../src/core/testing/test-app.js';
import { memberships } from '../src/core/db/schema.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const screenshots = path.join(repoRoot, '.test-artifacts', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'bin/build-web.mjs'), '--if-missing'], { stdio: 'inherit' });
  expect(build.status).toBe(0);
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (the CI script does).`);
  mkdirSync(screenshots, { recursive: true });
  t = await createTestApp();
  // A's admin is also a viewer in B, to switch between the two.
  await t.database.db.insert(memberships).values({ organizationId: t.orgB.id, userId: t.orgA.userIds.admin, role: 'viewer' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: Page, email: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(testPassword);
  await page.getByTestId('login-submit').click();
  await expect.poll(() => page.getByTestId('current-org-name').first().textContent(), { timeout: 15_000 }).toContain(t.orgA.name);
}

describe('web app in Chromium', () => {
  it('signs in, shows the five modules, and rejects a wrong password', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-email').fill(t.orgA.emails.admin);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByText('The email or password is not correct').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshots, 'login-error.png') });

    await signIn(page, t.orgA.emails.admin);
    for (const key of ['store-health', 'commerce', 'promotions', 'agent-org', 'coaching']) {
      expect(await page.getByTestId(`nav-${key}`).count(), key).toBe(1);
    }
    await page.screenshot({ path: path.join(screenshots, 'overview.png'), fullPage: true });
    await page.close();
  });

  it('shows the users admin page with the organization’s members', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, t.orgA.emails.admin);
    await page.getByTestId('nav-admin-users').click();
    await page.getByTestId('users-table').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('users-table').textContent(), { timeout: 10_000 }).toContain(t.orgA.emails.viewer);
    expect(await page.getByTestId('users-table').textContent()).not.toContain(t.orgB.emails.viewer);
    await page.screenshot({ path: path.join(screenshots, 'admin-users.png'), fullPage: true });
    await page.close();
  });
  // Last: the switch makes B the admin's most recent organization, where the next sign-in would land.
  it('switches organization and the page follows', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, t.orgA.emails.admin);
    await page.getByTestId('org-switcher').click();
    await page.getByTestId(`org-option-${t.orgB.slug}`).click();
    await expect.poll(() => page.getByTestId('current-org-name').first().textContent(), { timeout: 10_000 }).toContain(t.orgB.name);
    // A viewer in B sees no administration entries.
    expect(await page.getByTestId('nav-admin-users').count()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, 'switched-organization.png') });
    await page.close();
  });
});
