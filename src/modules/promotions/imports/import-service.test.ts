import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { AppError } from '../../../core/errors.js';
import type { TestApp } from '../../../core/testing/test-app.js';
import { dataProcessingJobs } from '../schema.js';
import {
  createImportJob,
  getImportJob,
  importPromotionsFiles,
  interruptedImportAfterMs,
  interruptedImportMessage,
  listImportJobs,
  runImportJob,
  type ImportRequest,
} from './import-service.js';
import { createImportsTestApp, serviceContextFor, utf8, workbookBytes } from './test-support.js';

let t: TestApp;
let ctx: ServiceContext;
let other: ServiceContext;

beforeAll(async () => {
  t = await createImportsTestApp();
  ctx = serviceContextFor(t, t.orgA);
  other = serviceContextFor(t, t.orgB);
});
afterAll(async () => t?.close());

async function salesRows(c: ServiceContext) {
  return sqlRows<{
    date: string;
    channel: string;
    department: string;
    promo_flag: boolean;
    discount_pct: string | null;
    sales_value: string;
    margin_value: string;
    margin_pct: string;
    units: number;
  }>(
    c.db,
    sql`select date::text, channel, department, promo_flag, discount_pct::text, sales_value::text, margin_value::text, margin_pct::text, units
        from promotions.sales_aggregated where organization_id = ${c.organization.id}::uuid order by date, channel, department, promo_flag`,
  );
}

