import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlRows } from '../../core/db/sql-rows.js';
import { createTestApp, type TestApp, type TestOrg } from '../../core/testing/test-app.js';
import { importMetricsFile, recomputeAfterImport } from './imports/import-service.js';
import { importContext } from './imports/test-support.js';
import { coachingModule } from './index.js';

/**
 * The PwC call-centre dataset (5,000 calls of 8 agents, Q1 2021; durations as Excel fractions of a day) imported as a
 * per-call export, from the CSV and from the workbook, into per-agent daily metrics with composites and history.
 */
const folder = path.resolve(process.cwd(), '../shared/data/pwc_call_center');
const csvPath = path.join(folder, 'call_center_pwc.csv');
const xlsxPath = path.join(folder, 'Call-Center-Dataset.xlsx');
const present = existsSync(csvPath) && existsSync(xlsxPath);
if (!present) console.warn(`coaching real-data test skipped: ${folder} (call_center_pwc.csv, Call-Center-Dataset.xlsx) is not there`);

interface RawCall {
  agent: string;
  date: string;
  answered: boolean;
  resolved: boolean;
  speed: number | null;
  talkFraction: number | null;
  rating: number | null;
}

function rawCalls(): RawCall[] {
  const [, ...lines] = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
  return lines.map((line) => {
    const c = line.split(',');
    return {
      agent: c[1],
      date: c[2],
      answered: c[5] === 'Y',
      resolved: c[6] === 'Y',
      speed: c[7] === '' ? null : Number(c[7]),
      talkFraction: c[8] === '' ? null : Number(c[8]),
      rating: c[9] === '' ? null : Number(c[9]),
    };
  });
}

/** The expected day, computed here from the raw rows independently of the import code. */
function expectedDay(calls: RawCall[]) {
  const answered = calls.filter((c) => c.answered);
  const ratings = answered.filter((c) => c.rating !== null).map((c) => c.rating!);
  const csat = ratings.reduce((a, b) => a + b, 0) / ratings.length;
  const fcr = (answered.filter((c) => c.resolved).length / answered.length) * 100;
  const aht = answered.reduce((a, c) => a + c.talkFraction! * 86_400, 0) / answered.length;
  const withinMinute = (answered.filter((c) => c.speed! <= 60).length / answered.length) * 100;
  return {
    calls_handled: answered.length,
    csat: Math.round(csat * 100) / 100,
    fcr: Math.round(fcr * 100) / 100,
    aht: Math.round(aht),
    service_score: Math.round(((csat - 1) / 4) * 100 * 100) / 100,
    quality_score: Math.round(fcr * 100) / 100,
    productivity_score: Math.round((answered.length / calls.length) * 100 * 100) / 100,
    adherence_score: Math.round(withinMinute * 100) / 100,
    attendance_rate: 100,
  };
}

describe.skipIf(!present)('PwC call-centre data: per-call rows → per-agent daily metrics, composites and history', () => {
  let t: TestApp;
  const metrics = async (org: TestOrg) =>
    sqlRows<Record<string, number | string | null>>(
      t.database.db,
      sql`SELECT u.name AS agent, m.metric_date::text AS date, m.calls_handled, m.csat::float AS csat, m.fcr::float AS fcr, m.aht,
                 m.service_score::float AS service_score, m.quality_score::float AS quality_score, m.productivity_score::float AS productivity_score,
                 m.adherence_score::float AS adherence_score, m.attendance_rate::float AS attendance_rate, m.composite_score::float AS composite_score
          FROM coaching.performance_metrics m JOIN coaching.users u ON u.id = m.agent_id
          WHERE m.organization_id = ${org.id} ORDER BY u.name, m.metric_date`,
    );

  beforeAll(async () => {
    t = await createTestApp({ modules: [coachingModule.descriptor] });
  }, 120_000);
  afterAll(async () => t?.close());

  it('imports the CSV and the workbook into the same daily metrics of 8 agents, with composites and trends', async () => {
    const calls = rawCalls();
    const options = { createMissingAgents: true };
    const fromCsv = await importMetricsFile(importContext(t, t.orgA), {
      file: { name: 'call_center_pwc.csv', bytes: readFileSync(csvPath) },
      options,
      dataDir: '/tmp/retailops-test-data',
    });
    const fromXlsx = await importMetricsFile(importContext(t, t.orgB), {
      file: { name: 'Call-Center-Dataset.xlsx', bytes: readFileSync(xlsxPath) },
      options,
      dataDir: '/tmp/retailops-test-data',
    });
    for (const result of [fromCsv, fromXlsx]) {
      expect(result.shape).toBe('per-call');
      expect(result.status).toBe('SUCCESS');
      expect(result.totalRows).toBe(5000);
      expect(result.successfulRows).toBe(5000);
      expect(result.createdAgents).toHaveLength(8);
    }
    const agentDays = new Set(calls.map((c) => `${c.agent}|${c.date}`));
    expect(fromCsv.metricRows.inserted).toBe(agentDays.size);

    const rowsA = await metrics(t.orgA);
    const rowsB = await metrics(t.orgB);
    expect(rowsA).toHaveLength(agentDays.size);
    expect(rowsB).toEqual(rowsA);
    expect(new Set(rowsA.map((r) => r.agent)).size).toBe(8);

    const sample = [...agentDays].filter((_, i) => i % 97 === 0).slice(0, 6);
    for (const key of sample) {
      const [agent, date] = key.split('|');
      const day = calls.filter((c) => c.agent === agent && c.date === date);
      const row = rowsA.find((r) => r.agent === agent && r.date === date)!;
      expect(row, key).toMatchObject(expectedDay(day));
    }
    for (const row of rowsA) {
      if (row.csat === null) continue;
      expect(row.composite_score, `${row.agent} ${row.date}`).not.toBeNull();
      expect(row.composite_score as number).toBeGreaterThanOrEqual(0);
      expect(row.composite_score as number).toBeLessThanOrEqual(100);
    }
    expect(rowsA.filter((r) => r.composite_score !== null).length).toBeGreaterThan(agentDays.size * 0.95);

    const recomputed = await recomputeAfterImport(importContext(t, t.orgA), fromCsv.affected);
    expect(recomputed?.agents).toBe(8);
    const history = await sqlRows<{ period_type: string; n: number; trends: number; composite: number }>(
      t.database.db,
      sql`SELECT period_type, count(*)::int AS n, count(service_trend)::int AS trends, count(avg_composite_score)::int AS composite
          FROM coaching.performance_history WHERE organization_id = ${t.orgA.id} GROUP BY period_type ORDER BY period_type`,
    );
    const byType = Object.fromEntries(history.map((h) => [h.period_type, h]));
    expect(byType.MONTH).toMatchObject({ n: 24, composite: 24 });
    expect(byType.MONTH.trends).toBe(16); // February and March compare with the month before, for each of the 8 agents
    expect(byType.WEEK.n).toBeGreaterThanOrEqual(8 * 13);
    expect(byType.WEEK.trends).toBeGreaterThan(8 * 11);
    expect(byType.QUARTER).toMatchObject({ n: 8 });
  }, 120_000);
});
