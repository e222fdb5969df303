import { and, eq } from 'drizzle-orm';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrations, systemConfig } from '../../../core/db/schema.js';
import type { ModuleDescriptor } from '../../../core/http/types.js';
import { encryptJson } from '../../../core/secrets.js';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { aiCalls, alerts } from '../schema.js';
import { escalateDueAlerts } from '../escalation/engine.js';
import { registerEscalationRoutes } from '../escalation/routes.js';
import { createEscalationFixture, insertAlert, type EscalationFixture } from '../escalation/test-fixtures.js';
import { startFakeTwilio } from './fake-twilio-server.js';
import { createCallProviderResolver } from './providers.js';
import { registerCallRoutes } from './routes.js';

const publicUrl = 'https://retailops.example.com';
const accountSid = `AC${'7'.repeat(32)}`;
const authToken = 'twilio-secret-token';
const descriptor: ModuleDescriptor = {
  key: 'store-health',
  name: 'Store health',
  description: 'escalations and calls under test',
  ready: true,
  registerRoutes: async (app, deps) => {
    await registerEscalationRoutes(app, deps);
    await registerCallRoutes(app, deps);
  },
};

let t: TestApp;
let fake: Awaited<ReturnType<typeof startFakeTwilio>>;
let a: EscalationFixture;
let b: EscalationFixture;
let managerA: Awaited<ReturnType<TestApp['login']>>;
let viewerA: Awaited<ReturnType<TestApp['login']>>;
let managerB: Awaited<ReturnType<TestApp['login']>>;