async function failure(c: ServiceContext, request: ImportRequest): Promise<AppError> {
  try {
    await importPromotionsFiles(c, request);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('the import was expected to fail');
}

async function jobOf(c: ServiceContext, fileName: string) {
  const [row] = await sqlRows<{ status: string; errors: number; error_message: string; result: { errors: unknown[] }; files: { status: string }[] }>(
    c.db,
    sql`select status, errors, error_message, result, files from promotions.data_processing_jobs where organization_id = ${c.organization.id}::uuid and files @> ${JSON.stringify([{ name: fileName }])}::jsonb`,
  );
  return row;
}

describe('sales import', () => {
  it('imports a German semicolon CSV by header synonyms, replaces on re-import and never duplicates', async () => {
    const csv = [
      'Datum;Kanal;Abteilung;Rabatt;Umsatz;Marge;Menge',
      '25.03.2024;Online;TV;0;1.234,50;300,25;10',
      '25.03.2024;Filiale;TV;20%;2000;400;20',
      '26.03.2024;online;Gaming;;500;-20;5',
    ].join('\r\n');
    const job = await importPromotionsFiles(ctx, { kind: 'sales', files: [{ name: 'umsatz.csv', bytes: utf8(csv) }] });
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({
      inserted: 3,
      updated: 0,
      unchanged: 0,
      dateRange: { from: '2024-03-25', to: '2024-03-26' },
      departments: ['Gaming', 'TV'],
    });
    expect(await salesRows(ctx)).toEqual([
      {
        date: '2024-03-25',
        channel: 'offline',
        department: 'TV',
        promo_flag: true,
        discount_pct: '20.00',
        sales_value: '2000.00',
        margin_value: '400.00',
        margin_pct: '20.00',
        units: 20,
      },
      {
        date: '2024-03-25',
        channel: 'online',
        department: 'TV',
        promo_flag: false,
        discount_pct: '0.00',
        sales_value: '1234.50',
        margin_value: '300.25',
        margin_pct: '24.32',
        units: 10,
      },
      {
        date: '2024-03-26',
        channel: 'online',
        department: 'Gaming',
        promo_flag: false,
        discount_pct: null,
        sales_value: '500.00',
        margin_value: '-20.00',
        margin_pct: '-4.00',
        units: 5,
      },
    ]);

    const changed = csv.replace('2000;400;20', '2100;420;21');
    const again = await importPromotionsFiles(ctx, { kind: 'sales', files: [{ name: 'umsatz.csv', bytes: utf8(changed) }] });
    expect(again.result).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    const rows = await salesRows(ctx);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ sales_value: '2100.00', units: 21 });
    expect(await salesRows(other)).toEqual([]);
  });

  it('reads a headerless workbook by column letters with constants, Excel date cells and fractions of discount', async () => {
    const bytes = workbookBytes(
      {
        Data: [
          [new Date(2024, 0, 1), 'Audio', 0.2, 100, 30, 4],
          [new Date(2024, 0, 2), 'Audio', 0, 110, 33, 5],
        ],
      },
      'xlsb',
    );
    const job = await importPromotionsFiles(other, {
      kind: 'sales',
      files: [{ name: 'letters.xlsb', bytes }],
      options: { map: { date: 'A', department: 'B', discount_pct: 'C', sales_value: 'D', margin_value: 'E', units: 'F' }, set: { channel: 'online' } },
    });
    expect(job.result).toMatchObject({ inserted: 2, dateRange: { from: '2024-01-01', to: '2024-01-02' } });
    expect((job.result!.notes as string[]).join(' ')).toMatch(/discount_pct read as fractions/);
    const rows = await salesRows(other);
    expect(rows.map((r) => [r.date, r.promo_flag, r.discount_pct])).toEqual([
      ['2024-01-01', true, '20.00'],
      ['2024-01-02', false, '0.00'],
    ]);
  });

  it('sums per-line rows with aggregate (sales-weighted discount) and refuses duplicates without it', async () => {
    const csv = [
      'Order Date,Category,Sales,Profit,Quantity,Discount',
      '01/15/2023,Furniture,100,10,1,0.2',
      '01/15/2023,Furniture,300,30,3,0.4',
      '01/15/2023,Furniture,50,5,1,0',
    ].join('\n');
    const c = serviceContextFor(t, t.orgB);
    const error = await failure(c, { kind: 'sales', files: [{ name: 'lines.csv', bytes: utf8(csv) }], options: { set: { channel: 'online' } } });
    expect(error.status).toBe(400);
    expect(error.details).toEqual([
      expect.objectContaining({
        file: 'lines.csv',
        row: 3,
        column: 'Order Date (A)',
        message: expect.stringMatching(/repeats the day 2023-01-15.*lines.csv row 2.*aggregate/),
      }),
    ]);
    const job = await importPromotionsFiles(c, {
      kind: 'sales',
      files: [{ name: 'lines.csv', bytes: utf8(csv) }],
      options: { set: { channel: 'online' }, aggregate: true },
    });
    expect(job.result).toMatchObject({ rows: 2, linesRead: 3, aggregated: true });
    const rows = (await salesRows(c)).filter((r) => r.date === '2023-01-15');
    expect(rows).toEqual([
      expect.objectContaining({ promo_flag: false, sales_value: '50.00', units: 1 }),
      // (20 % × 100 + 40 % × 300) / 400 = 35 %
      expect.objectContaining({ promo_flag: true, discount_pct: '35.00', sales_value: '400.00', margin_value: '40.00', units: 4 }),
    ]);
  });

  it('decides d/m/y vs m/d/y per file, and calls a file with only ambiguous dates ambiguous', async () => {
    const header = 'date,channel,department,sales_value,margin_value,units';
    const dmy = [header, '03/04/2024,online,Cams,10,1,1', '25/04/2024,online,Cams,10,1,1'].join('\n');
    const job = await importPromotionsFiles(ctx, { kind: 'sales', files: [{ name: 'dmy.csv', bytes: utf8(dmy) }] });
    expect(job.result).toMatchObject({ dateRange: { from: '2024-04-03', to: '2024-04-25' } });

    const ambiguous = [header, '03/04/2024,online,Cams,10,1,1', '05/04/2024,online,Cams,10,1,1'].join('\n');
    const error = await failure(ctx, { kind: 'sales', files: [{ name: 'amb.csv', bytes: utf8(ambiguous) }] });
    expect(error.details).toContainEqual(expect.objectContaining({ row: 2, column: 'date (A)', message: expect.stringMatching(/ambiguous.*dateOrder/) }));
    const mdy = await importPromotionsFiles(ctx, { kind: 'sales', files: [{ name: 'amb.csv', bytes: utf8(ambiguous) }], options: { dateOrder: 'mdy' } });
    expect(mdy.result).toMatchObject({ dateRange: { from: '2024-03-04', to: '2024-05-04' } });

    const mixed = [header, '25/04/2024,online,Cams,10,1,1', '04/26/2024,online,Cams,10,1,1'].join('\n');
    const mixedError = await failure(ctx, { kind: 'sales', files: [{ name: 'mixed.csv', bytes: utf8(mixed) }] });
    expect(mixedError.message).toMatch(/mixes day\/month\/year \(row 2/);
  });

  it('writes nothing when the second of two files has a bad row, and names file, row and column', async () => {
    const c = serviceContextFor(t, t.orgB);
    const before = await salesRows(c);
    const good = 'date,channel,department,sales_value,margin_value,units\n2025-01-01,online,Phones,100,20,2\n';
    const bad = 'date,channel,department,sales_value,margin_value,units\n2025-01-02,online,Phones,100,20,2\n2025-01-03,mail order,Phones,abc,20,2.5\n';
    const error = await failure(c, {
      kind: 'sales',
      files: [
        { name: 'good.csv', bytes: utf8(good) },
        { name: 'bad.csv', bytes: utf8(bad) },
      ],
    });
    expect(error.details).toEqual([
      { file: 'bad.csv', sheet: null, row: 3, column: 'channel (B)', message: expect.stringMatching(/"mail order" is not a channel/) },
      { file: 'bad.csv', sheet: null, row: 3, column: 'sales_value (D)', message: 'sales_value: "abc" is not a number' },
      { file: 'bad.csv', sheet: null, row: 3, column: 'units (F)', message: 'units: 2.5 is not a whole number' },
    ]);
    expect(await salesRows(c)).toEqual(before);
    const job = await jobOf(c, 'bad.csv');
    expect(job).toMatchObject({ status: 'failed', errors: 3 });
    expect(job.files.map((f) => f.status)).toEqual(['processed', 'failed']);
    expect(job.error_message).toMatch(/^3 problems found; nothing was imported. First: bad.csv, row 3, column channel \(B\)/);
  });

  it('refuses a damaged workbook and a time value in a date column, naming the sheet', async () => {
    const workbook = workbookBytes({
      Sales: [
        ['date', 'channel', 'department', 'sales_value', 'margin_value', 'units'],
        [0.5, 'online', 'TV', 1, 1, 1],
      ],
    });
    const damaged = await failure(ctx, { kind: 'sales', files: [{ name: 'broken.xlsx', bytes: workbook.slice(0, 200) }] });
    expect(damaged.message).toMatch(/broken.xlsx could not be read|nothing was imported/);
    const timeError = await failure(ctx, { kind: 'sales', files: [{ name: 'time.xlsx', bytes: workbook }] });
    expect(timeError.details).toEqual([
      expect.objectContaining({
        file: 'time.xlsx',
        sheet: 'Sales',
        row: 2,
        column: 'date (A)',
        message: 'date: 0.5 is a time of day (a fraction of a day) without a date',
      }),
    ]);
  });
});

