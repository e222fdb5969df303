import type { Db } from '../../../core/db/connection.js';
import { salesAggregated, type Channel } from '../schema.js';
import { addDays, dayOfWeek, type IsoDate } from '../shared/dates.js';
import type { DailySeries } from './series-models.js';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so synthetic series are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticSeriesSpec {
  department: string;
  channel: string;
  start: IsoDate;
  days: number;
  level: number;
  /** Multiplier per weekday, 0 = Sunday. */
  weekly?: number[];
  /** Relative amplitude of a yearly sine (0.3 = ±30 %), peaking in mid-December. */
  yearly?: number;
  /** Relative growth per year. */
  trendPerYear?: number;
  /** Relative noise (standard deviation of a uniform draw, roughly). */
  noise?: number;
  seed?: number;
  /** A promotion every `every` days lasting `length` days, selling `uplift` times the baseline, at `discountPct`. */
  promotions?: { every: number; length: number; uplift: number; discountPct: number; offset?: number };
  /** Days after each promotion selling `depth` times baseline (0.7 = 30 % below). */
  dip?: { days: number; depth: number };
  marginRate?: number;
  price?: number;
}

export const retailWeekly = [1.35, 0.8, 0.85, 0.9, 0.95, 1.15, 1.5];

export interface SyntheticDay {
  date: IsoDate;
  department: string;
  channel: string;
  promo: boolean;
  discountPct: number | null;
  baseline: number;
  sales: number;
  margin: number;
  units: number;
}

/** Daily sales of one department × channel with weekly/yearly seasonality, trend, promotions and post-promo dips. */
export function syntheticDays(spec: SyntheticSeriesSpec): SyntheticDay[] {
  const random = seededRandom(spec.seed ?? 1);
  const weekly = spec.weekly ?? retailWeekly;
  const out: SyntheticDay[] = [];
  const promo = spec.promotions;
  let sincePromoEnd = Number.POSITIVE_INFINITY;
  for (let i = 0; i < spec.days; i++) {
    const date = addDays(spec.start, i);
    const dayOfYear = Math.floor((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${date.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000);
    const yearly = 1 + (spec.yearly ?? 0) * Math.cos((2 * Math.PI * (dayOfYear - 350)) / 365);
    const trend = 1 + ((spec.trendPerYear ?? 0) * i) / 365;
    const noise = 1 + (spec.noise ?? 0.05) * (random() - 0.5) * 2 * Math.sqrt(3);
    const baseline = spec.level * weekly[dayOfWeek(date)] * yearly * trend;
    const isPromo = promo
      ? (i - (promo.offset ?? 0)) % promo.every >= 0 && (i - (promo.offset ?? 0)) % promo.every < promo.length && i >= (promo.offset ?? 0)
      : false;
    if (isPromo) sincePromoEnd = 0;
    else sincePromoEnd++;
    const inDip = !isPromo && spec.dip !== undefined && sincePromoEnd <= spec.dip.days;
    const factor = isPromo ? promo!.uplift : inDip ? spec.dip!.depth : 1;
    const sales = Math.round(baseline * noise * factor * 100) / 100;
    const discount = isPromo ? promo!.discountPct : null;
    const marginRate = (spec.marginRate ?? 0.25) - (discount ?? 0) / 100;
    const price = (spec.price ?? 100) * (1 - (discount ?? 0) / 100);
    out.push({
      date,
      department: spec.department,
      channel: spec.channel,
      promo: isPromo,
      discountPct: discount,
      baseline,
      sales,
      margin: Math.round(sales * marginRate * 100) / 100,
      units: Math.max(0, Math.round(sales / price)),
    });
  }
  return out;
}

/** The same days as a DailySeries, as loadDailySeries would build it from the database. */
export function toDailySeries(days: SyntheticDay[]): DailySeries {
  return {
    department: days[0].department,
    channel: days[0].channel,
    start: days[0].date,
    sales: days.map((d) => d.sales),
    margin: days.map((d) => d.margin),
    units: days.map((d) => d.units),
    promo: days.map((d) => d.promo),
    discount: days.map((d) => d.discountPct),
  };
}

/** Writes synthetic days into promotions.sales_aggregated for an organization (tests and the bench's fallback data). */
export async function insertSyntheticSales(db: Db, organizationId: string, days: readonly SyntheticDay[]): Promise<void> {
  for (let i = 0; i < days.length; i += 2000) {
    await db.insert(salesAggregated).values(
      days.slice(i, i + 2000).map((d) => ({
        organizationId,
        date: d.date,
        channel: d.channel as Channel,
        department: d.department,
        promoFlag: d.promo,
        discountPct: d.discountPct,
        salesValue: d.sales,
        marginValue: d.margin,
        units: d.units,
      })),
    );
  }
}
