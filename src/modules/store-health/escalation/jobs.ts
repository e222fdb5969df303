import { z } from 'zod';
import { loadConfig } from '../../../core/config.js';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { loadEncryptionKey } from '../../../core/secrets.js';
import type { CallProviderResolver } from '../calls/call-provider.js';
import { createCallProviderResolver, type CallProviderResolverOptions } from '../calls/providers.js';
import { auditEscalations } from './auditor.js';
import { escalateDueAlerts } from './engine.js';

const payload = z.object({ organizationId: z.uuid() });

/**
 * The engine's two jobs. `callProviders` decides how calls are placed; by default the simulated provider, or
 * Twilio for organizations with `calls.provider = twilio` (key and PUBLIC_URL read from the environment, lazily).
 */
export function createEscalationJobs(options: { callProviders?: CallProviderResolver } = {}): AnyJobDefinition[] {
  const callProviders = options.callProviders ?? createCallProviderResolver(environmentResolverOptions());
  const escalateJob = defineJob({
    name: 'store-health.escalate',
    description: 'Escalates alerts whose escalation timer is due and places due AI calls (store → district → region → head office).',
    payload,
    schedule: { cron: '* * * * *', perOrganization: true },
    // The next minute's run retries anyway; a retry storm would only pile up.
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    expireInSeconds: 300,
    run: async (ctx) => {
      const summary = await escalateDueAlerts({ ...serviceContextForJob(ctx), callProviders }, ctx.clock.now());
      return {
        alertsChecked: summary.alertsChecked,
        escalations: summary.escalations.length,
        callsScheduled: summary.callsScheduled,
        calls: summary.calls,
        escalationsSettled: summary.escalationsSettled,
        errors: summary.errors,
      };
    },
  });
  const auditJob = defineJob({
    name: 'store-health.escalation-audit',
    description: 'Finds open alerts whose escalation timer is missing or stuck, and calls that never finished; fixes them and logs system events.',
    payload,
    schedule: { cron: '*/15 * * * *', perOrganization: true },
    retry: { limit: 1, delaySeconds: 60, backoff: false },
    expireInSeconds: 600,
    run: async (ctx) => {
      const report = await auditEscalations({ ...serviceContextForJob(ctx), callProviders }, ctx.clock.now());
      return { checkedAlerts: report.checkedAlerts, escalationsSettled: report.escalationsSettled, findings: report.findings };
    },
  });
  return [escalateJob, auditJob];
}

/** Jobs receive no secrets; a worker reads the same key and PUBLIC_URL as the server, only when Twilio is used. */
function environmentResolverOptions(): CallProviderResolverOptions {
  let config: ReturnType<typeof loadConfig> | null = null;
  const appConfig = () => (config ??= loadConfig());
  return {
    encryptionKey: () => loadEncryptionKey(appConfig().secretKey, appConfig().dataDir),
    publicUrl: () => appConfig().publicUrl,
  };
}

export const storeHealthEscalationJobs: AnyJobDefinition[] = createEscalationJobs();
