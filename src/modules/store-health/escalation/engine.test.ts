import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../../core/db/connection.js';
import { systemLogs } from '../../../core/db/schema.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { aiCalls, alerts, escalations, riskPredictions, tasks } from '../schema.js';
import type { CallAnswer, CallProviderResolver, CallRequest, SimulatedScenario } from '../calls/call-provider.js';
import { createSimulatedProvider } from '../calls/simulated-provider.js';
import { escalateDueAlerts, type EscalationEnv } from './engine.js';
import { deleteEscalationRule, loadActiveEscalationRules } from './service.js';
import { createEscalationFixture, insertAlert, insertRule, insertStore, type EscalationFixture } from './test-fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.destroy());

/** A simulated provider whose answers the test decides, recording every call it receives. */
function scriptedProvider(answer: (request: CallRequest) => SimulatedScenario) {
  const received: CallRequest[] = [];
  const provider = createSimulatedProvider({
    scenario: (request) => {
      received.push(request);
      return answer(request);
    },
  });
  const resolver: CallProviderResolver = async () => provider;
  return { resolver, received };
}

const always = (answer: CallAnswer) => scriptedProvider(() => ({ answer }));

function engine(fixture: EscalationFixture, resolver: CallProviderResolver, db = fixture.ctx.db) {
  const env: EscalationEnv = { ...fixture.ctx, db, callProviders: resolver };
  return (date: string, hhmm: string) => {
    const now = fixture.at(date, hhmm);
    fixture.clock.set(now);
    return escalateDueAlerts(env, now);
  };
}

async function alertRow(fixture: EscalationFixture, id: string) {
  const [row] = await fixture.ctx.db.select().from(alerts).where(eq(alerts.id, id));
  return row;
}
const escalationsOf = (fixture: EscalationFixture, alertId: string) =>
  fixture.ctx.db.select().from(escalations).where(eq(escalations.alertId, alertId)).orderBy(asc(escalations.escalatedAt), asc(escalations.fromLevel));
const callsOf = (fixture: EscalationFixture, alertId: string) =>
  fixture.ctx.db.select().from(aiCalls).where(eq(aiCalls.alertId, alertId)).orderBy(asc(aiCalls.attempt));
const tasksOf = (fixture: EscalationFixture, alertId: string) =>
  fixture.ctx.db.select().from(tasks).where(eq(tasks.alertId, alertId)).orderBy(asc(tasks.createdAt));

// 2026-03-02 is a Monday; the fixture store opens Monday–Saturday 09:00–21:00 (America/New_York), closed Sunday.
const monday = '2026-03-02';
const tuesday = '2026-03-03';
const wednesday = '2026-03-04';

