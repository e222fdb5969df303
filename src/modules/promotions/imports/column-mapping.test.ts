import { describe, expect, it } from 'vitest';
import { readTabularGrid } from '../../../core/imports/tabular-grid.js';
import { describeSource, resolveMapping, suggestMapping } from './column-mapping.js';
import { utf8 } from './test-support.js';

const grid = (csv: string) => readTabularGrid('f.csv', utf8(csv));
const columns = (result: ReturnType<typeof resolveMapping>) =>
  Object.fromEntries(Object.entries(result.mapping?.sources ?? {}).map(([field, source]) => [field, describeSource(source, field)]));

describe('suggested mapping', () => {
  it('finds German and Superstore headers, exact field names first', () => {
    expect(suggestMapping('sales', ['Datum', 'Kanal', 'Abteilung', 'Umsatz', 'Marge', 'Menge', 'Rabatt %'])).toEqual({
      date: 'Datum',
      channel: 'Kanal',
      department: 'Abteilung',
      sales_value: 'Umsatz',
      margin_value: 'Marge',
      units: 'Menge',
      discount_pct: 'Rabatt %',
    });
    expect(suggestMapping('sales', ['Row ID', 'Order Date', 'Ship Date', 'Category', 'Sales', 'Quantity', 'Discount', 'Profit'])).toEqual({
      date: 'Order Date',
      department: 'Category',
      sales_value: 'Sales',
      units: 'Quantity',
      discount_pct: 'Discount',
      margin_value: 'Profit',
    });
    // "sales_value" is taken by its own column, not by the synonym "Sales" elsewhere.
    expect(suggestMapping('sales', ['Sales', 'sales_value']).sales_value).toBe('sales_value');
  });
});

describe('resolving a mapping', () => {
  it('maps by header (any spelling), by letter, and with constants; says which columns are missing', () => {
    const file = grid('Tag,Bereich,Sales,Cost,Qty\n2024-01-01,TV,10,2,1\n');
    const result = resolveMapping('sales', file, { map: { date: 'tag', margin_value: 'D' }, set: { channel: 'online' } });
    expect(result.issues).toEqual([]);
    expect(columns(result)).toEqual({
      channel: 'channel (constant)',
      date: 'Tag (A)',
      margin_value: 'Cost (D)',
      department: 'Bereich (B)',
      sales_value: 'Sales (C)',
      units: 'Qty (E)',
    });
    const missing = resolveMapping('sales', file, {});
    expect(missing.issues).toEqual([
      expect.objectContaining({
        row: 1,
        message: expect.stringMatching(/^no column for channel \(online or offline\); margin_value .*map the field to one of them/),
      }),
    ]);
    expect(resolveMapping('sales', file, { map: { colour: 'A' } }).issues[0].message).toMatch(/"colour" is not a field of a sales import/);
  });

  it('reads a file without headers when every mapped column is a letter, and spots a header row above numbers', () => {
    const headerless = grid('2024-01-01,TV,10,2,1\n2024-01-02,TV,11,2,1\n');
    const letters = { map: { date: 'A', department: 'B', sales_value: 'C', margin_value: 'D', units: 'E' }, set: { channel: 'offline' } };
    const result = resolveMapping('sales', headerless, letters);
    expect(result.mapping).toMatchObject({ headerRow: null });
    expect(result.mapping!.dataRows.map((r) => r.row)).toEqual([1, 2]);
    expect(columns(result).date).toBe('A');

    const withHeader = resolveMapping('sales', grid('When,What,Amount,Profit,Pieces\n2024-01-01,TV,10,2,1\n'), letters);
    expect(withHeader.mapping).toMatchObject({ headerRow: 1 });
    expect(columns(withHeader).date).toBe('When (A)');
  });

  it('treats an uppercase letter as a column unless a header reads exactly that', () => {
    const file = grid('B,a\n1,x\n');
    const byLetter = resolveMapping('segments', file, {
      map: { segment_id: 'B', name: 'B', share_of_customers: 'A', share_of_revenue: 'A', avg_basket_value: 'A' },
    });
    expect(columns(byLetter)).toMatchObject({ segment_id: 'B (A)' });
    const lower = resolveMapping('segments', file, {
      map: { segment_id: 'a', name: 'a', share_of_customers: 'B', share_of_revenue: 'B', avg_basket_value: 'B' },
    });
    expect(columns(lower)).toMatchObject({ segment_id: 'a (B)', share_of_customers: 'B (A)' });
  });
});