describe('promo catalog, targets and segments', () => {
  it('replaces the rows of a re-imported catalog file and keeps other files', async () => {
    const first = [
      'Promo Name;Start;End;Departments;Channels;Discount',
      'Black Week;2024-11-25;2024-12-01;TV, Gaming;online;0.25',
      'Spring;2024-03-01;2024-03-10;Audio;online, store;0.1',
    ].join('\n');
    const otherFile = 'promo_name,date_start,date_end,departments\nSummer,2024-07-01,2024-07-14,Cams\n';
    await importPromotionsFiles(ctx, {
      kind: 'promo-catalog',
      files: [
        { name: 'Promo_FY25.csv', bytes: utf8(first) },
        { name: 'summer.csv', bytes: utf8(otherFile) },
      ],
    });
    const second = ['Promo Name;Start;End;Departments;Channels;Discount', 'Black Week;2024-11-25;2024-12-02;TV;online;25%'].join('\n');
    const job = await importPromotionsFiles(ctx, { kind: 'promo-catalog', files: [{ name: 'Promo_FY25.csv', bytes: utf8(second) }] });
    expect(job.result).toMatchObject({ inserted: 1, replaced: 2 });
    const rows = await sqlRows<{
      promo_name: string;
      date_end: string;
      departments: string[];
      channels: string[] | null;
      avg_discount_pct: string | null;
      source_file: string;
    }>(
      ctx.db,
      sql`select promo_name, date_end::text, departments, channels, avg_discount_pct::text, source_file from promotions.promo_catalog
          where organization_id = ${ctx.organization.id}::uuid order by promo_name`,
    );
    expect(rows).toEqual([
      { promo_name: 'Black Week', date_end: '2024-12-02', departments: ['TV'], channels: ['online'], avg_discount_pct: '25.00', source_file: 'Promo_FY25.csv' },
      { promo_name: 'Summer', date_end: '2024-07-14', departments: ['Cams'], channels: null, avg_discount_pct: null, source_file: 'summer.csv' },
    ]);
  });

  it('upserts targets per month, geo, department and channel; a date stands for its month', async () => {
    const csv = [
      'Monat,Region,Umsatzziel,Margenziel,Abteilung,Kanal',
      '2025-01,DE,100000,0.22,,',
      '2025-01-15,DE,50000,0.2,TV,online',
      '2025-02,AT,20000,0.21,,',
    ].join('\n');
    const job = await importPromotionsFiles(ctx, { kind: 'targets', files: [{ name: 't.csv', bytes: utf8(csv) }] });
    expect(job.result).toMatchObject({ inserted: 3 });
    const again = await importPromotionsFiles(ctx, { kind: 'targets', files: [{ name: 't.csv', bytes: utf8(csv.replace('100000', '110000')) }] });
    expect(again.result).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    const rows = await sqlRows<{ month: string; department: string | null; sales_value_target: string; margin_pct_target: string }>(
      ctx.db,
      sql`select month, department, sales_value_target::text, margin_pct_target::text from promotions.targets where organization_id = ${ctx.organization.id}::uuid order by month, geo, department nulls first`,
    );
    expect(rows).toEqual([
      { month: '2025-01', department: null, sales_value_target: '110000.00', margin_pct_target: '22.00' },
      { month: '2025-01', department: 'TV', sales_value_target: '50000.00', margin_pct_target: '20.00' },
      { month: '2025-02', department: null, sales_value_target: '20000.00', margin_pct_target: '21.00' },
    ]);
    const dup = await failure(ctx, { kind: 'targets', files: [{ name: 'dup.csv', bytes: utf8(`${csv}\n2025-02-10,AT,1,0.2,,`) }] });
    expect(dup.details).toEqual([expect.objectContaining({ row: 5, message: expect.stringMatching(/repeats the target of 2025-02, AT of dup.csv row 4/) })]);
  });

  it('imports segments with shares in % and categories lists; checks sensitivity', async () => {
    const csv = [
      'segment_id\tname\tshare_of_customers\tshare_of_revenue\tavg_basket_value\tfav_categories\tdiscount_sensitivity',
      'LOYAL\tLoyal high value\t12\t35,5\t180\tTV; Audio\thigh',
      'BARGAIN\tBargain hunters\t30\t15\t60\tGaming\tmedium',
    ].join('\n');
    await importPromotionsFiles(ctx, { kind: 'segments', files: [{ name: 'seg.tsv', bytes: utf8(csv) }] });
    const rows = await sqlRows<{ segment_id: string; share_of_customers: string; share_of_revenue: string; fav_categories: string[] }>(
      ctx.db,
      sql`select segment_id, share_of_customers::text, share_of_revenue::text, fav_categories from promotions.segments where organization_id = ${ctx.organization.id}::uuid order by segment_id`,
    );
    expect(rows).toEqual([
      { segment_id: 'BARGAIN', share_of_customers: '0.3000', share_of_revenue: '0.1500', fav_categories: ['Gaming'] },
      { segment_id: 'LOYAL', share_of_customers: '0.1200', share_of_revenue: '0.3550', fav_categories: ['TV', 'Audio'] },
    ]);
    const bad = await failure(ctx, { kind: 'segments', files: [{ name: 'seg.tsv', bytes: utf8(csv.replace('medium', 'extreme')) }] });
    expect(bad.details).toEqual([
      expect.objectContaining({ row: 3, column: 'discount_sensitivity (G)', message: 'discount_sensitivity: "extreme" is not low, medium or high' }),
    ]);
  });
});

