import type { AppDeps, TypedApp } from '../../core/http/types.js';
import { registerAnalyticsRoutes } from './analytics/routes.js';
import { registerEffectivenessRoutes } from './effectiveness/routes.js';
import { registerImportsRoutes } from './imports/routes.js';
import { registerPeopleRoutes } from './people/routes.js';
import { registerPlansRoutes } from './plans/routes.js';
import { registerSessionsRoutes } from './sessions/routes.js';

const registered = new WeakMap<object, string[]>();

/** Every coaching route, under /api/coaching. The list of registered routes feeds the visibility test's coverage check. */
export async function registerCoachingRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  const routes: string[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/coaching')) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });
  await registerPeopleRoutes(app, deps);
  await registerImportsRoutes(app, deps);
  await registerAnalyticsRoutes(app, deps);
  await registerSessionsRoutes(app, deps);
  await registerPlansRoutes(app, deps);
  await registerEffectivenessRoutes(app, deps);
}

/** 'METHOD /url' of every coaching route registered on this app. */
export function registeredCoachingRoutes(app: object): string[] {
  return registered.get(app) ?? [];
}
