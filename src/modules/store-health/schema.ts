import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, numeric, pgSchema, primaryKey, text, time, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations } from '../../core/db/schema.js';

/** Seed 000 (Store Health AI Agent): every table but organizations and system_config, which live in core. */
export const storeHealth = pgSchema('store_health');

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => tstz('created_at').notNull().defaultNow();
const updatedAt = () => tstz('updated_at').notNull().defaultNow();
const decimal = (name: string, precision = 14, scale = 4) => numeric(name, { precision, scale, mode: 'number' });
const orgId = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });

/** green/yellow/red are the seed's; `closed` (closed day or holiday) and `no_data` are never red. */
export type KpiStatus = 'green' | 'yellow' | 'red' | 'closed' | 'no_data';

/** Opening hours per ISO weekday (1 = Monday … 7 = Sunday), local time in the store's time zone. */
export type OpeningHours = Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', { open: string; close: string }[]>>;

export const regions = storeHealth.table(
  'regions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    name: text('name').notNull(),
    managerName: text('manager_name'),
    managerEmail: text('manager_email'),
    managerPhone: text('manager_phone'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('regions_org_name_key').on(t.organizationId, t.name)],
);

export const districts = storeHealth.table(
  'districts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    managerName: text('manager_name'),
    managerEmail: text('manager_email'),
    managerPhone: text('manager_phone'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('districts_org_name_key').on(t.organizationId, t.name), index('districts_region_idx').on(t.regionId)],
);

export const stores = storeHealth.table(
  'stores',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeCode: text('store_code').notNull(),
    name: text('name').notNull(),
    address: text('address'),
    city: text('city'),
    state: text('state'),
    zipCode: text('zip_code'),
    timezone: text('timezone').notNull().default('UTC'),
    phone: text('phone'),
    managerName: text('manager_name'),
    managerPhone: text('manager_phone'),
    managerEmail: text('manager_email'),
    regionId: uuid('region_id').references(() => regions.id, { onDelete: 'set null' }),
    districtId: uuid('district_id').references(() => districts.id, { onDelete: 'set null' }),
    /** active / inactive / closed */
    status: text('status').notNull().default('active'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    /** Weekly opening hours; a weekday without entries is a regular closed day. */
    openingHours: jsonb('opening_hours').$type<OpeningHours>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('stores_org_code_key').on(t.organizationId, t.storeCode),
    index('stores_district_idx').on(t.districtId),
    index('stores_region_idx').on(t.regionId),
  ],
);

/** Holidays and one-off closures; a null store_id closes every store of the organization that day. */
export const storeClosures = storeHealth.table(
  'store_closures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id').references(() => stores.id, { onDelete: 'cascade' }),
    closureDate: date('closure_date').notNull(),
    /** holiday / closed */
    kind: text('kind').notNull().default('holiday'),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('store_closures_store_day_key')
      .on(t.organizationId, t.storeId, t.closureDate)
      .where(sql`${t.storeId} is not null`),
    uniqueIndex('store_closures_org_day_key')
      .on(t.organizationId, t.closureDate)
      .where(sql`${t.storeId} is null`),
  ],
);

export const kpiDefinitions = storeHealth.table(
  'kpi_definitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    kpiCode: text('kpi_code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    /** %, $, count, ratio, hours, days */
    unit: text('unit').notNull(),
    /** sum, average, ratio, latest, derived */
    calculationMethod: text('calculation_method').notNull().default('sum'),
    /** sales / labor / inventory / hr / customer / operations */
    category: text('category').notNull(),
    /** higher_is_better or lower_is_better: decides how thresholds read. */
    direction: text('direction').notNull().default('higher_is_better'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('kpi_definitions_org_code_key').on(t.organizationId, t.kpiCode)],
);

export const kpiThresholds = storeHealth.table(
  'kpi_thresholds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kpiDefinitionId: uuid('kpi_definition_id')
      .notNull()
      .references(() => kpiDefinitions.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
    /** null = organization default; set = override for one store (takes precedence). */
    storeId: uuid('store_id').references(() => stores.id, { onDelete: 'cascade' }),
    greenMin: decimal('green_min'),
    yellowMin: decimal('yellow_min'),
    redThreshold: decimal('red_threshold'),
    /** rolling_4w / same_period_ly / absolute */
    comparisonBasis: text('comparison_basis').notNull().default('rolling_4w'),
    /** 1 (most important) – 5; weights the health score and orders escalations. */
    priority: integer('priority').notNull().default(3),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('kpi_thresholds_org_default_key')
      .on(t.organizationId, t.kpiDefinitionId)
      .where(sql`${t.storeId} is null`),
    uniqueIndex('kpi_thresholds_store_key')
      .on(t.organizationId, t.kpiDefinitionId, t.storeId)
      .where(sql`${t.storeId} is not null`),
  ],
);

