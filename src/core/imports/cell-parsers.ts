import * as XLSX from 'xlsx-republish';
import type { GridCell } from './tabular-grid.js';

export type DateOrder = 'dmy' | 'mdy';

/** A parsed value, or what is wrong with the cell in words a user understands. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

export function isEmptyCell(cell: GridCell): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'string') return cell.trim() === '';
  if (cell.t === 'z' || cell.v === undefined || cell.v === null) return true;
  return typeof cell.v === 'string' && cell.v.trim() === '';
}

/** The cell as text: what a string field stores and what an error message quotes. */
export function cellText(cell: GridCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell.trim();
  if (cell.t === 'e') return cell.w ?? `#ERROR(${String(cell.v)})`;
  if (cell.t === 'b') return cell.v ? 'TRUE' : 'FALSE';
  if (cell.t === 'd') return isoFromDate(cell.v instanceof Date ? cell.v : new Date(String(cell.v)));
  if (cell.t === 'n' && typeof cell.v === 'number' && cell.z && cell.z !== 'General') {
    try {
      return XLSX.SSF.format(cell.z, cell.v);
    } catch {
      return String(cell.v);
    }
  }
  return cell.v === undefined || cell.v === null ? '' : String(cell.v).trim();
}

/** Quotes a cell for a message, shortened so one long value cannot swamp the error list. */
export function quoteCell(cell: GridCell): string {
  const text = cellText(cell);
  return `"${text.length > 40 ? `${text.slice(0, 37)}…` : text}"`;
}

