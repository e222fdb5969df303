import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { likePattern, listQuerySchema, type Page } from '../../../core/db/list-query.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { notFound } from '../../../core/errors.js';
import type { AiProvider } from '../../../core/ai/index.js';
import { forecastBaseline } from '../forecasting/baseline.js';
import { postPromoDipDays } from '../planning/kpi-engine.js';
import { loadPromoCostSettings, variableCostPct } from '../planning/promo-costs.js';
import { getScenario, recomputeScenarioKpis, type ScenarioKpiRow, type ScenarioRow } from '../planning/scenario-service.js';
import type { AppliedCoefficient, MechanicForecast } from '../planning/types.js';
import { appliedCoefficientOf, currentUpliftCoefficients, nextUpliftModelVersion } from '../planning/uplift-coefficients.js';
import { upliftCurve } from '../planning/uplift-curve.js';
import { priorCoefficient, referenceDiscountOf } from '../planning/uplift-priors.js';
import { postMortemReports, scenarioKpis, segments as segmentsTable, upliftCoefficients, type Channel } from '../schema.js';
import { addDays, daysBetween, localDate, type IsoDate } from '../shared/dates.js';
import { discountBandOf } from '../shared/discount-bands.js';
import { promotionsError } from '../shared/errors.js';
import {
  cannibalizationPctByChannel,
  cannibalizationSignals,
  describeDates,
  errorPct,
  learnedConfidence,
  missingSalesDays,
  observeLines,
  postPromoDip,
  shrink,
  type ActualDay,
  type LineDip,
  type LineObservation,
  type PromotedLine,
  type Totals,
} from './post-mortem-analysis.js';
import { loadValidationSettings, type ValidationSettings } from './validation-settings.js';

export type PostMortemRow = typeof postMortemReports.$inferSelect;
export type UpliftRow = typeof upliftCoefficients.$inferSelect;

/** Days after the period the post-mortem reads for the post-promo dip. */
export const dipWindows = [7, 14] as const;

const round2 = (n: number) => Math.round(n * 100) / 100;
const money = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number) => `${round2(n)}%`;
const signedPct = (n: number) => `${n > 0 ? '+' : ''}${round2(n)}%`;
const lineKey = (department: string, channel: string) => `${department}|${channel}`;
const clampPct = (n: number, lo = -999.99, hi = 9999.99) => round2(Math.max(lo, Math.min(hi, n)));

/** The scenario_kpis row that was current when the period began (created before its first local day), else the current one. */
async function forecastAtStart(ctx: ServiceContext, scenario: ScenarioRow): Promise<ScenarioKpiRow> {
  const rows = await ctx.db
    .select()
    .from(scenarioKpis)
    .where(and(eq(scenarioKpis.organizationId, ctx.organization.id), eq(scenarioKpis.scenarioId, scenario.id)))
    .orderBy(desc(scenarioKpis.createdAt));
  const before = rows.find((r) => localDate(r.createdAt, ctx.organization.timezone) < scenario.dateRangeStart);
  return before ?? rows.find((r) => r.isCurrent) ?? (await recomputeScenarioKpis(ctx, scenario.id));
}

async function loadActuals(ctx: ServiceContext, from: IsoDate, to: IsoDate): Promise<ActualDay[]> {
  return sqlRows<ActualDay>(
    ctx.db,
    sql`select department, channel, to_char(date, 'YYYY-MM-DD') as date, sum(sales_value)::float8 as "salesValue",
               sum(margin_value)::float8 as "marginValue", sum(units)::float8 as units
        from promotions.sales_aggregated
        where organization_id = ${ctx.organization.id} and date between ${from}::date and ${to}::date
        group by department, channel, date`,
  );
}

