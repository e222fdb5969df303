import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { hashPassword } from '../src/core/auth/passwords.js';
import { memberships, users as coreUsers } from '../src/core/db/schema.js';
import { createLogger } from '../src/core/logger.js';
import { createTestApp, testPassword, type TestApp } from '../src/core/testing/test-app.js';
import { coachingDemoSteps } from '../src/modules/coaching/demo/index.js';
import { coachingModule } from '../src/modules/coaching/index.js';

/**
 * One coaching server for a browser test file: a test app with the coaching module on a clock set to now (the browser
 * reads "today" from its own clock, and the seed's team summary from the database's), the core demo's sign-ins in
 * organization A, the coaching demo loaded (Sam Staff leads a team, Vic Viewer is an agent), Chromium.
 */
export const repoRoot = path.resolve(import.meta.dirname, '..');
export const screenshots = path.join(repoRoot, '.test-artifacts', 'screenshots', 'coaching');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const logins = {
  admin: 'admin@retailops.demo',
  manager: 'manager@retailops.demo',
  staff: 'staff@retailops.demo',
  viewer: 'viewer@retailops.demo',
} as const;

let t: TestApp;
let browser: Browser;
let baseUrl = '';
/** Uncaught exceptions in any page of the current test: there must be none (checked after each test). */
export const pageErrors: string[] = [];

export async function startCoachingBrowserApp(): Promise<{ t: TestApp; baseUrl: string }> {
  expect(spawnSync(process.execPath, [path.join(repoRoot, 'bin/build-web.mjs'), '--if-missing'], { stdio: 'inherit' }).status).toBe(0);
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium.`);
  mkdirSync(screenshots, { recursive: true });
  t = await createTestApp({ modules: [coachingModule.descriptor], jobs: coachingModule.jobs });
  const now = new Date();
  now.setUTCSeconds(0, 0);
  t.clock.set(now.toISOString());
  const passwordHash = await hashPassword(testPassword);
  for (const [role, email] of Object.entries(logins)) {
    const [user] = await t.database.db
      .insert(coreUsers)
      .values({ email, name: `${role} demo`, passwordHash })
      .returning();
    await t.database.db.insert(memberships).values({ organizationId: t.orgA.id, userId: user.id, role });
  }
  const env = {
    database: t.database,
    clock: t.clock,
    log: createLogger('silent'),
    progress: () => undefined,
    organizations: { demo: { id: t.orgA.id, slug: t.orgA.slug, name: t.orgA.name, timezone: t.orgA.timezone } },
  };
  for (const step of coachingDemoSteps({ importsDir: null })) await step.run(env);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return { t, baseUrl };
}

export async function stopCoachingBrowserApp(): Promise<void> {
  await browser?.close();
  await t?.close();
}

/** A new page signed in as `email`, in New York time like the demo organization. */
export async function signedInPage(email: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, timezoneId: 'America/New_York' });
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  await page.goto(`${baseUrl}/login`);
  await page
    .getByTestId('login-email')
    .waitFor({ timeout: 30_000 })
    .catch(async (error: unknown) => {
      await page.screenshot({ path: path.join(screenshots, 'login-failure.png') });
      throw error;
    });
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(testPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-org-name').first().waitFor({ timeout: 15_000 });
  return page;
}

/** A full-page screenshot without hover, focus or toasts. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1, 1);
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.addStyleTag({ content: '.mantine-Notifications-root { display: none !important; }' });
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

export async function rows<T>(sql: string, params: unknown[]): Promise<T[]> {
  return (await t.database.query<T & Record<string, unknown>>(sql, params)) as T[];
}

export async function one<T>(sql: string, params: unknown[]): Promise<T> {
  return (await rows<T>(sql, params))[0];
}

export async function count(sql: string, params: unknown[]): Promise<number> {
  return Number((await one<{ n: string }>(sql, params)).n);
}
