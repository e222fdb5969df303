import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../core/auth/passwords.js';
import { createFixedClock } from '../../../core/clock.js';
import type { DemoEnvironment } from '../../../core/demo/demo-steps.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../../core/testing/test-database.js';
import { systemActor } from '../../../core/context.js';
import { listEffectiveness } from '../effectiveness/read-service.js';
import { importMetricsFile } from '../imports/import-service.js';
import { callCsvHeader } from './calls-csv.js';
import { coachingDemoSteps } from './index.js';

// New York's yesterday is 2026-12-04: the year of metrics runs 2025-12-05 … 2026-12-04.
const clock = createFixedClock('2026-12-05T15:00:00Z');
let database: TestDatabase;
let env: DemoEnvironment;
let dir: string;
let orgId: string;
const stages: string[] = [];
const timings: number[] = [];

async function runDemo() {
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const step of coachingDemoSteps({ importsDir: path.join(dir, 'demo-imports') })) await step.run(env);
  const ms = Math.round(performance.now() - started);
  const used = process.cpuUsage(cpu);
  timings.push(ms);
  // CPU time of this process (on PGlite the database runs in it too): the figure that does not depend on machine load.
  console.log(
    `coaching demo (${testDatabaseKind}): ${ms} ms wall, ${Math.round((used.user + used.system) / 1000)} ms cpu in this process, load ${os.loadavg()[0].toFixed(1)}`,
  );
}

async function counts() {
  const [row] = await database.query<Record<string, string>>(
    `select
      (select count(*) from coaching.users where organization_id = $1 and role = 'ADMIN')::text as admins,
      (select count(*) from coaching.users where organization_id = $1 and role = 'MANAGER')::text as managers,
      (select count(*) from coaching.users where organization_id = $1 and role = 'TEAM_LEADER')::text as leaders,
      (select count(*) from coaching.users where organization_id = $1 and role = 'AGENT')::text as agents,
      (select count(*) from coaching.performance_metrics where organization_id = $1)::text as metrics,
      (select count(*) from coaching.performance_history where organization_id = $1)::text as history,
      (select count(*) from coaching.coaching_sessions where organization_id = $1)::text as sessions,
      (select count(*) from coaching.quick_notes where organization_id = $1)::text as notes,
      (select count(*) from coaching.action_items where organization_id = $1)::text as items,
      (select count(*) from coaching.action_plans where organization_id = $1)::text as plans,
      (select count(*) from coaching.coaching_effectiveness where organization_id = $1)::text as effectiveness,
      (select count(*) from coaching.agent_profiles where organization_id = $1)::text as profiles`,
    [orgId],
  );
  return row;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'coaching-demo-'));
  database = await createTestDatabase();
  const [org] = await database.query<{ id: string }>(
    `insert into core.organizations (slug, name, timezone, config) values ('demo', 'RetailOps Demo Co.', 'America/New_York', '{"demo": true}') returning id`,
  );
  orgId = org.id;
  // The core demo's sign-ins (their coaching persons are linked by e-mail).
  const hash = await hashPassword('demo-password');
  for (const [email, name] of [
    ['admin@retailops.demo', 'Avery Admin'],
    ['manager@retailops.demo', 'Morgan Manager'],
    ['staff@retailops.demo', 'Sam Staff'],
    ['viewer@retailops.demo', 'Vic Viewer'],
  ])
    await database.query(`insert into core.users (email, name, password_hash) values ($1, $2, $3)`, [email, name, hash]);
  env = {
    database,
    clock,
    log: createLogger('silent'),
    progress: (e) => stages.push(e.step),
    organizations: { demo: { id: org.id, slug: 'demo', name: 'RetailOps Demo Co.', timezone: 'America/New_York' } },
  };
  await runDemo();
}, 300_000);

