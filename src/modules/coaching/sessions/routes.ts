import type { AppDeps, TypedApp } from '../../../core/http/types.js';

/** Coaching sessions routes, under /api/coaching. */
export async function registerSessionsRoutes(_app: TypedApp, _deps: AppDeps): Promise<void> {}
