import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import type { DemoEnvironment, DemoStep } from '../../../core/demo/demo-steps.js';
import { refreshBaselineForecasts } from '../forecasting/baseline.js';
import { runPostMortem } from '../learning/post-mortem-service.js';
import { validateScenario } from '../learning/validation-service.js';
import { updateValidationSettings } from '../learning/validation-settings.js';
import { computeOpportunities } from '../planning/opportunities.js';
import { recomputeScenarioKpis } from '../planning/scenario-service.js';
import { fitUpliftFromHistory } from '../planning/uplift-coefficients.js';
import { promoScenarios, upliftCoefficients } from '../schema.js';
import { addDays, monthOf } from '../shared/dates.js';
import { addMonths, demoCreatedBy, demoValidationSettings } from './demo-data.js';
import { loadPromotionsDemo, type PromotionsDemoOptions, type PromotionsDemoResult } from './load-demo.js';
import { simulateDemoSales } from './simulation.js';
import { writeDemoWorkbooks, type DemoWorkbook } from './workbooks.js';

export { loadPromotionsDemo, demoEndDate, type PromotionsDemoOptions, type PromotionsDemoResult } from './load-demo.js';
export { simulateDemoSales, type DemoSimulation, type DemoGroundTruth, type DemoSalesRow } from './simulation.js';
export { writeDemoWorkbooks, type DemoWorkbook } from './workbooks.js';

/**
 * Where the demo's import workbooks go: `<data dir>/demo-imports`, the data directory being the demo environment's
 * when it names one, else RETAILOPS_DATA_DIR or ./data as the configuration reads them.
 */
export function demoImportsDir(dataDir?: string): string {
  return path.resolve(process.cwd(), dataDir || process.env.RETAILOPS_DATA_DIR || 'data', 'demo-imports');
}

export interface PromotionsDemoFinishResult {
  forecasts?: { backtestId: string | null; reran: boolean; forecastRows: number; backtestError?: string };
  uplift?: { removedVersions: number; modelVersion: string | null; coefficients: number };
  opportunities?: { month: string; count: number; top: { department: string; channel: string; gapValue: number } | null };
  kpis?: number;
  validations?: { label: string; status: string; score: number | null }[];
  postMortems?: { label: string; salesErrorPct: number; learnedModelVersion: string | null }[];
  /** Stages that failed, with their error (the others still ran). */
  failed: { stage: string; error: string }[];
  ms: number;
}

/**
 * What the rest of the promotions module makes of the demo data, as a planner would see it on first start: the demo
 * chain's validation thresholds, the backtest and stored baseline forecasts, uplift fitted from history, next month's
 * opportunities (each draft is linked to the one of its hero line), KPIs for every demo scenario, validation of the
 * drafts and post-mortems of the past scenarios. The demo organization's uplift coefficients are rebuilt from scratch:
 * they were learned from the demo data this run replaced. Every stage runs even when an earlier one failed; failures
 * are returned, not thrown.
 */
export async function finishPromotionsDemo(
  ctx: ServiceContext,
  loaded: Pick<PromotionsDemoResult, 'to' | 'scenarios'>,
  onProgress?: (stage: string, current: number, total: number) => void,
): Promise<PromotionsDemoFinishResult> {
  const started = performance.now();
  const result: PromotionsDemoFinishResult = { failed: [], ms: 0 };
  const stages = 7;
  let done = 0;
  const stage = async (name: string, work: () => Promise<void>) => {
    onProgress?.(name, done, stages);
    try {
      await work();
    } catch (error) {
      result.failed.push({ stage: name, error: (error as Error).message });
      ctx.log.error({ err: error, stage: name }, 'promotions demo: stage failed');
    }
    onProgress?.(name, ++done, stages);
  };
  const past = loaded.scenarios.filter((s) => s.status === 'approved');
  const drafts = loaded.scenarios.filter((s) => s.status === 'draft');

  await stage('validation settings', async () => {
    await updateValidationSettings(ctx, demoValidationSettings);
  });
  await stage('backtest and baseline forecasts', async () => {
    const r = await refreshBaselineForecasts(ctx);
    result.forecasts = {
      backtestId: r.backtest?.id ?? null,
      reran: r.backtest?.reran ?? false,
      forecastRows: r.forecastRows,
      ...(r.backtestError ? { backtestError: r.backtestError } : {}),
    };
  });
  await stage('uplift from history', async () => {
    const removed = await ctx.db
      .delete(upliftCoefficients)
      .where(eq(upliftCoefficients.organizationId, ctx.organization.id))
      .returning({ id: upliftCoefficients.id });
    const fit = await fitUpliftFromHistory(ctx);
    result.uplift = { removedVersions: removed.length, modelVersion: fit.modelVersion, coefficients: fit.coefficients.length };
  });
  await stage('opportunities', async () => {
    const month = addMonths(monthOf(addDays(loaded.to, 1)), 1);
    const rows = await computeOpportunities(ctx, { month });
    const ranked = [...rows].sort((a, b) => a.rank - b.rank);
    const top = ranked[0] ?? null;
    // Each draft answers the opportunity of its first (hero) line, or the biggest one.
    for (const draft of drafts) {
      const [scenario] = await ctx.db.select({ mechanics: promoScenarios.mechanics }).from(promoScenarios).where(eq(promoScenarios.id, draft.id));
      const hero = scenario?.mechanics[0];
      const match = ranked.find((o) => hero && o.department === hero.department && o.channel === hero.channel && o.gapValue > 0) ?? top;
      if (match)
        await ctx.db
          .update(promoScenarios)
          .set({ sourceOpportunityId: match.id })
          .where(and(eq(promoScenarios.organizationId, ctx.organization.id), eq(promoScenarios.id, draft.id)));
    }
    result.opportunities = { month, count: rows.length, top: top ? { department: top.department, channel: top.channel, gapValue: top.gapValue } : null };
  });
  await stage('scenario KPIs', async () => {
    for (const s of loaded.scenarios) await recomputeScenarioKpis(ctx, s.id);
    result.kpis = loaded.scenarios.length;
  });
  await stage('validation of the drafts', async () => {
    result.validations = [];
    for (const s of drafts) {
      const report = await validateScenario(ctx, s.id);
      result.validations.push({ label: s.label, status: report.status, score: report.overallScore });
    }
  });
  await stage('post-mortems of the past scenarios', async () => {
    result.postMortems = [];
    for (const s of past) {
      const { report } = await runPostMortem(ctx, s.id);
      result.postMortems.push({ label: s.label, salesErrorPct: report.salesValueErrorPct, learnedModelVersion: report.learnedModelVersion });
    }
  });
  result.ms = Math.round(performance.now() - started);
  return result;
}

