import {
  cellText,
  dateOrderEvidence,
  isEmptyCell,
  parseBooleanCell,
  parseDateCell,
  parseMonthCell,
  parseNumberCell,
  quoteCell,
  type DateOrder,
  type Parsed,
} from '../../../core/imports/cell-parsers.js';
import type { GridCell, GridRow, TabularGrid } from '../../../core/imports/tabular-grid.js';
import type { Channel } from '../schema.js';
import { describeSource, fieldCell, type ImportIssue, type ResolvedMapping } from './column-mapping.js';
import type { ImportKind } from './fields.js';

export const maxReportedIssues = 100;

/** Collects problems: keeps the first 100 in full, counts them all. */
export class IssueList {
  readonly items: ImportIssue[] = [];
  count = 0;
  add(issue: ImportIssue): void {
    this.count++;
    if (this.items.length < maxReportedIssues) this.items.push(issue);
  }
  addAll(issues: ImportIssue[]): void {
    for (const i of issues) this.add(i);
  }
}

/** Where a row came from, for duplicate messages across files. */
export interface RowOrigin {
  file: string;
  sheet: string | null;
  row: number;
}

export interface SalesRecord {
  date: string;
  channel: Channel;
  department: string;
  promoFlag: boolean;
  discountPct: number | null;
  salesValue: number;
  marginValue: number;
  units: number;
  origin: RowOrigin;
  /** Rows summed into this one (aggregate). */
  lines: number;
  discountWeight: number;
  discountWeighted: number;
  discountCount: number;
  discountSum: number;
}

export interface CatalogRecord {
  promoName: string | null;
  dateStart: string;
  dateEnd: string;
  departments: string[] | null;
  channels: string[] | null;
  avgDiscountPct: number | null;
  mechanics: Record<string, unknown> | null;
  sourceFile: string;
  origin: RowOrigin;
}

export interface TargetRecord {
  month: string;
  geo: string;
  salesValueTarget: number;
  marginPctTarget: number;
  unitsTarget: number | null;
  department: string | null;
  channel: Channel | null;
  origin: RowOrigin;
}

export interface SegmentRecord {
  segmentId: string;
  name: string;
  shareOfCustomers: number;
  shareOfRevenue: number;
  avgBasketValue: number;
  favCategories: string[] | null;
  discountSensitivity: 'low' | 'medium' | 'high' | null;
  purchaseFrequency: number | null;
  lastPurchaseDaysAgo: number | null;
  origin: RowOrigin;
}

/** What one file said about how it was read (reported in the job result). */
export interface FileReading {
  dateOrder: DateOrder | null;
  /** fields whose values were all ≤ 1 and were read as fractions (0.2 → 20 %) */
  fractionFields: string[];
  headerRow: number | null;
  columns: Record<string, string>;
}

const onlineWords = new Set(['online', 'on-line', 'web', 'webshop', 'e-commerce', 'ecommerce', 'ecom', 'internet', 'shop online', 'digital']);
const offlineWords = new Set([
  'offline',
  'off-line',
  'store',
  'stores',
  'retail',
  'instore',
  'in-store',
  'in store',
  'filiale',
  'filialen',
  'stationär',
  'stationaer',
  'markt',
  'shop',
]);

export function normalizeChannel(text: string): Channel | null {
  const t = text.trim().toLowerCase();
  if (onlineWords.has(t)) return 'online';
  if (offlineWords.has(t)) return 'offline';
  return null;
}

