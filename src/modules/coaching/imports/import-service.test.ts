import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { isAppError } from '../../../core/errors.js';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { recomputePerformanceHistory } from '../analytics/history-service.js';
import { coachingModule } from '../index.js';
import { createHierarchyFixture, type HierarchyFixture } from '../testing/hierarchy-fixture.js';
import { getImport, importMetricsFile, listImports, recomputeAfterImport, rollbackImport } from './import-service.js';
import { csv, historySnapshot, importContext, metricsSnapshot, personaContext } from './test-support.js';

let t: TestApp;
let f: HierarchyFixture;
const dataDir = '/tmp/retailops-test-data';

beforeAll(async () => {
  t = await createTestApp({ modules: [coachingModule.descriptor] });
  f = await createHierarchyFixture(t);
}, 120_000);
afterAll(async () => t?.close());

const admin = () => importContext(t, t.orgA);
const file = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });
const tick = () => t.clock.advance(60_000);

async function metricRow(agentId: string, date: string) {
  const [row] = await sqlRows<Record<string, unknown>>(
    t.database.db,
    sql`SELECT service_score::float, productivity_score::float, quality_score::float, attendance_rate::float, adherence_score::float, csat::float, fcr::float,
               aht, calls_handled, calls_transferred, calls_escalated, composite_score::float, imported_from
        FROM coaching.performance_metrics WHERE agent_id = ${agentId} AND metric_date = ${date}::date`,
  );
  return row ?? null;
}

async function expectError(promise: Promise<unknown>, status: number, message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error), `expected an AppError ${status}, got ${String(error)}`).toBe(true);
  if (!isAppError(error)) return null;
  expect(error.status).toBe(status);
  if (message) expect(error.message).toMatch(message);
  return error;
}

const withoutUpdatedAt = (rows: Record<string, unknown>[]) => rows.map(({ updated_at: _u, ...rest }) => rest);

