import { columnIndexOf, columnLetter, normalizeHeader } from '../../../core/imports/tabular-grid.js';
import { importableMetricKeys } from '../shared/metrics.js';

/** How a metric column is read and which values it accepts (the seed's CHECK ranges and what the numbers mean). */
export type MetricKind = 'score' | 'percent' | 'csat' | 'seconds' | 'count' | 'hours' | 'minutes';

export interface FieldSpec {
  field: string;
  kind: MetricKind | 'identity' | 'date' | 'flag' | 'text';
  /** Normalized header names (see normalizeHeader) that name this field. */
  synonyms: string[];
  description: string;
}

const metricKinds: Record<string, MetricKind> = {
  service_score: 'score',
  productivity_score: 'score',
  quality_score: 'score',
  attendance_rate: 'percent',
  adherence_score: 'score',
  csat: 'csat',
  fcr: 'percent',
  aht: 'seconds',
  calls_handled: 'count',
  calls_transferred: 'count',
  calls_escalated: 'count',
  scheduled_hours: 'hours',
  actual_hours: 'hours',
  break_time_minutes: 'minutes',
  lunch_time_minutes: 'minutes',
  aux_time_minutes: 'minutes',
  script_adherence: 'percent',
  compliance_score: 'score',
  qa_score: 'score',
};

const metricSynonyms: Record<string, string[]> = {
  service_score: ['service', 'service_score', 'service_pct'],
  productivity_score: ['productivity', 'productivity_score', 'productivity_pct'],
  quality_score: ['quality', 'quality_score', 'quality_pct'],
  attendance_rate: ['attendance', 'attendance_rate', 'attendance_pct', 'attendance_percent'],
  adherence_score: ['adherence', 'adherence_score', 'schedule_adherence', 'schedule_adherence_pct', 'adherence_pct'],
  csat: ['csat', 'csat_score', 'customer_satisfaction', 'satisfaction', 'avg_satisfaction', 'satisfaction_rating', 'avg_csat'],
  fcr: ['fcr', 'fcr_pct', 'fcr_percent', 'first_call_resolution', 'first_contact_resolution', 'resolution_rate', 'fcr_rate'],
  aht: ['aht', 'aht_s', 'aht_sec', 'aht_seconds', 'handle_time', 'average_handle_time', 'avg_handle_time', 'handling_time', 'avg_handling_time'],
  calls_handled: ['calls', 'calls_handled', 'handled', 'handled_calls', 'calls_answered', 'contacts_handled', 'answered_calls'],
  calls_transferred: ['transfers', 'transferred', 'calls_transferred', 'transferred_calls'],
  calls_escalated: ['escalations', 'escalated', 'calls_escalated', 'escalated_calls'],
  scheduled_hours: ['scheduled_hours', 'sched_hours', 'scheduled', 'hours_scheduled'],
  actual_hours: ['actual_hours', 'hours_worked', 'worked_hours', 'logged_hours', 'hours_logged'],
  break_time_minutes: ['break', 'break_time', 'break_minutes', 'break_time_minutes', 'break_min'],
  lunch_time_minutes: ['lunch', 'lunch_time', 'lunch_minutes', 'lunch_time_minutes', 'lunch_min'],
  aux_time_minutes: ['aux', 'aux_time', 'aux_minutes', 'aux_time_minutes', 'aux_min'],
  script_adherence: ['script_adherence', 'script_adherence_pct', 'script'],
  compliance_score: ['compliance', 'compliance_score', 'compliance_pct'],
  qa_score: ['qa', 'qa_score', 'quality_assurance', 'qa_pct'],
};

const agentSynonyms = [
  'agent',
  'agent_id',
  'agent_name',
  'employee_id',
  'emp_id',
  'employee',
  'employee_number',
  'agent_email',
  'email',
  'e_mail',
  'name',
  'rep',
  'representative',
];
const dateSynonyms = ['date', 'metric_date', 'day', 'call_date', 'work_date', 'report_date'];

/** The columns of a daily per-agent export: who, which day, and any of the importable metrics. */
export const dailyFields: FieldSpec[] = [
  { field: 'agent', kind: 'identity', synonyms: agentSynonyms, description: 'the agent: employee id, e-mail or exact name' },
  { field: 'date', kind: 'date', synonyms: dateSynonyms, description: 'the day the metrics are for' },
  ...importableMetricKeys.map((key) => ({
    field: key,
    kind: metricKinds[key],
    synonyms: metricSynonyms[key] ?? [key],
    description: key,
  })),
];