describe('timeline with the default rules', () => {
  it('red at 09:00, unacknowledged: district call at 13:00; "yes" acknowledges and stops the clock', async () => {
    const f = await createEscalationFixture(database.db);
    const { resolver, received } = always('yes');
    const run = engine(f, resolver);
    const alert = await insertAlert(f, { alertDate: f.at(monday, '09:00'), expiresAt: f.at(monday, '17:00') });

    const first = await run(monday, '09:00');
    expect(first.escalations).toEqual([]);
    // The persisted timer is the first moment a rule can fire: 4 opening hours after 09:00.
    expect((await alertRow(f, alert.id)).nextEscalationAt).toEqual(f.at(monday, '13:00'));

    expect((await run(monday, '12:59')).escalations).toEqual([]);
    expect(received).toHaveLength(0);

    const atOne = await run(monday, '13:00');
    expect(atOne.escalations).toMatchObject([{ alertId: alert.id, fromLevel: 0, toLevel: 1, action: 'ai_call' }]);
    const [step] = await escalationsOf(f, alert.id);
    expect(step).toMatchObject({
      fromLevel: 0,
      toLevel: 1,
      triggeredBy: 'threshold',
      escalatedToRole: 'district_manager',
      escalatedToName: 'Dana District',
      escalatedToContact: '+15550000001',
      escalatedAt: f.at(monday, '13:00'),
      status: 'acknowledged',
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ to: '+15550000001', recipientName: 'Dana District', attempt: 1, callType: 'red' });
    expect(received[0].script).toContain('Dana District');
    expect(received[0].script).toContain('Store S001');
    expect(received[0].script).toContain('$8,420');
    expect(received[0].script).toContain('-15.8%');

    const [call] = await callsOf(f, alert.id);
    expect(call).toMatchObject({
      callStatus: 'completed',
      response: 'yes',
      sentiment: 'positive',
      escalationId: step.id,
      provider: 'simulated',
      scriptVersion: 1,
    });
    expect(call.transcript).toContain('Dana District: Yes');
    expect(call.callDurationSeconds).toBeGreaterThan(0);

    const acknowledged = await alertRow(f, alert.id);
    expect(acknowledged).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'AI call: Dana District', escalationLevel: 1, nextEscalationAt: null });

    // The SLA deadline (17:00) and the next days pass without further escalation.
    expect((await run(monday, '17:00')).escalations).toEqual([]);
    expect((await run(wednesday, '12:00')).escalations).toEqual([]);
    expect(await escalationsOf(f, alert.id)).toHaveLength(1);
  });

  it('no answer: redials at 13:15 and 13:30 (a voicemail counts as no answer), then escalates to the regional manager', async () => {
    const f = await createEscalationFixture(database.db);
    const answers: CallAnswer[] = ['no_answer', 'voicemail', 'no_answer'];
    const { resolver, received } = scriptedProvider((request) => ({ answer: answers[request.attempt - 1] }));
    const run = engine(f, resolver);
    const alert = await insertAlert(f, { alertDate: f.at(monday, '09:00'), expiresAt: f.at(monday, '17:00') });

    await run(monday, '13:00');
    let calls = await callsOf(f, alert.id);
    expect(calls.map((c) => [c.attempt, c.callStatus])).toEqual([
      [1, 'no_answer'],
      [2, 'scheduled'],
    ]);
    expect(calls[1].nextAttemptAt).toEqual(f.at(monday, '13:15'));

    await run(monday, '13:14');
    expect(received).toHaveLength(1);
    await run(monday, '13:15');
    await run(monday, '13:30');
    expect(received.map((r) => r.attempt)).toEqual([1, 2, 3]);
    calls = await callsOf(f, alert.id);
    expect(calls.map((c) => [c.attempt, c.callStatus, c.response])).toEqual([
      [1, 'no_answer', 'no_answer'],
      [2, 'no_answer', 'no_answer'],
      [3, 'no_answer', 'no_answer'],
    ]);
    expect(calls[1].metadata.outcome).toBe('voicemail');

    const steps = await escalationsOf(f, alert.id);
    expect(steps.map((s) => [s.fromLevel, s.toLevel, s.triggeredBy])).toEqual([
      [0, 1, 'threshold'],
      [1, 2, 'sla_breach'],
    ]);
    expect(steps[1]).toMatchObject({ escalatedToName: 'Rita Regional', escalatedAt: f.at(monday, '13:30') });
    expect(steps[1].metadata).toMatchObject({ cause: 'calls_unanswered' });
    const regionalTask = (await tasksOf(f, alert.id)).find((t) => t.assignedToRole === 'regional_manager');
    expect(regionalTask).toMatchObject({ taskType: 'escalation', assignedToName: 'Rita Regional', priority: 2 });

    // Level 2's clock started at 13:30: "red for 24 more opening hours" → 7.5 h Monday + 12 h Tuesday + 4.5 h Wednesday.
    const escalated = await alertRow(f, alert.id);
    expect(escalated.escalationLevel).toBe(2);
    expect(escalated.nextEscalationAt).toEqual(f.at(wednesday, '13:30'));
    // The SLA rule 1→2 is not applied a second time at 17:00.
    expect((await run(monday, '17:00')).escalations).toEqual([]);
    const headOffice = await run(wednesday, '13:30');
    expect(headOffice.escalations).toMatchObject([{ fromLevel: 2, toLevel: 3, action: 'send_alert' }]);
    const notified = await alertRow(f, alert.id);
    expect(notified.metadata.notifications).toMatchObject([{ level: 3, name: 'Acme Retail head office' }]);
    const [log] = await f.ctx.db
      .select()
      .from(systemLogs)
      .where(and(eq(systemLogs.organizationId, f.ctx.organization.id), eq(systemLogs.source, 'store-health.escalation')));
    expect(log.message).toContain('Acme Retail head office');
  });

  it('a call due outside the call window waits for the window to open', async () => {
    const f = await createEscalationFixture(database.db);
    const { resolver, received } = always('yes');
    const run = engine(f, resolver);
    const alert = await insertAlert(f, { alertDate: f.at(monday, '17:00'), expiresAt: f.at(tuesday, '13:00') });
    await run(monday, '17:00');
    expect((await alertRow(f, alert.id)).nextEscalationAt).toEqual(f.at(monday, '21:00'));

    const late = await run(monday, '21:00');
    expect(late.escalations).toMatchObject([{ fromLevel: 0, toLevel: 1, action: 'ai_call' }]);
    const [scheduled] = await callsOf(f, alert.id);
    expect(scheduled).toMatchObject({ callStatus: 'scheduled', nextAttemptAt: f.at(tuesday, '08:00') });

    await run(tuesday, '07:59');
    expect(received).toHaveLength(0);
    await run(tuesday, '08:00');
    expect(received).toHaveLength(1);
    expect((await callsOf(f, alert.id))[0]).toMatchObject({ callStatus: 'completed', callInitiatedAt: f.at(tuesday, '08:00') });
  });
});

