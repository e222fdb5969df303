import type { BaselineDay } from '../forecasting/baseline.js';
import type { Channel, KpiBreakdown, KpiBreakdownLine } from '../schema.js';
import { addDays, eachDay, type IsoDate } from '../shared/dates.js';
import { discountBandOf } from '../shared/discount-bands.js';
import { variableCostPct, type PromoCostSettings } from './promo-costs.js';
import type { AppliedCoefficient, MechanicForecast, ScenarioDraft, ScenarioKpiComputation } from './types.js';
import { upliftCurve, versionOf } from './uplift-curve.js';
import { priorCoefficient, referenceDiscountOf } from './uplift-priors.js';

/** A CDP segment as the engine needs it. */
export interface SegmentShare {
  segmentId: string;
  shareOfRevenue: number;
  discountSensitivity: 'low' | 'medium' | 'high' | null;
}

export interface KpiEngineInput {
  draft: ScenarioDraft;
  /** Baseline per department × channel × day: the whole business over the period (and the dip window after it). */
  baseline: BaselineDay[];
  baselineModel: string;
  /** The coefficients in force (newest version per key); a key without one uses the built-in prior. */
  coefficients: AppliedCoefficient[];
  segments: SegmentShare[];
  costs: PromoCostSettings;
}

/** Days after the period over which a coefficient's post-promo dip is applied (and measured when fitting). */
export const postPromoDipDays = 7;

/** How much a segment's uplift differs from the average customer's, by its CDP discount sensitivity. */
export const sensitivityFactor: Record<'low' | 'medium' | 'high', number> = { low: 0.6, medium: 1, high: 1.4 };

/** The share of revenue no CDP segment claims (shares summing to less than 1). */
export const unassignedSegment = 'UNASSIGNED';

interface Slice {
  segmentId: string;
  share: number;
  k: number;
  baseSales: number;
  baseMargin: number;
  baseUnits: number;
  sales: number;
  margin: number;
  units: number;
}

