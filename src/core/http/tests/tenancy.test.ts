import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { z } from 'zod';
import { installAuth } from '../auth-hooks.js';
import { defineJob } from '../../jobs/index.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let a: Awaited<ReturnType<TestApp['login']>>;
let b: Awaited<ReturnType<TestApp['login']>>;

const echoJob = defineJob({ name: 'test.echo', description: 'Echo', payload: z.object({ organizationId: z.uuid() }), run: async () => ({ ok: true }) });

beforeAll(async () => {
  t = await createTestApp({ jobs: [echoJob] });
  a = await t.login(t.orgA.emails.admin);
  b = await t.login(t.orgB.emails.admin);
});
afterAll(async () => t?.close());

/** Organization A's rows of every kind the core API exposes by id. */
async function createRowsInA() {
  const token = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: a.headers, payload: { name: 'a-token' } })).json();
  const integration = (
    await t.app.inject({
      method: 'POST',
      url: '/api/integrations',
      headers: a.headers,
      payload: { serviceName: 'stripe', credentials: { apiKey: 'sk_live_secret_value' } },
    })
  ).json();
  const model = (
    await t.app.inject({ method: 'POST', url: '/api/ai/models', headers: a.headers, payload: { modelName: 'gpt-x', modelProvider: 'openai' } })
  ).json();
  await t.app.inject({ method: 'PUT', url: '/api/config/store_health.flap_days', headers: a.headers, payload: { value: 2 } });
  await t.app.inject({ method: 'POST', url: '/api/jobs/test.echo/run', headers: a.headers, payload: {} });
  const runs = await t.database.query<{ id: string }>('select id from core.job_runs limit 1');
  const jobRunId = runs[0]?.id;
  // A job run exists only once a worker picks the job up; insert one directly so the 404 check has a row.
  const [run] = jobRunId
    ? [{ id: jobRunId }]
    : await t.database.query<{ id: string }>(
        `insert into core.job_runs (job_id, name, organization_id, state) values (gen_random_uuid(), 'test.echo', $1, 'failed') returning id`,
        [t.orgA.id],
      );
  return { token, integration, model, userId: t.orgA.userIds.staff, jobRunId: run.id };
}

describe('organization B never sees organization A', () => {
  it('answers 404 for every core route addressing one of A’s rows', async () => {
    const rows = await createRowsInA();
    const attempts: [string, string, unknown?][] = [
      ['GET', `/api/users/${rows.userId}`],
      ['PATCH', `/api/users/${rows.userId}`, { role: 'viewer' }],
      ['DELETE', `/api/users/${rows.userId}`],
      ['DELETE', `/api/tokens/${rows.token.id}`],
      ['GET', `/api/integrations/${rows.integration.id}`],
      ['PATCH', `/api/integrations/${rows.integration.id}`, { connected: true }],
      ['DELETE', `/api/integrations/${rows.integration.id}`],
      ['PATCH', `/api/ai/models/${rows.model.id}`, { active: false }],
      ['DELETE', `/api/config/store_health.flap_days`],
      ['GET', `/api/jobs/runs/${rows.jobRunId}`],
      ['POST', `/api/jobs/runs/${rows.jobRunId}/retry`, {}],
    ];
    for (const [method, url, payload] of attempts) {
      const response = await t.app.inject({ method: method as 'GET', url, headers: b.headers, payload: payload as object });
      expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 404 });
      expect(response.json().error.code).toBe('NOT_FOUND');
    }
    // And A's rows are untouched.
    const still = await t.app.inject({ method: 'GET', url: `/api/integrations/${rows.integration.id}`, headers: a.headers });
    expect(still.json().connected).toBe(false);
    const member = await t.app.inject({ method: 'GET', url: `/api/users/${rows.userId}`, headers: a.headers });
    expect(member.json().role).toBe('staff');
  });

  it('lists only its own rows', async () => {
    const lists = ['/api/users', '/api/tokens', '/api/audit-log', '/api/jobs', '/api/system/logs', '/api/system/events'];
    for (const url of lists) {
      const response = await t.app.inject({ method: 'GET', url, headers: b.headers });
      expect(response.statusCode, url).toBe(200);
      const body = JSON.stringify(response.json());
      expect(body, url).not.toContain(t.orgA.id);
      expect(body, url).not.toContain(t.orgA.emails.staff);
    }
    for (const url of ['/api/integrations', '/api/ai/models', '/api/config']) {
      const response = await t.app.inject({ method: 'GET', url, headers: b.headers });
      expect(response.json().data, url).toEqual([]);
    }
  });
});

describe('integration credentials', () => {
  it('are encrypted at rest and never returned', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/integrations',
      headers: a.headers,
      payload: { serviceName: 'sendgrid', category: 'email', credentials: { apiKey: 'SG.very-secret' } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ hasCredentials: true, credentialKeys: ['apiKey'] });
    expect(created.body).not.toContain('very-secret');
    const raw = await t.database.query<{ credentials: unknown }>(`select credentials from core.integrations where service_name = 'sendgrid'`);
    expect(JSON.stringify(raw[0].credentials)).not.toContain('very-secret');
    expect(raw[0].credentials).toMatchObject({ alg: 'aes-256-gcm' });
    const list = await t.app.inject({ method: 'GET', url: '/api/integrations', headers: a.headers });
    expect(list.body).not.toContain('very-secret');
    const audit = await t.app.inject({ method: 'GET', url: '/api/audit-log?entityType=integration', headers: a.headers });
    expect(audit.body).not.toContain('very-secret');
  });
});

describe('roles are enforced', () => {
  it('viewer reads, cannot write; staff cannot read the audit log; manager cannot manage users', async () => {
    const viewer = await t.login(t.orgA.emails.viewer);
    const staff = await t.login(t.orgA.emails.staff);
    const manager = await t.login(t.orgA.emails.manager);
    expect((await t.app.inject({ method: 'GET', url: '/api/organization', headers: viewer.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PATCH', url: '/api/organization', headers: viewer.headers, payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/audit-log', headers: staff.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: manager.headers })).statusCode).toBe(200);
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: manager.headers,
      payload: { email: 'n@x.test', name: 'n', password: 'longenough1', role: 'staff' },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('FORBIDDEN');
  });

  it('every /api route declares who may call it', () => {
    const bare = Fastify();
    installAuth(bare, t.deps);
    expect(() => bare.get('/api/unguarded', async () => 'x')).toThrow(/declares no config.access/);
    expect(() => bare.get('/api/guarded', { config: { access: 'viewer' } }, async () => 'x')).not.toThrow();
  });
});

describe('audit log', () => {
  it('records who changed what, with before and after', async () => {
    await t.app.inject({ method: 'PATCH', url: '/api/organization', headers: a.headers, payload: { name: 'Renamed A' } });
    const audit = await t.app.inject({ method: 'GET', url: '/api/audit-log?action=organization.updated', headers: a.headers });
    const entry = audit.json().data[0];
    expect(entry).toMatchObject({
      action: 'organization.updated',
      actor: { type: 'user', label: t.orgA.emails.admin },
      before: { name: expect.stringContaining('Org') },
      after: { name: 'Renamed A' },
    });
    expect(entry.requestId).toBeTruthy();
  });
});
