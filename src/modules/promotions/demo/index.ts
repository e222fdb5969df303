import type { DemoStep } from '../../../core/demo/demo-steps.js';

/** The electronics retailer's promotions demo (sales history, calendar, targets, segments, scenarios). */
export function promotionsDemoSteps(): DemoStep[] {
  return [];
}