/** Share of a line's revenue its mechanics target: 1 with "ALL", else the CDP segments' revenue shares (capped at 1). */
async function promotedLines(ctx: ServiceContext, scenario: ScenarioRow): Promise<PromotedLine[]> {
  const shares = new Map(
    (
      await ctx.db
        .select({ id: segmentsTable.segmentId, share: segmentsTable.shareOfRevenue })
        .from(segmentsTable)
        .where(eq(segmentsTable.organizationId, ctx.organization.id))
    ).map((s) => [s.id, s.share]),
  );
  const lines = new Map<string, PromotedLine & { segments: Set<string> }>();
  for (const m of scenario.mechanics) {
    const k = lineKey(m.department, m.channel);
    const line = lines.get(k) ?? { department: m.department, channel: m.channel, discountPct: 0, coverage: 0, segments: new Set<string>() };
    line.discountPct = Math.max(line.discountPct, m.discount_pct);
    for (const s of m.segments?.length ? m.segments : ['ALL']) line.segments.add(s);
    lines.set(k, line);
  }
  return [...lines.values()].map(({ segments, ...line }) => {
    const coverage = segments.has('ALL')
      ? 1
      : Math.min(
          1,
          [...segments].reduce((s, id) => s + (shares.get(id) ?? 0), 0),
        );
    return { ...line, coverage: coverage > 0 ? coverage : 1 };
  });
}

/** The forecast of the promoted lines from the KPI row's per-mechanic figures (untargeted segments at baseline). */
function forecastOfLines(row: ScenarioKpiRow, lines: PromotedLine[]): (Totals & { ebit: number; promoCosts: number }) | null {
  const perMechanic = (row.kpiBreakdown as { per_mechanic?: MechanicForecast[] }).per_mechanic;
  if (!Array.isArray(perMechanic) || perMechanic.length === 0) return null;
  const coverageOf = new Map(lines.map((l) => [lineKey(l.department, l.channel), l.coverage]));
  const t = { salesValue: 0, marginValue: 0, units: 0, promoCosts: 0, ebit: 0 };
  for (const m of perMechanic) {
    const rest = 1 / (coverageOf.get(lineKey(m.department, m.channel)) ?? 1) - 1;
    t.salesValue += m.salesValue + m.baselineSalesValue * rest;
    t.marginValue += m.marginValue + m.baselineMarginValue * rest;
    t.units += m.units + m.baselineUnits * rest;
    t.promoCosts += m.promoCosts;
  }
  t.ebit = t.marginValue - t.promoCosts;
  return t;
}

interface LearnedKey {
  department: string;
  channel: Channel;
  discountBand: string;
  prior: AppliedCoefficient;
  observation: LineObservation;
  dip: LineDip;
  cannibalizationPct: number | null;
  /** The department × channel's coefficients in force (other bands), so the conversion follows the engine's curve. */
  inForce?: AppliedCoefficient[];
}

