import type { KpiStatus } from '../schema.js';
import { addDays, isoWeekday, type IsoDate } from '../shared/dates.js';
import { advanceDisplayedStatus, type DisplayState } from './displayed-status.js';
import { comparisonValueFor, type KpiDay, type KpiSeries } from './kpi-series.js';
import { gaussian } from './seeded-random.js';
import { clearsRecovery, measureOf, statusOfMeasure, type EvaluatedStatus, type StatusRule } from './threshold-status.js';

/**
 * Seeded synthetic KPI histories with the shape of store trading (weekly cycle, drifts that cross thresholds, noise,
 * closed days), evaluated like the engine evaluates (bands, flap and recovery rules). Used by the tests and to
 * measure the model against its baselines where the truth is known.
 */

export interface SyntheticSeriesSpec {
  storeId: string;
  kpiId: string;
  rule: StatusRule;
  level: number;
  /** Multiplicative weekday profile, Monday first. */
  weekdayProfile: readonly number[];
  /** Relative change per week, applied from day index `driftFrom` on. */
  driftPerWeek: number;
  driftFrom: number;
  /** Relative noise (standard deviation as a share of the level). */
  noise: number;
  /** Day indexes that are closed (holidays). */
  closedDays?: readonly number[];
}

export interface SyntheticSettings {
  flapRedDays: number;
  recoveryMarginPct: number;
}

export const retailWeekdayProfile = [0.9, 0.95, 1.0, 1.05, 1.2, 1.3, 0.6] as const;

export interface SyntheticDay extends KpiDay {
  date: IsoDate;
  comparisonValue: number | null;
  rawStatus: KpiStatus;
}

/** Values for `days` days from `start`, then statuses computed as the evaluation engine would. */
export function generateSyntheticSeries(
  spec: SyntheticSeriesSpec,
  start: IsoDate,
  days: number,
  random: () => number,
  settings: SyntheticSettings = { flapRedDays: 2, recoveryMarginPct: 2 },
): KpiSeries & { list: SyntheticDay[] } {
  const closed = new Set(spec.closedDays ?? []);
  const list: SyntheticDay[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(start, i);
    if (closed.has(i)) {
      list.push({ date, value: null, status: 'closed', rawStatus: 'closed', comparisonValue: null });
      continue;
    }
    const trend = Math.pow(1 + spec.driftPerWeek, Math.max(0, i - spec.driftFrom) / 7);
    const seasonal = spec.weekdayProfile[isoWeekday(date) - 1];
    const value = Math.max(0, spec.level * trend * seasonal * (1 + spec.noise * gaussian(random)));
    list.push({ date, value: Math.round(value * 100) / 100, status: null, rawStatus: 'no_data', comparisonValue: null });
  }
  relabelSyntheticSeries(list, spec.rule, settings);
  return { storeId: spec.storeId, kpiId: spec.kpiId, days: new Map(list.map((d) => [d.date, d])), list };
}

/** (Re)computes comparison, raw and shown status and the engine state of every day, in date order. */
export function relabelSyntheticSeries(list: SyntheticDay[], rule: StatusRule, settings: SyntheticSettings): void {
  const byDate = new Map(list.map((d) => [d.date, d]));
  let state: DisplayState = { redStreak: 0, recoveryAnchor: null };
  for (const day of list) {
    if (day.rawStatus === 'closed') continue;
    const comparison =
      rule.comparisonBasis === 'absolute'
        ? rule.greenMin
        : comparisonValueFor(day.date, rule.comparisonBasis, (d) => {
            const other = byDate.get(d);
            return other && other.rawStatus !== 'closed' ? other.value : null;
          });
    day.comparisonValue = comparison;
    const measure = day.value === null ? null : measureOf(day.value, comparison, rule.comparisonBasis);
    if (measure === null) {
      day.status = 'no_data';
      day.rawStatus = 'no_data';
      day.redStreak = undefined;
      day.recoveryAnchor = undefined;
      continue;
    }
    const raw: EvaluatedStatus = statusOfMeasure(measure, rule);
    const next = advanceDisplayedStatus(state, raw, clearsRecovery(measure, rule, settings.recoveryMarginPct), settings.flapRedDays);
    state = next.state;
    day.rawStatus = raw;
    day.status = next.status;
    day.redStreak = state.redStreak;
    day.recoveryAnchor = state.recoveryAnchor;
  }
}
