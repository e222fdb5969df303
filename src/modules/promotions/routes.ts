import type { AppDeps, TypedApp } from '../../core/http/types.js';
import { registerForecastingRoutes } from './forecasting/routes.js';
import { registerImportsRoutes } from './imports/routes.js';
import { registerLearningRoutes } from './learning/routes.js';
import { registerPlanningRoutes } from './planning/routes.js';

/** Every promotions route, under /api/promotions. */
export async function registerPromotionsRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  await registerImportsRoutes(app, deps);
  await registerForecastingRoutes(app, deps);
  await registerPlanningRoutes(app, deps);
  await registerLearningRoutes(app, deps);
}
