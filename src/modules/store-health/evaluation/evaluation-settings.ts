import type { ServiceContext } from '../../../core/context.js';
import { getConfigValue } from '../../../core/settings/settings-service.js';

export type AlertSeverity = 'yellow' | 'red' | 'critical';

/** The organization settings (core.system_config) the evaluation reads, with the documented defaults. */
export interface EvaluationSettings {
  /** Consecutive raw-red days before a KPI shows red (before that it shows yellow). */
  flapRedDays: number;
  /** % of green_min a KPI must clear after a red before it shows green again. */
  recoveryMarginPct: number;
  /** Days in condition after which a red alert becomes critical. */
  criticalAfterDays: number;
  /** SLA per severity, in store opening hours. */
  slaHours: Record<AlertSeverity, number>;
  /** Share of a district's open stores red on one KPI the same day that folds them into one district alert. */
  districtFoldShare: number;
  /** Fewest red stores that can fold into a district alert. */
  districtFoldMinStores: number;
}

export const defaultEvaluationSettings: EvaluationSettings = {
  flapRedDays: 2,
  recoveryMarginPct: 2,
  criticalAfterDays: 3,
  slaHours: { yellow: 24, red: 8, critical: 4 },
  districtFoldShare: 0.6,
  districtFoldMinStores: 3,
};

const wholeNumberAtLeast = (value: unknown, min: number, fallback: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min ? value : fallback;
const numberBetween = (value: unknown, min: number, max: number, fallback: number) =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback;

/** A setting stored with the wrong type falls back to its default instead of stopping the evaluation. */
export async function loadEvaluationSettings(ctx: ServiceContext): Promise<EvaluationSettings> {
  const defaults = defaultEvaluationSettings;
  const [flap, margin, critical, sla, share] = await Promise.all([
    getConfigValue<unknown>(ctx, 'store_health.flap_red_days', defaults.flapRedDays),
    getConfigValue<unknown>(ctx, 'store_health.recovery_margin_pct', defaults.recoveryMarginPct),
    getConfigValue<unknown>(ctx, 'store_health.critical_after_days', defaults.criticalAfterDays),
    getConfigValue<unknown>(ctx, 'store_health.sla_hours', defaults.slaHours),
    getConfigValue<unknown>(ctx, 'store_health.district_fold_share', defaults.districtFoldShare),
  ]);
  const slaInput = (sla && typeof sla === 'object' ? sla : {}) as Record<string, unknown>;
  return {
    flapRedDays: wholeNumberAtLeast(flap, 1, defaults.flapRedDays),
    recoveryMarginPct: numberBetween(margin, 0, 100, defaults.recoveryMarginPct),
    criticalAfterDays: wholeNumberAtLeast(critical, 1, defaults.criticalAfterDays),
    slaHours: {
      yellow: numberBetween(slaInput.yellow, 0.01, 24 * 60, defaults.slaHours.yellow),
      red: numberBetween(slaInput.red, 0.01, 24 * 60, defaults.slaHours.red),
      critical: numberBetween(slaInput.critical, 0.01, 24 * 60, defaults.slaHours.critical),
    },
    districtFoldShare: numberBetween(share, 0.01, 1, defaults.districtFoldShare),
    districtFoldMinStores: defaults.districtFoldMinStores,
  };
}