interface Series {
  department: string;
  channel: Channel;
  sales: number;
  margin: number;
  units: number;
  byDay: Map<IsoDate, number>;
  dipWindowSales: number;
  slices: Slice[];
  covered: Set<string>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const marginPct = (sales: number, margin: number) => (sales > 0 ? round2((margin / sales) * 100) : 0);
const keyOf = (department: string, channel: string) => `${department}|${channel}`;

function line(t: { sales: number; margin: number; units: number; baseSales: number; baseMargin: number; baseUnits: number }): KpiBreakdownLine {
  return {
    sales_value: round2(t.sales),
    margin_value: round2(t.margin),
    margin_pct: marginPct(t.sales, t.margin),
    units: Math.round(t.units),
    baseline_sales_value: round2(t.baseSales),
    baseline_margin_value: round2(t.baseMargin),
    baseline_units: Math.round(t.baseUnits),
  };
}

type Totals = { sales: number; margin: number; units: number; baseSales: number; baseMargin: number; baseUnits: number };
const zero = (): Totals => ({ sales: 0, margin: 0, units: 0, baseSales: 0, baseMargin: 0, baseUnits: 0 });
function addSlice(t: Totals, s: Slice) {
  t.sales += s.sales;
  t.margin += s.margin;
  t.units += s.units;
  t.baseSales += s.baseSales;
  t.baseMargin += s.baseMargin;
  t.baseUnits += s.baseUnits;
}

/** Revenue shares per segment (normalised when they add up to more than 1), plus the unassigned rest. */
export function segmentSlices(segments: SegmentShare[]): { segmentId: string; share: number; k: number }[] {
  if (segments.length === 0) return [{ segmentId: 'ALL', share: 1, k: 1 }];
  const sum = segments.reduce((a, s) => a + Math.max(0, s.shareOfRevenue), 0);
  const scale = sum > 1 ? 1 / sum : 1;
  const out = segments.map((s) => ({
    segmentId: s.segmentId,
    share: Math.max(0, s.shareOfRevenue) * scale,
    k: s.discountSensitivity ? sensitivityFactor[s.discountSensitivity] : 1,
  }));
  const rest = 1 - out.reduce((a, s) => a + s.share, 0);
  if (rest > 1e-9) out.push({ segmentId: unassignedSegment, share: rest, k: 1 });
  return out;
}

/**
 * Scenario KPIs from the baseline, the mechanics and the coefficients in force — a pure function, so what-if previews
 * cost no database work beyond reading the baseline. Totals cover the whole business (every department × channel of
 * the baseline) over the period; the definitions are in docs/decisions.md ("Promotions: scenario KPIs and EBIT").
 *
 * Per mechanic: the response of its department × channel at its discount — interpolated between the bands' coefficients
 * at their reference discounts (`upliftCurve`), so it is continuous and monotone across band edges — applies to the revenue share of its segments (each segment's uplift × its sensitivity relative to the
 * average customer, so "ALL" reproduces the coefficient exactly). A segment already covered by an earlier mechanic on
 * the same department × channel stays with that one. Cannibalisation takes sales from the other departments of the
 * channel; the post-promo dip is reported for the days after the period, outside the period's totals.
 */
export function computeScenarioKpis(input: KpiEngineInput): ScenarioKpiComputation {
  const { draft, costs } = input;
  const periodDays = eachDay(draft.dateRangeStart, draft.dateRangeEnd);
  const dipFrom = addDays(draft.dateRangeEnd, 1);
  const dipTo = addDays(draft.dateRangeEnd, postPromoDipDays);
  const sliceModel = segmentSlices(input.segments);
  const avgK = sliceModel.reduce((a, s) => a + s.share * s.k, 0) || 1;

  const series = new Map<string, Series>();
  const seriesOf = (department: string, channel: Channel) => {
    const key = keyOf(department, channel);
    let s = series.get(key);
    if (!s) {
      s = { department, channel, sales: 0, margin: 0, units: 0, byDay: new Map(), dipWindowSales: 0, slices: [], covered: new Set() };
      series.set(key, s);
    }
    return s;
  };
  for (const day of input.baseline) {
    const s = seriesOf(day.department, day.channel);
    if (day.date >= draft.dateRangeStart && day.date <= draft.dateRangeEnd) {
      s.sales += day.salesValue;
      s.margin += day.marginValue;
      s.units += day.units;
      s.byDay.set(day.date, (s.byDay.get(day.date) ?? 0) + day.salesValue);
    } else if (day.date >= dipFrom && day.date <= dipTo) s.dipWindowSales += day.salesValue;
  }
  for (const m of draft.mechanics) seriesOf(m.department, m.channel);
  for (const s of series.values()) {
    s.slices = sliceModel.map((m) => ({
      ...m,
      baseSales: s.sales * m.share,
      baseMargin: s.margin * m.share,
      baseUnits: s.units * m.share,
      sales: s.sales * m.share,
      margin: s.margin * m.share,
      units: s.units * m.share,
    }));
  }

  const coefficientByKey = new Map(input.coefficients.map((c) => [`${keyOf(c.department, c.channel)}|${c.discountBand}`, c]));
  const curves = new Map<string, ReturnType<typeof upliftCurve>>();
  const perMechanic: MechanicForecast[] = [];
  const incremental: number[] = [];
  for (const [index, m] of draft.mechanics.entries()) {
    const s = seriesOf(m.department, m.channel);
    const band = discountBandOf(m.discount_pct);
    const found = coefficientByKey.get(`${keyOf(m.department, m.channel)}|${band}`);
    const coefficient: AppliedCoefficient = found
      ? { ...found, referenceDiscountPct: found.referenceDiscountPct ?? referenceDiscountOf(band) }
      : priorCoefficient(m.department, m.channel, band);
    const key = keyOf(m.department, m.channel);
    if (!curves.has(key)) curves.set(key, upliftCurve(m.department, m.channel, input.coefficients));
    const response = curves.get(key)!.at(m.discount_pct);
    const all = m.segments.includes('ALL');
    const targets = s.slices.filter((slice) => (all || m.segments.includes(slice.segmentId)) && !s.covered.has(slice.segmentId));
    const baseRate = s.sales > 0 ? s.margin / s.sales : 0;
    const rate = baseRate + response.marginImpactPct / 100;
    const f: MechanicForecast = {
      index,
      department: m.department,
      channel: m.channel,
      discountPct: m.discount_pct,
      segments: m.segments,
      baselineSalesValue: 0,
      baselineMarginValue: 0,
      baselineUnits: 0,
      salesValue: 0,
      marginValue: 0,
      units: 0,
      promoCosts: 0,
      coefficient,
      uplift: response,
    };
    for (const slice of targets) {
      s.covered.add(slice.segmentId);
      const relative = slice.k / avgK;
      slice.sales = slice.baseSales * (1 + (response.upliftSalesPct / 100) * relative);
      slice.units = slice.baseUnits * (1 + (response.upliftUnitsPct / 100) * relative);
      slice.margin = slice.sales * rate;
      f.baselineSalesValue += slice.baseSales;
      f.baselineMarginValue += slice.baseMargin;
      f.baselineUnits += slice.baseUnits;
      f.salesValue += slice.sales;
      f.marginValue += slice.margin;
      f.units += slice.units;
    }
    incremental.push(f.salesValue - f.baselineSalesValue);
    perMechanic.push(f);
  }

  // Cannibalisation: a share of each mechanic's incremental sales comes out of the channel's other departments.
  const cannibalisation: Record<string, unknown>[] = [];
  for (const f of perMechanic) {
    const p = f.coefficient.cannibalizationPct;
    const gain = incremental[f.index];
    if (p == null || p === 0 || gain <= 0) continue;
    const loss = (gain * p) / 100;
    const neighbours = [...series.values()].filter((n) => n.channel === f.channel && n.department !== f.department && n.sales > 0);
    const neighbourSales = neighbours.reduce((a, n) => a + n.sales, 0);
    if (neighbourSales <= 0) continue;
    for (const n of neighbours) {
      const lost = (loss * n.sales) / neighbourSales;
      const rate = n.margin / n.sales;
      const perUnit = n.units / n.sales;
      for (const slice of n.slices) {
        slice.sales -= lost * slice.share;
        slice.margin -= lost * slice.share * rate;
        slice.units -= lost * slice.share * perUnit;
      }
      cannibalisation.push({
        from_department: f.department,
        channel: f.channel,
        department: n.department,
        sales_value_lost: round2(lost),
        margin_value_lost: round2(lost * rate),
      });
    }
  }

  // Promo costs: fixed per channel and day of the campaign, variable as a % of the promoted sales by scenario type.
  const variablePct = variableCostPct(costs, draft.scenarioType);
  const channelsInPlay = [...new Set(draft.mechanics.map((m) => m.channel))];
  const fixedByChannel: Record<string, number> = {};
  for (const channel of channelsInPlay) {
    const fixed = (costs.fixedCostPerChannelDay[channel] ?? 0) * periodDays.length;
    fixedByChannel[channel] = fixed;
    const mine = perMechanic.filter((f) => f.channel === channel);
    const promoSales = mine.reduce((a, f) => a + f.salesValue, 0);
    for (const f of mine) f.promoCosts += promoSales > 0 ? (fixed * f.salesValue) / promoSales : fixed / mine.length;
  }
  let variableCosts = 0;
  for (const f of perMechanic) {
    const variable = (f.salesValue * variablePct) / 100;
    variableCosts += variable;
    f.promoCosts += variable;
  }
  const fixedCosts = Object.values(fixedByChannel).reduce((a, b) => a + b, 0);
  const promoCosts = fixedCosts + variableCosts;

  // Post-promo dip: reported for the window after the period, not charged to the period's totals.
  let dipSales = 0;
  let dipMargin = 0;
  const dipByMechanic: Record<string, unknown>[] = [];
  for (const f of perMechanic) {
    const p = f.coefficient.postPromoDipPct;
    const s = series.get(keyOf(f.department, f.channel))!;
    if (p == null || p === 0 || s.sales <= 0) continue;
    const coveredShare = f.baselineSalesValue / s.sales;
    const lost = (s.dipWindowSales * coveredShare * p) / 100;
    const margin = lost * (s.margin / s.sales);
    dipSales += lost;
    dipMargin += margin;
    dipByMechanic.push({ index: f.index, department: f.department, channel: f.channel, sales_value_lost: round2(lost), margin_value_lost: round2(margin) });
  }

  // Aggregation.
  const total = zero();
  const byChannel = new Map<Channel, Totals>();
  const byDepartment = new Map<string, Totals>();
  const bySegment = new Map<string, Totals>();
  const byDay = new Map<IsoDate, { baseline: number; sales: number }>(periodDays.map((d) => [d, { baseline: 0, sales: 0 }]));
  for (const s of series.values()) {
    const t = zero();
    for (const slice of s.slices) {
      addSlice(t, slice);
      if (!bySegment.has(slice.segmentId)) bySegment.set(slice.segmentId, zero());
      addSlice(bySegment.get(slice.segmentId)!, slice);
    }
    if (!byChannel.has(s.channel)) byChannel.set(s.channel, zero());
    if (!byDepartment.has(s.department)) byDepartment.set(s.department, zero());
    for (const target of [total, byChannel.get(s.channel)!, byDepartment.get(s.department)!]) {
      target.sales += t.sales;
      target.margin += t.margin;
      target.units += t.units;
      target.baseSales += t.baseSales;
      target.baseMargin += t.baseMargin;
      target.baseUnits += t.baseUnits;
    }
    const ratio = s.sales > 0 ? t.sales / s.sales : 1;
    for (const [date, value] of s.byDay) {
      const d = byDay.get(date);
      if (!d) continue;
      d.baseline += value;
      d.sales += value * ratio;
    }
  }

  // The versions of the coefficients actually blended (a mechanic between two bands may use two).
  const upliftModelVersion = versionOf(perMechanic.flatMap((f) => f.uplift.modelVersions));
  const totalUnits = Math.round(total.units);
  const baselineUnits = Math.round(total.baseUnits);
  const totalMargin = round2(total.margin);
  const baselineMargin = round2(total.baseMargin);
  const totalEbit = round2(total.margin - promoCosts);
  const kpiBreakdown: KpiBreakdown = {
    by_channel: [...byChannel].sort(([a], [b]) => a.localeCompare(b)).map(([channel, t]) => ({ channel, ...line(t) })),
    by_department: [...byDepartment].sort(([a], [b]) => a.localeCompare(b)).map(([department, t]) => ({ department, ...line(t) })),
    by_segment: [...bySegment].map(([segment_id, t]) => ({ segment_id, ...line(t) })),
    by_day: [...byDay].map(([date, d]) => ({ date, baseline_sales_value: round2(d.baseline), sales_value: round2(d.sales) })),
    promo_costs: {
      fixed: round2(fixedCosts),
      variable: round2(variableCosts),
      total: round2(promoCosts),
      fixed_by_channel: Object.fromEntries(Object.entries(fixedByChannel).map(([c, v]) => [c, round2(v)])),
      variable_pct: variablePct,
      days: periodDays.length,
    },
    cannibalisation,
    post_promo_dip: {
      window_days: postPromoDipDays,
      from: dipFrom,
      to: dipTo,
      sales_value_lost: round2(dipSales),
      margin_value_lost: round2(dipMargin),
      by_mechanic: dipByMechanic,
      ebit_delta_incl_dip: round2(total.margin - promoCosts - total.baseMargin - dipMargin),
    },
    uplift: perMechanic.map((f) => ({
      index: f.index,
      department: f.department,
      channel: f.channel,
      discount_band: f.coefficient.discountBand,
      model_version: f.uplift.modelVersion,
      uplift_sales_pct: round2(f.uplift.upliftSalesPct),
      uplift_units_pct: round2(f.uplift.upliftUnitsPct),
      margin_impact_pct: round2(f.uplift.marginImpactPct),
      blend: f.uplift.blend,
    })),
  };
  return {
    periodStart: draft.dateRangeStart,
    periodEnd: draft.dateRangeEnd,
    totalSalesValue: round2(total.sales),
    totalMarginValue: totalMargin,
    totalMarginPct: marginPct(total.sales, total.margin),
    totalEbit,
    totalUnits,
    salesValueDelta: round2(total.sales - total.baseSales),
    marginValueDelta: round2(total.margin - total.baseMargin),
    ebitDelta: round2(total.margin - promoCosts - total.baseMargin),
    unitsDelta: totalUnits - baselineUnits,
    baselineSalesValue: round2(total.baseSales),
    baselineMarginValue: baselineMargin,
    baselineEbit: baselineMargin,
    baselineUnits,
    promoCosts: round2(promoCosts),
    kpiBreakdown,
    perMechanic: perMechanic.map((f) => ({
      ...f,
      baselineSalesValue: round2(f.baselineSalesValue),
      baselineMarginValue: round2(f.baselineMarginValue),
      baselineUnits: Math.round(f.baselineUnits),
      salesValue: round2(f.salesValue),
      marginValue: round2(f.marginValue),
      units: Math.round(f.units),
      promoCosts: round2(f.promoCosts),
    })),
    upliftModelVersion,
    baselineModel: input.baselineModel,
    ms: 0,
  };
}
