import { systemActor, type ServiceContext } from '../../../core/context.js';
import type { DemoEnvironment, DemoStep } from '../../../core/demo/demo-steps.js';
import { loadPromotionsDemo, type PromotionsDemoOptions } from './load-demo.js';

export { loadPromotionsDemo, demoEndDate, type PromotionsDemoOptions, type PromotionsDemoResult } from './load-demo.js';
export { simulateDemoSales, type DemoSimulation, type DemoGroundTruth, type DemoSalesRow } from './simulation.js';

function demoContext(env: DemoEnvironment, orgSlug: string): ServiceContext | null {
  const organization = env.organizations[orgSlug];
  if (!organization) return null;
  return { db: env.database.db, organization, actor: systemActor('demo'), role: 'admin', clock: env.clock, log: env.log };
}

/** The electronics retailer's promotions demo (sales history, calendar, targets, segments, scenarios). */
export function promotionsDemoSteps(options: PromotionsDemoOptions = {}): DemoStep[] {
  return [
    {
      name: 'promotions: electronics chain sales history, promo calendar, targets, segments and scenarios',
      async run(env) {
        const ctx = demoContext(env, 'demo');
        if (!ctx) throw new Error("The promotions demo needs the core demo's 'demo' organization: run the core demo steps first.");
        const step = 'promotions: sales history';
        env.progress({ step, current: 0, total: 1 });
        const result = await loadPromotionsDemo(ctx, options);
        env.progress({ step, current: 1, total: 1 });
        env.log.info({ result: { ...result, scenarios: result.scenarios.length } }, 'promotions demo loaded');
      },
    },
  ];
}
