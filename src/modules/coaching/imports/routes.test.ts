import { sql } from 'drizzle-orm';
import * as XLSX from 'xlsx-republish';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { defineJob } from '../../../core/jobs/index.js';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { z } from 'zod';
import { coachingModule } from '../index.js';
import { recomputeHistoryJobName } from '../shared/job-names.js';
import { multipartBody } from './test-support.js';

/** Per-call rows as a workbook: durations and times formatted as h:mm:ss (Excel fractions of a day), true date cells. */
function callsWorkbook(): Uint8Array {
  const rows: unknown[][] = [
    ['Call Id', 'Agent', 'Date', 'Time', 'Answered (Y/N)', 'Resolved', 'Speed of answer in seconds', 'AvgTalkDuration', 'Satisfaction rating'],
    ['X1', 'Wanda Web', new Date(2026, 0, 5), 0.4, 'Y', 'Y', 20, 120 / 86_400, 5],
    ['X2', 'Wanda Web', new Date(2026, 0, 5), 0.5, 'Y', 'N', 80, 240 / 86_400, 4],
  ];
  const sheet = XLSX.utils.aoa_to_sheet(rows, { cellDates: true });
  for (const ref of ['D2', 'D3', 'H2', 'H3']) sheet[ref].z = 'h:mm:ss';
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, 'Calls');
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Uint8Array;
}

describe('coaching import routes', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  const queued: unknown[] = [];
  const recomputeStub = defineJob({
    name: recomputeHistoryJobName,
    description: 'test stand-in',
    payload: z.object({ organizationId: z.uuid(), agentIds: z.array(z.uuid()).optional(), from: z.string().optional(), to: z.string().optional() }),
    run: async (_ctx, payload) => {
      queued.push(payload);
      return {};
    },
  });

  beforeAll(async () => {
    t = await createTestApp({ modules: [coachingModule.descriptor], jobs: [recomputeStub] });
    headers = (await t.login(t.orgA.emails.admin)).headers;
  }, 120_000);
  afterAll(async () => t?.close());

  const post = (url: string, file: { name: string; bytes: Uint8Array | string }, options?: unknown) => {
    const form = multipartBody(options === undefined ? {} : { options: JSON.stringify(options) }, file);
    return t.app.inject({ method: 'POST', url, payload: form.payload, headers: { ...headers, ...form.headers } });
  };

  it('previews a per-call workbook: shape, mapping, aggregated sample day', async () => {
    const response = await post('/api/coaching/imports/preview', { name: 'calls.xlsx', bytes: callsWorkbook() });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ format: 'xlsx', sheet: 'Calls', shape: 'per-call', rowCount: 2, agentDays: 1, rowErrorCount: 0 });
    expect(body.mapping.talk_duration).toEqual({ letter: 'H', header: 'AvgTalkDuration' });
    expect(body.sampleDays).toEqual([
      {
        agent: 'Wanda Web',
        date: '2026-01-05',
        calls: 2,
        values: expect.objectContaining({ calls_handled: 2, csat: 4.5, fcr: 50, aht: 180, service_score: 87.5, adherence_score: 50, attendance_rate: 100 }),
      },
    ]);
  });

  it('imports the workbook, creates the agent, queues the history recompute, and answers 409 for the same file', async () => {
    const bytes = callsWorkbook();
    const response = await post('/api/coaching/imports', { name: 'calls.xlsx', bytes }, { createMissingAgents: true });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ status: 'SUCCESS', shape: 'per-call', createdAgents: [{ name: 'Wanda Web' }], recompute: { mode: 'queued' } });
    expect(body.importedBy.name).toBe(`admin of ${t.orgA.slug}`);
    const [job] = await sqlRows<{ data: Record<string, unknown> }>(t.database.db, sql`SELECT data FROM pgboss.job WHERE name = ${recomputeHistoryJobName}`);
    expect(job.data).toEqual({ organizationId: t.orgA.id, agentIds: [body.createdAgents[0].id], from: '2026-01-05', to: '2026-01-05' });

    const again = await post('/api/coaching/imports', { name: 'calls-copy.xlsx', bytes }, { createMissingAgents: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'COACHING_IMPORT_DUPLICATE_FILE', details: { importId: body.id } });

    const detail = await t.app.inject({ method: 'GET', url: `/api/coaching/imports/${body.id}`, headers });
    expect(detail.json()).toMatchObject({ rowChanges: { inserted: 1, updated: 0, agents: 1 }, rollbackBlockedBy: null, fileHash: body.fileHash });
    const rollback = await t.app.inject({ method: 'POST', url: `/api/coaching/imports/${body.id}/rollback`, headers, payload: {} });
    expect(rollback.statusCode).toBe(200);
    expect(rollback.json()).toMatchObject({ status: 'ROLLED_BACK', deleted: 1, recompute: { mode: 'queued' } });
  });

  it('answers 400 for options that are not JSON or not known, and 200 with a FAILED log for an unreadable workbook', async () => {
    const form = multipartBody({ options: '{nope' }, { name: 'a.csv', bytes: 'Agent,Date,AHT\nx,2026-01-01,1\n' });
    const notJson = await t.app.inject({ method: 'POST', url: '/api/coaching/imports', payload: form.payload, headers: { ...headers, ...form.headers } });
    expect(notJson.statusCode).toBe(400);
    expect((await post('/api/coaching/imports', { name: 'a.csv', bytes: 'Agent,Date,AHT\n' }, { bogus: true })).statusCode).toBe(400);
    const broken = await post('/api/coaching/imports', { name: 'broken.xlsx', bytes: 'not a workbook' });
    expect(broken.statusCode).toBe(200);
    expect(broken.json()).toMatchObject({ status: 'FAILED', errorSummary: expect.stringMatching(/not an Excel workbook/) });
  });
});
