import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx-republish';
import type { TestApp } from '../../../core/testing/test-app.js';
import { createKpi } from '../kpi-config/service.js';
import { createStore } from '../org-structure/stores-service.js';
import { evaluateJobName } from './evaluation-trigger.js';
import { importStoreHealthFile } from './import-file.js';
import { createIngestionTestApp, multipartFile, queuedJobs, serviceContextFor } from './test-support.js';

let t: TestApp;
let staffA: Record<string, string>;
let staffB: Record<string, string>;
let viewerA: Record<string, string>;
const storeIds: Record<string, string> = {};

beforeAll(async () => {
  t = await createIngestionTestApp();
  const ctx = serviceContextFor(t, t.orgA);
  for (const code of ['S001', 'S002']) storeIds[code] = (await createStore(ctx, { storeCode: code, name: `Store ${code}` })).id;
  await createKpi(ctx, { kpiCode: 'sales', name: 'Sales', unit: '$', category: 'sales' });
  await createKpi(ctx, { kpiCode: 'traffic', name: 'Traffic', unit: 'count', category: 'sales' });
  // Organization B has a store with the same code: codes are per organization.
  await createStore(serviceContextFor(t, t.orgB), { storeCode: 'S001', name: 'B store' });
  staffA = (await t.login(t.orgA.emails.staff)).headers;
  staffB = (await t.login(t.orgB.emails.staff)).headers;
  viewerA = (await t.login(t.orgA.emails.viewer)).headers;
});
afterAll(async () => t?.close());

async function metricCount(): Promise<number> {
  const [row] = await t.database.query<{ n: number }>('select count(*)::int as n from store_health.kpi_metrics where organization_id = $1', [t.orgA.id]);
  return row.n;
}

async function metricValue(storeCode: string, kpiCode: string, date: string) {
  const [row] = await t.database.query<{ value: string | null; status: string | null; comparison_value: string | null; variance_pct: string | null }>(
    `select m.value, m.status, m.comparison_value, m.variance_pct from store_health.kpi_metrics m
     join store_health.stores s on s.id = m.store_id join store_health.kpi_definitions k on k.id = m.kpi_definition_id
     where s.organization_id = $1 and s.store_code = $2 and k.kpi_code = $3 and m.metric_date = $4`,
    [t.orgA.id, storeCode, kpiCode, date],
  );
  return row;
}

function upload(kind: string, fileName: string, bytes: Uint8Array | string, headers = staffA) {
  const body = multipartFile(fileName, bytes);
  return t.app.inject({ method: 'POST', url: `/api/store-health/imports/${kind}`, headers: { ...headers, ...body.headers }, payload: body.payload });
}

function xlsxFile(rows: unknown[][]): Buffer {
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(rows), 'Daily KPIs');
  return XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

const goodCsv = [
  '\uFEFFStore Code, KPI Code ,Metric Date,Value',
  'S001,sales,2026-02-27,"1,234.50"',
  'S001,sales,2026-02-28,1300',
  'S002,sales,2026-02-28,980.25',
  'S001,traffic,2026-03-01,412',
  '',
  'S002,traffic,2026-03-01,388',
].join('\r\n');

