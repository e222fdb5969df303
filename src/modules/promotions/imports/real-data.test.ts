import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { AppError } from '../../../core/errors.js';
import type { TestApp } from '../../../core/testing/test-app.js';
import { importPromotionsFiles, type ImportRequest } from './import-service.js';
import { createImportsTestApp, serviceContextFor } from './test-support.js';

// Real public files live next to the project (../shared/data), never in the repository; a fresh clone skips this suite.
const dataDir = path.resolve(process.cwd(), '../shared/data');
const fixturesDir = path.join(dataDir, 'xlsb_fixtures');
const superstoreFile = path.join(dataDir, 'superstore', 'superstore.csv');
const available = existsSync(fixturesDir) && existsSync(superstoreFile);
if (!available) console.warn(`Skipping the promotions real-data import tests: ${dataDir} (xlsb_fixtures, superstore) is not there.`);

let t: TestApp;
let ctx: ServiceContext;

async function counts(c: ServiceContext) {
  const [row] = await sqlRows<{ sales: number; segments: number }>(
    c.db,
    sql`select (select count(*) from promotions.sales_aggregated where organization_id = ${c.organization.id}::uuid)::int as sales,
               (select count(*) from promotions.segments where organization_id = ${c.organization.id}::uuid)::int as segments`,
  );
  return row;
}

