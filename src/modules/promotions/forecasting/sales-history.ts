import { sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import type { Channel } from '../schema.js';
import { addDays, dayOfWeek, type IsoDate } from '../shared/dates.js';
import { dayIndex, withOthersPromoted, type DailySeries, type PreparedSeries } from './series-models.js';

export interface SeriesFilter {
  departments?: string[];
  channels?: Channel[];
  /** Only days on or before this one. */
  through?: IsoDate;
  /** Only days on or after this one. */
  since?: IsoDate;
}

const inList = (column: SQL, values: readonly string[]) =>
  sql`${column} in (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/** The filter as SQL conditions on promotions.sales_aggregated, always scoped to the organization. */
export function salesConditions(ctx: ServiceContext, filter: SeriesFilter): SQL {
  const parts: SQL[] = [sql`organization_id = ${ctx.organization.id}`];
  if (filter.departments) parts.push(filter.departments.length ? inList(sql`department`, filter.departments) : sql`false`);
  if (filter.channels) parts.push(filter.channels.length ? inList(sql`channel`, filter.channels) : sql`false`);
  if (filter.through) parts.push(sql`date <= ${filter.through}::date`);
  if (filter.since) parts.push(sql`date >= ${filter.since}::date`);
  return sql.join(parts, sql` and `);
}

/** The organization's last sales date (null without sales). */
export async function lastSalesDate(ctx: ServiceContext): Promise<IsoDate | null> {
  const [row] = await sqlRows<{ last: string | null }>(
    ctx.db,
    sql`select max(date)::text as last from promotions.sales_aggregated where organization_id = ${ctx.organization.id}`,
  );
  return row?.last ?? null;
}

/**
 * Daily totals per department × channel as gap-free series (a day with no row is null). A day with any promo row is a
 * promo day: its total is not baseline, whatever share of it was sold at full price.
 */
export async function loadDailySeries(ctx: ServiceContext, filter: SeriesFilter): Promise<DailySeries[]> {
  const rows = await sqlRows<{
    department: string;
    channel: string;
    date: string;
    sales: number;
    margin: number;
    units: number;
    promo: boolean;
    discount: number | null;
  }>(
    ctx.db,
    sql`select department, channel, date::text as date, sum(sales_value)::float8 as sales, sum(margin_value)::float8 as margin,
               sum(units)::float8 as units, bool_or(promo_flag) as promo,
               max(discount_pct) filter (where promo_flag)::float8 as discount
        from promotions.sales_aggregated
        where ${salesConditions(ctx, filter)}
        group by department, channel, date
        order by department, channel, date`,
  );
  const out: DailySeries[] = [];
  let current: DailySeries | null = null;
  for (const r of rows) {
    if (!current || current.department !== r.department || current.channel !== r.channel) {
      current = { department: r.department, channel: r.channel, start: r.date, sales: [], margin: [], units: [], promo: [], discount: [] };
      out.push(current);
    }
    const i = dayIndex(current.start, r.date);
    while (current.sales.length < i) {
      current.sales.push(null);
      current.margin.push(0);
      current.units.push(0);
      current.promo.push(false);
      current.discount!.push(null);
    }
    current.sales.push(Number(r.sales));
    current.margin.push(Number(r.margin));
    current.units.push(Number(r.units));
    current.promo.push(Boolean(r.promo));
    current.discount!.push(r.discount === null ? null : Number(r.discount));
  }
  return withOthersPromoted(out);
}

/** Days of recent clean history that margin rates and prices are taken from. */
export const rateWindowDays = 84;

export interface SeriesRates {
  /** Margin / sales per weekday (0 = Sunday) over recent clean days; the overall rate where a weekday has none. */
  marginRateByWeekday: number[];
  /** Sales per unit over recent clean days (0 when no units were sold). */
  averagePrice: number;
}

/**
 * Margin and units follow sales: margin = sales × the weekday's recent non-promo margin rate, units = sales / the
 * recent average price, both over the last 12 weeks of clean days up to the training end.
 */
export function recentRates(series: DailySeries, prepared: PreparedSeries): SeriesRates {
  const offset = dayIndex(series.start, prepared.start);
  const sales = new Array<number>(7).fill(0);
  const margin = new Array<number>(7).fill(0);
  let totalSales = 0;
  let totalMargin = 0;
  let totalUnits = 0;
  const from = Math.max(0, prepared.values.length - rateWindowDays);
  for (let i = from; i < prepared.values.length; i++) {
    if (!prepared.clean[i]) continue;
    const k = offset + i;
    const dow = dayOfWeek(addDays(series.start, k));
    sales[dow] += series.sales[k] ?? 0;
    margin[dow] += series.margin[k];
    totalSales += series.sales[k] ?? 0;
    totalMargin += series.margin[k];
    totalUnits += series.units[k];
  }
  const overall = totalSales > 0 ? totalMargin / totalSales : 0;
  return {
    marginRateByWeekday: sales.map((s, dow) => (s > 0 ? margin[dow] / s : overall)),
    averagePrice: totalUnits > 0 ? totalSales / totalUnits : 0,
  };
}
