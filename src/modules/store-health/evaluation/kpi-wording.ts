import type { KpiInfo, ResolvedThreshold } from './evaluation-scope.js';
import { measureOf, yellowEdge } from './threshold-rules.js';

/** One evaluated reading of a KPI, as alerts and summaries describe it. */
export interface KpiReading {
  status: string;
  value: number | null;
  comparisonValue: number | null;
  variancePct: number | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function formatValue(value: number, unit: string): string {
  const rounded = Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(Math.round(value * 100) / 100);
  if (unit === '$') return `$${rounded}`;
  if (unit === '%') return `${rounded}%`;
  if (unit === 'count' || unit === 'ratio') return rounded;
  return `${rounded} ${unit}`;
}

function signedPct(pct: number): string {
  const r = round1(pct);
  return `${r > 0 ? '+' : r < 0 ? '−' : '±'}${Math.abs(r)}%`;
}

const baselineName: Record<string, string> = {
  rolling_4w: 'its 4-week baseline',
  same_period_ly: 'the same day last year',
};

/** "82% of its 4-week baseline (−18%; green from 95%)" or "4.2% against a target of at most 2%". */
export function describeReading(kpi: KpiInfo, threshold: ResolvedThreshold, reading: KpiReading): string {
  if (reading.value === null) return `${kpi.name} has no value`;
  const lowerIsBetter = kpi.direction === 'lower_is_better';
  if (threshold.comparisonBasis === 'absolute') {
    const target = `${lowerIsBetter ? 'at most' : 'at least'} ${formatValue(threshold.greenMin, kpi.unit)}`;
    return `${kpi.name} is ${formatValue(reading.value, kpi.unit)} against a green target of ${target}`;
  }
  const measure = measureOf(reading.value, reading.comparisonValue, threshold.comparisonBasis);
  if (measure === null) return `${kpi.name} is ${formatValue(reading.value, kpi.unit)} with no baseline to compare with`;
  const variance = reading.variancePct === null ? '' : `${signedPct(reading.variancePct)}; `;
  const greenFrom = `green ${lowerIsBetter ? 'up to' : 'from'} ${threshold.greenMin}%`;
  return `${kpi.name} is at ${round1(measure)}% of ${baselineName[threshold.comparisonBasis] ?? 'its baseline'} (${variance}${greenFrom})`;
}

/** How far past its green line a reading is, in % of that line; used to pick the most urgent KPI. */
export function shortfallPct(kpi: KpiInfo, threshold: ResolvedThreshold, reading: KpiReading): number {
  if (reading.value === null) return 0;
  const measure = measureOf(reading.value, reading.comparisonValue, threshold.comparisonBasis);
  if (measure === null || threshold.greenMin === 0) return 0;
  const gap = kpi.direction === 'lower_is_better' ? measure - threshold.greenMin : threshold.greenMin - measure;
  return (gap * 100) / Math.abs(threshold.greenMin);
}

export function redLineOf(threshold: ResolvedThreshold): number {
  return yellowEdge(threshold);
}

const firstActions: Record<string, string> = {
  sales: 'check floor staffing at peak hours, promotions and displays',
  labor: 'fill open shifts and match the schedule to traffic',
  inventory: 'restock top SKUs and chase open deliveries',
  hr: 'follow up on call-outs and cover the staffing gaps',
  customer: 'review service at the tills and recent customer feedback',
  operations: 'walk the store and check opening procedures and compliance',
};

/** The first thing a store manager should do about a KPI, by its category. */
export function firstActionFor(kpi: KpiInfo): string {
  return firstActions[kpi.category] ?? `review ${kpi.name} with the store team`;
}
