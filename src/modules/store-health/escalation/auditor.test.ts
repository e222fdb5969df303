import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemEvents } from '../../../core/db/schema.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { aiCalls, alerts } from '../schema.js';
import { createSimulatedProvider } from '../calls/simulated-provider.js';
import { auditEscalations } from './auditor.js';
import { escalateDueAlerts } from './engine.js';
import { createEscalationFixture, insertAlert } from './test-fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.destroy());

const monday = '2026-03-02';

describe('escalation auditor', () => {
  it('sets missing timers, re-plans stuck ones, leaves folded and acknowledged alerts alone, and logs events', async () => {
    const f = await createEscalationFixture(database.db);
    const env = { ...f.ctx, callProviders: async () => createSimulatedProvider({ scenario: () => ({ answer: 'yes' as const }) }) };
    // Gives the organization its default rules (red 0→1 after 4 opening hours, …).
    await escalateDueAlerts(env, f.at(monday, '08:00'));

    const missing = await insertAlert(f, { alertDate: f.at(monday, '09:00'), nextEscalationAt: null });
    const stuck = await insertAlert(f, { alertDate: f.at(monday, '09:00'), nextEscalationAt: f.at(monday, '09:00') });
    const folded = await insertAlert(f, { alertDate: f.at(monday, '09:00'), nextEscalationAt: null, metadata: { folded: true } });
    const acknowledged = await insertAlert(f, { alertDate: f.at(monday, '09:00'), nextEscalationAt: null, status: 'acknowledged', acknowledgedBy: 'Sam' });
    const fresh = await insertAlert(f, { alertDate: f.at(monday, '09:00'), nextEscalationAt: f.at(monday, '09:50') });

    const report = await auditEscalations(env, f.at(monday, '10:00'));
    const byAlert = new Map(report.findings.map((finding) => [finding.alertId, finding]));
    expect(byAlert.get(missing.id)).toMatchObject({ kind: 'missing_timer', previous: null, fixedTo: f.at(monday, '13:00') });
    expect(byAlert.get(stuck.id)).toMatchObject({ kind: 'stuck_timer', previous: f.at(monday, '09:00'), fixedTo: f.at(monday, '13:00') });
    expect(byAlert.has(folded.id)).toBe(false);
    expect(byAlert.has(acknowledged.id)).toBe(false);
    // 10 minutes overdue is not stuck yet (the minute job may simply be busy).
    expect(byAlert.has(fresh.id)).toBe(false);

    const timers = await f.ctx.db.select({ id: alerts.id, next: alerts.nextEscalationAt }).from(alerts).where(eq(alerts.organizationId, f.ctx.organization.id));
    const timerOf = (id: string) => timers.find((t) => t.id === id)?.next ?? null;
    expect(timerOf(missing.id)).toEqual(f.at(monday, '13:00'));
    expect(timerOf(stuck.id)).toEqual(f.at(monday, '13:00'));
    expect(timerOf(folded.id)).toBeNull();

    const events = await f.ctx.db
      .select()
      .from(systemEvents)
      .where(and(eq(systemEvents.organizationId, f.ctx.organization.id), eq(systemEvents.eventType, 'store_health.escalation_audit')));
    expect(events.map((e) => e.details.alertId).sort()).toEqual([missing.id, stuck.id].sort());

    // A second audit finds nothing left to fix.
    expect((await auditEscalations(env, f.at(monday, '10:15'))).findings).toEqual([]);
    // And the fixed timers fire on time.
    const fired = await escalateDueAlerts(env, f.at(monday, '13:00'));
    expect(fired.escalations.map((e) => e.alertId).sort()).toEqual([missing.id, stuck.id, fresh.id].sort());
  });

  it('counts a call without a final status after an hour as not answered and redials', async () => {
    const f = await createEscalationFixture(database.db);
    const alert = await insertAlert(f, { alertDate: f.at(monday, '09:00'), nextEscalationAt: f.at(monday, '17:00') });
    const [call] = await f.ctx.db
      .insert(aiCalls)
      .values({
        organizationId: f.ctx.organization.id,
        storeId: f.storeId,
        alertId: alert.id,
        callType: 'red',
        callStatus: 'in_progress',
        provider: 'twilio',
        recipientName: 'Sam S001',
        recipientPhone: '+15550000100',
        callInitiatedAt: f.at(monday, '13:00'),
        metadata: { level: 0 },
      })
      .returning();
    const report = await auditEscalations({ ...f.ctx }, f.at(monday, '14:05'));
    expect(report.findings).toMatchObject([{ kind: 'stuck_call', callId: call.id }]);
    const rows = await f.ctx.db.select().from(aiCalls).where(eq(aiCalls.alertId, alert.id)).orderBy(aiCalls.attempt);
    expect(rows.map((r) => [r.attempt, r.callStatus])).toEqual([
      [1, 'failed'],
      [2, 'scheduled'],
    ]);
    expect(rows[1].nextAttemptAt).toEqual(f.at(monday, '14:20'));
  });
});
