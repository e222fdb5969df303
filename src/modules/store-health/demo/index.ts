import { recordAudit } from '../../../core/audit/audit.js';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import type { DemoEnvironment, DemoStep } from '../../../core/demo/demo-steps.js';
import { ensureDefaultCallScripts } from '../calls/scripts-service.js';
import { ensureDefaultEscalationRules } from '../escalation/service.js';
import { evaluateDateRange } from '../evaluation/index.js';
import { rollingWeeksDays } from '../evaluation/threshold-rules.js';
import { ensureMetricPartitions } from '../ingestion/metric-writer.js';
import { predictRisk } from '../prediction/service.js';
import { addDays, localDate, type IsoDate } from '../shared/dates.js';
import { germanChainCatalog, usChainCatalog, type ChainCatalog } from './chain-catalog.js';
import { planChain, type ChainPlan } from './chain-plan.js';
import { writeChainStructure, writeMetricHistory, writeOperationsDetail } from './demo-writer.js';
import { simulateStore, simulationContext } from './store-simulation.js';

export interface StoreHealthDemoOptions {
  /** Stores of the 'demo' chain (default 60). Every region and district stays; fewer stores means fewer per district. */
  stores?: number;
  /** Days of daily KPI history, ending yesterday in the organization's time zone (default 730). */
  days?: number;
  /** Days of labor schedules, call-outs, inventory snapshots and out-of-stock events, ending yesterday (default 60). */
  detailDays?: number;
  /**
   * Days (ending yesterday) the demo runs the evaluation engine over (default 120; 0 skips evaluation). The older
   * history stays unevaluated: it serves as baseline and backtest material, and `POST /evaluate` can rate it later.
   */
  evaluationDays?: number;
  /** Risk predictions for the days after yesterday (default true). */
  predictions?: boolean;
  /** Also build the small Northwind chain when that organization exists (default true). */
  northwind?: boolean;
}

const defaults: Required<StoreHealthDemoOptions> = { stores: 60, days: 730, detailDays: 60, evaluationDays: 120, predictions: true, northwind: true };

/** What one organization's chain step wrote, for logs and tests. */
export interface ChainLoadResult {
  orgSlug: string;
  history: { from: IsoDate; to: IsoDate };
  stores: number;
  metricRows: number;
  removedMetricRows: number;
  laborSchedules: number;
  laborCallouts: number;
  inventoryLevels: number;
  outOfStockEvents: number;
  incidents: { kind: string; title: string; storeCodes: string[]; start: IsoDate; end: IsoDate }[];
  ms: number;
}

function demoContext(env: DemoEnvironment, orgSlug: string): ServiceContext | null {
  const organization = env.organizations[orgSlug];
  if (!organization) return null;
  return { db: env.database.db, organization, actor: systemActor('demo'), role: 'admin', clock: env.clock, log: env.log };
}

/** Yesterday in the organization's time zone: the last day a real chain would have complete figures for. */
export function demoHistoryEnd(ctx: Pick<ServiceContext, 'clock' | 'organization'>): IsoDate {
  return addDays(localDate(ctx.clock.now(), ctx.organization.timezone), -1);
}