describe('job liveness and progress', () => {
  async function insertJob(c: ServiceContext, status: 'queued' | 'processing', name: string) {
    const now = t.clock.now();
    const [row] = await c.db
      .insert(dataProcessingJobs)
      .values({
        organizationId: c.organization.id,
        jobId: `import-sales-test-${name}`,
        kind: 'sales',
        status,
        filesQueued: 1,
        files: [{ name: `${name}.csv`, bytes: 10, sha256: 'x', status: 'processing', records: 0 }],
        createdAt: now,
        startedAt: status === 'processing' ? now : null,
      })
      .returning();
    return row;
  }
  const statusOf = async (id: string) =>
    (
      await sqlRows<{ status: string; error_message: string | null }>(
        t.database.db,
        sql`select status, error_message from promotions.data_processing_jobs where id = ${id}::uuid`,
      )
    )[0];

  it('marks a queued/processing job not running here and older than the threshold failed as interrupted, per organization', async () => {
    const stale = await insertJob(ctx, 'processing', 'stale-a');
    const staleQueued = await insertJob(ctx, 'queued', 'stale-queued-a');
    const staleOther = await insertJob(other, 'processing', 'stale-b');
    t.clock.advance(interruptedImportAfterMs + 60_000);
    const fresh = await insertJob(ctx, 'processing', 'fresh-a');
    t.clock.advance(5 * 60_000);

    const read = await getImportJob(ctx, stale.id);
    expect(read.status).toBe('failed');
    expect(read.errorMessage).toBe(interruptedImportMessage);
    expect(read.completedAt).toEqual(t.clock.now());
    expect(read.errors).toBe(1);
    // Reading one job fails only that one; listing fails the organization's others.
    expect((await statusOf(staleQueued.id)).status).toBe('queued');
    expect((await getImportJob(ctx, fresh.id)).status).toBe('processing');

    const list = await listImportJobs(ctx, { limit: 200, offset: 0 });
    const byId = new Map(list.data.map((j) => [j.id, j]));
    expect(byId.get(staleQueued.id)).toMatchObject({ status: 'failed', errorMessage: interruptedImportMessage });
    expect(byId.get(stale.id)?.status).toBe('failed');
    expect(byId.get(fresh.id)?.status).toBe('processing');
    expect(await statusOf(staleOther.id)).toEqual({ status: 'processing', error_message: null });

    const otherList = await listImportJobs(other, { limit: 200, offset: 0, status: 'processing' });
    expect(otherList.data.map((j) => j.id)).not.toContain(staleOther.id);
    expect((await statusOf(staleOther.id)).status).toBe('failed');
  });

  it('never fails a job this process is running, and a job failed meanwhile cannot complete', async () => {
    const csv = ['date,channel,department,sales_value,margin_value,units', '2001-01-01,online,Liveness,10,1,1', '2001-01-02,online,Liveness,10,1,1'].join('\n');
    const file = { name: 'liveness.csv', bytes: utf8(csv) };
    const job = await createImportJob(ctx, { kind: 'sales', files: [file] });
    t.clock.advance(interruptedImportAfterMs + 60_000);
    const seen: string[] = [];
    const done = await runImportJob(ctx, job.id, [file], {
      progressEvery: { rows: 1, ms: Number.POSITIVE_INFINITY },
      onRowProgress: async () => {
        // Old enough to count as interrupted, but running here: reading and listing leave it alone.
        seen.push((await getImportJob(ctx, job.id)).status, (await listImportJobs(ctx, { limit: 200, offset: 0 })).data.find((j) => j.id === job.id)!.status);
      },
    });
    expect(seen).toEqual(['processing', 'processing']);
    expect(done.status).toBe('completed');

    const second = await createImportJob(ctx, { kind: 'sales', files: [{ ...file, name: 'liveness-2.csv' }] });
    await expect(
      runImportJob(ctx, second.id, [{ ...file, name: 'liveness-2.csv' }], {
        progressEvery: { rows: 1, ms: Number.POSITIVE_INFINITY },
        // Another process decides the job was interrupted while this one still runs it.
        onRowProgress: async () => {
          await t.database.db
            .update(dataProcessingJobs)
            .set({ status: 'failed', errorMessage: interruptedImportMessage })
            .where(sql`id = ${second.id}::uuid`);
        },
      }),
    ).rejects.toMatchObject({ code: 'PROMOTIONS_IMPORT_INTERRUPTED' });
    expect(await statusOf(second.id)).toEqual({ status: 'failed', error_message: interruptedImportMessage });
  });

  it('writes records_read to the row every N rows while checking a big file, outside the write transaction', async () => {
    const day = (i: number) => new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const lines = ['date,channel,department,sales_value,margin_value,units'];
    for (let i = 0; i < 5000; i++) lines.push(`${day(i)},offline,Progress,${100 + (i % 7)},10,2`);
    const file = { name: 'progress.csv', bytes: utf8(lines.join('\n')) };
    const job = await createImportJob(ctx, { kind: 'sales', files: [file] });
    const events: number[] = [];
    const rows: { reported: number; stored: number; total: number | null; status: string }[] = [];
    const done = await runImportJob(ctx, job.id, [file], {
      progressEvery: { rows: 1000, ms: Number.POSITIVE_INFINITY },
      onProgress: (e) => {
        if (e.step === 'checking progress.csv' && e.current > 0) events.push(e.current);
      },
      onRowProgress: async (row) => {
        // Read back through the database (another connection on PostgreSQL): the update is committed, not in a transaction.
        const [stored] = await sqlRows<{ records_read: number; records_total: number | null; status: string }>(
          t.database.db,
          sql`select records_read, records_total, status from promotions.data_processing_jobs where id = ${job.id}::uuid`,
        );
        rows.push({ reported: row.recordsRead, stored: stored.records_read, total: stored.records_total, status: stored.status });
      },
    });
    expect(events).toEqual([1000, 2000, 3000, 4000]);
    expect(rows).toEqual([1000, 2000, 3000, 4000].map((n) => ({ reported: n, stored: n, total: 5000, status: 'processing' })));
    expect(done).toMatchObject({ status: 'completed', recordsRead: 5000, recordsTotal: 5000, recordsProcessed: 5000 });
  });
});
