import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import type { Channel } from '../schema.js';
import { dayOfWeek, eachDay, type IsoDate } from '../shared/dates.js';

/** What a department × channel would sell on a day without a promotion. */
export interface BaselineDay {
  department: string;
  channel: Channel;
  date: IsoDate;
  salesValue: number;
  marginValue: number;
  units: number;
}

export interface BaselineRequest {
  from: IsoDate;
  to: IsoDate;
  departments?: string[];
  channels?: Channel[];
  /** Learn only from history up to this day (a post-mortem asks for the day before its promotion began). */
  trainedThrough?: IsoDate;
}

export interface BaselineResult {
  days: BaselineDay[];
  /** The model used: one name, or 'mixed' when series used different models (see modelBySeries). */
  model: string;
  /** "department|channel" → model name */
  modelBySeries: Record<string, string>;
}

export const seriesKey = (department: string, channel: string) => `${department}|${channel}`;

/**
 * Baseline forecast per department × channel × day. This first version is the seed's rule (average of the same
 * weekday over non-promo days); the forecasting module upgrades it to the model its backtest chose per series.
 */
export async function forecastBaseline(ctx: ServiceContext, request: BaselineRequest): Promise<BaselineResult> {
  const list = await sqlRows<{ department: string; channel: Channel; dow: number; sales: number; margin: number; units: number }>(
    ctx.db,
    sql`
    select department, channel, extract(dow from date)::int as dow,
           avg(sales_value)::float8 as sales, avg(margin_value)::float8 as margin, avg(units)::float8 as units
    from promotions.sales_aggregated
    where organization_id = ${ctx.organization.id} and promo_flag = false
      and (${request.trainedThrough ?? null}::date is null or date <= ${request.trainedThrough ?? null}::date)
    group by department, channel, dow`,
  );
  const byKey = new Map<string, (typeof list)[number]>();
  const series = new Set<string>();
  for (const r of list) {
    if (request.departments && !request.departments.includes(r.department)) continue;
    if (request.channels && !request.channels.includes(r.channel)) continue;
    byKey.set(`${seriesKey(r.department, r.channel)}|${r.dow}`, r);
    series.add(seriesKey(r.department, r.channel));
  }
  const days: BaselineDay[] = [];
  const modelBySeries: Record<string, string> = {};
  for (const key of [...series].sort()) {
    const [department, channel] = key.split('|') as [string, Channel];
    modelBySeries[key] = 'dow_average';
    for (const date of eachDay(request.from, request.to)) {
      const r = byKey.get(`${key}|${dayOfWeek(date)}`);
      days.push({ department, channel, date, salesValue: r?.sales ?? 0, marginValue: r?.margin ?? 0, units: Math.round(r?.units ?? 0) });
    }
  }
  return { days, model: 'dow_average', modelBySeries };
}