/** Plans, simulates and writes one organization's chain (structure, KPI history, labor and inventory detail). */
export async function loadDemoChain(
  ctx: ServiceContext,
  catalog: ChainCatalog,
  options: { stores: number; days: number; detailDays: number },
  onProgress?: (current: number, total: number) => void,
): Promise<ChainLoadResult> {
  const started = performance.now();
  const plan: ChainPlan = planChain(catalog, demoHistoryEnd(ctx), options);
  const simulation = simulationContext(plan, catalog);
  const simulations = plan.stores.map((store) => simulateStore(simulation, store));
  await ensureMetricPartitions(ctx, plan.history.from, plan.history.to);
  // One transaction per organization: a failed run leaves the previous demo data as it was.
  const written = await ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx as unknown as ServiceContext['db'] };
    const ids = await writeChainStructure(txCtx, plan);
    const metrics = await writeMetricHistory(txCtx, plan, simulations, ids, onProgress);
    const detail = await writeOperationsDetail(txCtx, plan, simulations, ids);
    await recordAudit(txCtx, {
      action: 'store_health.demo_loaded',
      entityType: 'organization',
      entityId: ctx.organization.id,
      after: { stores: plan.stores.length, history: plan.history, metricRows: metrics.rows, ...detail },
    });
    return { metrics, detail };
  });
  return {
    orgSlug: plan.orgSlug,
    history: plan.history,
    stores: plan.stores.length,
    metricRows: written.metrics.rows,
    removedMetricRows: written.metrics.removed,
    ...written.detail,
    incidents: plan.incidents.map(({ kind, title, storeCodes, start, end }) => ({ kind, title, storeCodes, start, end })),
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Default escalation rules and call scripts, then the evaluation of the last `evaluationDays` days (statuses,
 * alerts, tasks, snapshots) and risk predictions from yesterday on. The evaluation starts four weeks into the
 * history at the earliest, so every evaluated day has a full rolling baseline.
 */
export async function evaluateDemoChain(
  ctx: ServiceContext,
  options: { days: number; evaluationDays: number; predictions: boolean },
  onProgress?: (step: string, current: number, total: number) => void,
): Promise<{ evaluated: { from: IsoDate; to: IsoDate } | null; ms: number }> {
  const started = performance.now();
  await ensureDefaultEscalationRules(ctx);
  await ensureDefaultCallScripts(ctx);
  const to = demoHistoryEnd(ctx);
  const earliest = addDays(to, -(options.days - 1) + rollingWeeksDays);
  const wanted = addDays(to, -(options.evaluationDays - 1));
  const from = wanted > earliest ? wanted : earliest;
  if (options.evaluationDays <= 0 || from > to) return { evaluated: null, ms: Math.round(performance.now() - started) };
  await evaluateDateRange(ctx, { from, to, onProgress: (p) => onProgress?.(`evaluation ${p.step}`, p.current, p.total) });
  if (options.predictions) {
    onProgress?.('predictions', 0, 1);
    await predictRisk(ctx, { asOf: to });
    onProgress?.('predictions', 1, 1);
  }
  return { evaluated: { from, to }, ms: Math.round(performance.now() - started) };
}

/**
 * The store-health part of `retailops demo`: RetailOps Demo Co. ('demo', 3 regions, 8 districts, 60 stores) and
 * Northwind Outlets ('northwind', 2 regions, 8 stores), each with two years of daily KPIs ending yesterday and
 * incidents that are still going on, then evaluated so the overview shows a living chain on first start.
 * Runs after the core demo (which creates the organizations); every step is idempotent.
 */
export function storeHealthDemoSteps(options: StoreHealthDemoOptions = {}): DemoStep[] {
  const o = { ...defaults, ...options };
  for (const key of ['stores', 'days', 'detailDays'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new Error(`storeHealthDemoSteps: ${key} must be a whole number of at least 1 (got ${o[key]}).`);
  }
  const chains: { catalog: ChainCatalog; stores: number }[] = [{ catalog: usChainCatalog, stores: o.stores }];
  if (o.northwind)
    chains.push({ catalog: germanChainCatalog, stores: germanChainCatalog.regions.flatMap((r) => r.districts).flatMap((d) => d.locations).length });
  return [
    ...chains.map(({ catalog, stores }): DemoStep => ({
      name: `store health: ${catalog.orgSlug} chain and KPI history`,
      async run(env) {
        const ctx = demoContext(env, catalog.orgSlug);
        if (!ctx) {
          if (catalog.orgSlug === 'demo') throw new Error("The store-health demo needs the core demo's 'demo' organization: run the core demo steps first.");
          env.log.warn({ organization: catalog.orgSlug }, 'store-health demo: organization missing, chain skipped');
          return;
        }
        const step = `store health: ${ctx.organization.name} KPI history`;
        const result = await loadDemoChain(ctx, catalog, { stores, days: o.days, detailDays: o.detailDays }, (current, total) =>
          env.progress({ step, current, total }),
        );
        env.log.info({ result: { ...result, incidents: result.incidents.length } }, 'store-health demo chain loaded');
      },
    })),
    {
      name: 'store health: evaluation and predictions',
      async run(env) {
        for (const { catalog } of chains) {
          const ctx = demoContext(env, catalog.orgSlug);
          if (!ctx) continue;
          const result = await evaluateDemoChain(ctx, { days: o.days, evaluationDays: o.evaluationDays, predictions: o.predictions }, (step, current, total) =>
            env.progress({ step: `store health: ${ctx.organization.name} ${step}`, current, total }),
          );
          env.log.info({ organization: catalog.orgSlug, ...result }, 'store-health demo evaluated');
        }
      },
    },
  ];
}
