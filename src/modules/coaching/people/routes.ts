import type { AppDeps, TypedApp } from '../../../core/http/types.js';

/** Coaching people routes, under /api/coaching. */
export async function registerPeopleRoutes(_app: TypedApp, _deps: AppDeps): Promise<void> {}
