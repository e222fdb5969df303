import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlRows } from '../../../core/db/sql-rows.js';
import type { TestApp } from '../../../core/testing/test-app.js';
import { forecastRefreshJobName } from './import-service.js';
import { createImportsTestApp, multipartForm, workbookBytes } from './test-support.js';

let t: TestApp;
type Role = 'staff' | 'viewer' | 'otherStaff';
let headers: Record<Role, Record<string, string>>;

const salesCsv = (rows: string[]) => ['Datum,Kanal,Abteilung,Umsatz,Marge,Menge,Rabatt', ...rows].join('\n');

beforeAll(async () => {
  t = await createImportsTestApp();
  headers = {
    staff: (await t.login(t.orgA.emails.staff)).headers,
    viewer: (await t.login(t.orgA.emails.viewer)).headers,
    otherStaff: (await t.login(t.orgB.emails.staff)).headers,
  };
});
afterAll(async () => t?.close());

async function upload(role: Role, kind: string, files: { name: string; bytes: Uint8Array | string }[], options?: unknown) {
  const form = multipartForm({ kind, ...(options ? { options: JSON.stringify(options) } : {}) }, files);
  return t.app.inject({ method: 'POST', url: '/api/promotions/imports', payload: form.payload, headers: { ...headers[role], ...form.headers } });
}