describe('custom rules', () => {
  it('counts SLA time in opening hours only, across a closed Sunday', async () => {
    const f = await createEscalationFixture(database.db, { defaultRules: false });
    await insertRule(f, { triggerCondition: 'status_red', durationHours: 4, fromLevel: 0, toLevel: 1, action: 'create_task' });
    const run = engine(f, always('yes').resolver);
    // Saturday 19:00: 2 h until closing, Sunday closed, 2 more hours on Monday → Monday 11:00.
    const alert = await insertAlert(f, { alertDate: f.at('2026-03-07', '19:00') });
    await run('2026-03-07', '19:00');
    expect((await alertRow(f, alert.id)).nextEscalationAt).toEqual(f.at('2026-03-09', '11:00'));
    expect((await run('2026-03-08', '12:00')).escalations).toEqual([]);
    expect((await run('2026-03-09', '10:59')).escalations).toEqual([]);
    const fired = await run('2026-03-09', '11:00');
    expect(fired.escalations).toMatchObject([{ fromLevel: 0, toLevel: 1, action: 'create_task' }]);
    const [task] = await tasksOf(f, alert.id);
    // The district manager's task is due within the red SLA (8 opening hours) from 11:00.
    expect(task).toMatchObject({
      assignedToRole: 'district_manager',
      assignedToName: 'Dana District',
      taskType: 'escalation',
      dueDate: f.at('2026-03-09', '19:00'),
    });
    const [step] = await escalationsOf(f, alert.id);
    expect(step.taskId).toBe(task.id);
  });

  it('"later" snoozes until the promised time with a follow-up task, and the clock waits for it', async () => {
    const f = await createEscalationFixture(database.db, { defaultRules: false });
    await insertRule(f, { triggerCondition: 'status_red', durationHours: 4, fromLevel: 0, toLevel: 1, action: 'ai_call' });
    await insertRule(f, { triggerCondition: 'status_red', durationHours: 1, fromLevel: 1, toLevel: 2, action: 'regional_escalation' });
    const { resolver } = scriptedProvider(() => ({ answer: 'later', promisedAt: f.at(monday, '15:00') }));
    const run = engine(f, resolver);
    const alert = await insertAlert(f, { alertDate: f.at(monday, '09:00') });
    await run(monday, '09:00');
    await run(monday, '13:00');

    const snoozed = await alertRow(f, alert.id);
    expect(snoozed).toMatchObject({ status: 'active', escalationLevel: 1, snoozedUntil: f.at(monday, '15:00') });
    // Without the snooze the 1→2 rule would fire at 14:00.
    expect(snoozed.nextEscalationAt).toEqual(f.at(monday, '15:00'));
    const [call] = await callsOf(f, alert.id);
    expect(call).toMatchObject({ response: 'later', followUpRequired: true, sentiment: 'neutral' });
    const [followUp] = await tasksOf(f, alert.id);
    expect(followUp).toMatchObject({ taskType: 'follow_up', assignedToName: 'Dana District', dueDate: f.at(monday, '15:00') });
    expect(call.taskId).toBe(followUp.id);

    expect((await run(monday, '14:30')).escalations).toEqual([]);
    const regional = await run(monday, '15:00');
    expect(regional.escalations).toMatchObject([{ fromLevel: 1, toLevel: 2, action: 'regional_escalation' }]);
    const regionalTask = (await tasksOf(f, alert.id)).find((t) => t.assignedToRole === 'regional_manager');
    expect(regionalTask?.assignedToName).toBe('Rita Regional');
    expect((await alertRow(f, alert.id)).metadata.notifications).toMatchObject([{ level: 2, name: 'Rita Regional' }]);
  });

  it('acknowledgement stops the clock only of alerts that require it', async () => {
    const f = await createEscalationFixture(database.db, { defaultRules: false });
    await insertRule(f, { triggerCondition: 'status_red', durationHours: 4, fromLevel: 0, toLevel: 1, action: 'send_alert' });
    await insertRule(f, { triggerCondition: 'sla_breach', durationHours: 0, fromLevel: 0, toLevel: 2, action: 'regional_escalation' });
    const run = engine(f, always('yes').resolver);
    const owned = await insertAlert(f, { alertDate: f.at(monday, '09:00'), expiresAt: f.at(monday, '11:00'), status: 'acknowledged', acknowledgedBy: 'Sam' });
    const informational = await insertAlert(f, {
      alertDate: f.at(monday, '09:00'),
      expiresAt: f.at(monday, '11:00'),
      status: 'acknowledged',
      acknowledgedBy: 'Sam',
      requiresAcknowledgment: false,
    });
    await run(monday, '09:00');
    expect((await alertRow(f, owned.id)).nextEscalationAt).toBeNull();
    // No acknowledgement expected → no SLA to breach at 11:00, but still red after 4 opening hours → 13:00.
    expect((await alertRow(f, informational.id)).nextEscalationAt).toEqual(f.at(monday, '13:00'));
    const fired = await run(monday, '13:00');
    expect(fired.escalations).toMatchObject([{ alertId: informational.id, fromLevel: 0, toLevel: 1, action: 'send_alert' }]);
  });

  it('predicted_risk fires for a store whose latest prediction is red with confidence ≥ 70 only', async () => {
    const f = await createEscalationFixture(database.db, { defaultRules: false });
    await insertRule(f, { triggerCondition: 'predicted_risk', durationHours: 0, fromLevel: 0, toLevel: 0, action: 'create_task' });
    const run = engine(f, always('yes').resolver);
    const confident = await insertAlert(f, { alertDate: f.at(monday, '10:00'), severity: 'yellow' });
    const unsureStore = await insertStore(f.ctx, { regionId: f.regionId, districtId: f.districtId, storeCode: 'S002' });
    const unsure = await insertAlert(f, { alertDate: f.at(monday, '10:00'), severity: 'yellow', storeId: unsureStore });
    const prediction = {
      organizationId: f.ctx.organization.id,
      predictionDate: monday,
      targetDate: tuesday,
      predictionType: 'overall',
      predictedStatus: 'red' as const,
      modelVersion: 't',
    };
    await f.ctx.db.insert(riskPredictions).values([
      { ...prediction, storeId: f.storeId, confidenceScore: 82 },
      { ...prediction, storeId: unsureStore, confidenceScore: 55 },
    ]);
    const result = await run(monday, '10:00');
    expect(result.escalations.map((e) => e.alertId)).toEqual([confident.id]);
    expect((await escalationsOf(f, confident.id))[0].triggeredBy).toBe('predicted_risk');
    expect(await escalationsOf(f, unsure.id)).toEqual([]);
    expect((await alertRow(f, unsure.id)).nextEscalationAt).toBeNull();
  });
});

