import {
  cellText,
  dateOrderEvidence,
  isEmptyCell,
  numberFormatKind,
  parseBooleanCell,
  parseDateCell,
  parseNumberCell,
  type DateOrder,
} from '../../../core/imports/cell-parsers.js';
import { columnLetter, normalizeHeader, readTabularGrid, type GridCell, type TabularGrid } from '../../../core/imports/tabular-grid.js';
import { callOnlyHeaders, dailyFields, looksPerCall, mapColumns, perCallFields, type ColumnSource, type MetricKind, type Shape } from './metric-fields.js';
import type { CallRecord } from './per-call-derivation.js';

export type AggregateOption = 'auto' | 'per-call' | 'daily';

export interface ReadOptions {
  sheet?: string;
  mapping?: Record<string, string>;
  aggregate?: AggregateOption;
  dateOrder?: DateOrder;
}

/** One problem with one cell or row, located as the user sees it (row = CSV line / sheet row). */
export interface RowError {
  row: number | null;
  column: string | null;
  message: string;
}

/** A readable row: who, which day, and either its metric values (daily) or its call (per-call). */
export interface ParsedRow {
  row: number;
  agent: string;
  date: string;
  values?: Record<string, number>;
  call?: CallRecord;
}

export interface ParsedMetricsFile {
  grid: Pick<TabularGrid, 'fileName' | 'format' | 'sheetName' | 'sheets' | 'encoding' | 'delimiter'>;
  shape: Shape;
  /** Why the shape was chosen, in words. */
  shapeReason: string;
  headerRow: number;
  headers: string[];
  sources: Record<string, ColumnSource>;
  ignoredColumns: string[];
  notes: string[];
  /** Problems with the file as a whole (missing columns, bad mapping): nothing can be imported. */
  fileProblems: string[];
  dataRowCount: number;
  rows: ParsedRow[];
  rowErrors: RowError[];
  /** Per-call rows with an error whose agent and date are known: their agent-day is incomplete and not written. */
  brokenCallDays: { agent: string; date: string; row: number }[];
}

const ranges: Record<MetricKind, { min: number; max: number; integer?: boolean; text: string }> = {
  score: { min: 0, max: 100, text: 'between 0 and 100' },
  percent: { min: 0, max: 100, text: 'a percentage between 0 and 100' },
  csat: { min: 1, max: 5, text: 'a CSAT between 1 and 5' },
  seconds: { min: 0, max: 86_400, text: 'seconds between 0 and 86,400' },
  count: { min: 0, max: 1_000_000, integer: true, text: 'a whole number of 0 or more' },
  hours: { min: 0, max: 24, text: 'hours between 0 and 24' },
  minutes: { min: 0, max: 1_440, text: 'minutes between 0 and 1,440' },
};

/** Seconds from a duration cell: h:mm:ss / m:ss text, a cell formatted as a time, a fraction of a day (< 1), or seconds. */
export function parseDurationSeconds(cell: GridCell): { ok: true; value: number } | { ok: false; message: string } {
  const text = cellText(cell);
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (typeof cell === 'string' && clock) return { ok: true, value: Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]) };
  const number = parseNumberCell(cell);
  if (!number.ok) return { ok: false, message: `${number.message} (seconds, h:mm:ss or an Excel time)` };
  const timeFormatted = typeof cell !== 'string' && cell?.t === 'n' && numberFormatKind(cell.z as string | undefined) === 'time';
  // Excel stores durations as fractions of a day; a handle time under one second is not a real value.
  const fraction = timeFormatted || (number.value.value > 0 && number.value.value < 1);
  return { ok: true, value: fraction ? number.value.value * 86_400 : number.value.value };
}

const fieldsFor = (shape: Shape) => (shape === 'daily' ? dailyFields : perCallFields);

