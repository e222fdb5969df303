import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import { createFixedClock } from '../../../core/clock.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { addDays, dayOfWeek, daysBetween, eachDay, monthBounds, type IsoDate } from '../shared/dates.js';
import { addMonths } from './demo-data.js';
import { loadPromotionsDemo, type PromotionsDemoResult } from './load-demo.js';

// Berlin's yesterday is 2026-12-04; one year of history keeps the test quick and still holds every promotion type.
const clock = createFixedClock('2026-12-05T10:00:00Z');
const yesterday = '2026-12-04';

let database: TestDatabase;
let ctx: ServiceContext;
let other: ServiceContext;
let first: PromotionsDemoResult;

interface SalesRow {
  date: IsoDate;
  channel: string;
  department: string;
  promo_flag: boolean;
  discount_pct: number | null;
  sales_value: number;
}
interface CatalogRow {
  promo_name: string;
  date_start: IsoDate;
  date_end: IsoDate;
  departments: string[];
  channels: string[];
  source_file: string;
}
let sales: SalesRow[];
let catalog: CatalogRow[];
/** sales by "date|department|channel" */
let byKey: Map<string, SalesRow>;

async function contextFor(slug: string): Promise<ServiceContext> {
  const [row] = await database.query<{ id: string }>(
    `insert into core.organizations (slug, name, timezone, config) values ($1, $1, 'Europe/Berlin', '{"demo": true}') returning id`,
    [slug],
  );
  return {
    db: database.db,
    organization: { id: row.id, slug, name: slug, timezone: 'Europe/Berlin' },
    actor: systemActor('demo'),
    role: 'admin',
    clock,
    log: createLogger('silent'),
  };
}

async function fingerprint(orgId: string) {
  const [row] = await database.query<Record<string, string>>(
    `select
      (select count(*) || ':' || sum(sales_value) || ':' || sum(margin_value) || ':' || sum(units) from promotions.sales_aggregated where organization_id = $1) as sales,
      (select count(*) || ':' || sum(avg_discount_pct) from promotions.promo_catalog where organization_id = $1) as catalog,
      (select count(*) || ':' || sum(sales_value_target) from promotions.targets where organization_id = $1) as targets,
      (select count(*) || ':' || sum(share_of_customers) from promotions.segments where organization_id = $1) as segments,
      (select count(*) || ':' || string_agg(label, '|' order by label) from promotions.promo_scenarios where organization_id = $1) as scenarios`,
    [orgId],
  );
  return row;
}

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = await contextFor('demo');
  other = await contextFor('other-shop');
  first = await loadPromotionsDemo(ctx, { years: 1 });
  sales = (
    await database.query<SalesRow & { sales_value: string; discount_pct: string | null; date: string }>(
      `select to_char(date, 'YYYY-MM-DD') as date, channel, department, promo_flag, discount_pct, sales_value
       from promotions.sales_aggregated where organization_id = $1 order by date`,
      [ctx.organization.id],
    )
  ).map((r) => ({ ...r, sales_value: Number(r.sales_value), discount_pct: r.discount_pct === null ? null : Number(r.discount_pct) }));
  byKey = new Map(sales.map((r) => [`${r.date}|${r.department}|${r.channel}`, r]));
  catalog = await database.query<CatalogRow>(
    `select promo_name, to_char(date_start, 'YYYY-MM-DD') as date_start, to_char(date_end, 'YYYY-MM-DD') as date_end, departments, channels, source_file
     from promotions.promo_catalog where organization_id = $1 order by date_start`,
    [ctx.organization.id],
  );
}, 120_000);

afterAll(async () => {
  await database?.destroy();
});

/** The days after each promotion of a department × channel (its dip window), which a baseline must not use. */
function dipDays(department: string, channel: string): Set<IsoDate> {
  const out = new Set<IsoDate>();
  for (const p of catalog) {
    if (!p.departments.includes(department) || !p.channels.includes(channel)) continue;
    for (let k = 1; k <= 14; k++) out.add(addDays(p.date_end, k));
  }
  return out;
}

/**
 * A department × channel's baseline for `dates`: per date, the mean of the same-weekday non-promo days in the four
 * weeks before `around.from` averaged with those in weeks 3–6 after `around.to` (each side weighs the same, so a
 * seasonal slope cancels), skipping every promotion's dip days.
 */
