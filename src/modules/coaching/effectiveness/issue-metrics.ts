import { metricByKey } from '../shared/metrics.js';

/**
 * The metric a primary issue is measured on. Issues are free text in the seed ("AHT", "Quality", "Call control"…);
 * the first keyword found decides, anything else is measured on the composite score.
 */
const issueKeywords: [RegExp, string][] = [
  [/\baht\b|handle\s*time|handling\s*time/i, 'aht'],
  [/csat|satisfaction/i, 'csat'],
  [/\bfcr\b|first[-\s]*call|resolution/i, 'fcr'],
  [/attendance|absen/i, 'attendance_rate'],
  [/adherence|schedule/i, 'adherence_score'],
  [/compliance/i, 'compliance_score'],
  [/quality|\bqa\b/i, 'quality_score'],
  [/productiv/i, 'productivity_score'],
  [/service/i, 'service_score'],
];

export function issueMetricKey(primaryIssue: string | null | undefined): string {
  if (!primaryIssue) return 'composite_score';
  for (const [pattern, key] of issueKeywords) if (pattern.test(primaryIssue)) return key;
  return 'composite_score';
}

/** +1 when a larger value of the metric is better, −1 when smaller is better (AHT). */
export function metricDirection(key: string): 1 | -1 {
  return metricByKey.get(key)?.higherIsBetter === false ? -1 : 1;
}
