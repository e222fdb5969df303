import { and, count, desc, eq, gte, ilike, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../../../core/db/list-query.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { notFound, validationFailed, type FieldIssue } from '../../../core/errors.js';
import { forecastBaseline } from '../forecasting/baseline.js';
import { channels, opportunities, promoScenarios, scenarioKpis, scenarioTypes, segments as segmentsTable, type Mechanic } from '../schema.js';
import { addDays, daysBetween, isIsoDate } from '../shared/dates.js';
import { computeScenarioKpis, postPromoDipDays, type KpiEngineInput, type SegmentShare } from './kpi-engine.js';
import { loadPromoCostSettings } from './promo-costs.js';
import type { ScenarioDraft, ScenarioKpiComputation } from './types.js';
import { appliedCoefficientOf, currentUpliftCoefficients } from './uplift-coefficients.js';

export const scenarioStatuses = ['draft', 'approved', 'archived'] as const;
/** Longest scenario period: a year keeps a live preview within its latency budget. */
export const maxScenarioDays = 366;

const isoDate = z.string().refine(isIsoDate, 'Use a calendar date as YYYY-MM-DD');

export const mechanicSchema = z.object({
  department: z.string().trim().min(1).max(50),
  channel: z.enum(channels),
  discount_pct: z.number().min(0, 'A discount is 0–90%').max(90, 'A discount is 0–90%'),
  segments: z.array(z.string().trim().min(1).max(50)).min(1).max(50).default(['ALL']),
  notes: z.string().max(500).optional(),
});

const draftFields = {
  dateRangeStart: isoDate,
  dateRangeEnd: isoDate,
  mechanics: z.array(mechanicSchema).min(1, 'A scenario needs at least one mechanic').max(50),
  scenarioType: z.enum(scenarioTypes).nullish(),
};

const endAfterStart = (v: { dateRangeStart?: string; dateRangeEnd?: string }, c: z.RefinementCtx) => {
  if (v.dateRangeStart && v.dateRangeEnd && v.dateRangeEnd < v.dateRangeStart) {
    c.addIssue({ code: 'custom', path: ['dateRangeEnd'], message: 'The end date must be on or after the start date' });
  }
};

export const scenarioDraftInput = z.object(draftFields).superRefine(endAfterStart);

const scenarioFields = z.object({
  label: z.string().trim().min(1, 'Give the scenario a label').max(100, 'A label has at most 100 characters'),
  ...draftFields,
  description: z.string().max(2000).nullish(),
  status: z.enum(scenarioStatuses).optional(),
  sourceOpportunityId: z.uuid().nullish(),
});
export const createScenarioInput = scenarioFields.superRefine(endAfterStart);
export const updateScenarioInput = scenarioFields.partial().superRefine(endAfterStart);
export const copyScenarioInput = z.object({ label: z.string().trim().min(1).max(100).optional() });

export type CreateScenarioInput = z.input<typeof createScenarioInput>;
export type UpdateScenarioInput = z.input<typeof updateScenarioInput>;

export const listScenariosQuery = listQuerySchema(['createdAt', 'updatedAt', 'label', 'dateRangeStart'], '-createdAt', {
  status: z.enum(scenarioStatuses).optional(),
  scenarioType: z.enum(scenarioTypes).optional(),
  sourceOpportunityId: z.uuid().optional(),
  /** Scenarios whose period overlaps [from, to]. */
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export type ScenarioRow = typeof promoScenarios.$inferSelect;
export type ScenarioKpiRow = typeof scenarioKpis.$inferSelect;
export type ScenarioView = ScenarioRow & { currentKpis: ScenarioKpiRow | null };

// ---- inputs of the KPI engine ----

async function loadSegments(ctx: ServiceContext): Promise<SegmentShare[]> {
  return ctx.db
    .select({ segmentId: segmentsTable.segmentId, shareOfRevenue: segmentsTable.shareOfRevenue, discountSensitivity: segmentsTable.discountSensitivity })
    .from(segmentsTable)
    .where(eq(segmentsTable.organizationId, ctx.organization.id))
    .orderBy(segmentsTable.segmentId);
}

async function knownDepartments(ctx: ServiceContext): Promise<Set<string>> {
  const rows = await sqlRows<{ department: string }>(
    ctx.db,
    sql`select distinct department from promotions.sales_aggregated where organization_id = ${ctx.organization.id}`,
  );
  return new Set(rows.map((r) => r.department));
}

/** Checks what zod cannot: departments known in the sales history, segments that exist, a bounded period. */
function checkDraft(draft: ScenarioDraft, departments: Set<string>, segments: SegmentShare[], prefix = ''): void {
  const issues: FieldIssue[] = [];
  if (daysBetween(draft.dateRangeStart, draft.dateRangeEnd) + 1 > maxScenarioDays) {
    issues.push({ path: `${prefix}dateRangeEnd`, message: `A scenario covers at most ${maxScenarioDays} days` });
  }
  if (draft.dateRangeEnd < draft.dateRangeStart) issues.push({ path: `${prefix}dateRangeEnd`, message: 'The end date must be on or after the start date' });
  const segmentIds = new Set(segments.map((s) => s.segmentId));
  for (const [i, m] of draft.mechanics.entries()) {
    if (!departments.has(m.department)) {
      const known = [...departments].sort();
      issues.push({
        path: `${prefix}mechanics.${i}.department`,
        message: known.length
          ? `Department "${m.department}" is not in the sales history (known: ${known.join(', ')})`
          : 'There is no sales history yet: import sales before planning scenarios',
      });
    }
    for (const [j, s] of m.segments.entries()) {
      if (s !== 'ALL' && !segmentIds.has(s)) {
        issues.push({
          path: `${prefix}mechanics.${i}.segments.${j}`,
          message: segmentIds.size
            ? `Segment "${s}" does not exist (use "ALL" or one of ${[...segmentIds].join(', ')})`
            : `Segment "${s}" does not exist: no segments are imported, use "ALL"`,
        });
      }
    }
  }
  if (issues.length) throw validationFailed('The scenario is not valid: ' + issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

/** Gathers the engine's inputs (baseline for the whole business over the period and the dip window after it). */
export async function loadKpiEngineInput(ctx: ServiceContext, draft: ScenarioDraft, options: { validate?: boolean } = {}): Promise<KpiEngineInput> {
  // One after another: inside a transaction they share one connection, which must not run two queries at once.
  const segments = await loadSegments(ctx);
  const baseline = await forecastBaseline(ctx, { from: draft.dateRangeStart, to: addDays(draft.dateRangeEnd, postPromoDipDays) });
  const coefficients = await currentUpliftCoefficients(ctx);
  const costs = await loadPromoCostSettings(ctx);
  if (options.validate !== false) {
    // The baseline names every department with a forecast; only a department missing there costs a look at the history.
    let departments = new Set(baseline.days.map((d) => d.department));
    if (draft.mechanics.some((m) => !departments.has(m.department))) departments = await knownDepartments(ctx);
    checkDraft(draft, departments, segments);
  }
  return {
    draft: { ...draft, mechanics: draft.mechanics.map(normaliseMechanic) },
    baseline: baseline.days,
    baselineModel: baseline.model,
    coefficients: coefficients.map(appliedCoefficientOf),
    segments,
    costs,
  };
}

function normaliseMechanic(m: Mechanic): Mechanic {
  return { ...m, segments: m.segments?.length ? m.segments : ['ALL'] };
}

/** A scenario's KPIs without writing anything (the builder's live what-if). */
export async function previewScenarioKpis(ctx: ServiceContext, draft: ScenarioDraft): Promise<ScenarioKpiComputation> {
  const started = performance.now();
  const parsed = scenarioDraftInput.safeParse(draft);
  if (!parsed.success) {
    throw validationFailed(
      'The scenario is not valid.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const input = await loadKpiEngineInput(ctx, parsed.data as ScenarioDraft);
  const result = computeScenarioKpis(input);
  return { ...result, ms: Math.round((performance.now() - started) * 10) / 10 };
}

function kpiRowValues(ctx: ServiceContext, scenarioId: string, k: ScenarioKpiComputation) {
  return {
    organizationId: ctx.organization.id,
    scenarioId,
    periodStart: k.periodStart,
    periodEnd: k.periodEnd,
    totalSalesValue: k.totalSalesValue,
    totalMarginValue: k.totalMarginValue,
    totalMarginPct: Math.max(-999.99, Math.min(999.99, k.totalMarginPct)),
    totalEbit: k.totalEbit,
    totalUnits: k.totalUnits,
    salesValueDelta: k.salesValueDelta,
    marginValueDelta: k.marginValueDelta,
    ebitDelta: k.ebitDelta,
    unitsDelta: k.unitsDelta,
    kpiBreakdown: { ...k.kpiBreakdown, per_mechanic: k.perMechanic, computed_ms: k.ms },
    baselineSalesValue: k.baselineSalesValue,
    baselineMarginValue: k.baselineMarginValue,
    baselineEbit: k.baselineEbit,
    baselineUnits: k.baselineUnits,
    promoCosts: k.promoCosts,
    upliftModelVersion: k.upliftModelVersion.slice(0, 20),
    baselineModel: k.baselineModel.slice(0, 40),
    isCurrent: true,
    createdAt: ctx.clock.now(),
  };
}

async function findScenario(ctx: ServiceContext, id: string, options: { lock?: boolean } = {}): Promise<ScenarioRow> {
  const query = ctx.db
    .select()
    .from(promoScenarios)
    .where(and(eq(promoScenarios.organizationId, ctx.organization.id), eq(promoScenarios.id, id)));
  // Saves of one scenario queue behind each other, so two cannot both insert a current KPI row.
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) throw notFound('Scenario', id);
  return row;
}

async function writeKpis(ctx: ServiceContext, scenario: ScenarioRow, validate: boolean): Promise<ScenarioKpiRow> {
  const started = performance.now();
  const draft: ScenarioDraft = {
    dateRangeStart: scenario.dateRangeStart,
    dateRangeEnd: scenario.dateRangeEnd,
    mechanics: scenario.mechanics,
    scenarioType: scenario.scenarioType,
  };
  const computed = computeScenarioKpis(await loadKpiEngineInput(ctx, draft, { validate }));
  computed.ms = Math.round((performance.now() - started) * 10) / 10;
  await ctx.db
    .update(scenarioKpis)
    .set({ isCurrent: false })
    .where(and(eq(scenarioKpis.organizationId, ctx.organization.id), eq(scenarioKpis.scenarioId, scenario.id), eq(scenarioKpis.isCurrent, true)));
  const [row] = await ctx.db
    .insert(scenarioKpis)
    .values(kpiRowValues(ctx, scenario.id, computed))
    .returning();
  return row;
}

/**
 * Recomputes a saved scenario's KPIs with today's baseline and coefficients: a new current scenario_kpis row, the
 * previous one kept as history (is_current = false). Does not re-validate departments that have since left the history.
 */
export async function recomputeScenarioKpis(ctx: ServiceContext, scenarioId: string): Promise<ScenarioKpiRow> {
  return inTransaction(ctx, async (tx) => writeKpis(tx, await findScenario(tx, scenarioId, { lock: true }), false));
}

async function checkOpportunity(ctx: ServiceContext, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const [row] = await ctx.db
    .select({ id: opportunities.id })
    .from(opportunities)
    .where(and(eq(opportunities.organizationId, ctx.organization.id), eq(opportunities.id, id)));
  if (!row) throw validationFailed('The scenario is not valid.', [{ path: 'sourceOpportunityId', message: `Opportunity ${id} was not found` }]);
}

function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw validationFailed('The scenario is not valid: ' + issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  return parsed.data;
}

/** Creates a scenario and its first KPIs in one transaction. */
export async function createScenario(ctx: ServiceContext, input: CreateScenarioInput): Promise<ScenarioView> {
  const data = parseOrThrow(createScenarioInput, input);
  return inTransaction(ctx, async (tx) => {
    await checkOpportunity(tx, data.sourceOpportunityId);
    const now = tx.clock.now();
    const [scenario] = await tx.db
      .insert(promoScenarios)
      .values({
        organizationId: tx.organization.id,
        label: data.label,
        sourceOpportunityId: data.sourceOpportunityId ?? null,
        dateRangeStart: data.dateRangeStart,
        dateRangeEnd: data.dateRangeEnd,
        scenarioType: data.scenarioType ?? null,
        mechanics: data.mechanics.map(normaliseMechanic),
        createdBy: tx.actor.label.slice(0, 100),
        status: data.status ?? 'draft',
        description: data.description ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const kpis = await writeKpis(tx, scenario, true);
    await recordAudit(tx, { action: 'promotions.scenario.created', entityType: 'promo_scenarios', entityId: scenario.id, after: scenario });
    return { ...scenario, currentKpis: kpis };
  });
}

/** Edits a scenario; saving recomputes its KPIs (the previous KPI row stays as history). */
export async function updateScenario(ctx: ServiceContext, id: string, input: UpdateScenarioInput): Promise<ScenarioView> {
  const data = parseOrThrow(updateScenarioInput, input);
  return inTransaction(ctx, async (tx) => {
    const before = await findScenario(tx, id, { lock: true });
    if (data.sourceOpportunityId !== undefined) await checkOpportunity(tx, data.sourceOpportunityId);
    const start = data.dateRangeStart ?? before.dateRangeStart;
    const end = data.dateRangeEnd ?? before.dateRangeEnd;
    if (end < start)
      throw validationFailed('The scenario is not valid.', [{ path: 'dateRangeEnd', message: `The end date ${end} is before the start date ${start}` }]);
    const [scenario] = await tx.db
      .update(promoScenarios)
      .set({
        label: data.label ?? before.label,
        dateRangeStart: start,
        dateRangeEnd: end,
        scenarioType: data.scenarioType === undefined ? before.scenarioType : data.scenarioType,
        mechanics: data.mechanics ? data.mechanics.map(normaliseMechanic) : before.mechanics,
        status: data.status ?? before.status,
        description: data.description === undefined ? before.description : data.description,
        sourceOpportunityId: data.sourceOpportunityId === undefined ? before.sourceOpportunityId : data.sourceOpportunityId,
        updatedAt: tx.clock.now(),
      })
      .where(and(eq(promoScenarios.organizationId, tx.organization.id), eq(promoScenarios.id, id)))
      .returning();
    const kpis = await writeKpis(tx, scenario, true);
    await recordAudit(tx, { action: 'promotions.scenario.updated', entityType: 'promo_scenarios', entityId: id, before, after: scenario });
    return { ...scenario, currentKpis: kpis };
  });
}

/** A copy labelled "Copy of …" (or the given label), with KPIs computed afresh. */
export async function copyScenario(ctx: ServiceContext, id: string, input: z.input<typeof copyScenarioInput> = {}): Promise<ScenarioView> {
  const data = parseOrThrow(copyScenarioInput, input);
  return inTransaction(ctx, async (tx) => {
    const source = await findScenario(tx, id);
    const now = tx.clock.now();
    const [scenario] = await tx.db
      .insert(promoScenarios)
      .values({
        organizationId: tx.organization.id,
        label: (data.label ?? `Copy of ${source.label}`).slice(0, 100),
        sourceOpportunityId: source.sourceOpportunityId,
        dateRangeStart: source.dateRangeStart,
        dateRangeEnd: source.dateRangeEnd,
        scenarioType: source.scenarioType,
        mechanics: source.mechanics,
        createdBy: tx.actor.label.slice(0, 100),
        status: 'draft',
        description: source.description,
        copiedFromId: source.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const kpis = await writeKpis(tx, scenario, false);
    await recordAudit(tx, { action: 'promotions.scenario.copied', entityType: 'promo_scenarios', entityId: scenario.id, after: { from: source.id } });
    return { ...scenario, currentKpis: kpis };
  });
}

export async function deleteScenario(ctx: ServiceContext, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const before = await findScenario(tx, id);
    await tx.db.delete(promoScenarios).where(and(eq(promoScenarios.organizationId, tx.organization.id), eq(promoScenarios.id, id)));
    await recordAudit(tx, { action: 'promotions.scenario.deleted', entityType: 'promo_scenarios', entityId: id, before });
  });
}

async function currentKpisOf(ctx: ServiceContext, scenarioId: string): Promise<ScenarioKpiRow | null> {
  const [row] = await ctx.db
    .select()
    .from(scenarioKpis)
    .where(and(eq(scenarioKpis.organizationId, ctx.organization.id), eq(scenarioKpis.scenarioId, scenarioId), eq(scenarioKpis.isCurrent, true)));
  return row ?? null;
}

export async function getScenario(ctx: ServiceContext, id: string): Promise<ScenarioView> {
  const scenario = await findScenario(ctx, id);
  return { ...scenario, currentKpis: await currentKpisOf(ctx, id) };
}

/** The current KPI row and every earlier one, newest first. */
export async function getScenarioKpis(ctx: ServiceContext, id: string): Promise<{ current: ScenarioKpiRow | null; history: ScenarioKpiRow[] }> {
  await findScenario(ctx, id);
  const rows = await ctx.db
    .select()
    .from(scenarioKpis)
    .where(and(eq(scenarioKpis.organizationId, ctx.organization.id), eq(scenarioKpis.scenarioId, id)))
    .orderBy(desc(scenarioKpis.createdAt), desc(scenarioKpis.isCurrent));
  return { current: rows.find((r) => r.isCurrent) ?? null, history: rows.filter((r) => !r.isCurrent) };
}

export async function listScenarios(ctx: ServiceContext, query: z.infer<typeof listScenariosQuery>): Promise<Page<ScenarioView>> {
  const where = and(
    eq(promoScenarios.organizationId, ctx.organization.id),
    query.status ? eq(promoScenarios.status, query.status) : undefined,
    query.scenarioType ? eq(promoScenarios.scenarioType, query.scenarioType) : undefined,
    query.sourceOpportunityId ? eq(promoScenarios.sourceOpportunityId, query.sourceOpportunityId) : undefined,
    query.from ? gte(promoScenarios.dateRangeEnd, query.from) : undefined,
    query.to ? lte(promoScenarios.dateRangeStart, query.to) : undefined,
    query.q ? ilike(promoScenarios.label, likePattern(query.q)) : undefined,
  );
  const rows = await ctx.db
    .select({ scenario: promoScenarios, kpis: scenarioKpis })
    .from(promoScenarios)
    .leftJoin(scenarioKpis, and(eq(scenarioKpis.scenarioId, promoScenarios.id), eq(scenarioKpis.isCurrent, true)))
    .where(where)
    .orderBy(
      ...orderBy(
        query.sort,
        {
          createdAt: promoScenarios.createdAt,
          updatedAt: promoScenarios.updatedAt,
          label: promoScenarios.label,
          dateRangeStart: promoScenarios.dateRangeStart,
        },
        promoScenarios.id,
      ),
    )
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(promoScenarios).where(where);
  return {
    data: rows.map((r) => ({ ...r.scenario, currentKpis: r.kpis })),
    page: { limit: query.limit, offset: query.offset, total: Number(total) },
  };
}
