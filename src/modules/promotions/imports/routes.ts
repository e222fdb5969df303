import type { AppDeps, TypedApp } from '../../../core/http/types.js';

/** Promotions imports routes, under /api/promotions. */
export async function registerImportsRoutes(_app: TypedApp, _deps: AppDeps): Promise<void> {}
