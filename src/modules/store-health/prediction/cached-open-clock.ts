import { ruleApplies, type DueRule, type EscalationRuleRow, type RuleTimingState } from '../escalation/rule-timing.js';
import { addDays, zonedInstant, type IsoDate } from '../shared/dates.js';
import { openIntervals, type StoreCalendar } from '../shared/opening-hours.js';

/**
 * The escalation engine's SLA clock (shared/opening-hours.ts `addOpenHours`) and rule choice
 * (escalation/rule-timing.ts `ruleDueAt` / `nextDueRule`), with every day's opening intervals and every local-date
 * lookup cached. The shared functions build new Intl formatters on each call (~1 ms per rule check): fine for one
 * alert, far too slow for a replay over 100,000 store × KPI × days. The rule applicability test is the engine's own.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone, with one formatter per zone. */
export function cachedLocalDate(instant: Date, timeZone: string): IsoDate {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const midnights = new Map<string, Date>();

/** Local midnight at the start of `date`, cached per zone and date. */
export function localMidnight(date: IsoDate, timeZone: string): Date {
  const key = `${timeZone}|${date}`;
  let instant = midnights.get(key);
  if (!instant) {
    instant = zonedInstant(date, '00:00', timeZone);
    midnights.set(key, instant);
  }
  return instant;
}

export interface OpenClock {
  calendar: StoreCalendar;
  /** Same result as shared/opening-hours.ts `addOpenHours`. */
  addOpenHours(start: Date, hours: number): Date | null;
}

export function createOpenClock(calendar: StoreCalendar): OpenClock {
  const intervalsByDate = new Map<IsoDate, { start: number; end: number }[]>();
  const intervals = (date: IsoDate) => {
    let found = intervalsByDate.get(date);
    if (!found) {
      found = openIntervals(calendar, date).map((i) => ({ start: i.start.getTime(), end: i.end.getTime() }));
      intervalsByDate.set(date, found);
    }
    return found;
  };
  return {
    calendar,
    addOpenHours(start, hours) {
      let remainingMs = hours * 3_600_000;
      const startMs = start.getTime();
      let day = addDays(cachedLocalDate(start, calendar.timezone), -1);
      for (let i = 0; i < 62; i++, day = addDays(day, 1)) {
        for (const interval of intervals(day)) {
          const from = Math.max(interval.start, startMs);
          if (from >= interval.end) continue;
          const available = interval.end - from;
          if (available >= remainingMs) return new Date(from + remainingMs);
          remainingMs -= available;
        }
      }
      return null;
    },
  };
}

/** `ruleDueAt` on the cached clock (the replay never snoozes). */
export function cachedRuleDueAt(rule: EscalationRuleRow, state: RuleTimingState, clock: OpenClock): Date | null {
  let due = clock.addOpenHours(state.levelSince, rule.durationHours);
  if (!due) return null;
  if (rule.triggerCondition === 'sla_breach' && state.alert.expiresAt && state.alert.expiresAt > due) due = state.alert.expiresAt;
  const snoozedUntil = state.alert.snoozedUntil;
  if (snoozedUntil && snoozedUntil > due) due = snoozedUntil;
  return due;
}

/** `nextDueRule` on the cached clock: earliest first; on a tie, lower target level, then older rule, then id. */
export function cachedNextDueRule(rules: readonly EscalationRuleRow[], state: RuleTimingState, clock: OpenClock): DueRule | null {
  let best: DueRule | null = null;
  for (const rule of rules) {
    if (!ruleApplies(rule, state)) continue;
    const dueAt = cachedRuleDueAt(rule, state, clock);
    if (!dueAt) continue;
    const candidate = { rule, dueAt };
    if (!best || compareDue(candidate, best) < 0) best = candidate;
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
