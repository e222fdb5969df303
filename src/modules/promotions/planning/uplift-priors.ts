import type { Channel } from '../schema.js';
import { discountBandOf, type DiscountBand } from '../shared/discount-bands.js';
import type { AppliedCoefficient } from './types.js';

/**
 * Built-in priors, used (modelVersion 'prior') while a key has no uplift_coefficients row. Derived from a constant
 * unit elasticity of about −2.5 at each band's reference discount (sales uplift = units × (1 − d)), and a margin
 * impact that assumes 40% of the discount is supplier-funded at a 25% base margin: rate' = (m − 0.6·d) / (1 − d).
 */
export const bandPriors: Record<DiscountBand, { referenceDiscountPct: number; upliftUnitsPct: number; upliftSalesPct: number; marginImpactPct: number }> = {
  '0-10': { referenceDiscountPct: 5, upliftUnitsPct: 12, upliftSalesPct: 6.4, marginImpactPct: -1.8 },
  '10-20': { referenceDiscountPct: 15, upliftUnitsPct: 40, upliftSalesPct: 19, marginImpactPct: -6.2 },
  '20-30': { referenceDiscountPct: 25, upliftUnitsPct: 80, upliftSalesPct: 35, marginImpactPct: -11.7 },
  '30+': { referenceDiscountPct: 35, upliftUnitsPct: 120, upliftSalesPct: 43, marginImpactPct: -18.8 },
};

/**
 * Price sensitivity by department family (matched on the department's name), scaling the prior's uplift: big-ticket
 * discretionary goods (TV, gaming, audio, photo) respond more to a discount than need-driven replacements
 * (appliances), whose purchase is brought forward rather than created. Unmatched departments use 1.
 */
const departmentSensitivity: { pattern: RegExp; factor: number; why: string }[] = [
  { pattern: /\b(tvs?|televisions?|gaming|consoles?|audio|hi-?fi|photo|cameras?|drones?|wearables?)\b/i, factor: 1.2, why: 'discretionary big-ticket' },
  { pattern: /\b(accessories|accessory|cables?|media|software|games)\b/i, factor: 1.1, why: 'impulse add-on' },
  { pattern: /\b(phones?|mobiles?|smartphones?|computers?|computing|laptops?|pcs?|tablets?|it)\b/i, factor: 1.0, why: 'planned purchase' },
  { pattern: /(appliance|white goods|kitchen|household|washing|fridge|heating)/i, factor: 0.8, why: 'need-driven replacement' },
];

/** Online shoppers compare prices in one click, so a discount moves online demand more than store traffic. */
const channelSensitivity: Record<Channel, number> = { online: 1.15, offline: 0.9 };

export function departmentSensitivityOf(department: string): number {
  return departmentSensitivity.find((d) => d.pattern.test(department))?.factor ?? 1;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The prior coefficient for a key (sensitivity scales uplift, not the margin rate change, which is arithmetic). */
export function priorCoefficient(department: string, channel: Channel, band: DiscountBand): AppliedCoefficient & { referenceDiscountPct: number } {
  const p = bandPriors[band];
  const k = departmentSensitivityOf(department) * channelSensitivity[channel];
  return {
    department,
    channel,
    discountBand: band,
    upliftSalesPct: round2(p.upliftSalesPct * k),
    upliftUnitsPct: round2(p.upliftUnitsPct * k),
    marginImpactPct: p.marginImpactPct,
    confidence: null,
    sampleSize: null,
    modelVersion: 'prior',
    postPromoDipPct: null,
    cannibalizationPct: null,
    referenceDiscountPct: p.referenceDiscountPct,
  };
}

/** The discount a band's coefficient describes: the band's reference, unless the coefficient says what it saw. */
export function referenceDiscountOf(band: string, details?: Record<string, unknown> | null): number {
  const seen = details?.referenceDiscountPct;
  if (typeof seen === 'number' && seen > 0) return seen;
  return bandPriors[(band in bandPriors ? band : discountBandOf(Number.parseFloat(band) || 0)) as DiscountBand].referenceDiscountPct;
}