/** Polls the job until the background work has finished (the work runs on this event loop). */
async function finished(role: Role, id: string) {
  for (let i = 0; i < 200; i++) {
    const response = await t.app.inject({ method: 'GET', url: `/api/promotions/imports/${id}`, headers: headers[role] });
    expect(response.statusCode).toBe(200);
    const job = response.json();
    if (job.status === 'completed' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`import job ${id} did not finish`);
}

async function salesCount(orgId: string) {
  const [row] = await sqlRows<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from promotions.sales_aggregated where organization_id = ${orgId}::uuid`,
  );
  return row.n;
}

describe('POST /api/promotions/imports', () => {
  it('accepts several files, answers 202 and finishes in the background with progress and results', async () => {
    const first = salesCsv(['2024-05-01,online,TV,1000,200,5,0', '2024-05-01,offline,TV,800,150,4,0']);
    const second = workbookBytes(
      {
        Hidden: [['not', 'this']],
        Umsatz: [
          ['Datum', 'Kanal', 'Abteilung', 'Umsatz', 'Marge', 'Menge', 'Rabatt'],
          [new Date(2024, 4, 2), 'online', 'TV', 1500, 250, 8, 0.15],
        ],
      },
      'xlsb',
    );
    const response = await upload(
      'staff',
      'sales',
      [
        { name: 'may-1.csv', bytes: first },
        { name: 'may-2.xlsb', bytes: second },
      ],
      { sheet: 'Umsatz' },
    );
    expect(response.statusCode).toBe(202);
    const accepted = response.json();
    expect(accepted).toMatchObject({
      kind: 'sales',
      status: 'queued',
      filesQueued: 2,
      files: [
        { name: 'may-1.csv', status: 'queued' },
        { name: 'may-2.xlsb', status: 'queued' },
      ],
    });
    expect(accepted.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);

    const job = await finished('viewer', accepted.id);
    expect(job).toMatchObject({
      status: 'completed',
      filesProcessed: 2,
      recordsRead: 3,
      recordsTotal: 3,
      recordsProcessed: 3,
      errors: 0,
      files: [
        { name: 'may-1.csv', status: 'processed', records: 2 },
        { name: 'may-2.xlsb', status: 'processed', records: 1, sheet: 'Umsatz' },
      ],
      result: { inserted: 3, updated: 0, unchanged: 0, dateRange: { from: '2024-05-01', to: '2024-05-02' }, departments: ['TV'] },
    });
    expect(job.startedAt).not.toBeNull();
    expect(job.completedAt).not.toBeNull();
    // The forecasting job is registered in this app: a completed sales import queues it (right after the commit).
    let refreshJobId: unknown;
    for (let i = 0; i < 100 && !refreshJobId; i++) {
      refreshJobId = (await t.app.inject({ method: 'GET', url: `/api/promotions/imports/${accepted.id}`, headers: headers.viewer })).json().result
        .forecastRefreshJobId;
      if (!refreshJobId) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refreshJobId).toEqual(expect.any(String));
    const queued = await t.database.query<{ data: { organizationId: string } }>('select data from pgboss.job where name = $1', [forecastRefreshJobName]);
    expect(queued.map((q) => q.data.organizationId)).toContain(t.orgA.id);

    const list = await t.app.inject({ method: 'GET', url: '/api/promotions/imports?kind=sales', headers: headers.viewer });
    expect(list.json().data.map((j: { id: string }) => j.id)).toContain(accepted.id);
  });

  it('replaces on re-import without duplicating rows', async () => {
    const before = await salesCount(t.orgA.id);
    const again = await upload('staff', 'sales', [
      { name: 'may-1.csv', bytes: salesCsv(['2024-05-01,online,TV,1100,210,6,0', '2024-05-01,offline,TV,800,150,4,0']) },
    ]);
    const job = await finished('staff', again.json().id);
    expect(job.result).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    expect(await salesCount(t.orgA.id)).toBe(before);
  });

  it('fails the job with located errors and writes nothing when the second file has a bad row', async () => {
    const before = await salesCount(t.orgA.id);
    const response = await upload('staff', 'sales', [
      { name: 'good.csv', bytes: salesCsv(['2024-06-01,online,Audio,100,20,1,0']) },
      { name: 'bad.csv', bytes: salesCsv(['2024-06-02,online,Audio,100,20,1,0', '2024-06-31,online,Audio,100,20,1,0']) },
    ]);
    const job = await finished('staff', response.json().id);
    expect(job).toMatchObject({ status: 'failed', errors: 1, files: [{ status: 'processed' }, { status: 'failed' }] });
    expect(job.result.errors).toEqual([
      { file: 'bad.csv', sheet: null, row: 3, column: 'Datum (A)', message: 'date: "2024-06-31" is not a valid calendar date' },
    ]);
    expect(job.errorMessage).toMatch(/nothing was imported/);
    expect(await salesCount(t.orgA.id)).toBe(before);
  });

  it('refuses a viewer, an unknown kind and bad options; another organization gets 404 for the job', async () => {
    const file = [{ name: 'x.csv', bytes: salesCsv(['2024-05-01,online,TV,1,1,1,0']) }];
    expect((await upload('viewer', 'sales', file)).statusCode).toBe(403);
    const unknown = await upload('staff', 'stock', file);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/kind/);
    const badOptions = await upload('staff', 'sales', file, { dateOrder: 'ymd' });
    expect(badOptions.statusCode).toBe(400);

    const mine = await upload('staff', 'sales', file);
    await finished('staff', mine.json().id);
    const theirs = await t.app.inject({ method: 'GET', url: `/api/promotions/imports/${mine.json().id}`, headers: headers.otherStaff });
    expect(theirs.statusCode).toBe(404);
    const theirList = await t.app.inject({ method: 'GET', url: '/api/promotions/imports', headers: headers.otherStaff });
    expect(theirList.json().data).toEqual([]);
  });
});

describe('POST /api/promotions/imports/preview', () => {
  it('shows sheets, headers, sample rows, the suggested mapping and missing fields without writing', async () => {
    const bytes = workbookBytes({
      Notes: [],
      Export: [
        ['Order Date', 'Category', 'Sales', 'Profit', 'Quantity'],
        ['11/8/2018', 'Furniture', 261.96, 41.91, 2],
      ],
    });
    const form = multipartForm({ kind: 'sales' }, [{ field: 'file', name: 'export.xlsx', bytes }]);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/promotions/imports/preview',
      payload: form.payload,
      headers: { ...headers.staff, ...form.headers },
    });
    expect(response.statusCode).toBe(200);
    const preview = response.json();
    expect(preview).toMatchObject({
      sheet: 'Export',
      headerRow: 1,
      suggestedMapping: { date: 'Order Date', department: 'Category', sales_value: 'Sales', margin_value: 'Profit', units: 'Quantity' },
      missingFields: [{ field: 'channel' }],
      sampleRows: [{ row: 2, cells: ['11/8/2018', 'Furniture', '261.96', '41.91', '2'] }],
    });
    expect(preview.headers.map((h: { letter: string }) => h.letter)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(preview.sheets.map((s: { name: string; rows: number }) => [s.name, s.rows])).toEqual([
      ['Notes', 0],
      ['Export', 2],
    ]);
  });
});

describe('imported lists', () => {
  it('lists the promo catalog, targets and segments of the own organization only', async () => {
    const catalog = await upload('staff', 'promo-catalog', [
      {
        name: 'Promo_FY25.csv',
        bytes: 'promo_name,date_start,date_end,departments,channels,avg_discount_pct\nBlack Week,2024-11-25,2024-12-01,TV;Gaming,online,20\n',
      },
    ]);
    const targets = await upload('staff', 'targets', [
      { name: 'targets.csv', bytes: 'month,geo,sales_value_target,margin_pct_target\n2025-01,DE,100000,22\n' },
    ]);
    const segments = await upload('staff', 'segments', [
      { name: 'segments.csv', bytes: 'segment_id,name,share_of_customers,share_of_revenue,avg_basket_value\nLOYAL,Loyal,0.1,0.3,120\n' },
    ]);
    for (const r of [catalog, targets, segments]) expect((await finished('staff', r.json().id)).status).toBe('completed');

    const mine = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: headers.viewer })).json();
    expect((await mine('/api/promotions/promo-catalog')).data).toEqual([
      expect.objectContaining({
        promoName: 'Black Week',
        departments: ['TV', 'Gaming'],
        channels: ['online'],
        avgDiscountPct: 20,
        sourceFile: 'Promo_FY25.csv',
      }),
    ]);
    expect((await mine('/api/promotions/targets?month=2025-01')).data).toEqual([
      expect.objectContaining({ geo: 'DE', salesValueTarget: 100000, marginPctTarget: 22 }),
    ]);
    expect(await mine('/api/promotions/segments')).toEqual([expect.objectContaining({ segmentId: 'LOYAL', shareOfCustomers: 0.1, avgBasketValue: 120 })]);

    const theirs = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: headers.otherStaff })).json();
    expect((await theirs('/api/promotions/promo-catalog')).data).toEqual([]);
    expect((await theirs('/api/promotions/targets')).data).toEqual([]);
    expect(await theirs('/api/promotions/segments')).toEqual([]);
  });
});
