import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { notFound, validationFailed, type FieldIssue } from '../../../core/errors.js';
import { getConfigValue, putConfig } from '../../../core/settings/settings-service.js';
import { loadEvaluationSettings } from '../evaluation/index.js';
import { escalationRules } from '../schema.js';
import { addDays, daysBetween, type IsoDate } from '../shared/dates.js';
import { dayState } from '../shared/opening-hours.js';
import { addToConfusion, emptyConfusion, scoreConfusion } from './classification-metrics.js';
import { replayEscalations, type EscalationReplayResult, type EscalationReplaySeries } from './escalation-replay.js';
import { seriesKey } from './kpi-series.js';
import { modelVersion } from './mstl-forecast.js';
import { loadClosures, loadKpiSeries, loadPredictionScope, storeCalendar } from './prediction-inputs.js';
import { replayStatusPredictions, type ReplaySample, type ReplaySeriesInput } from './replay-predictions.js';
import { isoDateSchema, maxHorizonDays } from './service.js';
import { trainingWindowDays } from './status-forecast.js';

export const backtestConfigKey = 'store_health.backtest.latest';
/** Longest range replayed synchronously (an API request waits for it). */
export const maxBacktestDays = 120;
/** Above this many model fits a daily refit would keep a request waiting too long; refit weekly instead. */
const dailyRefitFitBudget = 10_000;
/** About a minute of fitting (~2 ms a fit): the most one synchronous request may ask for. */
const maxFitsPerRequest = 30_000;
/** Days of status history before `from` that the escalation replay reads to know which alerts were already open. */
const escalationLookbackDays = 28;
const storeChunkSize = 100;
const maxReturnedSamples = 5_000;

export const runBacktestInput = z.object({
  from: isoDateSchema,
  to: isoDateSchema,
  horizonDays: z.number().int().min(1).max(maxHorizonDays).default(1),
  /** 1 = refit every day, 7 = weekly; default chooses daily when it stays within the fit budget. */
  refitEveryDays: z.number().int().min(1).max(7).optional(),
  /** Return the individual predictions too (for tests and the CLI's detail view; capped). */
  includeSamples: z.boolean().default(false),
});

const scoresSchema = z.object({
  samples: z.number(),
  accuracy: z.number().nullable(),
  redRecall: z.number().nullable(),
  redPrecision: z.number().nullable(),
  macroF1: z.number().nullable(),
});
const confusionRow = z.object({ green: z.number(), yellow: z.number(), red: z.number() });
const confusionSchema = z.object({ green: confusionRow, yellow: confusionRow, red: confusionRow });
const sampleSchema = z.object({
  storeId: z.string(),
  kpiId: z.string(),
  predictionDate: z.string(),
  targetDate: z.string(),
  actual: z.string(),
  model: z.string(),
  persistence: z.string(),
  seasonalNaive: z.string(),
  predictedValue: z.number(),
  confidence: z.number(),
});

export const backtestReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  horizonDays: z.number(),
  generatedAt: z.string(),
  modelVersion: z.string(),
  samples: z.number(),
  skipped: z.object({ noActual: z.number(), noPrediction: z.number() }),
  model: scoresSchema,
  persistence: scoresSchema,
  seasonalNaive: scoresSchema,
  /** confusion[method][actual][predicted] */
  confusion: z.object({ model: confusionSchema, persistence: confusionSchema, seasonalNaive: confusionSchema }),
  escalation: z.object({
    alertsOpened: z.number(),
    rulesFired: z.number(),
    levels: z.array(z.object({ level: z.number(), alerts: z.number(), tasks: z.number(), calls: z.number(), escalations: z.number() })),
    byRule: z.array(z.object({ ruleId: z.string(), name: z.string().nullable(), fired: z.number() })),
  }),
  protocol: z.object({
    trainingWindowDays: z.number(),
    refitEveryDays: z.number(),
    description: z.string(),
  }),
  stores: z.number(),
  series: z.number(),
  fits: z.number(),
  ms: z.number(),
  sampleDetails: z.array(sampleSchema).optional(),
});

export type BacktestReport = z.infer<typeof backtestReportSchema>;

const protocolDescription =
  'For each day d in [from, to] and each store × KPI with a threshold, the status of d + horizon is predicted from data up to d only, ' +
  'and compared with the status the evaluation engine stored for that day (closed, no-data and unevaluated days are skipped). ' +
  'Model: MSTL (weekly period, AutoETS trend) on the 56 days ending at the last refit day ≤ d; refit days follow a fixed calendar, ' +
  'between refits the forecast is shifted by its mean error on the days since the refit; the target day baseline comes from actual values ≤ d; ' +
  'the current thresholds are applied. Persistence: the latest evaluated status on or before d. Seasonal naive: the latest evaluated status on or before ' +
  'd + horizon − 7. All three are scored on the same samples. Escalation: the active rules replayed over the evaluated statuses in [from, to] with the ' +
  'escalation engine’s timing (opening hours; always open without configured hours), assuming nobody acknowledges; alerts open on the first yellow/red day ' +
  'and resolve on the next green one; each opened alert counts once at level 0.';

function inputIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
}

/**
 * Replays history to score the risk model against a persistence and a seasonal-naive baseline, replays the
 * escalation rules over the same days, and keeps the report as the organization's latest backtest.
 */
export async function runBacktest(ctx: ServiceContext, rawInput: z.input<typeof runBacktestInput>): Promise<BacktestReport> {
  const started = performance.now();
  const parsed = runBacktestInput.safeParse(rawInput);
  if (!parsed.success) throw validationFailed('The backtest request is invalid.', inputIssues(parsed.error));
  const { from, to, horizonDays, includeSamples } = parsed.data;
  if (from > to) throw validationFailed('"from" must not be after "to".', [{ path: 'to', message: 'Must be on or after from' }]);
  const days = daysBetween(from, to) + 1;
  if (days > maxBacktestDays) {
    throw validationFailed(`A backtest covers at most ${maxBacktestDays} days; this range has ${days}. Choose a shorter range.`, [
      { path: 'to', message: `At most ${maxBacktestDays} days after from` },
    ]);
  }

  const scope = await loadPredictionScope(ctx);
  const ruleRows = await ctx.db
    .select()
    .from(escalationRules)
    .where(and(eq(escalationRules.organizationId, ctx.organization.id), eq(escalationRules.isActive, true)))
    .orderBy(asc(escalationRules.fromLevel), asc(escalationRules.createdAt));
  const settings = await loadEvaluationSettings(ctx);
  const seriesCount = scope.stores.length * scope.kpis.length;
  const refitEveryDays = parsed.data.refitEveryDays ?? (seriesCount * days <= dailyRefitFitBudget ? 1 : 7);
  const fitsNeeded = seriesCount * (Math.ceil(days / refitEveryDays) + 1);
  if (fitsNeeded > maxFitsPerRequest) {
    const allowedDays = Math.max(1, Math.floor((maxFitsPerRequest / Math.max(1, seriesCount) - 1) * refitEveryDays));
    throw validationFailed(
      `Replaying ${days} days for ${seriesCount} store × KPI series needs about ${fitsNeeded} model fits, more than one request may run. Choose at most ${allowedDays} days.`,
      [{ path: 'to', message: `At most ${allowedDays} days after from for this many series` }],
    );
  }

  const historyFrom = addDays(from, -Math.max(escalationLookbackDays, refitEveryDays - 1 + trainingWindowDays));
  const ranges = [
    { from: historyFrom, to: addDays(to, horizonDays) },
    { from: addDays(from, horizonDays - 364), to: addDays(to, horizonDays - 364) },
  ];
  const closures = await loadClosures(ctx, historyFrom, addDays(to, horizonDays + 1));
  const confusion = { model: emptyConfusion(), persistence: emptyConfusion(), seasonalNaive: emptyConfusion() };
  const skipped = { noActual: 0, noPrediction: 0 };
  const sampleDetails: ReplaySample[] = [];
  let escalation: EscalationReplayResult | null = null;
  let seriesUsed = 0;
  let fits = 0;

  for (let i = 0; i < scope.stores.length; i += storeChunkSize) {
    const chunk = scope.stores.slice(i, i + storeChunkSize);
    const seriesByKey = await loadKpiSeries(
      ctx,
      chunk.map((s) => s.id),
      ranges,
    );
    const replayInputs: ReplaySeriesInput[] = [];
    const escalationInputs: EscalationReplaySeries[] = [];
    for (const store of chunk) {
      const closedDates = closures.forStore(store.id);
      // The engine's trading calendar: a closure or a weekday without opening hours is closed.
      const tradingCalendar = { timezone: store.timezone, openingHours: store.openingHours, closedDates };
      const isOpen = (date: IsoDate) => dayState(tradingCalendar, date) === 'open';
      // The escalation clock's calendar (always open without configured hours), shared by the store's KPIs.
      const escalationCalendar = storeCalendar(store, closedDates);
      for (const kpi of scope.kpis) {
        const series = seriesByKey.get(seriesKey(store.id, kpi.id));
        if (!series) continue;
        const rule = scope.ruleFor(store.id, kpi.id);
        if (rule) replayInputs.push({ series, rule, isOpen });
        escalationInputs.push({ series, calendar: escalationCalendar });
      }
    }
    seriesUsed += replayInputs.length;
    const replay = replayStatusPredictions(replayInputs, { from, to, horizonDays, refitEveryDays, settings });
    fits += replay.fits;
    skipped.noActual += replay.skippedNoActual;
    skipped.noPrediction += replay.skippedNoPrediction;
    // The escalation engine's "predicted risk": a red prediction ≥ 70 % sure, made at the end of a day, for the store.
    const redRisk = new Set<string>();
    for (const sample of replay.samples) {
      addToConfusion(confusion.model, sample.actual, sample.model);
      addToConfusion(confusion.persistence, sample.actual, sample.persistence);
      addToConfusion(confusion.seasonalNaive, sample.actual, sample.seasonalNaive);
      if (sample.model === 'red' && sample.confidence >= 70) redRisk.add(`${sample.storeId}|${sample.predictionDate}`);
      if (includeSamples && sampleDetails.length < maxReturnedSamples) sampleDetails.push(sample);
    }
    const chunkEscalation = replayEscalations(escalationInputs, ruleRows, settings, { from, to, historyFrom }, (storeId, date) =>
      redRisk.has(`${storeId}|${date}`),
    );
    escalation = escalation ? mergeEscalation(escalation, chunkEscalation) : chunkEscalation;
  }
  escalation ??= replayEscalations([], ruleRows, settings, { from, to, historyFrom }, () => false);

  const model = scoreConfusion(confusion.model);
  const report: BacktestReport = {
    from,
    to,
    horizonDays,
    generatedAt: ctx.clock.now().toISOString(),
    modelVersion,
    samples: model.samples,
    skipped,
    model,
    persistence: scoreConfusion(confusion.persistence),
    seasonalNaive: scoreConfusion(confusion.seasonalNaive),
    confusion,
    escalation,
    protocol: { trainingWindowDays, refitEveryDays, description: protocolDescription },
    stores: scope.stores.length,
    series: seriesUsed,
    fits,
    ms: Math.round(performance.now() - started),
  };
  // The stored copy never carries the per-sample detail: it would bloat the settings row.
  await ctx.db.transaction(async (tx) => {
    await putConfig({ ...ctx, db: tx as unknown as ServiceContext['db'] }, backtestConfigKey, {
      value: report,
      description: `Latest store-health backtest (${from} – ${to}, horizon ${horizonDays} d)`,
    });
  });
  return includeSamples ? { ...report, sampleDetails } : report;
}

