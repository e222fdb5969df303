import type { BaselineDay } from '../forecasting/baseline.js';
import type { Channel } from '../schema.js';
import { addDays, eachDay, type IsoDate } from '../shared/dates.js';

/** One department × channel × day of actual sales (promo and non-promo rows of the day summed). */
export interface ActualDay {
  department: string;
  channel: Channel;
  date: IsoDate;
  salesValue: number;
  marginValue: number;
  units: number;
}

/** A department × channel the scenario promoted, with what the forecast assumed for it. */
export interface PromotedLine {
  department: string;
  channel: Channel;
  discountPct: number;
  /** Share of the line's baseline revenue the mechanics target (1 for "ALL"). */
  coverage: number;
}

export interface Totals {
  salesValue: number;
  marginValue: number;
  units: number;
}

export interface LineObservation extends PromotedLine {
  actual: Totals;
  baseline: Totals;
  /** actual ÷ baseline − 1 over the promo days, on the targeted share of the line (×100). */
  observedSalesUpliftPct: number;
  observedUnitsUpliftPct: number;
  /** Margin rate change in points, actual vs baseline. */
  observedMarginImpactPts: number;
}

export interface DipWindow {
  days: number;
  from: IsoDate;
  to: IsoDate;
  /** Days of the window with actual sales (the window may not be over yet). */
  daysWithData: number;
  actualSalesValue: number;
  baselineSalesValue: number;
  /** (actual − baseline) ÷ baseline × 100: negative is a dip. */
  changePct: number | null;
}

export interface LineDip {
  department: string;
  channel: Channel;
  windows: DipWindow[];
}

