import { stepKey, type EscalationRuleRow, type RuleTimingState } from '../escalation/rule-timing.js';
import { addDays, type IsoDate } from '../shared/dates.js';
import type { StoreCalendar } from '../shared/opening-hours.js';
import { cachedNextDueRule, createOpenClock, localMidnight, type OpenClock } from './cached-open-clock.js';
import type { KpiSeries } from './kpi-series.js';

/**
 * Replays the escalation rules over an evaluated status history, as if nobody had acknowledged anything (the
 * upper bound of the load the rules create). Rule applicability is the escalation engine's own (`ruleApplies`) and
 * the timing its clock on cached opening intervals (cached-open-clock.ts): duration_hours in store opening hours
 * from the moment an alert reached its level, SLA deadlines from the severity, one firing per step and alert.
 *
 * The alert model it simulates, per store × KPI:
 * - an alert opens on the first yellow/red day and resolves on the next green day; closed and no-data days pause it;
 * - the status of day d is known when day d ends, so day d's status governs the time from the end of d to the end
 *   of d + 1 (local midnight to midnight);
 * - severity follows the shown status (which already applies the engine's flap and recovery rules): yellow, or red,
 *   critical once the alert has been open `criticalAfterDays` evaluated days;
 * - predicted risk: a red model prediction with confidence ≥ 70 made at the end of the previous day for the store.
 */

export interface EscalationReplaySettings {
  criticalAfterDays: number;
  slaHours: { yellow: number; red: number; critical: number };
}

export interface EscalationReplaySeries {
  series: KpiSeries;
  /** Share one calendar object between the KPIs of a store: its opening intervals are computed once. */
  calendar: StoreCalendar;
}

export interface EscalationLevelLoad {
  level: number;
  alerts: number;
  tasks: number;
  calls: number;
  /** Steps that raised an alert to this level. */
  escalations: number;
}

export interface EscalationReplayResult {
  /** Alerts the evaluation itself would have opened (each counted once, at level 0, in `levels`). */
  alertsOpened: number;
  rulesFired: number;
  levels: EscalationLevelLoad[];
  byRule: { ruleId: string; name: string | null; fired: number }[];
}

type Severity = 'yellow' | 'red' | 'critical';

const maxStepsPerAlert = 50;

export function replayEscalations(
  inputs: readonly EscalationReplaySeries[],
  rules: readonly EscalationRuleRow[],
  settings: EscalationReplaySettings,
  range: { from: IsoDate; to: IsoDate; historyFrom: IsoDate },
  predictedRedRisk: (storeId: string, predictionDate: IsoDate) => boolean,
): EscalationReplayResult {
  const levels: EscalationLevelLoad[] = [0, 1, 2, 3, 4].map((level) => ({ level, alerts: 0, tasks: 0, calls: 0, escalations: 0 }));
  const firedByRule = new Map<string, number>();
  let alertsOpened = 0;
  let rulesFired = 0;
  const activeRules = rules.filter((r) => r.isActive);
  const usesSla = activeRules.some((r) => r.triggerCondition === 'sla_breach');
  const clocks = new Map<StoreCalendar, OpenClock>();

  for (const { series, calendar } of inputs) {
    const kpiRules = activeRules.filter((r) => r.kpiDefinitionId === null || r.kpiDefinitionId === series.kpiId);
    let clock = clocks.get(calendar);
    if (!clock) {
      clock = createOpenClock(calendar);
      clocks.set(calendar, clock);
    }
    const expiries = new Map<string, Date | null>();
    let alert: { openedAt: Date; level: number; levelSince: Date; taken: Set<string> } | null = null;
    let daysInCondition = 0;
    let severity: Severity = 'yellow';
    for (let date = range.historyFrom; date <= range.to; date = addDays(date, 1)) {
      const status = series.days.get(date)?.status;
      const segmentStart = localMidnight(addDays(date, 1), calendar.timezone);
      const segmentEnd = localMidnight(addDays(date, 2), calendar.timezone);
      const counts = date >= range.from;
      if (status === 'green') {
        alert = null;
        daysInCondition = 0;
        continue;
      }
      if (status === 'yellow' || status === 'red') {
        daysInCondition++;
        severity = status === 'yellow' ? 'yellow' : daysInCondition >= settings.criticalAfterDays ? 'critical' : 'red';
        if (!alert) {
          alert = { openedAt: segmentStart, level: 0, levelSince: segmentStart, taken: new Set() };
          expiries.clear();
          if (counts) {
            alertsOpened++;
            levels[0].alerts++;
          }
        }
      }
      if (!alert || kpiRules.length === 0) continue;
      // Only SLA rules read the deadline; it depends on the severity alone within one alert.
      let expiresAt: Date | null = null;
      if (usesSla) {
        if (!expiries.has(severity)) expiries.set(severity, clock.addOpenHours(alert.openedAt, settings.slaHours[severity]));
        expiresAt = expiries.get(severity)!;
      }
      for (let step = 0; step < maxStepsPerAlert; step++) {
        const state: RuleTimingState = {
          alert: {
            severity,
            status: 'active',
            requiresAcknowledgment: true,
            expiresAt,
            snoozedUntil: null,
            kpiDefinitionId: series.kpiId,
            escalationLevel: alert.level,
            alertDate: alert.openedAt,
            metadata: {},
          },
          levelSince: alert.levelSince,
          calendar,
          predictedRisk: predictedRedRisk(series.storeId, date),
          takenSteps: alert.taken,
        };
        const due = cachedNextDueRule(kpiRules, state, clock);
        if (!due) break;
        const firedAt = due.dueAt > segmentStart ? due.dueAt : segmentStart;
        if (firedAt >= segmentEnd) break;
        const { rule } = due;
        alert.taken.add(stepKey(rule.fromLevel, rule.toLevel));
        if (rule.toLevel !== rule.fromLevel) {
          alert.level = rule.toLevel;
          if (rule.toLevel > rule.fromLevel) alert.levelSince = firedAt;
        }
        if (!counts) continue;
        rulesFired++;
        firedByRule.set(rule.id, (firedByRule.get(rule.id) ?? 0) + 1);
        const load = levels[Math.max(0, Math.min(4, rule.toLevel))];
        if (rule.action === 'create_task') load.tasks++;
        else if (rule.action === 'ai_call') load.calls++;
        else load.alerts++;
        if (rule.toLevel > rule.fromLevel) load.escalations++;
      }
    }
  }
  return {
    alertsOpened,
    rulesFired,
    levels,
    byRule: activeRules.map((r) => ({ ruleId: r.id, name: r.name, fired: firedByRule.get(r.id) ?? 0 })),
  };
}
