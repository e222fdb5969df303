import type { Channel, Mechanic, ValidationIssue } from '../schema.js';
import { addDays, daysBetween, type IsoDate } from '../shared/dates.js';
import type { MechanicForecast, ScenarioKpiComputation } from '../planning/types.js';
import { areNeighbours, marginFloorFor, maxDiscountFor, type ValidationSettings } from './validation-settings.js';

/** Another promotion that may collide with the scenario: a saved scenario or a promo_catalog row. */
export interface OtherPromotion {
  kind: 'scenario' | 'catalog';
  id: string;
  name: string;
  dateStart: IsoDate;
  dateEnd: IsoDate;
  /** department × channel lines; channel null means every channel (a catalog row without channels). */
  lines: { department: string; channel: Channel | null; discountPct: number | null }[];
}

/** The gap the scenario is meant to close: its source opportunity, else the month's open opportunities on its lines. */
export interface TargetGap {
  source: 'opportunity' | 'month';
  month: string;
  gapValue: number;
  /** The department × channel lines the gap covers (one for an opportunity). */
  lines: { department: string; channel: Channel }[];
}

export interface ValidationInput {
  scenario: { dateRangeStart: IsoDate; dateRangeEnd: IsoDate; mechanics: Mechanic[]; scenarioType?: string | null };
  kpis: ScenarioKpiComputation;
  otherPromotions: OtherPromotion[];
  targetGap: TargetGap | null;
  /** Departments with sales history, for "add a department" suggestions. */
  knownDepartments: string[];
}

/** KPIs of the same scenario with other mechanics (the planning engine's preview; no writes). */
export type PreviewMechanics = (mechanics: Mechanic[]) => Promise<ScenarioKpiComputation>;

export type ValidationStatus = 'PASS' | 'WARN' | 'BLOCK';

export interface ValidationOutcome {
  status: ValidationStatus;
  overallScore: number;
  issues: ValidationIssue[];
}

const severityPenalty: Record<ValidationIssue['severity'], number> = { blocker: 40, high: 20, medium: 10, low: 3 };

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const money = (n: number) => Math.round(n).toLocaleString('en-US');
const pctText = (n: number) => `${round1(n)}%`;
const lineKey = (department: string, channel: string) => `${department}|${channel}`;
const lineName = (department: string, channel: string) => `${department} ${channel}`;
const marginPct = (sales: number, margin: number) => (sales > 0 ? (margin / sales) * 100 : 0);

interface LineTotals {
  department: string;
  channel: Channel;
  salesValue: number;
  marginValue: number;
  baselineSalesValue: number;
  maxDiscountPct: number;
}

/** Per department × channel totals of a computation (several mechanics may share a line, e.g. one per segment). */
export function lineTotals(perMechanic: MechanicForecast[]): Map<string, LineTotals> {
  const out = new Map<string, LineTotals>();
  for (const m of perMechanic) {
    const key = lineKey(m.department, m.channel);
    const t = out.get(key) ?? { department: m.department, channel: m.channel, salesValue: 0, marginValue: 0, baselineSalesValue: 0, maxDiscountPct: 0 };
    t.salesValue += m.salesValue;
    t.marginValue += m.marginValue;
    t.baselineSalesValue += m.baselineSalesValue;
    t.maxDiscountPct = Math.max(t.maxDiscountPct, m.discountPct);
    out.set(key, t);
  }
  return out;
}

const withLineDiscount = (mechanics: Mechanic[], department: string, channel: string, discountPct: number): Mechanic[] =>
  mechanics.map((m) => (m.department === department && m.channel === channel ? { ...m, discount_pct: discountPct } : m));

