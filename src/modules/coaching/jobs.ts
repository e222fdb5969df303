import type { AnyJobDefinition } from '../../core/jobs/index.js';
import { analyticsJobs } from './analytics/jobs.js';
import { coachingDemoJobs } from './demo/jobs.js';
import { effectivenessJobs } from './effectiveness/jobs.js';
import { importsJobs } from './imports/jobs.js';
import { peopleJobs } from './people/jobs.js';
import { plansJobs } from './plans/jobs.js';
import { sessionsJobs } from './sessions/jobs.js';

export const coachingJobs: AnyJobDefinition[] = [
  ...peopleJobs,
  ...importsJobs,
  ...analyticsJobs,
  ...sessionsJobs,
  ...plansJobs,
  ...effectivenessJobs,
  ...coachingDemoJobs,
];