describe('daily metrics import', () => {
  it('imports a daily file by employee id and name; the same file again is refused with 409 and changes nothing', async () => {
    const text = csv([
      'Employee ID,Date,AHT,CSAT,FCR %,Calls',
      'E-agent1,2026-02-27,300,4.5,80%,41',
      'E-agent1,2026-03-02,310,4.2,75%,38',
      'bob agent,2026-02-27,290,4.8,90%,44',
    ]);
    const result = await importMetricsFile(admin(), { file: file('daily-1.csv', text), dataDir });
    expect(result.status).toBe('SUCCESS');
    expect(result.shape).toBe('daily');
    expect(result.importedBy.name).toBe('Ada Admin');
    expect(result).toMatchObject({
      totalRows: 3,
      processedRows: 3,
      successfulRows: 3,
      failedRows: 0,
      skippedRows: 0,
      metricRows: { inserted: 1, updated: 2, unchanged: 0 },
    });
    expect(result.fileHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.fileStoragePath).toMatch(new RegExp(`^coaching-imports/${t.orgA.id}/${result.id}-daily-1\\.csv$`));
    const updated = await metricRow(f.people.agent1.id, '2026-02-27');
    expect(updated).toMatchObject({ aht: 300, csat: 4.5, fcr: 80, calls_handled: 41, imported_from: 'daily-1.csv' });
    // Columns the file does not carry keep their stored values (the fixture's composite components).
    expect(updated!.service_score).not.toBeNull();
    const inserted = await metricRow(f.people.agent1.id, '2026-03-02');
    expect(inserted).toMatchObject({ aht: 310, csat: 4.2, fcr: 75, service_score: null, composite_score: null });
    expect(await metricRow(f.people.agent2.id, '2026-02-27')).toMatchObject({ aht: 290, csat: 4.8, fcr: 90 });
    expect(result.affected).toEqual({ agentIds: expect.arrayContaining([f.people.agent1.id, f.people.agent2.id]), from: '2026-02-27', to: '2026-03-02' });

    const before = await metricsSnapshot(t, t.orgA.id);
    const [{ n: logsBefore }] = await sqlRows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM coaching.import_logs WHERE organization_id = ${t.orgA.id}`,
    );
    tick();
    const error = await expectError(
      importMetricsFile(admin(), { file: file('renamed-copy.csv', text), dataDir }),
      409,
      /already imported on 2026-03-02 14:0\d UTC as import/,
    );
    expect(error?.message).toContain(result.id);
    expect(error?.details).toMatchObject({ importId: result.id, fileName: 'daily-1.csv' });
    expect(await metricsSnapshot(t, t.orgA.id)).toEqual(before);
    const [{ n: logsAfter }] = await sqlRows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM coaching.import_logs WHERE organization_id = ${t.orgA.id}`,
    );
    expect(logsAfter).toBe(logsBefore);

    const detail = await getImport(admin(), result.id);
    expect(detail.rowChanges).toEqual({ inserted: 1, updated: 2, agents: 2, from: '2026-02-27', to: '2026-03-02' });
    const list = await listImports(admin());
    expect(list.items.map((i) => i.id)).toContain(result.id);
  });

  it('skips rows identical to what is stored', async () => {
    const stored = await metricRow(f.people.agent4.id, '2026-02-10');
    tick();
    const result = await importMetricsFile(admin(), {
      file: file(
        'same-values.csv',
        csv(['Agent,Date,AHT,CSAT', `E-agent4,2026-02-10,${String(stored!.aht)},${String(stored!.csat)}`, 'E-agent4,2026-02-11,100,5']),
      ),
      dataDir,
    });
    expect(result).toMatchObject({ status: 'SUCCESS', successfulRows: 1, skippedRows: 1, metricRows: { inserted: 0, updated: 1, unchanged: 1 } });
    expect((await metricRow(f.people.agent4.id, '2026-02-10'))!.imported_from).toBe('fixture');
  });

  it('rollback restores every column of the rows it changed, deletes the rows it inserted, and the history equals the pre-import history', async () => {
    const ctx = admin();
    await recomputePerformanceHistory(ctx, {});
    const metricsBefore = await metricsSnapshot(t, t.orgA.id);
    const historyBefore = await historySnapshot(t, t.orgA.id);
    expect(historyBefore.length).toBeGreaterThan(0);
    tick();
    const text = csv([
      'Agent,Date,Service,Productivity,Quality,Attendance,Adherence,CSAT,AHT,Transfers,Scheduled hours,QA score',
      'E-agent3,2026-02-14,10,20,30,40,50,1.5,900,9,7.5,55',
      'E-agent3,2026-02-15,11,21,31,41,51,1.6,901,8,7.5,56',
      'E-agent3,2026-03-02,12,22,32,42,52,1.7,902,7,6,57',
      'E-agent3,2026-01-20,13,23,33,43,53,1.8,903,6,6,58',
    ]);
    const result = await importMetricsFile(ctx, { file: file('over-existing.csv', text), dataDir });
    expect(result.metricRows).toEqual({ inserted: 2, updated: 2, unchanged: 0 });
    expect(await metricRow(f.people.agent3.id, '2026-02-14')).toMatchObject({
      service_score: 10,
      composite_score: 10 * 0.25 + 20 * 0.2 + 30 * 0.2 + 40 * 0.2 + 50 * 0.15,
    });
    await recomputeAfterImport(ctx, result.affected);
    expect(await historySnapshot(t, t.orgA.id)).not.toEqual(historyBefore);

    tick();
    const rolledBack = await rollbackImport(ctx, result.id);
    expect(rolledBack).toMatchObject({ status: 'ROLLED_BACK', restored: 2, deleted: 2, rollbackExecutedBy: { name: 'Ada Admin' } });
    expect(rolledBack.rollbackExecutedAt).toEqual(t.clock.now());
    expect(withoutUpdatedAt(await metricsSnapshot(t, t.orgA.id))).toEqual(withoutUpdatedAt(metricsBefore));
    await recomputeAfterImport(ctx, rolledBack.affected);
    expect(await historySnapshot(t, t.orgA.id)).toEqual(historyBefore);

    await expectError(rollbackImport(ctx, result.id), 409, /already rolled back/);
    // Rolled back: the same file may be imported again.
    tick();
    const again = await importMetricsFile(ctx, { file: file('over-existing.csv', text), dataDir });
    expect(again.status).toBe('SUCCESS');
    tick();
    await rollbackImport(ctx, again.id);
  });

  it('refuses to roll back an import while a later import changed the same rows, naming it', async () => {
    const ctx = admin();
    const original = await metricRow(f.people.agent2.id, '2026-02-20');
    tick();
    const first = await importMetricsFile(ctx, { file: file('first.csv', csv(['Agent,Date,AHT', 'E-agent2,2026-02-20,111'])), dataDir });
    tick();
    const second = await importMetricsFile(ctx, { file: file('second.csv', csv(['Agent,Date,AHT', 'E-agent2,2026-02-20,222'])), dataDir });
    const blocked = await expectError(rollbackImport(ctx, first.id), 409, /roll that import back first/);
    expect(blocked?.message).toContain(second.id);
    expect(blocked?.message).toContain('second.csv');
    expect((await getImport(ctx, first.id)).rollbackBlockedBy).toMatchObject({ id: second.id, fileName: 'second.csv' });
    tick();
    await rollbackImport(ctx, second.id);
    expect((await metricRow(f.people.agent2.id, '2026-02-20'))!.aht).toBe(111);
    tick();
    await rollbackImport(ctx, first.id);
    expect(await metricRow(f.people.agent2.id, '2026-02-20')).toEqual(original);
  });
});