/** Largest integer in [lo, hi] for which `ok` holds, assuming ok is monotone (true … true false … false); null if none. */
export async function largestSatisfying(lo: number, hi: number, ok: (n: number) => Promise<boolean>): Promise<number | null> {
  if (!(await ok(lo))) return null;
  if (await ok(hi)) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Smallest integer in [lo, hi] for which `ok` holds, assuming monotone (false … false true … true); null if none. */
export async function smallestSatisfying(lo: number, hi: number, ok: (n: number) => Promise<boolean>): Promise<number | null> {
  if (!(await ok(hi))) return null;
  if (await ok(lo)) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The margin % of one line in a computation (0 when the line sells nothing). */
function lineMarginPct(kpis: ScenarioKpiComputation, department: string, channel: string): number {
  const t = lineTotals(kpis.perMechanic).get(lineKey(department, channel));
  return t ? marginPct(t.salesValue, t.marginValue) : 0;
}

async function marginRules(input: ValidationInput, settings: ValidationSettings, preview: PreviewMechanics): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  const { kpis, scenario } = input;
  for (const line of lineTotals(kpis.perMechanic).values()) {
    const floor = marginFloorFor(settings, line.department);
    const margin = marginPct(line.salesValue, line.marginValue);
    const name = lineName(line.department, line.channel);
    if (margin >= floor) {
      if (margin < floor + settings.marginWarnBandPts) {
        issues.push({
          type: 'margin_threshold',
          severity: 'low',
          message: `${name} margin ${pctText(margin)} is within ${settings.marginWarnBandPts} pt of the ${pctText(floor)} floor.`,
          affected_department: line.department,
          affected_channel: line.channel,
          margin_pct: round2(margin),
          floor_pct: floor,
        });
      }
      continue;
    }
    const current = line.maxDiscountPct;
    const fits = (d: number) =>
      preview(withLineDiscount(scenario.mechanics, line.department, line.channel, d)).then((k) => lineMarginPct(k, line.department, line.channel) >= floor);
    const best = await largestSatisfying(0, Math.max(0, Math.ceil(current) - 1), fits);
    let fix: string;
    let suggested: number | null = null;
    let marginAtFix: number | null = null;
    if (best === null) {
      fix = `Even without a discount ${name} stays below ${pctText(floor)}; remove ${name} from the scenario or lower its floor.`;
    } else {
      suggested = best;
      marginAtFix = lineMarginPct(await preview(withLineDiscount(scenario.mechanics, line.department, line.channel, best)), line.department, line.channel);
      fix = `Reduce ${name} discount from ${pctText(current)} to ${pctText(best)} to keep margin ≥ ${pctText(floor)} (margin then ${pctText(marginAtFix)}).`;
    }
    issues.push({
      type: 'margin_threshold',
      severity: 'blocker',
      message: `${name} margin ${pctText(margin)} is below the ${pctText(floor)} floor.`,
      suggested_fix: fix,
      affected_department: line.department,
      affected_channel: line.channel,
      margin_pct: round2(margin),
      floor_pct: floor,
      current_discount_pct: current,
      suggested_discount_pct: suggested,
      margin_pct_at_fix: marginAtFix === null ? null : round2(marginAtFix),
    });
  }

  const floor = settings.marginFloorPct;
  if (kpis.totalMarginPct < floor && issues.every((i) => i.severity !== 'blocker')) {
    // Every line clears its own floor but the mix does not: scale all discounts down together.
    const scaled = (k: number) => scenario.mechanics.map((m) => ({ ...m, discount_pct: Math.floor((m.discount_pct * k) / 100) }));
    const best = await largestSatisfying(0, 99, (k) => preview(scaled(k)).then((r) => r.totalMarginPct >= floor));
    const fix =
      best === null
        ? `Even without discounts the scenario's margin stays below ${pctText(floor)}; drop its lowest-margin lines.`
        : `Scale all discounts to ${best}% of their value (${scaled(best)
            .map((m, i) => `${lineName(m.department, m.channel)} ${pctText(scenario.mechanics[i].discount_pct)} → ${pctText(m.discount_pct)}`)
            .join(', ')}) to keep total margin ≥ ${pctText(floor)}.`;
    issues.push({
      type: 'margin_threshold',
      severity: 'blocker',
      message: `Total margin ${pctText(kpis.totalMarginPct)} is below the ${pctText(floor)} floor.`,
      suggested_fix: fix,
      margin_pct: round2(kpis.totalMarginPct),
      floor_pct: floor,
      suggested_scale_pct: best,
    });
  } else if (kpis.totalMarginPct >= floor && kpis.totalMarginPct < floor + settings.marginWarnBandPts) {
    issues.push({
      type: 'margin_threshold',
      severity: 'low',
      message: `Total margin ${pctText(kpis.totalMarginPct)} is within ${settings.marginWarnBandPts} pt of the ${pctText(floor)} floor.`,
      margin_pct: round2(kpis.totalMarginPct),
      floor_pct: floor,
    });
  }
  return issues;
}

async function discountRules(input: ValidationInput, settings: ValidationSettings, preview: PreviewMechanics): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  const over = input.scenario.mechanics.filter((m) => m.discount_pct > maxDiscountFor(settings, m.department));
  for (const m of over) {
    const max = maxDiscountFor(settings, m.department);
    const capped = await preview(withLineDiscount(input.scenario.mechanics, m.department, m.channel, max));
    const name = lineName(m.department, m.channel);
    issues.push({
      type: 'max_discount',
      severity: 'blocker',
      message: `${name} discount ${pctText(m.discount_pct)} exceeds the ${pctText(max)} maximum${settings.maxDiscountPctByDepartment[m.department] !== undefined ? ` for ${m.department}` : ''}.`,
      suggested_fix: `Cap ${name} discount at ${pctText(max)}: sales ${money(capped.totalSalesValue)} (was ${money(input.kpis.totalSalesValue)}), margin ${pctText(capped.totalMarginPct)}.`,
      affected_department: m.department,
      affected_channel: m.channel,
      discount_pct: m.discount_pct,
      max_discount_pct: max,
    });
  }
  return issues;
}

