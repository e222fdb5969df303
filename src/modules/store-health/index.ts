import type { ModuleEntry } from '../catalog.js';

/** The store-health module's public surface: the only file other modules and the composition root import. */
export const storeHealthModule: ModuleEntry = {
  descriptor: {
    key: 'store-health',
    name: 'Store health',
    description:
      'Red/Yellow/Green KPI thresholds per store, daily health snapshots, alerts and tasks, escalations store → district → region, AI voice calls and risk prediction.',
    ready: false,
  },
  jobs: [],
  demo: [],
};
