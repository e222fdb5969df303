import {
  measureOf as engineMeasureOf,
  recoveryLine,
  statusOfMeasure as engineStatusOfMeasure,
  type ComparisonBasis,
  type KpiDirection,
} from '../evaluation/index.js';

/**
 * The evaluation engine's Red/Yellow/Green rule (evaluation/threshold-rules.ts) as the prediction model applies it to
 * forecast values, plus what a forecast needs on top: the share of a normal forecast error in each band.
 */

export type { ComparisonBasis, KpiDirection };
export type EvaluatedStatus = 'green' | 'yellow' | 'red';
export const evaluatedStatuses: readonly EvaluatedStatus[] = ['green', 'yellow', 'red'];

export interface StatusRule {
  direction: KpiDirection;
  comparisonBasis: ComparisonBasis;
  greenMin: number;
  /** The yellow/red edge as the engine resolves it: yellow_min, else red_threshold, else green_min. */
  yellowMin: number;
  /** Reported in the contributing factors only; the bands above decide. */
  redThreshold: number | null;
}

export function isEvaluatedStatus(status: string | null | undefined): status is EvaluatedStatus {
  return status === 'green' || status === 'yellow' || status === 'red';
}

/** Severity order used to pick the worst status: red 2, yellow 1, green 0. */
export function statusSeverity(status: EvaluatedStatus): number {
  return status === 'red' ? 2 : status === 'yellow' ? 1 : 0;
}

export function statusOfSeverity(severity: number): EvaluatedStatus {
  return severity >= 2 ? 'red' : severity === 1 ? 'yellow' : 'green';
}

/** What the thresholds are compared with: % of the baseline, or the raw value for absolute thresholds. */
export function measureOf(value: number, comparison: number | null, basis: ComparisonBasis): number | null {
  return engineMeasureOf(value, comparison, basis);
}

/** The raw status of a measure (before the engine's flap and recovery rules). */
export function statusOfMeasure(measure: number, rule: StatusRule): EvaluatedStatus {
  return engineStatusOfMeasure(measure, rule);
}

/** After a confirmed red, the engine shows green again only once the measure clears this line. */
export function clearsRecovery(measure: number, rule: StatusRule, recoveryMarginPct: number): boolean {
  const line = recoveryLine(rule, recoveryMarginPct);
  return rule.direction === 'lower_is_better' ? measure <= line : measure >= line;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error below 1.5e-7 — plenty for a confidence score). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Probability of each raw status when the measure is normal(mean, sd): the share of the distribution in each band. */
export function statusProbabilities(mean: number, sd: number, rule: StatusRule): Record<EvaluatedStatus, number> {
  if (!(sd > 0)) {
    const status = statusOfMeasure(mean, rule);
    return { green: status === 'green' ? 1 : 0, yellow: status === 'yellow' ? 1 : 0, red: status === 'red' ? 1 : 0 };
  }
  const below = (x: number) => normalCdf((x - mean) / sd);
  if (rule.direction === 'lower_is_better') {
    const green = below(rule.greenMin);
    const yellow = Math.max(0, below(rule.yellowMin) - green);
    return { green, yellow, red: Math.max(0, 1 - green - yellow) };
  }
  const red = below(rule.yellowMin);
  const yellow = Math.max(0, below(rule.greenMin) - red);
  return { green: Math.max(0, 1 - red - yellow), yellow, red };
}

/**
 * Signed distance (in measure points) from the measure to the edge of the next worse band: positive = still inside
 * its band by that much ("how close to slipping"); for a red measure, the distance to red_threshold.
 */
export function distanceToWorseBand(measure: number, rule: StatusRule): { status: EvaluatedStatus; points: number | null } {
  const status = statusOfMeasure(measure, rule);
  const sign = rule.direction === 'lower_is_better' ? -1 : 1;
  if (status === 'green') return { status, points: sign * (measure - rule.greenMin) };
  if (status === 'yellow') return { status, points: sign * (measure - rule.yellowMin) };
  return { status, points: rule.redThreshold === null ? null : sign * (measure - rule.redThreshold) };
}