const intersects = (aStart: IsoDate, aEnd: IsoDate, bStart: IsoDate, bEnd: IsoDate, gapDays: number) =>
  aStart <= addDays(bEnd, gapDays) && bStart <= addDays(aEnd, gapDays);

/** Other promotions on one of the scenario's department × channel lines whose dates (plus the gap) meet the window. */
export function overlappingPromotions(
  lines: { department: string; channel: Channel }[],
  start: IsoDate,
  end: IsoDate,
  others: OtherPromotion[],
  gapDays: number,
) {
  const hits: { promo: OtherPromotion; department: string; channel: Channel }[] = [];
  for (const promo of others) {
    if (!intersects(start, end, promo.dateStart, promo.dateEnd, gapDays)) continue;
    for (const line of lines) {
      if (promo.lines.some((l) => l.department === line.department && (l.channel === null || l.channel === line.channel))) {
        hits.push({ promo, department: line.department, channel: line.channel });
      }
    }
  }
  return hits;
}

/** The nearest window of the same length, earlier or later, that meets no other promotion on the scenario's lines. */
export function shiftedWindow(lines: { department: string; channel: Channel }[], start: IsoDate, end: IsoDate, others: OtherPromotion[], gapDays: number) {
  const length = daysBetween(start, end);
  let later = start;
  for (let i = 0; i < 50; i++) {
    const hits = overlappingPromotions(lines, later, addDays(later, length), others, gapDays);
    if (hits.length === 0) break;
    later = addDays(
      hits
        .map((h) => h.promo.dateEnd)
        .sort()
        .at(-1)!,
      gapDays + 1,
    );
  }
  let earlierEnd = end;
  for (let i = 0; i < 50; i++) {
    const hits = overlappingPromotions(lines, addDays(earlierEnd, -length), earlierEnd, others, gapDays);
    if (hits.length === 0) break;
    earlierEnd = addDays(hits.map((h) => h.promo.dateStart).sort()[0], -gapDays - 1);
  }
  const laterShift = daysBetween(start, later);
  const earlierShift = daysBetween(earlierEnd, end);
  return laterShift <= earlierShift
    ? { start: later, end: addDays(later, length), shiftDays: laterShift }
    : { start: addDays(earlierEnd, -length), end: earlierEnd, shiftDays: -earlierShift };
}