export interface CannibalizationSignal {
  department: string;
  channel: Channel;
  actualSalesValue: number;
  baselineSalesValue: number;
  changePct: number;
  lostSalesValue: number;
  significant: boolean;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const key = (department: string, channel: string) => `${department}|${channel}`;
const zero = (): Totals => ({ salesValue: 0, marginValue: 0, units: 0 });
const add = (t: Totals, d: { salesValue: number; marginValue: number; units: number }) => {
  t.salesValue += d.salesValue;
  t.marginValue += d.marginValue;
  t.units += d.units;
};

/** Days of the period without a sales row for a promoted line: a post-mortem needs every one of them. */
export function missingSalesDays(lines: { department: string; channel: Channel }[], start: IsoDate, end: IsoDate, actuals: ActualDay[]) {
  const have = new Set(actuals.map((a) => `${key(a.department, a.channel)}|${a.date}`));
  const missing: { department: string; channel: Channel; dates: IsoDate[] }[] = [];
  for (const line of lines) {
    const dates = eachDay(start, end).filter((d) => !have.has(`${key(line.department, line.channel)}|${d}`));
    if (dates.length > 0) missing.push({ department: line.department, channel: line.channel, dates });
  }
  return missing;
}

/** "2026-04-03 – 2026-04-05, 2026-04-09" */
export function describeDates(dates: IsoDate[]): string {
  const runs: [IsoDate, IsoDate][] = [];
  for (const d of [...dates].sort()) {
    const last = runs.at(-1);
    if (last && addDays(last[1], 1) === d) last[1] = d;
    else runs.push([d, d]);
  }
  return runs.map(([a, b]) => (a === b ? a : `${a} – ${b}`)).join(', ');
}

function sumOver(
  days: { department: string; channel: string; date: IsoDate; salesValue: number; marginValue: number; units: number }[],
  k: string,
  from: IsoDate,
  to: IsoDate,
) {
  const t = zero();
  const dates = new Set<IsoDate>();
  for (const d of days) {
    if (key(d.department, d.channel) !== k || d.date < from || d.date > to) continue;
    add(t, d);
    dates.add(d.date);
  }
  return { totals: t, dates };
}

/** Observed uplift of each promoted line over the period: actual vs the baseline trained before the promotion. */
export function observeLines(lines: PromotedLine[], start: IsoDate, end: IsoDate, actuals: ActualDay[], baseline: BaselineDay[]): LineObservation[] {
  return lines.map((line) => {
    const k = key(line.department, line.channel);
    const actual = sumOver(actuals, k, start, end).totals;
    const base = sumOver(baseline, k, start, end).totals;
    const coverage = line.coverage > 0 ? line.coverage : 1;
    const ratio = (a: number, b: number) => (b > 0 ? ((a - b) / (b * coverage)) * 100 : 0);
    const rate = (t: Totals) => (t.salesValue > 0 ? t.marginValue / t.salesValue : 0);
    return {
      ...line,
      actual,
      baseline: base,
      observedSalesUpliftPct: round2(ratio(actual.salesValue, base.salesValue)),
      observedUnitsUpliftPct: round2(ratio(actual.units, base.units)),
      observedMarginImpactPts: round2(((rate(actual) - rate(base)) * 100) / coverage),
    };
  });
}

/** Sales in the 7 and 14 days after the period vs baseline, per promoted line, over the days that have data. */
export function postPromoDip(
  lines: { department: string; channel: Channel }[],
  end: IsoDate,
  actuals: ActualDay[],
  baseline: BaselineDay[],
  windows = [7, 14],
): LineDip[] {
  return lines.map((line) => {
    const k = key(line.department, line.channel);
    return {
      department: line.department,
      channel: line.channel,
      windows: windows.map((days) => {
        const from = addDays(end, 1);
        const to = addDays(end, days);
        const actual = sumOver(actuals, k, from, to);
        // Compare only the days that have actuals, so a window still running is not read as a dip.
        const base = baseline.filter((b) => key(b.department, b.channel) === k && actual.dates.has(b.date)).reduce((s, b) => s + b.salesValue, 0);
        return {
          days,
          from,
          to,
          daysWithData: actual.dates.size,
          actualSalesValue: round2(actual.totals.salesValue),
          baselineSalesValue: round2(base),
          changePct: base > 0 ? round2(((actual.totals.salesValue - base) / base) * 100) : null,
        };
      }),
    };
  });
}

/** Departments not promoted, on the promoted channels, during the period: a drop beyond the threshold is a signal. */
export function cannibalizationSignals(
  promoted: { department: string; channel: Channel }[],
  start: IsoDate,
  end: IsoDate,
  actuals: ActualDay[],
  baseline: BaselineDay[],
  thresholdPct: number,
): CannibalizationSignal[] {
  const promotedKeys = new Set(promoted.map((l) => key(l.department, l.channel)));
  const channels = new Set(promoted.map((l) => l.channel));
  const others = new Map<string, { department: string; channel: Channel }>();
  for (const b of baseline) {
    if (channels.has(b.channel) && !promotedKeys.has(key(b.department, b.channel)))
      others.set(key(b.department, b.channel), { department: b.department, channel: b.channel });
  }
  return [...others.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([k, line]) => {
      const actual = sumOver(actuals, k, start, end);
      if (actual.dates.size === 0) return [];
      const base = baseline.filter((b) => key(b.department, b.channel) === k && actual.dates.has(b.date)).reduce((s, b) => s + b.salesValue, 0);
      if (base <= 0) return [];
      const changePct = ((actual.totals.salesValue - base) / base) * 100;
      return [
        {
          ...line,
          actualSalesValue: round2(actual.totals.salesValue),
          baselineSalesValue: round2(base),
          changePct: round2(changePct),
          lostSalesValue: round2(base - actual.totals.salesValue),
          significant: changePct <= -thresholdPct,
        },
      ];
    });
}

/**
 * Neighbours' lost sales as a % of the promoted lines' incremental sales, per channel (the KPI engine's definition of
 * cannibalization_pct). Gains of neighbours count against losses; null when the promotion added nothing.
 */
export function cannibalizationPctByChannel(observations: LineObservation[], signals: CannibalizationSignal[]): Map<Channel, number | null> {
  const out = new Map<Channel, number | null>();
  for (const channel of new Set(observations.map((o) => o.channel))) {
    const incremental = observations.filter((o) => o.channel === channel).reduce((s, o) => s + o.actual.salesValue - o.baseline.salesValue, 0);
    const lost = signals.filter((s) => s.channel === channel).reduce((s, x) => s + x.lostSalesValue, 0);
    out.set(channel, incremental > 0 ? round2(Math.min(999, Math.max(0, (lost / incremental) * 100))) : null);
  }
  return out;
}

/** (forecast − actual) ÷ actual × 100, clamped to the column's range: positive means the forecast was too high. */
export function errorPct(forecast: number, actual: number): number {
  if (actual === 0) return forecast === 0 ? 0 : forecast > 0 ? 9999.99 : -9999.99;
  return round2(Math.max(-9999.99, Math.min(9999.99, ((forecast - actual) / Math.abs(actual)) * 100)));
}

export interface ShrinkageInput {
  prior: number;
  observed: number;
  /** Observation weight: promo days × weight per day. */
  n: number;
  /** The prior's sample size, capped. */
  n0: number;
}

/** (n0·prior + n·observed) ÷ (n0 + n): a short promotion moves the coefficient a little, a long one a lot. */
export function shrink({ prior, observed, n, n0 }: ShrinkageInput): number {
  if (n + n0 <= 0) return prior;
  return (n0 * prior + n * observed) / (n0 + n);
}

/** Confidence from the total sample behind a coefficient, never below what the prior already had. */
export function learnedConfidence(totalSample: number, priorConfidence: number | null): number {
  const c = totalSample / (totalSample + 10);
  return round2(Math.min(0.99, Math.max(priorConfidence ?? 0, c)));
}
