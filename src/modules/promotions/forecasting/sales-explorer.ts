import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { notFound, validationFailed } from '../../../core/errors.js';
import type { Channel } from '../schema.js';
import { addDays, daysBetween, eachDay, type IsoDate } from '../shared/dates.js';
import { forecastBaseline } from './baseline.js';
import { lastSalesDate, salesConditions } from './sales-history.js';

/** Longest range one explorer request returns (three years of days). */
export const maxExplorerDays = 1100;
/** Days shown when the request names no range: the last quarter of history. */
export const defaultExplorerDays = 90;

export interface SalesSummary {
  from: IsoDate | null;
  to: IsoDate | null;
  rows: number;
  /** Distinct department × channel × day with a promotion. */
  promoDays: number;
  departments: string[];
  channels: string[];
  series: { department: string; channel: string; from: IsoDate; to: IsoDate; rows: number; promoDays: number; salesValue: number }[];
}

/** What the sales history holds: departments, channels, date range, row and promo-day counts. */
export async function getSalesSummary(ctx: ServiceContext): Promise<SalesSummary> {
  const series = await sqlRows<{ department: string; channel: string; from: string; to: string; rows: number; promo_days: number; sales: number }>(
    ctx.db,
    sql`select department, channel, min(date)::text as from, max(date)::text as to, count(*)::int as rows,
               count(distinct date) filter (where promo_flag)::int as promo_days, sum(sales_value)::float8 as sales
        from promotions.sales_aggregated where organization_id = ${ctx.organization.id}
        group by department, channel order by department, channel`,
  );
  const dates = series.flatMap((s) => [s.from, s.to]).sort();
  return {
    from: dates[0] ?? null,
    to: dates[dates.length - 1] ?? null,
    rows: series.reduce((a, s) => a + s.rows, 0),
    promoDays: series.reduce((a, s) => a + s.promo_days, 0),
    departments: [...new Set(series.map((s) => s.department))].sort(),
    channels: [...new Set(series.map((s) => s.channel))].sort(),
    series: series.map((s) => ({
      department: s.department,
      channel: s.channel,
      from: s.from,
      to: s.to,
      rows: s.rows,
      promoDays: s.promo_days,
      salesValue: Math.round(Number(s.sales) * 100) / 100,
    })),
  };
}

export interface SalesDailyQuery {
  from?: IsoDate;
  to?: IsoDate;
  department?: string;
  channel?: Channel;
}

export interface SalesDailyDay {
  date: IsoDate;
  /** null on days without sales rows (e.g. future days, where only the baseline exists). */
  salesValue: number | null;
  marginValue: number | null;
  units: number | null;
  promo: boolean;
  /** Sales-weighted discount of the promo rows that day. */
  discountPct: number | null;
  baselineSalesValue: number;
  baselineMarginValue: number;
  baselineUnits: number;
}

export interface SalesDaily {
  from: IsoDate;
  to: IsoDate;
  department: string | null;
  channel: Channel | null;
  lastSalesDate: IsoDate | null;
  baselineModel: string;
  modelBySeries: Record<string, string>;
  baselineNote: string;
  days: SalesDailyDay[];
}

export const baselineNote =
  'Baseline: each series’ chosen model trained through the last sales date — its in-sample fit on days up to that date (promo and dip days imputed, so the line shows what would have sold without the promotion), its forecast after it.';

const round2 = (v: number) => Math.round(v * 100) / 100;

/** A department this organization has no sales for answers 404, like any other organization's record. */
export async function assertDepartmentExists(ctx: ServiceContext, department: string): Promise<void> {
  const [known] = await sqlRows<{ found: boolean }>(
    ctx.db,
    sql`select exists(select 1 from promotions.sales_aggregated where organization_id = ${ctx.organization.id} and department = ${department}) as found`,
  );
  if (!known?.found) throw notFound(`Department "${department}"`);
}

/** Daily sales, margin and units summed over the filter, promo days marked, with the baseline overlaid. */
export async function getSalesDaily(ctx: ServiceContext, query: SalesDailyQuery): Promise<SalesDaily> {
  const lastDate = await lastSalesDate(ctx);
  if (query.department) await assertDepartmentExists(ctx, query.department);
  const to = query.to ?? lastDate ?? ctx.clock.now().toISOString().slice(0, 10);
  const from = query.from ?? addDays(to, -(defaultExplorerDays - 1));
  if (from > to) throw validationFailed('"from" must not be after "to".', [{ path: 'to', message: 'Must be on or after from' }]);
  if (daysBetween(from, to) + 1 > maxExplorerDays) {
    throw validationFailed(`The explorer shows at most ${maxExplorerDays} days at once; choose a shorter range.`, [
      { path: 'to', message: `At most ${maxExplorerDays} days after from` },
    ]);
  }
  const filter = { departments: query.department ? [query.department] : undefined, channels: query.channel ? [query.channel] : undefined };
  const actuals = await sqlRows<{ date: string; sales: number; margin: number; units: number; promo: boolean; discount: number | null }>(
    ctx.db,
    sql`select date::text as date, sum(sales_value)::float8 as sales, sum(margin_value)::float8 as margin, sum(units)::float8 as units,
                 bool_or(promo_flag) as promo,
                 (sum(sales_value * discount_pct) filter (where promo_flag and discount_pct is not null)
                   / nullif(sum(sales_value) filter (where promo_flag and discount_pct is not null), 0))::float8 as discount
          from promotions.sales_aggregated
          where ${salesConditions(ctx, { ...filter, since: from, through: to })}
          group by date order by date`,
  );
  const baseline = await forecastBaseline(ctx, { from, to, ...filter });
  const actualByDate = new Map(actuals.map((a) => [a.date, a]));
  const baselineByDate = new Map<string, { sales: number; margin: number; units: number }>();
  for (const d of baseline.days) {
    const b = baselineByDate.get(d.date) ?? { sales: 0, margin: 0, units: 0 };
    b.sales += d.salesValue;
    b.margin += d.marginValue;
    b.units += d.units;
    baselineByDate.set(d.date, b);
  }
  return {
    from,
    to,
    department: query.department ?? null,
    channel: query.channel ?? null,
    lastSalesDate: lastDate,
    baselineModel: baseline.model,
    modelBySeries: baseline.modelBySeries,
    baselineNote,
    days: eachDay(from, to).map((date) => {
      const a = actualByDate.get(date);
      const b = baselineByDate.get(date);
      return {
        date,
        salesValue: a ? round2(Number(a.sales)) : null,
        marginValue: a ? round2(Number(a.margin)) : null,
        units: a ? Number(a.units) : null,
        promo: a ? Boolean(a.promo) : false,
        discountPct: a?.discount === null || a?.discount === undefined ? null : round2(Number(a.discount)),
        baselineSalesValue: round2(b?.sales ?? 0),
        baselineMarginValue: round2(b?.margin ?? 0),
        baselineUnits: b?.units ?? 0,
      };
    }),
  };
}