function overlapRules(input: ValidationInput, settings: ValidationSettings): ValidationIssue[] {
  const { scenario } = input;
  const lines = [...lineTotals(input.kpis.perMechanic).values()];
  const hits = overlappingPromotions(lines, scenario.dateRangeStart, scenario.dateRangeEnd, input.otherPromotions, settings.overlapMinGapDays);
  if (hits.length === 0) return [];
  const shift = shiftedWindow(lines, scenario.dateRangeStart, scenario.dateRangeEnd, input.otherPromotions, settings.overlapMinGapDays);
  return hits.map(({ promo, department, channel }) => ({
    type: 'promo_overlap',
    severity: 'medium' as const,
    message: `${lineName(department, channel)} is already promoted by ${promo.kind === 'catalog' ? 'the catalog promotion' : 'scenario'} "${promo.name}" (${promo.dateStart} – ${promo.dateEnd}).`,
    suggested_fix: `Shift the scenario ${Math.abs(shift.shiftDays)} days ${shift.shiftDays >= 0 ? 'later' : 'earlier'}, to ${shift.start} – ${shift.end}, clear of other promotions on its departments.`,
    affected_department: department,
    affected_channel: channel,
    overlapping_kind: promo.kind,
    overlapping_id: promo.id,
    overlapping_dates: [promo.dateStart, promo.dateEnd],
    suggested_dates: [shift.start, shift.end],
  }));
}

async function cannibalizationRules(input: ValidationInput, settings: ValidationSettings, preview: PreviewMechanics): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  const { scenario, kpis } = input;
  const lines = [...lineTotals(kpis.perMechanic).values()];
  const min = settings.cannibalizationMinDiscountPct;
  // Neighbours discounted together inside the scenario.
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const a = lines[i];
      const b = lines[j];
      if (a.channel !== b.channel || !areNeighbours(settings, a.department, b.department)) continue;
      if (a.maxDiscountPct < min || b.maxDiscountPct < min) continue;
      const [weak, strong] = a.salesValue - a.baselineSalesValue <= b.salesValue - b.baselineSalesValue ? [a, b] : [b, a];
      const without = await preview(scenario.mechanics.filter((m) => !(m.department === weak.department && m.channel === weak.channel)));
      issues.push({
        type: 'cannibalization_risk',
        severity: 'medium',
        message: `${a.department} and ${b.department} are both discounted (${pctText(a.maxDiscountPct)}, ${pctText(b.maxDiscountPct)}) on ${a.channel} at the same time; shoppers may only move between them.`,
        suggested_fix: `Drop ${lineName(weak.department, weak.channel)} (incremental ${money(weak.salesValue - weak.baselineSalesValue)}) or run it after ${scenario.dateRangeEnd}: without it the scenario sells ${money(without.totalSalesValue)} at ${pctText(without.totalMarginPct)} margin (now ${money(kpis.totalSalesValue)} at ${pctText(kpis.totalMarginPct)}).`,
        affected_department: weak.department,
        affected_channel: weak.channel,
        neighbour_department: strong.department,
      });
    }
  }
  // Neighbours discounted by other promotions in the same window.
  for (const line of lines) {
    for (const promo of input.otherPromotions) {
      if (!intersects(scenario.dateRangeStart, scenario.dateRangeEnd, promo.dateStart, promo.dateEnd, 0)) continue;
      const neighbour = promo.lines.find(
        (l) => (l.channel === null || l.channel === line.channel) && areNeighbours(settings, line.department, l.department) && (l.discountPct ?? min) >= min,
      );
      if (!neighbour || lines.some((l) => l.department === neighbour.department && l.channel === line.channel)) continue;
      issues.push({
        type: 'cannibalization_risk',
        severity: 'low',
        message: `Neighbour ${neighbour.department} is promoted by "${promo.name}" (${promo.dateStart} – ${promo.dateEnd}) while ${lineName(line.department, line.channel)} runs.`,
        suggested_fix: `Move the scenario to after ${promo.dateEnd}, or accept that ${neighbour.department} and ${line.department} share the same shoppers.`,
        affected_department: line.department,
        affected_channel: line.channel,
        neighbour_department: neighbour.department,
      });
    }
  }
  // Learned cannibalisation from earlier post-mortems.
  for (const m of kpis.perMechanic) {
    const learned = m.coefficient.cannibalizationPct;
    if (learned === null || learned <= settings.cannibalizationMaxLearnedPct) continue;
    const incremental = m.salesValue - m.baselineSalesValue;
    const lost = (incremental * learned) / 100;
    issues.push({
      type: 'cannibalization_risk',
      severity: 'medium',
      message: `Past promotions of ${lineName(m.department, m.channel)} cost neighbouring departments ${pctText(learned)} of their incremental sales (above the ${pctText(settings.cannibalizationMaxLearnedPct)} limit).`,
      suggested_fix: `Count on ${money(incremental - lost)} net incremental sales instead of ${money(incremental)} (${money(lost)} moves from neighbours); a smaller discount loses less.`,
      affected_department: m.department,
      affected_channel: m.channel,
      learned_cannibalization_pct: learned,
      incremental_sales: round2(incremental),
      expected_lost_sales: round2(lost),
    });
  }
  return issues;
}

