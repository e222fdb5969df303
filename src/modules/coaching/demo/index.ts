import path from 'node:path';
import { sql } from 'drizzle-orm';
import { createFixedClock } from '../../../core/clock.js';
import { inTransaction, systemActor, type ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import type { DemoEnvironment, DemoStep } from '../../../core/demo/demo-steps.js';
import { recomputePercentileRankings, recomputePerformanceHistory } from '../analytics/history-service.js';
import { startEffectivenessTracking } from '../effectiveness/effectiveness-service.js';
import { evaluateDueEffectiveness } from '../effectiveness/evaluation-service.js';
import { approvePlan, checkInPlan, closePlan, createPlan, syncAgentStatus } from '../plans/plan-service.js';
import { prepareSession } from '../sessions/prep-service.js';
import { addDays, demoUuid, zonedInstant, type IsoDate } from './dates.js';
import { writeDemoCallsCsv } from './calls-csv.js';
import { demoPersonIds, loadCoachingDemo, type CoachingDemoOptions, type CoachingDemoResult } from './load-demo.js';
import type { CoachingDemoSimulation, DemoPlan } from './simulation.js';

export { loadCoachingDemo, demoEndDate, type CoachingDemoOptions, type CoachingDemoResult } from './load-demo.js';
export { simulateCoachingDemo, type CoachingDemoSimulation } from './simulation.js';
export { groundTruth, demoMethods, demoIssues } from './ground-truth.js';

/** `<data dir>/demo-imports`: the demo environment's data directory when it names one, else RETAILOPS_DATA_DIR or ./data. */
export function demoImportsDir(dataDir?: string): string {
  return path.resolve(process.cwd(), dataDir || process.env.RETAILOPS_DATA_DIR || 'data', 'demo-imports');
}

export interface CoachingDemoFinishResult {
  history?: { agents: number; periodsWritten: number };
  percentiles?: { agents: number };
  effectiveness?: { tracked: number };
  evaluation?: { evaluated: number; sustained30: number; sustained90: number; failed: number };
  plans?: { key: string; id: string; status: string; outcome: string | null; checkIns: number }[];
  prep?: { prepared: number };
  teamSummary?: { rows: number };
  /** Stages that failed, with their error (the others still ran). */
  failed: { stage: string; error: string }[];
  /** Milliseconds per stage. */
  stageMs: Record<string, number>;
  ms: number;
}

/** The same context at another moment: services stamp "now" and "today" from the clock, so history replays in time. */
function at(ctx: ServiceContext, date: IsoDate, minuteOfDay: number): ServiceContext {
  return { ...ctx, clock: createFixedClock(zonedInstant(date, minuteOfDay, ctx.organization.timezone)) };
}

/**
 * What the rest of the coaching module makes of the loaded demo, through its own services: performance history and
 * percentiles, an effectiveness record for every completed session (opened as of the session) and their evaluation,
 * the improvement plans replayed week by week (create, approve, check-ins, close), prep for the upcoming sessions and
 * the team summary view. Every stage runs even when an earlier one failed; failures are returned, not thrown.
 */
export async function finishCoachingDemo(
  ctx: ServiceContext,
  sim: CoachingDemoSimulation,
  ids: Record<string, string>,
  onProgress?: (stage: string, current: number, total: number) => void,
): Promise<CoachingDemoFinishResult> {
  const started = performance.now();
  const result: CoachingDemoFinishResult = { failed: [], stageMs: {}, ms: 0 };
  const stages = 7;
  let done = 0;
  const stage = async (name: string, work: () => Promise<void>) => {
    onProgress?.(name, done, stages);
    const stageStarted = performance.now();
    try {
      await work();
    } catch (error) {
      result.failed.push({ stage: name, error: (error as Error).message });
      ctx.log.error({ err: error, stage: name }, 'coaching demo: stage failed');
    }
    result.stageMs[name] = Math.round(performance.now() - stageStarted);
    onProgress?.(name, ++done, stages);
  };
  const org = ctx.organization.id;
  const agentIds = sim.people.filter((p) => p.role === 'AGENT').map((p) => ids[p.key]);
  const sessionId = (key: string) => demoUuid(org, `session:${key}`);

  await stage('performance history', async () => {
    const r = await recomputePerformanceHistory(ctx, { agentIds });
    result.history = { agents: r.agents, periodsWritten: r.periodsWritten };
  });
  await stage('percentile rankings', async () => {
    result.percentiles = await recomputePercentileRankings(ctx, { asOf: sim.to });
  });
  await stage('effectiveness tracking', async () => {
    // One transaction for the few hundred records: PGlite on disk pays a flush per commit.
    const tracked = await inTransaction(ctx, async (tx) => {
      let n = 0;
      for (const s of sim.sessions) {
        if (s.status !== 'COMPLETED' || !s.issue || !s.method || !s.actualStart) continue;
        // Opened as of the session's end, as the session service would have.
        await startEffectivenessTracking(
          { ...tx, clock: createFixedClock(s.actualEnd ?? s.actualStart) },
          {
            sessionId: sessionId(s.key),
            agentId: ids[s.agentKey],
            teamLeaderId: ids[s.leaderKey],
            primaryIssue: s.issue,
            interventionMethod: s.method,
            coachedOn: s.actualStart.toISOString(),
          },
        );
        n++;
      }
      return n;
    });
    result.effectiveness = { tracked };
  });
  await stage('effectiveness evaluation', async () => {
    // metrics after, difference-in-differences against uncoached peers, sustained 30/90, recommendations.
    // One outer transaction: the per-record transactions become savepoints (PGlite on disk pays a flush per commit).
    result.evaluation = await inTransaction(ctx, (tx) => evaluateDueEffectiveness(tx));
  });
  await stage('improvement plans', async () => {
    result.plans = [];
    for (const plan of sim.plans) {
      const created = await createPlan(
        at(ctx, addDays(plan.startDate, -3), 9 * 60),
        {
          agentId: ids[plan.agentKey],
          reasonForPlan: plan.reason,
          startDate: plan.startDate,
          targetEndDate: plan.targetEndDate,
          targetMetrics: plan.targetMetrics,
          successCriteria: { mandatory: plan.mandatory, recommended: plan.recommended },
          checkInFrequency: 'WEEKLY',
        },
        { createdBy: ids[plan.leaderKey] },
      );
      const id = created.id;
      await approveAsDemo(ctx, plan, id, ids);
      for (const day of plan.checkIns) await checkInPlan(at(ctx, day, 8 * 60), id);
      let final = await reloadPlan(ctx, id);
      if (plan.role !== 'active') {
        final = await closePlan(at(ctx, plan.targetEndDate, 16 * 60), id, {
          outcome: plan.role === 'success' ? 'SUCCESS' : 'FAILURE',
          outcomeNotes:
            plan.role === 'success'
              ? 'Every target met at the final check-in: handle time, QA and first-call resolution are back within the team range.'
              : 'Handle time and QA stayed far from target and attendance did not improve; moved to a formal performance review.',
          lessonsLearned:
            plan.role === 'success'
              ? 'Weekly role-play on real calls moved handle time within three weeks; shadowing helped resolution.'
              : 'Scorecard feedback alone did not change anything; hands-on practice should have started in week one.',
        });
      }
      result.plans.push({ key: plan.key, id, status: final.status, outcome: final.outcome ?? null, checkIns: plan.checkIns.length });
    }
  });
  await stage('session prep', async () => {
    const prepared = await inTransaction(ctx, async (tx) => {
      let n = 0;
      for (const s of sim.sessions) {
        if (s.status !== 'SCHEDULED') continue;
        await prepareSession(tx, sessionId(s.key));
        n++;
      }
      return n;
    });
    result.prep = { prepared };
  });
  await stage('team summary', async () => {
    await ctx.db.execute(sql`REFRESH MATERIALIZED VIEW coaching.team_performance_summary`);
    const [row] = await sqlRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM coaching.team_performance_summary WHERE organization_id = ${org}`);
    result.teamSummary = { rows: Number(row?.n ?? 0) };
  });
  result.ms = Math.round(performance.now() - started);
  return result;
}

/**
 * The manager above the leader approves (four eyes; approvals are signed by a person): through the plan service as
 * that manager's sign-in, or the admin's when the manager has none. Without any linked sign-in (the core demo did not
 * run) the demo records the manager's approval and activation directly, as the service would have.
 */
async function approveAsDemo(ctx: ServiceContext, plan: DemoPlan, planId: string, ids: Record<string, string>): Promise<void> {
  const signers = await sqlRows<{ user_id: string; name: string; role: string }>(
    ctx.db,
    sql`SELECT user_id::text, name, role FROM coaching.users
        WHERE organization_id = ${ctx.organization.id} AND user_id IS NOT NULL AND id IN (${ids[plan.managerKey]}::uuid, ${ids.ADMIN}::uuid)
        ORDER BY CASE role WHEN 'MANAGER' THEN 0 ELSE 1 END`,
  );
  const signer = signers[0];
  const when = at(ctx, plan.startDate, 9 * 60);
  if (signer) {
    await approvePlan(
      {
        ...when,
        actor: { type: 'user', id: signer.user_id, label: `demo (as ${signer.name})`, userId: signer.user_id },
        role: signer.role === 'ADMIN' ? 'admin' : 'manager',
      },
      planId,
    );
    return;
  }
  await inTransaction(when, async (tx) => {
    await tx.db.execute(sql`
      UPDATE coaching.action_plans SET approved_by = ${ids[plan.managerKey]}::uuid, status = 'ACTIVE',
        next_check_in_date = ${addDays(plan.startDate, 7)}::date, updated_at = ${tx.clock.now()}
      WHERE id = ${planId}::uuid`);
    await syncAgentStatus(tx, ids[plan.agentKey]);
  });
}

async function reloadPlan(ctx: ServiceContext, id: string): Promise<{ status: string; outcome: string | null }> {
  const [row] = await sqlRows<{ status: string; outcome: string | null }>(
    ctx.db,
    sql`SELECT status, outcome FROM coaching.action_plans WHERE id = ${id}::uuid`,
  );
  return row;
}

export interface CoachingDemoStepOptions extends CoachingDemoOptions {
  /** Directory of the per-call CSV (default `demoImportsDir()`); null skips it. */
  importsDir?: string | null;
  /** Run history, effectiveness, plans, prep and the team summary after loading (default true). */
  finish?: boolean;
}

function demoContext(env: DemoEnvironment): ServiceContext {
  const organization = env.organizations.demo;
  if (!organization) throw new Error("The coaching demo needs the core demo's 'demo' organization: run the core demo steps first.");
  return { db: env.database.db, organization, actor: systemActor('demo'), role: 'admin', clock: env.clock, log: env.log };
}

/**
 * The coaching part of `retailops demo`: a contact centre (2 managers, 6 team leaders, 60 agents, a year of daily
 * metrics ending yesterday, half a year of coaching) in the core demo's 'demo' organization, a per-call CSV to try the
 * import with, and what the module computes from it. Idempotent: a re-run refreshes the demo's rows.
 */
export function coachingDemoSteps(options: CoachingDemoStepOptions = {}): DemoStep[] {
  const { importsDir: importsDirOption, finish = true, ...loadOptions } = options;
  let loaded: (CoachingDemoResult & { simulation: CoachingDemoSimulation }) | null = null;
  const steps: DemoStep[] = [
    {
      name: 'coaching: contact centre people, a year of daily metrics, sessions, notes, action items and profiles',
      async run(env) {
        const ctx = demoContext(env);
        const step = 'coaching: contact centre';
        env.progress({ step, current: 0, total: 2 });
        loaded = await loadCoachingDemo(ctx, loadOptions);
        env.progress({ step, current: 1, total: 2 });
        const importsDir = importsDirOption === undefined ? demoImportsDir((env as DemoEnvironment & { dataDir?: string }).dataDir) : importsDirOption;
        const csv = importsDir ? await writeDemoCallsCsv(importsDir, loaded.simulation) : null;
        env.progress({ step, current: 2, total: 2 });
        const { simulation: _simulation, personIds: _ids, ...summary } = loaded;
        env.log.info({ result: summary, callsCsv: csv }, 'coaching demo loaded');
      },
    },
  ];
  if (finish) {
    steps.push({
      name: 'coaching: performance history, percentiles, effectiveness, improvement plans, session prep and team summary',
      async run(env) {
        const ctx = demoContext(env);
        const target = loaded ?? (await loadCoachingDemo(ctx, loadOptions));
        const ids = Object.keys(target.personIds).length ? target.personIds : await demoPersonIds(ctx);
        const result = await finishCoachingDemo(ctx, target.simulation, ids, (stage, current, total) =>
          env.progress({ step: `coaching: ${stage}`, current, total }),
        );
        env.log.info({ result }, 'coaching demo finished');
        if (result.failed.length > 0) {
          throw new Error(`The coaching demo data is loaded, but ${result.failed.map((f) => `${f.stage} failed (${f.error})`).join('; ')}.`);
        }
      },
    });
  }
  return steps;
}
