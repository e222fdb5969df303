import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { getConfigValue } from '../../../core/settings/settings-service.js';
import { promotionsError } from '../shared/errors.js';

/** Core settings key holding an organization's promo cost settings (falls back to the defaults below). */
export const promoCostsConfigKey = 'promotions.costs';

/**
 * Promo costs charged against EBIT (EBIT = margin − promo costs; see docs/decisions.md):
 * a fixed campaign cost per channel and day (media, production, in-store material), and a variable cost as a % of
 * the promoted sales by scenario type (coupon redemption and handling, member-programme cost, …).
 */
export const promoCostSettingsSchema = z.object({
  fixedCostPerChannelDay: z.object({ online: z.number().min(0), offline: z.number().min(0) }),
  variableCostPctByType: z.record(z.string(), z.number().min(0).max(100)),
  defaultVariableCostPct: z.number().min(0).max(100),
});
export type PromoCostSettings = z.infer<typeof promoCostSettingsSchema>;

export const defaultPromoCosts: PromoCostSettings = {
  fixedCostPerChannelDay: { online: 400, offline: 900 },
  variableCostPctByType: {
    coupon: 3,
    member_only: 2,
    flash: 0.5,
    best_deal: 0,
    conservative: 0,
    balanced: 0,
    aggressive: 0,
  },
  defaultVariableCostPct: 0,
};

/** The variable cost % for a scenario type (the default when the type is missing or not listed). */
export function variableCostPct(costs: PromoCostSettings, scenarioType: string | null | undefined): number {
  if (scenarioType && Object.hasOwn(costs.variableCostPctByType, scenarioType)) return costs.variableCostPctByType[scenarioType];
  return costs.defaultVariableCostPct;
}

/** The organization's promo cost settings; partial settings are merged over the defaults, bad ones are refused. */
export async function loadPromoCostSettings(ctx: ServiceContext): Promise<PromoCostSettings> {
  const stored = await getConfigValue<unknown>(ctx, promoCostsConfigKey, null);
  if (stored == null) return defaultPromoCosts;
  const raw = stored as Partial<PromoCostSettings>;
  const merged = {
    fixedCostPerChannelDay: { ...defaultPromoCosts.fixedCostPerChannelDay, ...(raw.fixedCostPerChannelDay ?? {}) },
    variableCostPctByType: { ...defaultPromoCosts.variableCostPctByType, ...(raw.variableCostPctByType ?? {}) },
    defaultVariableCostPct: raw.defaultVariableCostPct ?? defaultPromoCosts.defaultVariableCostPct,
  };
  const parsed = promoCostSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    throw promotionsError(
      'BAD_COST_SETTINGS',
      `The setting "${promoCostsConfigKey}" is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
      {
        status: 409,
      },
    );
  }
  return parsed.data;
}
