import type { ModuleEntry } from '../catalog.js';
import { storeHealthDemoSteps } from './demo/index.js';
import { storeHealthJobs } from './jobs.js';
import { registerStoreHealthRoutes } from './routes.js';

export { evaluateDateRange, getStoreSnapshots } from './evaluation/index.js';
export { importKinds, importStoreHealthFile, type ImportKind } from './ingestion/import-file.js';
export { formatBacktestReport, runBacktest } from './prediction/backtest-service.js';
export { archiveExpiredStoreHealthData } from './retention/service.js';

/** The store-health module's public surface: the only file other modules and the composition root import. */
export const storeHealthModule: ModuleEntry = {
  descriptor: {
    key: 'store-health',
    name: 'Store health',
    description:
      'Red/Yellow/Green KPI thresholds per store, daily health snapshots, alerts and tasks, escalations store → district → region, AI voice calls and risk prediction.',
    ready: true,
    registerRoutes: registerStoreHealthRoutes,
  },
  jobs: storeHealthJobs,
  demo: storeHealthDemoSteps(),
};
