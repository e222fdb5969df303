import type { AppDeps, TypedApp } from '../../../core/http/types.js';

/** Promotions planning routes, under /api/promotions. */
export async function registerPlanningRoutes(_app: TypedApp, _deps: AppDeps): Promise<void> {}