describe('validation', () => {
  const badFile = csv([
    'Agent,Date,AHT,CSAT,Calls,Service,Scheduled hours,Topic',
    'E-agent1,2026-01-05,300,4.1,40,80,8,x',
    'E-agent1,31/02/2026,300,4.1,40,80,8,x',
    'E-agent2,2026-01-05,300,7,40,80,8,x',
    'E-agent2,2026-01-06,300,4,-3,80,8,x',
    'Nobody Known,2026-01-05,300,4,40,80,8,x',
    'E-agent4,2026-01-05,300,4,40,120,25,x',
    'E-agent4,2026-01-06,300,4,40,80,8,x',
    'E-agent4,2026-01-06,301,4,40,80,8,x',
  ]);

  it('a file with bad rows gives row-level errors and writes nothing', async () => {
    const before = await metricsSnapshot(t, t.orgA.id);
    tick();
    const result = await importMetricsFile(admin(), { file: file('bad.csv', badFile), dataDir });
    expect(result.status).toBe('FAILED');
    expect(result).toMatchObject({ totalRows: 8, successfulRows: 0, failedRows: 7 });
    const byRow = (row: number) => result.errorDetails.filter((e) => e.row === row);
    expect(byRow(3)[0]).toMatchObject({ column: 'Date (B)' });
    expect(byRow(4)[0]).toMatchObject({ column: 'CSAT (D)', error: expect.stringMatching(/7 is out of range: csat must be a CSAT between 1 and 5/) });
    expect(byRow(5)[0]).toMatchObject({ column: 'Calls (E)', message: expect.stringMatching(/-3 is out of range/) });
    expect(byRow(6)[0]).toMatchObject({ column: 'Agent (A)', message: expect.stringMatching(/no agent "Nobody Known"/) });
    expect(byRow(7).map((e) => e.column)).toEqual(['Service (F)', 'Scheduled hours (G)']);
    expect(byRow(8)[0].message).toMatch(/appears again further down/);
    expect(byRow(9)[0].message).toMatch(/already in row 8/);
    expect(byRow(2)).toEqual([]);
    expect(result.errorSummary).toMatch(/Nothing was written/);
    expect(result.errorSummary).toMatch(/Ignored column "Topic"/);
    expect(await metricsSnapshot(t, t.orgA.id)).toEqual(before);
  });

  it('with partialSuccess the good rows are written and the status is PARTIAL_SUCCESS', async () => {
    tick();
    const result = await importMetricsFile(admin(), { file: file('bad.csv', badFile), dataDir, options: { partialSuccess: true } });
    expect(result).toMatchObject({
      status: 'PARTIAL_SUCCESS',
      totalRows: 8,
      successfulRows: 1,
      failedRows: 7,
      metricRows: { inserted: 1, updated: 0, unchanged: 0 },
    });
    expect(await metricRow(f.people.agent1.id, '2026-01-05')).toMatchObject({ aht: 300, csat: 4.1, calls_handled: 40, service_score: 80 });
    expect(await metricRow(f.people.agent2.id, '2026-01-05')).toBeNull();
    expect(await metricRow(f.people.agent4.id, '2026-01-06')).toBeNull();
    tick();
    await rollbackImport(admin(), result.id);
    expect(await metricRow(f.people.agent1.id, '2026-01-05')).toBeNull();
  });

  it('a file without an agent or date column fails with a clear message', async () => {
    tick();
    const result = await importMetricsFile(admin(), { file: file('no-agent.csv', csv(['Day,AHT', '2026-01-05,300'])), dataDir });
    expect(result.status).toBe('FAILED');
    expect(result.errorSummary).toMatch(/no column for agent/);
  });
});

