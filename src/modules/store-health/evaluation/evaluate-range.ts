import { sql } from 'drizzle-orm';
import type { AiProvider } from '../../../core/ai/index.js';
import type { ServiceContext } from '../../../core/context.js';
import { validationFailed, type FieldIssue } from '../../../core/errors.js';
import { syncStoreAlerts } from '../alerts/alert-sync.js';
import { foldDistrictAlerts } from '../alerts/district-fold.js';
import { addDays, daysBetween, isIsoDate, type IsoDate } from '../shared/dates.js';
import { loadEvaluationScope } from './evaluation-scope.js';
import { loadEvaluationSettings } from './evaluation-settings.js';
import { clearUnevaluatedMetrics, evaluateMetrics, insertMissingMetricRows, writeStatusHistory, type EvaluationSqlScope } from './metric-evaluation-sql.js';
import { writeSummary, type SnapshotFacts } from './snapshot-summary.js';
import { writeSnapshots } from './snapshot-writer.js';
import { analyzeMetricPartitions, analyzeSupportingTables, withEvaluationPlannerSettings } from './planner-statistics.js';
import { lastYearDays, rollingWeeksDays } from './threshold-rules.js';

export interface EvaluationProgress {
  step: string;
  current: number;
  total: number;
}

export interface EvaluateRangeInput {
  from: IsoDate;
  to: IsoDate;
  /** Evaluate only these stores (the district fold still looks at every store of a district). */
  storeIds?: string[];
  /** Writes the summaries of the range's last day when it is a language model; the offline template otherwise. */
  ai?: AiProvider;
  onProgress?: (progress: EvaluationProgress) => void;
  /** Checked between chunks, so a job past its expiry stops at a chunk boundary. */
  signal?: AbortSignal;
}

export interface EvaluateRangeResult {
  metricsEvaluated: number;
  snapshots: number;
  alertsOpened: number;
  alertsResolved: number;
  tasksCreated: number;
  ms: number;
}

/** The longest range one call evaluates: three years, more than the 2 years of hot metrics kept. */
export const maxEvaluationDays = 1100;

const phases = ['metrics', 'history', 'alerts', 'snapshots'] as const;

/** Calendar months of a range, so each chunk's working set stays about one month of metrics. */
function lastDayOfMonth(date: IsoDate): IsoDate {
  return new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).toISOString().slice(0, 10);
}

/** Calendar months of a range, so each chunk's working set stays about one month of metrics. */
export function monthChunks(from: IsoDate, to: IsoDate): { from: IsoDate; to: IsoDate }[] {
  const chunks: { from: IsoDate; to: IsoDate }[] = [];
  for (let start = from; start <= to;) {
    const monthEnd = lastDayOfMonth(start);
    const end = monthEnd < to ? monthEnd : to;
    chunks.push({ from: start, to: end });
    start = addDays(end, 1);
  }
  return chunks;
}

function validateInput(input: EvaluateRangeInput, knownStores: ReadonlySet<string>): void {
  const issues: FieldIssue[] = [];
  if (!isIsoDate(input.from)) issues.push({ path: 'from', message: 'Use a date as YYYY-MM-DD' });
  if (!isIsoDate(input.to)) issues.push({ path: 'to', message: 'Use a date as YYYY-MM-DD' });
  if (!issues.length && input.from > input.to) issues.push({ path: 'to', message: 'Must be on or after "from"' });
  if (!issues.length && daysBetween(input.from, input.to) + 1 > maxEvaluationDays) {
    issues.push({ path: 'to', message: `Evaluate at most ${maxEvaluationDays} days at once` });
  }
  for (const [index, id] of (input.storeIds ?? []).entries()) {
    if (!knownStores.has(id)) issues.push({ path: `storeIds.${index}`, message: 'No active store with this id in this organization' });
  }
  if (issues.length) throw validationFailed('The evaluation range is not valid.', issues);
}

/**
 * Evaluates every active store × KPI of the organization from `from` to `to`: KPI statuses, status history, alerts
 * and tasks, district folds and daily snapshots. Runs one calendar month at a time, each month in its own
 * transaction; every step is idempotent, so re-running a day or a range gives the same rows, and re-running a range
 * that failed half-way completes it.
 */