/** "TV; Gaming", "TV, Gaming" → ["TV", "Gaming"]; a JSON array is read as one. */
export function splitList(text: string): string[] {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const parsed = JSON.parse(t) as unknown;
      if (Array.isArray(parsed)) return parsed.map((v) => String(v).trim()).filter(Boolean);
    } catch {
      // not JSON: split below
    }
  }
  const separator = t.includes(';') ? ';' : t.includes('|') ? '|' : ',';
  return [
    ...new Set(
      t
        .split(separator)
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

const maxMoney = 9_999_999_999_999.99;
const maxInt = 2_147_483_647;
export const round2 = (v: number) => Math.round((v + Number.EPSILON * Math.sign(v)) * 100) / 100;

/** Reads the data rows of one file for one kind; every problem becomes an issue with file, sheet, row and column. */
export class FileRowReader {
  readonly reading: FileReading;
  /**
   * Called before each data row with the rows checked so far; a promise it returns is awaited before the next row
   * (the import writes progress to the job row this way; return null to carry on at once).
   */
  pace: ((checked: number) => Promise<unknown> | null) | null = null;
  private readonly decimalComma: boolean;
  constructor(
    readonly grid: TabularGrid,
    readonly mapping: ResolvedMapping,
    readonly issues: IssueList,
    dateOrderOption: DateOrder | undefined,
    dateFields: string[],
  ) {
    this.decimalComma = grid.delimiter === ';';
    const columns: Record<string, string> = {};
    for (const [field, source] of Object.entries(mapping.sources)) columns[field] = describeSource(source, field);
    this.reading = { dateOrder: dateOrderOption ?? null, fractionFields: [], headerRow: mapping.headerRow, columns };
    if (!dateOrderOption) this.reading.dateOrder = this.detectDateOrder(dateFields);
  }

  issue(row: number | null, field: string | null, message: string): void {
    this.issues.add({
      file: this.grid.fileName,
      sheet: this.grid.sheetName,
      row,
      column: field ? describeSource(this.mapping.sources[field], field) : null,
      message: field ? `${field}: ${message}` : message,
    });
  }

  cell(field: string, row: GridRow): GridCell {
    return fieldCell(this.mapping.sources[field], row);
  }

  has(field: string): boolean {
    return this.mapping.sources[field] !== undefined;
  }

  /** d/m/y or m/d/y for the whole file, from the values that can only be read one way. */
  private detectDateOrder(fields: string[]): DateOrder | null {
    let dmy: GridRow | null = null;
    let mdy: GridRow | null = null;
    let field = fields[0];
    for (const f of fields) {
      if (!this.has(f)) continue;
      for (const row of this.mapping.dataRows) {
        const evidence = dateOrderEvidence(this.cell(f, row));
        if (evidence === 'dmy' && !dmy) dmy = row;
        if (evidence === 'mdy' && !mdy) mdy = row;
        if (dmy && mdy) break;
      }
      if (dmy && mdy) {
        field = f;
        break;
      }
    }
    if (dmy && mdy) {
      this.issue(
        mdy.row,
        field,
        `the file mixes day/month/year (row ${dmy.row}: ${quoteCell(this.cell(field, dmy))}) and month/day/year (row ${mdy.row}: ${quoteCell(this.cell(field, mdy))}) dates; fix the file or set dateOrder`,
      );
      return null;
    }
    return dmy ? 'dmy' : mdy ? 'mdy' : null;
  }

  /** A field holding % or fractions: fractions when every value is ≤ 1 (and one is above 0); % cells and "20%" stay %. */
  decideFraction(field: string): boolean {
    if (!this.has(field)) return false;
    let any = false;
    for (const row of this.mapping.dataRows) {
      const parsed = parseNumberCell(this.cell(field, row), { decimalComma: this.decimalComma });
      if (!parsed.ok || parsed.value.percent) continue;
      if (Math.abs(parsed.value.value) > 1) return false;
      if (parsed.value.value !== 0) any = true;
    }
    if (any) this.reading.fractionFields.push(field);
    return any;
  }

  private value<T>(row: GridRow, field: string, parsed: Parsed<T>): T | undefined {
    if (parsed.ok) return parsed.value;
    this.issue(row.row, field, parsed.message);
    return undefined;
  }

  date(row: GridRow, field: string): string | undefined {
    return this.value(row, field, parseDateCell(this.cell(field, row), { order: this.reading.dateOrder, date1904: this.grid.date1904 }));
  }

  month(row: GridRow, field: string): string | undefined {
    return this.value(row, field, parseMonthCell(this.cell(field, row), { order: this.reading.dateOrder, date1904: this.grid.date1904 }));
  }

  isEmpty(row: GridRow, field: string): boolean {
    return !this.has(field) || isEmptyCell(this.cell(field, row));
  }

  /** Money with two decimals; `exact` keeps every decimal (sales are rounded after summing, see roundSalesMoney). */
  money(row: GridRow, field: string, options: { min?: number; exact?: boolean } = {}): number | undefined {
    const parsed = parseNumberCell(this.cell(field, row), { decimalComma: this.decimalComma });
    if (!parsed.ok) return (this.value(row, field, parsed), undefined);
    const v = options.exact ? parsed.value.value : round2(parsed.value.value);
    if (Math.abs(v) > maxMoney) return (this.issue(row.row, field, `${parsed.value.value} is too large (at most 9,999,999,999,999.99)`), undefined);
    if (options.min !== undefined && v < options.min) return (this.issue(row.row, field, `${v} is below ${options.min}`), undefined);
    return v;
  }

  integer(row: GridRow, field: string, options: { min?: number } = {}): number | undefined {
    const parsed = parseNumberCell(this.cell(field, row), { decimalComma: this.decimalComma });
    if (!parsed.ok) return (this.value(row, field, parsed), undefined);
    const v = parsed.value.value;
    if (!Number.isInteger(v)) return (this.issue(row.row, field, `${v} is not a whole number`), undefined);
    if (Math.abs(v) > maxInt) return (this.issue(row.row, field, `${v} is too large for a whole-number column`), undefined);
    if (options.min !== undefined && v < options.min) return (this.issue(row.row, field, `${v} is below ${options.min}`), undefined);
    return v;
  }

  /** A percentage 0–`max` (or a fraction 0–1 when the file uses fractions), with two decimals. */
  percent(row: GridRow, field: string, fraction: boolean, max = 100, min = 0): number | undefined {
    const parsed = parseNumberCell(this.cell(field, row), { decimalComma: this.decimalComma });
    if (!parsed.ok) return (this.value(row, field, parsed), undefined);
    const { value, percent } = parsed.value;
    // A workbook cell formatted as % holds 0.2 for 20 %; text "20%" holds 20.
    const isPercentCell = percent && typeof this.cell(field, row) !== 'string' && (this.cell(field, row) as { t?: string })?.t === 'n';
    const pct = round2(isPercentCell || (fraction && !percent) ? value * 100 : value);
    if (pct < min || pct > max) {
      return (
        this.issue(row.row, field, `${cellText(this.cell(field, row))} is outside ${min}–${max} %${fraction ? ' (read as a fraction: 0.2 = 20 %)' : ''}`),
        undefined
      );
    }
    return pct;
  }

  /** A share 0–1 (fractions) or 0–100 % (converted to a fraction with four decimals). */
  share(row: GridRow, field: string, fraction: boolean): number | undefined {
    const pct = this.percent(row, field, fraction);
    return pct === undefined ? undefined : Math.round(pct * 100) / 10_000;
  }

  text(row: GridRow, field: string, maxLength: number, required: boolean): string | null | undefined {
    const text = cellText(this.cell(field, row));
    if (!text) {
      if (required) this.issue(row.row, field, 'is empty; a value is required');
      return required ? undefined : null;
    }
    if (text.length > maxLength) return (this.issue(row.row, field, `"${text.slice(0, 30)}…" is longer than ${maxLength} characters`), undefined);
    return text;
  }

  channel(row: GridRow, field: string, required: boolean): Channel | null | undefined {
    const text = cellText(this.cell(field, row));
    if (!text) {
      if (required) this.issue(row.row, field, 'is empty; online or offline is required');
      return required ? undefined : null;
    }
    const channel = normalizeChannel(text);
    if (!channel) this.issue(row.row, field, `"${text}" is not a channel (use online or offline; web/e-commerce and store/retail are understood)`);
    return channel ?? undefined;
  }

  boolean(row: GridRow, field: string): boolean | undefined {
    return this.value(row, field, parseBooleanCell(this.cell(field, row)));
  }

  origin(row: GridRow): RowOrigin {
    return { file: this.grid.fileName, sheet: this.grid.sheetName, row: row.row };
  }
}

export const dateFieldsOf: Record<ImportKind, string[]> = {
  sales: ['date'],
  'promo-catalog': ['date_start', 'date_end'],
  targets: ['month'],
  segments: [],
};

export async function readSalesRows(reader: FileRowReader, out: (record: SalesRecord) => void): Promise<void> {
  const discountFraction = reader.decideFraction('discount_pct');
  const rows = reader.mapping.dataRows;
  for (let i = 0; i < rows.length; i++) {
    const wait = reader.pace?.(i);
    if (wait) await wait;
    const row = rows[i];
    const before = reader.issues.count;
    const date = reader.date(row, 'date');
    const channel = reader.channel(row, 'channel', true);
    const department = reader.text(row, 'department', 50, true);
    const salesValue = reader.money(row, 'sales_value', { exact: true });
    const marginValue = reader.money(row, 'margin_value', { exact: true });
    const units = reader.integer(row, 'units');
    const discountPct = reader.isEmpty(row, 'discount_pct') ? null : reader.percent(row, 'discount_pct', discountFraction);
    const promoFlag = reader.isEmpty(row, 'promo_flag') ? (discountPct ?? 0) > 0 : reader.boolean(row, 'promo_flag');
    if (reader.issues.count > before) continue;
    out({
      date: date!,
      channel: channel!,
      department: department!,
      promoFlag: promoFlag!,
      discountPct: discountPct ?? null,
      salesValue: salesValue!,
      marginValue: marginValue!,
      units: units!,
      origin: reader.origin(row),
      lines: 1,
      discountWeight: discountPct !== null && discountPct !== undefined ? Math.max(salesValue!, 0) : 0,
      discountWeighted: discountPct !== null && discountPct !== undefined ? (discountPct ?? 0) * Math.max(salesValue!, 0) : 0,
      discountCount: discountPct !== null && discountPct !== undefined ? 1 : 0,
      discountSum: discountPct ?? 0,
    });
  }
}

function parseMechanics(text: string): Record<string, unknown> {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      const parsed = JSON.parse(t) as unknown;
      return Array.isArray(parsed) ? { items: parsed } : (parsed as Record<string, unknown>);
    } catch {
      // free text below
    }
  }
  return { description: t };
}

