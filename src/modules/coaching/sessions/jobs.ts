import { z } from 'zod';
import { aiConfigFromEnv, createAiProvider, type AiProvider } from '../../../core/ai/index.js';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { actionItemRemindersJobName, markOverdueActionItemsJobName } from '../shared/job-names.js';
import { prepareTomorrowsSessions } from './prep-service.js';
import { markOverdueActionItems, sendActionItemReminders } from './reminders-service.js';

export const prepareSessionsJobName = 'coaching.prepare-sessions';

const organizationPayload = z.object({ organizationId: z.uuid() });

/**
 * Daily per organization, in its time zone: overdue marking just after midnight (a trigger alone never fires for an
 * item nobody touches), reminders at 07:00, and prep for tomorrow's sessions at 17:00 (a model phrases the agenda
 * when one is configured; offline otherwise).
 */
export function createSessionsJobs(options: { ai?: () => AiProvider } = {}): AnyJobDefinition[] {
  let provider: AiProvider | null = null;
  const ai = () => (provider ??= options.ai ? options.ai() : createAiProvider(aiConfigFromEnv()));
  return [
    defineJob({
      name: markOverdueActionItemsJobName,
      description: 'Marks open coaching action items past their due date (organization’s local date) OVERDUE and notifies agent and team leader.',
      payload: organizationPayload,
      schedule: { cron: '5 0 * * *', perOrganization: true },
      retry: { limit: 2, delaySeconds: 300, backoff: true },
      expireInSeconds: 900,
      run: async (jobCtx) => markOverdueActionItems(serviceContextForJob(jobCtx)),
    }),
    defineJob({
      name: actionItemRemindersJobName,
      description: 'Writes action-item reminders (reminder date reached) and overdue notices, once each.',
      payload: organizationPayload,
      schedule: { cron: '0 7 * * *', perOrganization: true },
      retry: { limit: 2, delaySeconds: 300, backoff: true },
      expireInSeconds: 900,
      run: async (jobCtx) => sendActionItemReminders(serviceContextForJob(jobCtx)),
    }),
    defineJob({
      name: prepareSessionsJobName,
      description: 'Generates prep for every coaching session scheduled tomorrow (organization’s local date).',
      payload: organizationPayload,
      schedule: { cron: '0 17 * * *', perOrganization: true },
      retry: { limit: 2, delaySeconds: 300, backoff: true },
      expireInSeconds: 3600,
      run: async (jobCtx) => prepareTomorrowsSessions(serviceContextForJob(jobCtx), { ai: ai() }),
    }),
  ];
}

export const sessionsJobs: AnyJobDefinition[] = createSessionsJobs();