export interface PromotionsDemoStepOptions extends PromotionsDemoOptions {
  /** Directory of the import workbooks (default `demoImportsDir()`); null skips them. */
  importsDir?: string | null;
  /** Run forecasts, uplift fit, opportunities, KPIs, validation and post-mortems after loading (default true). */
  finish?: boolean;
}

/** The demo's scenarios and last sales day as stored, for a finish step that runs without the load step before it. */
async function storedDemo(ctx: ServiceContext): Promise<Pick<PromotionsDemoResult, 'to' | 'scenarios'>> {
  const [last] = await sqlRows<{ to: string | null }>(
    ctx.db,
    sql`select max(date)::text as "to" from promotions.sales_aggregated where organization_id = ${ctx.organization.id}`,
  );
  if (!last?.to) throw new Error('The promotions demo has no sales yet: run the load step first.');
  const rows = await ctx.db
    .select()
    .from(promoScenarios)
    .where(and(eq(promoScenarios.organizationId, ctx.organization.id), eq(promoScenarios.createdBy, demoCreatedBy)));
  return {
    to: last.to,
    scenarios: rows.map((r) => ({ key: r.label, id: r.id, label: r.label, status: r.status, dateRangeStart: r.dateRangeStart, dateRangeEnd: r.dateRangeEnd })),
  };
}

function demoContext(env: DemoEnvironment, orgSlug: string): ServiceContext | null {
  const organization = env.organizations[orgSlug];
  if (!organization) return null;
  return { db: env.database.db, organization, actor: systemActor('demo'), role: 'admin', clock: env.clock, log: env.log };
}

/**
 * The promotions part of `retailops demo`: an electronics chain (8 departments, stores and web shop, three years of
 * daily sales ending yesterday) in the core demo's 'demo' organization, its import workbooks, and what the module
 * computes from them. Idempotent: a re-run replaces the demo's rows.
 */
export function promotionsDemoSteps(options: PromotionsDemoStepOptions = {}): DemoStep[] {
  const { importsDir: importsDirOption, finish = true, ...loadOptions } = options;
  let loaded: PromotionsDemoResult | null = null;
  const contextOf = (env: DemoEnvironment) => {
    const ctx = demoContext(env, 'demo');
    if (!ctx) throw new Error("The promotions demo needs the core demo's 'demo' organization: run the core demo steps first.");
    return ctx;
  };
  const steps: DemoStep[] = [
    {
      name: 'promotions: electronics chain sales history, promo calendar, targets, segments and scenarios',
      async run(env) {
        const ctx = contextOf(env);
        const step = 'promotions: sales history';
        env.progress({ step, current: 0, total: 2 });
        loaded = await loadPromotionsDemo(ctx, loadOptions);
        env.progress({ step, current: 1, total: 2 });
        let workbooks: DemoWorkbook[] = [];
        // Resolved when the step runs, after the CLI or server has read its configuration.
        const importsDir = importsDirOption === undefined ? demoImportsDir((env as DemoEnvironment & { dataDir?: string }).dataDir) : importsDirOption;
        if (importsDir) {
          workbooks = await writeDemoWorkbooks(importsDir, simulateDemoSales({ endDate: loaded.to, years: loadOptions.years ?? 3, seed: loadOptions.seed }));
        }
        env.progress({ step, current: 2, total: 2 });
        env.log.info(
          { result: { ...loaded, scenarios: loaded.scenarios.length }, workbooks: workbooks.map((w) => w.file), importsDir },
          'promotions demo loaded',
        );
      },
    },
  ];
  if (finish) {
    steps.push({
      name: 'promotions: forecasts, uplift, opportunities, scenario KPIs, validation and post-mortems',
      async run(env) {
        const ctx = contextOf(env);
        const target = loaded ?? (await storedDemo(ctx));
        const result = await finishPromotionsDemo(ctx, target, (stage, current, total) => env.progress({ step: `promotions: ${stage}`, current, total }));
        env.log.info({ result }, 'promotions demo finished');
        if (result.failed.length > 0) {
          throw new Error(`The promotions demo data is loaded, but ${result.failed.map((f) => `${f.stage} failed (${f.error})`).join('; ')}.`);
        }
      },
    });
  }
  return steps;
}
