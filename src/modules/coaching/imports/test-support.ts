import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import type { ServiceContext } from '../../../core/context.js';
import { systemActor } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import type { TestApp, TestOrg } from '../../../core/testing/test-app.js';
import type { HierarchyFixture, Persona } from '../testing/hierarchy-fixture.js';

/** A service context for tests: the CLI/system actor by default, or a signed-in user with an org role. */
export function importContext(t: TestApp, org: TestOrg, as: { userId?: string; role?: string } = {}): ServiceContext {
  return {
    db: t.database.db,
    organization: { id: org.id, slug: org.slug, name: org.name, timezone: org.timezone },
    actor: as.userId ? { type: 'user', id: as.userId, label: 'test user', userId: as.userId } : systemActor('test'),
    role: as.role ?? 'admin',
    clock: t.clock,
    log: t.deps.logger,
  };
}

/** The core user behind a fixture persona (null for people who never sign in). */
export async function userIdOf(t: TestApp, personId: string): Promise<string | null> {
  const [row] = await sqlRows<{ user_id: string | null }>(t.database.db, sql`SELECT user_id FROM coaching.users WHERE id = ${personId}`);
  return row?.user_id ?? null;
}

/** A service context acting as a fixture persona (their core role does not matter to coaching; their person does). */
export async function personaContext(f: HierarchyFixture, who: Persona): Promise<ServiceContext> {
  const person = f.people[who];
  const org = person.organizationId === f.t.orgA.id ? f.t.orgA : f.t.orgB;
  const userId = await userIdOf(f.t, person.id);
  return importContext(f.t, org, { userId: userId ?? undefined, role: who === 'admin' ? 'admin' : 'staff' });
}

/** A multipart/form-data body with text fields and one file, for app.inject. */
export function multipartBody(fields: Record<string, string>, file: { name: string; bytes: Uint8Array | string }) {
  const boundary = `----coaching${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Signs a fixture persona in (its own session) and returns the request headers. */
export async function personaHeaders(f: HierarchyFixture, who: Persona): Promise<Record<string, string>> {
  const userId = await userIdOf(f.t, f.people[who].id);
  if (!userId) throw new Error(`${who} never signs in`);
  const [row] = await sqlRows<{ email: string }>(f.t.database.db, sql`SELECT email FROM core.users WHERE id = ${userId}`);
  return (await f.t.login(row.email)).headers;
}

export async function uploadAs(
  f: HierarchyFixture,
  who: Persona,
  url: '/api/coaching/imports' | '/api/coaching/imports/preview',
  file: { name: string; bytes: Uint8Array | string },
  options?: unknown,
): Promise<LightMyRequestResponse> {
  const form = multipartBody(options === undefined ? {} : { options: JSON.stringify(options) }, file);
  return f.t.app.inject({ method: 'POST', url, payload: form.payload, headers: { ...(await personaHeaders(f, who)), ...form.headers } });
}

/** Every column of the organization's daily metrics, ordered, for before/after comparisons. */
export async function metricsSnapshot(t: TestApp, orgId: string) {
  return sqlRows<Record<string, unknown>>(
    t.database.db,
    sql`SELECT * FROM coaching.performance_metrics WHERE organization_id = ${orgId} ORDER BY agent_id, metric_date`,
  );
}

export async function historySnapshot(t: TestApp, orgId: string) {
  return sqlRows<Record<string, unknown>>(
    t.database.db,
    sql`SELECT agent_id, period_type, period_ending::text, avg_service_score, avg_productivity_score, avg_quality_score, avg_attendance_rate,
               avg_adherence_score, avg_composite_score, service_trend, productivity_trend, quality_trend, attendance_trend, adherence_trend,
               score_variance, days_worked
        FROM coaching.performance_history WHERE organization_id = ${orgId} ORDER BY agent_id, period_type, period_ending`,
  );
}

export const csv = (lines: string[]) => `${lines.join('\n')}\n`;