/** The columns of a per-call export (one row per call), aggregated into per-agent daily metrics. */
export const perCallFields: FieldSpec[] = [
  {
    field: 'call_id',
    kind: 'text',
    synonyms: ['call_id', 'callid', 'call', 'call_number', 'interaction_id', 'contact_id', 'ticket_id'],
    description: 'the call',
  },
  { field: 'agent', kind: 'identity', synonyms: agentSynonyms, description: 'the agent: employee id, e-mail or exact name' },
  { field: 'date', kind: 'date', synonyms: dateSynonyms, description: 'the day of the call' },
  { field: 'answered', kind: 'flag', synonyms: ['answered', 'answered_y_n', 'is_answered', 'answered_yn'], description: 'whether the call was answered (Y/N)' },
  {
    field: 'resolved',
    kind: 'flag',
    synonyms: ['resolved', 'resolved_y_n', 'is_resolved', 'first_call_resolved', 'fcr'],
    description: 'resolved on the first call (Y/N)',
  },
  {
    field: 'speed_of_answer',
    kind: 'seconds',
    synonyms: ['speed_of_answer_in_seconds', 'speed_of_answer', 'speed_of_answer_s', 'asa', 'answer_speed', 'wait_time', 'queue_time'],
    description: 'seconds until answered',
  },
  {
    field: 'talk_duration',
    kind: 'seconds',
    synonyms: ['avgtalkduration', 'avg_talk_duration', 'talk_duration', 'talk_time', 'handle_time', 'duration', 'aht', 'call_duration'],
    description: 'talk (handle) time: seconds, h:mm:ss, or an Excel fraction of a day',
  },
  {
    field: 'satisfaction',
    kind: 'csat',
    synonyms: ['satisfaction_rating', 'satisfaction', 'csat', 'rating', 'customer_rating', 'csat_score'],
    description: 'customer rating 1–5',
  },
  { field: 'transferred', kind: 'flag', synonyms: ['transferred', 'transferred_y_n', 'is_transferred', 'transfer'], description: 'transferred (Y/N)' },
  { field: 'escalated', kind: 'flag', synonyms: ['escalated', 'escalated_y_n', 'is_escalated', 'escalation'], description: 'escalated (Y/N)' },
];

/** Columns a per-call export has that the import reads nowhere (said so in a note, not an error). */
export const callOnlyHeaders = ['time', 'topic', 'call_time', 'start_time', 'queue', 'skill'];

export type Shape = 'daily' | 'per-call';

export interface ColumnSource {
  index: number;
  letter: string;
  header: string;
}

export interface FieldMapping {
  sources: Record<string, ColumnSource>;
  /** Headers nobody reads (noted, never an error). */
  ignored: string[];
  problems: string[];
}

/**
 * Fields → columns: the explicit mapping (header text or column letter) first, then exact field names, then synonyms.
 * A header is used for one field only.
 */
export function mapColumns(fields: FieldSpec[], headers: string[], explicit: Record<string, string> = {}): FieldMapping {
  const normalized = headers.map((h) => normalizeHeader(h));
  const sources: Record<string, ColumnSource> = {};
  const taken = new Set<number>();
  const problems: string[] = [];
  const known = new Set(fields.map((f) => f.field));
  const take = (field: string, index: number) => {
    sources[field] = { index, letter: columnLetter(index), header: headers[index] ?? columnLetter(index) };
    taken.add(index);
  };
  for (const [field, value] of Object.entries(explicit)) {
    if (!known.has(field)) {
      problems.push(`"${field}" is not a column this import reads; it reads ${[...known].join(', ')}`);
      continue;
    }
    const byHeader = normalized.indexOf(normalizeHeader(value));
    const index = byHeader >= 0 ? byHeader : columnIndexOf(value);
    if (index === null || index < 0) {
      problems.push(`the column "${value}" mapped to ${field} is not in the file; its headers are ${headers.map((h) => `"${h}"`).join(', ')}`);
      continue;
    }
    take(field, index);
  }
  for (const pass of [0, 1]) {
    for (const spec of fields) {
      if (sources[spec.field]) continue;
      const candidates = pass === 0 ? [spec.field] : spec.synonyms;
      // Synonyms in their listed order: "employee_id" wins over "name" when a file has both.
      for (const candidate of candidates) {
        const index = normalized.findIndex((h, i) => !taken.has(i) && h === candidate);
        if (index >= 0) {
          take(spec.field, index);
          break;
        }
      }
    }
  }
  const ignored = headers.filter((h, i) => !taken.has(i) && h.trim() !== '');
  return { sources, ignored, problems };
}

/** A per-call export names a call id or has a per-call answered (Y/N) column; daily exports have neither. */
export function looksPerCall(headers: string[]): boolean {
  const normalized = new Set(headers.map((h) => normalizeHeader(h)));
  const has = (field: string) => perCallFields.find((f) => f.field === field)!.synonyms.some((s) => normalized.has(s));
  return has('call_id') || has('answered');
}
