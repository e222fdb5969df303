import type { AnyJobDefinition } from '../../../core/jobs/index.js';

export const effectivenessJobs: AnyJobDefinition[] = [];