export async function evaluateDateRange(ctx: ServiceContext, input: EvaluateRangeInput): Promise<EvaluateRangeResult> {
  const startedAt = performance.now();
  const settings = await loadEvaluationSettings(ctx);
  const scope = await loadEvaluationScope(ctx);
  validateInput(input, new Set(scope.stores.keys()));
  const sqlScope: EvaluationSqlScope = { organizationId: ctx.organization.id, storeIds: input.storeIds?.length ? input.storeIds : null };
  const result: EvaluateRangeResult = { metricsEvaluated: 0, snapshots: 0, alertsOpened: 0, alertsResolved: 0, tasksCreated: 0, ms: 0 };
  const chunks = monthChunks(input.from, input.to);
  const total = chunks.length * phases.length;
  let current = 0;
  const report = (phase: string, chunk: { from: IsoDate; to: IsoDate }) =>
    input.onProgress?.({ step: `${phase} ${chunk.from}…${chunk.to}`, current: ++current, total });
  const useModel = input.ai && input.ai.name !== 'offline' ? input.ai : null;
  const modelCandidates: SnapshotFacts[] = [];

  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('store_health.kpi_metrics_partitions'))`);
    await tx.execute(sql`select store_health.ensure_kpi_metrics_partitions(${input.from}::date, ${input.to}::date)`);
  });
  const usesLastYear = [...scope.thresholds.values()].some((t) => t.comparisonBasis === 'same_period_ly');
  await analyzeSupportingTables(ctx);
  await analyzeMetricPartitions(ctx, addDays(input.from, -(usesLastYear ? lastYearDays : rollingWeeksDays)), input.to);
  const evaluateChunk = async (txCtx: ServiceContext, chunk: { from: IsoDate; to: IsoDate }) => {
    await insertMissingMetricRows(txCtx, sqlScope, chunk.from, chunk.to);
    await clearUnevaluatedMetrics(txCtx, sqlScope, chunk.from, chunk.to);
    result.metricsEvaluated += await evaluateMetrics(txCtx, sqlScope, chunk.from, chunk.to, settings);
    // The statuses just written drive the joins of the next steps.
    await analyzeMetricPartitions(txCtx, chunk.from, chunk.to);
    report('metrics', chunk);
    await writeStatusHistory(txCtx, sqlScope, chunk.from, chunk.to);
    report('history', chunk);
    const storeAlerts = await syncStoreAlerts(txCtx, sqlScope, scope, settings, chunk.from, chunk.to);
    const districtAlerts = await foldDistrictAlerts(txCtx, scope, settings, chunk.from, chunk.to);
    result.alertsOpened += storeAlerts.opened + districtAlerts.opened;
    result.alertsResolved += storeAlerts.resolved + districtAlerts.resolved;
    result.tasksCreated += storeAlerts.tasksCreated + districtAlerts.tasksCreated;
    report('alerts', chunk);
    const snapshots = await writeSnapshots(txCtx, sqlScope, scope, chunk.from, chunk.to, { modelDates: useModel ? new Set([input.to]) : new Set() });
    result.snapshots += snapshots.written;
    modelCandidates.push(...snapshots.modelCandidates);
    report('snapshots', chunk);
  };

  input.onProgress?.({ step: 'start', current: 0, total });
  for (const chunk of chunks) {
    input.signal?.throwIfAborted();
    await ctx.db.transaction(async (tx) => {
      const txCtx: ServiceContext = { ...ctx, db: tx as unknown as ServiceContext['db'] };
      // One evaluation per organization at a time: two runs over the same days would race on alerts.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`store_health.evaluate:${ctx.organization.id}`}))`);
      await withEvaluationPlannerSettings(txCtx, () => evaluateChunk(txCtx, chunk));
    });
  }
  // Language-model summaries are written after the data is committed: a slow model must not hold a transaction open.
  if (useModel && modelCandidates.length) await rewriteSummariesWithModel(ctx, modelCandidates, useModel);
  result.ms = Math.round(performance.now() - startedAt);
  return result;
}

async function rewriteSummariesWithModel(ctx: ServiceContext, candidates: SnapshotFacts[], ai: AiProvider): Promise<void> {
  const written: { store_id: string; d: IsoDate; summary: string; source: string }[] = [];
  const queue = [...candidates];
  const concurrency = 4;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let facts = queue.shift(); facts; facts = queue.shift()) {
        const summary = await writeSummary(facts, ai);
        if (summary.source !== 'offline') written.push({ store_id: facts.store.id, d: facts.date, summary: summary.text, source: summary.source });
      }
    }),
  );
  if (!written.length) return;
  await ctx.db.execute(sql`
    update store_health.store_health_snapshots s set summary = x.summary,
      metadata = s.metadata || jsonb_build_object('summarySource', x.source), updated_at = ${ctx.clock.now().toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(written)}::jsonb) as x(store_id uuid, d date, summary text, source text)
    where s.organization_id = ${ctx.organization.id}::uuid and s.store_id = x.store_id and s.snapshot_date = x.d`);
}
