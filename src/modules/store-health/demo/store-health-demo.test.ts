import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import type { DemoEnvironment } from '../../../core/demo/demo-steps.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import type { OpeningHours } from '../schema.js';
import { addDays, dateRange, type IsoDate } from '../shared/dates.js';
import { dayState } from '../shared/opening-hours.js';
import { storeHealthDemoSteps, type StoreHealthDemoOptions } from './index.js';

// Yesterday in New York is 2026-03-01: the 120-day history spans Thanksgiving, Christmas and New Year's Day.
const clock = createFixedClock('2026-03-02T14:00:00Z');
const yesterday = '2026-03-01';
const historyFrom = addDays(yesterday, -119);
const options: StoreHealthDemoOptions = { stores: 8, days: 120, detailDays: 60, evaluationDays: 3 };

let database: TestDatabase;
let env: DemoEnvironment;
const progress: string[] = [];

async function runDemo(opts: StoreHealthDemoOptions = options) {
  for (const step of storeHealthDemoSteps(opts)) await step.run(env);
}

const one = async <T>(text: string, params: unknown[] = []) => (await database.query<T>(text, params))[0];

/** Everything a re-run must leave as it was: row counts and value checksums of the tables the demo writes. */
async function fingerprint(orgId: string) {
  return one<Record<string, string>>(
    `select
      (select count(*) from store_health.regions where organization_id = $1)::text as regions,
      (select count(*) from store_health.districts where organization_id = $1)::text as districts,
      (select string_agg(id::text || store_code, ',' order by store_code) from store_health.stores where organization_id = $1) as stores,
      (select count(*) from store_health.kpi_definitions where organization_id = $1)::text as kpis,
      (select count(*) || ':' || sum(green_min + coalesce(yellow_min, 0)) from store_health.kpi_thresholds where organization_id = $1) as thresholds,
      (select count(*) from store_health.store_closures where organization_id = $1)::text as closures,
      (select count(*) || ':' || sum(value) from store_health.kpi_metrics where organization_id = $1) as metrics,
      (select count(*) || ':' || sum(available_hours) from store_health.labor_schedules where organization_id = $1) as schedules,
      (select count(*) || ':' || sum(hours_lost) from store_health.labor_callouts where organization_id = $1) as callouts,
      (select count(*) || ':' || sum(quantity_on_hand) from store_health.inventory_levels where organization_id = $1) as inventory,
      (select count(*) || ':' || sum(estimated_lost_sales) from store_health.out_of_stock_events where organization_id = $1) as events`,
    [orgId],
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  const organizations: DemoEnvironment['organizations'] = {};
  for (const [slug, name, timezone] of [
    ['demo', 'RetailOps Demo Co.', 'America/New_York'],
    ['northwind', 'Northwind Outlets', 'Europe/Berlin'],
  ]) {
    const [row] = await database.query<{ id: string }>(`insert into core.organizations (slug, name, timezone) values ($1, $2, $3) returning id`, [
      slug,
      name,
      timezone,
    ]);
    organizations[slug] = { id: row.id, slug, name, timezone };
  }
  env = { database, clock, log: createLogger('silent'), progress: (e) => progress.push(e.step), organizations };
  await runDemo();
}, 120_000);

afterAll(async () => {
  await database?.destroy();
});