export async function readCatalogRows(reader: FileRowReader, out: (record: CatalogRecord) => void): Promise<void> {
  const discountFraction = reader.decideFraction('avg_discount_pct');
  const rows = reader.mapping.dataRows;
  for (let i = 0; i < rows.length; i++) {
    const wait = reader.pace?.(i);
    if (wait) await wait;
    const row = rows[i];
    const before = reader.issues.count;
    const promoName = reader.has('promo_name') ? reader.text(row, 'promo_name', 200, false) : null;
    const dateStart = reader.date(row, 'date_start');
    const dateEnd = reader.date(row, 'date_end');
    if (dateStart && dateEnd && dateEnd < dateStart) reader.issue(row.row, 'date_end', `${dateEnd} is before the start ${dateStart}`);
    const departments = reader.isEmpty(row, 'departments') ? null : splitList(cellText(reader.cell('departments', row)));
    let channels: string[] | null = null;
    if (!reader.isEmpty(row, 'channels')) {
      channels = [];
      for (const item of splitList(cellText(reader.cell('channels', row)))) {
        const channel = normalizeChannel(item);
        if (!channel) reader.issue(row.row, 'channels', `"${item}" is not a channel (use online or offline)`);
        else if (!channels.includes(channel)) channels.push(channel);
      }
    }
    const avgDiscountPct = reader.isEmpty(row, 'avg_discount_pct') ? null : reader.percent(row, 'avg_discount_pct', discountFraction);
    const mechanics = reader.isEmpty(row, 'mechanics') ? null : parseMechanics(cellText(reader.cell('mechanics', row)));
    if (reader.issues.count > before) continue;
    out({
      promoName: promoName ?? null,
      dateStart: dateStart!,
      dateEnd: dateEnd!,
      departments,
      channels,
      avgDiscountPct: avgDiscountPct ?? null,
      mechanics,
      sourceFile: reader.grid.fileName,
      origin: reader.origin(row),
    });
  }
}