/**
 * Daily KPI values, one row per (store, KPI, date). Partitioned by month on metric_date in the migration
 * (drizzle-kit cannot express partitioning); the primary key includes the partition key for that reason.
 */
export const kpiMetrics = storeHealth.table(
  'kpi_metrics',
  {
    id: uuid('id').notNull().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    kpiDefinitionId: uuid('kpi_definition_id')
      .notNull()
      .references(() => kpiDefinitions.id, { onDelete: 'cascade' }),
    metricDate: date('metric_date').notNull(),
    metricTimestamp: tstz('metric_timestamp'),
    /** null when the day is closed or the value is missing. */
    value: decimal('value', 18, 4),
    comparisonValue: decimal('comparison_value', 18, 4),
    comparisonType: text('comparison_type'),
    variancePct: decimal('variance_pct', 12, 4),
    status: text('status').$type<KpiStatus | null>(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.metricDate] }),
    uniqueIndex('kpi_metrics_store_kpi_date_key').on(t.storeId, t.kpiDefinitionId, t.metricDate),
    index('kpi_metrics_date_idx').on(t.metricDate),
    index('kpi_metrics_org_date_idx').on(t.organizationId, t.metricDate),
  ],
);

export const storeHealthSnapshots = storeHealth.table(
  'store_health_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    snapshotDate: date('snapshot_date').notNull(),
    overallStatus: text('overall_status').$type<KpiStatus>().notNull(),
    healthScore: decimal('health_score', 5, 2),
    redKpiCount: integer('red_kpi_count').notNull().default(0),
    yellowKpiCount: integer('yellow_kpi_count').notNull().default(0),
    greenKpiCount: integer('green_kpi_count').notNull().default(0),
    escalationLevel: integer('escalation_level').notNull().default(0),
    riskProbability: decimal('risk_probability', 6, 4),
    summary: text('summary'),
    actionRequired: boolean('action_required').notNull().default(false),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('store_health_snapshots_store_date_key').on(t.storeId, t.snapshotDate),
    index('store_health_snapshots_org_date_idx').on(t.organizationId, t.snapshotDate),
  ],
);

export const kpiStatusHistory = storeHealth.table(
  'kpi_status_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    kpiDefinitionId: uuid('kpi_definition_id')
      .notNull()
      .references(() => kpiDefinitions.id, { onDelete: 'cascade' }),
    date: date('date').notNull(),
    previousStatus: text('previous_status').$type<KpiStatus | null>(),
    currentStatus: text('current_status').$type<KpiStatus>().notNull(),
    value: decimal('value', 18, 4),
    variancePct: decimal('variance_pct', 12, 4),
    durationInStatus: integer('duration_in_status').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('kpi_status_history_store_kpi_date_key').on(t.storeId, t.kpiDefinitionId, t.date)],
);

