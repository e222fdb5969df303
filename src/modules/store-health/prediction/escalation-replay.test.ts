import { describe, expect, it } from 'vitest';
import type { EscalationRuleRow } from '../escalation/rule-timing.js';
import type { KpiStatus } from '../schema.js';
import { addDays } from '../shared/dates.js';
import { replayEscalations } from './escalation-replay.js';
import type { KpiSeries } from './kpi-series.js';
import { everyDay08to20 } from './prediction-test-data.js';

const d1 = '2026-03-02';
const day = (n: number) => addDays(d1, n - 1);
const calendar = { timezone: 'UTC', openingHours: everyDay08to20, closedDates: new Set<string>() };
const settings = { criticalAfterDays: 3, slaHours: { yellow: 24, red: 8, critical: 4 } };

function rule(id: string, triggerCondition: string, durationHours: number, fromLevel: number, toLevel: number, action: string): EscalationRuleRow {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    id,
    organizationId: 'org',
    kpiDefinitionId: null,
    name: id,
    triggerCondition,
    durationHours,
    fromLevel,
    toLevel,
    action,
    isActive: true,
    createdAt: at,
    updatedAt: at,
  };
}

function series(statuses: KpiStatus[]): KpiSeries {
  return { storeId: 'store', kpiId: 'kpi', days: new Map(statuses.map((status, i) => [day(i + 1), { value: 1, status }])) };
}

const rules = [
  rule('R1', 'status_yellow', 0, 0, 0, 'send_alert'),
  rule('R2', 'status_red', 0, 0, 0, 'create_task'),
  rule('R3', 'status_red', 12, 0, 1, 'ai_call'),
  rule('R4', 'status_red', 24, 1, 2, 'regional_escalation'),
];
// Day d's status governs the time from the end of d to the end of d + 1; the store is open 08:00–20:00 (12 h).
const history = series(['yellow', 'red', 'red', 'green', 'red', 'green']);

describe('escalation replay', () => {
  it('counts alerts, tasks and calls per level on a hand-built history', () => {
    const result = replayEscalations([{ series: history, calendar }], rules, settings, { from: day(1), to: day(6), historyFrom: day(-4) }, () => false);
    // Alert A (days 1–3): R1 on day 1 (yellow). On day 2 R2 would fire, but R1 already took the alert's 0→0 step
    // (the engine escalates each step once per alert); R3 (due at 20:00 of the first open day) → level 1. Day 3 stays
    // open through day 4 until day 4's green is known: R4, 24 open hours after reaching level 1, fires at 20:00.
    // Alert B (day 5): R2 at 08:00, R3 at 20:00; R4 would need 24 more open hours — the green of day 6 closes it first.
    expect(result.alertsOpened).toBe(2);
    expect(result.rulesFired).toBe(5);
    expect(result.levels).toEqual([
      { level: 0, alerts: 3, tasks: 1, calls: 0, escalations: 0 },
      { level: 1, alerts: 0, tasks: 0, calls: 2, escalations: 2 },
      { level: 2, alerts: 1, tasks: 0, calls: 0, escalations: 1 },
      { level: 3, alerts: 0, tasks: 0, calls: 0, escalations: 0 },
      { level: 4, alerts: 0, tasks: 0, calls: 0, escalations: 0 },
    ]);
    expect(result.byRule.map((r) => [r.ruleId, r.fired])).toEqual([
      ['R1', 1],
      ['R2', 1],
      ['R3', 2],
      ['R4', 1],
    ]);
  });

  it('counts only what fires inside the range, with the history before it deciding the state', () => {
    const result = replayEscalations([{ series: history, calendar }], rules, settings, { from: day(3), to: day(6), historyFrom: day(-4) }, () => false);
    // Alert A opened before the range (not counted) but its R4 fires inside it; alert B counts whole.
    expect(result.alertsOpened).toBe(1);
    expect(result.byRule.map((r) => r.fired)).toEqual([0, 1, 1, 1]);
  });

  it('pauses the clock on closed days and follows predicted risk', () => {
    const closedMiddle = series(['red', 'closed', 'red', 'green']);
    const slow = [rule('slow', 'status_red', 24, 0, 1, 'ai_call')];
    // The alert opens at the end of day 1; day 2 is closed, so its 24 open hours run 08:00–20:00 on days 3 and 4 —
    // and day 3's red keeps the alert open through day 4: the call goes out at 20:00 on day 4.
    const closedCalendar = { ...calendar, closedDates: new Set([day(2)]) };
    const paused = replayEscalations(
      [{ series: closedMiddle, calendar: closedCalendar }],
      slow,
      settings,
      { from: day(1), to: day(4), historyFrom: day(1) },
      () => false,
    );
    expect(paused.levels[1].calls).toBe(1);
    const shortRed = series(['red', 'green']);
    const noPause = replayEscalations([{ series: shortRed, calendar }], slow, settings, { from: day(1), to: day(2), historyFrom: day(1) }, () => false);
    expect(noPause.levels[1].calls).toBe(0);

    const predicted = [rule('P', 'predicted_risk', 0, 0, 1, 'ai_call')];
    const yellowDay = series(['yellow', 'green']);
    const withRisk = replayEscalations(
      [{ series: yellowDay, calendar }],
      predicted,
      settings,
      { from: day(1), to: day(2), historyFrom: day(1) },
      (store, date) => store === 'store' && date === day(1),
    );
    const withoutRisk = replayEscalations(
      [{ series: yellowDay, calendar }],
      predicted,
      settings,
      { from: day(1), to: day(2), historyFrom: day(1) },
      () => false,
    );
    expect(withRisk.levels[1].calls).toBe(1);
    expect(withoutRisk.levels[1].calls).toBe(0);
  });
});
