/**
 * The demo's KPI definitions and organization-default thresholds.
 *
 * Threshold semantics (docs/store-health-thresholds.md): for rolling_4w / same_period_ly the measure is
 * value ÷ baseline × 100 ("% of baseline", baseline = the same weekday of the four prior weeks); for absolute it is
 * the raw value. higher_is_better: measure ≥ greenMin green, ≥ yellowMin yellow, else red; lower_is_better mirrors
 * it (≤ greenMin green, ≤ yellowMin yellow, else red). redThreshold repeats the red edge for display.
 * The bands are set so that ordinary noise stays mostly green and the injected incidents turn red.
 * labor_coverage, callout_hours, top_sku_oos, days_of_cover and est_lost_sales follow the derivation rules of
 * ingestion/operational-kpis.ts, so re-deriving them from the demo's labor and inventory rows gives the same values.
 */

export type KpiCode =
  | 'sales'
  | 'transactions'
  | 'traffic'
  | 'conversion_rate'
  | 'avg_basket'
  | 'labor_coverage'
  | 'callout_hours'
  | 'overtime_hours'
  | 'shrink_pct'
  | 'top_sku_oos'
  | 'days_of_cover'
  | 'nps'
  | 'est_lost_sales';

export interface DemoThreshold {
  greenMin: number;
  yellowMin: number;
  redThreshold: number;
  comparisonBasis: 'rolling_4w' | 'same_period_ly' | 'absolute';
  priority: number;
}

export interface DemoKpiDefinition {
  kpiCode: KpiCode;
  name: string;
  description: string;
  /** '$' stands for the organization's currency and is replaced by it. */
  unit: string;
  calculationMethod: 'sum' | 'average' | 'ratio' | 'count' | 'latest';
  category: 'sales' | 'labor' | 'inventory' | 'hr' | 'customer' | 'operations';
  direction: 'higher_is_better' | 'lower_is_better';
  /** Organization default; null = reported, not rated. */
  threshold: DemoThreshold | null;
}

const vsBaseline = (greenMin: number, yellowMin: number, priority: number): DemoThreshold => ({
  greenMin,
  yellowMin,
  redThreshold: yellowMin,
  comparisonBasis: 'rolling_4w',
  priority,
});

const absolute = (greenMin: number, yellowMin: number, priority: number): DemoThreshold => ({
  greenMin,
  yellowMin,
  redThreshold: yellowMin,
  comparisonBasis: 'absolute',
  priority,
});

export const demoKpiDefinitions: readonly DemoKpiDefinition[] = [
  {
    kpiCode: 'sales',
    name: 'Net sales',
    description: 'Net sales of the day after returns and discounts, excluding tax.',
    unit: '$',
    calculationMethod: 'sum',
    category: 'sales',
    direction: 'higher_is_better',
    threshold: vsBaseline(95, 85, 1),
  },
  {
    kpiCode: 'transactions',
    name: 'Transactions',
    description: 'Completed sales receipts (baskets) of the day.',
    unit: 'count',
    calculationMethod: 'sum',
    category: 'sales',
    direction: 'higher_is_better',
    threshold: vsBaseline(95, 85, 2),
  },
  {
    kpiCode: 'traffic',
    name: 'Store traffic',
    description: 'Visitors counted by the door counters.',
    unit: 'count',
    calculationMethod: 'sum',
    category: 'sales',
    direction: 'higher_is_better',
    threshold: vsBaseline(92, 80, 3),
  },
  {
    kpiCode: 'conversion_rate',
    name: 'Conversion rate',
    description: 'Transactions ÷ traffic × 100: the share of visitors who bought something.',
    unit: '%',
    calculationMethod: 'ratio',
    category: 'sales',
    direction: 'higher_is_better',
    threshold: absolute(20, 16, 2),
  },
  {
    kpiCode: 'avg_basket',
    name: 'Average basket',
    description: 'Net sales ÷ transactions: the value of an average receipt.',
    unit: '$',
    calculationMethod: 'ratio',
    category: 'sales',
    direction: 'higher_is_better',
    threshold: vsBaseline(93, 85, 3),
  },
  {
    kpiCode: 'labor_coverage',
    name: 'Labor coverage',
    description: 'Available staff hours ÷ required staff hours × 100 over all shifts of the day.',
    unit: '%',
    calculationMethod: 'ratio',
    category: 'labor',
    direction: 'higher_is_better',
    threshold: absolute(95, 85, 1),
  },
  {
    kpiCode: 'callout_hours',
    name: 'Call-out hours',
    description: 'Scheduled hours lost to call-outs that nobody covered that day.',
    unit: 'hours',
    calculationMethod: 'sum',
    category: 'labor',
    direction: 'lower_is_better',
    threshold: absolute(8, 16, 2),
  },
  {
    kpiCode: 'overtime_hours',
    name: 'Overtime hours',
    description: 'Hours worked beyond contract, mostly to cover call-outs.',
    unit: 'hours',
    calculationMethod: 'sum',
    category: 'labor',
    direction: 'lower_is_better',
    threshold: absolute(12, 20, 4),
  },
  {
    kpiCode: 'shrink_pct',
    name: 'Shrink',
    description: 'Inventory lost to theft, damage and errors as % of net sales.',
    unit: '%',
    calculationMethod: 'ratio',
    category: 'inventory',
    direction: 'lower_is_better',
    threshold: absolute(1.6, 2.2, 3),
  },
  {
    kpiCode: 'top_sku_oos',
    name: 'Top SKUs out of stock',
    description: 'Top-selling SKUs with nothing on hand in the day’s inventory snapshot (the demo tracks 20 per store).',
    unit: 'count',
    calculationMethod: 'count',
    category: 'inventory',
    direction: 'lower_is_better',
    threshold: absolute(2, 4, 2),
  },
  {
    kpiCode: 'days_of_cover',
    name: 'Days of cover',
    description: 'Average days of cover of the top SKUs (quantity on hand ÷ average daily sales; 0 when out of stock).',
    unit: 'days',
    calculationMethod: 'average',
    category: 'inventory',
    direction: 'higher_is_better',
    threshold: absolute(10, 6, 3),
  },
  {
    kpiCode: 'nps',
    name: 'Net promoter score',
    description: 'NPS from the day’s receipt surveys (−100 to 100).',
    unit: 'score',
    calculationMethod: 'average',
    category: 'customer',
    direction: 'higher_is_better',
    threshold: absolute(35, 20, 4),
  },
  {
    kpiCode: 'est_lost_sales',
    name: 'Estimated lost sales',
    description: 'Sales estimated lost to out-of-stock events that started that day (store-local date).',
    unit: '$',
    calculationMethod: 'sum',
    category: 'inventory',
    direction: 'lower_is_better',
    // What counts as a lot depends on the store's size, so the KPI is reported but not rated.
    threshold: null,
  },
];

export const demoKpiCodes = demoKpiDefinitions.map((k) => k.kpiCode);
