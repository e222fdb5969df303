import type { escalationRules } from '../schema.js';
import { addOpenHours, type StoreCalendar } from '../shared/opening-hours.js';
import type { AlertRow } from './escalation-subject.js';

export type EscalationRuleRow = typeof escalationRules.$inferSelect;

/** The state of one alert that decides which rules apply and when they fire. */
export interface RuleTimingState {
  alert: Pick<
    AlertRow,
    'severity' | 'status' | 'requiresAcknowledgment' | 'expiresAt' | 'snoozedUntil' | 'kpiDefinitionId' | 'escalationLevel' | 'alertDate' | 'metadata'
  >;
  /** When the alert reached its current level: the last raising escalation, else the alert date. */
  levelSince: Date;
  calendar: StoreCalendar;
  /** The store's latest risk prediction is red with confidence ≥ 70 (or the alert itself is a predicted one). */
  predictedRisk: boolean;
  /** Steps already taken for this alert, as "from>to" (one escalation per step, see escalations_alert_step_key). */
  takenSteps: ReadonlySet<string>;
}

export interface DueRule {
  rule: EscalationRuleRow;
  dueAt: Date;
}

export const stepKey = (from: number, to: number) => `${from}>${to}`;

/**
 * Acknowledgement stops the clock: once someone owns an alert that requires acknowledgement, no rule fires
 * (status, SLA or predicted). Alerts that require no acknowledgement keep escalating on status while the
 * condition lasts, and have no acknowledgement SLA to breach.
 */
export function ruleApplies(rule: EscalationRuleRow, state: RuleTimingState): boolean {
  const { alert } = state;
  if (!rule.isActive || rule.fromLevel !== alert.escalationLevel) return false;
  if (rule.kpiDefinitionId !== null && rule.kpiDefinitionId !== alert.kpiDefinitionId) return false;
  if (state.takenSteps.has(stepKey(rule.fromLevel, rule.toLevel))) return false;
  if (alert.status !== 'active' && alert.status !== 'acknowledged') return false;
  if (alert.status === 'acknowledged' && alert.requiresAcknowledgment) return false;
  switch (rule.triggerCondition) {
    case 'status_red':
      return alert.severity === 'red' || alert.severity === 'critical';
    case 'status_yellow':
      return alert.severity === 'yellow';
    case 'sla_breach':
      return alert.requiresAcknowledgment && alert.status === 'active' && alert.expiresAt !== null;
    case 'predicted_risk':
      return state.predictedRisk;
    default:
      return false;
  }
}

/**
 * When a rule fires, counting `duration_hours` in store opening hours from the moment the alert reached its
 * level. An SLA rule fires once the acknowledgement deadline has passed and its duration has also passed at this
 * level (so every level gets at least `duration_hours` to react). A snooze ("call me back at 15:00") holds every
 * rule until the promised time. Null: never (e.g. the store is closed for the next 60 days).
 */
export function ruleDueAt(rule: EscalationRuleRow, state: RuleTimingState): Date | null {
  let due = addOpenHours(state.calendar, state.levelSince, rule.durationHours);
  if (!due) return null;
  if (rule.triggerCondition === 'sla_breach' && state.alert.expiresAt && state.alert.expiresAt > due) due = state.alert.expiresAt;
  const snoozedUntil = state.alert.snoozedUntil;
  if (snoozedUntil && snoozedUntil > due) due = snoozedUntil;
  return due;
}

/** The next rule to fire: earliest first; on a tie, same-level steps (reminders) before raising ones, then by age. */
export function nextDueRule(rules: readonly EscalationRuleRow[], state: RuleTimingState): DueRule | null {
  let best: DueRule | null = null;
  for (const rule of rules) {
    if (!ruleApplies(rule, state)) continue;
    const dueAt = ruleDueAt(rule, state);
    if (!dueAt) continue;
    if (!best || compareDue({ rule, dueAt }, best) < 0) best = { rule, dueAt };
  }
  return best;
}

function compareDue(a: DueRule, b: DueRule): number {
  return (
    a.dueAt.getTime() - b.dueAt.getTime() ||
    a.rule.toLevel - b.rule.toLevel ||
    a.rule.createdAt.getTime() - b.rule.createdAt.getTime() ||
    a.rule.id.localeCompare(b.rule.id)
  );
}
