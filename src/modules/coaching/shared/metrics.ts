/**
 * The daily metrics of seed 004 as the product talks about them: the five composite components with the seed's
 * weights, and the operational metrics with the direction in which they improve.
 */
export const compositeWeights = {
  service_score: 0.25,
  productivity_score: 0.2,
  quality_score: 0.2,
  attendance_rate: 0.2,
  adherence_score: 0.15,
} as const;

export type CompositeComponent = keyof typeof compositeWeights;
export const compositeComponents = Object.keys(compositeWeights) as CompositeComponent[];

export interface MetricDefinition {
  /** Column of coaching.performance_metrics. */
  key: string;
  label: string;
  unit: 'score' | 'percent' | 'csat' | 'seconds' | 'count' | 'hours' | 'minutes';
  /** Whether a larger value is better (AHT and transfers are better lower). */
  higherIsBetter: boolean;
}

export const metricDefinitions: MetricDefinition[] = [
  { key: 'composite_score', label: 'Composite', unit: 'score', higherIsBetter: true },
  { key: 'service_score', label: 'Service', unit: 'score', higherIsBetter: true },
  { key: 'productivity_score', label: 'Productivity', unit: 'score', higherIsBetter: true },
  { key: 'quality_score', label: 'Quality', unit: 'score', higherIsBetter: true },
  { key: 'attendance_rate', label: 'Attendance', unit: 'percent', higherIsBetter: true },
  { key: 'adherence_score', label: 'Schedule adherence', unit: 'score', higherIsBetter: true },
  { key: 'csat', label: 'CSAT', unit: 'csat', higherIsBetter: true },
  { key: 'fcr', label: 'First-call resolution', unit: 'percent', higherIsBetter: true },
  { key: 'aht', label: 'Average handle time', unit: 'seconds', higherIsBetter: false },
  { key: 'calls_handled', label: 'Calls handled', unit: 'count', higherIsBetter: true },
  { key: 'calls_transferred', label: 'Calls transferred', unit: 'count', higherIsBetter: false },
  { key: 'calls_escalated', label: 'Calls escalated', unit: 'count', higherIsBetter: false },
  { key: 'scheduled_hours', label: 'Scheduled hours', unit: 'hours', higherIsBetter: true },
  { key: 'actual_hours', label: 'Actual hours', unit: 'hours', higherIsBetter: true },
  { key: 'break_time_minutes', label: 'Break time', unit: 'minutes', higherIsBetter: false },
  { key: 'lunch_time_minutes', label: 'Lunch time', unit: 'minutes', higherIsBetter: false },
  { key: 'aux_time_minutes', label: 'Aux time', unit: 'minutes', higherIsBetter: false },
  { key: 'script_adherence', label: 'Script adherence', unit: 'percent', higherIsBetter: true },
  { key: 'compliance_score', label: 'Compliance', unit: 'score', higherIsBetter: true },
  { key: 'qa_score', label: 'QA score', unit: 'score', higherIsBetter: true },
];

export const metricByKey = new Map(metricDefinitions.map((m) => [m.key, m]));

/** The stored metric columns an import may write (everything but the generated composite). */
export const importableMetricKeys = metricDefinitions.map((m) => m.key).filter((k) => k !== 'composite_score');