describe('state lives in the database', () => {
  it('a restarted engine (new instance, new provider) continues the redial and escalation at the right time', async () => {
    const f = await createEscalationFixture(database.db);
    const first = always('no_answer');
    const alert = await insertAlert(f, { alertDate: f.at(monday, '09:00'), expiresAt: f.at(monday, '17:00') });
    await engine(f, first.resolver)(monday, '09:00');
    await engine(f, first.resolver)(monday, '13:00');
    expect(first.received).toHaveLength(1);

    // "Restart": nothing from the first engine survives except the database (a new pool on PostgreSQL).
    const second = always('no_answer');
    const freshDatabase: Database | null = database.url ? openPostgres(database.url, { max: 2 }) : null;
    try {
      const restarted = engine(f, second.resolver, freshDatabase?.db ?? f.ctx.db);
      expect((await restarted(monday, '13:14')).calls.placed).toBe(0);
      await restarted(monday, '13:15');
      await restarted(monday, '13:30');
      expect(second.received.map((r) => r.attempt)).toEqual([2, 3]);
      const steps = await escalationsOf(f, alert.id);
      expect(steps.map((s) => `${s.fromLevel}>${s.toLevel}`)).toEqual(['0>1', '1>2']);
      expect((await alertRow(f, alert.id)).escalationLevel).toBe(2);
    } finally {
      await freshDatabase?.close();
    }
  });

  it('a resolved alert resolves its pending escalations and cancels its waiting calls', async () => {
    const f = await createEscalationFixture(database.db);
    const run = engine(f, always('yes').resolver);
    const alert = await insertAlert(f, { alertDate: f.at(monday, '17:00') });
    await run(monday, '21:00');
    expect((await callsOf(f, alert.id))[0].callStatus).toBe('scheduled');
    await f.ctx.db
      .update(alerts)
      .set({ status: 'resolved', resolvedAt: f.at(monday, '21:30'), metadata: { resolution: 'Sales recovered' } })
      .where(eq(alerts.id, alert.id));
    const result = await run(monday, '21:31');
    expect(result.escalationsSettled).toBe(1);
    const [step] = await escalationsOf(f, alert.id);
    expect(step).toMatchObject({ status: 'resolved', resolution: 'Sales recovered', resolvedAt: f.at(monday, '21:30') });
    expect((await callsOf(f, alert.id))[0].callStatus).toBe('cancelled');
    await run(tuesday, '08:00');
    expect((await callsOf(f, alert.id))[0].callInitiatedAt).toBeNull();
  });

  it('offers the default rules once; an organization that deleted them keeps none', async () => {
    const f = await createEscalationFixture(database.db);
    const run = engine(f, always('yes').resolver);
    await run(monday, '09:00');
    const defaults = await loadActiveEscalationRules(f.ctx);
    expect(defaults.map((r) => [r.triggerCondition, r.fromLevel, r.toLevel, r.durationHours, r.action])).toEqual([
      ['status_yellow', 0, 0, 8, 'create_task'],
      ['status_red', 0, 1, 4, 'ai_call'],
      ['sla_breach', 0, 1, 0, 'create_task'],
      ['sla_breach', 1, 2, 4, 'regional_escalation'],
      ['status_red', 2, 3, 24, 'send_alert'],
    ]);
    for (const rule of defaults) await deleteEscalationRule(f.ctx, rule.id);
    await run(monday, '09:01');
    expect(await loadActiveEscalationRules(f.ctx)).toEqual([]);
  });
});

