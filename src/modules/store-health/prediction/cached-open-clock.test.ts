import { describe, expect, it } from 'vitest';
import { nextDueRule, type EscalationRuleRow } from '../escalation/rule-timing.js';
import { addOpenHours, type StoreCalendar } from '../shared/opening-hours.js';
import { cachedNextDueRule, createOpenClock } from './cached-open-clock.js';
import { seededRandom } from './seeded-random.js';

const weekday = [
  { open: '09:00', close: '13:00' },
  { open: '14:00', close: '21:00' },
];
const calendar: StoreCalendar = {
  timezone: 'America/New_York',
  // Split days, a short Saturday, closed on Sunday, a holiday, and the spring DST change inside the range.
  openingHours: { '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday, '6': [{ open: '10:00', close: '16:00' }] },
  closedDates: new Set(['2026-03-11']),
};

function rule(id: string, triggerCondition: string, durationHours: number, fromLevel: number, toLevel: number): EscalationRuleRow {
  const at = new Date(Date.UTC(2026, 0, 1 + Number(id.slice(1))));
  return {
    id,
    organizationId: 'o',
    kpiDefinitionId: null,
    name: id,
    triggerCondition,
    durationHours,
    fromLevel,
    toLevel,
    action: 'ai_call',
    isActive: true,
    createdAt: at,
    updatedAt: at,
  };
}

describe('cached open-hours clock', () => {
  it('gives the same instants as the shared SLA clock', () => {
    const random = seededRandom(11);
    const clock = createOpenClock(calendar);
    for (let i = 0; i < 200; i++) {
      const start = new Date(Date.UTC(2026, 2, 1) + Math.floor(random() * 20 * 86_400_000));
      const hours = Math.floor(random() * 40);
      expect(clock.addOpenHours(start, hours)).toEqual(addOpenHours(calendar, start, hours));
    }
  });

  it('picks the same next rule as the escalation engine', () => {
    const rules = [
      rule('r1', 'status_red', 0, 0, 0),
      rule('r2', 'status_red', 4, 0, 1),
      rule('r3', 'sla_breach', 0, 0, 1),
      rule('r4', 'status_yellow', 8, 0, 0),
      rule('r5', 'status_red', 24, 1, 2),
    ];
    const random = seededRandom(5);
    const clock = createOpenClock(calendar);
    for (let i = 0; i < 100; i++) {
      const levelSince = new Date(Date.UTC(2026, 2, 2) + Math.floor(random() * 10 * 86_400_000));
      const state = {
        alert: {
          severity: random() < 0.5 ? 'red' : 'yellow',
          status: 'active',
          requiresAcknowledgment: true,
          expiresAt: random() < 0.5 ? new Date(levelSince.getTime() + random() * 3 * 86_400_000) : null,
          snoozedUntil: null,
          kpiDefinitionId: 'k',
          escalationLevel: random() < 0.7 ? 0 : 1,
          alertDate: levelSince,
          metadata: {},
        },
        levelSince,
        calendar,
        predictedRisk: false,
        takenSteps: new Set(random() < 0.3 ? ['0>0'] : []),
      };
      const engine = nextDueRule(rules, state);
      const cached = cachedNextDueRule(rules, state, clock);
      expect(cached && { id: cached.rule.id, at: cached.dueAt }).toEqual(engine && { id: engine.rule.id, at: engine.dueAt });
    }
  });
});