/** One learned coefficient: the observation (converted to the prior's reference discount) shrunk towards the prior. */
export function learnCoefficient(k: LearnedKey, promoDays: number, settings: ValidationSettings) {
  const prior = k.prior;
  const reference = prior.referenceDiscountPct ?? referenceDiscountOf(k.discountBand);
  // The engine forecasts along the department × channel's response curve (planning/uplift-curve.ts), so an observation
  // at another discount is carried to the reference by that curve's ratio: curve(reference) ÷ curve(discount). A
  // forecast that came true then leaves the coefficient where it was. Where the curve is 0 there, by discount ÷ reference.
  const curve = upliftCurve(k.department, k.channel, [prior, ...(k.inForce ?? []).filter((c) => c.discountBand !== k.discountBand)]);
  const atObserved = curve.at(k.observation.discountPct);
  const atReference = curve.at(reference);
  const proportional = k.observation.discountPct > 0 ? reference / k.observation.discountPct : 1;
  const toReference = (metric: 'upliftSalesPct' | 'upliftUnitsPct' | 'marginImpactPct') =>
    Math.abs(atObserved[metric]) > 1e-9 ? atReference[metric] / atObserved[metric] : proportional;
  const observed = {
    upliftSalesPct: k.observation.observedSalesUpliftPct * toReference('upliftSalesPct'),
    upliftUnitsPct: k.observation.observedUnitsUpliftPct * toReference('upliftUnitsPct'),
    marginImpactPct: k.observation.observedMarginImpactPts * toReference('marginImpactPct'),
  };
  const weight = settings.learningWeightPerDay;
  const n = promoDays * weight;
  const priorSample = prior.modelVersion === 'prior' || prior.sampleSize == null ? settings.learningDefaultPriorSample : prior.sampleSize;
  const n0 = Math.min(settings.learningPriorSampleCap, priorSample);
  const blend = (p: number, o: number, nObs = n) => shrink({ prior: p, observed: o, n: nObs, n0 });
  const dipWindow = k.dip.windows.find((w) => w.days === postPromoDipDays) ?? k.dip.windows[0];
  const dipObserved = dipWindow && dipWindow.changePct !== null && dipWindow.daysWithData > 0 ? -dipWindow.changePct / (k.observation.coverage || 1) : null;
  const dipN = dipWindow ? dipWindow.daysWithData * weight : 0;
  const learned = {
    upliftSalesPct: clampPct(blend(prior.upliftSalesPct, observed.upliftSalesPct), -99.99),
    upliftUnitsPct: clampPct(blend(prior.upliftUnitsPct, observed.upliftUnitsPct), -99.99),
    marginImpactPct: clampPct(blend(prior.marginImpactPct, observed.marginImpactPct)),
    postPromoDipPct: dipObserved === null ? prior.postPromoDipPct : clampPct(blend(prior.postPromoDipPct ?? 0, dipObserved, dipN), -100, 100),
    cannibalizationPct:
      k.cannibalizationPct === null ? prior.cannibalizationPct : clampPct(blend(prior.cannibalizationPct ?? 0, k.cannibalizationPct), -50, 999),
    confidence: learnedConfidence(n0 + n, prior.confidence),
    sampleSize: (prior.modelVersion === 'prior' ? 0 : (prior.sampleSize ?? 0)) + promoDays,
  };
  const details = {
    referenceDiscountPct: reference,
    discountPct: k.observation.discountPct,
    toReference: {
      upliftSalesPct: round2(toReference('upliftSalesPct')),
      upliftUnitsPct: round2(toReference('upliftUnitsPct')),
      marginImpactPct: round2(toReference('marginImpactPct')),
    },
    coverage: k.observation.coverage,
    prior: {
      modelVersion: prior.modelVersion,
      source: prior.source ?? (prior.modelVersion === 'prior' ? 'prior' : null),
      upliftSalesPct: prior.upliftSalesPct,
      upliftUnitsPct: prior.upliftUnitsPct,
      marginImpactPct: prior.marginImpactPct,
      postPromoDipPct: prior.postPromoDipPct,
      cannibalizationPct: prior.cannibalizationPct,
      confidence: prior.confidence,
      sampleSize: prior.sampleSize,
    },
    observed: {
      upliftSalesPct: round2(observed.upliftSalesPct),
      upliftUnitsPct: round2(observed.upliftUnitsPct),
      marginImpactPct: round2(observed.marginImpactPct),
      upliftSalesPctAtDiscount: k.observation.observedSalesUpliftPct,
      postPromoDipPct: dipObserved === null ? null : round2(dipObserved),
      cannibalizationPct: k.cannibalizationPct,
      salesValue: round2(k.observation.actual.salesValue),
      baselineSalesValue: round2(k.observation.baseline.salesValue),
    },
    n,
    n0,
    dipN,
    weight,
    promoDays,
  };
  return { learned, details };
}

export interface PostMortemOptions {
  /** A configured language model may phrase the summary; the deterministic sentences are always stored. */
  ai?: AiProvider;
}

export interface PostMortemResult {
  report: PostMortemRow;
  coefficients: UpliftRow[];
}

/**
 * Compares a finished scenario's actual sales with the forecast that was current when it began, measures the
 * post-promo dip and cannibalisation against the baseline trained up to the day before, and learns a new org-wide
 * uplift model version from it. Re-running replaces the scenario's post-mortem (and the version it learned, while no
 * newer version of those keys exists).
 */
