import type { AppDeps, TypedApp } from '../../../core/http/types.js';

/** Coaching plans routes, under /api/coaching. */
export async function registerPlansRoutes(_app: TypedApp, _deps: AppDeps): Promise<void> {}
