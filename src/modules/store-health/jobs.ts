import type { AnyJobDefinition } from '../../core/jobs/index.js';
import { storeHealthEscalationJobs } from './escalation/jobs.js';
import { storeHealthEvaluationJobs } from './evaluation/jobs.js';
import { storeHealthPredictionJobs } from './prediction/jobs.js';
import { storeHealthRetentionJob } from './retention/jobs.js';
import { demoRefreshJob } from './demo/jobs.js';

/** Daily evaluation (06:30), prediction (06:45), escalation every minute with a 15-minute auditor, nightly retention. */
export const storeHealthJobs: AnyJobDefinition[] = [
  ...storeHealthEvaluationJobs,
  ...storeHealthPredictionJobs,
  ...storeHealthEscalationJobs,
  storeHealthRetentionJob as unknown as AnyJobDefinition,
  demoRefreshJob as unknown as AnyJobDefinition,
];
