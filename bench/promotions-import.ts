/**
 * Promotions sales import at 1,000,000 rows from .csv and .xlsb, next to the floor measured in the same run: COPY of
 * the same rows (the CSV file) into a plain table. Each measurement runs in its own child process on a fresh
 * database, so its peak RSS is its own.
 *
 *   npx tsx bench/promotions-import.ts                              # PGlite, 1,000,000 rows
 *   ROWS=200000 npx tsx bench/promotions-import.ts                  # smaller
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/promotions-import.ts   # PostgreSQL too
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { from as copyFrom } from 'pg-copy-streams';
import * as XLSX from 'xlsx-republish';
import { systemClock } from '../src/core/clock.js';
import { systemActor, type ServiceContext } from '../src/core/context.js';
import type { Database } from '../src/core/db/connection.js';
import { migrateDatabase } from '../src/core/db/migrate.js';
import { openFreshBenchDatabase, peakRssMb } from './fresh-database.js';
import { createLogger } from '../src/core/logger.js';
import { createOrganization } from '../src/core/tenancy/organizations-service.js';
import { importPromotionsFiles } from '../src/modules/promotions/imports/import-service.js';

const rows = Number(process.env.ROWS ?? 1_000_000);
const url = process.env.BENCH_DATABASE_URL;
const days = 2740;
const channels = ['online', 'offline'] as const;
const departmentCount = Math.ceil(rows / (days * channels.length * 2));
const departments = Array.from({ length: departmentCount }, (_, i) => `Dept ${String(i + 1).padStart(3, '0')}`);
const header = ['date', 'channel', 'department', 'promo_flag', 'discount_pct', 'sales_value', 'margin_value', 'units'];

/** Every (day, channel, department, promo flag) once — the seed's unique key — with deterministic values. */
function* salesRows(): Generator<[number, string, string, boolean, number | null, number, number, number]> {
  let n = 0;
  for (let d = 0; d < days; d++) {
    for (const channel of channels) {
      for (const [k, department] of departments.entries()) {
        for (const promo of [false, true]) {
          if (n++ >= rows) return;
          const base = 1000 + k * 37 + (d % 7 >= 5 ? 400 : 0) + ((d * 7919 + k * 104729) % 300);
          const discount = promo ? 10 + ((d + k) % 4) * 5 : null;
          const sales = Math.round(base * (promo ? 1.3 : 1) * 100) / 100;
          const margin = Math.round(sales * (promo ? 0.18 : 0.25) * 100) / 100;
          yield [45000 + d, channel, department, promo, discount, sales, margin, Math.round(sales / 50)];
        }
      }
    }
  }
}

const isoOfSerial = (serial: number) => new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);

/** One BIFF12 record: type and size as 7-bit varints, then the payload. */
function record(type: number, payload: Buffer): Buffer {
  const head: number[] = type < 0x80 ? [type] : [(type & 0x7f) | 0x80, type >> 7];
  let size = payload.length;
  for (let i = 0; i < 4; i++) {
    if (size >= 0x80) {
      head.push((size & 0x7f) | 0x80);
      size >>= 7;
    } else {
      head.push(size);
      break;
    }
  }
  return Buffer.concat([Buffer.from(head), payload]);
}

function* records(bin: Buffer): Generator<{ type: number; start: number; end: number; body: Buffer }> {
  let at = 0;
  while (at < bin.length) {
    const start = at;
    let type = bin[at++];
    if (type & 0x80) type = (type & 0x7f) | (bin[at++] << 7);
    let size = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const b = bin[at++];
      size |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    yield { type, start, end: at + size, body: bin.subarray(at, at + size) };
    at += size;
  }
}

/**
 * SheetJS' XLSB writer needs ~80 KB of memory per row (1,000,000 rows would not fit), so the bench writes the
 * worksheet's BIFF12 records itself and lets SheetJS write the rest of the package (workbook, styles with the date
 * format) from a one-row template.
 */
