import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { organizations } from '../../core/db/schema.js';

/** Seed 002 (promotion planning): all eleven tables, plus the planning state the seed implies (opportunities, forecasts, backtests). */
export const promotions = pgSchema('promotions');

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => tstz('created_at').notNull().defaultNow();
const updatedAt = () => tstz('updated_at').notNull().defaultNow();
const money = (name: string) => numeric(name, { precision: 15, scale: 2, mode: 'number' });
const pct = (name: string) => numeric(name, { precision: 6, scale: 2, mode: 'number' });
const orgId = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });

export const channels = ['online', 'offline'] as const;
export type Channel = (typeof channels)[number];

export const scenarioTypes = ['conservative', 'balanced', 'aggressive', 'flash', 'best_deal', 'coupon', 'member_only'] as const;
export type ScenarioType = (typeof scenarioTypes)[number];

/** One line of a scenario's `mechanics` array (seed 002). */
export interface Mechanic {
  department: string;
  channel: Channel;
  discount_pct: number;
  segments: string[];
  notes?: string;
}

export interface KpiBreakdownLine {
  sales_value: number;
  margin_value: number;
  margin_pct: number;
  units: number;
  baseline_sales_value?: number;
  baseline_margin_value?: number;
  baseline_units?: number;
}

/** scenario_kpis.kpi_breakdown (seed 002 shape; extra fields are additive). */
export interface KpiBreakdown {
  by_channel: (KpiBreakdownLine & { channel: Channel })[];
  by_department: (KpiBreakdownLine & { department: string })[];
  by_segment: (KpiBreakdownLine & { segment_id: string })[];
  [extra: string]: unknown;
}

export interface ValidationIssue {
  type: string;
  severity: 'low' | 'medium' | 'high' | 'blocker';
  message: string;
  suggested_fix?: string;
  affected_department?: string;
  affected_channel?: string;
  [extra: string]: unknown;
}

/**
 * Daily sales by channel × department × promo flag. `promo_flag` is NOT NULL (seed: DEFAULT FALSE) so the seed's
 * unique key cannot be bypassed with NULLs; the key is per organization.
 */
export const salesAggregated = promotions.table(
  'sales_aggregated',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: orgId(),
    date: date('date', { mode: 'string' }).notNull(),
    channel: varchar('channel', { length: 20 }).$type<Channel>().notNull(),
    department: varchar('department', { length: 50 }).notNull(),
    promoFlag: boolean('promo_flag').notNull().default(false),
    discountPct: numeric('discount_pct', { precision: 5, scale: 2, mode: 'number' }),
    salesValue: money('sales_value').notNull(),
    marginValue: money('margin_value').notNull(),
    // The seed's expression, clamped so that a tiny sale with a large loss cannot overflow NUMERIC(5,2).
    marginPct: numeric('margin_pct', { precision: 5, scale: 2, mode: 'number' }).generatedAlwaysAs(
      sql`CASE WHEN sales_value > 0 THEN LEAST(GREATEST(margin_value / sales_value * 100, -999.99), 999.99) ELSE 0 END`,
    ),
    units: integer('units').notNull(),
    /** The data_processing_jobs row that last wrote this row (null for API/demo writes). */
    importJobId: uuid('import_job_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('unique_sales_record').on(t.organizationId, t.date, t.channel, t.department, t.promoFlag),
    index('idx_sales_date').on(t.organizationId, t.date),
    index('idx_sales_channel').on(t.organizationId, t.channel),
    index('idx_sales_department').on(t.organizationId, t.department),
    index('idx_sales_promo').on(t.organizationId, t.promoFlag),
    index('idx_sales_date_channel').on(t.organizationId, t.date, t.channel),
    index('idx_sales_date_department').on(t.organizationId, t.date, t.department),
    check('sales_aggregated_channel_check', sql`${t.channel} IN ('online', 'offline')`),
  ],
);

