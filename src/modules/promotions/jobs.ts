import type { AnyJobDefinition } from '../../core/jobs/index.js';
import { promotionsDemoJobs } from './demo/jobs.js';
import { promotionsForecastingJobs } from './forecasting/jobs.js';
import { promotionsImportsJobs } from './imports/jobs.js';
import { promotionsLearningJobs } from './learning/jobs.js';
import { promotionsPlanningJobs } from './planning/jobs.js';

export const promotionsJobs: AnyJobDefinition[] = [
  ...promotionsImportsJobs,
  ...promotionsForecastingJobs,
  ...promotionsPlanningJobs,
  ...promotionsLearningJobs,
  ...promotionsDemoJobs,
];