function salesXlsb(): Buffer {
  const template = XLSX.utils.book_new();
  const first = salesRows().next().value!;
  const templateSheet = XLSX.utils.aoa_to_sheet([header, [null]]);
  templateSheet.A2 = { t: 'n', v: first[0], z: 'yyyy-mm-dd' };
  XLSX.utils.book_append_sheet(template, templateSheet, 'Sales');
  const zip = XLSX.CFB.read(XLSX.write(template, { type: 'buffer', bookType: 'xlsb' }) as Buffer, { type: 'buffer' });
  const sheetEntry = zip.FileIndex[zip.FullPaths.findIndex((p: string) => p.endsWith('xl/worksheets/sheet1.bin'))];
  const sheetBin = Buffer.from(sheetEntry.content as Uint8Array);
  let dateStyle = 0;
  const parts: Buffer[] = [];
  let tail: Buffer | null = null;
  let rowOfCell = -1;
  for (const r of records(sheetBin)) {
    if (r.type === 0x00) rowOfCell = r.body.readUInt32LE(0);
    if (rowOfCell === 1 && [0x02, 0x05].includes(r.type) && r.body.readUInt32LE(0) === 0) dateStyle = r.body.readUIntLE(4, 3);
    if (r.type === 0x92) tail = sheetBin.subarray(r.start);
    if (r.type === 0x94) {
      const dim = Buffer.alloc(16);
      dim.writeUInt32LE(0, 0);
      dim.writeUInt32LE(rows, 4);
      dim.writeUInt32LE(0, 8);
      dim.writeUInt32LE(header.length - 1, 12);
      parts.push(record(0x94, dim));
    } else if (tail === null && rowOfCell < 0) parts.push(sheetBin.subarray(r.start, r.end));
  }
  const rowHeader = (rw: number) => {
    const b = Buffer.alloc(25);
    b.writeUInt32LE(rw, 0);
    b.writeUInt16LE(0x140, 8);
    b.writeUInt32LE(1, 13);
    b.writeUInt32LE(header.length - 1, 21);
    return record(0x00, b);
  };
  const cell = (col: number, style: number, extra: number) => {
    const b = Buffer.alloc(8 + extra);
    b.writeUInt32LE(col, 0);
    b.writeUIntLE(style, 4, 3);
    return b;
  };
  const text = (col: number, value: string) => {
    const b = cell(col, 0, 4 + value.length * 2);
    b.writeUInt32LE(value.length, 8);
    b.write(value, 12, 'utf16le');
    return record(0x06, b);
  };
  const number = (col: number, value: number, style = 0) => {
    const b = cell(col, style, 8);
    b.writeDoubleLE(value, 8);
    return record(0x05, b);
  };
  parts.push(rowHeader(0), ...header.map((h, c) => text(c, h)));
  let rw = 1;
  for (const [serial, channel, department, promo, discount, sales, margin, units] of salesRows()) {
    const bool = cell(3, 0, 1);
    bool[8] = promo ? 1 : 0;
    parts.push(rowHeader(rw++), number(0, serial, dateStyle), text(1, channel), text(2, department), record(0x04, bool));
    if (discount !== null) parts.push(number(4, discount));
    parts.push(number(5, sales), number(6, margin), number(7, units));
  }
  parts.push(tail!);
  const content = Buffer.concat(parts);
  sheetEntry.content = content;
  sheetEntry.size = content.length;
  return Buffer.from(XLSX.CFB.write(zip, { type: 'buffer', fileType: 'zip', compression: true } as never) as Uint8Array);
}

function writeFiles(dir: string): { csv: string; xlsb: string } {
  const csv = path.join(dir, 'sales.csv');
  const lines: string[] = [header.join(',')];
  for (const [serial, channel, department, promo, discount, sales, margin, units] of salesRows()) {
    lines.push(`${isoOfSerial(serial)},${channel},${department},${promo},${discount ?? ''},${sales},${margin},${units}`);
  }
  writeFileSync(csv, `${lines.join('\n')}\n`);
  lines.length = 0;
  const xlsb = path.join(dir, 'sales.xlsb');
  writeFileSync(xlsb, salesXlsb());
  return { csv, xlsb };
}

