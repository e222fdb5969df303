import { IconChartLine, IconChecks, IconFileAnalytics, IconGitBranch, IconReportAnalytics, IconSchool } from '@tabler/icons-react';
import { ModuleLanding, type ModuleCapability } from '../modules/module-landing';

const CAPABILITIES: ModuleCapability[] = [
  {
    icon: IconChartLine,
    title: 'Baseline forecast',
    description: 'Learns from your sales history what each product would sell without a promotion, including seasonality and holidays.',
  },
  {
    icon: IconGitBranch,
    title: 'Scenarios',
    description: 'Compare discount depths, mechanics (multi-buy, % off, bundles), durations and placements side by side before committing.',
  },
  {
    icon: IconReportAnalytics,
    title: 'KPI forecasts',
    description: 'Each scenario comes with forecast units, revenue, margin, cannibalisation and halo effects, so trade-offs are explicit.',
  },
  {
    icon: IconChecks,
    title: 'Validation',
    description: 'Plans are checked against rules before they go live: margin floors, overlapping promotions, stock cover and supplier funding.',
  },
  {
    icon: IconFileAnalytics,
    title: 'Post-mortems',
    description: 'After a promotion ends, actuals are compared with the forecast and the baseline, and the gap is explained in plain language.',
  },
  {
    icon: IconSchool,
    title: 'Uplift learning',
    description: 'Every finished promotion improves the uplift model, so the next plan for the same category starts from better numbers.',
  },
];

export function PromotionsPage() {
  return (
    <ModuleLanding
      moduleKey="promotions"
      summary="Plans promotions from your own sales history instead of gut feeling. Promotions forecasts the baseline, lets you compare scenarios with their expected KPIs, validates plans before launch and learns the real uplift from every post-mortem."
      audience={['Category managers', 'Commercial planners', 'Finance']}
      capabilities={CAPABILITIES}
      dataSources="Promotions needs sales history: it fills up once transactions or weekly sales per product are imported."
    />
  );
}
