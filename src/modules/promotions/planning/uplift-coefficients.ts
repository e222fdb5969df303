import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { forecastBaseline, seriesKey, type BaselineDay } from '../forecasting/baseline.js';
import { channels, upliftCoefficients, type Channel } from '../schema.js';
import { addDays, type IsoDate } from '../shared/dates.js';
import { discountBandOf, discountBands, modelVersionNumber } from '../shared/discount-bands.js';
import { promotionsError } from '../shared/errors.js';
import { postPromoDipDays } from './kpi-engine.js';
import type { AppliedCoefficient } from './types.js';
import { referenceDiscountOf } from './uplift-priors.js';

export type UpliftCoefficientRow = typeof upliftCoefficients.$inferSelect;

/** A stored row as the KPI engine applies it. */
export function appliedCoefficientOf(row: UpliftCoefficientRow): AppliedCoefficient {
  return {
    department: row.department,
    channel: row.channel,
    discountBand: row.discountBand,
    upliftSalesPct: row.upliftSalesPct,
    upliftUnitsPct: row.upliftUnitsPct,
    marginImpactPct: row.marginImpactPct,
    confidence: row.confidence,
    sampleSize: row.sampleSize,
    modelVersion: row.modelVersion,
    postPromoDipPct: row.postPromoDipPct,
    cannibalizationPct: row.cannibalizationPct,
    referenceDiscountPct: referenceDiscountOf(row.discountBand, row.details),
    source: row.source,
  };
}

const coefficientKey = (r: { department: string; channel: string; discountBand: string }) => `${r.department}|${r.channel}|${r.discountBand}`;

/** The coefficients in force: for each department × channel × band, the row with the newest model_version. */
export async function currentUpliftCoefficients(ctx: ServiceContext): Promise<UpliftCoefficientRow[]> {
  const rows = await ctx.db.select().from(upliftCoefficients).where(eq(upliftCoefficients.organizationId, ctx.organization.id));
  const newest = new Map<string, UpliftCoefficientRow>();
  for (const row of rows) {
    const key = coefficientKey(row);
    const held = newest.get(key);
    if (!held || modelVersionNumber(row.modelVersion) > modelVersionNumber(held.modelVersion)) newest.set(key, row);
  }
  return [...newest.values()].sort((a, b) => coefficientKey(a).localeCompare(coefficientKey(b)));
}

export const coefficientHistoryQuery = z.object({
  department: z.string().min(1).max(50),
  channel: z.enum(channels),
  discountBand: z.enum(discountBands.map((b) => b.band) as [string, ...string[]]),
});

/** Every version of one coefficient, oldest first (the last one is in force). */
export async function upliftCoefficientHistory(ctx: ServiceContext, key: z.infer<typeof coefficientHistoryQuery>): Promise<UpliftCoefficientRow[]> {
  const rows = await ctx.db
    .select()
    .from(upliftCoefficients)
    .where(
      and(
        eq(upliftCoefficients.organizationId, ctx.organization.id),
        eq(upliftCoefficients.department, key.department),
        eq(upliftCoefficients.channel, key.channel),
        eq(upliftCoefficients.discountBand, key.discountBand),
      ),
    )
    .orderBy(asc(upliftCoefficients.createdAt));
  return rows.sort((a, b) => modelVersionNumber(a.modelVersion) - modelVersionNumber(b.modelVersion));
}

/**
 * The next org-wide model version ("v1", then vN+1). Call it inside the transaction that writes the version: the
 * advisory lock keeps a fit and a post-mortem from claiming the same number at the same time.
 */
