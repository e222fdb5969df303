import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { organizations } from '../../../core/db/schema.js';
import { defineJob, serviceContextForJob } from '../../../core/jobs/index.js';
import { germanChainCatalog, usChainCatalog } from './chain-catalog.js';
import { evaluateDemoChain, loadDemoChain } from './index.js';

/**
 * Keeps a demo installation alive: the demo history ends "yesterday", so each night the demo organizations'
 * chain is extended to the new yesterday (an idempotent re-run) and the last days are evaluated and predicted.
 * Organizations that are not demos (config.demo is not true) are left alone.
 */
export const demoRefreshJob = defineJob({
  name: 'store-health.demo-refresh',
  description: 'Demo organizations only: extends the demo chain’s KPI history to yesterday and evaluates the new days.',
  payload: z.object({ organizationId: z.uuid() }),
  schedule: { cron: '15 5 * * *', perOrganization: true },
  retry: { limit: 1, delaySeconds: 600, backoff: false },
  expireInSeconds: 1800,
  run: async (jobCtx) => {
    const ctx = serviceContextForJob(jobCtx);
    const [org] = await ctx.db.select({ config: organizations.config }).from(organizations).where(eq(organizations.id, ctx.organization.id));
    const catalog = [usChainCatalog, germanChainCatalog].find((c) => c.orgSlug === ctx.organization.slug);
    if (org?.config?.demo !== true || !catalog) return { skipped: 'not a demo organization' };
    const stores = catalog.orgSlug === 'demo' ? 60 : catalog.regions.flatMap((r) => r.districts).flatMap((d) => d.locations).length;
    const loaded = await loadDemoChain(ctx, catalog, { stores, days: 730, detailDays: 60 });
    const evaluated = await evaluateDemoChain(ctx, { days: 730, evaluationDays: 7, predictions: true });
    return { history: loaded.history, metricRows: loaded.metricRows, evaluated: evaluated.evaluated };
  },
});
