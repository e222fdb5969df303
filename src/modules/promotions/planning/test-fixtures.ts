import type { Clock } from '../../../core/clock.js';
import type { OrganizationRef, ServiceContext } from '../../../core/context.js';
import type { Db } from '../../../core/db/connection.js';
import { createLogger } from '../../../core/logger.js';
import { salesAggregated, segments, targets, upliftCoefficients, type Channel } from '../schema.js';
import { addDays, eachDay } from '../shared/dates.js';

export function planningContext(db: Db, organization: OrganizationRef, clock: Clock): ServiceContext {
  return { db, organization, clock, actor: { type: 'user', id: null, label: 'tester', userId: null }, role: 'admin', log: createLogger('silent') };
}

/** Daily sales that are the same every day per department × channel, so the weekday baseline equals them exactly. */
export const flatSeries: { department: string; channel: Channel; sales: number; margin: number; units: number }[] = [
  { department: 'TV', channel: 'online', sales: 1000, margin: 250, units: 10 },
  { department: 'TV', channel: 'offline', sales: 2000, margin: 500, units: 20 },
  { department: 'Audio', channel: 'online', sales: 500, margin: 150, units: 25 },
  { department: 'Audio', channel: 'offline', sales: 500, margin: 150, units: 25 },
];

/** 8 weeks of non-promo history ending the day before `through`. */
export async function insertFlatHistory(db: Db, organizationId: string, through = '2026-03-01', weeks = 8): Promise<void> {
  const days = eachDay(addDays(through, -7 * weeks + 1), through);
  await db.insert(salesAggregated).values(
    flatSeries.flatMap((s) =>
      days.map((date) => ({
        organizationId,
        date,
        channel: s.channel,
        department: s.department,
        promoFlag: false,
        salesValue: s.sales,
        marginValue: s.margin,
        units: s.units,
      })),
    ),
  );
}

export async function insertSegments(db: Db, organizationId: string): Promise<void> {
  await db.insert(segments).values([
    {
      organizationId,
      segmentId: 'LOYAL',
      name: 'Loyal high value',
      shareOfCustomers: 0.2,
      shareOfRevenue: 0.4,
      avgBasketValue: 300,
      discountSensitivity: 'low',
    },
    {
      organizationId,
      segmentId: 'BARGAIN',
      name: 'Bargain hunters',
      shareOfCustomers: 0.3,
      shareOfRevenue: 0.2,
      avgBasketValue: 90,
      discountSensitivity: 'high',
    },
  ]);
}

export async function insertTarget(db: Db, organizationId: string, month: string, salesValueTarget: number, extra: Partial<typeof targets.$inferInsert> = {}) {
  await db.insert(targets).values({ organizationId, month, geo: 'NL', salesValueTarget, marginPctTarget: 25, ...extra });
}

export async function insertCoefficient(db: Db, organizationId: string, row: Partial<typeof upliftCoefficients.$inferInsert> & { modelVersion: string }) {
  await db.insert(upliftCoefficients).values({
    organizationId,
    department: 'TV',
    channel: 'online',
    discountBand: '20-30',
    upliftSalesPct: 50,
    upliftUnitsPct: 100,
    marginImpactPct: -10,
    source: 'learned',
    details: { referenceDiscountPct: 20 },
    ...row,
  });
}
