import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, users } from '../../db/schema.js';
import { createTestApp, testPassword, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('sign-in with a session cookie', () => {
  it('logs in, sets an HTTP-only session cookie and a readable CSRF cookie, and answers /me', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: t.orgA.emails.manager, password: testPassword } });
    expect(response.statusCode).toBe(200);
    const session = response.cookies.find((c) => c.name === 'retailops_session')!;
    const csrf = response.cookies.find((c) => c.name === 'retailops_csrf')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    expect(csrf.httpOnly).toBeFalsy();
    expect(response.json()).toMatchObject({ user: { email: t.orgA.emails.manager }, organization: { id: t.orgA.id }, role: 'manager' });

    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `retailops_session=${session.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().organizations).toHaveLength(1);
  });

  it('answers 401 with the error shape without a session, and for a wrong password', async () => {
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('UNAUTHENTICATED');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: t.orgA.emails.staff, password: 'nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: expect.any(String) } });
  });

  it('rejects a cookie-authenticated write without the CSRF header', async () => {
    const { cookie, csrf } = await t.login(t.orgA.emails.admin);
    const without = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie }, payload: { name: 'x' } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF_FAILED');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie, 'x-csrf-token': 'forged' }, payload: { name: 'x' } });
    expect(wrong.statusCode).toBe(403);
    const right = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'x' } });
    expect(right.statusCode).toBe(201);
  });

  it('logs out: the session no longer works', async () => {
    const { cookie } = await t.login(t.orgA.emails.viewer);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });
});

describe('bearer API tokens', () => {
  it('acts as its owner in its organization, and stops working when revoked', async () => {
    const admin = await t.login(t.orgA.emails.admin);
    const created = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: admin.headers, payload: { name: 'integration', role: 'viewer' } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^rot_/);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ organization: { id: t.orgA.id }, role: 'viewer', via: 'token' });
    // A viewer token cannot write even though its owner is an admin; no CSRF needed for bearer auth.
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${token}` },
      payload: { email: 'x@y.z', name: 'x', password: 'longenough', role: 'staff' },
    });
    expect(write.statusCode).toBe(403);
    const list = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: admin.headers });
    expect(JSON.stringify(list.json())).not.toContain(token);
    await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: admin.headers });
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
  });

  it('stores only a hash of the token', async () => {
    const admin = await t.login(t.orgA.emails.admin);
    const { token } = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: admin.headers, payload: { name: 'hash check' } })).json();
    const rows = await t.database.query<{ token_hash: string }>('select token_hash from core.api_tokens');
    expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('organization switch', () => {
  it('a member of two organizations switches, and each request acts in exactly one', async () => {
    const admin = await t.login(t.orgA.emails.admin);
    // Make A's admin a viewer of B.
    const bAdmin = await t.login(t.orgB.emails.admin);
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bAdmin.headers,
      payload: { email: t.orgA.emails.admin, name: 'shared', role: 'viewer' },
    });
    expect(added.statusCode).toBe(201);

    const before = await t.app.inject({ method: 'GET', url: '/api/organization', headers: admin.headers });
    expect(before.json().id).toBe(t.orgA.id);
    const switched = await t.app.inject({
      method: 'POST',
      url: '/api/auth/switch-organization',
      headers: admin.headers,
      payload: { organizationId: t.orgB.id },
    });
    expect(switched.statusCode).toBe(200);
    expect(switched.json()).toMatchObject({ organization: { id: t.orgB.id }, role: 'viewer' });
    const after = await t.app.inject({ method: 'GET', url: '/api/organization', headers: admin.headers });
    expect(after.json().id).toBe(t.orgB.id);
    // The role follows the organization: a viewer in B cannot list tokens there.
    const tokens = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: admin.headers });
    expect(tokens.statusCode).toBe(403);
  });

  it('cannot switch into an organization one does not belong to (404)', async () => {
    const staff = await t.login(t.orgA.emails.staff);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/switch-organization',
      headers: staff.headers,
      payload: { organizationId: t.orgB.id },
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('login throttling', () => {
  it('ten wrong passwords: slowed after five, locked at ten, every failure audited', async () => {
    const email = t.orgB.emails.staff;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: `wrong-${i}` } });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.json().error.code).toBe('LOGIN_THROTTLED');
        // Waiting out the backoff allows the next attempt.
        t.clock.advance(60_000);
        const retried = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: `wrong-${i}` } });
        statuses[i] = retried.statusCode;
      }
    }
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
    expect(statuses[9]).toBe(401);
    // Even the right password is refused while locked.
    const locked = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: testPassword } });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');

    const [user] = await t.database.db.select().from(users).where(eq(users.email, email));
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, user.id), eq(auditLog.organizationId, t.orgB.id)));
    expect(audit.filter((a) => a.action === 'auth.login_failed')).toHaveLength(10);
    expect(audit.filter((a) => a.action === 'auth.account_locked')).toHaveLength(1);
    expect(audit.some((a) => a.action === 'auth.login_blocked')).toBe(true);

    // Fifteen minutes later the right password works again.
    t.clock.advance(16 * 60_000);
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: testPassword } });
    expect(ok.statusCode).toBe(200);
  });

  it('throttles an attempt that comes too soon after five failures', async () => {
    const email = t.orgB.emails.viewer;
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong' } });
    const soon = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: testPassword } });
    expect(soon.statusCode).toBe(429);
    expect(soon.json().error.details.retryAt).toBeTruthy();
    t.clock.advance(1_500);
    const later = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: testPassword } });
    expect(later.statusCode).toBe(200);
  });
});

describe('password reset', () => {
  it('sends a single-use link that expires', async () => {
    const email = t.orgA.emails.staff;
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset/request', payload: { email: 'nobody@nowhere.test' } });
    expect(unknown.statusCode).toBe(202);
    expect(t.messages).toHaveLength(0);

    const requested = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset/request', payload: { email } });
    expect(requested.statusCode).toBe(202);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(t.messages.at(-1)!.text)![1]);
    const stored = await t.database.query<{ password_reset_token: string }>('select password_reset_token from core.users where email = $1', [email]);
    expect(stored[0].password_reset_token).not.toBe(token);

    const tooShort = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, password: 'short' } });
    expect(tooShort.statusCode).toBe(400);
    const confirmed = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, password: 'a brand new password' } });
    expect(confirmed.statusCode).toBe(200);
    const reused = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, password: 'another new password' } });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe('RESET_TOKEN_INVALID');
    await t.login(email, 'a brand new password');

    await t.app.inject({ method: 'POST', url: '/api/auth/password-reset/request', payload: { email } });
    const late = decodeURIComponent(/token=([^\s]+)/.exec(t.messages.at(-1)!.text)![1]);
    t.clock.advance(61 * 60_000);
    const expired = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token: late, password: 'yet another password' } });
    expect(expired.statusCode).toBe(400);
  });
});

describe('request logs', () => {
  it('never contain passwords, cookies or tokens', async () => {
    const { cookie } = await t.login(t.orgA.emails.manager);
    await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } });
    const logs = t.logLines.join('\n');
    expect(logs).toContain('/api/auth/login');
    expect(logs).not.toContain(testPassword);
    expect(logs).not.toContain(cookie.split('=')[1].split(';')[0]);
  });
});