/** Reads a metrics file into rows (nothing touches the database): shape, mapping, parsed values and row errors. */
export function readMetricsFile(file: { name: string; bytes: Uint8Array }, options: ReadOptions = {}): ParsedMetricsFile {
  const grid = readTabularGrid(file.name, file.bytes, { sheet: options.sheet });
  const [headerRow, ...dataRows] = grid.rows;
  const headers = (headerRow?.cells ?? []).map((c) => cellText(c));
  const base = {
    grid: { fileName: grid.fileName, format: grid.format, sheetName: grid.sheetName, sheets: grid.sheets, encoding: grid.encoding, delimiter: grid.delimiter },
    headerRow: headerRow?.row ?? 1,
    headers,
    dataRowCount: dataRows.length,
  };
  const notes: string[] = [];

  let shape: Shape;
  let shapeReason: string;
  const aggregate = options.aggregate ?? 'auto';
  if (aggregate === 'per-call' || aggregate === 'daily') {
    shape = aggregate;
    shapeReason = `chosen by the aggregate option (${aggregate})`;
  } else if (looksPerCall(headers)) {
    shape = 'per-call';
    shapeReason = 'the file has a call id column or an answered (Y/N) column: one row per call';
  } else {
    shape = 'daily';
    shapeReason = 'the file has daily metric columns and no call id column';
  }
  const mapping = mapColumns(fieldsFor(shape), headers, options.mapping);
  // Many rows for one agent-day without a call id column: still per-call when asked automatically.
  if (aggregate === 'auto' && shape === 'daily' && mapping.sources.agent && mapping.sources.date) {
    const keys = new Set(
      dataRows.map((r) => `${cellText(r.cells[mapping.sources.agent.index]).toLowerCase()}|${cellText(r.cells[mapping.sources.date.index])}`),
    );
    const perCallMapping = mapColumns(perCallFields, headers, options.mapping);
    if (keys.size * 2 <= dataRows.length && perCallMapping.problems.length === 0 && Object.keys(perCallMapping.sources).length > 3) {
      return finish('per-call', `there are ${dataRows.length} rows for ${keys.size} agent-days (several rows per agent and day)`, perCallMapping);
    }
  }
  return finish(shape, shapeReason, mapping);

  function finish(chosen: Shape, reason: string, m: ReturnType<typeof mapColumns>): ParsedMetricsFile {
    const fileProblems = [...m.problems];
    const missing = ['agent', 'date'].filter((f) => !m.sources[f]);
    if (missing.length) {
      fileProblems.push(
        `no column for ${missing.join(' and ')} (${missing.map((f) => fieldsFor(chosen).find((s) => s.field === f)!.description).join('; ')}); the headers are ${headers.map((h) => `"${h}"`).join(', ') || 'none'} — map it with the mapping option`,
      );
    }
    const metricSources = Object.keys(m.sources).filter((f) => f !== 'agent' && f !== 'date' && f !== 'call_id');
    if (chosen === 'daily' && metricSources.length === 0 && missing.length === 0) {
      fileProblems.push(
        `no metric column: name at least one of ${dailyFields
          .slice(2)
          .map((f) => f.field)
          .join(', ')} (e.g. AHT, CSAT, FCR %, Handle time)`,
      );
    }
    if (chosen === 'per-call' && !m.sources.answered && !m.sources.talk_duration && !m.sources.satisfaction && missing.length === 0) {
      fileProblems.push('a per-call file needs at least one of answered, talk duration or satisfaction rating');
    }
    const ignored = m.ignored.filter((h) => normalizeHeader(h) !== 'composite_score');
    if (m.ignored.length !== ignored.length) notes.push('The composite_score column is ignored: the database computes it from the five components.');
    if (ignored.length) {
      const callOnly = ignored.filter((h) => callOnlyHeaders.includes(normalizeHeader(h)));
      notes.push(
        `Ignored column${ignored.length === 1 ? '' : 's'} ${ignored.map((h) => `"${h}"`).join(', ')}${callOnly.length === ignored.length ? ' (not used for daily metrics)' : ' (not a metric this import knows)'}.`,
      );
    }
    const result: ParsedMetricsFile = {
      ...base,
      shape: chosen,
      shapeReason: reason,
      sources: m.sources,
      ignoredColumns: ignored,
      notes,
      fileProblems,
      rows: [],
      rowErrors: [],
      brokenCallDays: [],
    };
    if (fileProblems.length) return result;
    const dateSource = m.sources.date;
    let order: DateOrder | null = options.dateOrder ?? null;
    if (!order) {
      for (const r of dataRows) {
        order = dateOrderEvidence(r.cells[dateSource.index]);
        if (order) break;
      }
    }
    if (chosen === 'daily') readDailyRows(result, dataRows, order, grid.date1904);
    else readCallRows(result, dataRows, order, grid.date1904);
    return result;
  }
}

