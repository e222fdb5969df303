import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import type { ServiceContext } from '../../../core/context.js';
import { parseDateCell, parseNumberCell, parseTextCell, showValue } from './cell-values.js';
import type { IngestOptions, IngestResult } from './ingest-result.js';
import {
  IssueCollector,
  dateSpan,
  loadKpiLookup,
  loadStoreLookup,
  requiredCell,
  rowsFromBatch,
  unknownCodeMessage,
  type ColumnSpec,
  type InputRows,
} from './input-rows.js';
import { ensureMetricPartitions, upsertMetricValues, type MetricValue } from './metric-writer.js';

export const metricColumns: ColumnSpec[] = [
  { column: 'store_code', field: 'storeCode', required: true },
  { column: 'kpi_code', field: 'kpiCode', required: true },
  { column: 'metric_date', field: 'metricDate', required: true },
  { column: 'value', field: 'value', required: true },
];

export const maxMetricBatch = 50_000;

export const metricsBatchInput = z.object({
  metrics: z
    .array(
      z.object({
        storeCode: z.string().min(1).max(100),
        kpiCode: z.string().min(1).max(100),
        metricDate: z.string().describe('YYYY-MM-DD'),
        value: z.union([z.number(), z.string()]).describe('A number; "1,234.5" is accepted'),
      }),
    )
    .min(1)
    .max(maxMetricBatch),
});
export type MetricsBatchInput = z.infer<typeof metricsBatchInput>;

// numeric(18, 4) holds 14 digits before the point.
const largestMetricValue = 1e14;

/** Checks every row (stores, KPIs, dates, numbers, duplicates) and answers the values to write, or throws. */
export async function validateMetricRows(ctx: ServiceContext, input: InputRows): Promise<MetricValue[]> {
  const storeByCode = await loadStoreLookup(ctx);
  const kpiByCode = await loadKpiLookup(ctx);
  const issues = new IssueCollector(input);
  const values: MetricValue[] = [];
  const firstIndexOfKey = new Map<string, number>();
  for (let index = 0; index < input.rows.length && !issues.full; index++) {
    const { cells } = input.rows[index];
    const storeCell = requiredCell(issues, index, cells, 'store_code');
    const kpiCell = requiredCell(issues, index, cells, 'kpi_code');
    const dateCell = requiredCell(issues, index, cells, 'metric_date');
    const valueCell = requiredCell(issues, index, cells, 'value');
    const store = storeCell === undefined ? undefined : storeByCode(parseTextCell(storeCell));
    if (storeCell !== undefined && !store) issues.add(index, 'store_code', unknownCodeMessage('store', storeCell));
    const kpi = kpiCell === undefined ? undefined : kpiByCode(parseTextCell(kpiCell));
    if (kpiCell !== undefined && !kpi) issues.add(index, 'kpi_code', unknownCodeMessage('KPI', kpiCell));
    const date = dateCell === undefined ? undefined : parseDateCell(dateCell, input);
    if (date && !date.ok) issues.add(index, 'metric_date', date.message);
    const value = valueCell === undefined ? undefined : parseNumberCell(valueCell);
    if (value && !value.ok) issues.add(index, 'value', value.message);
    if (value?.ok && Math.abs(value.value) >= largestMetricValue) {
      issues.add(index, 'value', `${showValue(valueCell!)} is too large; KPI values must stay below 100,000,000,000,000.`);
      continue;
    }
    if (!store || !kpi || !date?.ok || !value?.ok) continue;
    const key = `${store.id}|${kpi.id}|${date.value}`;
    const first = firstIndexOfKey.get(key);
    if (first !== undefined) {
      issues.add(
        index,
        'store_code',
        `Store ${store.storeCode}, KPI ${kpi.kpiCode}, date ${date.value} appears twice: ${input.rowWord} ${input.rows[first].row} and ${input.rows[index].row}. Keep one of them.`,
      );
      continue;
    }
    firstIndexOfKey.set(key, index);
    values.push({ storeId: store.id, kpiDefinitionId: kpi.id, metricDate: date.value, value: value.value });
  }
  issues.throwIfAny();
  return values;
}

/**
 * Writes validated metric values in one transaction: all or nothing. Re-sending the same values changes nothing;
 * a corrected value replaces the old one and clears its evaluation.
 */
export async function writeMetricValues(
  ctx: ServiceContext,
  values: MetricValue[],
  options: IngestOptions & { source: 'api' | 'import' },
): Promise<IngestResult> {
  const dates = dateSpan(values.map((v) => v.metricDate));
  if (dates) await ensureMetricPartitions(ctx, dates.from, dates.to);
  const total = values.length;
  const metadata = options.fileName ? { source: options.source, file: options.fileName } : { source: options.source };
  const written = await ctx.db.transaction(async (db) => {
    const tx = { ...ctx, db: db as unknown as ServiceContext['db'] };
    const result = await upsertMetricValues(tx, values, metadata, (done) => options.onProgress?.({ step: 'writing KPI values', current: done, total }));
    await recordAudit(tx, {
      action: options.source === 'import' ? 'store-health.metrics.import' : 'store-health.metrics.ingest',
      entityType: 'kpi_metrics',
      after: {
        file: options.fileName ?? null,
        sha256: options.fileSha256 ?? null,
        rows: total,
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
        dates,
      },
    });
    return result;
  });
  return { rows: total, inserted: written.inserted, updated: written.updated, unchanged: written.unchanged, dates, changed: written.changed };
}

/** POST /metrics: a JSON batch of up to 50,000 values, validated as a whole, then written in one transaction. */
export async function ingestMetricsBatch(ctx: ServiceContext, input: MetricsBatchInput, options: IngestOptions = {}): Promise<IngestResult> {
  const rows = rowsFromBatch('metrics', input.metrics, metricColumns);
  const values = await validateMetricRows(ctx, rows);
  return writeMetricValues(ctx, values, { ...options, source: 'api' });
}
