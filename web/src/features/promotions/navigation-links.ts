import {
  IconAdjustments,
  IconDatabase,
  IconArrowsDiff,
  IconChartAreaLine,
  IconChartDots3,
  IconFileImport,
  IconReportSearch,
  IconTargetArrow,
  IconTrendingUp,
  IconWand,
  type Icon,
} from '@tabler/icons-react';

export type PromotionsLink = { to: string; label: string; icon: Icon; testId: string; exact?: boolean };

/** Sub-pages of the Promotions module, shown nested under its entry in the main navigation. */
export const PROMOTIONS_LINKS: PromotionsLink[] = [
  { to: '/promotions', label: 'Sales explorer', icon: IconChartAreaLine, testId: 'nav-pr-sales', exact: true },
  { to: '/promotions/opportunities', label: 'Opportunities', icon: IconTargetArrow, testId: 'nav-pr-opportunities' },
  { to: '/promotions/scenarios', label: 'Scenarios', icon: IconWand, testId: 'nav-pr-scenarios' },
  { to: '/promotions/comparison', label: 'Comparison', icon: IconArrowsDiff, testId: 'nav-pr-comparison' },
  { to: '/promotions/post-mortems', label: 'Post-mortems', icon: IconReportSearch, testId: 'nav-pr-post-mortems' },
  { to: '/promotions/uplift', label: 'Uplift coefficients', icon: IconTrendingUp, testId: 'nav-pr-uplift' },
  { to: '/promotions/backtest', label: 'Forecast backtest', icon: IconChartDots3, testId: 'nav-pr-backtest' },
  { to: '/promotions/data', label: 'Calendar, targets & segments', icon: IconDatabase, testId: 'nav-pr-data' },
  { to: '/promotions/imports', label: 'Imports', icon: IconFileImport, testId: 'nav-pr-imports' },
  { to: '/promotions/settings', label: 'Validation rules', icon: IconAdjustments, testId: 'nav-pr-settings' },
];
