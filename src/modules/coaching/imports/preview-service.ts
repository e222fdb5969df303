import type { ServiceContext } from '../../../core/context.js';
import { cellText } from '../../../core/imports/cell-parsers.js';
import { readTabularGrid } from '../../../core/imports/tabular-grid.js';
import { requireCoachingRole, resolveCoachingViewer } from '../shared/access.js';
import { importOptionsSchema } from './import-service.js';
import { dailyFields, perCallFields } from './metric-fields.js';
import { aggregateCalls, defaultPerCallDerivation } from './per-call-derivation.js';
import { describeHeaders, perCallWrittenKeys, readMetricsFile } from './read-metrics-file.js';
import { coachingError } from '../shared/errors.js';

const sampleSize = 5;

/**
 * What an import of this file would do, without writing anything: the detected shape (daily or per-call) and why,
 * the column mapping, ignored columns, sample rows (and, for per-call files, sample aggregated agent-days), the row
 * count and the first row errors.
 */
export async function previewMetricsFile(ctx: ServiceContext, file: { name: string; bytes: Uint8Array }, rawOptions: unknown) {
  const viewer = await resolveCoachingViewer(ctx);
  requireCoachingRole(viewer, ['ADMIN', 'MANAGER'], 'import metrics');
  const parsedOptions = importOptionsSchema.safeParse(rawOptions ?? {});
  if (!parsedOptions.success) {
    throw coachingError(
      'IMPORT_OPTIONS',
      `The import options are not valid: ${parsedOptions.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}.`,
      {
        status: 400,
      },
    );
  }
  const options = parsedOptions.data;
  const parsed = readMetricsFile(file, options);
  const grid = readTabularGrid(file.name, file.bytes, { sheet: options.sheet });
  const sampleRows = grid.rows.slice(1, 1 + sampleSize).map((r) => ({ row: r.row, cells: r.cells.map((c) => cellText(c)) }));
  const fields = parsed.shape === 'daily' ? dailyFields : perCallFields;
  let sampleDays: { agent: string; date: string; calls: number; values: Record<string, number | null> }[] = [];
  if (parsed.shape === 'per-call') {
    const groups = new Map<string, { agent: string; date: string; calls: NonNullable<(typeof parsed.rows)[number]['call']>[] }>();
    for (const row of parsed.rows) {
      const key = `${row.agent.toLowerCase()}|${row.date}`;
      if (!groups.has(key)) {
        if (groups.size >= sampleSize) continue;
        groups.set(key, { agent: row.agent, date: row.date, calls: [] });
      }
      groups.get(key)!.calls.push(row.call!);
    }
    const keys = perCallWrittenKeys(parsed.sources);
    const derivation = { speedOfAnswerTargetSeconds: options.speedOfAnswerTargetSeconds ?? defaultPerCallDerivation.speedOfAnswerTargetSeconds };
    sampleDays = [...groups.values()].map((g) => {
      const all = aggregateCalls(g.calls, derivation);
      return { agent: g.agent, date: g.date, calls: g.calls.length, values: Object.fromEntries(keys.map((k) => [k, all[k]])) };
    });
  }
  const agentDays = new Set(parsed.rows.map((r) => `${r.agent.toLowerCase()}|${r.date}`)).size;
  return {
    fileName: parsed.grid.fileName,
    format: parsed.grid.format,
    sheet: parsed.grid.sheetName,
    sheets: parsed.grid.sheets,
    shape: parsed.shape,
    shapeReason: parsed.shapeReason,
    headerRow: parsed.headerRow,
    headers: describeHeaders(parsed.headers),
    mapping: Object.fromEntries(Object.entries(parsed.sources).map(([field, s]) => [field, { letter: s.letter, header: s.header }])),
    fields: fields.map((f) => ({ field: f.field, description: f.description })),
    ignoredColumns: parsed.ignoredColumns,
    notes: parsed.notes,
    problems: parsed.fileProblems,
    rowCount: parsed.dataRowCount,
    agentDays,
    sampleRows,
    sampleDays,
    rowErrors: parsed.rowErrors.slice(0, 20),
    rowErrorCount: parsed.rowErrors.length,
  };
}