/** Monthly demand gaps (forecast vs target) by department × channel, ranked by money; each can seed scenarios. */
export const opportunities = promotions.table(
  'opportunities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    month: varchar('month', { length: 7 }).notNull(),
    department: varchar('department', { length: 50 }).notNull(),
    channel: varchar('channel', { length: 20 }).$type<Channel>().notNull(),
    forecastSalesValue: money('forecast_sales_value').notNull(),
    forecastMarginValue: money('forecast_margin_value').notNull(),
    forecastUnits: integer('forecast_units').notNull(),
    targetSalesValue: money('target_sales_value').notNull(),
    targetMarginPct: pct('target_margin_pct'),
    /** target − forecast; positive means the month falls short. */
    gapValue: money('gap_value').notNull(),
    gapPct: pct('gap_pct').notNull(),
    rank: integer('rank').notNull(),
    /** open / planned (a scenario exists) / dismissed */
    status: varchar('status', { length: 20 }).notNull().default('open'),
    forecastModel: varchar('forecast_model', { length: 40 }).notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    computedAt: tstz('computed_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('opportunities_org_month_dept_channel_key').on(t.organizationId, t.month, t.department, t.channel),
    index('opportunities_org_rank_idx').on(t.organizationId, t.month, t.rank),
  ],
);

export const promoScenarios = promotions.table(
  'promo_scenarios',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    label: varchar('label', { length: 100 }).notNull(),
    sourceOpportunityId: uuid('source_opportunity_id').references(() => opportunities.id, { onDelete: 'set null' }),
    dateRangeStart: date('date_range_start', { mode: 'string' }).notNull(),
    dateRangeEnd: date('date_range_end', { mode: 'string' }).notNull(),
    scenarioType: varchar('scenario_type', { length: 50 }).$type<ScenarioType>(),
    mechanics: jsonb('mechanics').$type<Mechanic[]>().notNull(),
    createdBy: varchar('created_by', { length: 100 }),
    /** draft / approved / archived; a scenario whose period has passed is judged by its post-mortem. */
    status: varchar('status', { length: 20 }).notNull().default('draft'),
    description: text('description'),
    copiedFromId: uuid('copied_from_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_scenarios_date_range').on(t.organizationId, t.dateRangeStart, t.dateRangeEnd),
    index('idx_scenarios_type').on(t.organizationId, t.scenarioType),
    index('idx_scenarios_created_at').on(t.organizationId, t.createdAt),
    check('promo_scenarios_date_check', sql`${t.dateRangeEnd} >= ${t.dateRangeStart}`),
    check(
      'promo_scenarios_scenario_type_check',
      sql`${t.scenarioType} IN ('conservative', 'balanced', 'aggressive', 'flash', 'best_deal', 'coupon', 'member_only')`,
    ),
  ],
);

/**
 * Computed KPIs of a scenario. Every save inserts a row; `is_current` marks the one the scenario shows (older rows stay,
 * because a post-mortem compares actuals with the forecast that was current when the promotion ran).
 */
export const scenarioKpis = promotions.table(
  'scenario_kpis',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    scenarioId: uuid('scenario_id')
      .notNull()
      .references(() => promoScenarios.id, { onDelete: 'cascade' }),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    totalSalesValue: money('total_sales_value').notNull(),
    totalMarginValue: money('total_margin_value').notNull(),
    totalMarginPct: numeric('total_margin_pct', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    totalEbit: money('total_ebit').notNull(),
    totalUnits: integer('total_units').notNull(),
    salesValueDelta: money('sales_value_delta').notNull(),
    marginValueDelta: money('margin_value_delta').notNull(),
    ebitDelta: money('ebit_delta').notNull(),
    unitsDelta: integer('units_delta').notNull(),
    kpiBreakdown: jsonb('kpi_breakdown').$type<KpiBreakdown>().notNull(),
    baselineSalesValue: money('baseline_sales_value').notNull(),
    baselineMarginValue: money('baseline_margin_value').notNull(),
    baselineEbit: money('baseline_ebit').notNull(),
    baselineUnits: integer('baseline_units').notNull(),
    /** Promo costs charged against EBIT (definition in docs/decisions.md). */
    promoCosts: money('promo_costs').notNull().default(0),
    /** The uplift_coefficients model_version(s) used, e.g. "v3" (or "mixed" with details in kpi_breakdown.uplift). */
    upliftModelVersion: varchar('uplift_model_version', { length: 20 }).notNull(),
    baselineModel: varchar('baseline_model', { length: 40 }).notNull(),
    isCurrent: boolean('is_current').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_kpis_scenario').on(t.scenarioId),
    index('idx_kpis_period').on(t.organizationId, t.periodStart, t.periodEnd),
    uniqueIndex('scenario_kpis_one_current_key')
      .on(t.scenarioId)
      .where(sql`${t.isCurrent}`),
    check('scenario_kpis_period_check', sql`${t.periodEnd} >= ${t.periodStart}`),
  ],
);

