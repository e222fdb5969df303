import type { AppDeps, TypedApp } from '../../../core/http/types.js';

/** Coaching analytics routes, under /api/coaching. */
export async function registerAnalyticsRoutes(_app: TypedApp, _deps: AppDeps): Promise<void> {}
