/**
 * The Red/Yellow/Green rule of one KPI threshold, in one place. The set-based evaluation SQL (metric-evaluation-sql.ts)
 * applies exactly these comparisons; the tests pin both to the same boundary table (docs/store-health-thresholds.md).
 */

export type EvaluatedStatus = 'green' | 'yellow' | 'red';
export type ComparisonBasis = 'rolling_4w' | 'same_period_ly' | 'absolute';
export type KpiDirection = 'higher_is_better' | 'lower_is_better';

export const comparisonBases: readonly ComparisonBasis[] = ['rolling_4w', 'same_period_ly', 'absolute'];

export interface ThresholdRule {
  direction: KpiDirection;
  comparisonBasis: ComparisonBasis;
  greenMin: number;
  yellowMin: number | null;
  redThreshold: number | null;
}

/** Days back of the same-weekday baselines: four prior weeks, and 52 weeks for "same period last year". */
export const rollingWeeksDays = 28;
export const lastYearDays = 364;

/**
 * The yellow/red edge: yellow_min, else red_threshold, else green_min (a two-colour KPI). Values past it are red,
 * so the gap between yellow_min and a red_threshold further out is red as well.
 */
export function yellowEdge(rule: Pick<ThresholdRule, 'greenMin' | 'yellowMin' | 'redThreshold'>): number {
  return rule.yellowMin ?? rule.redThreshold ?? rule.greenMin;
}

/**
 * What the thresholds are compared with: the raw value for `absolute`, else the value as a percentage of the baseline
 * (95 = 95 % of the baseline). Null when there is no positive baseline to compare with.
 */
export function measureOf(value: number, comparison: number | null, basis: ComparisonBasis): number | null {
  if (basis === 'absolute') return value;
  if (comparison === null || !(comparison > 0)) return null;
  return (value * 100) / comparison;
}

/** (value − comparison) / |comparison| in %, the figure people read ("−18 % vs baseline"). */
export function variancePctOf(value: number, comparison: number | null): number | null {
  if (comparison === null || comparison === 0) return null;
  return ((value - comparison) * 100) / Math.abs(comparison);
}

/** A value exactly on a line belongs to the better side: green at green_min, yellow at yellow_min. */
export function statusOfMeasure(measure: number, rule: ThresholdRule): EvaluatedStatus {
  const edge = yellowEdge(rule);
  if (rule.direction === 'lower_is_better') {
    if (measure <= rule.greenMin) return 'green';
    if (measure <= edge) return 'yellow';
    return 'red';
  }
  if (measure >= rule.greenMin) return 'green';
  if (measure >= edge) return 'yellow';
  return 'red';
}

/**
 * After a confirmed red, a KPI turns green only once it clears green_min by `marginPct` percent of green_min
 * (95 with a 2 % margin → 96.9; lower-is-better 2.0 → 1.96); until then it shows yellow.
 */
export function recoveryLine(rule: Pick<ThresholdRule, 'direction' | 'greenMin'>, marginPct: number): number {
  const margin = (Math.abs(rule.greenMin) * marginPct) / 100;
  return rule.direction === 'lower_is_better' ? rule.greenMin - margin : rule.greenMin + margin;
}

export function clearsRecoveryLine(measure: number, rule: Pick<ThresholdRule, 'direction' | 'greenMin'>, marginPct: number): boolean {
  const line = recoveryLine(rule, marginPct);
  return rule.direction === 'lower_is_better' ? measure <= line : measure >= line;
}

export const statusRank: Record<string, number> = { red: 0, yellow: 1, no_data: 2, green: 3, closed: 4 };

/** Orders statuses worst first: red, yellow, no_data, green, closed. */
export function worseStatus<T extends string>(a: T, b: T): T {
  return (statusRank[a] ?? 5) <= (statusRank[b] ?? 5) ? a : b;
}
