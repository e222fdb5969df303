import { describe, expect, it } from 'vitest';
import type { BaselineDay } from '../forecasting/baseline.js';
import { channels } from '../schema.js';
import { computeScenarioKpis } from './kpi-engine.js';
import type { AppliedCoefficient } from './types.js';
import { upliftCurve } from './uplift-curve.js';

const departments = ['TV', 'Kitchen appliances', 'Phones', 'Cables'];
const day = '2026-04-01';
// Large volumes, so the engine's rounding (cents, whole units) is far below the tolerances.
const baseline: BaselineDay[] = departments.flatMap((department) =>
  channels.map((channel) => ({ department, channel, date: day, salesValue: 1e8, marginValue: 2.5e7, units: 1e6 })),
);

const fitted = (c: Partial<AppliedCoefficient> & Pick<AppliedCoefficient, 'department' | 'channel' | 'discountBand'>): AppliedCoefficient => ({
  upliftSalesPct: 0,
  upliftUnitsPct: 0,
  marginImpactPct: 0,
  confidence: 0.7,
  sampleSize: 20,
  modelVersion: 'v1',
  postPromoDipPct: null,
  cannibalizationPct: null,
  source: 'history',
  ...c,
});

// Fitted coefficients far from the priors next to them, which is where proportional scaling per band jumped at edges.
const coefficients: AppliedCoefficient[] = [
  // TV offline 10-20: +35% at a 12.4% mean discount (the 0-10 prior is +6.91% at 5%).
  fitted({
    department: 'TV',
    channel: 'offline',
    discountBand: '10-20',
    upliftSalesPct: 35,
    upliftUnitsPct: 60,
    marginImpactPct: -7,
    referenceDiscountPct: 12.4,
  }),
  // Kitchen online 20-30 measured below the 10-20 prior (+17.48%) and with a milder margin impact: not monotone as is.
  fitted({
    department: 'Kitchen appliances',
    channel: 'online',
    discountBand: '20-30',
    upliftSalesPct: 15,
    upliftUnitsPct: 30,
    marginImpactPct: -3,
    modelVersion: 'v2',
    source: 'learned',
    referenceDiscountPct: 22,
  }),
  // Phones offline: a steep 30+ at 42% and a flat 0-10 at 8%.
  fitted({
    department: 'Phones',
    channel: 'offline',
    discountBand: '30+',
    upliftSalesPct: 70,
    upliftUnitsPct: 190,
    marginImpactPct: -24,
    referenceDiscountPct: 42,
  }),
  fitted({
    department: 'Phones',
    channel: 'offline',
    discountBand: '0-10',
    upliftSalesPct: 2,
    upliftUnitsPct: 4,
    marginImpactPct: -0.5,
    referenceDiscountPct: 8,
  }),
  // Cables online 10-20 with a negative fitted uplift (noise): the curve never goes below 0 past 0%.
  fitted({
    department: 'Cables',
    channel: 'online',
    discountBand: '10-20',
    upliftSalesPct: -4,
    upliftUnitsPct: -2,
    marginImpactPct: 1,
    referenceDiscountPct: 14,
  }),
];

function at(department: string, channel: (typeof channels)[number], discount: number) {
  const k = computeScenarioKpis({
    draft: { dateRangeStart: day, dateRangeEnd: day, mechanics: [{ department, channel, discount_pct: discount, segments: ['ALL'] }] },
    baseline,
    baselineModel: 'test',
    coefficients,
    segments: [],
    costs: { fixedCostPerChannelDay: { online: 0, offline: 0 }, variableCostPctByType: {}, defaultVariableCostPct: 0 },
  });
  const m = k.perMechanic[0];
  return {
    sales: (m.salesValue / m.baselineSalesValue - 1) * 100,
    units: (m.units / m.baselineUnits - 1) * 100,
    marginPerUnit: m.marginValue / m.units,
  };
}

const grid = Array.from({ length: 601 }, (_, i) => i / 10); // 0%, 0.1%, … 60%
const epsilonPts = 2; // uplift points allowed over 0.2 discount points (the steepest fixture segment moves ~1.3)

