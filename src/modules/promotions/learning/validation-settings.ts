import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { validationFailed } from '../../../core/errors.js';
import { getConfigValue, putConfig } from '../../../core/settings/settings-service.js';

export const validationSettingsKey = 'promotions.validation';

const pct = z.number().min(0).max(100);
const pctByDepartment = z.record(z.string().trim().min(1).max(50), pct);

/**
 * Validation thresholds of an organization (core setting `promotions.validation`). Every field is optional in the
 * stored value; missing ones take the defaults below.
 */
export const validationSettingsSchema = z.object({
  /** Lowest acceptable margin % of the whole scenario and of each department × channel. */
  marginFloorPct: pct,
  /** Per-department margin floors that override marginFloorPct for that department's lines. */
  marginFloorPctByDepartment: pctByDepartment,
  /** A margin within this many points above the floor is reported as a low-severity note. */
  marginWarnBandPts: z.number().min(0).max(50),
  /** Highest discount a mechanic may carry, and per-department overrides. */
  maxDiscountPct: pct,
  maxDiscountPctByDepartment: pctByDepartment,
  /** Days that must separate two promotions on the same department × channel (0: only true overlaps count). */
  overlapMinGapDays: z.number().int().min(0).max(90),
  /**
   * Groups of departments that compete for the same budget (e.g. [["TV","Audio"]]); with none configured every other
   * department on the same channel counts as a neighbour.
   */
  neighbourDepartments: z.array(z.array(z.string().trim().min(1).max(50)).min(2)).max(100),
  /** Two neighbours discounted at once are a cannibalisation risk when both discounts reach this %. */
  cannibalizationMinDiscountPct: pct,
  /** A learned cannibalization_pct above this (% of incremental sales lost by neighbours) is a risk. */
  cannibalizationMaxLearnedPct: z.number().min(0).max(1000),
  /** Share of the target gap a scenario should close; below it the scenario warns. */
  minGapClosurePct: z.number().min(0).max(1000),
  /** Coefficients below this confidence (or the built-in prior) are flagged. */
  minConfidence: z.number().min(0).max(1),
  /** Post-mortem: a neighbour falling this % or more below its baseline during the promotion is a signal. */
  cannibalizationSignalPct: z.number().min(0).max(100),
  /** Uplift learning: observation weight per promotion day, and the cap on the prior's sample size. */
  learningWeightPerDay: z.number().min(0.01).max(100),
  learningPriorSampleCap: z.number().int().min(1).max(10_000),
  /** Sample size assumed for the built-in prior (and for coefficients stored without one). */
  learningDefaultPriorSample: z.number().int().min(1).max(10_000),
});

export type ValidationSettings = z.infer<typeof validationSettingsSchema>;

export const defaultValidationSettings: ValidationSettings = {
  marginFloorPct: 18,
  marginFloorPctByDepartment: {},
  marginWarnBandPts: 1,
  maxDiscountPct: 40,
  maxDiscountPctByDepartment: {},
  overlapMinGapDays: 0,
  neighbourDepartments: [],
  cannibalizationMinDiscountPct: 15,
  cannibalizationMaxLearnedPct: 30,
  minGapClosurePct: 80,
  minConfidence: 0.5,
  cannibalizationSignalPct: 5,
  learningWeightPerDay: 1,
  learningPriorSampleCap: 60,
  learningDefaultPriorSample: 14,
};

/** PUT body: any subset of the settings; the rest keeps its current value. */
export const validationSettingsPatch = validationSettingsSchema.partial().strict();

/** A stored value with a wrong field falls back to that field's default, so validation never stops on a bad setting. */
export async function loadValidationSettings(ctx: ServiceContext): Promise<ValidationSettings> {
  const stored = await getConfigValue<unknown>(ctx, validationSettingsKey, {});
  const input = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const out: Record<string, unknown> = { ...defaultValidationSettings };
  const shape = validationSettingsSchema.shape as Record<string, z.ZodType>;
  for (const [key, schema] of Object.entries(shape)) {
    if (!(key in input)) continue;
    const parsed = schema.safeParse(input[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as ValidationSettings;
}

export async function updateValidationSettings(ctx: ServiceContext, patch: unknown): Promise<ValidationSettings> {
  const parsed = validationSettingsPatch.safeParse(patch);
  if (!parsed.success) {
    throw validationFailed(
      'Some validation settings are invalid.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
    );
  }
  const next = { ...(await loadValidationSettings(ctx)), ...parsed.data };
  await putConfig(ctx, validationSettingsKey, { value: next, description: 'Promotions validation thresholds and learning weights' });
  return next;
}

export const marginFloorFor = (settings: ValidationSettings, department: string) => settings.marginFloorPctByDepartment[department] ?? settings.marginFloorPct;

export const maxDiscountFor = (settings: ValidationSettings, department: string) => settings.maxDiscountPctByDepartment[department] ?? settings.maxDiscountPct;

/** Neighbours of a department: its configured groups, or every other department when no group is configured. */
export function areNeighbours(settings: ValidationSettings, a: string, b: string): boolean {
  if (a === b) return false;
  if (settings.neighbourDepartments.length === 0) return true;
  return settings.neighbourDepartments.some((group) => group.includes(a) && group.includes(b));
}
