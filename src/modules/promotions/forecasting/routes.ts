import type { AppDeps, TypedApp } from '../../../core/http/types.js';

/** Promotions forecasting routes, under /api/promotions. */
export async function registerForecastingRoutes(_app: TypedApp, _deps: AppDeps): Promise<void> {}
