import type { ModuleDescriptor } from '../core/http/types.js';
import type { JobDefinition } from '../core/jobs/index.js';
import type { DemoStep } from '../core/demo/demo-steps.js';
import { coachingModule } from './coaching/index.js';
import { promotionsModule } from './promotions/index.js';
import { storeHealthModule } from './store-health/index.js';

/** A module as the composition root sees it: its descriptor, jobs and demo data. */
export interface ModuleEntry {
  descriptor: ModuleDescriptor;
  jobs: JobDefinition[];
  demo: DemoStep[];
}

/** The five RetailOps modules. A module flips `ready` once its issue lands and contributes routes, jobs and demo data. */
export const moduleCatalog: ModuleEntry[] = [
  storeHealthModule,
  {
    descriptor: {
      key: 'commerce',
      name: 'Commerce',
      description:
        'A record shop back office: catalog, orders, payments, shipments, inventory, suppliers, reorder queue from demand forecasts, service cases, reviews and recommendations.',
      ready: false,
    },
    jobs: [],
    demo: [],
  },
  promotionsModule,
  {
    descriptor: {
      key: 'agent-org',
      name: 'Agent org',
      description: 'An organisation of AI agents with goals, workflows, executions, tasks with SLAs, campaigns, KPIs, budgets and attribution.',
      ready: false,
    },
    jobs: [],
    demo: [],
  },
  coachingModule,
];
