import { describe, expect, it } from 'vitest';
import type { BaselineDay } from '../forecasting/baseline.js';
import type { Channel } from '../schema.js';
import { addDays, eachDay } from '../shared/dates.js';
import { computeScenarioKpis, postPromoDipDays, segmentSlices, type KpiEngineInput } from './kpi-engine.js';
import type { PromoCostSettings } from './promo-costs.js';
import type { AppliedCoefficient } from './types.js';
import { priorCoefficient } from './uplift-priors.js';

const period = { dateRangeStart: '2026-04-01', dateRangeEnd: '2026-04-02' };

function days(
  department: string,
  channel: Channel,
  sales: number,
  margin: number,
  units: number,
  from = period.dateRangeStart,
  to = period.dateRangeEnd,
): BaselineDay[] {
  return eachDay(from, to).map((date) => ({ department, channel, date, salesValue: sales, marginValue: margin, units }));
}

// Two days: TV online 1,000 sales / 250 margin / 10 units a day; Audio online 500 / 150 / 25 a day.
const baseline = [...days('TV', 'online', 1000, 250, 10), ...days('Audio', 'online', 500, 150, 25)];

const coefficient: AppliedCoefficient = {
  department: 'TV',
  channel: 'online',
  discountBand: '10-20',
  upliftSalesPct: 20,
  upliftUnitsPct: 40,
  marginImpactPct: -5,
  confidence: 0.8,
  sampleSize: 30,
  modelVersion: 'v3',
  postPromoDipPct: null,
  cannibalizationPct: null,
  referenceDiscountPct: 10,
};

// The next band's coefficient, 20% reference: with it, 15% lies halfway between two v3 coefficients.
const upper: AppliedCoefficient = {
  ...coefficient,
  discountBand: '20-30',
  upliftSalesPct: 40,
  upliftUnitsPct: 80,
  marginImpactPct: -10,
  referenceDiscountPct: 20,
};

const costs: PromoCostSettings = {
  fixedCostPerChannelDay: { online: 100, offline: 999 },
  variableCostPctByType: { coupon: 2 },
  defaultVariableCostPct: 0,
};

function input(overrides: Partial<KpiEngineInput> & { discount?: number; segments?: string[]; scenarioType?: string } = {}): KpiEngineInput {
  return {
    draft: {
      ...period,
      scenarioType: overrides.scenarioType ?? 'coupon',
      mechanics: [{ department: 'TV', channel: 'online', discount_pct: overrides.discount ?? 15, segments: overrides.segments ?? ['ALL'] }],
    },
    baseline,
    baselineModel: 'dow_average',
    coefficients: [coefficient, upper],
    segments: [],
    costs,
    ...overrides,
  };
}

