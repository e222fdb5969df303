import { z } from 'zod';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { evaluateEffectivenessJobName } from '../shared/job-names.js';
import { evaluateDueEffectiveness } from './evaluation-service.js';

export const effectivenessJobs: AnyJobDefinition[] = [
  defineJob({
    name: evaluateEffectivenessJobName,
    description: 'Fills metrics after, improvement, difference in differences and sustained 30/90 of coaching sessions whose periods have passed.',
    payload: z.object({ organizationId: z.uuid() }),
    schedule: { cron: '0 7 * * *', perOrganization: true },
    retry: { limit: 2, delaySeconds: 300, backoff: true },
    expireInSeconds: 3600,
    run: async (jobCtx) => evaluateDueEffectiveness(serviceContextForJob(jobCtx)),
  }),
];
