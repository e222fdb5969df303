import { cellText, isEmptyCell, parseDateCell, parseNumberCell } from '../../../core/imports/cell-parsers.js';
import { columnIndexOf, columnLetter, normalizeHeader, type GridCell, type GridRow, type TabularGrid } from '../../../core/imports/tabular-grid.js';
import { importFields, type ImportKind } from './fields.js';

/** Where one target field comes from: a column of the file, or a constant for every row. */
export type FieldSource = { kind: 'column'; index: number; letter: string; header: string | null } | { kind: 'constant'; value: string };

export interface ResolvedMapping {
  /** The sheet row / CSV line holding the headers; null when the file has none (letter mapping). */
  headerRow: number | null;
  headers: string[];
  sources: Record<string, FieldSource>;
  dataRows: GridRow[];
}

/** One problem, located as the user sees it. */
export interface ImportIssue {
  file: string;
  sheet: string | null;
  row: number | null;
  column: string | null;
  message: string;
}

export interface MappingOptions {
  map?: Record<string, string>;
  set?: Record<string, string>;
}

const numericFields = new Set([
  'date',
  'date_start',
  'date_end',
  'month',
  'sales_value',
  'margin_value',
  'units',
  'discount_pct',
  'sales_value_target',
  'margin_pct_target',
  'share_of_customers',
  'share_of_revenue',
  'avg_basket_value',
]);

/** "Order Date (B)", "B" without headers, "channel (constant)". */
export function describeSource(source: FieldSource | undefined, field: string): string {
  if (!source) return field;
  if (source.kind === 'constant') return `${field} (constant)`;
  return source.header ? `${source.header} (${source.letter})` : source.letter;
}

/** Target field → the header that names it, from the synonyms table; the first matching header wins. */
export function suggestMapping(kind: ImportKind, headers: string[]): Record<string, string> {
  const normalized = headers.map((h) => normalizeHeader(h));
  const suggestion: Record<string, string> = {};
  const taken = new Set<number>();
  // Exact field names first, so a "discount" column is not taken by a "discount_pct" synonym elsewhere.
  for (const pass of [0, 1]) {
    for (const spec of importFields[kind]) {
      if (suggestion[spec.field]) continue;
      const candidates = pass === 0 ? [normalizeHeader(spec.field)] : spec.synonyms;
      const index = normalized.findIndex((h, i) => !taken.has(i) && h !== '' && candidates.includes(h));
      if (index >= 0) {
        suggestion[spec.field] = headers[index];
        taken.add(index);
      }
    }
  }
  return suggestion;
}

function looksLikeHeader(kind: ImportKind, first: GridRow, second: GridRow | undefined, letterSources: [string, number][]): boolean {
  for (const [field, index] of letterSources) {
    const cell = first.cells[index];
    if (isEmptyCell(cell)) continue;
    const spec = importFields[kind].find((f) => f.field === field);
    if (spec?.synonyms.includes(normalizeHeader(cellText(cell)))) return true;
    if (numericFields.has(field) && second && !isEmptyCell(second.cells[index])) {
      const parsesFirst = parseNumberCell(cell).ok || parseDateCell(cell, { order: 'dmy' }).ok;
      const parsesSecond = parseNumberCell(second.cells[index]).ok || parseDateCell(second.cells[index], { order: 'dmy' }).ok;
      if (!parsesFirst && parsesSecond) return true;
    }
  }
  return false;
}

/**
 * Resolves every field of `kind` to a column (by header, by column letter, or by the synonyms table) or to a
 * constant. When every mapped column is a letter the file may have no header row: the first row counts as headers
 * only when it names a field or holds text above numbers. Problems come back as issues, not exceptions.
 */
