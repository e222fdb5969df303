import type { DemoStep } from '../../../core/demo/demo-steps.js';

/** The demo contact centre (see load-demo.ts). */
export function coachingDemoSteps(): DemoStep[] {
  return [];
}
