import { z } from 'zod';
import { defineJob, serviceContextForJob } from '../../../core/jobs/index.js';
import { archiveExpiredStoreHealthData } from './service.js';

/** Nightly at 02:30 in each organization's time zone: move rows past the seed's retention to the archive schema. */
export const storeHealthRetentionJob = defineJob({
  name: 'store-health.retention',
  description: 'Archives store-health data past its retention (metrics and snapshots 2 years, resolved alerts and completed tasks 1 year).',
  payload: z.object({ organizationId: z.uuid() }),
  schedule: { cron: '30 2 * * *', perOrganization: true },
  retry: { limit: 2, delaySeconds: 300, backoff: true },
  expireInSeconds: 3600,
  run: async (ctx) => archiveExpiredStoreHealthData(serviceContextForJob(ctx)),
});
