import { and, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { AppError } from '../../../core/errors.js';
import { kpiDefinitions, stores } from '../schema.js';
import { isBlank, showValue, type CellValue } from './cell-values.js';
import type { TabularFile } from './tabular-file.js';

/** The columns one kind of input has: the file header name and the JSON field of the batch API. */
export interface ColumnSpec {
  column: string;
  field: string;
  required: boolean;
}

/**
 * Where a problem is: for a file the 1-based row (the header is row 1; the sheet row in a workbook) and the
 * column; for a JSON batch the item number and field, with `path` as the request validator writes it.
 */
export interface RowIssue {
  row: number;
  column: string;
  message: string;
  path: string;
  sheet?: string;
  cell?: string;
}

/** Rows from a file or a JSON batch, in one shape so both go through the same validation. */
export interface InputRows {
  label: string;
  spreadsheet: boolean;
  /** How messages name a row: "rows 3 and 7" in a file, "items 3 and 7" in a batch. */
  rowWord: 'rows' | 'items';
  rows: { row: number; cells: Record<string, CellValue> }[];
  locate(index: number, column: string): Omit<RowIssue, 'message'>;
}

export const maxReportedIssues = 100;

export function rowsFromFile(fileName: string, file: TabularFile): InputRows {
  return {
    label: fileName,
    spreadsheet: file.format !== 'csv',
    rowWord: 'rows',
    rows: file.rows,
    locate: (index, column) => {
      const row = index < 0 ? 1 : file.rows[index].row;
      const letter = file.columnLetters[column];
      return {
        row,
        column,
        path: `row ${row}.${column}`,
        ...(file.sheetName ? { sheet: file.sheetName } : {}),
        ...(file.sheetName && letter ? { cell: `${letter}${row}` } : {}),
      };
    },
  };
}

export function rowsFromBatch(listKey: string, items: Record<string, unknown>[], columns: ColumnSpec[]): InputRows {
  const fieldOf = new Map(columns.map((c) => [c.column, c.field]));
  return {
    label: 'The batch',
    spreadsheet: false,
    rowWord: 'items',
    rows: items.map((item, index) => {
      const cells: Record<string, CellValue> = {};
      for (const { column, field } of columns) {
        const value = item[field];
        cells[column] = value === undefined ? null : (value as CellValue);
      }
      return { row: index + 1, cells };
    }),
    locate: (index, column) => {
      const field = fieldOf.get(column) ?? column;
      return { row: index + 1, column: field, path: index < 0 ? listKey : `${listKey}.${index}.${field}` };
    },
  };
}

/** Collects row problems (the first 100) so a user fixes a file in one pass rather than one error per upload. */
export class IssueCollector {
  readonly issues: RowIssue[] = [];
  private total = 0;

  constructor(private readonly input: InputRows) {}

  add(index: number, column: string, message: string): void {
    this.total++;
    if (this.issues.length < maxReportedIssues) this.issues.push({ ...this.input.locate(index, column), message });
  }

  get full(): boolean {
    return this.issues.length >= maxReportedIssues;
  }

  throwIfAny(): void {
    if (this.total === 0) return;
    const first = this.issues[0];
    const where = first.path.startsWith('row ') ? `row ${first.row}, column ${first.column}` : first.path;
    // Checking stops at the limit, so a full list means "at least this many".
    const more = this.full
      ? ` (checking stopped after ${maxReportedIssues} problems; they are all listed)`
      : this.total > 1
        ? ` (and ${this.total - 1} more problem${this.total > 2 ? 's' : ''})`
        : '';
    throw new AppError('VALIDATION_FAILED', `${this.input.label}: nothing was imported. ${where}: ${first.message}${more}`, {
      status: 400,
      details: this.issues,
    });
  }
}

/** A file must carry every required column; extra columns are ignored. */
export function checkRequiredColumns(input: InputRows, headers: string[], columns: ColumnSpec[]): void {
  const issues = new IssueCollector(input);
  const present = new Set(headers);
  const known = columns.map((c) => c.column).join(', ');
  for (const spec of columns) {
    if (spec.required && !present.has(spec.column)) {
      issues.add(-1, spec.column, `The header row has no "${spec.column}" column. Expected columns: ${known}.`);
    }
  }
  issues.throwIfAny();
}

export function requiredCell(issues: IssueCollector, index: number, cells: Record<string, CellValue>, column: string): CellValue | undefined {
  const value = cells[column];
  if (isBlank(value)) {
    issues.add(index, column, `${column} is empty; every row needs one.`);
    return undefined;
  }
  return value;
}

export interface StoreRef {
  id: string;
  storeCode: string;
  timezone: string;
}

/** Store codes of the organization; exact match first, then case-insensitive when that is unambiguous. */
export async function loadStoreLookup(ctx: ServiceContext): Promise<(code: string) => StoreRef | undefined> {
  const rows = await ctx.db
    .select({ id: stores.id, storeCode: stores.storeCode, timezone: stores.timezone })
    .from(stores)
    .where(eq(stores.organizationId, ctx.organization.id));
  return codeLookup(rows, (r) => r.storeCode);
}

export interface KpiRef {
  id: string;
  kpiCode: string;
}

export async function loadKpiLookup(ctx: ServiceContext): Promise<(code: string) => KpiRef | undefined> {
  const rows = await ctx.db
    .select({ id: kpiDefinitions.id, kpiCode: kpiDefinitions.kpiCode })
    .from(kpiDefinitions)
    .where(and(eq(kpiDefinitions.organizationId, ctx.organization.id)));
  return codeLookup(rows, (r) => r.kpiCode);
}

function codeLookup<T>(rows: T[], codeOf: (row: T) => string): (code: string) => T | undefined {
  const exact = new Map(rows.map((r) => [codeOf(r), r]));
  const folded = new Map<string, T | null>();
  for (const r of rows) {
    const key = codeOf(r).toLowerCase();
    folded.set(key, folded.has(key) ? null : r);
  }
  return (code) => exact.get(code) ?? folded.get(code.toLowerCase()) ?? undefined;
}

export function unknownCodeMessage(what: 'store' | 'KPI', value: CellValue): string {
  return what === 'store'
    ? `There is no store with code ${showValue(value)} in this organization; add the store first or fix the code.`
    : `There is no KPI with code ${showValue(value)} in this organization; define the KPI first or fix the code.`;
}

/** The earliest and latest of a list of ISO dates. */
export function dateSpan(dates: Iterable<string>): { from: string; to: string } | null {
  let from: string | null = null;
  let to: string | null = null;
  for (const d of dates) {
    if (from === null || d < from) from = d;
    if (to === null || d > to) to = d;
  }
  return from && to ? { from, to } : null;
}