function isoFromDate(d: Date): string {
  // SheetJS builds date cells in local time, so read their local calendar fields.
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function isoFromParts(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 9999) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Excel serial (1900 system, with Lotus' phantom 1900-02-29: serial 60) to an ISO date; 1904-system workbooks
 * count from 1904-01-01. The time of day is dropped.
 */
export function excelSerialToIso(serial: number, date1904 = false): string | null {
  const whole = Math.floor(serial + 1e-9);
  if (whole < 1 || whole > 2958465) return null;
  if (!date1904 && whole === 60) return null;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : whole < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return new Date(epoch + whole * 86_400_000).toISOString().slice(0, 10);
}

/** Reads a number format: does it show a calendar date, only a time/duration, or neither? */
export function numberFormatKind(format: string | undefined): 'date' | 'time' | 'other' {
  if (!format || format === 'General') return 'other';
  // Drop quoted literals, escapes and bracketed parts other than elapsed-time markers like [h].
  const code = format
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '')
    .toLowerCase();
  if (/[dy]/.test(code) || /(^|[^hs:])m{3,}/.test(code)) return 'date';
  if (/[hs]/.test(code) || /\[[hms]+\]/.test(code)) return 'time';
  if (/m/.test(code) && /\//.test(code)) return 'date';
  return 'other';
}

const monthNames: Record<string, number> = {
  jan: 1,
  january: 1,
  januar: 1,
  janv: 1,
  feb: 2,
  february: 2,
  februar: 2,
  mar: 3,
  march: 3,
  mär: 3,
  maerz: 3,
  märz: 3,
  apr: 4,
  april: 4,
  may: 5,
  mai: 5,
  jun: 6,
  june: 6,
  juni: 6,
  jul: 7,
  july: 7,
  juli: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  okt: 10,
  oktober: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
  dez: 12,
  dezember: 12,
};

const twoDigitYear = (y: string) => (y.length === 2 ? (Number(y) < 70 ? 2000 + Number(y) : 1900 + Number(y)) : Number(y));

const isoPattern = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$/;
const dottedPattern = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:\s.*)?$/;
const slashPattern = /^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})(?:[T\s].*)?$/;
const dayMonthNamePattern = /^(\d{1,2})[\s.-]+([a-zäA-ZÄ]{3,9})\.?[\s.,-]+(\d{2}|\d{4})$/;
const monthNameDayPattern = /^([a-zA-ZäÄ]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/;

/**
 * What a d/m/y-or-m/d/y date says about the order: 'dmy' when the first part exceeds 12 (25/03/2024), 'mdy' when the
 * second does (03/25/2024), null when both fit (03/04/2024) or the text has another form.
 */
export function dateOrderEvidence(cell: GridCell): DateOrder | null {
  if (typeof cell !== 'string' && !(cell && cell.t === 's')) return null;
  const match = slashPattern.exec(cellText(cell));
  if (!match) return null;
  const a = Number(match[1]);
  const b = Number(match[2]);
  if (a > 12 && b <= 12) return 'dmy';
  if (b > 12 && a <= 12) return 'mdy';
  return null;
}

/** True when the cell is a date written as a/b/y, whose reading depends on the date order. */
export function needsDateOrder(cell: GridCell): boolean {
  if (typeof cell !== 'string' && !(cell && cell.t === 's')) return false;
  return slashPattern.test(cellText(cell));
}

/**
 * A calendar date from a cell: ISO (2024-03-25, with or without time), d.m.y (25.03.2024), d/m/y or m/d/y (by
 * `order`), 25-Mar-2024 / Mar 25, 2024, Excel serials (a number formatted as a date, or a whole number), and true date
 * cells. A time of day or a duration (a fraction of a day, or a number formatted as [h]:mm:ss) is refused.
 */
export function parseDateCell(cell: GridCell, options: { order?: DateOrder | null; date1904?: boolean } = {}): Parsed<string> {
  if (isEmptyCell(cell)) return fail('is empty; a date is required');
  if (typeof cell !== 'string') {
    if (cell!.t === 'd') {
      const d = cell!.v instanceof Date ? cell!.v : new Date(String(cell!.v));
      return Number.isNaN(d.getTime()) ? fail(`${quoteCell(cell)} is not a valid date`) : ok(isoFromDate(d));
    }
    if (cell!.t === 'n' && typeof cell!.v === 'number') return serialDate(cell!.v, cell!.z as string | undefined, options.date1904 ?? false, cell);
    if (cell!.t === 'b') return fail(`${quoteCell(cell)} is a TRUE/FALSE value, not a date`);
    if (cell!.t === 'e') return fail(`${quoteCell(cell)} is a spreadsheet error, not a date`);
  }
  const text = cellText(cell);
  let m = isoPattern.exec(text);
  if (m) return checked(isoFromParts(Number(m[1]), Number(m[2]), Number(m[3])), cell);
  m = dottedPattern.exec(text);
  if (m) return checked(isoFromParts(twoDigitYear(m[3]), Number(m[2]), Number(m[1])), cell);
  m = slashPattern.exec(text);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const year = twoDigitYear(m[3]);
    let order = options.order ?? null;
    if (!order) {
      if (a > 12 && b <= 12) order = 'dmy';
      else if (b > 12 && a <= 12) order = 'mdy';
    }
    if (!order) {
      return fail(
        `${quoteCell(cell)} is ambiguous: it could be day/month/year or month/day/year, and no date in the file has a part above 12 to decide; set the date order (dateOrder dmy or mdy)`,
      );
    }
    const iso = order === 'dmy' ? isoFromParts(year, b, a) : isoFromParts(year, a, b);
    if (!iso) return fail(`${quoteCell(cell)} is not a valid date read as ${order === 'dmy' ? 'day/month/year' : 'month/day/year'}`);
    return ok(iso);
  }
  m = dayMonthNamePattern.exec(text);
  if (m && monthNames[m[2].toLowerCase()]) return checked(isoFromParts(twoDigitYear(m[3]), monthNames[m[2].toLowerCase()], Number(m[1])), cell);
  m = monthNameDayPattern.exec(text);
  if (m && monthNames[m[1].toLowerCase()]) return checked(isoFromParts(Number(m[3]), monthNames[m[1].toLowerCase()], Number(m[2])), cell);
  if (/^\d{5}(\.\d+)?$/.test(text)) return serialDate(Number(text), undefined, options.date1904 ?? false, cell);
  return fail(`${quoteCell(cell)} is not a date (use 2024-03-25, 25.03.2024, 25/03/2024, 03/25/2024 or an Excel date)`);
}

function checked(iso: string | null, cell: GridCell): Parsed<string> {
  return iso ? ok(iso) : fail(`${quoteCell(cell)} is not a valid calendar date`);
}

function serialDate(value: number, format: string | undefined, date1904: boolean, cell: GridCell): Parsed<string> {
  const kind = numberFormatKind(format);
  if (kind === 'time') {
    return fail(`${quoteCell(cell)} is a time or a duration (the number ${value}, formatted ${format}), not a date`);
  }
  if (value < 1) return fail(`${value} is a time of day (a fraction of a day) without a date`);
  if (kind !== 'date' && !Number.isInteger(value)) {
    return fail(`${value} has a fraction of a day but no date format: it looks like a time or a duration, not a date`);
  }
  const iso = excelSerialToIso(value, date1904);
  return iso ? ok(iso) : fail(`${value} is not a valid Excel date serial`);
}

