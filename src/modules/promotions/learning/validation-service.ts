import { and, eq, gte, lte, ne, sql } from 'drizzle-orm';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { notFound } from '../../../core/errors.js';
import { computeScenarioKpis } from '../planning/kpi-engine.js';
import { getScenario, loadKpiEngineInput, recomputeScenarioKpis, type ScenarioRow } from '../planning/scenario-service.js';
import type { ScenarioDraft, ScenarioKpiComputation } from '../planning/types.js';
import { opportunities, promoCatalog, promoScenarios, validationReports, type Channel, type Mechanic } from '../schema.js';
import { addDays, monthOf } from '../shared/dates.js';
import { evaluateValidationRules, type OtherPromotion, type PreviewMechanics, type TargetGap, type ValidationOutcome } from './validation-rules.js';
import { loadValidationSettings, type ValidationSettings } from './validation-settings.js';

export type ValidationReportRow = typeof validationReports.$inferSelect;

const lineKey = (department: string, channel: string) => `${department}|${channel}`;

/**
 * A what-if engine for one scenario period: the baseline, coefficients, segments and costs are read once, then every
 * candidate set of mechanics is computed by the planning engine in memory (what previewScenarioKpis does per call).
 */
export async function scenarioPreviewer(ctx: ServiceContext, draft: ScenarioDraft): Promise<{ preview: PreviewMechanics; current: ScenarioKpiComputation }> {
  const input = await loadKpiEngineInput(ctx, draft, { validate: false });
  const cache = new Map<string, ScenarioKpiComputation>();
  const preview: PreviewMechanics = async (mechanics: Mechanic[]) => {
    const key = JSON.stringify(mechanics.map((m) => [m.department, m.channel, m.discount_pct, m.segments]));
    let result = cache.get(key);
    if (!result) {
      result = computeScenarioKpis({
        ...input,
        draft: { ...input.draft, mechanics: mechanics.map((m) => ({ ...m, segments: m.segments?.length ? m.segments : ['ALL'] })) },
      });
      cache.set(key, result);
    }
    return result;
  };
  return { preview, current: await preview(input.draft.mechanics) };
}

/**
 * Promotions that may collide with the scenario: other non-archived scenarios (not its alternatives — same source
 * opportunity — nor copies of it) and promo_catalog rows, whose dates meet the window widened by the minimum gap.
 */
async function otherPromotions(ctx: ServiceContext, scenario: ScenarioRow, settings: ValidationSettings): Promise<OtherPromotion[]> {
  const from = addDays(scenario.dateRangeStart, -settings.overlapMinGapDays - 366);
  const to = addDays(scenario.dateRangeEnd, settings.overlapMinGapDays + 366);
  const scenarios = await ctx.db
    .select()
    .from(promoScenarios)
    .where(
      and(
        eq(promoScenarios.organizationId, ctx.organization.id),
        ne(promoScenarios.id, scenario.id),
        ne(promoScenarios.status, 'archived'),
        lte(promoScenarios.dateRangeStart, to),
        gte(promoScenarios.dateRangeEnd, from),
      ),
    );
  const alternatives = (s: ScenarioRow) =>
    (s.sourceOpportunityId !== null && s.sourceOpportunityId === scenario.sourceOpportunityId) ||
    s.copiedFromId === scenario.id ||
    scenario.copiedFromId === s.id ||
    (s.copiedFromId !== null && s.copiedFromId === scenario.copiedFromId);
  const catalog = await ctx.db
    .select()
    .from(promoCatalog)
    .where(and(eq(promoCatalog.organizationId, ctx.organization.id), lte(promoCatalog.dateStart, to), gte(promoCatalog.dateEnd, from)));
  return [
    ...scenarios
      .filter((s) => !alternatives(s))
      .map((s) => ({
        kind: 'scenario' as const,
        id: s.id,
        name: s.label,
        dateStart: s.dateRangeStart,
        dateEnd: s.dateRangeEnd,
        lines: s.mechanics.map((m) => ({ department: m.department, channel: m.channel, discountPct: m.discount_pct })),
      })),
    ...catalog.map((c) => ({
      kind: 'catalog' as const,
      id: c.id,
      name: c.promoName ?? c.sourceFile ?? 'catalog promotion',
      dateStart: c.dateStart,
      dateEnd: c.dateEnd,
      lines: (c.departments ?? []).flatMap((department): OtherPromotion['lines'] =>
        c.channels && c.channels.length > 0
          ? c.channels.map((channel) => ({ department, channel: channel as Channel, discountPct: c.avgDiscountPct }))
          : [{ department, channel: null, discountPct: c.avgDiscountPct }],
      ),
    })),
  ];
}

