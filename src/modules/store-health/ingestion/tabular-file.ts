import { parse } from 'csv-parse/sync';
import * as XLSX from 'xlsx-republish';
import { AppError } from '../../../core/errors.js';
import type { CellValue } from './cell-values.js';

export type TabularFormat = 'csv' | 'xlsx' | 'xls';

/** One data row: its number as the user sees it (file line, or sheet row) and its cells by normalized header. */
export interface TabularRow {
  row: number;
  cells: Record<string, CellValue>;
}

export interface TabularFile {
  format: TabularFormat;
  /** The sheet read from a workbook (always the first); null for CSV. */
  sheetName: string | null;
  /** Normalized header names in file order. */
  headers: string[];
  /** Column letter of each normalized header in a workbook, for cell references such as C7. */
  columnLetters: Record<string, string>;
  rows: TabularRow[];
}

/** `Store Code`, `store-code` and ` STORE_CODE ` all name the column store_code. */
export function normalizeHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function unreadable(fileName: string, reason: string): AppError {
  return new AppError('VALIDATION_FAILED', `${fileName} could not be read: ${reason}. Nothing was imported.`, {
    status: 400,
    details: [{ row: 1, column: '', path: 'file', message: reason }],
  });
}

export function detectFormat(fileName: string, bytes: Uint8Array): TabularFormat {
  // Content first: a workbook renamed to .csv is still a workbook.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  const extension = fileName.toLowerCase().split('.').pop();
  if (extension === 'xlsx' || extension === 'xlsm' || extension === 'xlsb') return 'xlsx';
  if (extension === 'xls') return 'xls';
  return 'csv';
}

function checkHeaders(fileName: string, raw: string[]): string[] {
  const headers = raw.map((h) => normalizeHeader(h));
  const seen = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!h) return;
    if (seen.has(h)) throw unreadable(fileName, `the header row names the column "${raw[i].trim()}" twice (columns ${seen.get(h)! + 1} and ${i + 1})`);
    seen.set(h, i);
  });
  return headers;
}

function readCsv(fileName: string, bytes: Uint8Array): TabularFile {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  // Spreadsheets in many European locales export CSV with semicolons; tabs come from copy-paste.
  const delimiter = [',', ';', '\t'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true, delimiter }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw unreadable(fileName, `${line ? `line ${line}: ` : ''}${(error as Error).message}`);
  }
  if (records.length === 0) throw unreadable(fileName, 'the file is empty; the first line must name the columns');
  const headers = checkHeaders(fileName, records[0].record);
  const rows: TabularRow[] = [];
  let previousEnd = records[0].info.lines;
  let previousEmpty = records[0].info.empty_lines;
  for (const { record, info } of records.slice(1)) {
    // csv-parse reports the line a record ends on; a quoted value can span lines, so count from the previous record.
    const row = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
    const cells: Record<string, CellValue> = {};
    headers.forEach((h, i) => {
      if (h) cells[h] = record[i] ?? '';
    });
    if (record.some((v) => v !== '')) rows.push({ row, cells });
  }
  return { format: 'csv', sheetName: null, headers: headers.filter(Boolean), columnLetters: {}, rows };
}

function cellValue(cell: XLSX.CellObject | undefined): CellValue {
  if (!cell || cell.t === 'z') return null;
  if (cell.t === 'n') return typeof cell.v === 'number' ? cell.v : null;
  if (cell.t === 'b') return Boolean(cell.v);
  if (cell.t === 'd') {
    // A true date cell; SheetJS builds it in local time, so read its local calendar fields.
    const d = cell.v instanceof Date ? cell.v : new Date(String(cell.v));
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }
  if (cell.t === 'e') return cell.w ?? '#ERROR';
  return cell.v === undefined || cell.v === null ? null : String(cell.v).trim();
}

function readWorkbook(fileName: string, bytes: Uint8Array, format: TabularFormat): TabularFile {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, { type: 'buffer', cellDates: false, cellHTML: false, cellFormula: false });
  } catch (error) {
    throw unreadable(fileName, `it is not a readable ${format.toUpperCase()} workbook (${(error as Error).message})`);
  }
  const sheetName = workbook.SheetNames[0];
  const sheet = sheetName ? workbook.Sheets[sheetName] : undefined;
  if (!sheet || !sheet['!ref']) throw unreadable(fileName, 'the first sheet is empty; its first row must name the columns');
  const range = XLSX.utils.decode_range(sheet['!ref']);
  const rowCells = (r: number) => {
    const values: CellValue[] = [];
    for (let c = range.s.c; c <= range.e.c; c++) values.push(cellValue(sheet[XLSX.utils.encode_cell({ r, c })]));
    return values;
  };
  let headerRow = range.s.r;
  while (headerRow <= range.e.r && rowCells(headerRow).every((v) => v === null || v === '')) headerRow++;
  if (headerRow > range.e.r) throw unreadable(fileName, 'the first sheet is empty; its first row must name the columns');
  const rawHeaders = rowCells(headerRow).map((v) => (v === null ? '' : String(v)));
  const headers = checkHeaders(fileName, rawHeaders);
  const columnLetters: Record<string, string> = {};
  headers.forEach((h, i) => {
    if (h) columnLetters[h] = XLSX.utils.encode_col(range.s.c + i);
  });
  const rows: TabularRow[] = [];
  for (let r = headerRow + 1; r <= range.e.r; r++) {
    const values = rowCells(r);
    if (values.every((v) => v === null || v === '')) continue;
    const cells: Record<string, CellValue> = {};
    headers.forEach((h, i) => {
      if (h) cells[h] = values[i];
    });
    rows.push({ row: r + 1, cells });
  }
  return { format, sheetName, headers: headers.filter(Boolean), columnLetters, rows };
}

/** Reads a CSV (header line, BOM, trimmed cells) or the first sheet of an XLSX/XLS workbook (header row). */
export function readTabularFile(fileName: string, bytes: Uint8Array): TabularFile {
  const format = detectFormat(fileName, bytes);
  return format === 'csv' ? readCsv(fileName, bytes) : readWorkbook(fileName, bytes, format);
}