export const alerts = storeHealth.table(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    /** null for a district-level alert that replaces several store pages. */
    storeId: uuid('store_id').references(() => stores.id, { onDelete: 'cascade' }),
    districtId: uuid('district_id').references(() => districts.id, { onDelete: 'set null' }),
    kpiDefinitionId: uuid('kpi_definition_id').references(() => kpiDefinitions.id, { onDelete: 'cascade' }),
    /** store or district */
    scope: text('scope').notNull().default('store'),
    /** Identity of the condition (e.g. store:<id>:kpi:<id>); at most one open alert per key. */
    dedupeKey: text('dedupe_key').notNull(),
    /** District alert this store alert was folded into. */
    parentAlertId: uuid('parent_alert_id'),
    alertDate: tstz('alert_date').notNull(),
    /** yellow / red / critical */
    severity: text('severity').notNull(),
    escalationLevel: integer('escalation_level').notNull().default(0),
    /** active / acknowledged / resolved / expired */
    status: text('status').notNull().default('active'),
    title: text('title').notNull(),
    message: text('message'),
    requiresAcknowledgment: boolean('requires_acknowledgment').notNull().default(true),
    acknowledgedAt: tstz('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    resolvedAt: tstz('resolved_at'),
    /** SLA deadline, counted in store opening hours. */
    expiresAt: tstz('expires_at'),
    /** Persisted escalation timer: when the escalation engine must look at this alert next. */
    nextEscalationAt: tstz('next_escalation_at'),
    snoozedUntil: tstz('snoozed_until'),
    /** Consecutive days the condition has held (raises severity to critical when it persists). */
    daysInCondition: integer('days_in_condition').notNull().default(1),
    lastEvaluatedDate: date('last_evaluated_date'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('alerts_open_dedupe_key')
      .on(t.organizationId, t.dedupeKey)
      .where(sql`${t.status} in ('active', 'acknowledged')`),
    index('alerts_store_status_date_idx').on(t.storeId, t.status, t.alertDate),
    index('alerts_next_escalation_idx')
      .on(t.nextEscalationAt)
      .where(sql`${t.status} in ('active', 'acknowledged')`),
  ],
);

export const tasks = storeHealth.table(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    alertId: uuid('alert_id').references(() => alerts.id, { onDelete: 'set null' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    kpiDefinitionId: uuid('kpi_definition_id').references(() => kpiDefinitions.id, { onDelete: 'set null' }),
    /** review / action / escalation / follow_up */
    taskType: text('task_type').notNull(),
    priority: integer('priority').notNull().default(3),
    title: text('title').notNull(),
    description: text('description'),
    /** store_manager / shift_lead / district_manager / regional_manager / head_office */
    assignedToRole: text('assigned_to_role').notNull().default('store_manager'),
    assignedToName: text('assigned_to_name'),
    assignedToContact: text('assigned_to_contact'),
    /** pending / in_progress / completed / cancelled */
    status: text('status').notNull().default('pending'),
    dueDate: tstz('due_date'),
    completedAt: tstz('completed_at'),
    completedBy: text('completed_by'),
    outcome: text('outcome'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('tasks_store_status_due_idx').on(t.storeId, t.status, t.dueDate), index('tasks_alert_idx').on(t.alertId)],
);

export const escalations = storeHealth.table(
  'escalations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id').references(() => stores.id, { onDelete: 'cascade' }),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    taskId: uuid('task_id').references(() => tasks.id, { onDelete: 'set null' }),
    ruleId: uuid('rule_id'),
    fromLevel: integer('from_level').notNull(),
    toLevel: integer('to_level').notNull(),
    escalationReason: text('escalation_reason'),
    /** threshold / sla_breach / manual / predicted_risk */
    triggeredBy: text('triggered_by').notNull(),
    escalatedAt: tstz('escalated_at').notNull(),
    escalatedToRole: text('escalated_to_role'),
    escalatedToName: text('escalated_to_name'),
    escalatedToContact: text('escalated_to_contact'),
    /** pending / acknowledged / resolved */
    status: text('status').notNull().default('pending'),
    resolution: text('resolution'),
    resolvedAt: tstz('resolved_at'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('escalations_store_status_at_idx').on(t.storeId, t.status, t.escalatedAt),
    // One escalation per alert and step: a second worker's attempt fails instead of escalating twice.
    uniqueIndex('escalations_alert_step_key').on(t.alertId, t.fromLevel, t.toLevel),
  ],
);

export const escalationRules = storeHealth.table(
  'escalation_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    /** null = applies to every KPI */
    kpiDefinitionId: uuid('kpi_definition_id').references(() => kpiDefinitions.id, { onDelete: 'cascade' }),
    name: text('name'),
    /** status_red / status_yellow / sla_breach / predicted_risk */
    triggerCondition: text('trigger_condition').notNull(),
    durationHours: integer('duration_hours').notNull().default(0),
    fromLevel: integer('from_level').notNull(),
    toLevel: integer('to_level').notNull(),
    /** create_task / send_alert / ai_call / regional_escalation */
    action: text('action').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('escalation_rules_org_idx').on(t.organizationId)],
);

export const aiCalls = storeHealth.table(
  'ai_calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    alertId: uuid('alert_id').references(() => alerts.id, { onDelete: 'set null' }),
    taskId: uuid('task_id').references(() => tasks.id, { onDelete: 'set null' }),
    escalationId: uuid('escalation_id').references(() => escalations.id, { onDelete: 'set null' }),
    /** green / yellow / red */
    callType: text('call_type').notNull(),
    /** scheduled / in_progress / completed / failed / no_answer */
    callStatus: text('call_status').notNull().default('scheduled'),
    recipientName: text('recipient_name'),
    recipientPhone: text('recipient_phone'),
    callInitiatedAt: tstz('call_initiated_at'),
    callConnectedAt: tstz('call_connected_at'),
    callEndedAt: tstz('call_ended_at'),
    callDurationSeconds: integer('call_duration_seconds'),
    transcript: text('transcript'),
    sentiment: text('sentiment'),
    /** yes / later / no_answer / other */
    response: text('response'),
    followUpRequired: boolean('follow_up_required').notNull().default(false),
    recordingUrl: text('recording_url'),
    externalCallId: text('external_call_id'),
    provider: text('provider').notNull().default('simulated'),
    scriptId: uuid('script_id'),
    scriptVersion: integer('script_version'),
    attempt: integer('attempt').notNull().default(1),
    /** When a redial is due (no answer / voicemail inside the call window). */
    nextAttemptAt: tstz('next_attempt_at'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('ai_calls_store_initiated_idx').on(t.storeId, t.callInitiatedAt), index('ai_calls_external_idx').on(t.externalCallId)],
);

export const callScripts = storeHealth.table(
  'call_scripts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    /** green / yellow / red */
    scriptType: text('script_type').notNull(),
    version: integer('version').notNull(),
    scriptContent: text('script_content').notNull(),
    /** Placeholders the content uses, e.g. {"store_name": "Store name"}. */
    variables: jsonb('variables').$type<Record<string, string>>().notNull().default({}),
    isActive: boolean('is_active').notNull().default(true),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('call_scripts_org_type_version_key').on(t.organizationId, t.scriptType, t.version)],
);

