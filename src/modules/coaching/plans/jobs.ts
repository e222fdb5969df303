import { z } from 'zod';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { planCheckInsJobName, proposePlansJobName } from '../shared/job-names.js';
import { runDuePlanCheckIns } from './plan-service.js';
import { proposePlans } from './proposal-service.js';

export const plansJobs: AnyJobDefinition[] = [
  defineJob({
    name: planCheckInsJobName,
    description: 'Activates approved plans on their start date and runs the check-ins due today (targets, mandatory criteria, progress).',
    payload: z.object({ organizationId: z.uuid() }),
    schedule: { cron: '0 6 * * *', perOrganization: true },
    retry: { limit: 2, delaySeconds: 300, backoff: true },
    expireInSeconds: 3600,
    run: async (jobCtx) => runDuePlanCheckIns(serviceContextForJob(jobCtx)),
  }),
  defineJob({
    name: proposePlansJobName,
    description: "Proposes a draft improvement plan to the team leader when an agent's composite trend breaches the plan triggers.",
    payload: z.object({ organizationId: z.uuid() }),
    schedule: { cron: '30 6 * * *', perOrganization: true },
    retry: { limit: 2, delaySeconds: 300, backoff: true },
    expireInSeconds: 3600,
    run: async (jobCtx) => proposePlans(serviceContextForJob(jobCtx)),
  }),
];