describe('metrics file import', () => {
  it('imports a CSV (BOM, spaced headers, thousands separators) and queues one re-evaluation for the dates', async () => {
    const response = await upload('metrics', 'daily.csv', goodCsv);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      kind: 'metrics',
      fileName: 'daily.csv',
      rows: 5,
      inserted: 5,
      updated: 0,
      unchanged: 0,
      dates: { from: '2026-02-27', to: '2026-03-01' },
    });
    expect(body.changedDates).toEqual({ from: '2026-02-27', to: '2026-03-01' });
    expect(await metricCount()).toBe(5);
    expect(Number((await metricValue('S001', 'sales', '2026-02-27')).value)).toBe(1234.5);
    const jobs = await queuedJobs(t, evaluateJobName);
    const job = jobs.find((j) => j.id === body.evaluationJobId);
    expect(job?.data).toEqual({ organizationId: t.orgA.id, from: '2026-02-27', to: '2026-03-01' });
  });

  it('re-importing the same file writes nothing and queues no evaluation', async () => {
    const jobsBefore = (await queuedJobs(t, evaluateJobName)).length;
    const response = await upload('metrics', 'daily.csv', goodCsv);
    expect(response.json()).toMatchObject({ rows: 5, inserted: 0, updated: 0, unchanged: 5, evaluationJobId: null, changedDates: null });
    expect(await metricCount()).toBe(5);
    expect(await queuedJobs(t, evaluateJobName)).toHaveLength(jobsBefore);
  });

  it('a corrected value updates exactly that row and clears its evaluation', async () => {
    // What an evaluation would have written.
    await t.database.query(
      `update store_health.kpi_metrics set status = 'red', comparison_value = 1500, comparison_type = 'rolling_4w', variance_pct = -12.5 where organization_id = $1`,
      [t.orgA.id],
    );
    const corrected = goodCsv.replace('S002,sales,2026-02-28,980.25', 'S002,sales,2026-02-28,1180.25');
    const response = await upload('metrics', 'daily-corrected.csv', corrected);
    expect(response.json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 4, changedDates: { from: '2026-02-28', to: '2026-02-28' } });
    expect(response.json().evaluationJobId).toEqual(expect.any(String));
    const fixed = await metricValue('S002', 'sales', '2026-02-28');
    expect({ value: Number(fixed.value), status: fixed.status, comparison: fixed.comparison_value, variance: fixed.variance_pct }).toEqual({
      value: 1180.25,
      status: null,
      comparison: null,
      variance: null,
    });
    expect((await metricValue('S001', 'sales', '2026-02-28')).status).toBe('red');
    expect(await metricCount()).toBe(5);
  });

  it('imports the first sheet of an XLSX with date cells, Excel serials, ISO text and number cells', async () => {
    const bytes = xlsxFile([
      ['store_code', 'kpi_code', 'metric_date', 'value'],
      ['S001', 'sales', new Date(Date.UTC(2026, 2, 2)), 1500],
      ['S002', 'sales', 46083, '2,000'],
      ['S002', 'traffic', '2026-03-02', 401.5],
    ]);
    const response = await upload('metrics', 'week.xlsx', bytes);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ rows: 3, inserted: 3, dates: { from: '2026-03-02', to: '2026-03-02' } });
    expect(Number((await metricValue('S001', 'sales', '2026-03-02')).value)).toBe(1500);
    expect(Number((await metricValue('S002', 'sales', '2026-03-02')).value)).toBe(2000);
    expect(Number((await metricValue('S002', 'traffic', '2026-03-02')).value)).toBe(401.5);
    const again = await upload('metrics', 'week.xlsx', bytes);
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
  });

  it('creates monthly partitions across months and stores each row in its month', async () => {
    const csv = ['store_code,kpi_code,metric_date,value', 'S001,sales,2025-11-30,10', 'S001,sales,2025-12-15,11', 'S001,sales,2026-01-02,12'].join('\n');
    expect((await upload('metrics', 'history.csv', csv)).json().inserted).toBe(3);
    const rows = await t.database.query<{ partition: string; metric_date: string }>(
      `select tableoid::regclass::text as partition, metric_date::text from store_health.kpi_metrics where organization_id = $1 and metric_date < '2026-02-01' order by metric_date`,
      [t.orgA.id],
    );
    expect(rows).toEqual([
      { partition: 'store_health.kpi_metrics_2025_11', metric_date: '2025-11-30' },
      { partition: 'store_health.kpi_metrics_2025_12', metric_date: '2025-12-15' },
      { partition: 'store_health.kpi_metrics_2026_01', metric_date: '2026-01-02' },
    ]);
  });
});