export async function runPostMortem(ctx: ServiceContext, scenarioId: string, options: PostMortemOptions = {}): Promise<PostMortemResult> {
  const scenario = await getScenario(ctx, scenarioId);
  const { dateRangeStart: start, dateRangeEnd: end } = scenario;
  const today = localDate(ctx.clock.now(), ctx.organization.timezone);
  const lines = await promotedLines(ctx, scenario);
  const actuals = await loadActuals(ctx, start, addDays(end, Math.max(...dipWindows)));
  const missing = missingSalesDays(lines, start, end, actuals);
  if (missing.length > 0) {
    const what = missing.map((m) => `${m.department} ${m.channel}: ${describeDates(m.dates)}`).join('; ');
    const notOver = end >= today ? ` The period ends on ${end} (today is ${today}).` : '';
    throw promotionsError('POST_MORTEM_NOT_READY', `Scenario "${scenario.label}" has no actual sales yet for ${what}. Import those days first.${notOver}`, {
      status: 409,
      details: missing,
    });
  }
  const settings = await loadValidationSettings(ctx);
  const forecastRow = await forecastAtStart(ctx, scenario);
  // Cannibalisation looks at every department of the promoted channels, so only those channels' series are fitted.
  const baseline = await forecastBaseline(ctx, {
    from: start,
    to: addDays(end, Math.max(...dipWindows)),
    trainedThrough: addDays(start, -1),
    channels: [...new Set(lines.map((l) => l.channel))],
  });
  const observations = observeLines(lines, start, end, actuals, baseline.days);
  const dips = postPromoDip(lines, end, actuals, baseline.days, [...dipWindows]);
  const signals = cannibalizationSignals(lines, start, end, actuals, baseline.days, settings.cannibalizationSignalPct);
  const cannibalByChannel = cannibalizationPctByChannel(observations, signals);
  const promoDays = daysBetween(start, end) + 1;

  // Actuals of the promoted lines, EBIT with the planning engine's promo costs (fixed per channel-day + variable %).
  const costs = await loadPromoCostSettings(ctx);
  const actual = observations.reduce(
    (t, o) => ({ salesValue: t.salesValue + o.actual.salesValue, marginValue: t.marginValue + o.actual.marginValue, units: t.units + o.actual.units }),
    {
      salesValue: 0,
      marginValue: 0,
      units: 0,
    },
  );
  const fixedCosts = [...new Set(lines.map((l) => l.channel))].reduce((s, c) => s + (costs.fixedCostPerChannelDay[c] ?? 0) * promoDays, 0);
  const promotedSales = observations.reduce((s, o) => s + o.actual.salesValue * o.coverage, 0);
  const actualPromoCosts = fixedCosts + (promotedSales * variableCostPct(costs, scenario.scenarioType)) / 100;
  const actualEbit = actual.marginValue - actualPromoCosts;
  const forecast = forecastOfLines(forecastRow, lines) ?? {
    salesValue: forecastRow.totalSalesValue,
    marginValue: forecastRow.totalMarginValue,
    units: forecastRow.totalUnits,
    promoCosts: forecastRow.promoCosts,
    ebit: forecastRow.totalEbit,
  };
  const errors = {
    sales: errorPct(forecast.salesValue, actual.salesValue),
    margin: errorPct(forecast.marginValue, actual.marginValue),
    ebit: errorPct(forecast.ebit, actualEbit),
    units: errorPct(forecast.units, actual.units),
  };
  const actualMarginPct = actual.salesValue > 0 ? (actual.marginValue / actual.salesValue) * 100 : 0;

  const insights: string[] = [
    `Actual sales of the promoted lines were ${money(actual.salesValue)} against a forecast of ${money(forecast.salesValue)} (forecast error ${signedPct(errors.sales)}); margin ${money(actual.marginValue)} (${pct(actualMarginPct)}), EBIT ${money(actualEbit)} after ${money(actualPromoCosts)} of promo costs.`,
    ...observations.map(
      (o) =>
        `${o.department} ${o.channel} at ${pct(o.discountPct)} off sold ${money(o.actual.salesValue)} vs a baseline of ${money(o.baseline.salesValue)}: observed uplift ${signedPct(o.observedSalesUpliftPct)} on sales, ${signedPct(o.observedUnitsUpliftPct)} on units, margin rate ${signedPct(o.observedMarginImpactPts).replace('%', ' pts')}.`,
    ),
    ...dips.flatMap((d) =>
      d.windows
        .filter((w) => w.changePct !== null)
        .map(
          (w) =>
            `In the ${w.days} days after the promotion (${w.daysWithData} with data) ${d.department} ${d.channel} sold ${money(w.actualSalesValue)} vs ${money(w.baselineSalesValue)} baseline (${signedPct(w.changePct!)}${w.changePct! <= -settings.cannibalizationSignalPct ? ', a post-promo dip' : ''}).`,
        ),
    ),
    ...signals
      .filter((s) => s.significant)
      .map(
        (s) =>
          `${s.department} ${s.channel} (not promoted) fell ${pct(-s.changePct)} below its baseline during the promotion (${money(s.lostSalesValue)} lost): likely cannibalisation.`,
      ),
  ];
  if (!signals.some((s) => s.significant)) {
    insights.push(
      `No neighbouring department on ${[...new Set(lines.map((l) => l.channel))].join(' or ')} fell more than ${pct(settings.cannibalizationSignalPct)} below its baseline.`,
    );
  }

  const result = await inTransaction(ctx, async (tx) => {
    // Replace an earlier post-mortem, and the coefficients it learned where nothing newer has been built on them.
    const earlier = await tx.db
      .select({ id: postMortemReports.id })
      .from(postMortemReports)
      .where(and(eq(postMortemReports.organizationId, tx.organization.id), eq(postMortemReports.scenarioId, scenarioId)));
    if (earlier.length > 0) {
      const ids = earlier.map((e) => e.id);
      const learnedRows = await tx.db
        .select()
        .from(upliftCoefficients)
        .where(and(eq(upliftCoefficients.organizationId, tx.organization.id), inArray(upliftCoefficients.postMortemId, ids)));
      const inForce = new Map((await currentUpliftCoefficients(tx)).map((r) => [r.id, r]));
      const removable = learnedRows.filter((r) => inForce.has(r.id)).map((r) => r.id);
      if (removable.length > 0) await tx.db.delete(upliftCoefficients).where(inArray(upliftCoefficients.id, removable));
      await tx.db.delete(postMortemReports).where(inArray(postMortemReports.id, ids));
    }

    const inForce = new Map(
      (await currentUpliftCoefficients(tx)).map((r) => [`${lineKey(r.department, r.channel)}|${r.discountBand}`, appliedCoefficientOf(r)]),
    );
    const keys: LearnedKey[] = observations
      .filter((o) => o.baseline.salesValue > 0)
      .map((o) => {
        const band = discountBandOf(o.discountPct);
        return {
          department: o.department,
          channel: o.channel,
          discountBand: band,
          prior: inForce.get(`${lineKey(o.department, o.channel)}|${band}`) ?? priorCoefficient(o.department, o.channel, band),
          observation: o,
          dip: dips.find((d) => d.department === o.department && d.channel === o.channel)!,
          cannibalizationPct: cannibalByChannel.get(o.channel) ?? null,
          inForce: [...inForce.values()].filter((c) => c.department === o.department && c.channel === o.channel),
        };
      });
    const learnedList = keys.map((k) => ({ key: k, ...learnCoefficient(k, promoDays, settings) }));
    const modelVersion = learnedList.length > 0 ? await nextUpliftModelVersion(tx) : null;

    const learningPoints = learnedList.map(({ key, learned, details }) => {
      const moved = learned.upliftSalesPct - key.prior.upliftSalesPct;
      return `${key.department} ${key.channel} ${key.discountBand}%: uplift ${pct(key.prior.upliftSalesPct)} (${key.prior.modelVersion}) → ${pct(learned.upliftSalesPct)} in ${modelVersion} (observed ${pct(details.observed.upliftSalesPct)} at the ${pct(details.referenceDiscountPct)} reference over ${promoDays} days; weight ${round2(details.n)} vs prior ${round2(details.n0)}, ${moved >= 0 ? 'up' : 'down'} ${pct(Math.abs(moved))}); confidence ${learned.confidence}.`;
    });
    for (const { key, learned } of learnedList) {
      if (learned.postPromoDipPct !== null && learned.postPromoDipPct !== key.prior.postPromoDipPct) {
        learningPoints.push(`${key.department} ${key.channel}: post-promo dip now ${pct(learned.postPromoDipPct)} of baseline over ${postPromoDipDays} days.`);
      }
      if (learned.cannibalizationPct !== null && learned.cannibalizationPct !== key.prior.cannibalizationPct) {
        learningPoints.push(`${key.department} ${key.channel}: cannibalisation now ${pct(learned.cannibalizationPct)} of incremental sales.`);
      }
    }
    if (Math.abs(errors.sales) > 10) {
      learningPoints.push(
        `The forecast ${errors.sales > 0 ? 'over' : 'under'}-estimated sales by ${pct(Math.abs(errors.sales))}; the next forecasts of these lines use ${modelVersion ?? 'the same coefficients'}.`,
      );
    }

    let narrative: Record<string, unknown> | null = null;
    if (options.ai && options.ai.name !== 'offline') {
      const text = await options.ai
        .generateText({
          purpose: 'promotions.post-mortem',
          system: 'You summarise a retail promotion post-mortem for category managers in 3 short sentences. Use only the numbers given.',
          prompt: [...insights, ...learningPoints].join('\n'),
          maxTokens: 300,
          fallback: () => insights[0],
        })
        .catch(() => null);
      if (text && !text.producedWithoutModel) narrative = { text: text.text, provider: text.provider, model: text.model, phrased_by_ai: true };
    }

    const now = tx.clock.now();
    const [report] = await tx.db
      .insert(postMortemReports)
      .values({
        organizationId: tx.organization.id,
        scenarioId,
        periodStart: start,
        periodEnd: end,
        forecastKpiId: forecastRow.id,
        actualSalesValue: round2(actual.salesValue),
        actualMarginValue: round2(actual.marginValue),
        actualMarginPct: clampPct(actualMarginPct, -999.99, 999.99),
        actualEbit: round2(actualEbit),
        actualUnits: Math.round(actual.units),
        salesValueErrorPct: errors.sales,
        marginValueErrorPct: errors.margin,
        ebitErrorPct: errors.ebit,
        unitsErrorPct: errors.units,
        postPromoDip: { windows: [...dipWindows], lines: dips, baseline_trained_through: addDays(start, -1), baseline_model: baseline.model },
        cannibalizationSignals: signals as unknown as Record<string, unknown>[],
        insights,
        learningPoints,
        learnedModelVersion: modelVersion,
        details: {
          scope: 'promoted department × channel lines',
          forecast: { ...mapRound(forecast), kpi_created_at: forecastRow.createdAt, uplift_model_version: forecastRow.upliftModelVersion },
          actual: { ...mapRound(actual), promo_costs: round2(actualPromoCosts), ebit: round2(actualEbit) },
          lines: observations,
          cannibalization_pct_by_channel: Object.fromEntries(cannibalByChannel),
          learning: learnedList.map(({ key, learned, details }) => ({
            department: key.department,
            channel: key.channel,
            discountBand: key.discountBand,
            ...learned,
            details,
          })),
          narrative,
          generated_by: narrative ? 'ai' : 'offline',
        },
        createdAt: now,
      })
      .returning();

    const coefficients =
      modelVersion === null
        ? []
        : await tx.db
            .insert(upliftCoefficients)
            .values(
              learnedList.map(({ key, learned, details }) => ({
                organizationId: tx.organization.id,
                department: key.department,
                channel: key.channel,
                discountBand: key.discountBand,
                upliftSalesPct: learned.upliftSalesPct,
                upliftUnitsPct: learned.upliftUnitsPct,
                marginImpactPct: learned.marginImpactPct,
                confidence: learned.confidence,
                sampleSize: learned.sampleSize,
                modelVersion,
                source: 'learned',
                postPromoDipPct: learned.postPromoDipPct,
                cannibalizationPct: learned.cannibalizationPct,
                postMortemId: report.id,
                details: details as unknown as Record<string, unknown>,
                createdAt: now,
              })),
            )
            .returning();
    await recordAudit(tx, {
      action: 'promotions.post-mortem.completed',
      entityType: 'post_mortem_reports',
      entityId: report.id,
      after: { scenarioId, learnedModelVersion: modelVersion, salesValueErrorPct: errors.sales, keys: coefficients.length },
    });
    return { report, coefficients };
  });
  return result;
}