describe('per-call export', () => {
  it('aggregates calls into per-agent daily metrics with the documented derivation (hand-computed)', async () => {
    tick();
    const text = csv([
      'Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,AvgTalkDuration,Satisfaction rating',
      'C1,Alice Agent,2026-01-12,0.40,Billing,Y,Y,30,0.0020833333333333333,5',
      'C2,Alice Agent,2026-01-12,0.50,Billing,Y,N,90,0.003472222222222222,3',
      'C3,Alice Agent,2026-01-12,0.60,Billing,N,N,,,',
      'C4,Alice Agent,2026-01-12,0.70,Billing,Y,Y,45,0.002777777777777778,4',
      'C5,Bob Agent,2026-01-12,0.40,Billing,Y,Y,10,0.0011574074074074073,2',
      'C6,Bob Agent,2026-01-12,0.45,Billing,Y,Y,70,0.0006944444444444445,3',
    ]);
    const result = await importMetricsFile(admin(), { file: file('calls.csv', text), dataDir });
    expect(result).toMatchObject({ status: 'SUCCESS', shape: 'per-call', totalRows: 6, successfulRows: 6, metricRows: { inserted: 2 } });
    // Alice: 4 offered, 3 answered; ratings 5,3,4; resolved 2 of 3; talk 180,300,240 s; 2 of 3 answered within 60 s.
    expect(await metricRow(f.people.agent1.id, '2026-01-12')).toEqual({
      calls_handled: 3,
      csat: 4,
      fcr: 66.67,
      aht: 240,
      calls_transferred: null,
      calls_escalated: null,
      service_score: 75,
      quality_score: 66.67,
      productivity_score: 75,
      adherence_score: 66.67,
      attendance_rate: 100,
      composite_score: 77.08, // 75×.25 + 75×.2 + 66.67×.2 + 100×.2 + 66.67×.15 = 77.0845
      imported_from: 'calls.csv',
    });
    // Bob: 2 of 2 answered and resolved; ratings 2,3; talk 100,60 s; 1 of 2 within 60 s.
    expect(await metricRow(f.people.agent2.id, '2026-01-12')).toMatchObject({
      calls_handled: 2,
      csat: 2.5,
      fcr: 100,
      aht: 80,
      service_score: 37.5,
      quality_score: 100,
      productivity_score: 100,
      adherence_score: 50,
      attendance_rate: 100,
      composite_score: 76.88, // 9.375 + 20 + 20 + 20 + 7.5
    });
    tick();
    await rollbackImport(admin(), result.id);
  });

  it('detects per-call rows without a call id (several rows per agent and day), honours the override, and keeps a broken day out', async () => {
    const text = csv([
      'Agent,Date,Answered,Talk time,Satisfaction',
      'E-agent1,2026-01-13,Y,0:03:00,4',
      'E-agent1,2026-01-13,Y,0:05:00,5',
      'E-agent2,2026-01-13,Y,0:02:00,3',
      'E-agent2,2026-01-13,maybe,0:02:00,3',
    ]);
    tick();
    const result = await importMetricsFile(admin(), { file: file('calls-no-id.csv', text), dataDir, options: { partialSuccess: true } });
    expect(result.shape).toBe('per-call');
    expect(result).toMatchObject({ status: 'PARTIAL_SUCCESS', successfulRows: 2, failedRows: 2 });
    expect(result.errorDetails).toEqual([expect.objectContaining({ row: 5, column: 'Answered (C)' })]);
    expect(result.errorSummary).toMatch(/1 agent-day was not written because one of their calls has an error/);
    expect(await metricRow(f.people.agent1.id, '2026-01-13')).toMatchObject({ calls_handled: 2, aht: 240, csat: 4.5 });
    expect(await metricRow(f.people.agent2.id, '2026-01-13')).toBeNull();
    tick();
    await rollbackImport(admin(), result.id);
    const forced = await importMetricsFile(admin(), { file: file('calls-no-id.csv', text), dataDir, options: { aggregate: 'daily' } });
    expect(forced.shape).toBe('daily');
    expect(forced.status).toBe('FAILED');
  });
});

