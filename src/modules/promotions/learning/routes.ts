import type { AppDeps, TypedApp } from '../../../core/http/types.js';

/** Promotions learning routes, under /api/promotions. */
export async function registerLearningRoutes(_app: TypedApp, _deps: AppDeps): Promise<void> {}
