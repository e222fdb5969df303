import { parse } from 'csv-parse/sync';
import * as XLSX from 'xlsx-republish';
import { AppError } from '../errors.js';

export type GridFormat = 'csv' | 'xlsx' | 'xlsb' | 'xls';

/** A cell as read: CSV text, or the SheetJS cell object of a workbook (value, type and number format). */
export type GridCell = string | XLSX.CellObject | null | undefined;

/** One non-empty row: its number as the user sees it (CSV line, sheet row) and its cells by column index. */
export interface GridRow {
  row: number;
  cells: GridCell[];
}

export interface SheetInfo {
  name: string;
  /** visible, hidden, very hidden; chart sheets hold no cells */
  state: 'visible' | 'hidden' | 'veryHidden';
  chart: boolean;
  /** Rows with at least one value (a workbook's used range, approximately). */
  rows: number;
}

export interface TabularGrid {
  fileName: string;
  format: GridFormat;
  /** The sheet read; null for CSV. */
  sheetName: string | null;
  sheets: SheetInfo[];
  /** Workbooks in the 1904 date system (old Mac Excel) count serials from 1904-01-01. */
  date1904: boolean;
  /** The CSV's delimiter; a semicolon means a locale with a decimal comma. */
  delimiter: string | null;
  /** The text encoding a CSV was read with. */
  encoding: 'utf-8' | 'latin-1' | null;
  rows: GridRow[];
}

/** An unreadable file; `details` follows the import error shape so callers can pass it on unchanged. */
export function unreadableFile(fileName: string, reason: string, sheet: string | null = null): AppError {
  return new AppError('VALIDATION_FAILED', `${fileName} could not be read: ${reason}. Nothing was imported.`, {
    status: 400,
    details: [{ file: fileName, sheet, row: null, column: null, message: reason }],
  });
}

export function detectGridFormat(fileName: string, bytes: Uint8Array): GridFormat {
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const cfb = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (zip) return extension === 'xlsb' ? 'xlsb' : 'xlsx';
  if (cfb) return 'xls';
  if (extension === 'xlsb' || extension === 'xlsx' || extension === 'xlsm' || extension === 'xls') {
    // SheetJS would happily read random bytes as text; a workbook's extension promises a ZIP or CFB container.
    throw unreadableFile(fileName, `it is named .${extension} but is not an Excel workbook (no ZIP/CFB signature; the file may be damaged or truncated)`);
  }
  return 'csv';
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, else latin-1 (Windows exports from older tools). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'latin-1' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('latin1').decode(bytes), encoding: 'latin-1' };
  }
}

function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  // Spreadsheets in many European locales export CSV with semicolons; tabs come from copy-paste and TSV exports.
  return [',', ';', '\t', '|'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
}

function readCsvGrid(fileName: string, bytes: Uint8Array): TabularGrid {
  const { text, encoding } = decodeText(bytes);
  const delimiter = detectDelimiter(text);
  const rows: GridRow[] = [];
  let previousEnd = 0;
  let previousEmpty = 0;
  try {
    parse(text, {
      delimiter,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      on_record: (record: string[], context: { lines: number; empty_lines: number }) => {
        // csv-parse reports the line a record ends on; a quoted value can span lines, so count from the previous record.
        const row = previousEnd + 1 + (context.empty_lines - previousEmpty);
        previousEnd = context.lines;
        previousEmpty = context.empty_lines;
        if (record.some((v) => v !== '')) rows.push({ row, cells: record });
        return null;
      },
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw unreadableFile(fileName, `${line ? `line ${line}: ` : ''}${(error as Error).message}`);
  }
  return { fileName, format: 'csv', sheetName: null, sheets: [], date1904: false, delimiter, encoding, rows };
}

function cellIsEmpty(cell: GridCell): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'string') return cell.trim() === '';
  if (cell.t === 'z') return true;
  return cell.v === undefined || cell.v === null || (typeof cell.v === 'string' && cell.v.trim() === '');
}

