import { z } from 'zod';
import { aiConfigFromEnv, createAiProvider, type AiProvider } from '../../../core/ai/index.js';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { runDuePostMortems } from './post-mortem-schedule.js';

export const postMortemsJobName = 'promotions.post-mortems';

/**
 * Daily per organization (07:00 local): post-mortems of approved scenarios whose period and 14-day dip window have
 * passed (or whose dip window the sales data already covers) and that have none yet. `ai` phrases the summaries when a
 * model is configured (offline otherwise).
 */
export function createPromotionsLearningJobs(options: { ai?: () => AiProvider } = {}): AnyJobDefinition[] {
  let provider: AiProvider | null = null;
  const ai = () => (provider ??= options.ai ? options.ai() : createAiProvider(aiConfigFromEnv()));
  return [
    defineJob({
      name: postMortemsJobName,
      description: 'Runs post-mortems (and uplift learning) for finished approved scenarios that have none yet.',
      payload: z.object({ organizationId: z.uuid() }),
      schedule: { cron: '0 7 * * *', perOrganization: true },
      retry: { limit: 2, delaySeconds: 300, backoff: true },
      expireInSeconds: 3600,
      run: async (jobCtx) => runDuePostMortems(serviceContextForJob(jobCtx), { ai: ai(), signal: jobCtx.signal }),
    }),
  ];
}

export const promotionsLearningJobs: AnyJobDefinition[] = createPromotionsLearningJobs();
