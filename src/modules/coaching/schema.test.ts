import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../core/testing/test-database.js';

let database: TestDatabase;
let orgA: string;
let orgB: string;
const people: Record<string, string> = {};

async function person(org: string, key: string, role: string, extra: { teamLeader?: string; manager?: string; employeeId?: string } = {}) {
  const [row] = await database.query<{ id: string }>(
    `insert into coaching.users (organization_id, name, role, team_leader_id, manager_id, employee_id) values ($1, $2, $3, $4, $5, $6) returning id`,
    [org, key, role, extra.teamLeader ? people[extra.teamLeader] : null, extra.manager ? people[extra.manager] : null, extra.employeeId ?? null],
  );
  people[key] = row.id;
  return row.id;
}

async function metric(org: string, agent: string, date: string, scores: [number, number, number, number, number]) {
  await database.query(
    `insert into coaching.performance_metrics (organization_id, agent_id, metric_date, service_score, productivity_score, quality_score, attendance_rate, adherence_score)
     values ($1, $2, ${date}, $3, $4, $5, $6, $7)`,
    [org, people[agent], ...scores],
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  const orgs = await database.query<{ id: string }>(`insert into core.organizations (slug, name) values ('coach-a', 'A'), ('coach-b', 'B') returning id`);
  [orgA, orgB] = orgs.map((o) => o.id);
  await person(orgA, 'manager', 'MANAGER', { employeeId: 'E1' });
  await person(orgA, 'leader', 'TEAM_LEADER', { manager: 'manager', employeeId: 'E2' });
  await person(orgA, 'agent1', 'AGENT', { teamLeader: 'leader', employeeId: 'E3' });
  await person(orgA, 'agent2', 'AGENT', { teamLeader: 'leader' });
  await person(orgB, 'leaderB', 'TEAM_LEADER', { employeeId: 'E1' });
  await person(orgB, 'agentB', 'AGENT', { teamLeader: 'leaderB' });
  await metric(orgA, 'agent1', `current_date - 1`, [80, 80, 80, 80, 80]);
  await metric(orgA, 'agent2', `current_date - 1`, [90, 70, 60, 100, 50]);
  await metric(orgB, 'agentB', `current_date - 1`, [10, 10, 10, 10, 10]);
  // Two plans for agent1 (one active): the seed's single join would count agent1's metrics twice in the averages.
  for (const status of ['ACTIVE', 'COMPLETED']) {
    await database.query(
      `insert into coaching.action_plans (organization_id, agent_id, created_by, start_date, target_end_date, status, reason_for_plan, target_metrics, success_criteria)
       values ($1, $2, $3, current_date - 10, current_date + 20, $4, 'Quality below target', '{"quality_score":{"target":85,"current":72}}', '{"mandatory":["quality_score >= 85"]}')`,
      [orgA, people.agent1, people.leader, status],
    );
  }
});
afterAll(async () => database?.destroy());