describe('district alerts', () => {
  it('escalates a district alert to the district manager and never a folded store alert', async () => {
    const f = await createEscalationFixture(database.db);
    const { resolver, received } = always('yes');
    const run = engine(f, resolver);
    const district = await insertAlert(f, {
      alertDate: f.at(monday, '09:00'),
      scope: 'district',
      storeId: null,
      title: 'Net sales red in 3 of 4 Boston stores',
    });
    const folded = await insertAlert(f, { alertDate: f.at(monday, '09:00'), parentAlertId: district.id, nextEscalationAt: null, metadata: { folded: true } });
    await run(monday, '09:00');
    await run(monday, '13:00');
    expect(received.map((r) => r.recipientName)).toEqual(['Dana District']);
    const [call] = await callsOf(f, district.id);
    // ai_calls.store_id is required: the folded store stands in for the district.
    expect(call.storeId).toBe(f.storeId);
    expect(await escalationsOf(f, folded.id)).toEqual([]);
    expect((await alertRow(f, folded.id)).nextEscalationAt).toBeNull();
  });
});

describe('two workers', () => {
  it('never escalate or call twice, however often they run at once', async () => {
    const f = await createEscalationFixture(database.db);
    const alertIds: string[] = [];
    for (let i = 0; i < 8; i++) alertIds.push((await insertAlert(f, { alertDate: f.at(monday, '09:00'), expiresAt: f.at(monday, '17:00') })).id);
    const provider = always('no_answer');
    // Two engines with their own connections on PostgreSQL; on PGlite they share the one connection.
    const pools: Database[] = database.url ? [openPostgres(database.url, { max: 3 }), openPostgres(database.url, { max: 3 })] : [];
    try {
      const engines = [0, 1].map((i) => engine(f, provider.resolver, pools[i]?.db ?? f.ctx.db));
      const at = (hhmm: string) => f.at(monday, hhmm);
      for (const hhmm of ['13:00', '13:00', '13:15', '13:15', '13:30', '13:30', '13:31']) {
        f.clock.set(at(hhmm));
        await Promise.all(
          engines.flatMap((_run, i) =>
            [0, 1, 2].map(() => escalateDueAlerts({ ...f.ctx, db: pools[i]?.db ?? f.ctx.db, callProviders: provider.resolver }, at(hhmm))),
          ),
        );
      }
      for (const id of alertIds) {
        const steps = await escalationsOf(f, id);
        expect(steps.map((s) => `${s.fromLevel}>${s.toLevel}`)).toEqual(['0>1', '1>2']);
        const calls = await callsOf(f, id);
        expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
      }
      // Each (alert, attempt) was dialled exactly once.
      expect(provider.received).toHaveLength(alertIds.length * 3);
      expect(new Set(provider.received.map((r) => `${r.alertId}:${r.attempt}`)).size).toBe(alertIds.length * 3);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });
});
