import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { localDate, type IsoDate } from '../shared/dates.js';
import type { IngestOptions, IngestResult } from './ingest-result.js';
import { IssueCollector, loadStoreLookup, rowsFromBatch, type ColumnSpec, type InputRows } from './input-rows.js';
import { ingestOperationalRows } from './operational-ingest.js';
import { RowReader } from './row-reader.js';
import { upsertSupportingRows, type SupportingTable } from './supporting-upsert.js';

const numberValue = z.union([z.number(), z.string()]);
const flag = z.union([z.boolean(), z.string(), z.number()]);

// ---- inventory levels ----

export const inventoryLevelColumns: ColumnSpec[] = [
  { column: 'store_code', field: 'storeCode', required: true },
  { column: 'sku', field: 'sku', required: true },
  { column: 'product_name', field: 'productName', required: false },
  { column: 'category', field: 'category', required: false },
  { column: 'snapshot_date', field: 'snapshotDate', required: true },
  { column: 'quantity_on_hand', field: 'quantityOnHand', required: true },
  { column: 'average_daily_sales', field: 'averageDailySales', required: false },
  { column: 'is_top_sku', field: 'isTopSku', required: false },
];

export const inventoryLevelsBatchInput = z.object({
  levels: z
    .array(
      z.object({
        storeCode: z.string().min(1),
        sku: z.string().min(1),
        productName: z.string().nullable().optional(),
        category: z.string().nullable().optional(),
        snapshotDate: z.string().describe('YYYY-MM-DD'),
        quantityOnHand: numberValue.describe('Whole units; 0 or less is out of stock'),
        averageDailySales: numberValue.nullable().optional(),
        isTopSku: flag.nullable().optional(),
      }),
    )
    .min(1)
    .max(50_000),
});

/**
 * Inventory status of one SKU-day: out of stock (on hand ≤ 0) red; under 3 days of cover yellow; otherwise green
 * (an SKU that does not sell has no days of cover and is green while it is in stock).
 */
export function inventoryStatus(isOutOfStock: boolean, daysOfCover: number | null): 'green' | 'yellow' | 'red' {
  if (isOutOfStock) return 'red';
  return daysOfCover !== null && daysOfCover < 3 ? 'yellow' : 'green';
}

const inventoryLevelsTable: SupportingTable = {
  table: 'store_health.inventory_levels',
  columns: [
    { name: 'store_id', type: 'uuid' },
    { name: 'sku', type: 'text' },
    { name: 'product_name', type: 'text' },
    { name: 'category', type: 'text' },
    { name: 'snapshot_date', type: 'date' },
    { name: 'quantity_on_hand', type: 'integer' },
    { name: 'average_daily_sales', type: 'numeric' },
    { name: 'days_of_cover', type: 'numeric' },
    { name: 'is_top_sku', type: 'boolean' },
    { name: 'is_out_of_stock', type: 'boolean' },
    { name: 'status', type: 'text' },
  ],
  key: ['store_id', 'sku', 'snapshot_date'],
  hasUpdatedAt: true,
};

