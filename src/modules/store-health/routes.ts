import type { AppDeps, TypedApp } from '../../core/http/types.js';
import { registerAlertRoutes } from './alerts/routes.js';
import { registerCallRoutes } from './calls/routes.js';
import { registerEscalationRoutes } from './escalation/routes.js';
import { registerEvaluationRoutes } from './evaluation/routes.js';
import { registerIngestionRoutes } from './ingestion/routes.js';
import { registerKpiConfigRoutes } from './kpi-config/routes.js';
import { registerOrgStructureRoutes } from './org-structure/routes.js';
import { registerPredictionRoutes } from './prediction/routes.js';

/** Every store-health route, under /api/store-health. */
export async function registerStoreHealthRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  await registerOrgStructureRoutes(app, deps);
  await registerKpiConfigRoutes(app, deps);
  await registerIngestionRoutes(app, deps);
  await registerEvaluationRoutes(app, deps);
  await registerAlertRoutes(app, deps);
  await registerEscalationRoutes(app, deps);
  await registerCallRoutes(app, deps);
  await registerPredictionRoutes(app, deps);
}
