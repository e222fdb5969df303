// Shapes of the /api/promotions answers (JSON in camelCase, as the routes' zod response schemas declare them).

export type Channel = 'online' | 'offline';
export const CHANNELS: Channel[] = ['online', 'offline'];

export const SCENARIO_TYPES = ['conservative', 'balanced', 'aggressive', 'flash', 'best_deal', 'coupon', 'member_only'] as const;
export type ScenarioType = (typeof SCENARIO_TYPES)[number];

export type Page = { limit: number; offset: number; total: number };
export type ListResponse<T> = { data: T[]; page: Page };

// ---------------------------------------------------------------- sales & forecast

export type SalesSummary = {
  departments: string[];
  channels: string[];
  from: string | null;
  to: string | null;
  rows: number;
  promoDays: number;
  series: { department: string; channel: string; from: string; to: string; rows: number; promoDays: number; salesValue: number }[];
};

/** One day of GET /sales/daily; sales are null on days without a row (the baseline is still there). */
export type SalesDay = {
  date: string;
  salesValue: number | null;
  marginValue: number | null;
  units: number | null;
  promo: boolean;
  discountPct: number | null;
  baselineSalesValue: number;
  baselineMarginValue: number;
  baselineUnits: number;
};

export type SalesDaily = {
  from: string;
  to: string;
  department: string | null;
  channel: string | null;
  lastSalesDate: string | null;
  baselineModel: string;
  modelBySeries: Record<string, string>;
  baselineNote: string;
  days: SalesDay[];
};

// ---------------------------------------------------------------- imports

