import { describe, expect, it } from 'vitest';
import { dateOrderEvidence, excelSerialToIso, numberFormatKind, parseBooleanCell, parseDateCell, parseMonthCell, parseNumberCell } from './cell-parsers.js';
import { columnIndexOf, columnLetter, decodeText, normalizeHeader, readTabularGrid } from './tabular-grid.js';

const value = <T>(parsed: { ok: true; value: T } | { ok: false; message: string }) => (parsed.ok ? parsed.value : `error: ${parsed.message}`);

describe('dates', () => {
  it('reads ISO, d.m.y, month names and both slash orders when the order is known', () => {
    expect(value(parseDateCell('2024-03-25'))).toBe('2024-03-25');
    expect(value(parseDateCell('2024-03-25T10:00:00Z'))).toBe('2024-03-25');
    expect(value(parseDateCell('2024/3/5'))).toBe('2024-03-05');
    expect(value(parseDateCell('25.03.2024'))).toBe('2024-03-25');
    expect(value(parseDateCell('5.3.24'))).toBe('2024-03-05');
    expect(value(parseDateCell('25-Mar-2024'))).toBe('2024-03-25');
    expect(value(parseDateCell('Mar 25, 2024'))).toBe('2024-03-25');
    expect(value(parseDateCell('3. Dezember 2024'))).toBe('2024-12-03');
    expect(value(parseDateCell('03/04/2024', { order: 'dmy' }))).toBe('2024-04-03');
    expect(value(parseDateCell('03/04/2024', { order: 'mdy' }))).toBe('2024-03-04');
    expect(value(parseDateCell('11/8/2018 0:00', { order: 'mdy' }))).toBe('2018-11-08');
  });

  it('decides the order from a part above 12 and otherwise says the date is ambiguous', () => {
    expect(value(parseDateCell('25/03/2024'))).toBe('2024-03-25');
    expect(value(parseDateCell('03/25/2024'))).toBe('2024-03-25');
    expect(value(parseDateCell('03/04/2024'))).toMatch(/^error: "03\/04\/2024" is ambiguous.*dateOrder/);
    expect(dateOrderEvidence('25/03/2024')).toBe('dmy');
    expect(dateOrderEvidence('03/25/2024')).toBe('mdy');
    expect(dateOrderEvidence('03/04/2024')).toBeNull();
    expect(value(parseDateCell('25/03/2024', { order: 'mdy' }))).toBe('error: "25/03/2024" is not a valid date read as month/day/year');
  });

  it('refuses impossible dates and text', () => {
    expect(value(parseDateCell('2024-02-30'))).toBe('error: "2024-02-30" is not a valid calendar date');
    expect(value(parseDateCell('2023-02-29'))).toMatch(/not a valid calendar date/);
    expect(value(parseDateCell('2024-02-29'))).toBe('2024-02-29');
    expect(value(parseDateCell('next monday'))).toMatch(/^error: "next monday" is not a date/);
    expect(value(parseDateCell(''))).toBe('error: is empty; a date is required');
  });

  it('reads Excel serials in the 1900 system (with the phantom 29 Feb 1900) and the 1904 system', () => {
    expect(excelSerialToIso(44197)).toBe('2021-01-01');
    expect(excelSerialToIso(1)).toBe('1900-01-01');
    expect(excelSerialToIso(59)).toBe('1900-02-28');
    expect(excelSerialToIso(61)).toBe('1900-03-01');
    expect(excelSerialToIso(60)).toBeNull();
    expect(excelSerialToIso(0, true)).toBeNull();
    expect(excelSerialToIso(42736, true)).toBe('2021-01-02');
    expect(value(parseDateCell({ t: 'n', v: 44197.75, z: 'yyyy-mm-dd hh:mm' }))).toBe('2021-01-01');
    expect(value(parseDateCell({ t: 'n', v: 45000 }))).toBe('2023-03-15');
    expect(value(parseDateCell('45000'))).toBe('2023-03-15');
  });

  it('refuses a time of day or a duration in a date column, saying what it is', () => {
    expect(value(parseDateCell({ t: 'n', v: 10.6320601851852, z: '[hh]:mm:ss' }))).toBe(
      'error: "255:10:10" is a time or a duration (the number 10.6320601851852, formatted [hh]:mm:ss), not a date',
    );
    expect(value(parseDateCell({ t: 'n', v: 0.63, z: 'General' }))).toBe('error: 0.63 is a time of day (a fraction of a day) without a date');
    expect(value(parseDateCell({ t: 'n', v: 10.63 }))).toBe(
      'error: 10.63 has a fraction of a day but no date format: it looks like a time or a duration, not a date',
    );
    expect(value(parseDateCell({ t: 'b', v: true }))).toBe('error: "TRUE" is a TRUE/FALSE value, not a date');
  });

  it('tells date formats from time formats', () => {
    expect(numberFormatKind('yyyy\\-mm\\-dd')).toBe('date');
    expect(numberFormatKind('m/d/yy')).toBe('date');
    expect(numberFormatKind('[$-409]mmmm d, yyyy')).toBe('date');
    expect(numberFormatKind('[hh]:mm:ss')).toBe('time');
    expect(numberFormatKind('h:mm AM/PM')).toBe('time');
    expect(numberFormatKind('mm:ss')).toBe('time');
    expect(numberFormatKind('0.00%')).toBe('other');
    expect(numberFormatKind('[Red]#,##0.00')).toBe('other');
    expect(numberFormatKind('General')).toBe('other');
  });

  it('reads months as YYYY-MM, MM/YYYY or any date in the month', () => {
    expect(value(parseMonthCell('2025-1'))).toBe('2025-01');
    expect(value(parseMonthCell('03/2025'))).toBe('2025-03');
    expect(value(parseMonthCell('15.03.2025'))).toBe('2025-03');
    expect(value(parseMonthCell('2025-13'))).toMatch(/^error: "2025-13" is not a month/);
  });
});

