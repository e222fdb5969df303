import * as XLSX from 'xlsx-republish';
import { isIsoDate, zonedInstant, type IsoDate } from '../shared/dates.js';

/** One cell as a file or a JSON batch gives it: text from CSV, typed values from spreadsheets and JSON. */
export type CellValue = string | number | boolean | null;

/** A parsed value, or the sentence that tells the user what was wrong and what is expected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

export function isBlank(value: CellValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** How a value reads back to the user inside an error message. */
export function showValue(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '(empty)';
  return typeof value === 'string' ? `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"` : String(value);
}

const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// "1,234.5": thousands separators as spreadsheets export them; "1.234,5" stays an error because it is ambiguous.
const groupedNumber = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

export function parseNumberCell(value: CellValue): Parsed<number> {
  if (typeof value === 'number') return Number.isFinite(value) ? ok(value) : fail(`${showValue(value)} is not a finite number.`);
  if (typeof value === 'boolean') return fail(`${showValue(value)} is not a number.`);
  const text = (value ?? '').trim();
  if (plainNumber.test(text)) return ok(Number(text));
  if (groupedNumber.test(text)) return ok(Number(text.replace(/,/g, '')));
  return fail(`${showValue(value)} is not a number; write it like 1234.5 or 1,234.5.`);
}

export function parseWholeNumberCell(value: CellValue): Parsed<number> {
  const parsed = parseNumberCell(value);
  if (!parsed.ok) return parsed;
  return Number.isInteger(parsed.value) ? parsed : fail(`${showValue(value)} is not a whole number.`);
}

/** Excel stores dates as days since 1899-12-30 (with the 1900 leap-year bug SheetJS accounts for). */
function excelSerialToDate(serial: number): Parsed<IsoDate> {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return fail(`${serial} is not an Excel date.`);
  const code = XLSX.SSF.parse_date_code(serial);
  const date = `${String(code.y).padStart(4, '0')}-${String(code.m).padStart(2, '0')}-${String(code.d).padStart(2, '0')}`;
  return isIsoDate(date) ? ok(date) : fail(`${serial} is not an Excel date.`);
}

/**
 * ISO dates (YYYY-MM-DD) everywhere, and Excel date cells (serial numbers) in spreadsheets. Other forms such as
 * 03/02/2026 are refused: whether that is March or February depends on the country the file came from.
 */
export function parseDateCell(value: CellValue, options: { spreadsheet: boolean }): Parsed<IsoDate> {
  if (typeof value === 'number') {
    if (options.spreadsheet) return excelSerialToDate(value);
    return fail(`${showValue(value)} is not a date; write dates as YYYY-MM-DD (e.g. 2026-03-02).`);
  }
  const text = typeof value === 'string' ? value.trim() : '';
  if (isIsoDate(text)) return ok(text);
  return fail(`${showValue(value)} is not a date; write dates as YYYY-MM-DD (e.g. 2026-03-02).`);
}

const timePattern = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** A wall-clock time as HH:MM; spreadsheets store times as fractions of a day. */
export function parseTimeCell(value: CellValue, options: { spreadsheet: boolean }): Parsed<string> {
  if (typeof value === 'number' && options.spreadsheet && value >= 0 && value < 1) {
    const minutes = Math.round(value * 1440);
    return ok(`${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
  }
  const match = typeof value === 'string' ? timePattern.exec(value.trim()) : null;
  if (match && Number(match[1]) < 24 && Number(match[2]) < 60 && Number(match[3] ?? 0) < 60) {
    return ok(`${match[1].padStart(2, '0')}:${match[2]}`);
  }
  return fail(`${showValue(value)} is not a time; write times as HH:MM (e.g. 09:30).`);
}

const zonedTimestamp = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})$/;
const localTimestamp = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2})(?::(\d{2}))?$/;

/**
 * A moment in time. With an offset (2026-03-02T09:30:00Z) it is taken as written; without one
 * (2026-03-02 09:30, or an Excel date-time) it is the store's local wall-clock time.
 */
export function parseTimestampCell(value: CellValue, options: { spreadsheet: boolean; timezone: string }): Parsed<Date> {
  const expected = 'write date-times as YYYY-MM-DD HH:MM in store time, or ISO 8601 with an offset (2026-03-02T09:30:00Z).';
  if (typeof value === 'number') {
    if (!options.spreadsheet) return fail(`${showValue(value)} is not a date-time; ${expected}`);
    const date = excelSerialToDate(value);
    if (!date.ok) return fail(`${showValue(value)} is not a date-time; ${expected}`);
    const seconds = Math.round((value - Math.floor(value)) * 86_400);
    const hhmm = `${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}`;
    return ok(new Date(zonedInstant(date.value, hhmm, options.timezone).getTime() + (seconds % 60) * 1000));
  }
  const text = typeof value === 'string' ? value.trim() : '';
  const zoned = zonedTimestamp.exec(text);
  if (zoned && isIsoDate(zoned[1])) {
    const instant = new Date(text.replace(' ', 'T'));
    if (!Number.isNaN(instant.getTime())) return ok(instant);
  }
  const local = localTimestamp.exec(text);
  if (local && isIsoDate(local[1])) {
    const time = parseTimeCell(`${local[2]}:${local[3] ?? '00'}`, { spreadsheet: false });
    if (time.ok) return ok(new Date(zonedInstant(local[1], time.value, options.timezone).getTime() + Number(local[3] ?? 0) * 1000));
  }
  if (isIsoDate(text)) return ok(zonedInstant(text, '00:00', options.timezone));
  return fail(`${showValue(value)} is not a date-time; ${expected}`);
}

const truthy = new Set(['true', 'yes', 'y', '1', 'x']);
const falsy = new Set(['false', 'no', 'n', '0']);

export function parseBooleanCell(value: CellValue): Parsed<boolean> {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'number' && (value === 0 || value === 1)) return ok(value === 1);
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (truthy.has(text)) return ok(true);
  if (falsy.has(text)) return ok(false);
  return fail(`${showValue(value)} is not yes/no; write true or false (yes/no, 1/0 also work).`);
}

export function parseTextCell(value: CellValue): string {
  if (value === null) return '';
  return typeof value === 'string' ? value.trim() : String(value);
}
