import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../context.js';
import { aiModelConfig, integrations, memberships, organizations, systemConfig, systemEvents, users } from '../db/schema.js';
import { writeAuditEntry } from '../audit/audit.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { encryptJson } from '../secrets.js';
import type { DemoEnvironment, DemoStep } from './demo-steps.js';

export const demoAdminEmail = 'admin@retailops.demo';
const demoLoginFile = 'demo-login.json';

const demoOrganizations = [
  { slug: 'demo', name: 'RetailOps Demo Co.', timezone: 'America/New_York' },
  { slug: 'northwind', name: 'Northwind Outlets', timezone: 'Europe/Berlin' },
];

const demoPeople = [
  { email: demoAdminEmail, name: 'Avery Admin', roles: { demo: 'admin', northwind: 'admin' } },
  { email: 'manager@retailops.demo', name: 'Morgan Manager', roles: { demo: 'manager' } },
  { email: 'staff@retailops.demo', name: 'Sam Staff', roles: { demo: 'staff', northwind: 'staff' } },
  { email: 'viewer@retailops.demo', name: 'Vic Viewer', roles: { demo: 'viewer' } },
];

export interface DemoLogin {
  email: string;
  password: string;
}

/** The demo password is generated once per installation and kept beside the data so every start can print it. */
export function readDemoLogin(dataDir: string): DemoLogin | null {
  const file = path.join(dataDir, demoLoginFile);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoLogin) : null;
}

function demoPassword(dataDir: string): string {
  const existing = readDemoLogin(dataDir);
  if (existing) return existing.password;
  const login: DemoLogin = { email: demoAdminEmail, password: `demo-${randomBytes(6).toString('hex')}` };
  writeFileSync(path.join(dataDir, demoLoginFile), JSON.stringify(login, null, 2), { mode: 0o600 });
  return login.password;
}

/** Whether the printed demo login still works (someone may have changed the password since). */
export async function demoLoginStillValid(env: Pick<DemoEnvironment, 'database'>, login: DemoLogin): Promise<boolean> {
  const [user] = await env.database.db
    .select({ hash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${login.email}`);
  return user ? verifyPassword(user.hash, login.password) : false;
}

export function coreDemoSteps(options: { dataDir: string; encryptionKey: Buffer; actor: Actor }): DemoStep[] {
  return [
    {
      name: 'organizations and people',
      async run(env: DemoEnvironment) {
        const db = env.database.db;
        const now = env.clock.now();
        for (const org of demoOrganizations) {
          const [row] = await db
            .insert(organizations)
            .values({ ...org, config: { demo: true }, createdAt: now, updatedAt: now })
            .onConflictDoUpdate({ target: organizations.slug, set: { name: org.name, updatedAt: now } })
            .returning();
          env.organizations[org.slug] = { id: row.id, slug: row.slug, name: row.name, timezone: row.timezone };
        }
        const password = demoPassword(options.dataDir);
        const passwordHash = await hashPassword(password);
        for (const person of demoPeople) {
          const [existing] = await db
            .select()
            .from(users)
            .where(sql`lower(${users.email}) = ${person.email}`);
          const user =
            existing ??
            (
              await db
                .insert(users)
                .values({ email: person.email, name: person.name, passwordHash, timezone: 'America/New_York', createdAt: now, updatedAt: now })
                .returning()
            )[0];
          for (const [slug, role] of Object.entries(person.roles)) {
            await db
              .insert(memberships)
              .values({ organizationId: env.organizations[slug].id, userId: user.id, role, createdAt: now, updatedAt: now })
              .onConflictDoNothing();
          }
          if (!existing) {
            await writeAuditEntry(db, {
              organizationId: env.organizations.demo.id,
              actor: options.actor,
              action: 'member.added',
              entityType: 'user',
              entityId: user.id,
              after: { email: user.email, name: user.name },
              at: now,
            });
          }
        }
      },
    },
    {
      name: 'settings and integrations',
      async run(env: DemoEnvironment) {
        const db = env.database.db;
        const now = env.clock.now();
        const org = env.organizations.demo;
        const settings: [string, unknown, string][] = [
          ['notifications.email_from', 'ops@retailops.demo', 'Sender address of notification emails'],
          ['calls.window', { start: '08:00', end: '20:00' }, 'Hours (store local time) in which AI calls may be placed'],
          ['escalation.business_hours_only', true, 'SLA clocks count store opening hours only'],
        ];
        for (const [key, value, description] of settings) {
          await db
            .insert(systemConfig)
            .values({ organizationId: org.id, configKey: key, configValue: value, description, updatedBy: options.actor.label, createdAt: now, updatedAt: now })
            .onConflictDoNothing();
        }
        const [twilio] = await db
          .select({ id: integrations.id })
          .from(integrations)
          .where(and(eq(integrations.organizationId, org.id), eq(integrations.serviceName, 'twilio')));
        if (!twilio) {
          await db.insert(integrations).values({
            organizationId: org.id,
            serviceName: 'twilio',
            category: 'voice',
            connected: false,
            credentials: encryptJson(options.encryptionKey, { accountSid: 'AC00000000000000000000000000000000', authToken: 'demo-not-a-real-token' }),
            settings: { fromNumber: '+15550100000', provider: 'simulated until connected' },
            createdAt: now,
            updatedAt: now,
          });
        }
        const [model] = await db.select({ id: aiModelConfig.id }).from(aiModelConfig).where(eq(aiModelConfig.organizationId, org.id));
        if (!model) {
          await db.insert(aiModelConfig).values({
            organizationId: org.id,
            modelName: 'offline-analytics',
            modelProvider: 'custom',
            modelParameters: { deterministic: true },
            purpose: 'default',
            createdAt: now,
            updatedAt: now,
          });
        }
        await db.insert(systemEvents).values({
          organizationId: org.id,
          eventType: 'demo.loaded',
          severity: 'info',
          message: 'Demo data loaded or refreshed',
          details: {},
          createdAt: now,
        });
      },
    },
  ];
}