export async function readTargetRows(reader: FileRowReader, out: (record: TargetRecord) => void): Promise<void> {
  const marginFraction = reader.decideFraction('margin_pct_target');
  const rows = reader.mapping.dataRows;
  for (let i = 0; i < rows.length; i++) {
    const wait = reader.pace?.(i);
    if (wait) await wait;
    const row = rows[i];
    const before = reader.issues.count;
    const month = reader.month(row, 'month');
    const geo = reader.text(row, 'geo', 10, true);
    const salesValueTarget = reader.money(row, 'sales_value_target');
    const marginPctTarget = reader.percent(row, 'margin_pct_target', marginFraction, 999.99, -999.99);
    const unitsTarget = reader.isEmpty(row, 'units_target') ? null : reader.integer(row, 'units_target', { min: 0 });
    const department = reader.has('department') ? reader.text(row, 'department', 50, false) : null;
    const channel = reader.has('channel') ? reader.channel(row, 'channel', false) : null;
    if (reader.issues.count > before) continue;
    out({
      month: month!,
      geo: geo!,
      salesValueTarget: salesValueTarget!,
      marginPctTarget: marginPctTarget!,
      unitsTarget: unitsTarget ?? null,
      department: department ?? null,
      channel: channel ?? null,
      origin: reader.origin(row),
    });
  }
}

