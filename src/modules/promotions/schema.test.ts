import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../core/testing/test-database.js';

let database: TestDatabase;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const orgs = await database.query<{ id: string }>(`insert into core.organizations (slug, name) values ('seed-a', 'A'), ('seed-b', 'B') returning id`);
  [orgA, orgB] = orgs.map((o) => o.id);
  // The seed's sample rows, plus non-promo history on the same weekdays, for organization A only.
  await database.query(
    `insert into promotions.sales_aggregated (organization_id, date, channel, department, promo_flag, discount_pct, sales_value, margin_value, units)
     values ($1, '2024-10-01', 'online', 'TV', false, null, 50000, 12500, 100),
            ($1, '2024-10-02', 'online', 'TV', true, 20.0, 75000, 15000, 150),
            ($1, '2024-10-08', 'online', 'TV', false, null, 40000, 8000, 80),
            ($1, '2024-10-09', 'online', 'TV', false, null, 30000, 6000, 60),
            ($1, '2024-10-08', 'offline', 'TV', false, null, 1, -50, 1)`,
    [orgA],
  );
  await database.query(
    `insert into promotions.sales_aggregated (organization_id, date, channel, department, sales_value, margin_value, units) values ($1, '2024-10-01', 'online', 'TV', 999999, 1, 1)`,
    [orgB],
  );
});
afterAll(async () => database?.destroy());

describe('promotions schema (seed 002)', () => {
  it('computes margin_pct as the seed’s generated column, clamped to NUMERIC(5,2)', async () => {
    const rows = await database.query<{ date: unknown; channel: string; margin_pct: string }>(
      `select date::text as date, channel, margin_pct::text from promotions.sales_aggregated where organization_id = $1 order by date, channel`,
      [orgA],
    );
    expect(rows.map((r) => [r.date, r.channel, r.margin_pct])).toEqual([
      ['2024-10-01', 'online', '25.00'],
      ['2024-10-02', 'online', '20.00'],
      ['2024-10-08', 'offline', '-999.99'],
      ['2024-10-08', 'online', '20.00'],
      ['2024-10-09', 'online', '20.00'],
    ]);
  });

  it('refuses a second row for the same organization, date, channel, department and promo flag', async () => {
    await expect(
      database.query(
        `insert into promotions.sales_aggregated (organization_id, date, channel, department, promo_flag, sales_value, margin_value, units) values ($1, '2024-10-01', 'online', 'TV', false, 1, 1, 1)`,
        [orgA],
      ),
    ).rejects.toThrow(/unique_sales_record/);
    await expect(
      database.query(
        `insert into promotions.sales_aggregated (organization_id, date, channel, department, sales_value, margin_value, units) values ($1, '2024-10-03', 'web', 'TV', 1, 1, 1)`,
        [orgA],
      ),
    ).rejects.toThrow(/channel_check/);
  });

  it('calculate_baseline_forecast averages the same weekday over non-promo days of one organization only', async () => {
    // 2024-10-15 is a Tuesday: the Tuesdays 10-01 (50,000) and 10-08 (40,000 online, 1 offline) count, the promo Wednesday does not.
    const rows = await database.query<{ date: string; forecasted_sales_value: string | null; forecasted_units: number | null }>(
      `select date::text as date, forecasted_sales_value::float8::text as forecasted_sales_value, forecasted_units
         from promotions.calculate_baseline_forecast($1::uuid, '2024-10-15'::date, '2024-10-16'::date, 'online', 'TV') order by date`,
      [orgA],
    );
    expect(rows).toEqual([
      { date: '2024-10-15', forecasted_sales_value: '45000', forecasted_units: 90 },
      { date: '2024-10-16', forecasted_sales_value: '30000', forecasted_units: 60 },
    ]);
  });

  it('keeps the seed’s four-argument signature, scoped by the session’s organization and refused without one', async () => {
    await expect(database.query(`select * from promotions.calculate_baseline_forecast('2024-10-15'::date, '2024-10-15'::date)`)).rejects.toThrow(
      /needs an organization/,
    );
    const [row] = await database.query<{ v: number }>(
      `select (select forecasted_sales_value::float8 from promotions.calculate_baseline_forecast('2024-10-15'::date, '2024-10-15'::date, 'online', 'TV')) as v
         from (select set_config('retailops.organization_id', $1, false)) s`,
      [orgB],
    );
    expect(row.v).toBe(999999);
  });

  it('has the seed’s views, scoped by organization', async () => {
    const summary = await database.query<{ date: string; channel: string; total_sales_value: string; promo_days_count: string }>(
      `select date::text as date, channel, total_sales_value::text, promo_days_count::text from promotions.sales_daily_summary where organization_id = $1 and date = '2024-10-02'`,
      [orgA],
    );
    expect(summary).toEqual([{ date: '2024-10-02', channel: 'online', total_sales_value: '75000.00', promo_days_count: '1' }]);

    const [scenario] = await database.query<{ id: string }>(
      `insert into promotions.promo_scenarios (organization_id, label, date_range_start, date_range_end, scenario_type, mechanics)
       values ($1, 'October TV', '2024-10-20', '2024-10-26', 'balanced', '[{"department":"TV","channel":"online","discount_pct":20,"segments":["ALL"]}]') returning id`,
      [orgA],
    );
    const kpi = (sales: number, current: boolean) =>
      database.query(
        `insert into promotions.scenario_kpis (organization_id, scenario_id, period_start, period_end, total_sales_value, total_margin_value, total_margin_pct, total_ebit,
           total_units, sales_value_delta, margin_value_delta, ebit_delta, units_delta, kpi_breakdown, baseline_sales_value, baseline_margin_value, baseline_ebit,
           baseline_units, uplift_model_version, baseline_model, is_current)
         values ($1, $2, '2024-10-20', '2024-10-26', $3, 100, 20, 90, 10, 1, 1, 1, 1, '{"by_channel":[],"by_department":[],"by_segment":[]}', 1, 1, 1, 1, 'v1', 'mstl', $4)`,
        [orgA, scenario.id, sales, current],
      );
    await kpi(1000, false);
    await kpi(2000, true);
    await expect(kpi(3000, true)).rejects.toThrow(/scenario_kpis_one_current_key/);
    await database.query(`insert into promotions.validation_reports (organization_id, scenario_id, status, overall_score) values ($1, $2, 'WARN', 70)`, [
      orgA,
      scenario.id,
    ]);
    const comparison = await database.query<{ label: string; total_sales_value: string; validation_status: string; overall_score: number }>(
      `select label, total_sales_value::text, validation_status, overall_score from promotions.scenario_comparison_view where organization_id = $1`,
      [orgA],
    );
    expect(comparison).toEqual([{ label: 'October TV', total_sales_value: '2000.00', validation_status: 'WARN', overall_score: 70 }]);
    expect(await database.query(`select 1 from promotions.scenario_comparison_view where organization_id = $1`, [orgB])).toEqual([]);
  });
});