describe('uplift response curve', () => {
  for (const department of departments) {
    for (const channel of channels) {
      it(`${department} ${channel}: continuous at band edges, uplift non-decreasing, margin per unit non-increasing`, () => {
        for (const edge of [10, 20, 30]) {
          const below = at(department, channel, edge - 0.1);
          const above = at(department, channel, edge + 0.1);
          expect(Math.abs(above.sales - below.sales), `sales jump at ${edge}%`).toBeLessThan(epsilonPts);
          expect(Math.abs(above.units - below.units), `units jump at ${edge}%`).toBeLessThan(epsilonPts);
          // Margin per unit within 2% of the baseline's (25 a unit), however thin the promoted margin has become.
          expect(Math.abs(above.marginPerUnit - below.marginPerUnit) / 25, `margin/unit jump at ${edge}%`).toBeLessThan(0.02);
        }
        let previous = at(department, channel, 0);
        expect([previous.sales, previous.units]).toEqual([0, 0]);
        for (const d of grid.slice(1)) {
          const now = at(department, channel, d);
          expect(now.sales, `sales at ${d}%`).toBeGreaterThanOrEqual(previous.sales - 1e-6);
          expect(now.units, `units at ${d}%`).toBeGreaterThanOrEqual(previous.units - 1e-6);
          expect(now.marginPerUnit, `margin per unit at ${d}%`).toBeLessThanOrEqual(previous.marginPerUnit * (1 + 1e-9));
          previous = now;
        }
      });
    }
  }

  it('TV offline at 9% and 10% blends the 0-10 prior with the fitted 10-20 coefficient, and the versions say so', () => {
    const curve = upliftCurve('TV', 'offline', coefficients);
    // Prior 0-10 for TV offline: +6.4% × 1.2 × 0.9 = +6.91% at 5%; fitted v1 +35% at 12.4%.
    // 9%: t = (9 − 5) / 7.4 = 0.5405 → 6.91 + 0.5405 × 28.09 = 22.09; 10%: t = 0.6757 → 25.89.
    const nine = curve.at(9);
    const ten = curve.at(10);
    expect(nine.upliftSalesPct).toBeCloseTo(22.09, 2);
    expect(ten.upliftSalesPct).toBeCloseTo(25.89, 2);
    expect(nine.modelVersion).toBe('mixed');
    expect(nine.blend.map((b) => [b.discountBand, b.modelVersion, b.weight])).toEqual([
      ['0-10', 'prior', 0.4595],
      ['10-20', 'v1', 0.5405],
    ]);
    // At the fitted reference only v1 is used; below the first reference only that band's coefficient (× d ÷ ref).
    expect(curve.at(12.4)).toMatchObject({ upliftSalesPct: 35, modelVersion: 'v1', modelVersions: ['v1'] });
    expect(curve.at(2.5)).toMatchObject({ upliftSalesPct: 3.455, modelVersion: 'prior' });
  });

  it('keeps a lower later band at the earlier level and names the band that supplied it', () => {
    // Kitchen online prior 10-20: +19% × 0.8 × 1.15 = +17.48% at 15%, −6.2 pp; fitted 20-30 (v2) +15%, −3 pp at 22%.
    const r = upliftCurve('Kitchen appliances', 'online', coefficients).at(22);
    expect(r).toMatchObject({ upliftSalesPct: 17.48, marginImpactPct: -6.2, monotoneAdjusted: ['20-30'] });
    // Units +30% (v2) is above the 10-20 prior's +36.8%? No: 40 × 0.92 = 36.8 > 30, so units also come from the prior.
    expect(r.upliftUnitsPct).toBeCloseTo(36.8, 6);
    expect(r.modelVersion).toBe('prior');
  });

  it('extends beyond the last reference with the last slope, uplift capped at twice the last value', () => {
    // Phones offline: 20-30 prior +35% × 0.9 = +31.5% at 25%, fitted 30+ +70% at 42% → slope 38.5 / 17 per point.
    const curve = upliftCurve('Phones', 'offline', coefficients);
    expect(curve.at(50).upliftSalesPct).toBeCloseTo(70 + (8 * 38.5) / 17, 6);
    expect(curve.at(50).blend.map((b) => b.weight)).toEqual([-0.4706, 1.4706]);
    // Sales reach 2 × 70 = 140 at 42 + 70 × 17 / 38.5 = 72.9%; at 90% they stay at 140.
    expect(curve.at(90)).toMatchObject({ upliftSalesPct: 140, capped: true });
  });
});
