import type { ModuleEntry } from '../catalog.js';
import { promotionsDemoSteps } from './demo/index.js';
import { promotionsJobs } from './jobs.js';
import { registerPromotionsRoutes } from './routes.js';

/** The promotions module's public surface: the only file other modules and the composition root import. */
export const promotionsModule: ModuleEntry = {
  descriptor: {
    key: 'promotions',
    name: 'Promotions',
    description: 'Promotion planning from sales history: baseline forecast, scenarios with KPI forecasts, validation, post-mortems and uplift learning.',
    ready: true,
    registerRoutes: registerPromotionsRoutes,
  },
  jobs: promotionsJobs,
  demo: promotionsDemoSteps(),
};