export const riskPredictions = storeHealth.table(
  'risk_predictions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    /** null for a store-level (overall) prediction. */
    kpiDefinitionId: uuid('kpi_definition_id').references(() => kpiDefinitions.id, { onDelete: 'cascade' }),
    predictionDate: date('prediction_date').notNull(),
    targetDate: date('target_date').notNull(),
    /** sales / labor / inventory / overall */
    predictionType: text('prediction_type').notNull(),
    predictedStatus: text('predicted_status').$type<KpiStatus>().notNull(),
    predictedValue: decimal('predicted_value', 18, 4),
    /** 0–100 */
    confidenceScore: decimal('confidence_score', 5, 2),
    contributingFactors: jsonb('contributing_factors').$type<Record<string, unknown>[]>().notNull().default([]),
    modelVersion: text('model_version').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('risk_predictions_store_target_type_idx').on(t.storeId, t.targetDate, t.predictionType),
    uniqueIndex('risk_predictions_natural_key').on(t.storeId, t.kpiDefinitionId, t.predictionDate, t.targetDate, t.predictionType, t.modelVersion),
  ],
);

export const laborSchedules = storeHealth.table(
  'labor_schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    scheduleDate: date('schedule_date').notNull(),
    shiftStart: time('shift_start').notNull(),
    shiftEnd: time('shift_end').notNull(),
    requiredHours: decimal('required_hours', 10, 2).notNull(),
    scheduledHours: decimal('scheduled_hours', 10, 2).notNull(),
    availableHours: decimal('available_hours', 10, 2),
    coverageRatio: decimal('coverage_ratio', 8, 4),
    status: text('status').$type<KpiStatus>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('labor_schedules_store_date_shift_key').on(t.storeId, t.scheduleDate, t.shiftStart)],
);

export const laborCallouts = storeHealth.table(
  'labor_callouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    laborScheduleId: uuid('labor_schedule_id').references(() => laborSchedules.id, { onDelete: 'set null' }),
    calloutDate: date('callout_date').notNull(),
    employeeName: text('employee_name').notNull(),
    shiftAffected: text('shift_affected').notNull().default(''),
    hoursLost: decimal('hours_lost', 8, 2).notNull(),
    isFilled: boolean('is_filled').notNull().default(false),
    filledBy: text('filled_by'),
    isPeakHours: boolean('is_peak_hours').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('labor_callouts_natural_key').on(t.storeId, t.calloutDate, t.employeeName, t.shiftAffected)],
);

export const inventoryLevels = storeHealth.table(
  'inventory_levels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    productName: text('product_name'),
    category: text('category'),
    snapshotDate: date('snapshot_date').notNull(),
    quantityOnHand: integer('quantity_on_hand').notNull(),
    averageDailySales: decimal('average_daily_sales', 12, 4),
    daysOfCover: decimal('days_of_cover', 10, 2),
    isTopSku: boolean('is_top_sku').notNull().default(false),
    isOutOfStock: boolean('is_out_of_stock').notNull().default(false),
    status: text('status').$type<KpiStatus>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('inventory_levels_store_sku_date_key').on(t.storeId, t.sku, t.snapshotDate),
    index('inventory_levels_store_date_top_idx').on(t.storeId, t.snapshotDate, t.isTopSku),
  ],
);

export const outOfStockEvents = storeHealth.table(
  'out_of_stock_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    productName: text('product_name'),
    outOfStockAt: tstz('out_of_stock_at').notNull(),
    restockedAt: tstz('restocked_at'),
    durationHours: integer('duration_hours'),
    estimatedLostSales: decimal('estimated_lost_sales', 14, 2),
    isTopSku: boolean('is_top_sku').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('out_of_stock_events_store_sku_at_key').on(t.storeId, t.sku, t.outOfStockAt)],
);