function scopeDelta(kpis: ScenarioKpiComputation, gap: TargetGap): number {
  if (gap.source === 'month' && gap.lines.length === 0) return kpis.salesValueDelta;
  const keys = new Set(gap.lines.map((l) => lineKey(l.department, l.channel)));
  return kpis.perMechanic.filter((m) => keys.has(lineKey(m.department, m.channel))).reduce((s, m) => s + m.salesValue - m.baselineSalesValue, 0);
}

async function targetRules(input: ValidationInput, settings: ValidationSettings, preview: PreviewMechanics): Promise<ValidationIssue[]> {
  const gap = input.targetGap;
  if (!gap || gap.gapValue <= 0) return [];
  const { scenario, kpis } = input;
  const delta = scopeDelta(kpis, gap);
  const closure = (delta / gap.gapValue) * 100;
  if (closure >= 100) return [];
  const severity: ValidationIssue['severity'] = closure < settings.minGapClosurePct ? 'medium' : 'low';
  const what = gap.source === 'opportunity' ? `its opportunity's ${gap.month} gap` : `the open ${gap.month} target gap on its lines`;
  const base = {
    type: 'target_gap',
    severity,
    message: `The scenario adds ${money(delta)} of sales, ${pctText(closure)} of ${what} (${money(gap.gapValue)}).`,
    gap_value: round2(gap.gapValue),
    sales_delta: round2(delta),
    closure_pct: round2(closure),
  };
  const scopeKeys = new Set(gap.lines.map((l) => lineKey(l.department, l.channel)));
  const inScope = scenario.mechanics.filter((m) => gap.lines.length === 0 || scopeKeys.has(lineKey(m.department, m.channel)));
  const marginOk = (k: ScenarioKpiComputation) =>
    k.totalMarginPct >= settings.marginFloorPct &&
    [...lineTotals(k.perMechanic).values()].every((l) => marginPct(l.salesValue, l.marginValue) >= marginFloorFor(settings, l.department));

  // 1) A deeper discount on the lines in scope, up to the maximum.
  if (inScope.length > 0) {
    const current = Math.max(...inScope.map((m) => m.discount_pct));
    const cap = Math.min(...inScope.map((m) => maxDiscountFor(settings, m.department)));
    const raise = (d: number) => scenario.mechanics.map((m) => (inScope.includes(m) ? { ...m, discount_pct: Math.max(m.discount_pct, d) } : m));
    if (cap > current) {
      const needed = await smallestSatisfying(Math.ceil(current), Math.floor(cap), (d) => preview(raise(d)).then((k) => scopeDelta(k, gap) >= gap.gapValue));
      if (needed !== null) {
        const k = await preview(raise(needed));
        if (marginOk(k)) {
          const names = [...new Set(inScope.map((m) => lineName(m.department, m.channel)))].join(', ');
          return [
            {
              ...base,
              suggested_fix: `Raise ${names} discount from ${pctText(current)} to ${pctText(needed)} to close the gap: +${money(scopeDelta(k, gap))} sales at ${pctText(k.totalMarginPct)} margin.`,
              suggested_discount_pct: needed,
              affected_department: inScope[0].department,
              affected_channel: inScope[0].channel,
            },
          ];
        }
      }
    }
  }
  // 2) An extra department on the same channel at the scenario's deepest discount.
  const channel = (gap.lines[0]?.channel ?? scenario.mechanics[0]?.channel ?? 'online') as Channel;
  const used = new Set(scenario.mechanics.filter((m) => m.channel === channel).map((m) => m.department));
  const discount = Math.min(Math.max(0, ...scenario.mechanics.map((m) => m.discount_pct)), settings.maxDiscountPct);
  let best: { department: string; kpis: ScenarioKpiComputation; delta: number } | null = null;
  for (const department of input.knownDepartments.filter((d) => !used.has(d)).slice(0, 8)) {
    const mechanics = [
      ...scenario.mechanics,
      { department, channel, discount_pct: Math.min(discount, maxDiscountFor(settings, department)), segments: ['ALL'] },
    ];
    const k = await preview(mechanics);
    const d = k.salesValueDelta - kpis.salesValueDelta + delta;
    if (!marginOk(k)) continue;
    if (
      !best ||
      (best.delta < gap.gapValue && d > best.delta) ||
      (d >= gap.gapValue && best.delta >= gap.gapValue && k.totalMarginPct > best.kpis.totalMarginPct)
    ) {
      best = { department, kpis: k, delta: d };
    }
  }
  if (best) {
    const closes = best.delta >= gap.gapValue;
    return [
      {
        ...base,
        suggested_fix: `Add ${lineName(best.department, channel)} at ${pctText(discount)}: the scenario then adds ${money(best.delta)} (${pctText((best.delta / gap.gapValue) * 100)} of the gap${closes ? ', closing it' : ''}) at ${pctText(best.kpis.totalMarginPct)} margin.`,
        suggested_department: best.department,
        suggested_channel: channel,
      },
    ];
  }
  return [
    {
      ...base,
      suggested_fix: `No deeper discount up to the maximum or extra department closes the gap within the margin floor; plan a second promotion for the remaining ${money(gap.gapValue - delta)}.`,
    },
  ];
}

