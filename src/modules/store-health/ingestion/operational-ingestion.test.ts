import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx-republish';
import type { TestApp } from '../../../core/testing/test-app.js';
import { createStore } from '../org-structure/stores-service.js';
import { deriveOperationalKpis } from './operational-kpis.js';
import { createIngestionTestApp, multipartFile, serviceContextFor } from './test-support.js';

let t: TestApp;
let staffA: Record<string, string>;
const storeIds: Record<string, string> = {};

beforeAll(async () => {
  t = await createIngestionTestApp();
  const ctx = serviceContextFor(t, t.orgA);
  storeIds.L1 = (await createStore(ctx, { storeCode: 'L1', name: 'Lakeside', timezone: 'America/New_York' })).id;
  storeIds.L2 = (await createStore(ctx, { storeCode: 'L2', name: 'Hilltop', timezone: 'America/New_York' })).id;
  staffA = (await t.login(t.orgA.emails.staff)).headers;
});
afterAll(async () => t?.close());

function upload(kind: string, fileName: string, bytes: Uint8Array | string) {
  const body = multipartFile(fileName, bytes);
  return t.app.inject({ method: 'POST', url: `/api/store-health/imports/${kind}`, headers: { ...staffA, ...body.headers }, payload: body.payload });
}
const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/store-health/${url}`, headers: staffA, payload });

/** Derived KPI values as { 'L1 labor_coverage 2026-03-02': 93.3333 }. */
async function derivedValues(): Promise<Record<string, number>> {
  const rows = await t.database.query<{ store_code: string; kpi_code: string; metric_date: string; value: string; source: string }>(
    `select s.store_code, k.kpi_code, m.metric_date::text, m.value, m.metadata->>'source' as source
     from store_health.kpi_metrics m join store_health.stores s on s.id = m.store_id join store_health.kpi_definitions k on k.id = m.kpi_definition_id
     where m.organization_id = $1 order by 1, 2, 3`,
    [t.orgA.id],
  );
  expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['derived']));
  return Object.fromEntries(rows.map((r) => [`${r.store_code} ${r.kpi_code} ${r.metric_date}`, Number(r.value)]));
}

describe('labor ingestion', () => {
  it('imports schedules with coverage ratio and status, and derives labor coverage per store-day', async () => {
    const csv = [
      'store_code,schedule_date,shift_start,shift_end,required_hours,scheduled_hours,available_hours',
      'L1,2026-03-02,09:00,17:00,40,40,36',
      'L1,2026-03-02,17:00,22:00,20,20,',
      'L1,2026-03-03,9:00,17:00,40,40,30',
      'L2,2026-03-02,09:00,17:00,0,0,0',
    ].join('\n');
    const response = await upload('labor-schedules', 'schedules.csv', csv);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      rows: 4,
      inserted: 4,
      dates: { from: '2026-03-02', to: '2026-03-03' },
      derived: { inserted: 5, updated: 0, unchanged: 0 },
    });
    expect(response.json().evaluationJobId).toEqual(expect.any(String));
    const shifts = await t.database.query<{
      store_code: string;
      shift_start: string;
      available_hours: string;
      coverage_ratio: string | null;
      status: string | null;
    }>(
      `select s.store_code, l.shift_start::text, l.available_hours, l.coverage_ratio, l.status from store_health.labor_schedules l
       join store_health.stores s on s.id = l.store_id order by l.schedule_date, s.store_code, l.shift_start`,
    );
    expect(
      shifts.map((s) => [s.store_code, s.shift_start, Number(s.available_hours), s.coverage_ratio === null ? null : Number(s.coverage_ratio), s.status]),
    ).toEqual([
      ['L1', '09:00:00', 36, 0.9, 'yellow'],
      ['L1', '17:00:00', 20, 1, 'green'],
      ['L2', '09:00:00', 0, null, null],
      ['L1', '09:00:00', 30, 0.75, 'red'],
    ]);
    expect(await derivedValues()).toEqual({
      'L1 callout_hours 2026-03-02': 0,
      'L1 callout_hours 2026-03-03': 0,
      'L1 labor_coverage 2026-03-02': 93.3333,
      'L1 labor_coverage 2026-03-03': 75,
      'L2 callout_hours 2026-03-02': 0,
    });
    const [kpi] = await t.database.query<{ direction: string; category: string; green_min: string }>(
      `select k.direction, k.category, t.green_min from store_health.kpi_definitions k
       join store_health.kpi_thresholds t on t.kpi_definition_id = k.id and t.store_id is null where k.kpi_code = 'labor_coverage' and k.organization_id = $1`,
      [t.orgA.id],
    );
    expect(kpi).toEqual({ direction: 'higher_is_better', category: 'labor', green_min: expect.anything() });
    expect(Number(kpi.green_min)).toBe(95);
  });

  it('ingests call-outs, links them to their shift when unambiguous, and counts unfilled hours lost', async () => {
    const response = await post('labor-callouts', {
      callouts: [
        { storeCode: 'L1', calloutDate: '2026-03-02', employeeName: 'Jane', shiftAffected: '09:00-17:00', hoursLost: 8, isPeakHours: 'yes' },
        { storeCode: 'L1', calloutDate: '2026-03-02', employeeName: 'Joe', shiftAffected: '17:00-22:00', hoursLost: 5, isFilled: true, filledBy: 'Kim' },
        { storeCode: 'L1', calloutDate: '2026-03-03', employeeName: 'Ann', hoursLost: '4', isFilled: 'false' },
        { storeCode: 'L2', calloutDate: '2026-03-04', employeeName: 'Bob', hoursLost: 6 },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ kind: 'labor-callouts', inserted: 4, derived: { inserted: 1, updated: 2, unchanged: 3 } });
    const links = await t.database.query<{ employee_name: string; shift: string | null; is_peak_hours: boolean }>(
      `select c.employee_name, l.shift_start::text as shift, c.is_peak_hours from store_health.labor_callouts c
       left join store_health.labor_schedules l on l.id = c.labor_schedule_id order by c.employee_name`,
    );
    expect(links).toEqual([
      { employee_name: 'Ann', shift: '09:00:00', is_peak_hours: false },
      { employee_name: 'Bob', shift: null, is_peak_hours: false },
      { employee_name: 'Jane', shift: '09:00:00', is_peak_hours: true },
      { employee_name: 'Joe', shift: '17:00:00', is_peak_hours: false },
    ]);
    const values = await derivedValues();
    expect([values['L1 callout_hours 2026-03-02'], values['L1 callout_hours 2026-03-03'], values['L2 callout_hours 2026-03-04']]).toEqual([8, 4, 6]);
  });

  it('names the item and field of a bad batch and writes nothing', async () => {
    const response = await post('labor-callouts', {
      callouts: [
        { storeCode: 'L1', calloutDate: '2026-03-05', employeeName: 'Zed', hoursLost: 'lots' },
        { storeCode: 'L9', calloutDate: '2026-03-05', employeeName: 'Zed', hoursLost: 2 },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.map((d: { path: string }) => d.path)).toEqual(['callouts.0.hoursLost', 'callouts.1.storeCode']);
    expect(await t.database.query(`select 1 from store_health.labor_callouts where employee_name = 'Zed'`)).toHaveLength(0);
  });
});

describe('inventory ingestion', () => {
  const levels = [
    ['store_code', 'sku', 'product_name', 'snapshot_date', 'quantity_on_hand', 'average_daily_sales', 'is_top_sku'],
    ['L1', 'A', 'Milk 1L', '2026-03-02', 0, 5, 'yes'],
    ['L1', 'B', 'Bread', '2026-03-02', 30, 10, 'yes'],
    ['L1', 'C', 'Jam', '2026-03-02', 4, 2, 'no'],
    ['L1', 'D', 'Candles', '2026-03-02', 12, 0, 'yes'],
    ['L2', 'E', 'Eggs', '2026-03-02', -2, 1, ''],
    ['L2', 'F', 'Flour', '2026-03-02', 10, 2, ''],
  ];
  const workbook = (rows: unknown[][]) => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), 'Stock');
    return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  };

  it('imports snapshots with days of cover, out-of-stock flags and status, and derives top-SKU KPIs', async () => {
    const response = await upload('inventory-levels', 'stock.xlsx', workbook(levels));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ rows: 6, inserted: 6 });
    const rows = await t.database.query<{ sku: string; days_of_cover: string | null; is_out_of_stock: boolean; status: string }>(
      'select sku, days_of_cover, is_out_of_stock, status from store_health.inventory_levels order by sku',
    );
    expect(rows.map((r) => [r.sku, r.days_of_cover === null ? null : Number(r.days_of_cover), r.is_out_of_stock, r.status])).toEqual([
      ['A', 0, true, 'red'],
      ['B', 3, false, 'green'],
      ['C', 2, false, 'yellow'],
      ['D', null, false, 'green'],
      ['E', 0, true, 'red'],
      ['F', 5, false, 'green'],
    ]);
    const values = await derivedValues();
    // L1 flags A, B, D as top: one of them is out; cover averages A (0) and B (3); D does not sell.
    expect(values['L1 top_sku_oos 2026-03-02']).toBe(1);
    expect(values['L1 days_of_cover 2026-03-02']).toBe(1.5);
    // L2 flags none, so every SKU counts.
    expect(values['L2 top_sku_oos 2026-03-02']).toBe(1);
    expect(values['L2 days_of_cover 2026-03-02']).toBe(2.5);
  });

  it('estimates lost sales from out-of-stock events and sums them per store-local day', async () => {
    const response = await post('out-of-stock-events', {
      events: [
        // 10:00 → next day 16:00 local: 30 hours × 5 a day (latest snapshot) × $4.
        { storeCode: 'L1', sku: 'A', outOfStockAt: '2026-03-02 10:00', restockedAt: '2026-03-03 16:00', unitPrice: 4 },
        // 23:30 local on the 2nd is the 3rd in UTC; it still counts for the 2nd. Given estimate, still open.
        { storeCode: 'L1', sku: 'B', outOfStockAt: '2026-03-02T23:30:00-05:00', estimatedLostSales: 12.5 },
        { storeCode: 'L2', sku: 'E', outOfStockAt: '2026-03-02 08:00', restockedAt: '2026-03-02 20:00', averageDailySales: 2, unitPrice: 10 },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ inserted: 3, dates: { from: '2026-03-02', to: '2026-03-02' } });
    const events = await t.database.query<{
      sku: string;
      out_of_stock_at: Date;
      duration_hours: number | null;
      estimated_lost_sales: string | null;
      is_top_sku: boolean;
    }>('select sku, out_of_stock_at, duration_hours, estimated_lost_sales, is_top_sku from store_health.out_of_stock_events order by sku');
    expect(events.map((e) => [e.sku, new Date(e.out_of_stock_at).toISOString(), e.duration_hours, Number(e.estimated_lost_sales), e.is_top_sku])).toEqual([
      ['A', '2026-03-02T15:00:00.000Z', 30, 25, true],
      ['B', '2026-03-03T04:30:00.000Z', null, 12.5, true],
      ['E', '2026-03-02T13:00:00.000Z', 12, 10, false],
    ]);
    const values = await derivedValues();
    expect(values['L1 est_lost_sales 2026-03-02']).toBe(37.5);
    expect(values['L2 est_lost_sales 2026-03-02']).toBe(10);
    expect(values['L1 est_lost_sales 2026-03-03']).toBeUndefined();
  });

  it('re-importing is idempotent; a corrected count updates the row and exactly the KPI values it changes', async () => {
    const again = await upload('inventory-levels', 'stock.xlsx', workbook(levels));
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 6, evaluationJobId: null, derived: { inserted: 0, updated: 0 } });
    await t.database.query(`update store_health.kpi_metrics set status = 'green' where organization_id = $1`, [t.orgA.id]);
    const corrected = levels.map((row) => (row[1] === 'B' ? [...row.slice(0, 4), 0, ...row.slice(5)] : row));
    const response = await upload('inventory-levels', 'stock-fixed.xlsx', workbook(corrected));
    expect(response.json()).toMatchObject({
      inserted: 0,
      updated: 1,
      unchanged: 5,
      derived: { updated: 2 },
      changedDates: { from: '2026-03-02', to: '2026-03-02' },
    });
    const values = await derivedValues();
    expect(values['L1 top_sku_oos 2026-03-02']).toBe(2);
    expect(values['L1 days_of_cover 2026-03-02']).toBe(0);
    const statuses = await t.database.query<{ kpi_code: string; status: string | null }>(
      `select k.kpi_code, m.status from store_health.kpi_metrics m join store_health.kpi_definitions k on k.id = m.kpi_definition_id
       where m.store_id = $1 and m.metric_date = '2026-03-02' and k.category = 'inventory' order by 1`,
      [storeIds.L1],
    );
    expect(statuses).toEqual([
      { kpi_code: 'days_of_cover', status: null },
      { kpi_code: 'est_lost_sales', status: 'green' },
      { kpi_code: 'top_sku_oos', status: null },
    ]);
  });

  it('deriveOperationalKpis recomputes a range on demand without changing what is current', async () => {
    const result = await deriveOperationalKpis(serviceContextFor(t, t.orgA), { from: '2026-03-01', to: '2026-03-05' });
    expect(result).toMatchObject({ inserted: 0, updated: 0, changed: null });
    expect(result.unchanged).toBe(Object.keys(await derivedValues()).length);
  });

  it('rejects an event restocked before it ran out', async () => {
    const response = await post('out-of-stock-events', {
      events: [{ storeCode: 'L1', sku: 'C', outOfStockAt: '2026-03-04 10:00', restockedAt: '2026-03-04 09:00' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0]).toMatchObject({ path: 'events.0.restockedAt' });
  });
});