function baseline(department: string, channel: string, dates: IsoDate[], around: { from: IsoDate; to: IsoDate }): number | null {
  const skip = dipDays(department, channel);
  const sides = [eachDay(addDays(around.from, -28), addDays(around.from, -1)), eachDay(addDays(around.to, 15), addDays(around.to, 42))];
  let total = 0;
  for (const date of dates) {
    const means = sides
      .map((side) => side.filter((d) => !skip.has(d) && dayOfWeek(d) === dayOfWeek(date)).map((d) => byKey.get(`${d}|${department}|${channel}`)))
      .map((rows) => rows.filter((r) => r && !r.promo_flag).map((r) => r!.sales_value))
      .filter((values) => values.length > 0)
      .map((values) => values.reduce((a, v) => a + v, 0) / values.length);
    if (means.length === 0) return null;
    total += means.reduce((a, v) => a + v, 0) / means.length;
  }
  return total;
}

const sumSales = (department: string, channel: string, dates: IsoDate[]) =>
  dates.reduce((a, d) => a + (byKey.get(`${d}|${department}|${channel}`)?.sales_value ?? 0), 0);

/** Christmas and New Year move everything; comparisons stay out of them. */
const nearChristmas = (from: IsoDate, to: IsoDate) => eachDay(from, to).some((d) => d.slice(5) >= '12-01' || d.slice(5) <= '01-07');