function confidenceRules(input: ValidationInput, settings: ValidationSettings): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const m of input.kpis.perMechanic) {
    const c = m.coefficient;
    const key = `${lineKey(m.department, m.channel)}|${c.discountBand}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const isPrior = c.modelVersion === 'prior';
    if (!isPrior && (c.confidence ?? 0) >= settings.minConfidence) continue;
    const days = daysBetween(input.scenario.dateRangeStart, input.scenario.dateRangeEnd) + 1;
    issues.push({
      type: 'low_confidence',
      severity: 'low',
      message: isPrior
        ? `${lineName(m.department, m.channel)} at ${c.discountBand}% uses the built-in prior uplift (${pctText(c.upliftSalesPct)}); no history or post-mortem has measured it.`
        : `${lineName(m.department, m.channel)} at ${c.discountBand}% relies on ${c.modelVersion} with confidence ${c.confidence ?? 0} (${c.sampleSize ?? 0} observations), below ${settings.minConfidence}.`,
      suggested_fix: `Read its ${money(m.salesValue - m.baselineSalesValue)} incremental sales as a rough figure; this promotion's post-mortem will add ${days} days of evidence.`,
      affected_department: m.department,
      affected_channel: m.channel,
      discount_band: c.discountBand,
      confidence: c.confidence,
      sample_size: c.sampleSize,
      model_version: c.modelVersion,
    });
  }
  return issues;
}

/** PASS / WARN / BLOCK from the worst issue; the score starts at 100 and loses points per issue by severity. */
export function summarizeIssues(issues: ValidationIssue[]): ValidationOutcome {
  const status: ValidationStatus = issues.some((i) => i.severity === 'blocker')
    ? 'BLOCK'
    : issues.some((i) => i.severity === 'high' || i.severity === 'medium')
      ? 'WARN'
      : 'PASS';
  const overallScore = Math.max(0, 100 - issues.reduce((s, i) => s + severityPenalty[i.severity], 0));
  return { status, overallScore, issues };
}

/** Every rule on one scenario; suggested fixes call `preview` to search the mechanics that would satisfy the rule. */
export async function evaluateValidationRules(input: ValidationInput, settings: ValidationSettings, preview: PreviewMechanics): Promise<ValidationOutcome> {
  const issues = [
    ...(await discountRules(input, settings, preview)),
    ...(await marginRules(input, settings, preview)),
    ...overlapRules(input, settings),
    ...(await cannibalizationRules(input, settings, preview)),
    ...(await targetRules(input, settings, preview)),
    ...confidenceRules(input, settings),
  ];
  return summarizeIssues(issues);
}