export function resolveMapping(
  kind: ImportKind,
  grid: TabularGrid,
  options: MappingOptions,
): { mapping: ResolvedMapping | null; issues: ImportIssue[]; sources?: Record<string, FieldSource> } {
  const issues: ImportIssue[] = [];
  const issue = (message: string, row: number | null = null, column: string | null = null) =>
    issues.push({ file: grid.fileName, sheet: grid.sheetName, row, column, message });
  const fields = new Set(importFields[kind].map((f) => f.field));
  const map = options.map ?? {};
  const set = options.set ?? {};
  for (const field of [...Object.keys(map), ...Object.keys(set)]) {
    if (!fields.has(field)) issue(`"${field}" is not a field of a ${kind} import; the fields are ${[...fields].join(', ')}`);
  }
  if (issues.length) return { mapping: null, issues };
  if (grid.rows.length === 0) {
    issue('the file has no rows');
    return { mapping: null, issues };
  }
  const first = grid.rows[0];
  const firstTexts = first.cells.map((c) => cellText(c));
  const normalizedFirst = firstTexts.map((t) => normalizeHeader(t));
  // "B" is column B unless a header reads exactly "B"; "order date" finds the header Order Date.
  const isLetter = (value: string) => /^[A-Z]{1,3}$/.test(value.trim()) && !firstTexts.includes(value.trim());
  const mappedByHeader = Object.entries(map).filter(([, value]) => !isLetter(value) && normalizedFirst.includes(normalizeHeader(value)));
  const letterSources: [string, number][] = [];
  const unresolved: Record<string, string> = {};
  for (const [field, value] of Object.entries(map)) {
    if (mappedByHeader.some(([f]) => f === field)) continue;
    const index = /^[A-Z]{1,3}$/.test(value.trim()) ? columnIndexOf(value) : null;
    if (index === null) {
      // Files of one job may name a column differently: the header synonyms get a chance before this is an error.
      unresolved[field] = value;
    } else letterSources.push([field, index]);
  }
  if (issues.length) return { mapping: null, issues };

  const everyFieldPlaced = importFields[kind].filter((f) => f.required).every((f) => map[f.field] !== undefined || set[f.field] !== undefined);
  const headerless = mappedByHeader.length === 0 && letterSources.length > 0 && everyFieldPlaced && !looksLikeHeader(kind, first, grid.rows[1], letterSources);
  const headerRow = headerless ? null : first.row;
  const headers = headerless ? [] : firstTexts;
  const headerOf = (index: number) => (headerless ? null : firstTexts[index] || null);

  const sources: Record<string, FieldSource> = {};
  for (const [field, value] of Object.entries(set)) sources[field] = { kind: 'constant', value: String(value) };
  for (const [field, index] of letterSources) sources[field] = { kind: 'column', index, letter: columnLetter(index), header: headerOf(index) };
  for (const [field, value] of mappedByHeader) {
    const target = normalizeHeader(value);
    const matches = normalizedFirst.flatMap((h, i) => (h === target ? [i] : []));
    if (matches.length > 1) {
      issue(`the header "${value}" appears in columns ${matches.map((i) => columnLetter(i)).join(' and ')}; map ${field} by column letter instead`, first.row);
      continue;
    }
    sources[field] = { kind: 'column', index: matches[0], letter: columnLetter(matches[0]), header: firstTexts[matches[0]] };
  }
  if (!headerless) {
    const used = new Set(Object.values(sources).flatMap((s) => (s.kind === 'column' ? [s.index] : [])));
    const suggestion = suggestMapping(kind, firstTexts);
    for (const [field, header] of Object.entries(suggestion)) {
      if (sources[field]) continue;
      const index = firstTexts.indexOf(header);
      if (used.has(index)) continue;
      sources[field] = { kind: 'column', index, letter: columnLetter(index), header };
      used.add(index);
    }
  }
  const headerList =
    firstTexts
      .filter(Boolean)
      .map((t) => `"${t}"`)
      .join(', ') || 'nothing';
  for (const [field, value] of Object.entries(unresolved)) {
    if (!sources[field]) issue(`the column "${value}" mapped to ${field} is not in the file; its first row holds ${headerList}`, first.row);
  }
  if (issues.length) return { mapping: null, issues, sources };
  const missing = importFields[kind].filter((f) => f.required && !sources[f.field]);
  if (missing.length) {
    issue(
      `no column for ${missing.map((f) => `${f.field} (${f.description})`).join('; ')}. ${
        headerless
          ? 'The file has no header row: map every field to a column letter (e.g. date=A) or set a constant'
          : `The headers are ${firstTexts
              .filter(Boolean)
              .map((t) => `"${t}"`)
              .join(', ')}: map the field to one of them (e.g. ${missing[0].field}=<header>), to a column letter, or set a constant`
      }`,
      headerRow,
    );
    return { mapping: null, issues, sources };
  }
  return { mapping: { headerRow, headers, sources, dataRows: headerless ? grid.rows : grid.rows.slice(1) }, issues };
}

/** The cell a field reads in a row: the column's cell, or the constant. */
export function fieldCell(source: FieldSource | undefined, row: GridRow): GridCell {
  if (!source) return null;
  return source.kind === 'constant' ? source.value : row.cells[source.index];
}