/** Inventory snapshots by (store, SKU, date); days_of_cover = on hand ÷ average daily sales (none without sales). */
export async function ingestInventoryLevels(ctx: ServiceContext, input: InputRows, options: IngestOptions = {}): Promise<IngestResult> {
  const storeByCode = await loadStoreLookup(ctx);
  const issues = new IssueCollector(input);
  const rows: Record<string, unknown>[] = [];
  const firstIndexOfKey = new Map<string, number>();
  for (let index = 0; index < input.rows.length && !issues.full; index++) {
    const read = new RowReader(input, issues, index);
    const store = read.store(storeByCode);
    const sku = read.text('sku', { required: true, max: 100 });
    const productName = read.text('product_name', { max: 300 }) ?? null;
    const category = read.text('category', { max: 200 }) ?? null;
    const date = read.date('snapshot_date');
    const onHand = read.number('quantity_on_hand', { whole: true, below: 2_000_000_000 });
    const averageDailySales = read.number('average_daily_sales', { required: false, min: 0, below: 1e8 }) ?? null;
    const isTopSku = read.boolean('is_top_sku') ?? false;
    if (!read.valid || !store || !sku || !date || onHand === undefined) continue;
    const key = `${store.id}|${sku}|${date}`;
    const first = firstIndexOfKey.get(key);
    if (first !== undefined) {
      read.problem(
        'sku',
        `SKU ${sku} at store ${store.storeCode} on ${date} appears twice: ${input.rowWord} ${input.rows[first].row} and ${input.rows[index].row}.`,
      );
      continue;
    }
    firstIndexOfKey.set(key, index);
    const isOutOfStock = onHand <= 0;
    const daysOfCover = averageDailySales && averageDailySales > 0 ? Math.round((Math.max(onHand, 0) / averageDailySales) * 100) / 100 : null;
    rows.push({
      store_id: store.id,
      sku,
      product_name: productName,
      category,
      snapshot_date: date,
      quantity_on_hand: onHand,
      average_daily_sales: averageDailySales,
      days_of_cover: daysOfCover !== null ? Math.min(daysOfCover, 99_999_999) : null,
      is_top_sku: isTopSku,
      is_out_of_stock: isOutOfStock,
      status: inventoryStatus(isOutOfStock, daysOfCover),
    });
  }
  issues.throwIfAny();
  return ingestOperationalRows(ctx, {
    kind: 'inventory-levels',
    rows,
    dateOf: (r) => r.snapshot_date as IsoDate,
    write: (tx) => upsertSupportingRows(tx, inventoryLevelsTable, rows),
    options,
  });
}

// ---- out-of-stock events ----

export const outOfStockEventColumns: ColumnSpec[] = [
  { column: 'store_code', field: 'storeCode', required: true },
  { column: 'sku', field: 'sku', required: true },
  { column: 'product_name', field: 'productName', required: false },
  { column: 'out_of_stock_at', field: 'outOfStockAt', required: true },
  { column: 'restocked_at', field: 'restockedAt', required: false },
  { column: 'is_top_sku', field: 'isTopSku', required: false },
  { column: 'estimated_lost_sales', field: 'estimatedLostSales', required: false },
  { column: 'average_daily_sales', field: 'averageDailySales', required: false },
  { column: 'unit_price', field: 'unitPrice', required: false },
];

export const outOfStockEventsBatchInput = z.object({
  events: z
    .array(
      z.object({
        storeCode: z.string().min(1),
        sku: z.string().min(1),
        productName: z.string().nullable().optional(),
        outOfStockAt: z.string().describe('ISO 8601 with offset, or YYYY-MM-DD HH:MM in store time'),
        restockedAt: z.string().nullable().optional(),
        isTopSku: flag.nullable().optional().describe("Defaults to the SKU's flag in the latest inventory snapshot"),
        estimatedLostSales: numberValue.nullable().optional(),
        averageDailySales: numberValue.nullable().optional(),
        unitPrice: numberValue.nullable().optional(),
      }),
    )
    .min(1)
    .max(50_000),
});

/** The latest inventory snapshot of the SKU up to the event's day: where a missing sales rate or top flag comes from. */
const latestSnapshot = (column: string) =>
  `(select il.${column} from store_health.inventory_levels il
     where il.store_id = i.store_id and il.sku = i.sku and il.snapshot_date <= i.local_date
     order by il.snapshot_date desc limit 1)`;

const outOfStockEventsTable: SupportingTable = {
  table: 'store_health.out_of_stock_events',
  columns: [
    { name: 'store_id', type: 'uuid' },
    { name: 'sku', type: 'text' },
    { name: 'product_name', type: 'text' },
    { name: 'out_of_stock_at', type: 'timestamptz' },
    { name: 'restocked_at', type: 'timestamptz' },
    { name: 'duration_hours', type: 'integer' },
    { name: 'is_top_sku', type: 'boolean' },
    { name: 'estimated_lost_sales', type: 'numeric' },
    { name: 'average_daily_sales', type: 'numeric' },
    { name: 'unit_price', type: 'numeric' },
    { name: 'local_date', type: 'date' },
  ],
  key: ['store_id', 'sku', 'out_of_stock_at'],
  inputOnly: ['average_daily_sales', 'unit_price', 'local_date'],
  computed: {
    is_top_sku: `coalesce(i.is_top_sku, ${latestSnapshot('is_top_sku')}, false)`,
    // Given estimate first; else average daily sales × days out × unit price, once the SKU is back in stock.
    estimated_lost_sales: `round(coalesce(i.estimated_lost_sales,
      coalesce(i.average_daily_sales, ${latestSnapshot('average_daily_sales')})
        * extract(epoch from (i.restocked_at - i.out_of_stock_at)) / 86400 * i.unit_price), 2)`,
  },
  hasUpdatedAt: false,
};

