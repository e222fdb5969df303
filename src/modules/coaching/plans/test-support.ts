import type { ServiceContext } from '../../../core/context.js';
import { systemActor } from '../../../core/context.js';
import type { TestApp } from '../../../core/testing/test-app.js';
import { performanceMetrics, users } from '../schema.js';
import { addDays } from '../effectiveness/dates.js';
import type { HierarchyFixture, Persona } from '../testing/hierarchy-fixture.js';

/** Test helpers of the plans and effectiveness tests (not used by the application). */

/** A service context of organization A acting as the system (jobs), or as a person's sign-in. */
export function orgAContext(t: TestApp, actor: { userId?: string; role?: string } = {}): ServiceContext {
  return {
    db: t.database.db,
    organization: { id: t.orgA.id, slug: t.orgA.slug, name: t.orgA.name, timezone: t.orgA.timezone },
    actor: actor.userId ? { type: 'user', id: actor.userId, label: 'test user', userId: actor.userId } : systemActor('test'),
    role: actor.role ?? (actor.userId ? 'staff' : 'system'),
    clock: t.clock,
    log: t.deps.logger,
  };
}

export type DailyValues = Partial<Record<'service' | 'productivity' | 'quality' | 'attendance' | 'adherence' | 'csat' | 'fcr' | 'aht', number>>;

/** Inserts one metrics row per day from `from` for `days` days, values from `valuesOn(dayIndex, date)`. */
export async function insertDailyMetrics(
  t: TestApp,
  organizationId: string,
  agentId: string,
  from: string,
  days: number,
  valuesOn: (i: number, date: string) => DailyValues | null,
): Promise<void> {
  const rows = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    const v = valuesOn(i, date);
    if (!v) continue;
    rows.push({
      organizationId,
      agentId,
      metricDate: date,
      serviceScore: v.service ?? 75,
      productivityScore: v.productivity ?? 75,
      qualityScore: v.quality ?? 75,
      attendanceRate: v.attendance ?? 100,
      adherenceScore: v.adherence ?? 75,
      csat: v.csat ?? 4,
      fcr: v.fcr ?? 70,
      aht: v.aht ?? 400,
      callsHandled: 40,
      scheduledHours: 8,
      actualHours: 8,
      importedFrom: 'test',
    });
  }
  for (let i = 0; i < rows.length; i += 500) await t.database.db.insert(performanceMetrics).values(rows.slice(i, i + 500));
}

/** A new agent in an organization under a leader (no sign-in). */
export async function insertAgent(
  t: TestApp,
  organizationId: string,
  name: string,
  links: { teamLeaderId: string; managerId?: string | null; department?: string },
): Promise<string> {
  const [row] = await t.database.db
    .insert(users)
    .values({
      organizationId,
      name,
      role: 'AGENT',
      teamLeaderId: links.teamLeaderId,
      managerId: links.managerId ?? null,
      department: links.department ?? null,
      timezone: 'America/New_York',
    })
    .returning({ id: users.id });
  return row.id;
}

/**
 * Requests as a fixture persona with a sign-in made now: the fixture caches its sessions, which expire once a test
 * moves the clock forward by weeks.
 */
export function freshAs(t: TestApp, f: HierarchyFixture, who: Persona) {
  const email =
    who === 'admin'
      ? t.orgA.emails.admin
      : who === 'manager1'
        ? t.orgA.emails.manager
        : who === 'leaderB'
          ? t.orgB.emails.manager
          : `${who}@coaching-${f.people[who].organizationId.slice(0, 8)}.test`;
  let cached: { at: number; headers: Record<string, string> } | null = null;
  const headers = async () => {
    const now = t.clock.now().getTime();
    if (!cached || cached.at !== now) cached = { at: now, headers: (await t.login(email)).headers };
    return cached.headers;
  };
  const send = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: await headers(), ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, payload?: unknown) => send('POST', url, payload ?? {}),
    patch: (url: string, payload?: unknown) => send('PATCH', url, payload ?? {}),
    put: (url: string, payload?: unknown) => send('PUT', url, payload ?? {}),
  };
}
