import type { ServiceContext } from '../../../core/context.js';
import type { EnqueueJob } from '../../../core/jobs/index.js';
import type { MetricWriteResult } from './metric-writer.js';

/** The evaluation engineer's job; its payload is `{ organizationId, from, to }` (ISO dates, both included). */
export const evaluateJobName = 'store-health.evaluate';

/**
 * Queues the re-evaluation of the dates whose KPI values changed. Call it after the write has committed: on PGlite
 * an enqueue inside the transaction would wait for the single connection forever. Nothing changed → no job.
 */
export async function enqueueEvaluation(ctx: ServiceContext, enqueue: EnqueueJob | undefined, changed: MetricWriteResult['changed']): Promise<string | null> {
  if (!enqueue || !changed) return null;
  return enqueue(evaluateJobName, { organizationId: ctx.organization.id, from: changed.from, to: changed.to });
}
