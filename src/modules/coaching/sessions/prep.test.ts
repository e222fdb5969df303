import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiProvider } from '../../../core/ai/index.js';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import type { Db } from '../../../core/db/connection.js';
import { createLogger } from '../../../core/logger.js';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { coachingModule } from '../index.js';
import { createHierarchyFixture, type HierarchyFixture } from '../testing/hierarchy-fixture.js';
import { createSessionsJobs, prepareSessionsJobName } from './jobs.js';
import type { Citation, PrepTopic } from './prep-service.js';

// Test clock: Mon 2 March 2026 14:00 UTC = 09:00 in New York (organization A); metrics cover 2 Feb – 1 Mar.
let t: TestApp;
let f: HierarchyFixture;
let ctx: ServiceContext;
const ids: Record<string, string> = {};

/** A fake OpenAI-compatible server on 127.0.0.1: answers with an agenda, or fails when told to. */
let mode: 'ok' | 'fail' = 'ok';
const prompts: string[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { messages?: { content: string }[] };
      prompts.push((body.messages ?? []).map((m) => m.content).join('\n'));
      if (mode === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json', 'retry-after-ms': '1' });
        return res.end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'fake-model',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: '1. Start with the recognition [5]\n2. Role-play the CSAT calls [1, 2]' },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  t = await createTestApp({ modules: [coachingModule.descriptor] });
  f = await createHierarchyFixture(t);
  ctx = {
    db: t.database.db as Db,
    organization: { id: t.orgA.id, slug: t.orgA.slug, name: t.orgA.name, timezone: t.orgA.timezone },
    actor: systemActor('test'),
    role: 'system',
    clock: t.clock,
    log: createLogger('silent'),
  };
  const org = t.orgA.id;
  const agent1 = f.people.agent1.id;
  const leader1 = f.people.leader1.id;
  const q = <T = Record<string, unknown>>(text: string, params: unknown[]) => t.database.query<T>(text, params);
  await q(`insert into coaching.agent_profiles (agent_id, organization_id, learning_style, preferred_session_length) values ($1, $2, 'KINESTHETIC', 45)`, [
    agent1,
    org,
  ]);
  // A weekly history row with a falling trend for every composite component (the prep prefers it to comparing windows).
  [{ id: ids.history }] = await q<{ id: string }>(
    `insert into coaching.performance_history (organization_id, agent_id, period_type, period_ending, avg_service_score, service_trend, productivity_trend, quality_trend, attendance_trend, adherence_trend, days_worked)
     values ($1, $2, 'WEEK', '2026-03-01', 70, -2.5, -1.5, -3, 0.2, -1, 7) returning id`,
    [org, agent1],
  );
  [{ id: ids.urgent }] = await q<{ id: string }>(
    `insert into coaching.quick_notes (organization_id, team_leader_id, agent_id, note_type, content, priority, timestamp_occurred) values ($1, $2, $3, 'URGENT', 'Hung up on a caller (call 4411)', 'HIGH', '2026-02-26T15:00:00Z') returning id`,
    [org, leader1, agent1],
  );
  [{ id: ids.positive }] = await q<{ id: string }>(
    `insert into coaching.quick_notes (organization_id, team_leader_id, agent_id, note_type, content, priority, timestamp_occurred) values ($1, $2, $3, 'POSITIVE', 'Calmed an angry customer on call 4420', 'LOW', '2026-02-27T15:00:00Z') returning id`,
    [org, leader1, agent1],
  );
  [{ id: ids.lastSession }] = await q<{ id: string }>(
    `insert into coaching.coaching_sessions (organization_id, agent_id, team_leader_id, scheduled_date, status, actual_start_time, actual_end_time, agent_commitments, follow_up_required, follow_up_date, follow_up_topics, topics_covered)
     values ($1, $2, $3, '2026-02-16T15:00:00Z', 'COMPLETED', '2026-02-16T15:00:00Z', '2026-02-16T15:30:00Z', 'Use the customer''s name twice per call', true, '2026-03-02', '{CSAT,Empathy}', '{CSAT}') returning id`,
    [org, agent1, leader1],
  );
  // Due before both the test clock and the database's date: the seed's trigger marks it OVERDUE on insert.
  [{ id: ids.overdueItem }] = await q<{ id: string }>(
    `insert into coaching.action_items (organization_id, session_id, agent_id, assigned_by, title, description, due_date, progress_percentage) values ($1, $2, $3, $4, 'Listen to 3 top-rated calls', 'From the QA library', '2026-02-23', 30) returning id`,
    [org, ids.lastSession, agent1, leader1],
  );
  [{ id: ids.plan }] = await q<{ id: string }>(
    `insert into coaching.action_plans (organization_id, agent_id, created_by, approved_by, start_date, target_end_date, status, reason_for_plan, target_metrics, success_criteria, next_check_in_date)
     values ($1, $2, $3, $3, '2026-02-15', '2026-04-15', 'ACTIVE', 'CSAT below 3.8', '{"csat": {"target": 4.1}}', '{"mandatory": ["No compliance breach"]}', '2026-03-09') returning id`,
    [org, agent1, leader1],
  );
}, 120_000);
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => server?.close(resolve));
});

