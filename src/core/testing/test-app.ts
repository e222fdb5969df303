import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { createOfflineProvider } from '../ai/index.js';
import { loadConfig } from '../config.js';
import { createFixedClock, type Clock } from '../clock.js';
import { systemActor } from '../context.js';
import { buildApp } from '../http/app.js';
import type { AppDeps, ModuleDescriptor, TypedApp } from '../http/types.js';
import { createJobRegistry, enqueueJob, type AnyJobDefinition } from '../jobs/index.js';
import { createLogger } from '../logger.js';
import { createOrganization } from '../tenancy/organizations-service.js';
import { hashPassword } from '../auth/passwords.js';
import { memberships, users } from '../db/schema.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const testPassword = 'correct horse battery';

export interface TestOrg {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  /** email by role: admin@<slug>.test, manager@…, staff@…, viewer@… */
  emails: Record<'admin' | 'manager' | 'staff' | 'viewer', string>;
  userIds: Record<'admin' | 'manager' | 'staff' | 'viewer', string>;
}

export interface TestApp {
  app: TypedApp;
  database: TestDatabase;
  clock: ReturnType<typeof createFixedClock>;
  orgA: TestOrg;
  orgB: TestOrg;
  logLines: string[];
  messages: { to: string; subject: string; text: string }[];
  deps: AppDeps;
  /** Signs in and returns headers for later requests (cookie + CSRF token). */
  login(email: string, password?: string): Promise<{ cookie: string; csrf: string; headers: Record<string, string> }>;
  close(): Promise<void>;
}

export async function seedOrganization(database: TestDatabase, clock: Clock, slug: string, timezone = 'UTC'): Promise<TestOrg> {
  const org = await createOrganization({ db: database.db, clock, actor: systemActor('test') }, { slug, name: `Org ${slug}`, timezone });
  const passwordHash = await hashPassword(testPassword);
  const emails = {} as TestOrg['emails'];
  const userIds = {} as TestOrg['userIds'];
  for (const role of ['admin', 'manager', 'staff', 'viewer'] as const) {
    const email = `${role}@${slug}.test`;
    const [user] = await database.db
      .insert(users)
      .values({ email, name: `${role} of ${slug}`, passwordHash })
      .returning();
    await database.db.insert(memberships).values({ organizationId: org.id, userId: user.id, role });
    emails[role] = email;
    userIds[role] = user.id;
  }
  return { ...org, emails, userIds };
}

export function cookieHeader(response: LightMyRequestResponse): string {
  return response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

/** A full app on a fresh database with two organizations (A and B), four users each, on a fixed clock. */
export async function createTestApp(options: { jobs?: AnyJobDefinition[]; modules?: ModuleDescriptor[]; env?: Record<string, string> } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = createFixedClock('2026-03-02T14:00:00Z');
  const logLines: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) }));
  const messages: TestApp['messages'] = [];
  const config = loadConfig({ PORT: '0', RETAILOPS_DATA_DIR: '/tmp/retailops-test-data', LOGIN_RATE_LIMIT_PER_MINUTE: '10000', ...options.env });
  const registry = createJobRegistry(options.jobs ?? []);
  const orgA = await seedOrganization(database, clock, `org-a-${randomBytes(2).toString('hex')}`, 'America/New_York');
  const orgB = await seedOrganization(database, clock, `org-b-${randomBytes(2).toString('hex')}`, 'Europe/Berlin');
  const deps: AppDeps = {
    database,
    config,
    clock,
    logger,
    encryptionKey: randomBytes(32),
    ai: createOfflineProvider(),
    jobs: { registry, enqueue: (name, data, opts) => enqueueJob(database, registry, name, data, opts) },
    modules: options.modules ?? [],
    version: 'test',
    bridgeToken: null,
    deliverMessage: async (message) => {
      messages.push(message);
    },
  };
  const app = await buildApp(deps);
  await app.ready();
  const login = async (email: string, password = testPassword) => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    if (response.statusCode !== 200) throw new Error(`login ${email} failed: ${response.statusCode} ${response.body}`);
    const cookie = cookieHeader(response);
    const csrf = response.json().csrfToken as string;
    return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
  };
  return {
    app,
    database,
    clock,
    orgA,
    orgB,
    logLines,
    messages,
    deps,
    login,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}