function sheetRows(sheet: XLSX.WorkSheet): GridRow[] {
  const data = (sheet['!data'] ?? []) as (XLSX.CellObject[] | undefined)[];
  const rows: GridRow[] = [];
  for (let r = 0; r < data.length; r++) {
    const cells = data[r];
    if (!cells || cells.every(cellIsEmpty)) continue;
    rows.push({ row: r + 1, cells });
  }
  return rows;
}

const sheetStates = ['visible', 'hidden', 'veryHidden'] as const;

function readWorkbookGrid(fileName: string, bytes: Uint8Array, format: GridFormat, sheet: string | undefined): TabularGrid {
  let workbook: XLSX.WorkBook;
  try {
    // dense: rows as arrays (far less memory for big sheets); cellNF keeps number formats to tell dates from times.
    workbook = XLSX.read(bytes, { type: 'buffer', dense: true, cellNF: true, cellText: false, cellHTML: false, cellFormula: false, cellDates: false });
  } catch (error) {
    throw unreadableFile(fileName, `it is not a readable ${format.toUpperCase()} workbook (${(error as Error).message})`);
  }
  const meta = workbook.Workbook?.Sheets ?? [];
  const sheets: SheetInfo[] = workbook.SheetNames.map((name, i) => {
    const ws = workbook.Sheets[name];
    const hidden = (meta[i]?.Hidden ?? 0) as 0 | 1 | 2;
    const chart = ws?.['!type'] === 'chart';
    return { name, state: sheetStates[hidden] ?? 'visible', chart, rows: chart || !ws ? 0 : sheetRows(ws).length };
  });
  const describe = () =>
    sheets.map((s) => `${s.name} (${s.chart ? 'chart' : s.rows ? `${s.rows} rows` : 'empty'}${s.state !== 'visible' ? `, ${s.state}` : ''})`).join(', ');
  let chosen: SheetInfo | undefined;
  if (sheet !== undefined && sheet !== '') {
    chosen = sheets.find((s) => s.name === sheet) ?? sheets.find((s) => s.name.toLowerCase() === sheet.trim().toLowerCase());
    if (!chosen) throw unreadableFile(fileName, `it has no sheet named "${sheet}"; its sheets are ${describe()}`);
    if (chosen.chart) throw unreadableFile(fileName, `the sheet "${chosen.name}" is a chart sheet and holds no cells`, chosen.name);
    if (chosen.rows === 0) throw unreadableFile(fileName, `the sheet "${chosen.name}" is empty`, chosen.name);
  } else {
    // Hidden sheets usually hold lookups or scratch work, not the data a user means to import.
    chosen = sheets.find((s) => s.state === 'visible' && !s.chart && s.rows > 0);
    if (!chosen) throw unreadableFile(fileName, `no visible sheet has data; its sheets are ${describe() || 'none'} (name one with the sheet option)`);
  }
  return {
    fileName,
    format,
    sheetName: chosen.name,
    sheets,
    date1904: Boolean(workbook.Workbook?.WBProps?.date1904),
    delimiter: null,
    encoding: null,
    rows: sheetRows(workbook.Sheets[chosen.name]),
  };
}

/**
 * Reads a CSV (UTF-8 with or without BOM, else latin-1; comma, semicolon, tab or pipe) or one sheet of an
 * XLSX/XLSB/XLS workbook: the named sheet, else the first visible sheet with data. Returns the non-empty rows with
 * their row numbers as the user sees them; headers and types are the caller's business.
 */
export function readTabularGrid(fileName: string, bytes: Uint8Array, options: { sheet?: string } = {}): TabularGrid {
  if (bytes.byteLength === 0) throw unreadableFile(fileName, 'the file is empty');
  const format = detectGridFormat(fileName, bytes);
  return format === 'csv' ? readCsvGrid(fileName, bytes) : readWorkbookGrid(fileName, bytes, format, options.sheet);
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  return XLSX.utils.encode_col(index);
}

/** A → 0, AA → 26; null when the text is not a column letter (1–3 letters). */
export function columnIndexOf(letters: string): number | null {
  const text = letters.trim().toUpperCase();
  if (!/^[A-Z]{1,3}$/.test(text)) return null;
  return XLSX.utils.decode_col(text);
}

/** `Order Date`, `order-date` and ` ORDER_DATE ` all name the column order_date; umlauts fold (Menge, Umsatz €). */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