function mergeEscalation(a: EscalationReplayResult, b: EscalationReplayResult): EscalationReplayResult {
  return {
    alertsOpened: a.alertsOpened + b.alertsOpened,
    rulesFired: a.rulesFired + b.rulesFired,
    levels: a.levels.map((level, i) => ({
      level: level.level,
      alerts: level.alerts + b.levels[i].alerts,
      tasks: level.tasks + b.levels[i].tasks,
      calls: level.calls + b.levels[i].calls,
      escalations: level.escalations + b.levels[i].escalations,
    })),
    byRule: a.byRule.map((rule, i) => ({ ...rule, fired: rule.fired + b.byRule[i].fired })),
  };
}

export async function getLatestBacktest(ctx: ServiceContext): Promise<BacktestReport> {
  const report = await getConfigValue<BacktestReport | null>(ctx, backtestConfigKey, null);
  if (!report) throw notFound('Backtest report');
  return report;
}

/** Plain-text summary for the CLI: the three methods side by side, then the escalation load per level. */
export function formatBacktestReport(report: BacktestReport): string {
  const pct = (v: number | null) => (v === null ? '   –  ' : `${(v * 100).toFixed(1).padStart(5)}%`);
  const line = (name: string, s: BacktestReport['model']) =>
    `${name.padEnd(16)}${pct(s.accuracy)}  ${pct(s.redRecall)}  ${pct(s.redPrecision)}  ${pct(s.macroF1)}`;
  const levelLines = report.escalation.levels.map(
    (l) => `  level ${l.level}: ${l.alerts} alerts, ${l.tasks} tasks, ${l.calls} calls, ${l.escalations} escalations`,
  );
  return [
    `Backtest ${report.from} – ${report.to}, horizon ${report.horizonDays} day(s), ${report.samples} samples (${report.series} series, ${report.stores} stores)`,
    `Model ${report.modelVersion}: ${report.protocol.trainingWindowDays}-day window, refit every ${report.protocol.refitEveryDays} day(s), ${report.fits} fits, ${report.ms} ms`,
    '',
    `${'method'.padEnd(16)}accuracy  red rec.  red prec.  macro-F1`,
    line('model', report.model),
    line('persistence', report.persistence),
    line('seasonal naive', report.seasonalNaive),
    '',
    `Escalation replay: ${report.escalation.alertsOpened} alerts opened, ${report.escalation.rulesFired} rule steps fired`,
    ...levelLines,
  ].join('\n');
}
