import { recordAudit } from '../../../core/audit/audit.js';
import type { ServiceContext } from '../../../core/context.js';
import type { IsoDate } from '../shared/dates.js';
import type { IngestOptions, IngestResult, UpsertCounts } from './ingest-result.js';
import { dateSpan } from './input-rows.js';
import { ensureMetricPartitions } from './metric-writer.js';
import { writeOperationalKpis } from './operational-kpis.js';

export type OperationalKind = 'labor-schedules' | 'labor-callouts' | 'inventory-levels' | 'out-of-stock-events';

/**
 * The shared second half of every labor/inventory ingestion: in one transaction, write the validated rows, then
 * recompute the derived daily KPIs of the stores and dates they touch, then audit. All or nothing.
 */
export async function ingestOperationalRows(
  ctx: ServiceContext,
  job: {
    kind: OperationalKind;
    rows: Record<string, unknown>[];
    /** The store-local calendar date a row counts for. */
    dateOf: (row: Record<string, unknown>) => IsoDate;
    write: (tx: ServiceContext) => Promise<UpsertCounts>;
    options: IngestOptions;
  },
): Promise<IngestResult> {
  const dates = dateSpan(job.rows.map(job.dateOf));
  const storeIds = [...new Set(job.rows.map((r) => r.store_id as string))];
  if (dates) await ensureMetricPartitions(ctx, dates.from, dates.to);
  const total = job.rows.length;
  return ctx.db.transaction(async (db) => {
    const tx = { ...ctx, db: db as unknown as ServiceContext['db'] };
    job.options.onProgress?.({ step: `writing ${job.kind}`, current: 0, total });
    const counts = await job.write(tx);
    job.options.onProgress?.({ step: 'deriving labor and inventory KPIs', current: total, total });
    const derived = dates ? await writeOperationalKpis(tx, { ...dates, storeIds }) : null;
    const derivedCounts = derived
      ? { inserted: derived.inserted, updated: derived.updated, unchanged: derived.unchanged }
      : { inserted: 0, updated: 0, unchanged: 0 };
    await recordAudit(tx, {
      action: `store-health.${job.kind}.ingest`,
      entityType: `store_health.${job.kind.replace(/-/g, '_')}`,
      after: {
        file: job.options.fileName ?? null,
        sha256: job.options.fileSha256 ?? null,
        rows: total,
        ...counts,
        dates,
        derived: derivedCounts,
      },
    });
    return { rows: total, ...counts, dates, changed: derived?.changed ?? null, derived: derivedCounts };
  });
}