export async function nextUpliftModelVersion(ctx: ServiceContext): Promise<string> {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`promotions.uplift:${ctx.organization.id}`}))`);
  const versions = await sqlRows<{ model_version: string }>(
    ctx.db,
    sql`select distinct model_version from promotions.uplift_coefficients where organization_id = ${ctx.organization.id}`,
  );
  const highest = versions.reduce((max, v) => Math.max(max, modelVersionNumber(v.model_version)), 0);
  return `v${highest + 1}`;
}

interface DayActual {
  department: string;
  channel: Channel;
  date: IsoDate;
  sales: number;
  margin: number;
  units: number;
  promo: boolean;
  discount: number | null;
}

interface Observation {
  salesRatio: number;
  discount: number;
  sales: number;
  margin: number;
  units: number;
  baseSales: number;
  baseMargin: number;
  baseUnits: number;
  neighbourDeviation: number | null;
}

export interface UpliftFitResult {
  modelVersion: string | null;
  coefficients: UpliftCoefficientRow[];
  promoDays: number;
  skippedDays: { reason: string; count: number }[];
  baselineModel: string;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const minPromoDays = 3;
/** Days either side of a promo day whose clean (non-promo, non-dip) sales re-level the baseline. */
export const levelWindowDays = 28;

/**
 * The baseline re-levelled around each day: × (actual ÷ baseline) over the clean days within ±28 days, so a baseline
 * that misses a season or a trend (a weekday average over years) does not turn that season into "uplift". Clean days:
 * a sales row, no promotion, not in the dip window after one, and not one of `excludedChannelDays` ("channel|date").
 */
function levelCorrectedBaseline(days: BaselineDay[], actualOf: Map<string, DayActual>, excludedChannelDays: Set<string>) {
  const bySeries = new Map<string, BaselineDay[]>();
  for (const d of days) {
    const key = seriesKey(d.department, d.channel);
    if (!bySeries.has(key)) bySeries.set(key, []);
    bySeries.get(key)!.push(d);
  }
  const index = new Map<string, { position: Map<IsoDate, number>; days: BaselineDay[]; actual: number[]; base: number[]; clean: number[] }>();
  for (const [key, list] of bySeries) {
    list.sort((a, b) => a.date.localeCompare(b.date));
    const actual = [0];
    const base = [0];
    const clean = [0];
    let sincePromo = Infinity;
    for (const d of list) {
      const a = actualOf.get(`${key}|${d.date}`);
      sincePromo = a?.promo ? 0 : sincePromo + 1;
      const ok = a && !a.promo && sincePromo > postPromoDipDays && !excludedChannelDays.has(`${d.channel}|${d.date}`);
      actual.push(actual.at(-1)! + (ok ? a.sales : 0));
      base.push(base.at(-1)! + (ok ? d.salesValue : 0));
      clean.push(clean.at(-1)! + (ok ? 1 : 0));
    }
    index.set(key, { position: new Map(list.map((d, i) => [d.date, i])), days: list, actual, base, clean });
  }
  return (key: string, date: IsoDate): BaselineDay | undefined => {
    const s = index.get(key);
    const i = s?.position.get(date);
    if (!s || i === undefined) return undefined;
    const lo = Math.max(0, i - levelWindowDays);
    const hi = Math.min(s.days.length, i + levelWindowDays + 1);
    const base = s.base[hi] - s.base[lo];
    const factor = s.clean[hi] - s.clean[lo] >= 14 && base > 0 ? (s.actual[hi] - s.actual[lo]) / base : 1;
    const d = s.days[i];
    return { ...d, salesValue: d.salesValue * factor, marginValue: d.marginValue * factor, units: d.units * factor };
  };
}

/**
 * Fits uplift per department × channel × discount band from the sales history: each promo day against the baseline
 * forecast for that day (ratio of sums over the band's days), the margin-rate change in points, the post-promo dip
 * (the days after each promo run vs baseline) and cannibalisation (the channel's non-promo departments on those days).
 * Writes them as one new org-wide model_version with source 'history'. Keys with fewer than three promo days are left
 * to the prior.
 */
export async function fitUpliftFromHistory(ctx: ServiceContext): Promise<UpliftFitResult> {
  const rows = await sqlRows<{
    department: string;
    channel: Channel;
    date: string;
    sales: number;
    margin: number;
    units: number;
    promo: boolean;
    discount: number | null;
  }>(
    ctx.db,
    sql`select department, channel, to_char(date, 'YYYY-MM-DD') as date,
               sum(sales_value)::float8 as sales, sum(margin_value)::float8 as margin, sum(units)::float8 as units,
               bool_or(promo_flag) as promo, max(discount_pct) filter (where promo_flag)::float8 as discount
        from promotions.sales_aggregated where organization_id = ${ctx.organization.id}
        group by department, channel, date order by department, channel, date`,
  );
  if (rows.length === 0) throw promotionsError('NO_SALES_HISTORY', 'There is no sales history to fit uplift from: import sales first.', { status: 409 });
  const promoRows = rows.filter((r) => r.promo);
  const skipped = new Map<string, number>();
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  if (promoRows.length === 0) {
    return { modelVersion: null, coefficients: [], promoDays: 0, skippedDays: [], baselineModel: 'none' };
  }
  const first = promoRows.reduce((a, r) => (r.date < a ? r.date : a), promoRows[0].date);
  const last = promoRows.reduce((a, r) => (r.date > a ? r.date : a), promoRows[0].date);
  const baseline = await forecastBaseline(ctx, { from: addDays(first, -levelWindowDays), to: addDays(last, levelWindowDays) });
  const actualOf = new Map<string, DayActual>(rows.map((r) => [`${seriesKey(r.department, r.channel)}|${r.date}`, r]));
  const baseOf = levelCorrectedBaseline(baseline.days, actualOf, new Set());
  // A neighbour's level leaves out every day its channel had a promotion, when it may itself have been cannibalised.
  const neighbourBaseOf = levelCorrectedBaseline(baseline.days, actualOf, new Set(promoRows.map((r) => `${r.channel}|${r.date}`)));
  const departmentsByChannel = new Map<Channel, Set<string>>();
  for (const r of rows) {
    if (!departmentsByChannel.has(r.channel)) departmentsByChannel.set(r.channel, new Set());
    departmentsByChannel.get(r.channel)!.add(r.department);
  }

  const observations = new Map<string, Observation[]>();
  for (const r of promoRows) {
    if (r.discount == null) {
      skip('promo day without discount_pct');
      continue;
    }
    const base = baseOf(seriesKey(r.department, r.channel), r.date);
    if (!base || base.salesValue <= 0) {
      skip('no baseline for the day');
      continue;
    }
    // Neighbours: the channel's other departments without a promotion that day, actual minus baseline.
    let deviation = 0;
    let neighbours = 0;
    for (const dept of departmentsByChannel.get(r.channel) ?? []) {
      if (dept === r.department) continue;
      const actual = actualOf.get(`${seriesKey(dept, r.channel)}|${r.date}`);
      const nb = neighbourBaseOf(seriesKey(dept, r.channel), r.date);
      if (!actual || actual.promo || !nb) continue;
      deviation += actual.sales - nb.salesValue;
      neighbours++;
    }
    const key = `${r.department}|${r.channel}|${discountBandOf(r.discount)}`;
    if (!observations.has(key)) observations.set(key, []);
    observations.get(key)!.push({
      salesRatio: r.sales / base.salesValue,
      discount: r.discount,
      sales: r.sales,
      margin: r.margin,
      units: r.units,
      baseSales: base.salesValue,
      baseMargin: base.marginValue,
      baseUnits: base.units,
      neighbourDeviation: neighbours > 0 ? deviation : null,
    });
  }

  // Post-promo dip per run of consecutive promo days, attributed to the run's band.
  const dips = new Map<string, { actual: number; base: number }>();
  for (const r of promoRows) {
    const next = actualOf.get(`${seriesKey(r.department, r.channel)}|${addDays(r.date, 1)}`);
    if (next?.promo || r.discount == null) continue;
    let actual = 0;
    let base = 0;
    let complete = true;
    for (let i = 1; i <= postPromoDipDays; i++) {
      const day = addDays(r.date, i);
      const a = actualOf.get(`${seriesKey(r.department, r.channel)}|${day}`);
      const b = baseOf(seriesKey(r.department, r.channel), day);
      if (!a || a.promo || !b) {
        complete = false;
        break;
      }
      actual += a.sales;
      base += b.salesValue;
    }
    if (!complete || base <= 0) continue;
    let start = r.date;
    const discounts: number[] = [];
    for (;;) {
      const a = actualOf.get(`${seriesKey(r.department, r.channel)}|${start}`);
      if (!a?.promo) break;
      if (a.discount != null) discounts.push(a.discount);
      start = addDays(start, -1);
    }
    const band = discountBandOf(discounts.reduce((x, y) => x + y, 0) / Math.max(1, discounts.length));
    const key = `${r.department}|${r.channel}|${band}`;
    const held = dips.get(key) ?? { actual: 0, base: 0 };
    dips.set(key, { actual: held.actual + actual, base: held.base + base });
  }

  const fitted = [...observations].filter(([, obs]) => {
    if (obs.length < minPromoDays) for (let i = 0; i < obs.length; i++) skip(`fewer than ${minPromoDays} promo days in the band`);
    return obs.length >= minPromoDays;
  });
  if (fitted.length === 0) {
    return {
      modelVersion: null,
      coefficients: [],
      promoDays: promoRows.length,
      skippedDays: [...skipped].map(([reason, count]) => ({ reason, count })),
      baselineModel: baseline.model,
    };
  }

  return inTransaction(ctx, async (tx) => {
    const modelVersion = await nextUpliftModelVersion(tx);
    const now = tx.clock.now();
    const values = fitted.map(([key, obs]) => {
      const [department, channel, band] = key.split('|') as [string, Channel, string];
      const sum = (f: (o: Observation) => number) => obs.reduce((a, o) => a + f(o), 0);
      const sales = sum((o) => o.sales);
      const baseSales = sum((o) => o.baseSales);
      const upliftSales = sales / baseSales - 1;
      const baseUnits = sum((o) => o.baseUnits);
      const upliftUnits = baseUnits > 0 ? sum((o) => o.units) / baseUnits - 1 : upliftSales;
      const marginImpactPp = (sum((o) => o.margin) / sales - sum((o) => o.baseMargin) / baseSales) * 100;
      // Confidence grows with the number of promo days and falls with the day-to-day dispersion of the uplift.
      const mean = sum((o) => o.salesRatio) / obs.length;
      const sd = Math.sqrt(sum((o) => (o.salesRatio - mean) ** 2) / Math.max(1, obs.length - 1));
      const standardError = sd / Math.sqrt(obs.length);
      const relativeError = standardError / Math.max(Math.abs(mean - 1), 0.05);
      const confidence = Math.min(0.99, Math.max(0.01, (obs.length / (obs.length + 10)) * (1 / (1 + relativeError))));
      const withNeighbours = obs.filter((o) => o.neighbourDeviation != null);
      const incremental = withNeighbours.reduce((a, o) => a + (o.sales - o.baseSales), 0);
      // Neighbours' deviation counts only when it stands out of their day-to-day noise (|mean| ≥ 2 standard errors).
      const deviations = withNeighbours.map((o) => o.neighbourDeviation!);
      const meanDeviation = deviations.reduce((a, x) => a + x, 0) / Math.max(1, deviations.length);
      const deviationSe = Math.sqrt(
        deviations.reduce((a, x) => a + (x - meanDeviation) ** 2, 0) / Math.max(1, deviations.length - 1) / Math.max(1, deviations.length),
      );
      const cannibalization =
        withNeighbours.length >= minPromoDays && incremental > 0 && Math.abs(meanDeviation) >= 2 * deviationSe
          ? Math.min(100, Math.max(-25, (-withNeighbours.reduce((a, o) => a + o.neighbourDeviation!, 0) / incremental) * 100))
          : null;
      const dip = dips.get(key);
      const dipPct = dip && dip.base > 0 ? Math.min(100, Math.max(-100, ((dip.base - dip.actual) / dip.base) * 100)) : null;
      return {
        organizationId: tx.organization.id,
        department,
        channel,
        discountBand: band,
        upliftSalesPct: round2(Math.max(-99.99, Math.min(9999.99, upliftSales * 100))),
        upliftUnitsPct: round2(Math.max(-99.99, Math.min(9999.99, upliftUnits * 100))),
        marginImpactPct: round2(Math.max(-999.99, Math.min(999.99, marginImpactPp))),
        confidence: round2(confidence),
        sampleSize: obs.length,
        modelVersion,
        source: 'history',
        postPromoDipPct: dipPct == null ? null : round2(dipPct),
        cannibalizationPct: cannibalization == null ? null : round2(cannibalization),
        details: {
          referenceDiscountPct: round2(sum((o) => o.discount) / obs.length),
          baselineModel: baseline.model,
          salesValue: round2(sales),
          baselineSalesValue: round2(baseSales),
          dailyUpliftSd: round2(sd * 100),
          neighbourDays: withNeighbours.length,
          dipWindowDays: postPromoDipDays,
          dipBaselineSalesValue: dip ? round2(dip.base) : null,
        },
        createdAt: now,
      };
    });
    const written = await tx.db.insert(upliftCoefficients).values(values).returning();
    await recordAudit(tx, {
      action: 'promotions.uplift.fitted',
      entityType: 'uplift_coefficients',
      entityId: modelVersion,
      after: { modelVersion, keys: written.length, promoDays: promoRows.length },
    });
    return {
      modelVersion,
      coefficients: written.sort((a, b) => coefficientKey(a).localeCompare(coefficientKey(b))),
      promoDays: promoRows.length,
      skippedDays: [...skipped].map(([reason, count]) => ({ reason, count })),
      baselineModel: baseline.model,
    };
  });
}