/** Runs an import expected to fail; checks that nothing of it was written and answers the error. */
async function refused(c: ServiceContext, request: ImportRequest): Promise<AppError> {
  const before = await counts(c);
  let caught: unknown;
  try {
    await importPromotionsFiles(c, request);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect(await counts(c)).toEqual(before);
  return caught as AppError;
}

const fixture = (name: string) => ({ name, bytes: readFileSync(path.join(fixturesDir, name)) });

describe.skipIf(!available)('real files from ../shared/data', () => {
  beforeAll(async () => {
    t = await createImportsTestApp();
    ctx = serviceContextFor(t, t.orgA);
  });
  afterAll(async () => t?.close());

  it('covers every calamine workbook in xlsb_fixtures', () => {
    expect(
      readdirSync(fixturesDir)
        .filter((f) => f.endsWith('.xlsb'))
        .sort(),
    ).toEqual(['calamine_any_sheets.xlsb', 'calamine_date.xlsb', 'calamine_issues.xlsb', 'calamine_picture.xlsb']);
  });

  it('calamine_date.xlsb: real Excel dates by letter, and the [hh]:mm:ss duration in A3 refused by sheet, row and column', async () => {
    const error = await refused(ctx, {
      kind: 'sales',
      files: [fixture('calamine_date.xlsb')],
      options: { map: { date: 'A', units: 'B' }, set: { channel: 'online', department: 'Dates', sales_value: '100', margin_value: '25' } },
    });
    expect(error.details).toEqual([
      {
        file: 'calamine_date.xlsb',
        sheet: 'Sheet1',
        row: 3,
        column: 'A',
        message: 'date: "255:10:10" is a time or a duration (the number 10.6320601851852, formatted [hh]:mm:ss), not a date',
      },
    ]);
  });

  it('calamine_any_sheets.xlsb: skips the hidden, very hidden and chart sheets, and points at the note in Visible!A5', async () => {
    const options = {
      map: { units: 'A', sales_value: 'B' },
      set: { date: '2021-01-01', channel: 'offline', department: 'Sheets', margin_value: '0' },
      aggregate: true,
    };
    const error = await refused(ctx, { kind: 'sales', files: [fixture('calamine_any_sheets.xlsb')], options });
    expect(error.details).toEqual([
      expect.objectContaining({ sheet: 'Visible', row: 5, column: 'B', message: 'sales_value: is empty; a number is required' }),
      expect.objectContaining({ sheet: 'Visible', row: 5, column: 'A', message: 'units: "This workbook contains 4 sheets: Visi…" is not a number' }),
    ]);
    const chart = await refused(ctx, { kind: 'sales', files: [fixture('calamine_any_sheets.xlsb')], options: { ...options, sheet: 'Chart' } });
    expect(chart.message).toMatch(/the sheet "Chart" is a chart sheet and holds no cells/);
    const hidden = await refused(ctx, { kind: 'sales', files: [fixture('calamine_any_sheets.xlsb')], options: { ...options, sheet: 'VeryHidden' } });
    expect(hidden.message).toMatch(/the sheet "VeryHidden" is empty/);
  });

  it('calamine_issues.xlsb: mixed types in the first sheet are refused cell by cell; the issue2 and spc_chrs sheets import by letter', async () => {
    const mixed = await refused(ctx, {
      kind: 'sales',
      files: [fixture('calamine_issues.xlsb')],
      options: {
        map: { units: 'A' },
        set: { date: '2021-01-01', channel: 'online', department: 'Types', sales_value: '1', margin_value: '0' },
        aggregate: true,
      },
    });
    expect(mixed.details).toEqual([
      expect.objectContaining({ sheet: 'datatypes', row: 2, column: 'A', message: 'units: 1.5 is not a whole number' }),
      expect.objectContaining({ sheet: 'datatypes', row: 3, column: 'A', message: 'units: "ab" is not a number' }),
      expect.objectContaining({ sheet: 'datatypes', row: 4, column: 'A', message: 'units: "FALSE" is a TRUE/FALSE value, not a number' }),
      expect.objectContaining({ sheet: 'datatypes', row: 5, column: 'A', message: 'units: "test" is not a number' }),
    ]);

    const segments = await importPromotionsFiles(ctx, {
      kind: 'segments',
      files: [fixture('calamine_issues.xlsb')],
      options: { sheet: 'issue2', map: { segment_id: 'B', name: 'B', share_of_customers: 'A', avg_basket_value: 'A' }, set: { share_of_revenue: '0.1' } },
    });
    expect(segments.result).toMatchObject({ inserted: 3, files: [expect.objectContaining({ sheet: 'issue2', headerRow: null })] });
    const special = await importPromotionsFiles(ctx, {
      kind: 'segments',
      files: [fixture('calamine_issues.xlsb')],
      options: { sheet: 'spc_chrs', map: { segment_id: 'A', name: 'A' }, set: { share_of_customers: '0.1', share_of_revenue: '0.1', avg_basket_value: '10' } },
    });
    expect(special.result).toMatchObject({ inserted: 8 });
    const rows = await sqlRows<{ segment_id: string; share_of_customers: string; avg_basket_value: string }>(
      ctx.db,
      sql`select segment_id, share_of_customers::text, avg_basket_value::text from promotions.segments where organization_id = ${ctx.organization.id}::uuid order by segment_id collate "C"`,
    );
    expect(rows.map((r) => r.segment_id)).toEqual(['"', '&', '<', '>', 'a', "aaa ' aaa", 'b', 'c', 'àâéêèçöïî«»', '֍', '☺']);
    // 1, 2, 3 in a share column are read as per cent (a value above 1 means the column is in %).
    expect(rows.find((r) => r.segment_id === 'c')).toEqual({ segment_id: 'c', share_of_customers: '0.0300', avg_basket_value: '3.00' });
  });

  it('calamine_picture.xlsb: two empty sheets with a picture give a clear error', async () => {
    const error = await refused(ctx, { kind: 'sales', files: [fixture('calamine_picture.xlsb')], options: { map: { date: 'A' } } });
    expect(error.message).toBe(
      '1 problem found; nothing was imported. First: calamine_picture.xlsb: no visible sheet has data; its sheets are Sheet1 (empty), Sheet2 (empty) (name one with the sheet option)',
    );
    const named = await refused(ctx, { kind: 'sales', files: [fixture('calamine_picture.xlsb')], options: { map: { date: 'A' }, sheet: 'Sheet2' } });
    expect(named.details).toEqual([{ file: 'calamine_picture.xlsb', sheet: 'Sheet2', row: null, column: null, message: 'the sheet "Sheet2" is empty' }]);
  });

  it('a truncated copy of a real workbook is refused and writes nothing', async () => {
    const bytes = readFileSync(path.join(fixturesDir, 'calamine_date.xlsb'));
    const error = await refused(ctx, { kind: 'sales', files: [{ name: 'cut.xlsb', bytes: bytes.subarray(0, 3000) }] });
    expect(error.details).toEqual([expect.objectContaining({ file: 'cut.xlsb', message: expect.stringMatching(/not a readable XLSB workbook/) })]);
  });

  it('superstore.csv: order lines summed by day × category, totals equal to the cent, re-import unchanged', async () => {
    const c = serviceContextFor(t, t.orgB);
    const options = {
      map: { date: 'Order Date', department: 'Category', sales_value: 'Sales', margin_value: 'Profit', units: 'Quantity', discount_pct: 'Discount' },
      set: { channel: 'online' },
      aggregate: true,
    };
    const file = { name: 'superstore.csv', bytes: readFileSync(superstoreFile) };
    const job = await importPromotionsFiles(c, { kind: 'sales', files: [file], options });
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({
      linesRead: 9994,
      departments: ['Furniture', 'Office Supplies', 'Technology'],
      dateRange: { from: '2016-01-03', to: '2019-12-30' },
      files: [expect.objectContaining({ dateOrder: 'mdy', fractionFields: ['discount_pct'], encoding: 'utf-8' })],
    });

    // The file's own totals, computed here independently of the importer.
    const lines = parse(readFileSync(superstoreFile), { bom: true, columns: true }) as Record<string, string>[];
    const expected = new Map<string, { sales: number; profit: number; units: number }>();
    for (const line of lines) {
      const e = expected.get(line.Category) ?? { sales: 0, profit: 0, units: 0 };
      e.sales += Number(line.Sales);
      e.profit += Number(line.Profit);
      e.units += Number(line.Quantity);
      expected.set(line.Category, e);
    }
    const stored = await sqlRows<{ department: string; sales: string; margin: string; units: number; promo_rows: number; rows: number }>(
      c.db,
      sql`select department, sum(sales_value)::text as sales, sum(margin_value)::text as margin, sum(units)::int as units,
                 count(*) filter (where promo_flag)::int as promo_rows, count(*)::int as rows
          from promotions.sales_aggregated where organization_id = ${c.organization.id}::uuid group by department order by department`,
    );
    expect(stored.map((s) => [s.department, s.sales, s.margin, s.units])).toEqual(
      [...expected.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([category, e]) => [category, e.sales.toFixed(2), e.profit.toFixed(2), e.units]),
    );
    expect(stored.reduce((n, s) => n + s.rows, 0)).toBe(job.recordsProcessed);
    expect(stored.every((s) => s.promo_rows > 0 && s.promo_rows < s.rows)).toBe(true);

    const again = await importPromotionsFiles(c, { kind: 'sales', files: [file], options });
    expect(again.result).toMatchObject({ inserted: 0, updated: 0, unchanged: job.recordsProcessed });
  });
});
