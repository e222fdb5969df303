import { z } from 'zod';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { refreshBaselineForecasts } from './baseline.js';

export const refreshForecastsJobName = 'promotions.refresh-forecasts';

/**
 * Nightly at 03:30 in the organization's time zone, and after every sales import: re-runs the backtest when it is
 * older than the data or than 7 days, then stores the next 120 days of baseline per department × channel.
 */
export const refreshForecastsJob = defineJob({
  name: refreshForecastsJobName,
  description:
    'Re-runs the baseline backtest when it is older than the sales data or 7 days, then rewrites the stored baseline forecasts (next 120 days per department × channel).',
  payload: z.object({ organizationId: z.uuid() }),
  schedule: { cron: '30 3 * * *', perOrganization: true },
  retry: { limit: 2, delaySeconds: 120, backoff: true },
  expireInSeconds: 1_800,
  run: async (ctx) => refreshBaselineForecasts(serviceContextForJob(ctx), { signal: ctx.signal }),
});

export const promotionsForecastingJobs: AnyJobDefinition[] = [refreshForecastsJob as unknown as AnyJobDefinition];
