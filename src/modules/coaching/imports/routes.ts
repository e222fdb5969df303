import type { AppDeps, TypedApp } from '../../../core/http/types.js';

/** Coaching imports routes, under /api/coaching. */
export async function registerImportsRoutes(_app: TypedApp, _deps: AppDeps): Promise<void> {}