const sensitivityWords: Record<string, 'low' | 'medium' | 'high'> = {
  low: 'low',
  l: 'low',
  niedrig: 'low',
  gering: 'low',
  medium: 'medium',
  m: 'medium',
  mid: 'medium',
  mittel: 'medium',
  high: 'high',
  h: 'high',
  hoch: 'high',
};

export async function readSegmentRows(reader: FileRowReader, out: (record: SegmentRecord) => void): Promise<void> {
  const customersFraction = reader.decideFraction('share_of_customers');
  const revenueFraction = reader.decideFraction('share_of_revenue');
  const rows = reader.mapping.dataRows;
  for (let i = 0; i < rows.length; i++) {
    const wait = reader.pace?.(i);
    if (wait) await wait;
    const row = rows[i];
    const before = reader.issues.count;
    const segmentId = reader.text(row, 'segment_id', 50, true);
    const name = reader.text(row, 'name', 100, true);
    const shareOfCustomers = reader.share(row, 'share_of_customers', customersFraction);
    const shareOfRevenue = reader.share(row, 'share_of_revenue', revenueFraction);
    const avgBasketValue = reader.money(row, 'avg_basket_value', { min: 0 });
    if (avgBasketValue !== undefined && avgBasketValue > 99_999_999.99)
      reader.issue(row.row, 'avg_basket_value', `${avgBasketValue} is too large (at most 99,999,999.99)`);
    const favCategories = reader.isEmpty(row, 'fav_categories') ? null : splitList(cellText(reader.cell('fav_categories', row)));
    let discountSensitivity: SegmentRecord['discountSensitivity'] = null;
    if (!reader.isEmpty(row, 'discount_sensitivity')) {
      const text = cellText(reader.cell('discount_sensitivity', row));
      discountSensitivity = sensitivityWords[text.toLowerCase()] ?? null;
      if (!discountSensitivity) reader.issue(row.row, 'discount_sensitivity', `"${text}" is not low, medium or high`);
    }
    let purchaseFrequency: number | null | undefined = null;
    if (!reader.isEmpty(row, 'purchase_frequency')) {
      purchaseFrequency = reader.money(row, 'purchase_frequency', { min: 0 });
      if (purchaseFrequency !== undefined && purchaseFrequency > 999.99)
        reader.issue(row.row, 'purchase_frequency', `${purchaseFrequency} is too large (at most 999.99)`);
    }
    const lastPurchaseDaysAgo = reader.isEmpty(row, 'last_purchase_days_ago') ? null : reader.integer(row, 'last_purchase_days_ago', { min: 0 });
    if (reader.issues.count > before) continue;
    out({
      segmentId: segmentId!,
      name: name!,
      shareOfCustomers: shareOfCustomers!,
      shareOfRevenue: shareOfRevenue!,
      avgBasketValue: avgBasketValue!,
      favCategories,
      discountSensitivity,
      purchaseFrequency: purchaseFrequency ?? null,
      lastPurchaseDaysAgo: lastPurchaseDaysAgo ?? null,
      origin: reader.origin(row),
    });
  }
}

/**
 * Rounds sales money to cents. Summed (aggregated) rows are rounded with the remainder carried along each
 * department × channel in date order, so every department's total equals the file's total to the cent and each day
 * is within a cent of its exact sum; single rows are simply rounded.
 */
export function roundSalesMoney(records: SalesRecord[], aggregated: boolean): void {
  if (!aggregated) {
    for (const r of records) {
      r.salesValue = round2(r.salesValue);
      r.marginValue = round2(r.marginValue);
    }
    return;
  }
  const groups = new Map<string, SalesRecord[]>();
  for (const r of records) {
    const key = `${r.channel}|${r.department}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : Number(a.promoFlag) - Number(b.promoFlag)));
    let salesExact = 0;
    let salesRounded = 0;
    let marginExact = 0;
    let marginRounded = 0;
    for (const r of list) {
      salesExact += r.salesValue;
      marginExact += r.marginValue;
      r.salesValue = round2(round2(salesExact) - salesRounded);
      r.marginValue = round2(round2(marginExact) - marginRounded);
      salesRounded = round2(salesRounded + r.salesValue);
      marginRounded = round2(marginRounded + r.marginValue);
    }
  }
}