describe('who may import', () => {
  it('a manager imports only for agents in their hierarchy; others are row errors naming the agent', async () => {
    const ctx = await personaContext(f, 'manager1');
    tick();
    const failed = await importMetricsFile(ctx, {
      file: file('mgr.csv', csv(['Agent,Date,AHT', 'E-agent1,2026-01-20,200', 'Carla Agent,2026-01-20,200'])),
      dataDir,
    });
    expect(failed.status).toBe('FAILED');
    expect(failed.errorDetails).toEqual([expect.objectContaining({ row: 3, message: expect.stringMatching(/Carla Agent is not one of your agents/) })]);
    expect(failed.importedBy.name).toBe('Mona Manager');
    tick();
    const partial = await importMetricsFile(ctx, {
      file: file('mgr.csv', csv(['Agent,Date,AHT', 'E-agent1,2026-01-20,200', 'Carla Agent,2026-01-20,200'])),
      dataDir,
      options: { partialSuccess: true },
    });
    expect(partial.status).toBe('PARTIAL_SUCCESS');
    expect((await metricRow(f.people.agent1.id, '2026-01-20'))!.aht).toBe(200);
    expect(await metricRow(f.people.agent3.id, '2026-01-20')).toBeNull();
    // manager2 does not see manager1's import.
    await expectError(getImport(await personaContext(f, 'manager2'), partial.id), 404);
    await expectError(rollbackImport(await personaContext(f, 'manager2'), partial.id), 404);
    tick();
    await rollbackImport(ctx, partial.id);
    await expectError(
      importMetricsFile(ctx, { file: file('mgr2.csv', csv(['Agent,Date,AHT', 'New Hire,2026-01-20,200'])), dataDir, options: { createMissingAgents: true } }),
      403,
      /cannot create agents/,
    );
  });

  it('team leaders and agents get 403', async () => {
    for (const who of ['leader1', 'agent1'] as const) {
      await expectError(
        importMetricsFile(await personaContext(f, who), { file: file(`${who}.csv`, csv(['Agent,Date,AHT', 'E-agent1,2026-01-21,200'])), dataDir }),
        403,
      );
    }
  });

  it('an admin may create missing agents; an org admin without a person gets a linked ADMIN person', async () => {
    tick();
    const result = await importMetricsFile(importContext(t, t.orgB, { userId: t.orgB.userIds.admin, role: 'admin' }), {
      file: file('new-agents.csv', csv(['Agent,Date,CSAT', 'Nina New,2026-01-22,4.4', 'nina new,2026-01-23,4.6', 'ned@example.test,2026-01-22,3.9'])),
      dataDir,
      options: { createMissingAgents: true },
    });
    expect(result.status).toBe('SUCCESS');
    expect(result.createdAgents.map((a) => a.name).sort()).toEqual(['Nina New', 'ned']);
    expect(result.importedBy.name).toBe(`admin of ${t.orgB.slug}`);
    const [person] = await sqlRows<{ role: string; user_id: string }>(
      t.database.db,
      sql`SELECT role, user_id FROM coaching.users WHERE id = ${result.importedBy.id}`,
    );
    expect(person).toEqual({ role: 'ADMIN', user_id: t.orgB.userIds.admin });
    const [agent] = await sqlRows<{ role: string; team_leader_id: string | null; n: number }>(
      t.database.db,
      sql`SELECT u.role, u.team_leader_id, (SELECT count(*)::int FROM coaching.performance_metrics m WHERE m.agent_id = u.id) AS n FROM coaching.users u WHERE u.organization_id = ${t.orgB.id} AND u.name = 'Nina New'`,
    );
    expect(agent).toEqual({ role: 'AGENT', team_leader_id: null, n: 2 });
  });
});
