import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { cellText } from '../../../core/imports/cell-parsers.js';
import { columnLetter, readTabularGrid, type SheetInfo } from '../../../core/imports/tabular-grid.js';
import { promoCatalog, segments, targets } from '../schema.js';
import { describeSource, resolveMapping, suggestMapping, type ImportIssue } from './column-mapping.js';
import { importFields, type ImportKind } from './fields.js';
import type { ImportOptions } from './import-service.js';

export interface ImportPreview {
  fileName: string;
  format: string;
  sheet: string | null;
  sheets: SheetInfo[];
  encoding: string | null;
  delimiter: string | null;
  headerRow: number | null;
  headers: { letter: string; header: string }[];
  sampleRows: { row: number; cells: string[] }[];
  suggestedMapping: Record<string, string>;
  /** field → where it would be read from with the given options (header and letter, or constant) */
  columns: Record<string, string>;
  missingFields: { field: string; description: string }[];
  fields: { field: string; required: boolean; description: string }[];
  problems: ImportIssue[];
}

/** What a file looks like to the importer, without writing anything: sheets, headers, sample rows, mapping. */
export function previewImportFile(kind: ImportKind, file: { name: string; bytes: Uint8Array }, options: ImportOptions = {}, sampleSize = 10): ImportPreview {
  const grid = readTabularGrid(file.name, file.bytes, { sheet: options.sheet });
  const width = Math.max(0, ...grid.rows.slice(0, sampleSize + 1).map((r) => r.cells.length));
  const { mapping, issues, sources } = resolveMapping(kind, grid, options);
  const headerRow = mapping ? mapping.headerRow : (grid.rows[0]?.row ?? null);
  const headerTexts = headerRow === null ? [] : (grid.rows[0]?.cells ?? []).map((c) => cellText(c));
  const dataRows = mapping ? mapping.dataRows : grid.rows.slice(1);
  const columns: Record<string, string> = {};
  for (const [field, source] of Object.entries(mapping?.sources ?? sources ?? {})) columns[field] = describeSource(source, field);
  return {
    fileName: file.name,
    format: grid.format,
    sheet: grid.sheetName,
    sheets: grid.sheets,
    encoding: grid.encoding,
    delimiter: grid.delimiter,
    headerRow,
    headers: Array.from({ length: width }, (_, i) => ({ letter: columnLetter(i), header: headerTexts[i] ?? '' })),
    sampleRows: dataRows.slice(0, sampleSize).map((r) => ({ row: r.row, cells: Array.from({ length: width }, (_, i) => cellText(r.cells[i])) })),
    suggestedMapping: suggestMapping(kind, headerTexts),
    columns,
    missingFields: importFields[kind].filter((f) => f.required && !columns[f.field]).map((f) => ({ field: f.field, description: f.description })),
    fields: importFields[kind].map((f) => ({ field: f.field, required: f.required, description: f.description })),
    problems: issues,
  };
}

interface PageQuery {
  limit: number;
  offset: number;
}

export async function listPromoCatalog(ctx: ServiceContext, query: PageQuery & { sourceFile?: string }) {
  const conditions: SQL[] = [eq(promoCatalog.organizationId, ctx.organization.id)];
  if (query.sourceFile) conditions.push(eq(promoCatalog.sourceFile, query.sourceFile));
  const filter = and(...conditions);
  const data = await ctx.db
    .select()
    .from(promoCatalog)
    .where(filter)
    .orderBy(asc(promoCatalog.dateStart), asc(promoCatalog.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(promoCatalog).where(filter);
  return { data, page: { limit: query.limit, offset: query.offset, total } };
}

export async function listTargets(ctx: ServiceContext, query: PageQuery & { month?: string; geo?: string }) {
  const conditions: SQL[] = [eq(targets.organizationId, ctx.organization.id)];
  if (query.month) conditions.push(eq(targets.month, query.month));
  if (query.geo) conditions.push(eq(targets.geo, query.geo));
  const filter = and(...conditions);
  const data = await ctx.db
    .select()
    .from(targets)
    .where(filter)
    .orderBy(asc(targets.month), asc(targets.geo), asc(targets.department), asc(targets.channel))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(targets).where(filter);
  return { data, page: { limit: query.limit, offset: query.offset, total } };
}

export async function listSegments(ctx: ServiceContext) {
  return ctx.db.select().from(segments).where(eq(segments.organizationId, ctx.organization.id)).orderBy(asc(segments.segmentId));
}