/**
 * Out-of-stock events by (store, SKU, start). duration_hours = restocked_at − out_of_stock_at, rounded; an open
 * event has no duration. estimated_lost_sales: the file's value when given, else average daily sales (the
 * file's, else the latest inventory snapshot's) × days out of stock × unit_price when the file gives a price;
 * otherwise none. Times without an offset are the store's local time.
 */
export async function ingestOutOfStockEvents(ctx: ServiceContext, input: InputRows, options: IngestOptions = {}): Promise<IngestResult> {
  const storeByCode = await loadStoreLookup(ctx);
  const issues = new IssueCollector(input);
  const rows: Record<string, unknown>[] = [];
  const firstIndexOfKey = new Map<string, number>();
  for (let index = 0; index < input.rows.length && !issues.full; index++) {
    const read = new RowReader(input, issues, index);
    const store = read.store(storeByCode);
    const timezone = store?.timezone ?? 'UTC';
    const sku = read.text('sku', { required: true, max: 100 });
    const productName = read.text('product_name', { max: 300 }) ?? null;
    const outAt = read.timestamp('out_of_stock_at', timezone);
    const restockedAt = read.timestamp('restocked_at', timezone, false) ?? null;
    const isTopSku = read.boolean('is_top_sku') ?? null;
    const estimate = read.number('estimated_lost_sales', { required: false, min: 0, below: 1e12 }) ?? null;
    const averageDailySales = read.number('average_daily_sales', { required: false, min: 0, below: 1e8 }) ?? null;
    const unitPrice = read.number('unit_price', { required: false, min: 0, below: 1e8 }) ?? null;
    if (outAt && restockedAt && restockedAt < outAt) {
      read.problem('restocked_at', `The SKU cannot be restocked (${restockedAt.toISOString()}) before it ran out (${outAt.toISOString()}).`);
    }
    if (!read.valid || !store || !sku || !outAt) continue;
    const key = `${store.id}|${sku}|${outAt.toISOString()}`;
    const first = firstIndexOfKey.get(key);
    if (first !== undefined) {
      read.problem(
        'out_of_stock_at',
        `SKU ${sku} at store ${store.storeCode} running out at ${outAt.toISOString()} appears twice: ${input.rowWord} ${input.rows[first].row} and ${input.rows[index].row}.`,
      );
      continue;
    }
    firstIndexOfKey.set(key, index);
    rows.push({
      store_id: store.id,
      sku,
      product_name: productName,
      out_of_stock_at: outAt.toISOString(),
      restocked_at: restockedAt?.toISOString() ?? null,
      duration_hours: restockedAt ? Math.round((restockedAt.getTime() - outAt.getTime()) / 3_600_000) : null,
      is_top_sku: isTopSku,
      estimated_lost_sales: estimate,
      average_daily_sales: averageDailySales,
      unit_price: unitPrice,
      local_date: localDate(outAt, timezone),
    });
  }
  issues.throwIfAny();
  return ingestOperationalRows(ctx, {
    kind: 'out-of-stock-events',
    rows,
    dateOf: (r) => r.local_date as IsoDate,
    write: (tx) => upsertSupportingRows(tx, outOfStockEventsTable, rows),
    options,
  });
}

export const inventoryLevelsFromBatch = (input: z.infer<typeof inventoryLevelsBatchInput>) => rowsFromBatch('levels', input.levels, inventoryLevelColumns);
export const outOfStockEventsFromBatch = (input: z.infer<typeof outOfStockEventsBatchInput>) => rowsFromBatch('events', input.events, outOfStockEventColumns);
