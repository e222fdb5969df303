import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx-republish';
import { parseDayHours } from '../org-structure/opening-hours-input.js';
import { parseBooleanCell, parseDateCell, parseNumberCell, parseTimeCell, parseTimestampCell } from './cell-values.js';
import { normalizeHeader, readTabularFile } from './tabular-file.js';

const csv = { spreadsheet: false };
const sheet = { spreadsheet: true };

describe('cell values', () => {
  it('reads numbers, with thousands separators but not ambiguous European forms', () => {
    expect(parseNumberCell('1,234.5')).toEqual({ ok: true, value: 1234.5 });
    expect(parseNumberCell(' -12 ')).toEqual({ ok: true, value: -12 });
    expect(parseNumberCell('1e3')).toEqual({ ok: true, value: 1000 });
    expect(parseNumberCell(42)).toEqual({ ok: true, value: 42 });
    for (const bad of ['1.234,5', '12,34', 'twelve', '$5', '']) expect(parseNumberCell(bad).ok).toBe(false);
  });

  it('reads ISO dates everywhere and Excel serials only in spreadsheets', () => {
    expect(parseDateCell('2026-03-02', csv)).toEqual({ ok: true, value: '2026-03-02' });
    expect(parseDateCell(46083, sheet)).toEqual({ ok: true, value: '2026-03-02' });
    expect(parseDateCell(46083.75, sheet)).toEqual({ ok: true, value: '2026-03-02' });
    expect(parseDateCell(46083, csv).ok).toBe(false);
    expect(parseDateCell('2026-02-30', csv).ok).toBe(false);
    const usDate = parseDateCell('03/02/2026', csv);
    expect(usDate.ok ? null : usDate.message).toMatch(/write dates as YYYY-MM-DD/);
  });

  it('reads times, date-times in store time or with an offset, and yes/no', () => {
    expect(parseTimeCell('9:05', csv)).toEqual({ ok: true, value: '09:05' });
    expect(parseTimeCell(0.375, sheet)).toEqual({ ok: true, value: '09:00' });
    expect(parseTimeCell('25:00', csv).ok).toBe(false);
    const local = parseTimestampCell('2026-07-01 09:30', { spreadsheet: false, timezone: 'America/New_York' });
    expect(local.ok && local.value.toISOString()).toBe('2026-07-01T13:30:00.000Z');
    const zoned = parseTimestampCell('2026-07-01T09:30:00+02:00', { spreadsheet: false, timezone: 'America/New_York' });
    expect(zoned.ok && zoned.value.toISOString()).toBe('2026-07-01T07:30:00.000Z');
    const serial = parseTimestampCell(46083.5, { spreadsheet: true, timezone: 'Europe/Berlin' });
    expect(serial.ok && serial.value.toISOString()).toBe('2026-03-02T11:00:00.000Z');
    expect(parseTimestampCell('yesterday noon', { spreadsheet: false, timezone: 'UTC' }).ok).toBe(false);
    expect([parseBooleanCell('Yes'), parseBooleanCell('0'), parseBooleanCell(true)].map((p) => p.ok && p.value)).toEqual([true, false, true]);
    expect(parseBooleanCell('maybe').ok).toBe(false);
  });

  it('reads opening hours per day', () => {
    expect(parseDayHours('9:00-17:30')).toEqual({ ok: true, value: [{ open: '09:00', close: '17:30' }] });
    expect(parseDayHours('10:00-14:00; 15:00-24:00')).toEqual({
      ok: true,
      value: [
        { open: '10:00', close: '14:00' },
        { open: '15:00', close: '00:00' },
      ],
    });
    expect(parseDayHours('Closed')).toEqual({ ok: true, value: [] });
    expect(parseDayHours('22:00-02:00')).toEqual({ ok: true, value: [{ open: '22:00', close: '02:00' }] });
    expect(parseDayHours('9-5').ok).toBe(false);
    expect(parseDayHours('09:00-13:00, 12:00-18:00').ok).toBe(false);
  });
});

describe('reading files', () => {
  it('normalizes headers', () => {
    expect(['Store Code', ' KPI-code ', 'metric_date', 'Value (USD)'].map(normalizeHeader)).toEqual(['store_code', 'kpi_code', 'metric_date', 'value_usd']);
  });

  it('numbers CSV rows by their line in the file, across blank lines and quoted line breaks', () => {
    const text = '\uFEFFstore_code;note\n\nS1;"two\nlines"\nS2;plain\n';
    const file = readTabularFile('x.csv', Buffer.from(text));
    expect(file.headers).toEqual(['store_code', 'note']);
    expect(file.rows).toEqual([
      { row: 3, cells: { store_code: 'S1', note: 'two\nlines' } },
      { row: 5, cells: { store_code: 'S2', note: 'plain' } },
    ]);
  });

  it('reads the first sheet of a workbook with its row numbers, whatever the file is called', () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([[], ['Store Code', 'Value'], ['S1', 5], [], ['S2', '7']]), 'First');
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['ignored']]), 'Second');
    for (const bookType of ['xlsx', 'biff8'] as const) {
      const file = readTabularFile('upload.csv', XLSX.write(book, { type: 'buffer', bookType }) as Buffer);
      expect(file).toMatchObject({ sheetName: 'First', headers: ['store_code', 'value'], columnLetters: { store_code: 'A', value: 'B' } });
      expect(file.rows).toEqual([
        { row: 3, cells: { store_code: 'S1', value: 5 } },
        { row: 5, cells: { store_code: 'S2', value: '7' } },
      ]);
    }
  });

  it('refuses a header that names a column twice', () => {
    expect(() => readTabularFile('x.csv', Buffer.from('Store Code,store_code\nA,B\n'))).toThrow(/names the column "store_code" twice/);
  });
});