type DataRow = TabularGrid['rows'][number];

function where(source: ColumnSource) {
  return `${source.header} (${source.letter})`;
}

function readAgent(result: ParsedMetricsFile, r: DataRow, errors: RowError[]): string | null {
  const agentSource = result.sources.agent;
  const agent = cellText(r.cells[agentSource.index]);
  if (agent === '') errors.push({ row: r.row, column: where(agentSource), message: 'is empty; name the agent by employee id, e-mail or name' });
  return agent === '' ? null : agent;
}

function readDailyRows(result: ParsedMetricsFile, dataRows: DataRow[], order: DateOrder | null, date1904: boolean) {
  const metricFields = dailyFields.filter((f) => result.sources[f.field] && f.kind !== 'identity' && f.kind !== 'date');
  // A percent column written as fractions (0.85 for 85 %) is read ×100: every value ≤ 1 says so.
  const fractionColumns = new Set<string>();
  for (const spec of metricFields) {
    if (spec.kind !== 'percent' && spec.kind !== 'score') continue;
    const source = result.sources[spec.field];
    let any = false;
    let allFractions = true;
    for (const r of dataRows) {
      const cell = r.cells[source.index];
      if (isEmptyCell(cell)) continue;
      const parsed = parseNumberCell(cell);
      if (!parsed.ok) continue;
      any = true;
      const workbookPercent = parsed.value.percent && typeof cell !== 'string';
      if (parsed.value.percent && !workbookPercent) allFractions = false;
      else if (!workbookPercent && parsed.value.value > 1) allFractions = false;
    }
    if (any && allFractions) {
      fractionColumns.add(spec.field);
      result.notes.push(`${where(source)} holds fractions (every value ≤ 1); read as percentages (×100).`);
    }
  }
  const seen = new Map<string, number>();
  const duplicateRows = new Set<number>();
  for (const r of dataRows) {
    const errors: RowError[] = [];
    const agent = readAgent(result, r, errors);
    const date = parseDateCell(r.cells[result.sources.date.index], { order, date1904 });
    if (!date.ok) errors.push({ row: r.row, column: where(result.sources.date), message: date.message });
    const values: Record<string, number> = {};
    for (const spec of metricFields) {
      const source = result.sources[spec.field];
      const cell = r.cells[source.index];
      if (isEmptyCell(cell)) continue;
      const kind = spec.kind as MetricKind;
      let value: number;
      if (kind === 'seconds') {
        const parsed = parseDurationSeconds(cell);
        if (!parsed.ok) {
          errors.push({ row: r.row, column: where(source), message: parsed.message });
          continue;
        }
        value = parsed.value;
      } else {
        const parsed = parseNumberCell(cell);
        if (!parsed.ok) {
          errors.push({ row: r.row, column: where(source), message: parsed.message });
          continue;
        }
        value = parsed.value.value;
        const workbookPercent = parsed.value.percent && typeof cell !== 'string';
        if (workbookPercent || fractionColumns.has(spec.field)) value *= 100;
      }
      const range = ranges[kind];
      if (range.integer && !Number.isInteger(value)) {
        errors.push({ row: r.row, column: where(source), message: `${value} is not ${range.text}` });
        continue;
      }
      if (value < range.min || value > range.max) {
        errors.push({ row: r.row, column: where(source), message: `${value} is out of range: ${spec.field} must be ${range.text}` });
        continue;
      }
      values[spec.field] = roundFor(kind, value);
    }
    if (errors.length || !agent || !date.ok) {
      result.rowErrors.push(...errors);
      continue;
    }
    if (Object.keys(values).length === 0) {
      result.rowErrors.push({ row: r.row, column: null, message: 'has no metric value; fill at least one metric column or delete the row' });
      continue;
    }
    const key = `${agent.toLowerCase()}|${date.value}`;
    const first = seen.get(key);
    if (first !== undefined) {
      duplicateRows.add(first);
      result.rowErrors.push({
        row: r.row,
        column: null,
        message: `${agent} on ${date.value} is already in row ${first}; a daily file has one row per agent and day — keep one of them`,
      });
      continue;
    }
    seen.set(key, r.row);
    result.rows.push({ row: r.row, agent, date: date.value, values });
  }
  if (duplicateRows.size) {
    result.rows = result.rows.filter((row) => {
      if (!duplicateRows.has(row.row)) return true;
      result.rowErrors.push({ row: row.row, column: null, message: `${row.agent} on ${row.date} appears again further down; keep one row per agent and day` });
      return false;
    });
    result.rowErrors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  }
}

