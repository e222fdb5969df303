import type { Channel } from '../schema.js';
import { discountBands } from '../shared/discount-bands.js';
import type { AppliedCoefficient } from './types.js';
import { priorCoefficient, referenceDiscountOf } from './uplift-priors.js';

/** One band coefficient's part in the response at a discount: response = Σ weight × coefficient (see `upliftCurve`). */
export interface UpliftBlendPart {
  discountBand: string;
  modelVersion: string;
  source: string;
  referenceDiscountPct: number;
  weight: number;
}

/** The response of a department × channel at one discount, and the coefficients it was interpolated from. */
export interface UpliftAtDiscount {
  discountPct: number;
  upliftSalesPct: number;
  upliftUnitsPct: number;
  marginImpactPct: number;
  /** The one version of every coefficient used, "prior", or "mixed". */
  modelVersion: string;
  /** The distinct versions of the coefficients used (after the monotone envelope). */
  modelVersions: string[];
  blend: UpliftBlendPart[];
  /** Bands whose own value was replaced by an earlier band's to keep the curve monotone (uplift ≥, margin ≤). */
  monotoneAdjusted: string[];
  /** Beyond the last reference, uplift stopped at twice the last reference's value. */
  capped: boolean;
}

type Metric = 'upliftSalesPct' | 'upliftUnitsPct' | 'marginImpactPct';
const metrics: Metric[] = ['upliftSalesPct', 'upliftUnitsPct', 'marginImpactPct'];

interface Knot {
  coefficient: AppliedCoefficient;
  reference: number;
  /** The monotone envelope's value per metric, and the band whose coefficient supplies it. */
  value: Record<Metric, number>;
  from: Record<Metric, AppliedCoefficient>;
}

/** How far beyond the last reference the uplift may grow: at most this × the last reference's uplift. */
export const extrapolationCap = 2;

/** The existing rule: one distinct version → that version, none → "none", several → "mixed". */
export const versionOf = (versions: string[]) => {
  const distinct = [...new Set(versions)];
  return distinct.length === 1 ? distinct[0] : distinct.length === 0 ? 'none' : 'mixed';
};

/**
 * The response curve of one department × channel: for each band the coefficient in force (else the built-in prior) at
 * its reference discount, joined piecewise linearly from 0 uplift and 0 margin impact at 0% discount; beyond the last
 * reference, the last segment's slope, uplift capped at `extrapolationCap` × the last reference's. Knots are made
 * monotone first (uplift never below an earlier band's, margin impact never above), so a deeper discount never
 * forecasts less. `coefficients` may hold other keys; only the department × channel's are used.
 */
export function upliftCurve(department: string, channel: Channel, coefficients: AppliedCoefficient[]) {
  const knots: Knot[] = [];
  for (const { band } of discountBands) {
    const found = coefficients.find((c) => c.department === department && c.channel === channel && c.discountBand === band);
    const coefficient: AppliedCoefficient = found
      ? { ...found, referenceDiscountPct: found.referenceDiscountPct ?? referenceDiscountOf(band) }
      : priorCoefficient(department, channel, band);
    const reference = coefficient.referenceDiscountPct ?? referenceDiscountOf(band);
    // A reference at or below the previous one (an odd fitted mean) would make a vertical segment: skip that knot.
    if (reference <= 0 || (knots.length > 0 && reference <= knots.at(-1)!.reference)) continue;
    const previous = knots.at(-1);
    const value = {} as Record<Metric, number>;
    const from = {} as Record<Metric, AppliedCoefficient>;
    for (const metric of metrics) {
      const own = coefficient[metric];
      const held = previous ? previous.value[metric] : 0;
      const keepsOwn = metric === 'marginImpactPct' ? own <= held : own >= held;
      value[metric] = keepsOwn ? own : held;
      from[metric] = keepsOwn || !previous ? coefficient : previous.from[metric];
    }
    knots.push({ coefficient, reference, value, from });
  }

  /** Value at `discountPct` as Σ weight × knot, with the weights per knot. */
  function at(discountPct: number): UpliftAtDiscount {
    const d = Math.max(0, discountPct);
    const weights: { knot: Knot; weight: number }[] = [];
    const i = knots.findIndex((k) => d <= k.reference);
    if (i === 0) weights.push({ knot: knots[0], weight: d / knots[0].reference });
    else if (i > 0) {
      const t = (d - knots[i - 1].reference) / (knots[i].reference - knots[i - 1].reference);
      weights.push({ knot: knots[i - 1], weight: 1 - t }, { knot: knots[i], weight: t });
    } else if (knots.length === 1) weights.push({ knot: knots[0], weight: d / knots[0].reference });
    else {
      const [a, b] = knots.slice(-2);
      const x = (d - b.reference) / (b.reference - a.reference);
      weights.push({ knot: a, weight: -x }, { knot: b, weight: 1 + x });
    }
    const used = weights.filter((w) => w.weight !== 0);
    const out = { upliftSalesPct: 0, upliftUnitsPct: 0, marginImpactPct: 0 };
    for (const metric of metrics) out[metric] = used.reduce((a, w) => a + w.weight * w.knot.value[metric], 0);
    let capped = false;
    if (i < 0 && knots.length > 0) {
      const last = knots.at(-1)!.value;
      for (const metric of ['upliftSalesPct', 'upliftUnitsPct'] as const) {
        const cap = Math.max(last[metric], extrapolationCap * last[metric]);
        if (out[metric] > cap) {
          out[metric] = cap;
          capped = true;
        }
      }
    }
    const sources = used.flatMap((w) => metrics.map((m) => w.knot.from[m]));
    const adjusted = used.filter((w) => metrics.some((m) => w.knot.from[m] !== w.knot.coefficient)).map((w) => w.knot.coefficient.discountBand);
    return {
      discountPct,
      ...out,
      modelVersion: versionOf(sources.map((c) => c.modelVersion)),
      modelVersions: [...new Set(sources.map((c) => c.modelVersion))],
      blend: used.map((w) => ({
        discountBand: w.knot.coefficient.discountBand,
        modelVersion: w.knot.coefficient.modelVersion,
        source: w.knot.coefficient.source ?? (w.knot.coefficient.modelVersion === 'prior' ? 'prior' : 'unknown'),
        referenceDiscountPct: w.knot.reference,
        weight: Math.round(w.weight * 10000) / 10000,
      })),
      monotoneAdjusted: adjusted,
      capped,
    };
  }
  return { at, knots: knots.map((k) => ({ discountBand: k.coefficient.discountBand, referenceDiscountPct: k.reference, ...k.value })) };
}
