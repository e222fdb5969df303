import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as XLSX from 'xlsx-republish';
import { addDays, daysBetween, type IsoDate } from '../shared/dates.js';
import { demoSegments, demoTargets } from './demo-data.js';
import { fiscalYearOf } from './retailer.js';
import { simulateDemoSales, type DemoSimulation, type DemoSimulationOptions } from './simulation.js';

/**
 * The import demo's workbooks, as the retailer's systems would export them: binary .xlsb with German headers (so the
 * importer's column mapping is exercised), real date cells and boolean promo flags.
 */

export interface DemoWorkbook {
  kind: 'sales' | 'promo-catalog' | 'targets' | 'segments';
  file: string;
  sheet: string;
  rows: number;
  bytes: number;
  /** The header row, in file order. */
  headers: string[];
}

export const salesHeaders = ['Datum', 'Kanal', 'Abteilung', 'Aktion', 'Rabatt %', 'Umsatz', 'Marge', 'Menge'] as const;
export const promoCatalogHeaders = ['Aktionsname', 'Typ', 'Beginn', 'Ende', 'Abteilungen', 'Kanäle', 'Ø Rabatt %', 'Mechanik', 'Zielgruppen'] as const;
export const targetHeaders = ['Monat', 'Region', 'Abteilung', 'Kanal', 'Umsatzziel', 'Margenziel %', 'Mengenziel'] as const;
export const segmentHeaders = [
  'Segment-ID',
  'Name',
  'Kundenanteil',
  'Umsatzanteil',
  'Ø Warenkorb',
  'Lieblingskategorien',
  'Rabattsensibilität',
  'Kaufhäufigkeit',
  'Letzter Kauf vor Tagen',
] as const;

/** Excel's serial day number of a date (1900 date system: 1899-12-30 is day 0). */
export function excelSerial(date: IsoDate): number {
  return daysBetween('1899-12-30', date);
}

type Cell = string | number | boolean | null | { date: IsoDate };

function sheetOf(headers: readonly string[], rows: Cell[][]): XLSX.WorkSheet {
  // Dense sheets: SheetJS's XLSB writer probes every column of a row, which is 15× slower on a sparse sheet.
  const sheet = XLSX.utils.aoa_to_sheet([[...headers], ...rows.map((r) => r.map((c) => (c !== null && typeof c === 'object' ? excelSerial(c.date) : c)))], {
    dense: true,
  });
  const data = (sheet as unknown as { '!data': (XLSX.CellObject | undefined)[][] })['!data'];
  // Date columns: numeric serials shown as dates, as Excel stores them.
  rows[0]?.forEach((c, column) => {
    if (c === null || typeof c !== 'object') return;
    for (let r = 1; r <= rows.length; r++) {
      const cell = data[r]?.[column];
      if (cell) cell.z = 'dd.mm.yyyy';
    }
  });
  return sheet;
}

async function writeWorkbook(
  dir: string,
  file: string,
  sheetName: string,
  headers: readonly string[],
  rows: Cell[][],
  kind: DemoWorkbook['kind'],
): Promise<DemoWorkbook> {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheetOf(headers, rows), sheetName);
  const bytes = XLSX.write(book, { bookType: 'xlsb', type: 'buffer', compression: true }) as Buffer;
  await writeFile(path.join(dir, file), bytes);
  return { kind, file, sheet: sheetName, rows: rows.length, bytes: bytes.length, headers: [...headers] };
}

/**
 * Writes the demo's import files into `dir` (created if missing): one sales workbook per calendar year for the last
 * two years of the history, the promo calendar of the last two fiscal years (Promo_October-September_FYxx.xlsb, the
 * names the catalog's source_file uses), the targets and the CDP segments. Pass the simulation the database was loaded
 * from, or the options to simulate it again (same seed, same figures); by default three years ending yesterday (UTC).
 */
export async function writeDemoWorkbooks(
  dir: string,
  input: DemoSimulation | DemoSimulationOptions = { endDate: addDays(new Date().toISOString().slice(0, 10), -1) },
): Promise<DemoWorkbook[]> {
  const sim = 'rows' in input ? input : simulateDemoSales(input);
  await mkdir(dir, { recursive: true });
  const out: DemoWorkbook[] = [];

  const lastYear = Number(sim.to.slice(0, 4));
  for (const year of [lastYear - 1, lastYear]) {
    const rows = sim.rows.filter((r) => r.date.startsWith(`${year}-`));
    if (rows.length === 0) continue;
    rows.sort((a, b) => a.date.localeCompare(b.date) || a.channel.localeCompare(b.channel) || a.department.localeCompare(b.department));
    out.push(
      await writeWorkbook(
        dir,
        `Umsatz_Tagesbericht_${year}.xlsb`,
        `Umsatz ${year}`,
        salesHeaders,
        rows.map((r) => [{ date: r.date }, r.channel, r.department, r.promoFlag, r.discountPct, r.salesValue, r.marginValue, r.units]),
        'sales',
      ),
    );
  }

  const lastFiscal = fiscalYearOf(sim.to);
  for (const fy of [lastFiscal - 1, lastFiscal]) {
    const promos = sim.promotions.filter((p) => fiscalYearOf(p.start) === fy);
    if (promos.length === 0) continue;
    out.push(
      await writeWorkbook(
        dir,
        promos[0].sourceFile,
        `Aktionen FY${String(fy % 100).padStart(2, '0')}`,
        promoCatalogHeaders,
        promos.map((p) => {
          const discounts = Object.entries(p.discounts);
          return [
            p.name,
            p.scenarioType,
            { date: p.start },
            { date: p.end },
            discounts.map(([d]) => d).join(', '),
            p.channels.join(', '),
            Math.round((discounts.reduce((a, [, v]) => a + v, 0) / discounts.length) * 100) / 100,
            discounts.map(([d, v]) => `${d} ${v} %`).join('; '),
            p.segments.join(', '),
          ];
        }),
        'promo-catalog',
      ),
    );
  }

  out.push(
    await writeWorkbook(
      dir,
      'Ziele_DE.xlsb',
      'Ziele',
      targetHeaders,
      demoTargets(sim).map((t) => [t.month, t.geo, t.department, t.channel, t.salesValueTarget, t.marginPctTarget, t.unitsTarget]),
      'targets',
    ),
  );

  out.push(
    await writeWorkbook(
      dir,
      'CDP_Segmente.xlsb',
      'Segmente',
      segmentHeaders,
      demoSegments.map((s) => [
        s.segmentId,
        s.name,
        s.shareOfCustomers,
        s.shareOfRevenue,
        s.avgBasketValue,
        s.favCategories.join(', '),
        s.discountSensitivity,
        s.purchaseFrequency,
        s.lastPurchaseDaysAgo,
      ]),
      'segments',
    ),
  );
  return out;
}
