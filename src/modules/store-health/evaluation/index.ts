export {
  evaluateDateRange,
  maxEvaluationDays,
  monthChunks,
  type EvaluateRangeInput,
  type EvaluateRangeResult,
  type EvaluationProgress,
} from './evaluate-range.js';
export { getOverview, getStoreHealth, getStoreSnapshots, type StoreSnapshotView } from './health-read-service.js';
export { resolveThresholds, type ResolvedThreshold } from './evaluation-scope.js';
export { defaultEvaluationSettings, loadEvaluationSettings, type EvaluationSettings } from './evaluation-settings.js';
export {
  measureOf,
  recoveryLine,
  statusOfMeasure,
  variancePctOf,
  yellowEdge,
  type ComparisonBasis,
  type KpiDirection,
  type ThresholdRule,
} from './threshold-rules.js';
export { registerEvaluationRoutes } from './routes.js';
export { createStoreHealthEvaluationJobs, evaluateJobName, storeHealthEvaluationJobs } from './jobs.js';
