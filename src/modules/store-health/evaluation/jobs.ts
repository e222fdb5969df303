import { z } from 'zod';
import { aiConfigFromEnv, createAiProvider, type AiProvider } from '../../../core/ai/index.js';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { addDays, localDate } from '../shared/dates.js';
import { evaluateDateRange } from './evaluate-range.js';
import { isoDateSchema } from './health-read-service.js';

export const evaluateJobName = 'store-health.evaluate';

export const evaluateJobPayload = z
  .object({ organizationId: z.uuid(), from: isoDateSchema.optional(), to: isoDateSchema.optional() })
  .refine((p) => !p.from || !p.to || p.from <= p.to, { message: '"to" must be on or after "from"', path: ['to'] });

/**
 * The daily evaluation, per organization at 06:30 in its time zone: without dates it evaluates yesterday
 * (organization-local); with `from`/`to` (e.g. after an import) that range. A single date may be given either way.
 * `ai` supplies the summary writer; by default the provider configured in the environment (offline without keys).
 */
export function createStoreHealthEvaluationJobs(options: { ai?: () => AiProvider } = {}): AnyJobDefinition[] {
  let provider: AiProvider | null = null;
  const ai = () => (provider ??= options.ai ? options.ai() : createAiProvider(aiConfigFromEnv()));
  const evaluateJob = defineJob({
    name: evaluateJobName,
    description: 'Evaluates KPI statuses, alerts, tasks and store health snapshots (yesterday by default, or the given dates).',
    payload: evaluateJobPayload,
    schedule: { cron: '30 6 * * *', perOrganization: true },
    retry: { limit: 2, delaySeconds: 60, backoff: true },
    expireInSeconds: 3 * 3600,
    run: async (jobCtx, payload) => {
      const ctx = serviceContextForJob(jobCtx);
      const yesterday = addDays(localDate(ctx.clock.now(), ctx.organization.timezone), -1);
      const from = payload.from ?? payload.to ?? yesterday;
      const to = payload.to ?? payload.from ?? yesterday;
      return evaluateDateRange(ctx, { from, to, ai: ai(), signal: jobCtx.signal });
    },
  });
  return [evaluateJob];
}

export const storeHealthEvaluationJobs: AnyJobDefinition[] = createStoreHealthEvaluationJobs();
