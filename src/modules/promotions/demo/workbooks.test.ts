import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx-republish';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../shared/dates.js';
import { simulateDemoSales, type DemoSimulation } from './simulation.js';
import { excelSerial, salesHeaders, writeDemoWorkbooks, type DemoWorkbook } from './workbooks.js';

let dir: string;
let sim: DemoSimulation;
let written: DemoWorkbook[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'promotions-demo-'));
  sim = simulateDemoSales({ endDate: '2026-03-31', years: 1.5 });
  written = await writeDemoWorkbooks(path.join(dir, 'demo-imports'), sim);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readBack(file: string, options: XLSX.ParsingOptions = {}) {
  const bytes = await readFile(path.join(dir, 'demo-imports', file));
  const book = XLSX.read(bytes, { type: 'buffer', ...options });
  const sheet = book.Sheets[book.SheetNames[0]];
  return { book, sheet, rows: XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, blankrows: false }) };
}

describe('demo import workbooks', () => {
  it('writes real .xlsb files: two sales years, the promo calendars, targets and segments', async () => {
    const files = (await readdir(path.join(dir, 'demo-imports'))).sort();
    expect(files).toEqual(written.map((w) => w.file).sort());
    expect(written.filter((w) => w.kind === 'sales').map((w) => w.file)).toEqual(['Umsatz_Tagesbericht_2025.xlsb', 'Umsatz_Tagesbericht_2026.xlsb']);
    expect(written.filter((w) => w.kind === 'promo-catalog').map((w) => w.file)).toEqual([
      'Promo_October-September_FY25.xlsb',
      'Promo_October-September_FY26.xlsb',
    ]);
    expect(files).toContain('Ziele_DE.xlsb');
    expect(files).toContain('CDP_Segmente.xlsb');
    for (const file of files) {
      const bytes = await readFile(path.join(dir, 'demo-imports', file));
      // XLSB is a zip whose workbook part is binary (workbook.bin), not XML.
      expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);
      expect(bytes.includes(Buffer.from('xl/workbook.bin')), file).toBe(true);
    }
  });

  it('the sales workbook reads back with German headers, date cells and the simulated figures', async () => {
    const { sheet, rows } = await readBack('Umsatz_Tagesbericht_2025.xlsb');
    expect(rows[0]).toEqual([...salesHeaders]);
    const data = rows.slice(1) as [number, string, string, boolean, number | undefined, number, number, number][];
    const expected = sim.rows.filter((r) => r.date.startsWith('2025-'));
    expect(data.length).toBe(expected.length);
    expect(data[0][0]).toBe(excelSerial('2025-01-01'));
    void sheet;
    // A date cell: the number format survives, and a reader asking for dates gets 2025-01-01.
    expect(((await readBack('Umsatz_Tagesbericht_2025.xlsb', { cellNF: true })).sheet.A2 as XLSX.CellObject).z).toBe('dd.mm.yyyy');
    const asDate = (await readBack('Umsatz_Tagesbericht_2025.xlsb', { cellDates: true })).sheet.A2 as XLSX.CellObject;
    expect(asDate.t).toBe('d');
    expect((asDate.v as Date).toISOString().slice(0, 10)).toBe('2025-01-01');
    expect(new Set(data.map((r) => r[1]))).toEqual(new Set(['online', 'offline']));
    expect(new Set(data.map((r) => r[2])).size).toBe(8);
    const total = data.reduce((a, r) => a + r[5], 0);
    expect(total).toBeCloseTo(
      expected.reduce((a, r) => a + r.salesValue, 0),
      0,
    );
    const promo = data.filter((r) => r[3] === true);
    expect(promo.length).toBe(expected.filter((r) => r.promoFlag).length);
    expect(promo.every((r) => typeof r[4] === 'number' && r[4] >= 5 && r[4] <= 35)).toBe(true);
    expect(data.filter((r) => r[3] === false).every((r) => r[4] === undefined)).toBe(true);
    // The last sales file ends on the simulation's last day.
    const last = await readBack('Umsatz_Tagesbericht_2026.xlsb');
    expect((last.rows[last.rows.length - 1] as number[])[0]).toBe(excelSerial(sim.to));
    expect(excelSerial(addDays(sim.to, 1)) - excelSerial(sim.to)).toBe(1);
  });

  it('the promo calendar, targets and segments read back', async () => {
    const promo = await readBack('Promo_October-September_FY26.xlsb');
    expect(promo.rows[0]).toContain('Aktionsname');
    const fy26 = sim.promotions.filter((p) => p.sourceFile === 'Promo_October-September_FY26.xlsb');
    expect(promo.rows.length - 1).toBe(fy26.length);
    expect(promo.rows.slice(1).map((r) => (r as string[])[0])).toContain('Black Friday Week');

    const targets = await readBack('Ziele_DE.xlsb');
    expect(targets.rows[0]).toEqual(['Monat', 'Region', 'Abteilung', 'Kanal', 'Umsatzziel', 'Margenziel %', 'Mengenziel']);
    const lines = targets.rows.slice(1) as (string | number | undefined)[][];
    expect(lines.filter((r) => r[2] === undefined).length).toBeGreaterThanOrEqual(18 + 3);
    expect(lines.filter((r) => r[2] !== undefined).length).toBe(3 * 16);

    const segments = await readBack('CDP_Segmente.xlsb');
    const shares = segments.rows.slice(1).map((r) => (r as number[])[2]);
    expect(shares.length).toBe(6);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
});
