import type { ModuleEntry } from '../catalog.js';
import { coachingDemoSteps } from './demo/index.js';
import { coachingJobs } from './jobs.js';
import { registerCoachingRoutes } from './routes.js';

/** The coaching module's public surface: the only file other modules and the composition root import. */
export const coachingModule: ModuleEntry = {
  descriptor: {
    key: 'coaching',
    name: 'Coaching',
    description: 'Call-centre coaching: agent metrics and composite scores, trends, sessions with AI prep, action items, improvement plans and effectiveness.',
    ready: true,
    registerRoutes: registerCoachingRoutes,
  },
  jobs: coachingJobs,
  demo: coachingDemoSteps(),
};
