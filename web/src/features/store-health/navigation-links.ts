import {
  IconAlertTriangle,
  IconBuildingStore,
  IconChartLine,
  IconFileImport,
  IconGauge,
  IconLayoutGrid,
  IconLayoutKanban,
  IconMessageChatbot,
  IconStairsUp,
  type Icon,
} from '@tabler/icons-react';

export type StoreHealthLink = { to: string; label: string; icon: Icon; testId: string; exact?: boolean };

/** Sub-pages of the Store health module, shown nested under its entry in the main navigation. */
export const STORE_HEALTH_LINKS: StoreHealthLink[] = [
  { to: '/store-health', label: 'Chain overview', icon: IconLayoutGrid, testId: 'nav-sh-overview', exact: true },
  { to: '/store-health/alerts', label: 'Alerts', icon: IconAlertTriangle, testId: 'nav-sh-alerts' },
  { to: '/store-health/tasks', label: 'Tasks', icon: IconLayoutKanban, testId: 'nav-sh-tasks' },
  { to: '/store-health/stores', label: 'Stores', icon: IconBuildingStore, testId: 'nav-sh-stores' },
  { to: '/store-health/kpis', label: 'KPIs & thresholds', icon: IconGauge, testId: 'nav-sh-kpis' },
  { to: '/store-health/escalation-rules', label: 'Escalation rules', icon: IconStairsUp, testId: 'nav-sh-rules' },
  { to: '/store-health/call-scripts', label: 'Call scripts', icon: IconMessageChatbot, testId: 'nav-sh-scripts' },
  { to: '/store-health/backtest', label: 'Backtest', icon: IconChartLine, testId: 'nav-sh-backtest' },
  { to: '/store-health/imports', label: 'Imports', icon: IconFileImport, testId: 'nav-sh-imports' },
];

export function isStoreHealthLinkActive(pathname: string, link: StoreHealthLink): boolean {
  if (link.exact) return pathname === link.to || pathname === `${link.to}/`;
  return pathname === link.to || pathname.startsWith(`${link.to}/`);
}