describe('coaching schema (seed 004)', () => {
  it('represents an agent who never signs in (no core.users row) in the hierarchy', async () => {
    const [row] = await database.query<{ user_id: string | null; status: string; timezone: string; manager: string }>(
      `select a.user_id, a.status, a.timezone, m.name as manager
         from coaching.users a join coaching.users tl on tl.id = a.team_leader_id join coaching.users m on m.id = tl.manager_id where a.id = $1`,
      [people.agent2],
    );
    expect(row).toEqual({ user_id: null, status: 'ACTIVE', timezone: 'UTC', manager: 'manager' });
  });

  it('computes composite_score as the seed’s generated column, and the session and import durations', async () => {
    const rows = await database.query<{ agent_id: string; composite_score: string }>(
      `select agent_id, composite_score::text from coaching.performance_metrics where organization_id = $1 order by composite_score desc`,
      [orgA],
    );
    expect(rows).toEqual([
      { agent_id: people.agent1, composite_score: '80.00' },
      { agent_id: people.agent2, composite_score: '76.00' }, // 90×.25 + 70×.20 + 60×.20 + 100×.20 + 50×.15
    ]);
    await expect(database.query(`update coaching.performance_metrics set composite_score = 1 where agent_id = $1`, [people.agent1])).rejects.toThrow(
      /composite_score/,
    );

    const [session] = await database.query<{ duration_minutes: number }>(
      `insert into coaching.coaching_sessions (organization_id, agent_id, team_leader_id, scheduled_date, actual_start_time, actual_end_time, status)
       values ($1, $2, $3, now() - interval '2 days', '2026-12-01T10:00:00Z', '2026-12-01T10:45:00Z', 'COMPLETED') returning duration_minutes`,
      [orgA, people.agent1, people.leader],
    );
    expect(session.duration_minutes).toBe(45);
    const [log] = await database.query<{ processing_time_seconds: number }>(
      `insert into coaching.import_logs (organization_id, file_name, import_type, imported_by, status, started_at, completed_at, file_hash)
       values ($1, 'day.csv', 'METRICS', $2, 'SUCCESS', '2026-12-01T10:00:00Z', '2026-12-01T10:02:30Z', 'abc') returning processing_time_seconds`,
      [orgA, people.leader],
    );
    expect(log.processing_time_seconds).toBe(150);
  });

  it('refuses bad rows: roles, statuses, scores, duplicates per organization', async () => {
    await expect(person(orgA, 'x', 'SUPERVISOR')).rejects.toThrow(/coaching_users_role_check/);
    await expect(database.query(`insert into coaching.users (organization_id, name, role, status) values ($1, 'y', 'AGENT', 'FIRED')`, [orgA])).rejects.toThrow(
      /coaching_users_status_check/,
    );
    await expect(person(orgA, 'dup', 'AGENT', { employeeId: 'E3' })).rejects.toThrow(/coaching_users_org_employee_key/);
    await expect(metric(orgA, 'agent1', `current_date - 1`, [1, 1, 1, 1, 1])).rejects.toThrow(/performance_metrics_org_agent_date_key/);
    await expect(metric(orgA, 'agent1', `current_date - 2`, [101, 1, 1, 1, 1])).rejects.toThrow(/service_score_check/);
    const session = (status: string, engagement: number | null) =>
      database.query(
        `insert into coaching.coaching_sessions (organization_id, agent_id, team_leader_id, scheduled_date, status, engagement_score) values ($1, $2, $3, now(), $4, $5)`,
        [orgA, people.agent1, people.leader, status, engagement],
      );
    await expect(session('LATE', null)).rejects.toThrow(/coaching_sessions_status_check/);
    await expect(session('NO_SHOW', 6)).rejects.toThrow(/engagement_score_check/);
    await session('NO_SHOW', null);
    await expect(
      database.query(
        `insert into coaching.action_items (organization_id, agent_id, assigned_by, title, description, due_date, progress_percentage) values ($1, $2, $3, 't', 'd', current_date, 101)`,
        [orgA, people.agent1, people.leader],
      ),
    ).rejects.toThrow(/progress_percentage_check/);
    // The same file once per organization and type, unless the earlier import was rolled back.
    const log = (org: string, status: string) =>
      database.query(
        `insert into coaching.import_logs (organization_id, file_name, import_type, imported_by, status, file_hash) values ($1, 'day.csv', 'METRICS', $2, $3, 'abc')`,
        [org, org === orgA ? people.leader : people.leaderB, status],
      );
    await expect(log(orgA, 'PROCESSING')).rejects.toThrow(/import_logs_org_type_hash_key/);
    await log(orgB, 'SUCCESS');
    await database.query(`update coaching.import_logs set status = 'ROLLED_BACK' where organization_id = $1`, [orgA]);
    await log(orgA, 'SUCCESS');
  });

  it('sets OVERDUE by the seed’s trigger when a written item is past due, and moves updated_at', async () => {
    const [item] = await database.query<{ id: string; status: string }>(
      `insert into coaching.action_items (organization_id, agent_id, assigned_by, title, description, due_date, updated_at)
       values ($1, $2, $3, 'Listen to 3 calls', 'Calibrate on hold etiquette', current_date + 5, '2020-01-01T00:00:00Z') returning id, status`,
      [orgA, people.agent1, people.leader],
    );
    expect(item.status).toBe('PENDING');
    const [updated] = await database.query<{ status: string; moved: boolean }>(
      `update coaching.action_items set due_date = current_date - 1 where id = $1 returning status, updated_at > now() - interval '1 minute' as moved`,
      [item.id],
    );
    expect(updated).toEqual({ status: 'OVERDUE', moved: true });
    const [done] = await database.query<{ status: string }>(
      `insert into coaching.action_items (organization_id, agent_id, assigned_by, title, description, due_date, status, completed_date)
       values ($1, $2, $3, 't', 'd', current_date - 3, 'COMPLETED', now()) returning status`,
      [orgA, people.agent1, people.leader],
    );
    expect(done.status).toBe('COMPLETED');
    const [user] = await database.query<{ moved: boolean }>(
      `update coaching.users set status = 'PIP', updated_at = '2020-01-01T00:00:00Z' where id = $1 returning updated_at > '2020-01-02'::timestamptz as moved`,
      [people.agent1],
    );
    expect(user.moved).toBe(true);
  });

  it('refreshes team_performance_summary and answers per organization', async () => {
    await database.query(
      `insert into coaching.coaching_sessions (organization_id, agent_id, team_leader_id, scheduled_date) values ($1, $2, $3, now() - interval '1 day'), ($1, $4, $3, now() - interval '30 days')`,
      [orgA, people.agent2, people.leader, people.agent1],
    );
    await database.query(`refresh materialized view coaching.team_performance_summary`);
    // The unique index allows a concurrent refresh (dashboards keep reading meanwhile), on PostgreSQL and PGlite.
    await database.query(`refresh materialized view concurrently coaching.team_performance_summary`);
    const rows = await database.query(
      `select team_leader_name, agent_count::int, active_pips::int, round(avg_team_score, 2)::text as avg_team_score, round(avg_service_score, 2)::text as avg_service_score,
              round(avg_quality_score, 2)::text as avg_quality_score, sessions_last_week::int, calculated_date = current_date as today
         from coaching.team_performance_summary where organization_id = $1`,
      [orgA],
    );
    // Sessions this week: the completed one (2 days ago), the NO_SHOW (now) and agent2's (yesterday); not the one 30 days ago.
    expect(rows).toEqual([
      {
        team_leader_name: 'leader',
        agent_count: 2,
        active_pips: 1,
        avg_team_score: '78.00',
        avg_service_score: '85.00',
        avg_quality_score: '70.00',
        sessions_last_week: 3,
        today: true,
      },
    ]);
    const other = await database.query<{ team_leader_name: string; avg_team_score: string }>(
      `select team_leader_name, avg_team_score::numeric(5,2)::text as avg_team_score from coaching.team_performance_summary where organization_id = $1`,
      [orgB],
    );
    expect(other).toEqual([{ team_leader_name: 'leaderB', avg_team_score: '10.00' }]);
  });

  it('archives metrics older than 13 months of one organization only', async () => {
    await metric(orgA, 'agent1', `'2023-01-10'`, [50, 50, 50, 50, 50]);
    await metric(orgA, 'agent1', `'2024-06-01'`, [60, 60, 60, 60, 60]);
    await metric(orgB, 'agentB', `'2023-01-10'`, [70, 70, 70, 70, 70]);
    const [moved] = await database.query<{ n: number }>(`select coaching.archive_old_metrics($1::uuid, '2025-01-15'::date) as n`, [orgA]);
    expect(moved.n).toBe(1);
    expect(
      await database.query(`select metric_date::text as d, composite_score::text as c, organization_id = $1 as a from coaching_archive.performance_metrics`, [
        orgA,
      ]),
    ).toEqual([{ d: '2023-01-10', c: '50.00', a: true }]);
    const left = await database.query<{ d: string; org: string }>(
      `select metric_date::text as d, case when organization_id = $1 then 'A' else 'B' end as org from coaching.performance_metrics where metric_date < '2025-01-01' order by 2, 1`,
      [orgA],
    );
    expect(left).toEqual([
      { d: '2024-06-01', org: 'A' },
      { d: '2023-01-10', org: 'B' },
    ]);
    await expect(database.query(`select coaching.archive_old_metrics()`)).rejects.toThrow(/needs an organization/);
  });
});
