export {
  assertValidJobPayload,
  createJobRegistry,
  defaultRetryPolicy,
  defineJob,
  findJobDefinition,
  serviceContextForJob,
  type AnyJobDefinition,
  type EnqueueJob,
  type EnqueueOptions,
  type JobContext,
  type JobDefinition,
  type JobRegistry,
  type JobRetryPolicy,
  type JobRunState,
  type JobSchedule,
} from './define-job.js';
export { enqueueJob } from './enqueue-job.js';
export { startJobWorker, type JobWorker, type JobWorkerOptions } from './job-worker.js';
export { describeSchedule, fireDueSchedules, type FiredSchedule, type ScheduleDescription } from './scheduler.js';
export { getWorkerHealth, type WorkerHealth } from './worker-heartbeat.js';
export {
  getJobRun,
  jobRunStates,
  listJobDefinitions,
  listJobRuns,
  listJobRunsQuery,
  retryJobRun,
  runJobNow,
  type JobDefinitionSummary,
  type JobRunDetail,
  type JobRunRow,
  type ListJobRunsQuery,
} from './job-runs-service.js';
export { cleanupSessionsJob, coreJobs } from './core-jobs.js';
