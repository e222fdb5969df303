import { z } from 'zod';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { isoDateSchema, latestEvaluatedDate, predictRisk } from './service.js';

/** Every morning at 06:45 in the organization's time zone, after the night's imports and evaluation. */
export const predictRiskJob = defineJob({
  name: 'store-health.predict',
  description: 'Predicts each store’s KPI statuses for the next three days from the latest evaluated day (MSTL forecasts against the thresholds).',
  payload: z.object({ organizationId: z.uuid(), asOf: isoDateSchema.optional() }),
  schedule: { cron: '45 6 * * *', perOrganization: true },
  retry: { limit: 2, delaySeconds: 120, backoff: true },
  expireInSeconds: 1_800,
  run: async (ctx, payload) => {
    const serviceCtx = serviceContextForJob(ctx);
    const asOf = payload.asOf ?? (await latestEvaluatedDate(serviceCtx));
    if (!asOf) return { skipped: 'No evaluated KPI statuses in the last 8 weeks; nothing to predict from.' };
    const result = await predictRisk(serviceCtx, { asOf });
    const byStatus = { green: 0, yellow: 0, red: 0 };
    for (const p of result.predictions) if (p.kpiId === null && p.predictedStatus in byStatus) byStatus[p.predictedStatus as keyof typeof byStatus]++;
    return {
      asOf,
      modelVersion: result.modelVersion,
      predictions: result.predictions.length,
      overallByStatus: byStatus,
      skipped: result.skipped,
      ms: result.ms,
    };
  },
});

export const storeHealthPredictionJobs: AnyJobDefinition[] = [predictRiskJob as unknown as AnyJobDefinition];