export const IMPORT_KINDS = ['sales', 'promo-catalog', 'targets', 'segments'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type ImportFileState = {
  name: string;
  bytes: number;
  sha256?: string;
  status: 'queued' | 'processing' | 'processed' | 'failed';
  records: number;
  sheet?: string | null;
  error?: string;
};

export type ImportRowError = { file?: string | null; sheet?: string | null; row?: number | null; column?: string | null; message: string };

export type ImportJob = {
  id: string;
  jobId: string;
  kind: string;
  status: 'queued' | 'processing' | 'completed' | 'failed';
  filesQueued: number;
  filesProcessed: number | null;
  recordsProcessed: number | null;
  recordsRead: number;
  recordsTotal: number | null;
  errors: number | null;
  result: Record<string, unknown> | null;
  errorMessage: string | null;
  files: ImportFileState[];
  options?: Record<string, unknown>;
  startedAt: string | null;
  completedAt: string | null;
  createdAt: string;
  createdBy?: string | null;
};

export type ImportPreview = {
  fileName: string;
  format: string;
  sheet: string | null;
  sheets: { name: string; state: string; chart: boolean; rows: number }[];
  encoding: string | null;
  delimiter: string | null;
  headerRow: number | null;
  headers: { letter: string; header: string }[];
  sampleRows: { row: number; cells: string[] }[];
  /** field → header text of the column the importer would read it from */
  suggestedMapping: Record<string, string>;
  columns: Record<string, string>;
  missingFields: { field: string; description: string }[];
  fields: { field: string; required: boolean; description: string }[];
  problems: ImportRowError[];
};

export type ImportOptions = {
  map?: Record<string, string>;
  set?: Record<string, string>;
  sheet?: string;
  dateOrder?: 'dmy' | 'mdy';
  aggregate?: boolean;
};

// ---------------------------------------------------------------- planning

export type Mechanic = { department: string; channel: Channel; discount_pct: number; segments: string[]; notes?: string };

export type BreakdownLine = {
  sales_value: number;
  margin_value?: number;
  margin_pct: number;
  units: number;
  baseline_sales_value?: number;
  baseline_margin_value?: number;
  baseline_units?: number;
};

export type KpiBreakdown = {
  by_channel: (BreakdownLine & { channel: string })[];
  by_department: (BreakdownLine & { department: string })[];
  by_segment: (BreakdownLine & { segment_id: string })[];
  [extra: string]: unknown;
};

export type ScenarioKpis = {
  id?: string;
  periodStart: string;
  periodEnd: string;
  totalSalesValue: number;
  totalMarginValue: number;
  totalMarginPct: number;
  totalEbit: number;
  totalUnits: number;
  salesValueDelta: number;
  marginValueDelta: number;
  ebitDelta: number;
  unitsDelta: number;
  baselineSalesValue: number;
  baselineMarginValue: number;
  baselineEbit: number;
  baselineUnits: number;
  promoCosts: number;
  kpiBreakdown: KpiBreakdown;
  upliftModelVersion: string;
  baselineModel: string;
  ms?: number;
  createdAt?: string;
  isCurrent?: boolean;
  perMechanic?: MechanicForecast[];
};

export type MechanicForecast = {
  index: number;
  department: string;
  channel: Channel;
  discountPct: number;
  segments: string[];
  baselineSalesValue: number;
  salesValue: number;
  marginValue: number;
  units: number;
  promoCosts: number;
  coefficient: {
    discountBand: string;
    upliftSalesPct: number;
    upliftUnitsPct: number;
    marginImpactPct: number;
    modelVersion: string;
    confidence: number | null;
    sampleSize: number | null;
    source?: string;
  };
};

export type ValidationStatus = 'PASS' | 'WARN' | 'BLOCK';

export type ValidationIssue = {
  type: string;
  severity: 'low' | 'medium' | 'high' | 'blocker';
  message: string;
  suggested_fix?: string;
  affected_department?: string;
  affected_channel?: string;
  [extra: string]: unknown;
};

export type ValidationReport = {
  id: string;
  scenarioId: string;
  status: ValidationStatus;
  issues: ValidationIssue[] | null;
  overallScore: number | null;
  thresholds?: Record<string, unknown>;
  createdAt: string;
  updatedAt?: string;
};

export type Scenario = {
  id: string;
  label: string;
  sourceOpportunityId: string | null;
  dateRangeStart: string;
  dateRangeEnd: string;
  scenarioType: ScenarioType | null;
  mechanics: Mechanic[];
  createdBy: string | null;
  status: string;
  description: string | null;
  copiedFromId: string | null;
  createdAt: string;
  updatedAt: string;
  currentKpis: ScenarioKpis | null;
};

export type ScenarioInput = {
  label: string;
  scenarioType: ScenarioType | null;
  dateRangeStart: string;
  dateRangeEnd: string;
  mechanics: Mechanic[];
  description?: string | null;
  sourceOpportunityId?: string | null;
};

export type Opportunity = {
  id: string;
  month: string;
  department: string;
  channel: Channel;
  forecastSalesValue: number;
  forecastMarginValue: number;
  forecastUnits: number;
  targetSalesValue: number;
  targetMarginPct: number | null;
  gapValue: number;
  gapPct: number;
  rank: number;
  status: string;
  forecastModel: string;
  details: Record<string, unknown>;
  computedAt: string;
};

export type UpliftCoefficient = {
  id: string;
  department: string;
  channel: Channel;
  discountBand: string;
  upliftSalesPct: number;
  upliftUnitsPct: number;
  marginImpactPct: number;
  confidence: number | null;
  sampleSize: number | null;
  modelVersion: string;
  source: string;
  postPromoDipPct: number | null;
  cannibalizationPct: number | null;
  postMortemId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
};

export type Segment = {
  segmentId: string;
  name: string;
  shareOfCustomers: number;
  shareOfRevenue: number;
  avgBasketValue: number;
  discountSensitivity: string | null;
};

// ---------------------------------------------------------------- learning

export type ComparisonRow = Record<string, unknown> & { scenarioId?: string; id?: string; label?: string };

export type PostMortem = {
  id: string;
  scenarioId: string;
  periodStart: string;
  periodEnd: string;
  forecastKpiId: string | null;
  actualSalesValue: number;
  actualMarginValue: number;
  actualMarginPct: number;
  actualEbit: number;
  actualUnits: number;
  salesValueErrorPct: number;
  marginValueErrorPct: number;
  ebitErrorPct: number;
  unitsErrorPct: number;
  postPromoDip: Record<string, unknown> | null;
  cannibalizationSignals: Record<string, unknown>[] | null;
  insights: string[] | null;
  learningPoints: string[] | null;
  learnedModelVersion: string | null;
  details: Record<string, unknown>;
  createdAt: string;
  [extra: string]: unknown;
};

export type CreativeBrief = {
  id: string;
  scenarioId: string;
  brief: Record<string, unknown>;
  assets: Record<string, unknown>[] | null;
  generatedBy: string;
  createdAt: string;
  updatedAt: string;
};

// ---------------------------------------------------------------- backtest

export type ModelScore = { wape: number | null; mase: number | null; days: number };

export type SeriesBacktestResult = {
  department: string;
  channel: string;
  folds: number;
  scoredDays: number;
  dipDays: number;
  /** Every model's score (seasonal_naive, dow_average, mstl, mstl_log, seed_dow_sql); null where it could not be fitted. */
  models: Record<string, ModelScore | null>;
  chosen: string | null;
};

export type BacktestSummaryLine = { wape: number | null; mase: number | null; days: number; series: number };

export type BacktestSummary = {
  models: Record<string, BacktestSummaryLine>;
  chosen: BacktestSummaryLine;
  chosenCounts: Record<string, number>;
  series: number;
  ms: number;
};

/** Where a running backtest is, in `parameters.progress`: `current` of `total` series done, `series` the one being fitted. */
export type BacktestProgress = {
  step: 'starting' | 'backtest' | 'forecasts' | 'done';
  current: number;
  total: number;
  /** "department|channel" */
  series: string | null;
  at: string;
};

export type Backtest = {
  id: string;
  status: string;
  parameters: Record<string, unknown>;
  results: SeriesBacktestResult[];
  summary: BacktestSummary | Record<string, never>;
  errorMessage: string | null;
  startedAt: string;
  completedAt: string | null;
  createdBy?: string | null;
};