describe('store-health demo data', () => {
  it('builds the chain: 3 regions, 8 districts and the requested stores for demo; 2 regions and 8 stores for northwind', async () => {
    const demo = env.organizations.demo.id;
    const counts = await one<{ regions: number; districts: number; stores: number; timezones: string; managers: number }>(
      `select (select count(*) from store_health.regions where organization_id = $1)::int as regions,
        (select count(*) from store_health.districts where organization_id = $1)::int as districts,
        (select count(*) from store_health.stores where organization_id = $1 and status = 'active')::int as stores,
        (select string_agg(distinct timezone, ',' order by timezone) from store_health.stores where organization_id = $1) as timezones,
        (select count(*) from store_health.stores where organization_id = $1 and manager_email like '%@retailops.demo' and manager_phone like '+1%')::int as managers`,
      [demo],
    );
    expect(counts).toEqual({ regions: 3, districts: 8, stores: 8, timezones: 'America/Chicago,America/New_York', managers: 8 });
    const codes = await database.query<{ store_code: string; district: string; region: string }>(
      `select s.store_code, d.name as district, r.name as region from store_health.stores s
       join store_health.districts d on d.id = s.district_id join store_health.regions r on r.id = s.region_id
       where s.organization_id = $1 order by s.store_code`,
      [demo],
    );
    expect(codes.map((c) => c.store_code)).toEqual(['MW-101', 'MW-201', 'MW-301', 'NE-101', 'NE-201', 'NE-301', 'SO-101', 'SO-201']);
    expect(codes.find((c) => c.store_code === 'MW-201')).toMatchObject({ district: 'Chicago Metro', region: 'Midwest' });
    const northwind = await one<{ regions: number; stores: number; sundays: number }>(
      `select (select count(*) from store_health.regions where organization_id = $1)::int as regions,
        (select count(*) from store_health.stores where organization_id = $1)::int as stores,
        (select count(*) from store_health.stores where organization_id = $1 and opening_hours ? '7')::int as sundays`,
      [env.organizations.northwind.id],
    );
    expect(northwind).toEqual({ regions: 2, stores: 8, sundays: 0 });
    expect(progress.some((step) => step.includes('KPI history'))).toBe(true);
  });

  it('defines the KPIs with units, directions and organization thresholds, plus store overrides', async () => {
    const kpis = await database.query<{ kpi_code: string; unit: string; direction: string; basis: string | null; green_min: number | null }>(
      `select k.kpi_code, k.unit, k.direction, t.comparison_basis as basis, t.green_min::float as green_min
       from store_health.kpi_definitions k
       left join store_health.kpi_thresholds t on t.kpi_definition_id = k.id and t.store_id is null
       where k.organization_id = $1 order by k.kpi_code`,
      [env.organizations.demo.id],
    );
    expect(kpis.length).toBeGreaterThanOrEqual(12);
    expect(kpis.filter((k) => k.basis !== null).length).toBeGreaterThanOrEqual(12);
    expect(kpis.find((k) => k.kpi_code === 'sales')).toEqual({
      kpi_code: 'sales',
      unit: '$',
      direction: 'higher_is_better',
      basis: 'rolling_4w',
      green_min: 95,
    });
    expect(kpis.find((k) => k.kpi_code === 'callout_hours')).toMatchObject({ direction: 'lower_is_better', basis: 'absolute' });
    const northwindSales = await one<{ unit: string }>(`select unit from store_health.kpi_definitions where organization_id = $1 and kpi_code = 'sales'`, [
      env.organizations.northwind.id,
    ]);
    expect(northwindSales.unit).toBe('€');
    const overrides = await database.query<{ store_code: string; kpi_code: string; green_min: number }>(
      `select s.store_code, k.kpi_code, t.green_min::float as green_min from store_health.kpi_thresholds t
       join store_health.stores s on s.id = t.store_id join store_health.kpi_definitions k on k.id = t.kpi_definition_id
       where t.organization_id = $1 order by s.store_code, k.kpi_code`,
      [env.organizations.demo.id],
    );
    expect(overrides).toContainEqual({ store_code: 'NE-101', kpi_code: 'sales', green_min: 98 });
  });

  it('has one KPI row per store, KPI and open day: none on holidays, closures or closed weekdays', async () => {
    for (const slug of ['demo', 'northwind']) {
      const orgId = env.organizations[slug].id;
      const stores = await database.query<{ id: string; store_code: string; timezone: string; opening_hours: OpeningHours }>(
        `select id, store_code, timezone, opening_hours from store_health.stores where organization_id = $1`,
        [orgId],
      );
      const closures = await database.query<{ store_id: string | null; closure_date: IsoDate }>(
        `select store_id, closure_date::text from store_health.store_closures where organization_id = $1`,
        [orgId],
      );
      const rows = await database.query<{ store_id: string; kpi_code: string; dates: string[] | string }>(
        `select m.store_id, k.kpi_code, array_agg(m.metric_date::text order by m.metric_date) as dates
         from store_health.kpi_metrics m join store_health.kpi_definitions k on k.id = m.kpi_definition_id
         where m.organization_id = $1 and m.value is not null group by m.store_id, k.kpi_code`,
        [orgId],
      );
      for (const store of stores) {
        const closedDates = new Set(closures.filter((c) => c.store_id === null || c.store_id === store.id).map((c) => c.closure_date));
        const open = dateRange(historyFrom, yesterday).filter(
          (d) => dayState({ timezone: store.timezone, openingHours: store.opening_hours, closedDates }, d) === 'open',
        );
        const storeRows = rows.filter((r) => r.store_id === store.id);
        expect(storeRows.length, store.store_code).toBe(13);
        for (const row of storeRows) {
          const dates = typeof row.dates === 'string' ? row.dates.replace(/[{}]/g, '').split(',') : row.dates;
          // Estimated lost sales come from out-of-stock events, which the demo records for the last 60 days only.
          const expected = row.kpi_code === 'est_lost_sales' ? open.filter((d) => d >= addDays(yesterday, -59)) : open;
          expect(dates, `${store.store_code} ${row.kpi_code}`).toEqual(expected);
        }
      }
    }
    const holidayRows = await one<{ n: number }>(
      `select count(*)::int as n from store_health.kpi_metrics where organization_id = $1 and metric_date in ('2025-11-27', '2025-12-25', '2026-01-01')`,
      [env.organizations.demo.id],
    );
    expect(holidayRows.n).toBe(0);
    const leak = await one<{ store_code: string; closure_date: string; rows: number }>(
      `select s.store_code, c.closure_date::text,
         (select count(*) from store_health.kpi_metrics m where m.store_id = c.store_id and m.metric_date = c.closure_date)::int as rows
       from store_health.store_closures c join store_health.stores s on s.id = c.store_id
       where c.organization_id = $1 and c.reason like 'Water leak%'`,
      [env.organizations.demo.id],
    );
    expect(leak).toEqual({ store_code: 'MW-301', closure_date: addDays(yesterday, -9), rows: 0 });
  });

  it('keeps the KPIs consistent: transactions = traffic × conversion, sales = transactions × basket', async () => {
    const rows = await database.query<{ sales: number; transactions: number; traffic: number; conversion: number; basket: number }>(
      `select max(m.value) filter (where k.kpi_code = 'sales')::float as sales,
         max(m.value) filter (where k.kpi_code = 'transactions')::float as transactions,
         max(m.value) filter (where k.kpi_code = 'traffic')::float as traffic,
         max(m.value) filter (where k.kpi_code = 'conversion_rate')::float as conversion,
         max(m.value) filter (where k.kpi_code = 'avg_basket')::float as basket
       from store_health.kpi_metrics m join store_health.kpi_definitions k on k.id = m.kpi_definition_id
       where m.organization_id = $1 and m.metric_date between $2 and $3
       group by m.store_id, m.metric_date`,
      [env.organizations.demo.id, addDays(yesterday, -13), yesterday],
    );
    expect(rows.length).toBeGreaterThan(80);
    for (const r of rows) {
      expect(Math.abs(r.transactions - (r.traffic * r.conversion) / 100)).toBeLessThan(0.01 * r.traffic);
      expect(Math.abs(r.sales - r.transactions * r.basket)).toBeLessThan(0.01 * r.transactions);
    }
  });

  it('shows weekly seasonality: weekend sales above weekday sales', async () => {
    const { weekend, weekday } = await one<{ weekend: number; weekday: number }>(
      `select avg(m.value) filter (where extract(isodow from m.metric_date) in (6, 7))::float as weekend,
         avg(m.value) filter (where extract(isodow from m.metric_date) between 1 and 5)::float as weekday
       from store_health.kpi_metrics m join store_health.kpi_definitions k on k.id = m.kpi_definition_id
       where m.organization_id = $1 and k.kpi_code = 'sales'`,
      [env.organizations.demo.id],
    );
    expect(weekend).toBeGreaterThan(weekday * 1.05);
  });

  it('injects incidents that are visible now', async () => {
    const kpiWindow = (kpiCode: string, storeCodes: string[], from: IsoDate, to: IsoDate) =>
      one<{ avg: number }>(
        `select avg(m.value)::float as avg from store_health.kpi_metrics m
         join store_health.kpi_definitions k on k.id = m.kpi_definition_id join store_health.stores s on s.id = m.store_id
         where m.organization_id = $1 and k.kpi_code = $2 and s.store_code = any($3::text[]) and m.metric_date between $4 and $5`,
        [env.organizations.demo.id, kpiCode, storeCodes, from, to],
      ).then((r) => r.avg);
    const crisisDistrict = (
      await database.query<{ store_code: string }>(
        `select s.store_code from store_health.stores s join store_health.districts d on d.id = s.district_id
         where s.organization_id = $1 and d.name = 'Chicago Metro'`,
        [env.organizations.demo.id],
      )
    ).map((r) => r.store_code);
    const lastDays = await kpiWindow('labor_coverage', crisisDistrict, addDays(yesterday, -4), yesterday);
    const eightWeeks = await kpiWindow('labor_coverage', crisisDistrict, addDays(yesterday, -55), yesterday);
    expect(lastDays).toBeLessThan(eightWeeks - 10);
    expect(await kpiWindow('callout_hours', crisisDistrict, addDays(yesterday, -4), yesterday)).toBeGreaterThan(16);
    // Stock-out run in the South: top SKUs out of stock and days of cover collapsing.
    expect(await kpiWindow('top_sku_oos', ['SO-101', 'SO-201'], addDays(yesterday, -4), yesterday)).toBeGreaterThan(4);
    expect(await kpiWindow('days_of_cover', ['SO-101', 'SO-201'], addDays(yesterday, -4), yesterday)).toBeLessThan(6);
    // Sales slump at one store: recent sales well below the same weeks before it began.
    const slumpRecent = await kpiWindow('sales', ['NE-201'], addDays(yesterday, -6), yesterday);
    const slumpBefore = await kpiWindow('sales', ['NE-201'], addDays(yesterday, -48), addDays(yesterday, -28));
    expect(slumpRecent).toBeLessThan(slumpBefore * 0.85);
    const detail = await one<{ schedules: number; callouts: number; inventory: number; events: number }>(
      `select (select count(*) from store_health.labor_schedules where organization_id = $1 and schedule_date >= $2)::int as schedules,
         (select count(*) from store_health.labor_callouts c join store_health.stores s on s.id = c.store_id
            where c.organization_id = $1 and s.store_code = 'MW-201' and c.callout_date >= $3 and c.labor_schedule_id is not null)::int as callouts,
         (select count(*) from store_health.inventory_levels where organization_id = $1 and is_top_sku)::int as inventory,
         (select count(*) from store_health.out_of_stock_events e join store_health.stores s on s.id = e.store_id
            where e.organization_id = $1 and s.store_code = 'SO-101' and e.restocked_at is null)::int as events`,
      [env.organizations.demo.id, addDays(yesterday, -59), addDays(yesterday, -9)],
    );
    expect(detail.schedules).toBeGreaterThan(8 * 50 * 2 - 1);
    expect(detail.callouts).toBeGreaterThan(15);
    expect(detail.inventory).toBeGreaterThan(8 * 50 * 20 - 1);
    expect(detail.events).toBeGreaterThan(3);
  });

  it('evaluates the last days: the crisis store is red yesterday and has an open alert', async () => {
    const snapshot = await one<{ days: number; stores: number; crisis: string }>(
      `select count(distinct snapshot_date)::int as days, count(distinct store_id)::int as stores,
         max(overall_status) filter (where snapshot_date = $2 and store_id = (select id from store_health.stores where organization_id = $1 and store_code = 'MW-201')) as crisis
       from store_health.store_health_snapshots where organization_id = $1`,
      [env.organizations.demo.id, yesterday],
    );
    expect(snapshot).toEqual({ days: 3, stores: 8, crisis: 'red' });
    const alerts = await one<{ n: number }>(
      `select count(*)::int as n from store_health.alerts a join store_health.stores s on s.id = a.store_id
       where a.organization_id = $1 and s.store_code = 'MW-201' and a.status in ('active', 'acknowledged')`,
      [env.organizations.demo.id],
    );
    expect(alerts.n).toBeGreaterThan(0);
  });

  it('refreshes instead of duplicating: a second run gives identical counts and values', async () => {
    const before = await Promise.all(['demo', 'northwind'].map((slug) => fingerprint(env.organizations[slug].id)));
    await runDemo({ ...options, evaluationDays: 0 });
    const after = await Promise.all(['demo', 'northwind'].map((slug) => fingerprint(env.organizations[slug].id)));
    expect(after).toEqual(before);
  });

  it('moves with the clock: a run one day later extends the history and moves relative closures', async () => {
    clock.advance(86_400_000);
    try {
      await runDemo({ ...options, evaluationDays: 0 });
      const demo = env.organizations.demo.id;
      const latest = await one<{ d: string }>(`select max(metric_date)::text as d from store_health.kpi_metrics where organization_id = $1`, [demo]);
      expect(latest.d).toBe(addDays(yesterday, 1));
      const leaks = await database.query<{ closure_date: string; rows: number }>(
        `select c.closure_date::text,
           (select count(*) from store_health.kpi_metrics m where m.store_id = c.store_id and m.metric_date = c.closure_date)::int as rows
         from store_health.store_closures c where c.organization_id = $1 and c.reason like 'Water leak%'`,
        [demo],
      );
      expect(leaks).toEqual([{ closure_date: addDays(yesterday, -8), rows: 0 }]);
      const stores = await one<{ n: number }>(`select count(*)::int as n from store_health.stores where organization_id = $1`, [demo]);
      expect(stores.n).toBe(8);
    } finally {
      clock.advance(-86_400_000);
    }
  });
});
