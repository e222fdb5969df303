import { IconAlertTriangle, IconBrain, IconCalendarStats, IconGauge, IconHierarchy2, IconPhoneCall } from '@tabler/icons-react';
import { ModuleLanding, type ModuleCapability } from '../modules/module-landing';

const CAPABILITIES: ModuleCapability[] = [
  {
    icon: IconGauge,
    title: 'Red / Yellow / Green thresholds',
    description:
      'Set KPI thresholds per store — sales vs. plan, conversion, labour hours, shrink, stock-outs — and see at a glance which stores are healthy, at risk or failing.',
  },
  {
    icon: IconCalendarStats,
    title: 'Daily health snapshots',
    description:
      'Every morning each store gets a scored snapshot, so you can compare today with last week and spot slow declines before they show up in the monthly P&L.',
  },
  {
    icon: IconAlertTriangle,
    title: 'Alerts and tasks',
    description: 'A KPI turning red opens an alert and a concrete task for the store manager, with an owner, a due date and the numbers that triggered it.',
  },
  {
    icon: IconHierarchy2,
    title: 'Escalations store → district → region',
    description:
      'Unresolved alerts climb the chain automatically: first the store, then the district manager, then the regional lead — nobody has to chase by hand.',
  },
  {
    icon: IconPhoneCall,
    title: 'AI voice calls',
    description: 'An AI assistant can call a store to check on an open alert, capture the manager’s answer and log it against the task.',
  },
  {
    icon: IconBrain,
    title: 'Risk prediction',
    description: 'Trends across snapshots predict which stores are likely to turn red next week, so district managers can plan visits where they matter most.',
  },
];

export function StoreHealthPage() {
  return (
    <ModuleLanding
      moduleKey="store-health"
      summary="Keeps every store’s vital signs in one place. Store health scores each location against your KPI thresholds every day, raises alerts and tasks when something slips, and escalates what stays unresolved from the store to the district and the region."
      audience={['Store managers', 'District managers', 'Regional operations']}
      capabilities={CAPABILITIES}
      dataSources="Store health fills up once your stores and their daily KPIs are imported."
    />
  );
}
