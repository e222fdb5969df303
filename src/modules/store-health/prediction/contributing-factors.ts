import type { KpiInfo, SeriesRule, StoreOperationalSignals } from './prediction-inputs.js';
import type { StatusForecast } from './status-forecast.js';
import { distanceToWorseBand, statusOfSeverity, statusSeverity, type EvaluatedStatus } from './threshold-status.js';

/** One entry of `risk_predictions.contributing_factors`: a signal, its figures and which way it pushes the risk. */
export interface ContributingFactor {
  type: 'forecast_vs_threshold' | 'trend' | 'streak' | 'callouts' | 'out_of_stock' | 'kpi' | 'risk';
  impact: 'raises_risk' | 'lowers_risk' | 'neutral';
  label: string;
  [figure: string]: unknown;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const pct = (share: number) => `${Math.round(share * 100)}%`;

/** Labor KPIs are where call-outs bite; sales and inventory KPIs are where top-SKU stock-outs show. */
export const calloutCategories = new Set(['labor', 'hr']);
export const stockoutCategories = new Set(['inventory', 'sales']);

export function forecastFactor(kpi: KpiInfo, rule: SeriesRule, forecast: StatusForecast): ContributingFactor {
  const relative = rule.comparisonBasis !== 'absolute';
  const unit = relative ? '% of baseline' : '';
  const distance = distanceToWorseBand(forecast.measure, rule);
  const worse = rule.direction === 'lower_is_better' ? 'above' : 'below';
  const riskShare = forecast.probabilities.red + (forecast.status === 'green' ? forecast.probabilities.yellow : 0);
  return {
    type: 'forecast_vs_threshold',
    impact: forecast.status !== 'green' || riskShare >= 0.3 ? 'raises_risk' : 'lowers_risk',
    label:
      `${kpi.name} forecast ${round(forecast.measure, 1)}${unit}: green ${rule.direction === 'lower_is_better' ? '≤' : '≥'} ${rule.greenMin}${unit}, ` +
      `red ${worse} ${rule.yellowMin}${unit}; chance of red ${pct(forecast.probabilities.red)}`,
    predictedValue: round(forecast.predictedValue, 4),
    comparisonValue: forecast.comparisonValue === null ? null : round(forecast.comparisonValue, 4),
    comparisonBasis: rule.comparisonBasis,
    measure: round(forecast.measure, 2),
    greenMin: rule.greenMin,
    yellowMin: rule.yellowMin,
    redThreshold: rule.redThreshold,
    /** How far the forecast sits inside its band before the next worse one (measure points). */
    marginToWorseBand: distance.points === null ? null : round(distance.points, 2),
    probabilities: {
      green: round(forecast.probabilities.green, 4),
      yellow: round(forecast.probabilities.yellow, 4),
      red: round(forecast.probabilities.red, 4),
    },
  };
}

export function trendFactor(kpi: KpiInfo, pctPerWeek: number): ContributingFactor {
  const worsening = kpi.direction === 'lower_is_better' ? pctPerWeek > 1 : pctPerWeek < -1;
  const improving = kpi.direction === 'lower_is_better' ? pctPerWeek < -1 : pctPerWeek > 1;
  return {
    type: 'trend',
    impact: worsening ? 'raises_risk' : improving ? 'lowers_risk' : 'neutral',
    label: `${kpi.name} ${pctPerWeek >= 0 ? '+' : ''}${round(pctPerWeek, 1)}% per week over the last 14 days`,
    pctPerWeek: round(pctPerWeek, 2),
    windowDays: 14,
  };
}

export function streakFactor(kpi: KpiInfo, streak: { status: EvaluatedStatus; days: number }): ContributingFactor {
  return {
    type: 'streak',
    impact: streak.status === 'green' ? 'lowers_risk' : streak.days >= 2 ? 'raises_risk' : 'neutral',
    label: `${kpi.name} ${streak.status} for ${streak.days} evaluated day${streak.days === 1 ? '' : 's'} in a row`,
    status: streak.status,
    days: streak.days,
  };
}

export function calloutsFactor(signals: StoreOperationalSignals): ContributingFactor {
  return {
    type: 'callouts',
    impact: signals.unfilledCalloutHours > 0 ? 'raises_risk' : 'neutral',
    label: `${round(signals.calloutHours, 1)} h lost to call-outs in the last 7 days, ${round(signals.unfilledCalloutHours, 1)} h unfilled`,
    hoursLost: round(signals.calloutHours, 2),
    unfilledHours: round(signals.unfilledCalloutHours, 2),
    peakHourCallouts: signals.peakHourCallouts,
    windowDays: 7,
  };
}

export function stockoutFactor(signals: StoreOperationalSignals): ContributingFactor {
  return {
    type: 'out_of_stock',
    impact: signals.topSkusStillOut > 0 || signals.topSkuOutOfStockEvents >= 3 ? 'raises_risk' : 'neutral',
    label: `${signals.topSkuOutOfStockEvents} top-SKU stock-out${signals.topSkuOutOfStockEvents === 1 ? '' : 's'} in the last 7 days, ${signals.topSkusStillOut} still out`,
    topSkuEvents: signals.topSkuOutOfStockEvents,
    topSkusStillOut: signals.topSkusStillOut,
    estimatedLostSales: round(signals.estimatedLostSales, 2),
    windowDays: 7,
  };
}

const impactOrder = { raises_risk: 0, neutral: 1, lowers_risk: 2 } as const;

/** Risk-raising signals first; the forecast against the threshold leads within its group. */
export function orderFactors(factors: ContributingFactor[]): ContributingFactor[] {
  return factors
    .map((factor, index) => ({ factor, index }))
    .sort((a, b) => impactOrder[a.factor.impact] - impactOrder[b.factor.impact] || a.index - b.index)
    .map((entry) => entry.factor);
}

export interface KpiPrediction {
  kpi: KpiInfo;
  rule: SeriesRule;
  forecast: StatusForecast;
}

export interface OverallPrediction {
  status: EvaluatedStatus;
  confidence: number;
  /** Probability (0–100) that at least one KPI turns red, each KPI weighted by its priority. */
  riskProbability: number;
  factors: ContributingFactor[];
}

/** Priority 1 weighs 1.0, priority 5 weighs 0.2. */
export const priorityWeight = (priority: number) => Math.max(1, Math.min(5, 6 - priority)) / 5;

/**
 * A store's overall outlook for one day: the worst of its KPIs, except that a red on a low-priority KPI
 * (priority 4–5) makes the store yellow, not red. Confidence is that of the KPI deciding it (the most important,
 * then the surest); an all-green outlook is as sure as its least sure KPI.
 */
export function overallPrediction(kpiPredictions: readonly KpiPrediction[]): OverallPrediction | null {
  if (kpiPredictions.length === 0) return null;
  const effective = kpiPredictions.map((p) => ({ ...p, severity: Math.min(statusSeverity(p.forecast.status), p.rule.priority >= 4 ? 1 : 2) }));
  const worst = Math.max(...effective.map((p) => p.severity));
  const status = statusOfSeverity(worst);
  const deciding = effective
    .filter((p) => p.severity === worst)
    .sort((a, b) =>
      worst === 0 ? a.forecast.confidence - b.forecast.confidence : a.rule.priority - b.rule.priority || b.forecast.confidence - a.forecast.confidence,
    )[0];
  const noRed = kpiPredictions.reduce((product, p) => product * (1 - priorityWeight(p.rule.priority) * p.forecast.probabilities.red), 1);
  const riskProbability = round((1 - noRed) * 100, 2);
  const atRisk = effective
    .filter((p) => p.severity > 0 || p.forecast.probabilities.red >= 0.2)
    .sort((a, b) => b.severity - a.severity || a.rule.priority - b.rule.priority || b.forecast.probabilities.red - a.forecast.probabilities.red)
    .slice(0, 5);
  const factors: ContributingFactor[] = atRisk.map((p) => ({
    type: 'kpi',
    impact: 'raises_risk',
    label: `${p.kpi.name} predicted ${p.forecast.status} (${round(p.forecast.confidence, 0)}% sure), priority ${p.rule.priority}`,
    kpiId: p.kpi.id,
    kpiCode: p.kpi.kpiCode,
    predictedStatus: p.forecast.status,
    confidence: p.forecast.confidence,
    priority: p.rule.priority,
    redProbability: round(p.forecast.probabilities.red, 4),
  }));
  factors.push({
    type: 'risk',
    impact: riskProbability >= 50 ? 'raises_risk' : riskProbability < 10 ? 'lowers_risk' : 'neutral',
    label: `${round(riskProbability, 0)}% chance that a KPI turns red (weighted by priority) across ${kpiPredictions.length} KPIs`,
    riskProbability,
    kpiCount: kpiPredictions.length,
  });
  return { status, confidence: deciding.forecast.confidence, riskProbability, factors: orderFactors(factors) };
}