type Prep = {
  asOf: string;
  windows: Record<string, { from: string; to: string }>;
  daysWithData: { last14: number; last30: number };
  learningStyle: string;
  snapshot: { metric: string; agent14: number; agent30: number; team30: number; citations: Citation[] }[];
  weakest: { metric: string; gapPct: number; belowTeam: boolean; trend: { source: string; change: number; direction: string }; citations: Citation[] }[];
  unaddressedNotes: { id: string; citation: Citation }[];
  overdueActionItems: { id: string; daysOverdue: number; citation: Citation }[];
  lastSession: {
    id: string;
    date: string;
    agentCommitments: string;
    followUpTopics: string[];
    actionItems: { id: string; status: string; progressPercentage: number }[];
    citation: Citation;
  };
  activePlan: { id: string; targets: { metric: string; target: number; current: number }[]; citation: Citation };
  suggestedTopics: PrepTopic[];
  agenda: { text: string; citations: Citation[] } | null;
  generation: { mode: string; provider: string; model: string | null; fallbackReason: string | null; note: string };
};

describe('session prep from known data', () => {
  let prep: Prep;
  let sessionId: string;
  it('is generated on scheduling, from the metrics, history, notes, action items, last session and plan', async () => {
    const response = await f.as('leader1').post('/api/coaching/sessions', { agentId: f.people.agent1.id, start: '2026-03-03T10:00' });
    expect(response.statusCode, response.body).toBe(201);
    sessionId = response.json().id;
    expect(response.json().plannedMinutes).toBe(45); // the profile's preferred length
    prep = response.json().prepData;
    expect(prep.asOf).toBe('2026-03-02');
    expect(prep.windows.last14).toEqual({ from: '2026-02-16', to: '2026-03-01' });
    expect(prep.windows.last30).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(prep.daysWithData).toEqual({ last14: 14, last30: 28 });
    expect(prep.learningStyle).toBe('KINESTHETIC');

    // Snapshot against the database, computed independently: agent1's 30-day composite and the team's (agent1, agent2, agent4).
    const [own] = await t.database.query<{ v: number }>(
      `select round(avg(composite_score)::numeric, 2)::float8 as v from coaching.performance_metrics where agent_id = $1 and metric_date between '2026-01-31' and '2026-03-01'`,
      [f.people.agent1.id],
    );
    const [team] = await t.database.query<{ v: number }>(
      `select round(avg(a)::numeric, 2)::float8 as v from (select round(avg(composite_score)::numeric, 2) as a from coaching.performance_metrics
       where agent_id = any($1::uuid[]) and metric_date between '2026-01-31' and '2026-03-01' group by agent_id) x`,
      [[f.people.agent1.id, f.people.agent2.id, f.people.agent4.id]],
    );
    const composite = prep.snapshot.find((s) => s.metric === 'composite_score')!;
    expect(composite.agent30).toBe(own.v);
    expect(composite.team30).toBe(team.v);
    expect(composite.citations[0]).toMatchObject({ type: 'metric', id: 'composite_score', date: '2026-03-01' });
  });

  it('names the weakest metrics below the team with their trend, from history where it exists', () => {
    expect(prep.weakest).toHaveLength(3);
    expect(prep.weakest.every((w) => w.belowTeam && w.gapPct < 0)).toBe(true);
    expect(prep.weakest.map((w) => w.gapPct)).toEqual([...prep.weakest.map((w) => w.gapPct)].sort((x, y) => x - y));
    const trends: Record<string, number> = { service_score: -2.5, productivity_score: -1.5, quality_score: -3, attendance_rate: 0.2, adherence_score: -1 };
    for (const w of prep.weakest) {
      if (w.metric in trends) {
        expect(w.trend).toMatchObject({ source: 'history', change: trends[w.metric], direction: 'declining' });
        expect(w.citations).toContainEqual({ type: 'history', id: ids.history, label: expect.stringContaining('Week ending 2026-03-01'), date: '2026-03-01' });
      } else {
        expect(w.trend.source).toBe('windows');
        expect(w.citations.some((c) => c.type === 'metric' && c.date === '2026-02-15')).toBe(true); // the previous 14 days
      }
    }
  });

  it('lists unaddressed notes (high priority first), overdue items, last session’s promises and the plan, each cited', () => {
    expect(prep.unaddressedNotes.map((n) => n.id)).toEqual([ids.urgent, ids.positive]);
    expect(prep.unaddressedNotes[0].citation).toEqual({
      type: 'note',
      id: ids.urgent,
      label: 'urgent note: Hung up on a caller (call 4411)',
      date: '2026-02-26',
    });
    expect(prep.overdueActionItems).toEqual([
      expect.objectContaining({ id: ids.overdueItem, daysOverdue: 7, citation: expect.objectContaining({ type: 'action_item', id: ids.overdueItem }) }),
    ]);
    expect(prep.lastSession).toMatchObject({
      id: ids.lastSession,
      date: '2026-02-16',
      agentCommitments: "Use the customer's name twice per call",
      followUpTopics: ['CSAT', 'Empathy'],
      actionItems: [{ id: ids.overdueItem, status: 'OVERDUE', progressPercentage: 30 }],
      citation: { type: 'session', id: ids.lastSession, date: '2026-02-16' },
    });
    const csat14 = prep.snapshot.find((s) => s.metric === 'csat')!.agent14;
    expect(prep.activePlan).toMatchObject({
      id: ids.plan,
      targets: [{ metric: 'csat', target: 4.1, current: csat14 }],
      citation: { type: 'plan', id: ids.plan },
    });
  });

  it('suggests topics for the learning style, every one cited with real sources', () => {
    const known = new Set([ids.history, ids.urgent, ids.positive, ids.lastSession, ids.overdueItem, ids.plan, ...prep.snapshot.map((s) => s.metric)]);
    expect(prep.suggestedTopics.length).toBeGreaterThanOrEqual(6);
    for (const topic of prep.suggestedTopics) {
      expect(topic.citations.length, topic.topic).toBeGreaterThan(0);
      for (const c of topic.citations) expect(known.has(c.id), `${topic.topic}: ${c.type} ${c.id}`).toBe(true);
    }
    const metricTopics = prep.suggestedTopics.slice(0, 2);
    expect(metricTopics.every((m) => m.approach.startsWith('Role-play'))).toBe(true);
    const byType = (type: Citation['type']) => prep.suggestedTopics.filter((s) => s.citations.some((c) => c.type === type)).map((s) => s.topic);
    expect(byType('session')[0]).toContain('commitment "Use the customer\'s name twice per call"; follow-up on CSAT, Empathy');
    expect(byType('note').join(' | ')).toContain('Recognise: Calmed an angry customer on call 4420');
    expect(byType('plan')[0]).toMatch(/^Improvement plan targets: CSAT [\d.]+ → 4.1$/);
    expect(prep.generation).toMatchObject({ mode: 'offline', provider: 'offline', fallbackReason: null });
    expect(prep.agenda!.text.split('\n')).toHaveLength(prep.suggestedTopics.length);
    expect(prep.agenda!.text).toMatch(/^1\. .* \[1, 2/);
  });

  it('regenerates on demand with a model phrasing the agenda from the cited facts (fake server on 127.0.0.1)', async () => {
    const jobs = createSessionsJobs({ ai: () => createOpenAiProvider({ apiKey: 'sk-test', baseUrl, model: 'fake-model', maxRetries: 0 }) });
    const prepare = jobs.find((j) => j.name === prepareSessionsJobName)!;
    const jobContext = {
      database: t.database,
      db: t.database.db,
      organization: ctx.organization,
      clock: t.clock,
      log: createLogger('silent'),
      jobName: prepareSessionsJobName,
      jobId: '00000000-0000-4000-8000-000000000002',
      attempt: 1,
      maxAttempts: 3,
      workerId: 'test',
      signal: new AbortController().signal,
      enqueue: async () => 'x',
    };
    // Tomorrow (3 March, New York) holds the session scheduled above.
    mode = 'ok';
    expect(await prepare.run(jobContext, { organizationId: t.orgA.id })).toEqual({ date: '2026-03-03', prepared: 1, failed: 0 });
    const withModel = (await f.as('leader1').get(`/api/coaching/sessions/${sessionId}`)).json().prepData as Prep;
    expect(withModel.generation).toMatchObject({ mode: 'model', model: 'fake-model', fallbackReason: null });
    expect(withModel.agenda!.text).toBe('1. Start with the recognition [5]\n2. Role-play the CSAT calls [1, 2]');
    expect(withModel.agenda!.citations).toEqual(prep.agenda!.citations);
    expect(withModel.suggestedTopics).toEqual(prep.suggestedTopics);
    expect(prompts.at(-1)).toContain('[1] (metric, 2026-03-01)');
    expect(prompts.at(-1)).toContain('Hung up on a caller (call 4411)');

    mode = 'fail';
    expect(await prepare.run(jobContext, { organizationId: t.orgA.id })).toMatchObject({ prepared: 1, failed: 0 });
    const fallback = (await f.as('leader1').get(`/api/coaching/sessions/${sessionId}`)).json().prepData as Prep;
    expect(fallback.generation.mode).toBe('offline');
    expect(fallback.generation.fallbackReason).toMatch(/AI_/);
    expect(fallback.generation.note).toMatch(/The model failed/);
    expect(fallback.agenda!.text).toBe(prep.agenda!.text);
  });

  it('POST /sessions/:id/prep rebuilds from current data (a note addressed since drops out)', async () => {
    await f.as('leader1').patch(`/api/coaching/notes/${ids.urgent}`, { addressed: true, addressedNotes: 'Talked on the floor' });
    const response = await f.as('leader1').post(`/api/coaching/sessions/${sessionId}/prep`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().prepData.unaddressedNotes.map((n: { id: string }) => n.id)).toEqual([ids.positive]);
    const agentView = (await f.as('agent1').get(`/api/coaching/sessions/${sessionId}`)).json().prepData;
    expect(agentView.unaddressedNotes.map((n: { id: string }) => n.id)).toEqual([ids.positive]);
    expect(agentView.agenda).toBeNull();
  });
});
