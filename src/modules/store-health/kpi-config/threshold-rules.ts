export const kpiDirections = ['higher_is_better', 'lower_is_better'] as const;
export type KpiDirection = (typeof kpiDirections)[number];

export const comparisonBases = ['rolling_4w', 'same_period_ly', 'absolute'] as const;
export type ComparisonBasis = (typeof comparisonBases)[number];

export interface ThresholdLevels {
  greenMin: number;
  /** null: no yellow band (a two-colour KPI). */
  yellowMin: number | null;
  /** null: the red edge is yellowMin (or greenMin without one). */
  redThreshold: number | null;
}

/**
 * The levels must read in the KPI's direction, or a value could be green and red at once:
 * higher_is_better: greenMin ≥ yellowMin ≥ redThreshold (e.g. sales at 95 / 85 / 85 % of the 4-week baseline);
 * lower_is_better:  greenMin ≤ yellowMin ≤ redThreshold (e.g. call-out hours 4 / 8 / 16).
 * Equal neighbours are allowed (redThreshold commonly repeats yellowMin); a missing level is skipped.
 * Answers the first problem with the field to fix, or null when consistent.
 */
export function thresholdOrderProblem(direction: string, levels: ThresholdLevels): { path: string; message: string } | null {
  const lower = direction === 'lower_is_better';
  const ordered = (better: number, worse: number) => (lower ? better <= worse : better >= worse);
  const relation = lower ? 'must not exceed' : 'must be at least';
  const kind = lower ? 'lower-is-better' : 'higher-is-better';
  const { greenMin, yellowMin, redThreshold } = levels;
  if (yellowMin !== null && !ordered(greenMin, yellowMin)) {
    return { path: 'greenMin', message: `For a ${kind} KPI greenMin (${greenMin}) ${relation} yellowMin (${yellowMin}).` };
  }
  if (yellowMin !== null && redThreshold !== null && !ordered(yellowMin, redThreshold)) {
    return { path: 'yellowMin', message: `For a ${kind} KPI yellowMin (${yellowMin}) ${relation} redThreshold (${redThreshold}).` };
  }
  if (yellowMin === null && redThreshold !== null && !ordered(greenMin, redThreshold)) {
    return { path: 'greenMin', message: `For a ${kind} KPI greenMin (${greenMin}) ${relation} redThreshold (${redThreshold}).` };
  }
  return null;
}
