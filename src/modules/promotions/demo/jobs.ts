import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { organizations } from '../../../core/db/schema.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { defineJob, serviceContextForJob, type AnyJobDefinition } from '../../../core/jobs/index.js';
import { loadPromotionsDemo } from './load-demo.js';

export const promotionsDemoRefreshJobName = 'promotions.demo-refresh';

/**
 * Keeps the promotions demo alive: its sales history ends "yesterday", so each night a demo organization's sales,
 * promo calendar, targets and segments are re-simulated up to the new yesterday (an idempotent reload; figures of days
 * already there do not change). Scenarios, with their KPIs, validations and post-mortems, are left alone. Runs before
 * the nightly forecast refresh (03:30), which then sees the new day. Organizations that are not demos (config.demo is
 * not true) or have no demo sales are left alone.
 */
export const promotionsDemoRefreshJob = defineJob({
  name: promotionsDemoRefreshJobName,
  description: 'Demo organizations only: extends the promotions demo’s daily sales (and calendar, targets) to yesterday.',
  payload: z.object({ organizationId: z.uuid() }),
  schedule: { cron: '10 2 * * *', perOrganization: true },
  retry: { limit: 1, delaySeconds: 600, backoff: false },
  expireInSeconds: 1800,
  run: async (jobCtx) => {
    const ctx = serviceContextForJob(jobCtx);
    const [org] = await ctx.db.select({ config: organizations.config }).from(organizations).where(eq(organizations.id, ctx.organization.id));
    if (org?.config?.demo !== true) return { skipped: 'not a demo organization' };
    const [{ n }] = await sqlRows<{ n: number }>(
      ctx.db,
      // Only organizations that hold the demo (its own promo calendar files) are extended.
      sql`select count(*)::int as n from promotions.promo_catalog
          where organization_id = ${ctx.organization.id} and import_job_id is null and source_file like 'Promo_October-September_FY%'`,
    );
    if (n === 0) return { skipped: 'no promotions demo loaded' };
    const result = await loadPromotionsDemo(ctx, { scenarios: false });
    return {
      from: result.from,
      to: result.to,
      salesRows: result.salesRows,
      promotions: result.promotions,
      targets: result.targets,
      ms: result.timings.totalMs,
    };
  },
});

export const promotionsDemoJobs: AnyJobDefinition[] = [promotionsDemoRefreshJob as unknown as AnyJobDefinition];
