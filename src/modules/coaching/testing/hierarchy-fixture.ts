import type { LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../../../core/auth/passwords.js';
import { memberships, users as coreUsers } from '../../../core/db/schema.js';
import { testPassword, type TestApp } from '../../../core/testing/test-app.js';
import { performanceMetrics, users as people, type Role } from '../schema.js';

/** The people of the visibility tests; `login: false` people never sign in. */
export const personaNames = ['admin', 'manager1', 'manager2', 'leader1', 'leader2', 'agent1', 'agent2', 'agent3', 'agent4', 'leaderB', 'agentB'] as const;
export type Persona = (typeof personaNames)[number];
/** Signed-in users without a coaching person: the org's staff and viewer (403 everywhere in coaching). */
export type Outsider = 'unlinkedStaff';

export interface FixturePerson {
  id: string;
  name: string;
  role: Role;
  organizationId: string;
  email: string | null;
}

export interface HierarchyFixture {
  t: TestApp;
  people: Record<Persona, FixturePerson>;
  /** The first and last metric_date seeded (28 days ending the day before the test clock). */
  metricDates: { from: string; to: string };
  /** Sends a request as a persona (or an outsider) with its session cookie and CSRF token. */
  as(who: Persona | Outsider): {
    get(url: string): Promise<LightMyRequestResponse>;
    post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
    patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
    put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
    delete(url: string): Promise<LightMyRequestResponse>;
  };
}

/**
 * Organization A: admin → manager1 → leader1 → agent1, agent2, agent4 (agent4 never signs in);
 * manager2 → leader2 → agent3. Organization B: leaderB → agentB. 28 days of metrics for every agent.
 * admin and manager1 are the TestApp's admin and manager users; the others are new sign-ins (core role staff,
 * manager2 core manager); the TestApp's staff user of A stays unlinked.
 */
export async function createHierarchyFixture(t: TestApp): Promise<HierarchyFixture> {
  const db = t.database.db;
  const passwordHash = await hashPassword(testPassword);
  const emails = new Map<string, string>();
  const newLogin = async (orgId: string, key: string, coreRole: string) => {
    const email = `${key}@coaching-${orgId.slice(0, 8)}.test`;
    const [user] = await db.insert(coreUsers).values({ email, name: key, passwordHash }).returning();
    await db.insert(memberships).values({ organizationId: orgId, userId: user.id, role: coreRole });
    emails.set(key, email);
    return user.id;
  };
  const a = t.orgA.id;
  const b = t.orgB.id;
  const people_ = {} as Record<Persona, FixturePerson>;
  const add = async (
    key: Persona,
    orgId: string,
    role: Role,
    name: string,
    userId: string | null,
    links: { teamLeaderId?: string; managerId?: string } = {},
  ) => {
    const [row] = await db
      .insert(people)
      .values({
        organizationId: orgId,
        userId,
        name,
        role,
        email: `${key}@example.test`,
        employeeId: `E-${key}`,
        teamLeaderId: links.teamLeaderId ?? null,
        managerId: links.managerId ?? null,
        timezone: key === 'agent2' ? 'Europe/Berlin' : 'America/New_York',
        learningStyle: 'VISUAL',
        hireDate: '2024-01-15',
      })
      .returning();
    people_[key] = { id: row.id, name, role, organizationId: orgId, email: row.email };
  };
  emails.set('admin', t.orgA.emails.admin);
  emails.set('manager1', t.orgA.emails.manager);
  emails.set('unlinkedStaff', t.orgA.emails.staff);
  emails.set('leaderB', t.orgB.emails.manager);
  await add('admin', a, 'ADMIN', 'Ada Admin', t.orgA.userIds.admin);
  await add('manager1', a, 'MANAGER', 'Mona Manager', t.orgA.userIds.manager);
  await add('manager2', a, 'MANAGER', 'Max Manager', await newLogin(a, 'manager2', 'manager'));
  await add('leader1', a, 'TEAM_LEADER', 'Tara Lead', await newLogin(a, 'leader1', 'staff'), { managerId: people_.manager1.id });
  await add('leader2', a, 'TEAM_LEADER', 'Theo Lead', await newLogin(a, 'leader2', 'staff'), { managerId: people_.manager2.id });
  await add('agent1', a, 'AGENT', 'Alice Agent', await newLogin(a, 'agent1', 'staff'), { teamLeaderId: people_.leader1.id, managerId: people_.manager1.id });
  await add('agent2', a, 'AGENT', 'Bob Agent', await newLogin(a, 'agent2', 'staff'), { teamLeaderId: people_.leader1.id, managerId: people_.manager1.id });
  await add('agent3', a, 'AGENT', 'Carla Agent', await newLogin(a, 'agent3', 'staff'), { teamLeaderId: people_.leader2.id, managerId: people_.manager2.id });
  await add('agent4', a, 'AGENT', 'Dan Agent', null, { teamLeaderId: people_.leader1.id, managerId: people_.manager1.id });
  await add('leaderB', b, 'TEAM_LEADER', 'Bea Lead', t.orgB.userIds.manager);
  await add('agentB', b, 'AGENT', 'Ben Agent', null, { teamLeaderId: people_.leaderB.id });

  const today = t.clock.now();
  const day = (offset: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - offset)).toISOString().slice(0, 10);
  const agents: Persona[] = ['agent1', 'agent2', 'agent3', 'agent4', 'agentB'];
  const rows = agents.flatMap((key, index) =>
    Array.from({ length: 28 }, (_, i) => {
      const wave = Math.sin((i + index * 3) / 4) * 4;
      const base = 70 + index * 4;
      return {
        organizationId: people_[key].organizationId,
        agentId: people_[key].id,
        metricDate: day(28 - i),
        serviceScore: round(base + wave),
        productivityScore: round(base - 2 + wave / 2),
        qualityScore: round(base + 3 - wave / 2),
        attendanceRate: round(Math.min(100, 92 + wave)),
        adherenceScore: round(base + 1),
        csat: round(3.6 + index * 0.2 + wave / 20),
        fcr: round(68 + index * 3 + wave),
        aht: 360 - index * 15 + Math.round(wave * 5),
        callsHandled: 40 + index * 3 + Math.round(wave),
        callsTransferred: 3,
        callsEscalated: 1,
        scheduledHours: 8,
        actualHours: 7.5,
        importedFrom: 'fixture',
      };
    }),
  );
  await db.insert(performanceMetrics).values(rows);

  const sessions = new Map<string, Record<string, string>>();
  const headersFor = async (who: Persona | Outsider) => {
    if (!sessions.has(who)) {
      const email = emails.get(who);
      if (!email) throw new Error(`${who} never signs in (no login in the hierarchy fixture)`);
      sessions.set(who, (await t.login(email)).headers);
    }
    return sessions.get(who)!;
  };
  const as: HierarchyFixture['as'] = (who) => {
    const send = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
      t.app.inject({ method, url, headers: await headersFor(who), ...(payload === undefined ? {} : { payload: payload as object }) });
    return {
      get: (url) => send('GET', url),
      post: (url, payload) => send('POST', url, payload ?? {}),
      patch: (url, payload) => send('PATCH', url, payload ?? {}),
      put: (url, payload) => send('PUT', url, payload ?? {}),
      delete: (url) => send('DELETE', url),
    };
  };
  return { t, people: people_, metricDates: { from: day(28), to: day(1) }, as };
}

const round = (n: number) => Math.round(n * 100) / 100;