describe('computeScenarioKpis', () => {
  it('applies one mechanic: uplift interpolated between band references, margin rate shift, costs and deltas', () => {
    const k = computeScenarioKpis(input());
    // 15% is halfway between the 10-20 reference (10%: +20% sales, +40% units, −5 pp) and the 20-30 one (20%: +40%,
    // +80%, −10 pp) → +30%, +60%, −7.5 pp: sales 2,000 × 1.30 = 2,600; units 20 × 1.60 = 32;
    // margin rate 25% − 7.5 pp = 17.5% → 455. Audio unchanged: 1,000 / 300 / 50.
    expect(k.perMechanic[0]).toMatchObject({ baselineSalesValue: 2000, salesValue: 2600, marginValue: 455, units: 32, coefficient: { modelVersion: 'v3' } });
    expect(k.perMechanic[0].uplift).toMatchObject({
      upliftSalesPct: 30,
      modelVersion: 'v3',
      blend: [
        { discountBand: '10-20', modelVersion: 'v3', referenceDiscountPct: 10, weight: 0.5 },
        { discountBand: '20-30', modelVersion: 'v3', referenceDiscountPct: 20, weight: 0.5 },
      ],
    });
    expect(k.totalSalesValue).toBe(3600);
    expect(k.totalMarginValue).toBe(755);
    expect(k.totalUnits).toBe(82);
    expect(k.totalMarginPct).toBe(20.97);
    expect(k.baselineSalesValue).toBe(3000);
    expect(k.baselineMarginValue).toBe(800);
    expect(k.baselineUnits).toBe(70);
    expect([k.salesValueDelta, k.marginValueDelta, k.unitsDelta]).toEqual([600, -45, 12]);
    // Costs: 100 online fixed × 2 days + coupon 2% of the 2,600 promoted sales = 252. EBIT = 755 − 252.
    expect(k.promoCosts).toBe(252);
    expect(k.perMechanic[0].promoCosts).toBe(252);
    expect(k.totalEbit).toBe(503);
    // Baseline EBIT is the baseline margin (no promo costs): 500 + 300 = 800.
    expect(k.baselineEbit).toBe(800);
    expect(k.ebitDelta).toBe(-297);
    expect(k.upliftModelVersion).toBe('v3');
    expect(k.kpiBreakdown.by_department).toEqual([
      {
        department: 'Audio',
        sales_value: 1000,
        margin_value: 300,
        margin_pct: 30,
        units: 50,
        baseline_sales_value: 1000,
        baseline_margin_value: 300,
        baseline_units: 50,
      },
      {
        department: 'TV',
        sales_value: 2600,
        margin_value: 455,
        margin_pct: 17.5,
        units: 32,
        baseline_sales_value: 2000,
        baseline_margin_value: 500,
        baseline_units: 20,
      },
    ]);
    expect(k.kpiBreakdown.by_channel).toEqual([
      {
        channel: 'online',
        sales_value: 3600,
        margin_value: 755,
        margin_pct: 20.97,
        units: 82,
        baseline_sales_value: 3000,
        baseline_margin_value: 800,
        baseline_units: 70,
      },
    ]);
    expect(k.kpiBreakdown.by_day).toEqual([
      { date: '2026-04-01', baseline_sales_value: 1500, sales_value: 1800 },
      { date: '2026-04-02', baseline_sales_value: 1500, sales_value: 1800 },
    ]);
  });

  it('charges no variable cost for a type without one and the fixed cost once per channel-day', () => {
    const k = computeScenarioKpis(input({ scenarioType: 'balanced' }));
    expect(k.promoCosts).toBe(200);
    const two = computeScenarioKpis(
      input({
        draft: {
          ...period,
          scenarioType: 'balanced',
          mechanics: [
            { department: 'TV', channel: 'online', discount_pct: 15, segments: ['ALL'] },
            { department: 'Audio', channel: 'online', discount_pct: 15, segments: ['ALL'] },
          ],
        },
      }),
    );
    expect(two.promoCosts).toBe(200);
    // The fixed cost is split by promoted sales: TV 2,600 vs Audio's prior uplift.
    expect(two.perMechanic[0].promoCosts + two.perMechanic[1].promoCosts).toBeCloseTo(200, 1);
    expect(two.upliftModelVersion).toBe('mixed');
    expect(two.perMechanic[1].coefficient.modelVersion).toBe('prior');
  });

  it('limits a segment mechanic to its share of revenue, scaled by discount sensitivity', () => {
    const segments = [
      { segmentId: 'A', shareOfRevenue: 0.5, discountSensitivity: 'high' as const },
      { segmentId: 'B', shareOfRevenue: 0.3, discountSensitivity: 'low' as const },
    ];
    // Average sensitivity: 0.5 × 1.4 + 0.3 × 0.6 + 0.2 (unassigned) × 1 = 1.08.
    const limited = computeScenarioKpis({
      ...input(),
      segments,
      draft: { ...period, scenarioType: 'balanced', mechanics: [{ department: 'TV', channel: 'online', discount_pct: 10, segments: ['A'] }] },
    });
    // A's TV sales 2,000 × 0.5 = 1,000 → × (1 + 0.20 × 1.4 / 1.08) = 1,259.26; margin at 25% − 5 pp = 20% → 251.85.
    expect(limited.perMechanic[0]).toMatchObject({ baselineSalesValue: 1000, salesValue: 1259.26, marginValue: 251.85 });
    // Units: 10 × (1 + 0.40 × 1.2963) = 15.19 → 15.
    expect(limited.perMechanic[0].units).toBe(15);
    const bySegment = Object.fromEntries(limited.kpiBreakdown.by_segment.map((s) => [s.segment_id, s]));
    expect(bySegment.A).toMatchObject({ sales_value: 1759.26, baseline_sales_value: 1500 });
    expect(bySegment.B).toMatchObject({ sales_value: 900, baseline_sales_value: 900 });
    expect(bySegment.UNASSIGNED).toMatchObject({ sales_value: 600, baseline_sales_value: 600 });
    expect(limited.salesValueDelta).toBe(259.26);

    // "ALL" reproduces the coefficient whatever the segments: +20% on TV at the reference discount.
    const all = computeScenarioKpis({ ...input({ discount: 10 }), segments });
    expect(all.salesValueDelta).toBe(400);
    const allSegments = Object.fromEntries(all.kpiBreakdown.by_segment.map((s) => [s.segment_id, s.sales_value]));
    // A gets 1,000 × 0.2 × 1.4/1.08 more, B 600 × 0.2 × 0.6/1.08 more (plus Audio's unchanged 500 and 300).
    expect(allSegments.A).toBe(1759.26);
    expect(allSegments.B).toBe(966.67);
  });

  it('gives a segment already covered to the first mechanic on the same department × channel', () => {
    const segments = [{ segmentId: 'A', shareOfRevenue: 0.5, discountSensitivity: 'medium' as const }];
    const k = computeScenarioKpis({
      ...input(),
      segments,
      draft: {
        ...period,
        scenarioType: 'balanced',
        mechanics: [
          { department: 'TV', channel: 'online', discount_pct: 10, segments: ['A'] },
          { department: 'TV', channel: 'online', discount_pct: 10, segments: ['ALL'] },
        ],
      },
    });
    expect(k.perMechanic.map((m) => m.baselineSalesValue)).toEqual([1000, 1000]);
    expect(k.salesValueDelta).toBe(400);
  });

  it('takes cannibalised sales from the other departments of the channel and reports the post-promo dip apart', () => {
    const withDip = [...baseline, ...days('TV', 'online', 1000, 250, 10, addDays(period.dateRangeEnd, 1), addDays(period.dateRangeEnd, postPromoDipDays))];
    const k = computeScenarioKpis({
      ...input(),
      baseline: withDip,
      coefficients: [{ ...coefficient, cannibalizationPct: 50, postPromoDipPct: 10 }, upper],
    });
    // TV gains 600; half of it (300) comes out of Audio online: margin 300 × 30% = 90, units 300 × 50/1,000 = 15.
    expect(k.salesValueDelta).toBe(300);
    expect(k.kpiBreakdown.by_department.find((d) => d.department === 'Audio')).toMatchObject({ sales_value: 700, margin_value: 210, units: 35 });
    expect(k.kpiBreakdown.cannibalisation).toEqual([
      { from_department: 'TV', channel: 'online', department: 'Audio', sales_value_lost: 300, margin_value_lost: 90 },
    ]);
    // Dip: 10% of the 7 following days' TV baseline (7,000) = 700 sales, 175 margin; the period's totals exclude it.
    expect(k.kpiBreakdown.post_promo_dip).toMatchObject({
      window_days: 7,
      from: '2026-04-03',
      to: '2026-04-09',
      sales_value_lost: 700,
      margin_value_lost: 175,
    });
    expect(k.baselineSalesValue).toBe(3000);
    expect(k.kpiBreakdown.post_promo_dip).toMatchObject({ ebit_delta_incl_dip: k.ebitDelta - 175 });
  });

  it('falls back to the prior, scaled by department and channel sensitivity', () => {
    const prior = priorCoefficient('TV', 'online', '20-30');
    expect(prior).toMatchObject({ modelVersion: 'prior', upliftSalesPct: 48.3, referenceDiscountPct: 25 });
    expect(priorCoefficient('Kitchen appliances', 'offline', '20-30').upliftSalesPct).toBe(25.2);
    const k = computeScenarioKpis({ ...input({ discount: 25 }), coefficients: [] });
    // 2,000 × 48.3% = 966.
    expect(k.salesValueDelta).toBe(966);
    expect(k.upliftModelVersion).toBe('prior');
  });

  it('blends a fitted coefficient with the next band prior, and reports the mix', () => {
    // TV online priors: 0-10 at 5%: +6.4% × 1.2 × 1.15 = +8.83% sales, −1.8 pp; 20-30 at 25%: +48.3% sales, −11.7 pp.
    const k = computeScenarioKpis({ ...input(), coefficients: [coefficient] });
    // 15% between v3 at 10% (+20%, −5 pp) and the prior at 25%: weights 2/3 and 1/3 → +20 × 2/3 + 48.3 / 3 = +29.43%
    // sales: 2,000 × 1.294333 = 2,588.67; margin −5 × 2/3 − 11.7 / 3 = −7.2333 pp → 17.7667% × 2,588.67 = 459.92.
    expect(k.perMechanic[0]).toMatchObject({ salesValue: 2588.67, marginValue: 459.92 });
    expect(k.perMechanic[0].uplift.blend.map((b) => [b.discountBand, b.modelVersion, b.weight])).toEqual([
      ['10-20', 'v3', 0.6667],
      ['20-30', 'prior', 0.3333],
    ]);
    expect(k.upliftModelVersion).toBe('mixed');
    // 7.5% between the 0-10 prior at 5% (+8.83%) and v3 at 10% (+20%): +14.415% → 2,288.30, also mixed.
    const low = computeScenarioKpis({ ...input({ discount: 7.5 }), coefficients: [coefficient] });
    expect(low.perMechanic[0].salesValue).toBe(2288.3);
    expect(low.upliftModelVersion).toBe('mixed');
    // At a reference exactly, only that coefficient is used: v3 at 10% → +20%.
    const atReference = computeScenarioKpis({ ...input({ discount: 10 }), coefficients: [coefficient] });
    expect([atReference.salesValueDelta, atReference.upliftModelVersion]).toEqual([400, 'v3']);
  });

  it('normalises segment shares that add up to more than 1', () => {
    const slices = segmentSlices([
      { segmentId: 'A', shareOfRevenue: 0.8, discountSensitivity: null },
      { segmentId: 'B', shareOfRevenue: 0.8, discountSensitivity: 'low' },
    ]);
    expect(slices).toEqual([
      { segmentId: 'A', share: 0.5, k: 1 },
      { segmentId: 'B', share: 0.5, k: 0.6 },
    ]);
  });
});