function roundFor(kind: MetricKind, value: number): number {
  if (kind === 'seconds' || kind === 'count' || kind === 'minutes') return Math.round(value);
  return Math.round(value * 100) / 100;
}

function readCallRows(result: ParsedMetricsFile, dataRows: DataRow[], order: DateOrder | null, date1904: boolean) {
  const s = result.sources;
  const flag = (r: DataRow, field: string, errors: RowError[], required: boolean): boolean | null => {
    const source = s[field];
    if (!source) return null;
    const cell = r.cells[source.index];
    if (isEmptyCell(cell)) {
      if (required) errors.push({ row: r.row, column: where(source), message: 'is empty; Y or N is required' });
      return null;
    }
    const parsed = parseBooleanCell(cell);
    if (!parsed.ok) {
      errors.push({ row: r.row, column: where(source), message: parsed.message });
      return null;
    }
    return parsed.value;
  };
  const number = (r: DataRow, field: string, errors: RowError[], kind: MetricKind): number | null => {
    const source = s[field];
    if (!source) return null;
    const cell = r.cells[source.index];
    if (isEmptyCell(cell)) return null;
    const parsed = kind === 'seconds' ? parseDurationSeconds(cell) : parseNumberCell(cell);
    if (!parsed.ok) {
      errors.push({ row: r.row, column: where(source), message: parsed.message });
      return null;
    }
    const value = typeof parsed.value === 'number' ? parsed.value : parsed.value.value;
    const range = ranges[kind];
    if (value < range.min || value > range.max) {
      errors.push({ row: r.row, column: where(source), message: `${value} is out of range: ${field.replace(/_/g, ' ')} must be ${range.text}` });
      return null;
    }
    return value;
  };
  for (const r of dataRows) {
    const errors: RowError[] = [];
    const agent = readAgent(result, r, errors);
    const date = parseDateCell(r.cells[s.date.index], { order, date1904 });
    if (!date.ok) errors.push({ row: r.row, column: where(s.date), message: date.message });
    const call: CallRecord = {
      answered: flag(r, 'answered', errors, true),
      resolved: flag(r, 'resolved', errors, false),
      speedOfAnswerSeconds: number(r, 'speed_of_answer', errors, 'seconds'),
      talkSeconds: number(r, 'talk_duration', errors, 'seconds'),
      satisfaction: number(r, 'satisfaction', errors, 'csat'),
      transferred: flag(r, 'transferred', errors, false),
      escalated: flag(r, 'escalated', errors, false),
    };
    if (errors.length || !agent || !date.ok) {
      result.rowErrors.push(...errors);
      if (agent && date.ok) result.brokenCallDays.push({ agent, date: date.value, row: r.row });
      continue;
    }
    result.rows.push({ row: r.row, agent, date: date.value, call });
  }
}

/** The metric columns a per-call file writes, given which call columns it has. */
export function perCallWrittenKeys(sources: Record<string, ColumnSource>): string[] {
  const keys = ['calls_handled', 'productivity_score', 'attendance_rate'];
  if (sources.satisfaction) keys.push('csat', 'service_score');
  if (sources.resolved) keys.push('fcr', 'quality_score');
  if (sources.talk_duration) keys.push('aht');
  if (sources.speed_of_answer) keys.push('adherence_score');
  if (sources.transferred) keys.push('calls_transferred');
  if (sources.escalated) keys.push('calls_escalated');
  return keys;
}

/** The columns of the file by letter and header, for previews. */
export function describeHeaders(headers: string[]) {
  return headers.map((header, i) => ({ letter: columnLetter(i), header }));
}