function mapRound(t: object): Record<string, number> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, round2(v)]));
}

export async function getPostMortem(ctx: ServiceContext, scenarioId: string): Promise<PostMortemRow> {
  await getScenario(ctx, scenarioId);
  const [row] = await ctx.db
    .select()
    .from(postMortemReports)
    .where(and(eq(postMortemReports.organizationId, ctx.organization.id), eq(postMortemReports.scenarioId, scenarioId)))
    .orderBy(desc(postMortemReports.createdAt))
    .limit(1);
  if (!row) throw notFound('Post-mortem of scenario', scenarioId);
  return row;
}

export const listPostMortemsQuery = listQuerySchema(['createdAt', 'periodStart'], '-createdAt', {});

/** Post-mortems with their scenario's label; `q` searches the label. */
export async function listPostMortems(
  ctx: ServiceContext,
  query: { limit: number; offset: number; sort?: string; q?: string },
): Promise<Page<PostMortemRow & { scenarioLabel: string }>> {
  const rows = await sqlRows<{ id: string; label: string; total: number }>(
    ctx.db,
    sql`select pm.id, ps.label, count(*) over ()::int as total
        from promotions.post_mortem_reports pm join promotions.promo_scenarios ps on ps.id = pm.scenario_id
        where pm.organization_id = ${ctx.organization.id} ${query.q ? sql`and ps.label ilike ${likePattern(query.q)}` : sql``}
        order by ${query.sort === 'periodStart' ? sql`pm.period_start asc` : query.sort === '-periodStart' ? sql`pm.period_start desc` : query.sort === 'createdAt' ? sql`pm.created_at asc` : sql`pm.created_at desc`}, pm.id
        limit ${query.limit} offset ${query.offset}`,
  );
  const full = rows.length
    ? await ctx.db
        .select()
        .from(postMortemReports)
        .where(
          and(
            eq(postMortemReports.organizationId, ctx.organization.id),
            inArray(
              postMortemReports.id,
              rows.map((r) => r.id),
            ),
          ),
        )
    : [];
  const byId = new Map(full.map((r) => [r.id, r]));
  return {
    data: rows.map((r) => ({ ...byId.get(r.id)!, scenarioLabel: r.label })),
    page: { limit: query.limit, offset: query.offset, total: rows[0]?.total ?? 0 },
  };
}

/** Plain-text report for the CLI. */
export function formatPostMortem(label: string, result: PostMortemResult): string {
  const r = result.report;
  return [
    `${label}: post-mortem ${r.periodStart} – ${r.periodEnd}`,
    `  actual sales ${money(r.actualSalesValue)}, margin ${money(r.actualMarginValue)} (${pct(r.actualMarginPct)}), EBIT ${money(r.actualEbit)}, units ${r.actualUnits}`,
    `  forecast error: sales ${signedPct(r.salesValueErrorPct)}, margin ${signedPct(r.marginValueErrorPct)}, EBIT ${signedPct(r.ebitErrorPct)}, units ${signedPct(r.unitsErrorPct)}`,
    `  learned model version: ${r.learnedModelVersion ?? '(none)'}`,
    '  insights:',
    ...(r.insights ?? []).map((s) => `    - ${s}`),
    '  learning points:',
    ...(r.learningPoints ?? []).map((s) => `    - ${s}`),
  ].join('\n');
}