describe('a bad metrics file is rejected whole, naming row and column', () => {
  const cases: { name: string; csv: string; issue: { row: number; column: string; message: RegExp } }[] = [
    {
      name: 'unknown store',
      csv: 'store_code,kpi_code,metric_date,value\nS001,sales,2026-03-05,1\nS999,sales,2026-03-05,2\n',
      issue: { row: 3, column: 'store_code', message: /no store with code "S999"/ },
    },
    {
      name: 'bad date',
      csv: 'store_code,kpi_code,metric_date,value\nS001,sales,2026-03-05,1\nS002,sales,2026-03-05,1\nS001,traffic,03/05/2026,2\n',
      issue: { row: 4, column: 'metric_date', message: /"03\/05\/2026" is not a date; write dates as YYYY-MM-DD/ },
    },
    {
      name: 'text in a number',
      csv: 'store_code,kpi_code,metric_date,value\nS001,sales,2026-03-05,twelve\n',
      issue: { row: 2, column: 'value', message: /"twelve" is not a number/ },
    },
    {
      name: 'unknown KPI',
      csv: 'store_code,kpi_code,metric_date,value\nS001,salez,2026-03-05,1\n',
      issue: { row: 2, column: 'kpi_code', message: /no KPI with code "salez"/ },
    },
    {
      name: 'duplicate key',
      csv: 'store_code,kpi_code,metric_date,value\nS001,sales,2026-03-05,1\nS002,sales,2026-03-05,1\nS001,sales,2026-03-05,2\n',
      issue: { row: 4, column: 'store_code', message: /appears twice: rows 2 and 4/ },
    },
    {
      name: 'missing column',
      csv: 'store_code,kpi_code,value\nS001,sales,1\n',
      issue: { row: 1, column: 'metric_date', message: /header row has no "metric_date" column/ },
    },
  ];
  for (const { name, csv, issue } of cases) {
    it(`${name}: 400 with the row and column, and nothing written`, async () => {
      const before = await metricCount();
      const response = await upload('metrics', `${name}.csv`, csv);
      expect(response.statusCode).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toMatch(/nothing was imported/);
      expect(error.details).toHaveLength(1);
      expect(error.details[0]).toMatchObject({ row: issue.row, column: issue.column });
      expect(error.details[0].message).toMatch(issue.message);
      expect(await metricCount()).toBe(before);
    });
  }

  it('reports every bad row of a workbook with sheet name and cell', async () => {
    const before = await metricCount();
    const bytes = xlsxFile([
      ['Store Code', 'KPI Code', 'Metric Date', 'Value'],
      ['S001', 'sales', '2026-03-06', 5],
      ['S001', 'sales', 'yesterday', 'n/a'],
    ]);
    const response = await upload('metrics', 'bad.xlsx', bytes);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      expect.objectContaining({ row: 3, column: 'metric_date', sheet: 'Daily KPIs', cell: 'C3' }),
      expect.objectContaining({ row: 3, column: 'value', sheet: 'Daily KPIs', cell: 'D3' }),
    ]);
    expect(await metricCount()).toBe(before);
  });

  it('lists at most 100 problems', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `S001,sales,2026-04-${String((i % 28) + 1).padStart(2, '0')},x${i}`);
    const response = await upload('metrics', 'many.csv', ['store_code,kpi_code,metric_date,value', ...rows].join('\n'));
    expect(response.json().error.details).toHaveLength(100);
    expect(response.json().error.details[99]).toMatchObject({ row: 101, column: 'value' });
    expect(response.json().error.message).toMatch(/checking stopped after 100 problems/);
  });

  it('a broken upload or a missing file field is a 400', async () => {
    const body = multipartFile('a.csv', goodCsv);
    const truncated = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/imports/metrics',
      headers: { ...staffA, ...body.headers },
      payload: body.payload.subarray(0, body.payload.length - 20),
    });
    expect(truncated.statusCode).toBe(400);
    const wrongField = multipartFile('a.csv', goodCsv, 'upload');
    const noFile = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/imports/metrics',
      headers: { ...staffA, ...wrongField.headers },
      payload: wrongField.payload,
    });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.details).toEqual([expect.objectContaining({ path: 'file' })]);
  });

  it('a file that is not a spreadsheet at all is a 400, not a crash', async () => {
    const response = await upload('metrics', 'photo.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/could not be read/);
  });
});

describe('metrics JSON batches and access', () => {
  it('upserts a batch and names a bad item by its path', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/metrics',
      headers: staffA,
      payload: { metrics: [{ storeCode: 'S002', kpiCode: 'sales', metricDate: '2026-03-03', value: 777 }] },
    });
    expect(ok.json()).toMatchObject({ kind: 'metrics', inserted: 1, dates: { from: '2026-03-03', to: '2026-03-03' }, evaluationJobId: expect.any(String) });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/store-health/metrics',
      headers: staffA,
      payload: {
        metrics: [
          { storeCode: 'S002', kpiCode: 'sales', metricDate: '2026-03-04', value: 1 },
          { storeCode: 'S002', kpiCode: 'sales', metricDate: '2026-02-30', value: 1 },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([expect.objectContaining({ path: 'metrics.1.metricDate', row: 2, column: 'metricDate' })]);
    expect(await metricValue('S002', 'sales', '2026-03-04')).toBeUndefined();
  });

  it("organization B cannot write to A's stores: A's codes are unknown to B", async () => {
    const before = await metricCount();
    const response = await upload('metrics', 'b.csv', 'store_code,kpi_code,metric_date,value\nS002,sales,2026-03-05,1\n', staffB);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0]).toMatchObject({ row: 2, column: 'store_code' });
    expect(await metricCount()).toBe(before);
  });

  it('viewers cannot import; staff cannot import stores', async () => {
    expect((await upload('metrics', 'v.csv', goodCsv, viewerA)).statusCode).toBe(403);
    expect((await upload('stores', 's.csv', 'store_code,name\nS009,Nine\n')).statusCode).toBe(403);
  });

  it('the CLI entry point imports the same way and reports progress', async () => {
    const steps: string[] = [];
    const result = await importStoreHealthFile(serviceContextFor(t, t.orgA), {
      kind: 'metrics',
      fileName: 'cli.csv',
      bytes: Buffer.from('store_code,kpi_code,metric_date,value\nS001,traffic,2026-03-07,5\n'),
      onProgress: (event) => steps.push(event.step),
    });
    expect(result).toMatchObject({ kind: 'metrics', rows: 1, inserted: 1, evaluationJobId: null, changedDates: { from: '2026-03-07', to: '2026-03-07' } });
    expect(steps).toContain('writing KPI values');
    const [audit] = await t.database.query<{ after: { file: string; sha256: string } }>(
      `select after from core.audit_log where organization_id = $1 and action = 'store-health.metrics.import' order by id desc limit 1`,
      [t.orgA.id],
    );
    expect(audit.after).toMatchObject({ file: 'cli.csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});
