import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { notFound } from '../../../core/errors.js';
import { forecastBaseline, seriesKey } from '../forecasting/baseline.js';
import { opportunities, targets, type Channel } from '../schema.js';
import { isIsoDate, localDate, monthBounds } from '../shared/dates.js';
import { promotionsError } from '../shared/errors.js';
import { computeScenarioKpis } from './kpi-engine.js';
import { createScenario, loadKpiEngineInput, type ScenarioView } from './scenario-service.js';

/** 346317.49 → "346,317": descriptions are read by planners, not parsed. */
const wholeMoney = (value: number) => Math.round(value).toLocaleString('en-US');

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use a month as YYYY-MM');
export type OpportunityRow = typeof opportunities.$inferSelect;

/** The month after today in the organization's time zone (the one a planner usually prepares). */
export function nextMonthOf(ctx: ServiceContext): string {
  const today = localDate(ctx.clock.now(), ctx.organization.timezone);
  const [y, m] = today.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

interface SeriesPlan {
  department: string;
  channel: Channel;
  forecastSales: number;
  forecastMargin: number;
  forecastUnits: number;
  target: number;
  marginWeighted: number;
  source: string | null;
  geos: Set<string>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const clampPct = (x: number) => Math.max(-9999.99, Math.min(9999.99, round2(x)));

/**
 * Forecast vs target for a month per department × channel, ranked by the money missing. Targets naming a department
 * and channel apply directly (summed over geos); a target naming only one of them is spread over its matching series
 * by forecast share; a whole-business target (summed over geos) covers what the narrower ones leave, spread by
 * forecast share over the series without a target yet. Replaces the month's rows, keeping the id and status of rows
 * whose department × channel is still there, so the scenarios they seeded stay linked.
 */
export async function computeOpportunities(ctx: ServiceContext, input: { month: string }): Promise<OpportunityRow[]> {
  const month = monthSchema.parse(input.month);
  const { from, to } = monthBounds(month);
  const baseline = await forecastBaseline(ctx, { from, to });
  if (baseline.days.length === 0) throw promotionsError('NO_SALES_HISTORY', 'There is no sales history to forecast from: import sales first.', { status: 409 });
  const targetRows = await ctx.db
    .select()
    .from(targets)
    .where(and(eq(targets.organizationId, ctx.organization.id), eq(targets.month, month)));
  if (targetRows.length === 0) {
    throw promotionsError('NO_TARGETS', `There are no targets for ${month}: import the monthly targets first (retailops import promotions targets FILE).`, {
      status: 409,
    });
  }

  const plans = new Map<string, SeriesPlan>();
  for (const d of baseline.days) {
    const key = seriesKey(d.department, d.channel);
    let p = plans.get(key);
    if (!p) {
      p = {
        department: d.department,
        channel: d.channel,
        forecastSales: 0,
        forecastMargin: 0,
        forecastUnits: 0,
        target: 0,
        marginWeighted: 0,
        source: null,
        geos: new Set(),
      };
      plans.set(key, p);
    }
    p.forecastSales += d.salesValue;
    p.forecastMargin += d.marginValue;
    p.forecastUnits += d.units;
  }
  const all = [...plans.values()];
  const assign = (over: SeriesPlan[], amount: number, marginPct: number, source: string, geo: string) => {
    const base = over.reduce((a, p) => a + p.forecastSales, 0);
    for (const p of over) {
      const share = base > 0 ? p.forecastSales / base : 1 / over.length;
      p.target += amount * share;
      p.marginWeighted += amount * share * marginPct;
      p.source = p.source && p.source !== source ? 'mixed' : source;
      p.geos.add(geo);
    }
  };
  const ignored: string[] = [];
  const direct = targetRows.filter((t) => t.department && t.channel);
  const partial = targetRows.filter((t) => (t.department == null) !== (t.channel == null));
  const business = targetRows.filter((t) => t.department == null && t.channel == null);
  for (const t of direct) {
    const p = plans.get(seriesKey(t.department!, t.channel!));
    if (p) assign([p], t.salesValueTarget, t.marginPctTarget, 'direct', t.geo);
    else ignored.push(`${t.geo} ${t.department} ${t.channel}: no sales history for this department × channel`);
  }
  const directKeys = new Set(direct.map((t) => seriesKey(t.department!, t.channel!)));
  for (const t of partial) {
    const over = all.filter(
      (p) => !directKeys.has(seriesKey(p.department, p.channel)) && (t.department ? p.department === t.department : p.channel === t.channel),
    );
    if (over.length) assign(over, t.salesValueTarget, t.marginPctTarget, t.department ? 'department' : 'channel', t.geo);
    else ignored.push(`${t.geo} ${t.department ?? t.channel}: already covered by narrower targets or not in the sales history`);
  }
  if (business.length) {
    const total = business.reduce((a, t) => a + t.salesValueTarget, 0);
    const marginPct = total > 0 ? business.reduce((a, t) => a + t.salesValueTarget * t.marginPctTarget, 0) / total : business[0].marginPctTarget;
    const uncovered = all.filter((p) => p.source == null);
    const remainder = total - all.reduce((a, p) => a + p.target, 0);
    if (uncovered.length && remainder > 0) assign(uncovered, remainder, marginPct, 'business', business.map((t) => t.geo).join('+'));
    else if (business.length) ignored.push(`business target ${round2(total)}: nothing left to allocate after narrower targets`);
  }

  const targeted = all.filter((p) => p.source != null);
  const ranked = targeted
    .map((p) => ({ p, gap: p.target - p.forecastSales }))
    .sort((a, b) => b.gap - a.gap || a.p.department.localeCompare(b.p.department) || a.p.channel.localeCompare(b.p.channel));
  const now = ctx.clock.now();
  const totalForecast = all.reduce((a, p) => a + p.forecastSales, 0);

  return inTransaction(ctx, async (tx) => {
    const keep = ranked.map(({ p }) => `${p.department}|${p.channel}`);
    await tx.db
      .delete(opportunities)
      .where(
        and(
          eq(opportunities.organizationId, tx.organization.id),
          eq(opportunities.month, month),
          keep.length ? notInArray(sql`${opportunities.department} || '|' || ${opportunities.channel}`, keep) : undefined,
        ),
      );
    for (const [i, { p, gap }] of ranked.entries()) {
      const targetMarginPct = p.target > 0 ? round2(p.marginWeighted / p.target) : null;
      const forecastMarginPct = p.forecastSales > 0 ? (p.forecastMargin / p.forecastSales) * 100 : 0;
      const values = {
        forecastSalesValue: round2(p.forecastSales),
        forecastMarginValue: round2(p.forecastMargin),
        forecastUnits: Math.round(p.forecastUnits),
        targetSalesValue: round2(p.target),
        targetMarginPct,
        gapValue: round2(gap),
        gapPct: p.target > 0 ? clampPct((gap / p.target) * 100) : 0,
        rank: i + 1,
        forecastModel: (baseline.modelBySeries[seriesKey(p.department, p.channel)] ?? baseline.model).slice(0, 40),
        details: {
          targetSource: p.source,
          geos: [...p.geos].sort(),
          forecastShare: totalForecast > 0 ? round2((p.forecastSales / totalForecast) * 100) : 0,
          forecastMarginPct: round2(forecastMarginPct),
          marginGapPp: targetMarginPct == null ? null : round2(targetMarginPct - forecastMarginPct),
          ignoredTargets: ignored,
        },
        computedAt: now,
        updatedAt: now,
      };
      await tx.db
        .insert(opportunities)
        .values({ organizationId: tx.organization.id, month, department: p.department, channel: p.channel, status: 'open', createdAt: now, ...values })
        .onConflictDoUpdate({ target: [opportunities.organizationId, opportunities.month, opportunities.department, opportunities.channel], set: values });
    }
    await recordAudit(tx, {
      action: 'promotions.opportunities.computed',
      entityType: 'opportunities',
      entityId: month,
      after: { rows: ranked.length, ignored },
    });
    return listOpportunities(tx, { month });
  });
}

export async function listOpportunities(ctx: ServiceContext, input: { month?: string }): Promise<OpportunityRow[]> {
  const month = input.month ? monthSchema.parse(input.month) : nextMonthOf(ctx);
  return ctx.db
    .select()
    .from(opportunities)
    .where(and(eq(opportunities.organizationId, ctx.organization.id), eq(opportunities.month, month)))
    .orderBy(asc(opportunities.rank), asc(opportunities.department));
}

const variantNames = ['conservative', 'balanced', 'aggressive'] as const;
/** Share of the gap each variant aims to close, and the discount it will not exceed. */
export const seedVariants: Record<(typeof variantNames)[number], { closeShare: number; maxDiscountPct: number }> = {
  conservative: { closeShare: 0.5, maxDiscountPct: 15 },
  balanced: { closeShare: 1, maxDiscountPct: 25 },
  aggressive: { closeShare: 1.25, maxDiscountPct: 40 },
};

export const seedScenariosInput = z
  .object({
    variants: z
      .array(z.enum(variantNames))
      .min(1)
      .max(3)
      .default([...variantNames]),
    dateRangeStart: z.string().refine(isIsoDate, 'Use a calendar date as YYYY-MM-DD').optional(),
    dateRangeEnd: z.string().refine(isIsoDate, 'Use a calendar date as YYYY-MM-DD').optional(),
  })
  .refine((v) => !v.dateRangeStart || !v.dateRangeEnd || v.dateRangeEnd >= v.dateRangeStart, {
    path: ['dateRangeEnd'],
    message: 'The end date must be on or after the start date',
  });

/**
 * Seeds scenarios for an opportunity: per variant, the smallest whole discount on the department × channel whose
 * forecast incremental sales (KPI engine, coefficients in force) close the variant's share of the gap, capped at the
 * variant's maximum discount. Links them with source_opportunity_id and marks the opportunity planned.
 */
export async function seedScenariosFromOpportunity(
  ctx: ServiceContext,
  id: string,
  input: z.input<typeof seedScenariosInput> = {},
): Promise<{ opportunity: OpportunityRow; scenarios: ScenarioView[] }> {
  const options = seedScenariosInput.parse(input);
  const [opportunity] = await ctx.db
    .select()
    .from(opportunities)
    .where(and(eq(opportunities.organizationId, ctx.organization.id), eq(opportunities.id, id)));
  if (!opportunity) throw notFound('Opportunity', id);
  if (opportunity.gapValue <= 0) {
    throw promotionsError(
      'NO_GAP',
      `${opportunity.department} ${opportunity.channel} is already forecast at or above its ${opportunity.month} target: there is no gap to close.`,
      {
        status: 409,
      },
    );
  }
  const bounds = monthBounds(opportunity.month);
  const period = { dateRangeStart: options.dateRangeStart ?? bounds.from, dateRangeEnd: options.dateRangeEnd ?? bounds.to };
  const mechanicAt = (discount: number) => ({ department: opportunity.department, channel: opportunity.channel, discount_pct: discount, segments: ['ALL'] });
  const engineInput = await loadKpiEngineInput(ctx, { ...period, mechanics: [mechanicAt(0)], scenarioType: 'balanced' });
  const choices = options.variants.map((variant) => {
    const { closeShare, maxDiscountPct } = seedVariants[variant];
    const aim = opportunity.gapValue * closeShare;
    let chosen = maxDiscountPct;
    let delta = 0;
    for (let d = 1; d <= maxDiscountPct; d++) {
      const k = computeScenarioKpis({ ...engineInput, draft: { ...period, scenarioType: variant, mechanics: [mechanicAt(d)] } });
      delta = k.salesValueDelta;
      if (delta >= aim) {
        chosen = d;
        break;
      }
    }
    return { variant, discount: chosen, aim, delta, closes: delta >= aim };
  });
  return inTransaction(ctx, async (tx) => {
    const scenarios: ScenarioView[] = [];
    for (const c of choices) {
      scenarios.push(
        await createScenario(tx, {
          label: `${opportunity.department} ${opportunity.channel} ${opportunity.month} — ${c.variant}`.slice(0, 100),
          scenarioType: c.variant,
          ...period,
          sourceOpportunityId: opportunity.id,
          mechanics: [{ ...mechanicAt(c.discount), notes: `Seeded from opportunity #${opportunity.rank} (${opportunity.month})` }],
          description: c.closes
            ? `${c.discount}% on ${opportunity.department} ${opportunity.channel}: +${wholeMoney(c.delta)} forecast sales, ${Math.round((c.delta / opportunity.gapValue) * 100)}% of the ${wholeMoney(opportunity.gapValue)} gap (aim ${Math.round(seedVariants[c.variant].closeShare * 100)}%).`
            : `Even at the ${c.variant} cap of ${c.discount}%, forecast sales rise by ${wholeMoney(c.delta)}, short of the ${wholeMoney(c.aim)} aimed for.`,
        }),
      );
    }
    const [updated] = await tx.db
      .update(opportunities)
      .set({ status: 'planned', updatedAt: tx.clock.now() })
      .where(and(eq(opportunities.organizationId, tx.organization.id), eq(opportunities.id, id)))
      .returning();
    return { opportunity: updated, scenarios };
  });
}
