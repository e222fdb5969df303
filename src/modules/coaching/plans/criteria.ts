import { metricByKey } from '../shared/metrics.js';

/**
 * Mandatory success criteria must be checkable against the daily metrics, so they are written in a small language:
 *   "<metric> <op> <number>"  e.g. "service_score >= 85", "aht <= 420", "csat >= 4.2", "composite_score >= 75"
 *   "no_absences"             attendance_rate 100 on every scheduled day of the window
 * metric: a performance_metrics column or a short name (service, quality, productivity, attendance, adherence,
 * composite, compliance, qa); op: >=, <=, >, <, = (==). The value compared is the metric's mean over the window.
 */
export type ParsedCriterion =
  { kind: 'threshold'; text: string; metric: string; op: '>=' | '<=' | '>' | '<' | '='; value: number } | { kind: 'no_absences'; text: string };

const aliases: Record<string, string> = {
  service: 'service_score',
  productivity: 'productivity_score',
  quality: 'quality_score',
  attendance: 'attendance_rate',
  adherence: 'adherence_score',
  schedule_adherence: 'adherence_score',
  composite: 'composite_score',
  compliance: 'compliance_score',
  qa: 'qa_score',
  handle_time: 'aht',
  first_call_resolution: 'fcr',
};

export function metricKeyFor(name: string): string | null {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (metricByKey.has(key)) return key;
  return aliases[key] ?? null;
}

const thresholdPattern = /^\s*([a-z_][a-z0-9_ -]*?)\s*(>=|<=|==|=|>|<)\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/i;

export type CriterionParse = { ok: true; criterion: ParsedCriterion } | { ok: false; error: string };

export function parseCriterion(text: string): CriterionParse {
  const trimmed = text.trim();
  if (/^no[_\s-]?absences?$/i.test(trimmed)) return { ok: true, criterion: { kind: 'no_absences', text: trimmed } };
  const match = thresholdPattern.exec(trimmed);
  if (!match) {
    return {
      ok: false,
      error: `"${text}" is not a checkable criterion. Write "<metric> <op> <number>" (e.g. "aht <= 420", "csat >= 4.2") or "no_absences", or move it to the recommended criteria.`,
    };
  }
  const metric = metricKeyFor(match[1]);
  if (!metric) {
    return {
      ok: false,
      error: `"${text}": "${match[1].trim()}" is not a metric. Use one of ${[...metricByKey.keys()].join(', ')}.`,
    };
  }
  const op = (match[2] === '==' ? '=' : match[2]) as '>=' | '<=' | '>' | '<' | '=';
  return { ok: true, criterion: { kind: 'threshold', text: trimmed, metric, op, value: Number(match[3]) } };
}

/** Parses every mandatory criterion; the errors name each one that cannot be checked. */
export function parseMandatoryCriteria(texts: string[]): { criteria: ParsedCriterion[]; errors: string[] } {
  const criteria: ParsedCriterion[] = [];
  const errors: string[] = [];
  for (const text of texts) {
    const parsed = parseCriterion(text);
    if (parsed.ok) criteria.push(parsed.criterion);
    else errors.push(parsed.error);
  }
  return { criteria, errors };
}

export function compare(value: number, op: '>=' | '<=' | '>' | '<' | '=', threshold: number): boolean {
  const eps = 1e-9;
  switch (op) {
    case '>=':
      return value >= threshold - eps;
    case '<=':
      return value <= threshold + eps;
    case '>':
      return value > threshold;
    case '<':
      return value < threshold;
    default:
      return Math.abs(value - threshold) < 1e-6;
  }
}

/** What a window offers to evaluate criteria: the metric means and the days with attendance below 100. */
export interface WindowFacts {
  days: number;
  values: Record<string, number | null>;
  /** Scheduled days in the window (scheduled_hours > 0 or unknown) with attendance_rate below 100. */
  absenceDays: number;
}

export interface CriterionResult {
  criterion: string;
  met: boolean;
  /** The mean of the metric over the window (for no_absences: the number of days below 100 %); null without data. */
  value: number | null;
}

export function evaluateCriterion(criterion: ParsedCriterion, facts: WindowFacts): CriterionResult {
  if (facts.days === 0) return { criterion: criterion.text, met: false, value: null };
  if (criterion.kind === 'no_absences') return { criterion: criterion.text, met: facts.absenceDays === 0, value: facts.absenceDays };
  const value = facts.values[criterion.metric];
  if (value == null) return { criterion: criterion.text, met: false, value: null };
  return { criterion: criterion.text, met: compare(value, criterion.op, criterion.value), value };
}
