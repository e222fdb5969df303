import type { AppDeps, TypedApp } from '../../../core/http/types.js';

/** Coaching effectiveness routes, under /api/coaching. */
export async function registerEffectivenessRoutes(_app: TypedApp, _deps: AppDeps): Promise<void> {}
