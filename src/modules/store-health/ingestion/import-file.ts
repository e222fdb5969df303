import { createHash } from 'node:crypto';
import type { ServiceContext } from '../../../core/context.js';
import type { ProgressReporter } from '../../../core/demo/demo-steps.js';
import { AppError } from '../../../core/errors.js';
import type { EnqueueJob } from '../../../core/jobs/index.js';
import type { IsoDate } from '../shared/dates.js';
import { enqueueEvaluation } from './evaluation-trigger.js';
import type { IngestOptions, IngestResult } from './ingest-result.js';
import { checkRequiredColumns, rowsFromFile, type ColumnSpec, type InputRows } from './input-rows.js';
import { ingestInventoryLevels, ingestOutOfStockEvents, inventoryLevelColumns, outOfStockEventColumns } from './inventory-service.js';
import { ingestLaborCallouts, ingestLaborSchedules, laborCalloutColumns, laborScheduleColumns } from './labor-service.js';
import { metricColumns, validateMetricRows, writeMetricValues } from './metrics-service.js';
import { importStoreRows, storeColumns } from './stores-import.js';
import { readTabularFile } from './tabular-file.js';

export const importKinds = ['metrics', 'stores', 'labor-schedules', 'labor-callouts', 'inventory-levels', 'out-of-stock-events'] as const;
export type ImportKind = (typeof importKinds)[number];

/** The answer of an import, from the HTTP API and the CLI alike. */
export interface ImportResult {
  kind: ImportKind;
  fileName: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  dates: { from: IsoDate; to: IsoDate } | null;
  /** The re-evaluation job queued for the changed KPI values; null when nothing changed or no queue was given. */
  evaluationJobId: string | null;
  /** The dates whose KPI values changed (what the evaluation job covers). */
  changedDates: { from: IsoDate; to: IsoDate } | null;
  derived?: IngestResult['derived'];
  created?: IngestResult['created'];
}

const columnsOf: Record<ImportKind, ColumnSpec[]> = {
  metrics: metricColumns,
  stores: storeColumns,
  'labor-schedules': laborScheduleColumns,
  'labor-callouts': laborCalloutColumns,
  'inventory-levels': inventoryLevelColumns,
  'out-of-stock-events': outOfStockEventColumns,
};

async function ingestFileRows(ctx: ServiceContext, kind: ImportKind, input: InputRows, headers: string[], options: IngestOptions): Promise<IngestResult> {
  switch (kind) {
    case 'metrics': {
      options.onProgress?.({ step: 'checking rows', current: 0, total: input.rows.length });
      const values = await validateMetricRows(ctx, input);
      return writeMetricValues(ctx, values, { ...options, source: 'import' });
    }
    case 'stores':
      return importStoreRows(ctx, input, headers, options);
    case 'labor-schedules':
      return ingestLaborSchedules(ctx, input, options);
    case 'labor-callouts':
      return ingestLaborCallouts(ctx, input, options);
    case 'inventory-levels':
      return ingestInventoryLevels(ctx, input, options);
    case 'out-of-stock-events':
      return ingestOutOfStockEvents(ctx, input, options);
  }
}

/**
 * Imports one CSV, XLSX or XLS file (first sheet) of the given kind: reads it, validates every row (the first 100
 * problems are reported with row and column; nothing is written when there is any), writes it in one transaction,
 * and queues the re-evaluation of the KPI values it changed through `enqueue` when one is given (after the commit).
 * Used by POST /api/store-health/imports/:kind and by `retailops import store-health <kind> FILE`.
 */
export async function importStoreHealthFile(
  ctx: ServiceContext,
  request: { kind: ImportKind; fileName: string; bytes: Uint8Array; onProgress?: ProgressReporter; enqueue?: EnqueueJob },
): Promise<ImportResult> {
  const { kind, fileName, bytes, onProgress } = request;
  onProgress?.({ step: 'reading file', current: 0, total: 1 });
  const file = readTabularFile(fileName, bytes);
  const input = rowsFromFile(fileName, file);
  checkRequiredColumns(input, file.headers, columnsOf[kind]);
  if (input.rows.length === 0) {
    throw new AppError('VALIDATION_FAILED', `${fileName} has a header row but no data rows; nothing was imported.`, {
      status: 400,
      details: [{ row: 2, column: '', path: 'file', message: 'The file has no data rows.' }],
    });
  }
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  const result = await ingestFileRows(ctx, kind, input, file.headers, { onProgress, fileName, fileSha256 });
  const evaluationJobId = await enqueueEvaluation(ctx, request.enqueue, result.changed);
  return {
    kind,
    fileName,
    rows: result.rows,
    inserted: result.inserted,
    updated: result.updated,
    unchanged: result.unchanged,
    dates: result.dates,
    evaluationJobId,
    changedDates: result.changed ? { from: result.changed.from, to: result.changed.to } : null,
    ...(result.derived ? { derived: result.derived } : {}),
    ...(result.created ? { created: result.created } : {}),
  };
}