describe('promotions demo data (one year, measured from the database)', () => {
  it('covers 8 departments × both channels, every day of the history ending yesterday', async () => {
    expect(first.to).toBe(yesterday);
    expect(first.from).toBe('2025-12-05');
    const departments = new Set(sales.map((r) => r.department));
    expect(departments.size).toBeGreaterThanOrEqual(6);
    expect(new Set(sales.map((r) => r.channel))).toEqual(new Set(['online', 'offline']));
    const days = daysBetween(first.from, first.to) + 1;
    expect(sales.length).toBe(days * departments.size * 2);
    for (const department of departments)
      for (const channel of ['online', 'offline']) {
        const dates = sales.filter((r) => r.department === department && r.channel === channel).map((r) => r.date);
        expect(dates).toEqual(eachDay(first.from, first.to));
      }
    expect(first.salesRows).toBe(sales.length);
    expect(first.promoDays).toBe(sales.filter((r) => r.promo_flag).length);
  });

  it('has 20–30 promotions a year in the catalog, named after their fiscal-year promo file, with promo days in the sales', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(20);
    expect(catalog.length).toBeLessThanOrEqual(30);
    expect(new Set(catalog.map((p) => p.source_file))).toEqual(new Set(['Promo_October-September_FY26.xlsb', 'Promo_October-September_FY27.xlsb']));
    const names = catalog.map((p) => p.promo_name).join(' | ');
    for (const name of [
      'Black Friday Week',
      'January Sale',
      'Easter Deals',
      'Summer Sale',
      'Back to School',
      'TV Football Promo',
      'Member-only Weekend',
      'Coupon Week',
      'Online Flash Day',
    ])
      expect(names).toContain(name);
    for (const p of catalog)
      for (const department of p.departments)
        for (const channel of p.channels) {
          const row = byKey.get(`${p.date_start}|${department}|${channel}`);
          if (row) expect(row.promo_flag, `${p.promo_name} ${department} ${channel}`).toBe(true);
        }
    const discounts = sales.filter((r) => r.promo_flag).map((r) => r.discount_pct!);
    expect(Math.min(...discounts)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...discounts)).toBeLessThanOrEqual(35);
    expect(sales.filter((r) => !r.promo_flag).every((r) => r.discount_pct === null)).toBe(true);
  });

  it('promo days sell more than same-weekday non-promo days, and more at deeper discounts', () => {
    const bands = { shallow: { sales: 0, base: 0 }, deep: { sales: 0, base: 0 } };
    for (const r of sales) {
      if (!r.promo_flag) continue;
      const window = eachDay(addDays(r.date, -35), addDays(r.date, 35));
      const same = window
        .map((d) => byKey.get(`${d}|${r.department}|${r.channel}`))
        .filter((s) => s && !s.promo_flag && dayOfWeek(s.date) === dayOfWeek(r.date));
      if (same.length < 3) continue;
      const band = r.discount_pct! < 15 ? bands.shallow : r.discount_pct! >= 20 ? bands.deep : null;
      if (!band) continue;
      band.sales += r.sales_value;
      band.base += same.reduce((a, s) => a + s!.sales_value, 0) / same.length;
    }
    const shallow = bands.shallow.sales / bands.shallow.base;
    const deep = bands.deep.sales / bands.deep.base;
    expect(shallow).toBeGreaterThan(1.1);
    expect(deep).toBeGreaterThan(1.4);
    expect(deep).toBeGreaterThan(shallow + 0.2);
  });

  it('sells below baseline in the 7 days after a promotion', () => {
    let after = 0;
    let base = 0;
    let cases = 0;
    for (const p of catalog) {
      if (nearChristmas(addDays(p.date_start, -28), addDays(p.date_end, 42)) || addDays(p.date_end, 7) > first.to) continue;
      const days = eachDay(addDays(p.date_end, 1), addDays(p.date_end, 7));
      for (const department of p.departments)
        for (const channel of p.channels) {
          if (days.some((d) => byKey.get(`${d}|${department}|${channel}`)?.promo_flag)) continue;
          const b = baseline(department, channel, days, { from: p.date_start, to: p.date_end });
          if (b === null) continue;
          after += sumSales(department, channel, days);
          base += b;
          cases++;
        }
    }
    expect(cases).toBeGreaterThanOrEqual(10);
    expect(after / base).toBeLessThan(0.97);
  });

  it('a neighbouring department falls during its partner’s own promotion (Gaming → Computing, Mobile → Photo, Large → Small Appliances)', () => {
    for (const [source, target] of [
      ['Gaming', 'Computing'],
      ['Mobile', 'Photo'],
      ['Large Appliances', 'Small Appliances'],
    ]) {
      let during = 0;
      let base = 0;
      for (const p of catalog) {
        if (p.departments.length !== 1 || p.departments[0] !== source || nearChristmas(addDays(p.date_start, -28), addDays(p.date_end, 42))) continue;
        for (const channel of p.channels) {
          const days = eachDay(p.date_start, p.date_end).filter((d) => !byKey.get(`${d}|${target}|${channel}`)?.promo_flag);
          const b = baseline(target, channel, days, { from: p.date_start, to: p.date_end });
          if (b === null || days.length === 0) continue;
          during += sumSales(target, channel, days);
          base += b;
        }
      }
      expect(base, `${source} → ${target}`).toBeGreaterThan(0);
      expect(during / base, `${source} → ${target}`).toBeLessThan(0.95);
    }
  });

  it('has monthly targets for every month of history and the next 3, with department × channel targets that some forecasts miss', async () => {
    const rows = await database.query<{ month: string; department: string | null; channel: string | null; sales_value_target: string }>(
      `select month, department, channel, sales_value_target from promotions.targets where organization_id = $1 and geo = 'DE'`,
      [ctx.organization.id],
    );
    const whole = new Set(rows.filter((r) => r.department === null && r.channel === null).map((r) => r.month));
    for (let m = first.from.slice(0, 7); m <= addMonths(yesterday.slice(0, 7), 3); m = addMonths(m, 1)) expect(whole.has(m), m).toBe(true);
    const next = [1, 2, 3].map((n) => addMonths(yesterday.slice(0, 7), n));
    let short = 0;
    let met = 0;
    for (const month of next) {
      const lines = rows.filter((r) => r.month === month && r.department !== null);
      expect(lines.length, month).toBe(16);
      // A plain forecast from the database: last year's same month, non-promo days by weekday, grown by the channel's
      // year-on-year change of non-promo sales.
      const lastYear = monthBounds(addMonths(month, -12));
      for (const line of lines) {
        const history = eachDay(lastYear.from, lastYear.to)
          .map((d) => byKey.get(`${d}|${line.department}|${line.channel}`))
          .filter((r) => r && !r.promo_flag);
        if (history.length < 10) continue;
        const byDow = new Map<number, number[]>();
        for (const r of history) byDow.set(dayOfWeek(r!.date), [...(byDow.get(dayOfWeek(r!.date)) ?? []), r!.sales_value]);
        const { from, to } = monthBounds(month);
        const forecast = eachDay(from, to).reduce((a, d) => {
          const v = byDow.get(dayOfWeek(d)) ?? [0];
          return a + v.reduce((x, y) => x + y, 0) / v.length;
        }, 0);
        const ratio = Number(line.sales_value_target) / forecast;
        if (ratio > 1.04) short++;
        if (ratio < 1) met++;
      }
    }
    expect(short).toBeGreaterThanOrEqual(1);
    expect(met).toBeGreaterThanOrEqual(1);
  });

  it('has six CDP segments whose customer and revenue shares sum to 1', async () => {
    const rows = await database.query<{ segment_id: string; share_of_customers: string; share_of_revenue: string }>(
      `select segment_id, share_of_customers, share_of_revenue from promotions.segments where organization_id = $1`,
      [ctx.organization.id],
    );
    expect(rows.map((r) => r.segment_id).sort()).toEqual(['DEAL_SEEKERS', 'FAMILIES', 'LAPSED', 'LOYAL_HIGH_VALUE', 'NEW_CUSTOMERS', 'TECH_ENTHUSIASTS']);
    expect(rows.reduce((a, r) => a + Number(r.share_of_customers), 0)).toBeCloseTo(1, 6);
    expect(rows.reduce((a, r) => a + Number(r.share_of_revenue), 0)).toBeCloseTo(1, 6);
  });

  it('has past scenarios with actual sales and four drafts for next month of different types', async () => {
    const rows = await database.query<{
      id: string;
      scenario_type: string;
      status: string;
      date_range_start: string;
      date_range_end: string;
      mechanics: unknown[];
    }>(
      `select id, scenario_type, status, to_char(date_range_start, 'YYYY-MM-DD') as date_range_start, to_char(date_range_end, 'YYYY-MM-DD') as date_range_end, mechanics
       from promotions.promo_scenarios where organization_id = $1`,
      [ctx.organization.id],
    );
    const past = rows.filter((r) => r.status === 'approved');
    expect(past.length).toBeGreaterThanOrEqual(1);
    for (const p of past) {
      expect(addDays(p.date_range_end, 14) <= yesterday).toBe(true);
      expect(sales.some((r) => r.date === p.date_range_start && r.promo_flag)).toBe(true);
    }
    const drafts = rows.filter((r) => r.status === 'draft');
    expect(drafts.map((r) => r.scenario_type).sort()).toEqual(['aggressive', 'balanced', 'coupon', 'member_only']);
    for (const d of drafts) {
      expect(d.date_range_start.slice(0, 7)).toBe('2027-01');
      expect(d.mechanics.length).toBeGreaterThan(0);
    }
    expect(first.scenarios.map((s) => s.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('re-running replaces rather than duplicates, and another organization sees none of it', async () => {
    const before = await fingerprint(ctx.organization.id);
    const again = await loadPromotionsDemo(ctx, { years: 1 });
    expect(again.removedSalesRows).toBe(first.salesRows);
    expect(await fingerprint(ctx.organization.id)).toEqual(before);
    const empty = await fingerprint(other.organization.id);
    expect(empty).toEqual({ sales: null, catalog: null, targets: null, segments: null, scenarios: null });
    const [{ n }] = await database.query<{ n: string }>(`select count(*) as n from promotions.sales_aggregated where organization_id <> $1`, [
      ctx.organization.id,
    ]);
    expect(Number(n)).toBe(0);
  });

  it('keeps the other organization’s own demo separate when both load it', async () => {
    const result = await loadPromotionsDemo(other, { years: 0.25, endDate: '2026-06-30' });
    expect(result.from).toBe('2026-04-01');
    const mine = await fingerprint(ctx.organization.id);
    const [{ n }] = await database.query<{ n: string }>(`select count(*) as n from promotions.sales_aggregated where organization_id = $1`, [
      other.organization.id,
    ]);
    expect(Number(n)).toBe(result.salesRows);
    expect(mine.sales.startsWith(`${first.salesRows}:`)).toBe(true);
  });
});