/** One measurement, in this (child) process: import a file through the real service, or COPY the CSV. */
async function measure(phase: 'csv' | 'xlsb' | 'copy' | 'copy-table', file: string): Promise<void> {
  const { database, cleanup } = await openFreshBenchDatabase(url ?? null, `promo_${phase}`);
  try {
    await migrateDatabase(database);
    let written = 0;
    const phases: Record<string, number> = {};
    const started = performance.now();
    if (phase === 'copy' || phase === 'copy-table') {
      await database.exec(`create ${phase === 'copy' ? '' : 'temp '}table bench_floor_sales (date date, channel text, department text, promo_flag boolean, discount_pct numeric(5,2),
        sales_value numeric(15,2), margin_value numeric(15,2), units integer)`);
      const copySql = `copy bench_floor_sales (${header.join(', ')}) from ${database.kind === 'pglite' ? "'/dev/blob'" : 'stdin'} with (format csv, header true)`;
      if (database.kind === 'pglite') {
        await database.pglite!.query(copySql, [], { blob: new Blob([readFileSync(file)]) });
      } else {
        const client = await database.pool!.connect();
        try {
          await pipeline(Readable.from([readFileSync(file)]), client.query(copyFrom(copySql)));
        } finally {
          client.release();
        }
      }
      if (phase === 'copy-table') {
        // The same table RetailOps writes (7 indexes, the organization foreign key, the generated margin_pct), set-based.
        const org = await createOrganization(
          { db: database.db, clock: systemClock, actor: systemActor('bench') },
          { slug: 'bench', name: 'Bench', timezone: 'UTC' },
        );
        await database.query(
          `insert into promotions.sales_aggregated (organization_id, ${header.join(', ')}) select $1, ${header.join(', ')} from bench_floor_sales`,
          [org.id],
        );
        written = Number((await database.query<{ n: string }>('select count(*) as n from promotions.sales_aggregated'))[0].n);
      } else written = Number((await database.query<{ n: string }>('select count(*) as n from bench_floor_sales'))[0].n);
    } else {
      const org = await createOrganization(
        { db: database.db, clock: systemClock, actor: systemActor('bench') },
        { slug: 'bench', name: 'Bench', timezone: 'UTC' },
      );
      const ctx: ServiceContext = {
        db: database.db,
        organization: org,
        actor: systemActor('bench'),
        role: 'admin',
        clock: systemClock,
        log: createLogger('warn'),
      };
      // Where the time goes: reading the file, checking rows, writing (from the progress steps).
      let mark = performance.now();
      let current = 'read';
      const onProgress = (e: { step: string }) => {
        const step = e.step.startsWith('checking') ? 'check' : e.step === 'writing' ? 'write' : e.step === 'written' ? 'done' : current;
        if (step !== current) {
          phases[current] = (phases[current] ?? 0) + performance.now() - mark;
          mark = performance.now();
          current = step;
        }
      };
      const job = await importPromotionsFiles(ctx, { kind: 'sales', files: [{ name: path.basename(file), bytes: readFileSync(file) }], onProgress });
      written = job.recordsProcessed ?? 0;
    }
    const ms = performance.now() - started;
    process.stdout.write(`${JSON.stringify({ phase, ms, rows: written, maxRssMb: peakRssMb(), phases })}\n`);
  } finally {
    await cleanup();
  }
}

if (process.env.BENCH_XLSB_ONLY) {
  writeFileSync(process.env.BENCH_XLSB_ONLY, salesXlsb());
} else if (process.env.BENCH_PHASE) {
  await measure(process.env.BENCH_PHASE as 'csv' | 'xlsb' | 'copy' | 'copy-table', process.env.BENCH_FILE!);
} else {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-promo-files-'));
  mkdirSync(dir, { recursive: true });
  try {
    const t0 = performance.now();
    const files = writeFiles(dir);
    const mb = (f: string) => `${(statSync(f).size / 1e6).toFixed(1)} MB`;
    console.log(
      `Generated ${rows.toLocaleString('en-US')} rows (${days} days × ${channels.length} channels × ${departmentCount} departments × promo yes/no) in ${((performance.now() - t0) / 1000).toFixed(1)} s: sales.csv ${mb(files.csv)}, sales.xlsb ${mb(files.xlsb)}`,
    );
    const self = fileURLToPath(import.meta.url);
    const run = (phase: string, file: string) => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', self], {
        env: { ...process.env, BENCH_PHASE: phase, BENCH_FILE: file },
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      return JSON.parse(out.trim().split('\n').pop()!) as { phase: string; ms: number; rows: number; maxRssMb: number; phases: Record<string, number> };
    };
    const results = [run('csv', files.csv), run('xlsb', files.xlsb), run('copy', files.csv), run('copy-table', files.csv)];
    const engine = url ? 'PostgreSQL' : 'PGlite';
    const labels: Record<string, string> = {
      csv: 'importPromotionsFiles, .csv (read, validate, upsert)',
      xlsb: 'importPromotionsFiles, .xlsb (read, validate, upsert)',
      copy: 'floor: COPY of the CSV into a plain table',
      'copy-table': 'reference: COPY, then one INSERT … SELECT into promotions.sales_aggregated',
    };
    console.log(`\n| ${engine} | rows | time | rows/s | peak RSS | read / check / write |\n|---|---|---|---|---|---|`);
    for (const r of results) {
      console.log(
        `| ${labels[r.phase]} | ${r.rows.toLocaleString('en-US')} | ${(r.ms / 1000).toFixed(1)} s | ${Math.round(r.rows / (r.ms / 1000)).toLocaleString('en-US')} | ${r.maxRssMb} MB | ${r.phases.read === undefined ? '—' : ['read', 'check', 'write'].map((k) => `${((r.phases[k] ?? 0) / 1000).toFixed(1)} s`).join(' / ')} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
