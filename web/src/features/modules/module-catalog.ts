import { IconDisc, IconHeadset, IconHeartRateMonitor, IconSitemap, IconSpeakerphone, type Icon } from '@tabler/icons-react';
import type { ModuleKey } from '../../api-types';

export type ModuleCatalogEntry = {
  key: ModuleKey;
  name: string;
  path: string;
  icon: Icon;
  color: string;
  tagline: string;
};

/** Static facts about each module; readiness and server-side copy come from GET /api/modules. */
export const MODULE_CATALOG: ModuleCatalogEntry[] = [
  {
    key: 'store-health',
    name: 'Store health',
    path: '/store-health',
    icon: IconHeartRateMonitor,
    color: 'red',
    tagline: 'Red / Yellow / Green KPI health for every store, with alerts and escalations.',
  },
  {
    key: 'commerce',
    name: 'Commerce',
    path: '/commerce',
    icon: IconDisc,
    color: 'orange',
    tagline: 'Back office for a record shop: catalog, orders, inventory and suppliers.',
  },
  {
    key: 'promotions',
    name: 'Promotions',
    path: '/promotions',
    icon: IconSpeakerphone,
    color: 'pink',
    tagline: 'Plan promotions from sales history and learn what really drives uplift.',
  },
  {
    key: 'agent-org',
    name: 'Agent org',
    path: '/agent-org',
    icon: IconSitemap,
    color: 'cyan',
    tagline: 'An organisation of AI agents with goals, workflows, SLAs and budgets.',
  },
  {
    key: 'coaching',
    name: 'Coaching',
    path: '/coaching',
    icon: IconHeadset,
    color: 'teal',
    tagline: 'Call-centre coaching with composite scores, AI-prepared sessions and plans.',
  },
];

export function moduleByKey(key: ModuleKey): ModuleCatalogEntry {
  const entry = MODULE_CATALOG.find((module) => module.key === key);
  if (!entry) throw new Error(`Unknown module ${key}`);
  return entry;
}
