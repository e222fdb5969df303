import { addDays, type IsoDate } from '../shared/dates.js';
import type { KpiSeries } from './kpi-series.js';
import { isEvaluatedStatus, type EvaluatedStatus } from './threshold-status.js';

/**
 * The status kpi_metrics shows is not the raw band of the day: the evaluation engine (metric-evaluation-sql.ts) shows
 * a raw red as yellow until it has held `flapRedDays` evaluated days in a row, and after a confirmed red shows a raw
 * green as yellow until the KPI clears the recovery line. A prediction of the shown status must run the same
 * state machine forward from the state at the prediction day.
 */

export interface DisplayState {
  /** Consecutive raw-red evaluated days up to now (0 after any other raw status). */
  redStreak: number;
  /** The latest anchor: red once a red was confirmed, green once a green cleared the recovery line. */
  recoveryAnchor: 'red' | 'green' | null;
}

export function advanceDisplayedStatus(
  state: DisplayState,
  raw: EvaluatedStatus,
  clearsRecovery: boolean,
  flapRedDays: number,
): { status: EvaluatedStatus; state: DisplayState } {
  const redStreak = raw === 'red' ? state.redStreak + 1 : 0;
  const anchorToday = redStreak >= flapRedDays ? 'red' : raw === 'green' && clearsRecovery ? 'green' : null;
  const recoveryAnchor = anchorToday ?? state.recoveryAnchor;
  let status: EvaluatedStatus;
  if (anchorToday === 'red') status = 'red';
  else if (raw === 'red' || raw === 'yellow') status = 'yellow';
  else if (clearsRecovery) status = 'green';
  else status = recoveryAnchor === 'red' ? 'yellow' : 'green';
  return { status, state: { redStreak, recoveryAnchor } };
}

/**
 * The engine's state after `date`, read from the latest evaluated row on or before it (its metadata carries
 * redStreak and recoveryAnchor). Rows evaluated without that metadata fall back to what the shown statuses imply:
 * a shown red is a confirmed streak, and the anchor is the latest shown red or green.
 */
export function displayStateAt(series: KpiSeries, date: IsoDate, flapRedDays: number, lookbackDays = 92): DisplayState {
  let latest: { status: EvaluatedStatus; redStreak: number | null; recoveryAnchor: 'red' | 'green' | null } | null = null;
  let anchorFromStatuses: 'red' | 'green' | null = null;
  for (let i = 0; i <= lookbackDays; i++) {
    const day = series.days.get(addDays(date, -i));
    if (!day || !isEvaluatedStatus(day.status)) continue;
    if (!latest) {
      latest = { status: day.status, redStreak: day.redStreak ?? null, recoveryAnchor: day.recoveryAnchor ?? null };
      if (latest.redStreak !== null) return { redStreak: latest.redStreak, recoveryAnchor: latest.recoveryAnchor };
    }
    if (day.status !== 'yellow') {
      anchorFromStatuses = day.status;
      break;
    }
  }
  if (!latest) return { redStreak: 0, recoveryAnchor: null };
  return { redStreak: latest.status === 'red' ? flapRedDays : 0, recoveryAnchor: anchorFromStatuses };
}
