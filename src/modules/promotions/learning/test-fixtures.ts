import { createFixedClock } from '../../../core/clock.js';
import type { ServiceContext } from '../../../core/context.js';
import type { Db } from '../../../core/db/connection.js';
import { createLogger } from '../../../core/logger.js';
import { seedOrganization, type TestOrg } from '../../../core/testing/test-app.js';
import type { TestDatabase } from '../../../core/testing/test-database.js';
import { salesAggregated, type Channel } from '../schema.js';
import { dayOfWeek, eachDay, type IsoDate } from '../shared/dates.js';

const silentLog = createLogger('silent');

/** Weekday shape of daily sales (Sunday first): weekends sell more. */
export const weekdayFactor = [1.5, 0.8, 1, 1, 1, 1, 1.2];

export interface SalesRow {
  department: string;
  channel: Channel;
  date: IsoDate;
  salesValue: number;
  marginValue: number;
  units: number;
  promoFlag?: boolean;
  discountPct?: number | null;
}

/**
 * Daily sales of one line: `base` × weekday factor × `multiplier(date)`, margin at `marginRate(date)`, a unit price of
 * 100 (or 100 × (1 − discount) on promo days, so units rise faster than sales).
 */
export function dailySales(
  department: string,
  channel: Channel,
  from: IsoDate,
  to: IsoDate,
  base: number,
  options: { multiplier?: (date: IsoDate) => number; marginRate?: (date: IsoDate) => number; discount?: (date: IsoDate) => number | null } = {},
): SalesRow[] {
  return eachDay(from, to).map((date) => {
    const sales = Math.round(base * weekdayFactor[dayOfWeek(date)] * (options.multiplier?.(date) ?? 1) * 100) / 100;
    const discount = options.discount?.(date) ?? null;
    const price = 100 * (1 - (discount ?? 0) / 100);
    return {
      department,
      channel,
      date,
      salesValue: sales,
      marginValue: Math.round(sales * (options.marginRate?.(date) ?? 0.3) * 100) / 100,
      units: Math.round(sales / price),
      promoFlag: discount !== null,
      discountPct: discount,
    };
  });
}

export async function insertSales(db: Db, organizationId: string, rows: SalesRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(salesAggregated).values(
      rows.slice(i, i + 1000).map((r) => ({
        organizationId,
        department: r.department,
        channel: r.channel,
        date: r.date,
        salesValue: r.salesValue,
        marginValue: r.marginValue,
        units: r.units,
        promoFlag: r.promoFlag ?? false,
        discountPct: r.discountPct ?? null,
      })),
    );
  }
}

export function serviceContextFor(database: TestDatabase, org: TestOrg, clock: ReturnType<typeof createFixedClock>): ServiceContext {
  return {
    db: database.db as Db,
    organization: { id: org.id, slug: org.slug, name: org.name, timezone: org.timezone },
    clock,
    actor: { type: 'user', id: org.userIds.admin, label: 'tester', userId: org.userIds.admin },
    role: 'admin',
    log: silentLog,
  };
}

export { seedOrganization };