afterAll(async () => {
  await database?.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('coaching demo step', () => {
  it('builds the contact centre: 2 managers, 6 team leaders (3 each), 60 agents (10 each), the demo sign-ins linked', async () => {
    const c = await counts();
    expect([c.admins, c.managers, c.leaders, c.agents].map(Number)).toEqual([1, 2, 6, 60]);
    const leadersPerManager = await database.query<{ n: string }>(
      `select count(*) as n from coaching.users where organization_id = $1 and role = 'TEAM_LEADER' group by manager_id`,
      [orgId],
    );
    expect(leadersPerManager.map((r) => Number(r.n))).toEqual([3, 3]);
    const agentsPerLeader = await database.query<{ n: string; managers: string }>(
      `select count(*) as n, count(distinct a.manager_id) as managers from coaching.users a
       join coaching.users l on l.id = a.team_leader_id and l.manager_id = a.manager_id
       where a.organization_id = $1 and a.role = 'AGENT' group by a.team_leader_id`,
      [orgId],
    );
    expect(agentsPerLeader.map((r) => Number(r.n))).toEqual([10, 10, 10, 10, 10, 10]);
    const linked = await database.query<{ email: string; name: string; role: string }>(
      `select u.email, p.name, p.role from coaching.users p join core.users u on u.id = p.user_id where p.organization_id = $1 order by u.email`,
      [orgId],
    );
    expect(linked).toEqual([
      { email: 'admin@retailops.demo', name: 'Avery Admin', role: 'ADMIN' },
      { email: 'manager@retailops.demo', name: 'Morgan Manager', role: 'MANAGER' },
      { email: 'staff@retailops.demo', name: 'Sam Staff', role: 'TEAM_LEADER' },
      { email: 'viewer@retailops.demo', name: 'Vic Viewer', role: 'AGENT' },
    ]);
    // Sam leads Vic, under Morgan.
    const [vic] = await database.query<{ leader: string; manager: string }>(
      `select l.name as leader, m.name as manager from coaching.users a join coaching.users l on l.id = a.team_leader_id
       join coaching.users m on m.id = l.manager_id where a.organization_id = $1 and a.name = 'Vic Viewer'`,
      [orgId],
    );
    expect(vic).toEqual({ leader: 'Sam Staff', manager: 'Morgan Manager' });
    const zones = await database.query<{ timezone: string }>(`select distinct timezone from coaching.users where organization_id = $1 order by 1`, [orgId]);
    expect(zones.map((z) => z.timezone)).toEqual(['America/Chicago', 'America/New_York', 'Europe/London']);
  });

  it('holds a year of daily metrics per agent ending yesterday, every figure inside the seed ranges', async () => {
    const [span] = await database.query<{ first: string; last: string; min_days: number; max_days: number; rows: number }>(
      `select min(first) as first, max(last) as last, min(days)::int as min_days, max(days)::int as max_days, sum(days)::int as rows from (
         select agent_id, min(metric_date)::text as first, max(metric_date)::text as last, count(*) as days
         from coaching.performance_metrics where organization_id = $1 group by agent_id) d`,
      [orgId],
    );
    expect(span.first).toBe('2025-12-05');
    // The agent on leave since four days ago stops early; everybody else works until yesterday.
    expect(span.last).toBe('2026-12-04');
    expect(span.min_days).toBeGreaterThanOrEqual(300);
    expect(span.rows).toBeGreaterThan(15_000);
    expect(span.rows).toBeLessThan(22_000);
    const [r] = await database.query<Record<string, number>>(
      `select
        min(least(service_score, productivity_score, quality_score, attendance_rate, adherence_score, script_adherence, compliance_score, qa_score, fcr))::float as min_score,
        max(greatest(service_score, productivity_score, quality_score, attendance_rate, adherence_score, script_adherence, compliance_score, qa_score, fcr))::float as max_score,
        min(csat)::float as min_csat, max(csat)::float as max_csat, min(aht) as min_aht, max(aht) as max_aht,
        max(actual_hours - scheduled_hours)::float as over_hours, min(composite_score)::float as min_composite, max(composite_score)::float as max_composite,
        avg(composite_score)::float as avg_composite, stddev(composite_score)::float as sd_composite,
        count(*) filter (where attendance_rate < 100)::int as short_days, count(*) filter (where attendance_rate = 0)::int as absent_days,
        count(*) filter (where calls_transferred > calls_handled or calls_escalated > calls_handled)::int as impossible
       from coaching.performance_metrics where organization_id = $1`,
      [orgId],
    );
    expect(r.min_score).toBeGreaterThanOrEqual(0);
    expect(r.max_score).toBeLessThanOrEqual(100);
    expect(r.min_csat).toBeGreaterThanOrEqual(1);
    expect(r.max_csat).toBeLessThanOrEqual(5);
    expect(r.min_aht).toBeGreaterThan(120);
    expect(r.max_aht).toBeLessThan(1200);
    expect(r.over_hours).toBeLessThanOrEqual(0);
    expect(r.impossible).toBe(0);
    expect(r.avg_composite).toBeGreaterThan(75);
    expect(r.avg_composite).toBeLessThan(92);
    expect(r.sd_composite).toBeGreaterThan(3);
    expect(r.absent_days).toBeGreaterThan(100);
    expect(r.short_days).toBeGreaterThan(r.absent_days);
    // December peak: more calls and longer handle times than the summer.
    const [season] = await database.query<{ dec_calls: number; jul_calls: number; dec_aht: number; oct_aht: number }>(
      `select avg(calls_handled) filter (where metric_date between '2025-12-05' and '2025-12-23')::float as dec_calls,
              avg(calls_handled) filter (where extract(month from metric_date) = 7)::float as jul_calls,
              avg(aht) filter (where metric_date between '2025-12-05' and '2025-12-23')::float as dec_aht,
              avg(aht) filter (where extract(month from metric_date) = 10)::float as oct_aht
       from coaching.performance_metrics where organization_id = $1 and attendance_rate = 100`,
      [orgId],
    );
    expect(season.dec_calls).toBeGreaterThan(season.jul_calls * 1.1);
    expect(season.dec_aht).toBeGreaterThan(season.oct_aht * 1.05);
  });

  it('has the coaching programme: sessions of every status, upcoming ones with prep, notes, action items, profiles', async () => {
    const sessions = await database.query<{ status: string; n: number; with_notes: number; with_prep: number }>(
      `select status, count(*)::int as n, count(*) filter (where discussion_notes is not null and agent_commitments is not null and overall_effectiveness is not null)::int as with_notes,
              count(*) filter (where prep_data is not null)::int as with_prep
       from coaching.coaching_sessions where organization_id = $1 group by status order by status`,
      [orgId],
    );
    const by = Object.fromEntries(sessions.map((s) => [s.status, s]));
    expect(Object.keys(by).sort()).toEqual(['CANCELLED', 'COMPLETED', 'NO_SHOW', 'SCHEDULED']);
    expect(by.COMPLETED.n).toBeGreaterThan(250);
    expect(by.COMPLETED.with_notes).toBe(by.COMPLETED.n);
    expect(by.SCHEDULED.n).toBeGreaterThanOrEqual(40);
    expect(by.SCHEDULED.with_prep).toBe(by.SCHEDULED.n);
    const [future] = await database.query<{ n: number }>(
      `select count(*)::int as n from coaching.coaching_sessions where organization_id = $1 and status = 'SCHEDULED' and scheduled_date > $2`,
      [orgId, clock.now()],
    );
    expect(future.n).toBe(by.SCHEDULED.n);
    const [reasons] = await database.query<{ missing: number }>(
      `select count(*) filter (where (status = 'CANCELLED' and cancelled_reason is null) or (status = 'NO_SHOW' and no_show_reason is null))::int as missing
       from coaching.coaching_sessions where organization_id = $1`,
      [orgId],
    );
    expect(reasons.missing).toBe(0);
    // No leader is double-booked.
    const [clash] = await database.query<{ n: number }>(
      `select count(*)::int as n from coaching.coaching_sessions a join coaching.coaching_sessions b
         on a.team_leader_id = b.team_leader_id and a.id < b.id and a.status <> 'CANCELLED' and b.status <> 'CANCELLED'
        and a.scheduled_date < b.scheduled_date + make_interval(mins => b.planned_minutes)
        and b.scheduled_date < a.scheduled_date + make_interval(mins => a.planned_minutes)
       where a.organization_id = $1`,
      [orgId],
    );
    expect(clash.n).toBe(0);
    const [uncoached] = await database.query<{ n: number }>(
      `select count(*)::int as n from coaching.users a where a.organization_id = $1 and a.role = 'AGENT'
         and not exists (select 1 from coaching.coaching_sessions s where s.agent_id = a.id)`,
      [orgId],
    );
    expect(uncoached.n).toBe(12);
    const [notes] = await database.query<{ n: number; open: number }>(
      `select count(*)::int as n, count(*) filter (where not addressed)::int as open from coaching.quick_notes where organization_id = $1`,
      [orgId],
    );
    expect(notes.open).toBeGreaterThan(10);
    expect(notes.n - notes.open).toBeGreaterThan(100);
    const items = await database.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from coaching.action_items where organization_id = $1 group by status`,
      [orgId],
    );
    const itemsBy = Object.fromEntries(items.map((i) => [i.status, i.n]));
    for (const s of ['COMPLETED', 'IN_PROGRESS', 'OVERDUE', 'PENDING']) expect(itemsBy[s], s).toBeGreaterThan(5);
    const [profiles] = await database.query<{ n: number; styles: number; ranked: number }>(
      `select count(*)::int as n, count(distinct learning_style)::int as styles, count(*) filter (where percentile_ranking is not null)::int as ranked
       from coaching.agent_profiles where organization_id = $1`,
      [orgId],
    );
    expect(profiles).toMatchObject({ n: 60, styles: 4 });
    expect(profiles.ranked).toBeGreaterThan(50);
    const [history] = await database.query<{ weeks: number; months: number }>(
      `select count(*) filter (where period_type = 'WEEK')::int as weeks, count(*) filter (where period_type = 'MONTH')::int as months
       from coaching.performance_history where organization_id = $1`,
      [orgId],
    );
    expect(history.weeks).toBeGreaterThan(60 * 50);
    expect(history.months).toBeGreaterThan(60 * 11);
    const summary = await database.query<{ agent_count: string }>(
      `select agent_count::text from coaching.team_performance_summary where organization_id = $1`,
      [orgId],
    );
    expect(summary.map((s) => Number(s.agent_count))).toEqual([10, 10, 10, 10, 10, 10]);
  });

  it('replays the improvement plans: one succeeded, one failed, one runs now (agent on PIP)', async () => {
    const plans = await database.query<{ status: string; outcome: string | null; checkins: number; agent_status: string; approver: string }>(
      `select p.status, p.outcome, jsonb_array_length(coalesce(p.progress_updates, '[]'::jsonb))::int as checkins, a.status as agent_status,
              case when p.approved_by = l.manager_id then 'manager' else ap.role end as approver
       from coaching.action_plans p join coaching.users a on a.id = p.agent_id join coaching.users l on l.id = a.team_leader_id
       join coaching.users ap on ap.id = p.approved_by
       where p.organization_id = $1 order by p.start_date`,
      [orgId],
    );
    expect(plans.map((p) => [p.status, p.outcome, p.agent_status])).toEqual([
      ['COMPLETED', 'SUCCESS', 'ACTIVE'],
      ['FAILED', 'FAILURE', 'ACTIVE'],
      ['ACTIVE', null, 'PIP'],
    ]);
    expect(plans.map((p) => p.checkins)).toEqual([8, 8, 2]);
    // Approved through the plan service by the sign-in above: Morgan Manager, or the admin for Priya Raman's team (no sign-in).
    expect(plans.map((p) => p.approver)).toEqual(['manager', 'ADMIN', 'manager']);
  });

  it('lets the effectiveness report find the ground truth: the effective methods beat generic feedback after difference-in-differences', async () => {
    const ctx = { db: database.db, organization: env.organizations.demo, actor: systemActor('test'), role: 'admin', clock, log: createLogger('silent') };
    const { items, summary } = await listEffectiveness(ctx, {});
    expect(items.length).toBeGreaterThan(250);
    expect(items.filter((i) => i.status === 'EVALUATED').length).toBeGreaterThan(230);
    const row = (issue: string, method: string) => summary.find((r) => r.issue === issue && r.method === method)!;
    const table = summary.map(
      (r) => `${r.issue}/${r.method}: n=${r.didN} did=${r.meanDid} t=${r.tStat} rec=${r.recommended} s30=${r.sustained30Rate} s90=${r.sustained90Rate}`,
    );
    console.log(table.join('\n'));
    // AHT in seconds (positive = shorter), FCR in points, CSAT on the 1–5 scale.
    expect(row('AHT', 'Role-play').meanDid!).toBeGreaterThan(row('AHT', 'Feedback').meanDid! + 10);
    expect(row('FCR', 'Shadowing').meanDid!).toBeGreaterThan(row('FCR', 'Feedback').meanDid! + 1.5);
    expect(row('CSAT', 'Call review').meanDid!).toBeGreaterThan(row('CSAT', 'Feedback').meanDid! + 0.04);
    expect(row('AHT', 'Role-play').recommended).toBe(true);
    expect(row('FCR', 'Shadowing').recommended).toBe(true);
    for (const issue of ['AHT', 'FCR', 'CSAT']) expect(row(issue, 'Feedback').recommended, `${issue}/Feedback`).toBe(false);
  });

  it('writes a per-call CSV of the last two weeks for two agents in the PwC columns', async () => {
    const files = await readdir(path.join(dir, 'demo-imports'));
    expect(files).toEqual(['coaching-calls-2026-12-04.csv']);
    const text = await readFile(path.join(dir, 'demo-imports', files[0]), 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(callCsvHeader);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['Vic Viewer', rows.find((r) => r[1] !== 'Vic Viewer')![1]]));
    expect(rows.every((r) => r[2] >= '2026-11-21' && r[2] <= '2026-12-04' && r.length === 10)).toBe(true);
    expect(rows.some((r) => r[5] === 'N' && r[9] === '')).toBe(true);
  });

  it('re-running refreshes instead of duplicating: same counts, same person ids', async () => {
    const before = await counts();
    const ids = await database.query<{ id: string }>(`select id from coaching.users where organization_id = $1 order by employee_id`, [orgId]);
    await runDemo();
    expect(await counts()).toEqual(before);
    expect(await database.query<{ id: string }>(`select id from coaching.users where organization_id = $1 order by employee_id`, [orgId])).toEqual(ids);
    expect(stages).toContain('coaching: effectiveness tracking');
  }, 300_000);

  it('the per-call CSV imports into the demo: two agents, two weeks of days updated from their calls', async () => {
    const file = path.join(dir, 'demo-imports', 'coaching-calls-2026-12-04.csv');
    const ctx = { db: database.db, organization: env.organizations.demo, actor: systemActor('test'), role: 'admin', clock, log: createLogger('silent') };
    const result = await importMetricsFile(ctx, {
      file: { name: path.basename(file), bytes: new Uint8Array(await readFile(file)) },
      dataDir: dir,
    });
    expect(result.status).toBe('SUCCESS');
    expect(result.shape).toBe('per-call');
    expect(result.affected?.agentIds).toHaveLength(2);
    expect(result.metricRows.updated).toBeGreaterThanOrEqual(20);
    expect(result.metricRows.inserted).toBe(0);
  });
});