/** Parses a whole month (2024-03, 03/2024, 2024-03-01 or any date form above) to YYYY-MM. */
export function parseMonthCell(cell: GridCell, options: { order?: DateOrder | null; date1904?: boolean } = {}): Parsed<string> {
  if (isEmptyCell(cell)) return fail('is empty; a month like 2024-03 is required');
  const text = cellText(cell);
  let m = /^(\d{4})[-/.](\d{1,2})$/.exec(text);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return ok(`${m[1]}-${m[2].padStart(2, '0')}`);
  m = /^(\d{1,2})[-/.](\d{4})$/.exec(text);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12) return ok(`${m[2]}-${m[1].padStart(2, '0')}`);
  const date = parseDateCell(cell, options);
  if (date.ok) return ok(date.value.slice(0, 7));
  return fail(`${quoteCell(cell)} is not a month (use 2024-03 or a date in the month)`);
}

/**
 * A number from a cell: workbook numbers as they are; text with thousands separators (1,234.50 or 1.234,50), a
 * currency sign, or a trailing % (reported as `percent`). `decimalComma` reads 12,5 as 12.5 (semicolon CSVs).
 */
export function parseNumberCell(cell: GridCell, options: { decimalComma?: boolean } = {}): Parsed<{ value: number; percent: boolean }> {
  if (isEmptyCell(cell)) return fail('is empty; a number is required');
  if (typeof cell !== 'string') {
    if (cell!.t === 'n' && typeof cell!.v === 'number') {
      const percent = typeof cell!.z === 'string' && cell!.z.includes('%');
      return Number.isFinite(cell!.v) ? ok({ value: cell!.v, percent }) : fail(`${quoteCell(cell)} is not a finite number`);
    }
    if (cell!.t === 'b') return fail(`${quoteCell(cell)} is a TRUE/FALSE value, not a number`);
    if (cell!.t === 'e') return fail(`${quoteCell(cell)} is a spreadsheet error, not a number`);
  }
  let text = cellText(cell)
    .replace(/[\s\u00a0\u202f']/g, '')
    .replace(/^(?:€|\$|£|EUR|USD|GBP|CHF)|(?:€|\$|£|EUR|USD|GBP|CHF)$/gi, '');
  let percent = false;
  if (text.endsWith('%')) {
    percent = true;
    text = text.slice(0, -1);
  }
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  const hasDot = text.includes('.');
  const hasComma = text.includes(',');
  if (hasDot && hasComma) {
    text = text.lastIndexOf(',') > text.lastIndexOf('.') ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  } else if (hasComma) {
    text = !options.decimalComma && /^-?\d{1,3}(,\d{3})+$/.test(text) ? text.replace(/,/g, '') : text.replace(',', '.');
  } else if (hasDot && options.decimalComma && /^-?\d{1,3}(\.\d{3})+$/.test(text)) {
    text = text.replace(/\./g, '');
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return fail(`${quoteCell(cell)} is not a number`);
  const value = Number(text) * (negative ? -1 : 1);
  return Number.isFinite(value) ? ok({ value, percent }) : fail(`${quoteCell(cell)} is not a finite number`);
}

const trueWords = new Set(['true', 'yes', 'y', 'ja', 'j', 'x', '1', 'wahr', 'promo', 'promotion', 'on']);
const falseWords = new Set(['false', 'no', 'n', 'nein', '0', 'falsch', 'off', '-']);

export function parseBooleanCell(cell: GridCell): Parsed<boolean> {
  if (isEmptyCell(cell)) return fail('is empty; TRUE or FALSE is required');
  if (typeof cell !== 'string' && cell!.t === 'b') return ok(Boolean(cell!.v));
  if (typeof cell !== 'string' && cell!.t === 'n') {
    if (cell!.v === 1 || cell!.v === 0) return ok(cell!.v === 1);
    return fail(`${quoteCell(cell)} is not a yes/no value (use TRUE/FALSE, yes/no or 1/0)`);
  }
  const text = cellText(cell).toLowerCase();
  if (trueWords.has(text)) return ok(true);
  if (falseWords.has(text)) return ok(false);
  return fail(`${quoteCell(cell)} is not a yes/no value (use TRUE/FALSE, yes/no or 1/0)`);
}