/** The source opportunity's gap, else the month's open positive gaps on the scenario's lines (null when none). */
async function targetGapOf(ctx: ServiceContext, scenario: ScenarioRow): Promise<TargetGap | null> {
  if (scenario.sourceOpportunityId) {
    const [o] = await ctx.db
      .select()
      .from(opportunities)
      .where(and(eq(opportunities.organizationId, ctx.organization.id), eq(opportunities.id, scenario.sourceOpportunityId)));
    if (o) return { source: 'opportunity', month: o.month, gapValue: o.gapValue, lines: [{ department: o.department, channel: o.channel }] };
  }
  const month = monthOf(scenario.dateRangeStart);
  const keys = new Set(scenario.mechanics.map((m) => lineKey(m.department, m.channel)));
  const rows = (
    await ctx.db
      .select()
      .from(opportunities)
      .where(and(eq(opportunities.organizationId, ctx.organization.id), eq(opportunities.month, month)))
  ).filter((o) => keys.has(lineKey(o.department, o.channel)) && o.gapValue > 0);
  if (rows.length === 0) return null;
  return {
    source: 'month',
    month,
    gapValue: rows.reduce((s, o) => s + o.gapValue, 0),
    lines: rows.map((o) => ({ department: o.department, channel: o.channel })),
  };
}

async function knownDepartments(ctx: ServiceContext): Promise<string[]> {
  const rows = await sqlRows<{ department: string }>(
    ctx.db,
    sql`select department, sum(sales_value)::float8 as sales from promotions.sales_aggregated
        where organization_id = ${ctx.organization.id} group by department order by sales desc`,
  );
  return rows.map((r) => r.department);
}

/** The rules on a saved scenario without writing (also used by tests and the CLI preview). */
export async function evaluateScenario(
  ctx: ServiceContext,
  scenario: ScenarioRow,
  settings?: ValidationSettings,
): Promise<ValidationOutcome & { kpis: ScenarioKpiComputation; settings: ValidationSettings }> {
  const s = settings ?? (await loadValidationSettings(ctx));
  const draft: ScenarioDraft = {
    dateRangeStart: scenario.dateRangeStart,
    dateRangeEnd: scenario.dateRangeEnd,
    mechanics: scenario.mechanics,
    scenarioType: scenario.scenarioType,
  };
  const { preview, current } = await scenarioPreviewer(ctx, draft);
  // One after another: inside a transaction the queries share one connection.
  const others = await otherPromotions(ctx, scenario, s);
  const gap = await targetGapOf(ctx, scenario);
  const departments = await knownDepartments(ctx);
  const outcome = await evaluateValidationRules(
    { scenario: draft, kpis: current, otherPromotions: others, targetGap: gap, knownDepartments: departments },
    s,
    preview,
  );
  return { ...outcome, kpis: current, settings: s };
}

/** Validates a scenario and upserts its one validation report (PASS / WARN / BLOCK, issues, score 0–100). */
export async function validateScenario(ctx: ServiceContext, scenarioId: string): Promise<ValidationReportRow> {
  const view = await getScenario(ctx, scenarioId);
  const kpiRow = view.currentKpis ?? (await recomputeScenarioKpis(ctx, scenarioId));
  const outcome = await evaluateScenario(ctx, view);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const values = {
      organizationId: tx.organization.id,
      scenarioId,
      status: outcome.status,
      issues: outcome.issues,
      overallScore: outcome.overallScore,
      kpiId: kpiRow.id,
      thresholds: outcome.settings as unknown as Record<string, unknown>,
      createdAt: now,
      updatedAt: now,
    };
    const [row] = await tx.db
      .insert(validationReports)
      .values(values)
      .onConflictDoUpdate({
        target: validationReports.scenarioId,
        set: {
          status: values.status,
          issues: values.issues,
          overallScore: values.overallScore,
          kpiId: values.kpiId,
          thresholds: values.thresholds,
          updatedAt: now,
        },
      })
      .returning();
    await recordAudit(tx, {
      action: 'promotions.scenario.validated',
      entityType: 'validation_reports',
      entityId: row.id,
      after: { scenarioId, status: row.status, overallScore: row.overallScore, issues: outcome.issues.length },
    });
    return row;
  });
}

export async function getValidationReport(ctx: ServiceContext, scenarioId: string): Promise<ValidationReportRow> {
  await getScenario(ctx, scenarioId);
  const [row] = await ctx.db
    .select()
    .from(validationReports)
    .where(and(eq(validationReports.organizationId, ctx.organization.id), eq(validationReports.scenarioId, scenarioId)));
  if (!row) throw notFound('Validation report of scenario', scenarioId);
  return row;
}

/** Plain-text report for the CLI. */
export function formatValidationReport(label: string, row: Pick<ValidationReportRow, 'status' | 'overallScore' | 'issues'>): string {
  const lines = [`${label}: ${row.status} (score ${row.overallScore ?? 0}/100)`];
  const issues = row.issues ?? [];
  if (issues.length === 0) lines.push('  No issues.');
  for (const i of issues) {
    lines.push(`  [${i.severity}] ${i.type}: ${i.message}`);
    if (i.suggested_fix) lines.push(`      fix: ${i.suggested_fix}`);
  }
  return lines.join('\n');
}