describe('numbers and booleans', () => {
  it('reads thousands separators both ways, currency, % and accounting negatives', () => {
    expect(value(parseNumberCell('1,234.50'))).toEqual({ value: 1234.5, percent: false });
    expect(value(parseNumberCell('1.234,50'))).toEqual({ value: 1234.5, percent: false });
    expect(value(parseNumberCell('12,5'))).toEqual({ value: 12.5, percent: false });
    expect(value(parseNumberCell('1,234'))).toEqual({ value: 1234, percent: false });
    expect(value(parseNumberCell('1,234', { decimalComma: true }))).toEqual({ value: 1.234, percent: false });
    expect(value(parseNumberCell('1.234', { decimalComma: true }))).toEqual({ value: 1234, percent: false });
    expect(value(parseNumberCell('€ 1 200'))).toEqual({ value: 1200, percent: false });
    expect(value(parseNumberCell('20%'))).toEqual({ value: 20, percent: true });
    expect(value(parseNumberCell('(15.5)'))).toEqual({ value: -15.5, percent: false });
    expect(value(parseNumberCell({ t: 'n', v: 0.2, z: '0%' }))).toEqual({ value: 0.2, percent: true });
    expect(value(parseNumberCell('12 apples'))).toBe('error: "12 apples" is not a number');
    expect(value(parseNumberCell({ t: 'e', v: 7, w: '#DIV/0!' }))).toBe('error: "#DIV/0!" is a spreadsheet error, not a number');
  });

  it('reads yes/no in English and German', () => {
    expect(value(parseBooleanCell('Ja'))).toBe(true);
    expect(value(parseBooleanCell('no'))).toBe(false);
    expect(value(parseBooleanCell({ t: 'n', v: 1 }))).toBe(true);
    expect(value(parseBooleanCell('maybe'))).toMatch(/not a yes\/no value/);
  });
});

describe('reading files', () => {
  it('decodes latin-1 when the bytes are not UTF-8, and drops a BOM', () => {
    expect(decodeText(Buffer.from([0x4d, 0xe4, 0x72, 0x7a]))).toEqual({ text: 'März', encoding: 'latin-1' });
    expect(decodeText(Buffer.from('\uFEFFDatum', 'utf8'))).toEqual({ text: 'Datum', encoding: 'utf-8' });
  });

  it('reads semicolon and tab CSVs with line numbers as the user sees them (quoted line breaks, blank lines)', () => {
    const grid = readTabularGrid('x.csv', Buffer.from('a;b\n1;"two\nlines"\n\n3;4\n'));
    expect(grid.delimiter).toBe(';');
    expect(grid.rows.map((r) => [r.row, r.cells])).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'two\nlines']],
      [5, ['3', '4']],
    ]);
    expect(readTabularGrid('x.tsv', Buffer.from('a\tb\n1\t2\n')).rows[1].cells).toEqual(['1', '2']);
  });

  it('refuses a file named .xlsb that is not a workbook, and an empty file', () => {
    expect(() => readTabularGrid('x.xlsb', Buffer.from('date,sales\n'))).toThrow(/is named .xlsb but is not an Excel workbook/);
    expect(() => readTabularGrid('x.csv', Buffer.alloc(0))).toThrow(/the file is empty/);
  });

  it('normalizes headers and converts column letters', () => {
    expect(normalizeHeader(' Order Date ')).toBe('order_date');
    expect(normalizeHeader('Stück')).toBe('stuck');
    expect(normalizeHeader('Umsatz €')).toBe('umsatz');
    expect(columnLetter(27)).toBe('AB');
    expect(columnIndexOf('ab')).toBe(27);
    expect(columnIndexOf('Order')).toBeNull();
  });
});
