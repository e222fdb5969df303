import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['login']>>;
beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: '4096' } });
  admin = await t.login(t.orgA.emails.admin);
});
afterAll(async () => t?.close());

const memberCount = async () => Number((await t.database.query<{ n: string }>('select count(*) as n from core.memberships'))[0].n);

describe('bad input gets the JSON error shape and writes nothing', () => {
  it('malformed JSON', async () => {
    const before = await memberCount();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      payload: '{"email": "x@y.z", "name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'MALFORMED_JSON', message: expect.stringContaining('JSON') });
    expect(await memberCount()).toBe(before);
  });

  it('wrong types give field paths', async () => {
    const before = await memberCount();
    const response = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload: { email: 42, name: 'x', role: 'emperor' } });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    const paths = error.details.map((d: { path: string }) => d.path);
    expect(paths).toContain('body.email');
    expect(paths).toContain('body.role');
    expect(await memberCount()).toBe(before);
  });

  it('an oversized body', async () => {
    const before = await memberCount();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { email: 'big@x.test', name: 'x'.repeat(10_000), role: 'staff', password: 'longenough' },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await memberCount()).toBe(before);
  });

  it('an unknown route', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/nothing-here', headers: admin.headers });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('ROUTE_NOT_FOUND');
    const post = await t.app.inject({ method: 'POST', url: '/api/nothing-here', headers: admin.headers, payload: {} });
    expect(post.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('a bad query parameter names the parameter', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/users?limit=5000&sort=password', headers: admin.headers });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['querystring.limit', 'querystring.sort']));
  });

  it('a non-uuid id is a validation error, not a 500', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/users/not-a-uuid', headers: admin.headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('params.id');
  });
});

describe('one convention for pagination, sorting and filtering', () => {
  it('pages members with a total, sorts both ways, filters by role and searches', async () => {
    const page1 = (await t.app.inject({ method: 'GET', url: '/api/users?limit=2&offset=0&sort=email', headers: admin.headers })).json();
    const page2 = (await t.app.inject({ method: 'GET', url: '/api/users?limit=2&offset=2&sort=email', headers: admin.headers })).json();
    expect(page1.page).toEqual({ limit: 2, offset: 0, total: 4 });
    const emails = [...page1.data, ...page2.data].map((u: { email: string }) => u.email);
    expect(emails).toEqual([...emails].sort());
    const desc = (await t.app.inject({ method: 'GET', url: '/api/users?sort=-email', headers: admin.headers })).json();
    expect(desc.data.map((u: { email: string }) => u.email)).toEqual([...emails].sort().reverse());
    const viewers = (await t.app.inject({ method: 'GET', url: '/api/users?role=viewer', headers: admin.headers })).json();
    expect(viewers.data.map((u: { role: string }) => u.role)).toEqual(['viewer']);
    const search = (await t.app.inject({ method: 'GET', url: `/api/users?q=${encodeURIComponent('manager@')}`, headers: admin.headers })).json();
    expect(search.data).toHaveLength(1);
  });
});

describe('operational endpoints', () => {
  it('serves OpenAPI 3 with the routes and a docs page', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/users', '/api/users/{id}', '/api/jobs', '/api/health']));
    expect(spec.paths['/api/users'].post.requestBody).toBeTruthy();
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('exposes Prometheus metrics', async () => {
    await t.app.inject({ method: 'GET', url: '/api/health' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('retailops_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/api/health"');
  });

  it('health reports database and migrations; degraded without a worker heartbeat', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ database: { ok: true }, migrations: { ok: true, pending: 0 }, worker: { ok: false }, status: 'degraded' });
  });
});