beforeAll(async () => {
  fake = await startFakeTwilio();
  t = await createTestApp({ modules: [descriptor], env: { PUBLIC_URL: publicUrl } });
  a = await createEscalationFixture(t.database.db, { organization: t.orgA, clock: t.clock, timezone: 'America/New_York' });
  b = await createEscalationFixture(t.database.db, { organization: t.orgB, clock: t.clock, timezone: 'America/New_York' });
  managerA = await t.login(t.orgA.emails.manager);
  viewerA = await t.login(t.orgA.emails.viewer);
  managerB = await t.login(t.orgB.emails.manager);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const monday = '2026-03-02';
const signed = (path: string, params: Record<string, string>) => ({
  'content-type': 'application/x-www-form-urlencoded',
  'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, `${publicUrl}${path}`, params),
});

describe('escalation rules API', () => {
  it('creates, lists, changes and deletes rules; checks levels and KPIs', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/escalation-rules',
      headers: managerA.headers,
      payload: {
        name: 'Net sales red 2 h',
        kpiCode: 'net_sales',
        triggerCondition: 'status_red',
        durationHours: 2,
        fromLevel: 0,
        toLevel: 1,
        action: 'ai_call',
      },
    });
    expect(created.statusCode).toBe(201);
    const rule = created.json();
    expect(rule).toMatchObject({ kpiDefinitionId: a.kpiId, kpiCode: 'net_sales', isActive: true });

    const list = await t.app.inject({ method: 'GET', url: '/api/store-health/escalation-rules?triggerCondition=status_red', headers: viewerA.headers });
    expect(list.json().data.map((r: { id: string }) => r.id)).toContain(rule.id);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/store-health/escalation-rules/${rule.id}`,
      headers: managerA.headers,
      payload: { durationHours: 3, isActive: false },
    });
    expect(patched.json()).toMatchObject({ durationHours: 3, isActive: false, kpiCode: 'net_sales' });

    const backwards = await t.app.inject({
      method: 'PATCH',
      url: `/api/store-health/escalation-rules/${rule.id}`,
      headers: managerA.headers,
      payload: { toLevel: 0, fromLevel: 2 },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.details).toEqual([{ path: 'toLevel', message: expect.stringContaining('at least fromLevel') }]);

    const badKpi = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/escalation-rules',
      headers: managerA.headers,
      payload: { kpiCode: 'nope', triggerCondition: 'sla_breach', durationHours: 0, fromLevel: 1, toLevel: 1, action: 'regional_escalation' },
    });
    expect(badKpi.statusCode).toBe(400);
    expect(badKpi.json().error.details.map((d: { path: string }) => d.path)).toEqual(['kpiCode', 'toLevel']);

    const asViewer = await t.app.inject({ method: 'DELETE', url: `/api/store-health/escalation-rules/${rule.id}`, headers: viewerA.headers });
    expect(asViewer.statusCode).toBe(403);
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/store-health/escalation-rules/${rule.id}`, headers: managerA.headers });
    expect(deleted.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/store-health/escalation-rules/${rule.id}`, headers: viewerA.headers })).statusCode).toBe(404);
  });
});

describe('another organization’s rows answer 404', () => {
  it('rules, scripts, calls and alerts of organization B are invisible to A', async () => {
    const ruleB = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/escalation-rules',
      headers: managerB.headers,
      payload: { triggerCondition: 'status_yellow', durationHours: 8, fromLevel: 0, toLevel: 0, action: 'create_task' },
    });
    expect(ruleB.statusCode).toBe(201);
    const id = ruleB.json().id;
    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { durationHours: 1 }],
      ['DELETE', undefined],
    ] as const) {
      const response = await t.app.inject({ method, url: `/api/store-health/escalation-rules/${id}`, headers: managerA.headers, payload });
      expect(response.statusCode).toBe(404);
    }
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/store-health/escalation-rules', headers: managerA.headers }))
        .json()
        .data.map((r: { id: string }) => r.id),
    ).not.toContain(id);

    const scriptsB = (await t.app.inject({ method: 'GET', url: '/api/store-health/call-scripts', headers: managerB.headers })).json();
    const scriptB = scriptsB.data[0].active.id;
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/store-health/call-scripts/${scriptB}/preview`, headers: managerA.headers, payload: {} })).statusCode,
    ).toBe(404);

    const alertB = await insertAlert(b, { alertDate: b.at(monday, '09:00') });
    const [callB] = await t.database.db
      .insert(aiCalls)
      .values({ organizationId: t.orgB.id, storeId: b.storeId, alertId: alertB.id, callType: 'red', callStatus: 'completed', transcript: 'secret' })
      .returning();
    expect((await t.app.inject({ method: 'GET', url: `/api/store-health/calls/${callB.id}`, headers: managerA.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/store-health/calls/${callB.id}`, headers: managerB.headers })).json().transcript).toBe('secret');
    const callsA = (await t.app.inject({ method: 'GET', url: '/api/store-health/calls', headers: managerA.headers })).json();
    expect(callsA.data.map((c: { id: string }) => c.id)).not.toContain(callB.id);

    // A's own script previewed against B's alert or store is 404 as well.
    const scriptA = (await t.app.inject({ method: 'GET', url: '/api/store-health/call-scripts', headers: managerA.headers })).json().data[0].active.id;
    for (const body of [{ alertId: alertB.id }, { storeId: b.storeId }]) {
      expect(
        (await t.app.inject({ method: 'POST', url: `/api/store-health/call-scripts/${scriptA}/preview`, headers: managerA.headers, payload: body })).statusCode,
      ).toBe(404);
    }
  });
});

describe('call scripts API', () => {
  it('versions scripts and rejects unknown variables with their names', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/call-scripts',
      headers: managerA.headers,
      payload: {
        scriptType: 'yellow',
        scriptContent: 'Hi {{manager_name}}, please look at {{kpi_name}} at {{store_name}}.',
        variables: { manager_name: 'Who', kpi_name: 'KPI', store_name: 'Store' },
      },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ scriptType: 'yellow', version: 2, isActive: true });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/call-scripts',
      headers: managerA.headers,
      payload: { scriptType: 'yellow', scriptContent: 'Hi {{manager}}, {{kpi_name}} is {{colour}}.', variables: {} },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ path: 'scriptContent', message: expect.stringMatching(/\{\{manager\}\}, \{\{colour\}\}/) });
    const staff = await t.login(t.orgA.emails.staff);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/store-health/call-scripts',
          headers: staff.headers,
          payload: { scriptType: 'red', scriptContent: 'Hello {{store_name}} team' },
        })
      ).statusCode,
    ).toBe(403);
    const yellow = (await t.app.inject({ method: 'GET', url: '/api/store-health/call-scripts', headers: viewerA.headers }))
      .json()
      .data.find((g: { scriptType: string }) => g.scriptType === 'yellow');
    expect(yellow.history.map((s: { version: number; isActive: boolean }) => [s.version, s.isActive])).toEqual([
      [2, true],
      [1, false],
    ]);
    const preview = await t.app.inject({
      method: 'POST',
      url: `/api/store-health/call-scripts/${yellow.active.id}/preview`,
      headers: viewerA.headers,
      payload: { storeId: a.storeId },
    });
    expect(preview.json().text).toBe('Hi Sam S001, please look at not available at Store S001.');
  });
});

describe('Twilio end to end against a local fake', () => {
  it('places calls through Twilio, accepts only signed callbacks and lets the answer drive the alert', async () => {
    await t.database.db.insert(integrations).values({
      organizationId: t.orgA.id,
      serviceName: 'twilio',
      category: 'voice',
      connected: true,
      credentials: encryptJson(t.deps.encryptionKey, { accountSid, authToken }),
      settings: { fromNumber: '+15550009999' },
    });
    await t.database.db.insert(systemConfig).values({ organizationId: t.orgA.id, configKey: 'calls.provider', configValue: 'twilio' });
    const answered = await insertAlert(a, { alertDate: a.at(monday, '09:00'), expiresAt: a.at(monday, '17:00') });
    const unanswered = await insertAlert(a, { alertDate: a.at(monday, '09:00'), expiresAt: a.at(monday, '17:00') });
    const env = {
      ...a.ctx,
      callProviders: createCallProviderResolver({ encryptionKey: t.deps.encryptionKey, publicUrl: t.deps.config.publicUrl, twilioApiBaseUrl: fake.baseUrl }),
    };
    await escalateDueAlerts(env, a.at(monday, '09:00'));
    const run = await escalateDueAlerts(env, a.at(monday, '13:00'));
    expect(run.calls.placed).toBe(2);
    expect(fake.requests).toHaveLength(2);

    const callOf = async (alertId: string) => (await t.database.db.select().from(aiCalls).where(eq(aiCalls.alertId, alertId)).orderBy(aiCalls.attempt))[0];
    const call = await callOf(answered.id);
    expect(call).toMatchObject({ provider: 'twilio', callStatus: 'in_progress', recipientPhone: '+15550000001' });
    const request = fake.requests.find((r) => r.form.get('StatusCallback')?.endsWith(call.id))!;
    expect(request.form.get('To')).toBe('+15550000001');
    expect(request.form.get('From')).toBe('+15550009999');
    expect(request.form.get('StatusCallback')).toBe(`${publicUrl}/api/store-health/calls/twilio/status?callId=${call.id}`);
    expect(request.form.get('Twiml')).toContain('Hello Dana District');
    expect(call.externalCallId).toMatch(/^CA\d{32}$/);

    t.clock.set(a.at(monday, '13:01'));
    const gatherPath = `/api/store-health/calls/twilio/gather?callId=${call.id}`;
    const answer = { CallSid: call.externalCallId!, AccountSid: accountSid, Digits: '1', SpeechResult: 'Yes, on it' };
    const forged = await t.app.inject({
      method: 'POST',
      url: gatherPath,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' },
      payload: new URLSearchParams(answer).toString(),
    });
    expect(forged.statusCode).toBe(403);
    // A valid signature for different fields is a forgery too.
    const tampered = await t.app.inject({
      method: 'POST',
      url: gatherPath,
      headers: signed(gatherPath, { ...answer, Digits: '2' }),
      payload: new URLSearchParams(answer).toString(),
    });
    expect(tampered.statusCode).toBe(403);
    const unsigned = await t.app.inject({
      method: 'POST',
      url: gatherPath,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(answer).toString(),
    });
    expect(unsigned.statusCode).toBe(403);
    expect((await t.database.db.select().from(alerts).where(eq(alerts.id, answered.id)))[0].status).toBe('active');

    const accepted = await t.app.inject({
      method: 'POST',
      url: gatherPath,
      headers: signed(gatherPath, answer),
      payload: new URLSearchParams(answer).toString(),
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.headers['content-type']).toContain('text/xml');
    expect(accepted.body).toContain('<Say>Thank you. The alert is marked as acknowledged. Goodbye.</Say>');
    const [acknowledged] = await t.database.db.select().from(alerts).where(eq(alerts.id, answered.id));
    expect(acknowledged).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'AI call: Dana District' });
    expect(await callOf(answered.id)).toMatchObject({ response: 'yes', sentiment: 'positive', callStatus: 'completed' });

    const statusPath = `/api/store-health/calls/twilio/status?callId=${call.id}`;
    const completed = { CallSid: call.externalCallId!, CallStatus: 'completed', CallDuration: '42', AnsweredBy: 'human' };
    const status = await t.app.inject({
      method: 'POST',
      url: statusPath,
      headers: signed(statusPath, completed),
      payload: new URLSearchParams(completed).toString(),
    });
    expect(status.statusCode).toBe(204);
    expect((await callOf(answered.id)).callDurationSeconds).toBe(42);

    // The other manager never picks up: Twilio reports no-answer and a redial is scheduled inside the window.
    const other = await callOf(unanswered.id);
    const otherPath = `/api/store-health/calls/twilio/status?callId=${other.id}`;
    const noAnswer = { CallSid: other.externalCallId!, CallStatus: 'no-answer', CallDuration: '0' };
    expect(
      (await t.app.inject({ method: 'POST', url: otherPath, headers: signed(otherPath, noAnswer), payload: new URLSearchParams(noAnswer).toString() }))
        .statusCode,
    ).toBe(204);
    const attempts = await t.database.db
      .select()
      .from(aiCalls)
      .where(and(eq(aiCalls.alertId, unanswered.id)))
      .orderBy(aiCalls.attempt);
    expect(attempts.map((c) => [c.attempt, c.callStatus, c.response])).toEqual([
      [1, 'no_answer', 'no_answer'],
      [2, 'scheduled', null],
    ]);
    expect(attempts[1].nextAttemptAt).toEqual(a.at(monday, '13:16'));

    // A callback naming an unknown call is refused the same way (nothing to learn from probing).
    const unknownPath = '/api/store-health/calls/twilio/status?callId=00000000-0000-4000-8000-000000000000';
    expect(
      (await t.app.inject({ method: 'POST', url: unknownPath, headers: signed(unknownPath, noAnswer), payload: new URLSearchParams(noAnswer).toString() }))
        .statusCode,
    ).toBe(403);

    const listed = await t.app.inject({ method: 'GET', url: `/api/store-health/calls?alertId=${unanswered.id}&sort=attempt`, headers: viewerA.headers });
    expect(listed.json().data.map((c: { attempt: number }) => c.attempt)).toEqual([1, 2]);
    expect(listed.json().data[0].transcript).toBeUndefined();
    const escalationsList = await t.app.inject({ method: 'GET', url: `/api/store-health/escalations?alertId=${answered.id}`, headers: viewerA.headers });
    expect(escalationsList.json().data).toMatchObject([
      { fromLevel: 0, toLevel: 1, status: 'acknowledged', storeCode: 'S001', escalatedToName: 'Dana District' },
    ]);
  });
});