export const validationReports = promotions.table(
  'validation_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    scenarioId: uuid('scenario_id')
      .notNull()
      .references(() => promoScenarios.id, { onDelete: 'cascade' }),
    status: varchar('status', { length: 20 }).$type<'PASS' | 'WARN' | 'BLOCK'>().notNull(),
    issues: jsonb('issues').$type<ValidationIssue[]>(),
    overallScore: integer('overall_score'),
    /** The scenario_kpis row that was validated, and the thresholds in force. */
    kpiId: uuid('kpi_id').references(() => scenarioKpis.id, { onDelete: 'set null' }),
    thresholds: jsonb('thresholds').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('validation_reports_scenario_id_key').on(t.scenarioId),
    index('idx_validation_status').on(t.organizationId, t.status),
    index('idx_validation_scenario').on(t.scenarioId),
    check('validation_reports_status_check', sql`${t.status} IN ('PASS', 'WARN', 'BLOCK')`),
    check('validation_reports_score_check', sql`${t.overallScore} >= 0 AND ${t.overallScore} <= 100`),
  ],
);

export const postMortemReports = promotions.table(
  'post_mortem_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    scenarioId: uuid('scenario_id')
      .notNull()
      .references(() => promoScenarios.id, { onDelete: 'cascade' }),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    forecastKpiId: uuid('forecast_kpi_id').references(() => scenarioKpis.id),
    actualSalesValue: money('actual_sales_value').notNull(),
    actualMarginValue: money('actual_margin_value').notNull(),
    actualMarginPct: numeric('actual_margin_pct', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    actualEbit: money('actual_ebit').notNull(),
    actualUnits: integer('actual_units').notNull(),
    salesValueErrorPct: pct('sales_value_error_pct').notNull(),
    marginValueErrorPct: pct('margin_value_error_pct').notNull(),
    ebitErrorPct: pct('ebit_error_pct').notNull(),
    unitsErrorPct: pct('units_error_pct').notNull(),
    postPromoDip: jsonb('post_promo_dip').$type<Record<string, unknown>>(),
    cannibalizationSignals: jsonb('cannibalization_signals').$type<Record<string, unknown>[]>(),
    insights: text('insights').array(),
    learningPoints: text('learning_points').array(),
    /** The uplift_coefficients model_version this post-mortem produced (null when nothing was learned). */
    learnedModelVersion: varchar('learned_model_version', { length: 20 }),
    /** Per mechanic: observed uplift vs forecast, the inputs of the learning step. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_postmortem_scenario').on(t.scenarioId),
    index('idx_postmortem_period').on(t.organizationId, t.periodStart, t.periodEnd),
    check('post_mortem_reports_period_check', sql`${t.periodEnd} >= ${t.periodStart}`),
  ],
);

export const creativeBriefs = promotions.table(
  'creative_briefs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    scenarioId: uuid('scenario_id')
      .notNull()
      .references(() => promoScenarios.id, { onDelete: 'cascade' }),
    brief: jsonb('brief').$type<Record<string, unknown>>().notNull(),
    assets: jsonb('assets').$type<Record<string, unknown>[]>(),
    /** 'offline' or the model that drafted it; 'edited' once a person changed it. */
    generatedBy: varchar('generated_by', { length: 100 }).notNull().default('offline'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('idx_creative_scenario').on(t.scenarioId)],
);

/** CDP segments; the seed's primary key `segment_id` becomes (organization_id, segment_id). */
export const segments = promotions.table(
  'segments',
  {
    organizationId: orgId(),
    segmentId: varchar('segment_id', { length: 50 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    shareOfCustomers: numeric('share_of_customers', { precision: 5, scale: 4, mode: 'number' }).notNull(),
    shareOfRevenue: numeric('share_of_revenue', { precision: 5, scale: 4, mode: 'number' }).notNull(),
    avgBasketValue: numeric('avg_basket_value', { precision: 10, scale: 2, mode: 'number' }).notNull(),
    favCategories: text('fav_categories').array(),
    discountSensitivity: varchar('discount_sensitivity', { length: 20 }).$type<'low' | 'medium' | 'high'>(),
    purchaseFrequency: numeric('purchase_frequency', { precision: 5, scale: 2, mode: 'number' }),
    lastPurchaseDaysAgo: integer('last_purchase_days_ago'),
    importJobId: uuid('import_job_id'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'segments_pkey', columns: [t.organizationId, t.segmentId] }),
    check('segments_share_of_customers_check', sql`${t.shareOfCustomers} >= 0 AND ${t.shareOfCustomers} <= 1`),
    check('segments_share_of_revenue_check', sql`${t.shareOfRevenue} >= 0 AND ${t.shareOfRevenue} <= 1`),
    check('segments_discount_sensitivity_check', sql`${t.discountSensitivity} IN ('low', 'medium', 'high')`),
  ],
);

/**
 * Uplift per department × channel × discount band, one row per model_version. The newest version of a key is the one
 * in use; older rows are its history. `source`: prior (configured), history (fitted from sales), learned (post-mortem).
 */
export const upliftCoefficients = promotions.table(
  'uplift_coefficients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    department: varchar('department', { length: 50 }).notNull(),
    channel: varchar('channel', { length: 20 }).$type<Channel>().notNull(),
    discountBand: varchar('discount_band', { length: 20 }).notNull(),
    upliftSalesPct: pct('uplift_sales_pct').notNull(),
    upliftUnitsPct: pct('uplift_units_pct').notNull(),
    marginImpactPct: pct('margin_impact_pct').notNull(),
    confidence: numeric('confidence', { precision: 3, scale: 2, mode: 'number' }),
    sampleSize: integer('sample_size'),
    modelVersion: varchar('model_version', { length: 20 }).notNull(),
    source: varchar('source', { length: 20 }).notNull().default('history'),
    /** Sales lost in the days after the promotion, % of baseline over the dip window; null when unknown. */
    postPromoDipPct: pct('post_promo_dip_pct'),
    /** Sales lost by neighbouring departments during the promotion, % of this promotion's incremental sales. */
    cannibalizationPct: pct('cannibalization_pct'),
    postMortemId: uuid('post_mortem_id').references(() => postMortemReports.id, { onDelete: 'set null' }),
    /** What the learning step saw: prior, observation, weights. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('uplift_coefficients_key').on(t.organizationId, t.department, t.channel, t.discountBand, t.modelVersion),
    index('idx_uplift_department').on(t.organizationId, t.department),
    index('idx_uplift_channel').on(t.organizationId, t.channel),
    index('idx_uplift_version').on(t.organizationId, t.modelVersion),
    check('uplift_coefficients_channel_check', sql`${t.channel} IN ('online', 'offline')`),
    check('uplift_coefficients_confidence_check', sql`${t.confidence} >= 0 AND ${t.confidence} <= 1`),
  ],
);

export interface ProcessingJobFile {
  name: string;
  bytes: number;
  sha256: string;
  status: 'queued' | 'processing' | 'processed' | 'failed';
  records: number;
  sheet?: string | null;
  error?: string;
}

/** Import jobs (seed: "data processing jobs from the Data Analyst Agent"); `kind` says what is imported. */
export const dataProcessingJobs = promotions.table(
  'data_processing_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    jobId: varchar('job_id', { length: 100 }).notNull().unique('data_processing_jobs_job_id_key'),
    /** sales / promo_catalog / targets / segments */
    kind: varchar('kind', { length: 30 }).notNull(),
    status: varchar('status', { length: 20 }).$type<'queued' | 'processing' | 'completed' | 'failed'>().notNull(),
    filesQueued: integer('files_queued').notNull(),
    filesProcessed: integer('files_processed').default(0),
    recordsProcessed: bigint('records_processed', { mode: 'number' }).default(0),
    errors: integer('errors').default(0),
    result: jsonb('result').$type<Record<string, unknown>>(),
    errorMessage: text('error_message'),
    startedAt: tstz('started_at'),
    completedAt: tstz('completed_at'),
    createdAt: createdAt(),
    files: jsonb('files').$type<ProcessingJobFile[]>().notNull().default([]),
    /** Column mapping and options the job ran with (target field → source header, constants, date order…). */
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    /** Rows read so far across files, for progress bars; records_processed counts rows written. */
    recordsRead: integer('records_read').notNull().default(0),
    recordsTotal: integer('records_total'),
    createdBy: varchar('created_by', { length: 100 }),
  },
  (t) => [
    index('idx_jobs_status').on(t.organizationId, t.status),
    index('idx_jobs_created_at').on(t.organizationId, t.createdAt),
    check('data_processing_jobs_status_check', sql`${t.status} IN ('queued', 'processing', 'completed', 'failed')`),
  ],
);

/**
 * Monthly targets by geography; `department`/`channel` (added) narrow a target, null meaning the whole business.
 * Unique per (organization, month, geo, department, channel).
 */
export const targets = promotions.table(
  'targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    month: varchar('month', { length: 7 }).notNull(),
    geo: varchar('geo', { length: 10 }).notNull(),
    salesValueTarget: money('sales_value_target').notNull(),
    marginPctTarget: numeric('margin_pct_target', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    unitsTarget: integer('units_target'),
    department: varchar('department', { length: 50 }),
    channel: varchar('channel', { length: 20 }).$type<Channel>(),
    importJobId: uuid('import_job_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('targets_month_geo_key').on(t.organizationId, t.month, t.geo, sql`coalesce(${t.department}, '')`, sql`coalesce(${t.channel}, '')`),
    index('idx_targets_month').on(t.organizationId, t.month),
    index('idx_targets_geo').on(t.organizationId, t.geo),
    check('targets_month_check', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
  ],
);

/** Historical promotions (the promo calendar); re-importing a source file replaces that file's rows. */
export const promoCatalog = promotions.table(
  'promo_catalog',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    promoName: varchar('promo_name', { length: 200 }),
    dateStart: date('date_start', { mode: 'string' }).notNull(),
    dateEnd: date('date_end', { mode: 'string' }).notNull(),
    departments: text('departments').array(),
    channels: text('channels').array(),
    avgDiscountPct: numeric('avg_discount_pct', { precision: 5, scale: 2, mode: 'number' }),
    mechanics: jsonb('mechanics').$type<Record<string, unknown>>(),
    sourceFile: varchar('source_file', { length: 500 }),
    importJobId: uuid('import_job_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_promo_dates').on(t.organizationId, t.dateStart, t.dateEnd),
    index('idx_promo_departments').using('gin', t.departments),
    index('idx_promo_source_file').on(t.organizationId, t.sourceFile),
    check('promo_catalog_date_check', sql`${t.dateEnd} >= ${t.dateStart}`),
  ],
);

/** Baseline (no-promotion) forecasts per department × channel × day, from the model the backtest chose. */
export const baselineForecasts = promotions.table(
  'baseline_forecasts',
  {
    organizationId: orgId(),
    department: varchar('department', { length: 50 }).notNull(),
    channel: varchar('channel', { length: 20 }).$type<Channel>().notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    model: varchar('model', { length: 40 }).notNull(),
    forecastSalesValue: money('forecast_sales_value').notNull(),
    forecastMarginValue: money('forecast_margin_value').notNull(),
    forecastUnits: integer('forecast_units').notNull(),
    lowerSalesValue: money('lower_sales_value'),
    upperSalesValue: money('upper_sales_value'),
    /** Last history date the model saw. */
    trainedThrough: date('trained_through', { mode: 'string' }).notNull(),
    generatedAt: tstz('generated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'baseline_forecasts_pkey', columns: [t.organizationId, t.department, t.channel, t.date] })],
);

/** Rolling-origin backtests of the baseline models; the newest completed run decides the model per department × channel. */
export const forecastBacktests = promotions.table(
  'forecast_backtests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    status: varchar('status', { length: 20 }).notNull(),
    /** horizon, folds, step, models compared, data range */
    parameters: jsonb('parameters').$type<Record<string, unknown>>().notNull(),
    /** per department × channel: metrics of every model and the one chosen */
    results: jsonb('results').$type<Record<string, unknown>[]>().notNull().default([]),
    /** totals over all series per model */
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull().default({}),
    errorMessage: text('error_message'),
    startedAt: tstz('started_at').notNull(),
    completedAt: tstz('completed_at'),
    createdBy: varchar('created_by', { length: 100 }),
  },
  (t) => [index('forecast_backtests_org_started_idx').on(t.organizationId, t.startedAt)],
);
