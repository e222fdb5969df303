import type { ActionPlan, CheckInRecord, PlanProgressUpdate } from '../session-queries';
import { higherIsBetter } from '../sessions/session-ui';

export function checkInsOf(plan: ActionPlan): CheckInRecord[] {
  return (plan.progressUpdates ?? []).filter((u): u is CheckInRecord => u?.type === 'CHECK_IN');
}

export function updatesOf(plan: ActionPlan): PlanProgressUpdate[] {
  return (plan.progressUpdates ?? []).filter((u) => u && (u.type === 'CHECK_IN' || u.type === 'EXTENDED'));
}

/** Whether a value reaches a target; the direction follows the start value when there is one, else the metric. */
export function meetsTarget(key: string, value: number | null | undefined, target: number, start?: number | null): boolean {
  if (value === null || value === undefined) return false;
  const up = typeof start === 'number' && start !== target ? target > start : higherIsBetter(key);
  return up ? value >= target : value <= target;
}

/** Targets met at the last check-in (or, before one, by the current values the plan holds). */
export function planProgress(plan: ActionPlan): { met: number; total: number } {
  const last = plan.lastCheckIn ?? checkInsOf(plan).at(-1) ?? null;
  const keys = Object.keys(plan.targetMetrics ?? {});
  if (last) {
    const entries = Object.values(last.metrics ?? {});
    return { met: entries.filter((m) => m.met).length, total: entries.length || keys.length };
  }
  const met = keys.filter((key) => {
    const t = plan.targetMetrics[key];
    return t && meetsTarget(key, t.current, t.target, t.start);
  }).length;
  return { met, total: keys.length };
}
