import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { organizations, users as coreUsers } from '../../core/db/schema.js';

/**
 * Seed 004 (coaching performance management): all ten tables, per organization. Triggers, the
 * `team_performance_summary` materialized view and the 13-month archival function live in the hand-written
 * migration `coaching_triggers_views`.
 */
export const coaching = pgSchema('coaching');

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => tstz('created_at').notNull().defaultNow();
const updatedAt = () => tstz('updated_at').notNull().defaultNow();
const score = (name: string) => numeric(name, { precision: 5, scale: 2, mode: 'number' });
const orgId = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const roles = ['ADMIN', 'MANAGER', 'TEAM_LEADER', 'AGENT'] as const;
export type Role = (typeof roles)[number];
export const personStatuses = ['ACTIVE', 'PIP', 'LEAVE', 'TERMINATED'] as const;
export type PersonStatus = (typeof personStatuses)[number];
export const periodTypes = ['WEEK', 'MONTH', 'QUARTER'] as const;
export type PeriodType = (typeof periodTypes)[number];
export const sessionTypes = ['REGULAR', 'FOLLOW_UP', 'PIP_CHECK', 'URGENT'] as const;
export type SessionType = (typeof sessionTypes)[number];
export const sessionStatuses = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW'] as const;
export type SessionStatus = (typeof sessionStatuses)[number];
export const noteTypes = ['POSITIVE', 'COACHING', 'URGENT', 'COMPLIANCE', 'GENERAL'] as const;
export type NoteType = (typeof noteTypes)[number];
export const priorities = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type Priority = (typeof priorities)[number];
export const actionItemStatuses = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'OVERDUE', 'CANCELLED'] as const;
export type ActionItemStatus = (typeof actionItemStatuses)[number];
export const planStatuses = ['DRAFT', 'ACTIVE', 'COMPLETED', 'EXTENDED', 'FAILED', 'CANCELLED'] as const;
export type PlanStatus = (typeof planStatuses)[number];
export const checkInFrequencies = ['DAILY', 'TWICE_WEEKLY', 'WEEKLY', 'BIWEEKLY'] as const;
export type CheckInFrequency = (typeof checkInFrequencies)[number];
export const planOutcomes = ['SUCCESS', 'FAILURE', 'EXTENDED', 'RESIGNED'] as const;
export type PlanOutcome = (typeof planOutcomes)[number];
export const learningStyles = ['VISUAL', 'AUDITORY', 'KINESTHETIC', 'READING'] as const;
export type LearningStyle = (typeof learningStyles)[number];
export const importTypes = ['METRICS', 'USERS', 'COACHING_HISTORY', 'PROFILES'] as const;
export type ImportType = (typeof importTypes)[number];
export const importStatuses = ['VALIDATING', 'PROCESSING', 'SUCCESS', 'PARTIAL_SUCCESS', 'FAILED', 'ROLLED_BACK'] as const;
export type ImportStatus = (typeof importStatuses)[number];

/**
 * The seed's `users`: the people of a contact centre (admins, managers, team leaders, agents). Sign-in identity
 * (password hash, last login, reset token) stays in core.users; `user_id` links a person who signs in, and is null
 * for an agent who never logs in.
 */
export const users = coaching.table(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    userId: uuid('user_id').references(() => coreUsers.id, { onDelete: 'set null' }),
    /** Contact e-mail (optional); the sign-in e-mail is core.users.email. */
    email: varchar('email', { length: 255 }),
    name: varchar('name', { length: 255 }).notNull(),
    role: varchar('role', { length: 20 }).$type<Role>().notNull(),
    teamLeaderId: uuid('team_leader_id').references((): AnyPgColumn => users.id),
    managerId: uuid('manager_id').references((): AnyPgColumn => users.id),
    department: varchar('department', { length: 100 }),
    employeeId: varchar('employee_id', { length: 50 }),
    hireDate: date('hire_date', { mode: 'string' }),
    phone: varchar('phone', { length: 20 }),
    avatarUrl: varchar('avatar_url', { length: 500 }),
    status: varchar('status', { length: 20 }).$type<PersonStatus>().notNull().default('ACTIVE'),
    learningStyle: varchar('learning_style', { length: 50 }),
    shiftPattern: varchar('shift_pattern', { length: 50 }),
    timezone: varchar('timezone', { length: 50 }).notNull().default('UTC'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: tstz('deleted_at'),
  },
  (t) => [
    uniqueIndex('coaching_users_org_email_key')
      .on(t.organizationId, sql`lower(${t.email})`)
      .where(sql`${t.email} IS NOT NULL AND ${t.deletedAt} IS NULL`),
    uniqueIndex('coaching_users_org_employee_key').on(t.organizationId, t.employeeId),
    uniqueIndex('coaching_users_org_user_key').on(t.organizationId, t.userId),
    index('idx_users_role').on(t.organizationId, t.role),
    index('idx_users_team_leader').on(t.teamLeaderId),
    index('idx_users_manager').on(t.managerId),
    index('idx_users_status')
      .on(t.organizationId, t.status)
      .where(sql`${t.deletedAt} IS NULL`),
    check('coaching_users_role_check', sql`${t.role} IN (${inList(roles)})`),
    check('coaching_users_status_check', sql`${t.status} IN (${inList(personStatuses)})`),
    check('coaching_users_not_own_leader_check', sql`${t.teamLeaderId} IS DISTINCT FROM ${t.id} AND ${t.managerId} IS DISTINCT FROM ${t.id}`),
  ],
);

/** Daily metrics per agent; `composite_score` is the seed's generated column. */
export const performanceMetrics = coaching.table(
  'performance_metrics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id),
    metricDate: date('metric_date', { mode: 'string' }).notNull(),
    serviceScore: score('service_score'),
    productivityScore: score('productivity_score'),
    qualityScore: score('quality_score'),
    attendanceRate: score('attendance_rate'),
    adherenceScore: score('adherence_score'),
    csat: numeric('csat', { precision: 3, scale: 2, mode: 'number' }),
    fcr: score('fcr'),
    aht: integer('aht'),
    callsHandled: integer('calls_handled'),
    callsTransferred: integer('calls_transferred'),
    callsEscalated: integer('calls_escalated'),
    scheduledHours: numeric('scheduled_hours', { precision: 4, scale: 2, mode: 'number' }),
    actualHours: numeric('actual_hours', { precision: 4, scale: 2, mode: 'number' }),
    breakTimeMinutes: integer('break_time_minutes'),
    lunchTimeMinutes: integer('lunch_time_minutes'),
    auxTimeMinutes: integer('aux_time_minutes'),
    scriptAdherence: score('script_adherence'),
    complianceScore: score('compliance_score'),
    qaScore: score('qa_score'),
    compositeScore: score('composite_score').generatedAlwaysAs(
      sql`(service_score * 0.25 + productivity_score * 0.20 + quality_score * 0.20 + attendance_rate * 0.20 + adherence_score * 0.15)`,
    ),
    importedFrom: varchar('imported_from', { length: 255 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('performance_metrics_org_agent_date_key').on(t.organizationId, t.agentId, t.metricDate),
    index('idx_metrics_agent_date').on(t.agentId, t.metricDate.desc()),
    index('idx_metrics_date').on(t.organizationId, t.metricDate.desc()),
    index('idx_metrics_composite').on(t.organizationId, t.compositeScore),
    check('performance_metrics_service_score_check', sql`${t.serviceScore} >= 0 AND ${t.serviceScore} <= 100`),
    check('performance_metrics_productivity_score_check', sql`${t.productivityScore} >= 0 AND ${t.productivityScore} <= 100`),
    check('performance_metrics_quality_score_check', sql`${t.qualityScore} >= 0 AND ${t.qualityScore} <= 100`),
    check('performance_metrics_attendance_rate_check', sql`${t.attendanceRate} >= 0 AND ${t.attendanceRate} <= 100`),
    check('performance_metrics_adherence_score_check', sql`${t.adherenceScore} >= 0 AND ${t.adherenceScore} <= 100`),
  ],
);

/** Weekly / monthly / quarterly aggregates per agent (recomputed from performance_metrics). */
export const performanceHistory = coaching.table(
  'performance_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id),
    periodType: varchar('period_type', { length: 10 }).$type<PeriodType>().notNull(),
    periodEnding: date('period_ending', { mode: 'string' }).notNull(),
    avgServiceScore: score('avg_service_score'),
    avgProductivityScore: score('avg_productivity_score'),
    avgQualityScore: score('avg_quality_score'),
    avgAttendanceRate: score('avg_attendance_rate'),
    avgAdherenceScore: score('avg_adherence_score'),
    avgCompositeScore: score('avg_composite_score'),
    serviceTrend: score('service_trend'),
    productivityTrend: score('productivity_trend'),
    qualityTrend: score('quality_trend'),
    attendanceTrend: score('attendance_trend'),
    adherenceTrend: score('adherence_trend'),
    scoreVariance: score('score_variance'),
    daysWorked: integer('days_worked'),
    annotations: jsonb('annotations').$type<{ events?: { date: string; type: string; description: string }[]; [k: string]: unknown }>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('performance_history_org_agent_period_key').on(t.organizationId, t.agentId, t.periodType, t.periodEnding),
    index('idx_history_agent_period').on(t.agentId, t.periodEnding.desc()),
    check('performance_history_period_type_check', sql`${t.periodType} IN (${inList(periodTypes)})`),
  ],
);

export const coachingSessions = coaching.table(
  'coaching_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id),
    teamLeaderId: uuid('team_leader_id')
      .notNull()
      .references(() => users.id),
    scheduledDate: tstz('scheduled_date').notNull(),
    /** Planned length (not in the seed): what double-booking checks and calendars need before the session happens. */
    plannedMinutes: integer('planned_minutes').notNull().default(30),
    actualStartTime: tstz('actual_start_time'),
    actualEndTime: tstz('actual_end_time'),
    durationMinutes: integer('duration_minutes').generatedAlwaysAs(sql`(EXTRACT(EPOCH FROM (actual_end_time - actual_start_time)) / 60)::integer`),
    sessionType: varchar('session_type', { length: 20 }).$type<SessionType>().notNull().default('REGULAR'),
    status: varchar('status', { length: 20 }).$type<SessionStatus>().notNull().default('SCHEDULED'),
    prepData: jsonb('prep_data').$type<Record<string, unknown>>(),
    topicsCovered: text('topics_covered').array(),
    discussionNotes: text('discussion_notes'),
    agentCommitments: text('agent_commitments'),
    resourcesShared: text('resources_shared').array(),
    engagementScore: integer('engagement_score'),
    receptivenessScore: integer('receptiveness_score'),
    understandingScore: integer('understanding_score'),
    overallEffectiveness: integer('overall_effectiveness'),
    keyAchievements: text('key_achievements'),
    areasOfConcern: text('areas_of_concern'),
    followUpRequired: boolean('follow_up_required').notNull().default(false),
    followUpDate: date('follow_up_date', { mode: 'string' }),
    followUpTopics: text('follow_up_topics').array(),
    cancelledReason: text('cancelled_reason'),
    noShowReason: text('no_show_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_sessions_agent').on(t.agentId, t.scheduledDate.desc()),
    index('idx_sessions_leader').on(t.teamLeaderId, t.scheduledDate.desc()),
    index('idx_sessions_status').on(t.organizationId, t.status),
    index('idx_sessions_date').on(t.organizationId, t.scheduledDate),
    check('coaching_sessions_session_type_check', sql`${t.sessionType} IN (${inList(sessionTypes)})`),
    check('coaching_sessions_status_check', sql`${t.status} IN (${inList(sessionStatuses)})`),
    check('coaching_sessions_engagement_score_check', sql`${t.engagementScore} BETWEEN 1 AND 5`),
    check('coaching_sessions_receptiveness_score_check', sql`${t.receptivenessScore} BETWEEN 1 AND 5`),
    check('coaching_sessions_understanding_score_check', sql`${t.understandingScore} BETWEEN 1 AND 5`),
    check('coaching_sessions_overall_effectiveness_check', sql`${t.overallEffectiveness} BETWEEN 1 AND 5`),
    check('coaching_sessions_planned_minutes_check', sql`${t.plannedMinutes} BETWEEN 5 AND 480`),
    check('coaching_sessions_times_check', sql`${t.actualEndTime} IS NULL OR ${t.actualStartTime} IS NULL OR ${t.actualEndTime} >= ${t.actualStartTime}`),
  ],
);

export const quickNotes = coaching.table(
  'quick_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    teamLeaderId: uuid('team_leader_id')
      .notNull()
      .references(() => users.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id),
    noteType: varchar('note_type', { length: 20 }).$type<NoteType>().notNull(),
    category: varchar('category', { length: 100 }),
    subcategory: varchar('subcategory', { length: 100 }),
    content: text('content').notNull(),
    callId: varchar('call_id', { length: 100 }),
    customerId: varchar('customer_id', { length: 100 }),
    timestampOccurred: tstz('timestamp_occurred').defaultNow(),
    priority: varchar('priority', { length: 10 }).$type<Priority>().notNull().default('MEDIUM'),
    requiresFollowUp: boolean('requires_follow_up').notNull().default(false),
    linkedSessionId: uuid('linked_session_id').references(() => coachingSessions.id, { onDelete: 'set null' }),
    addressed: boolean('addressed').notNull().default(false),
    addressedDate: tstz('addressed_date'),
    addressedNotes: text('addressed_notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_notes_agent_unaddressed')
      .on(t.agentId, t.addressed)
      .where(sql`${t.addressed} = false`),
    index('idx_notes_leader').on(t.teamLeaderId, t.createdAt.desc()),
    index('idx_notes_priority')
      .on(t.organizationId, t.priority, t.createdAt.desc())
      .where(sql`${t.addressed} = false`),
    index('idx_notes_session').on(t.linkedSessionId),
    check('quick_notes_note_type_check', sql`${t.noteType} IN (${inList(noteTypes)})`),
    check('quick_notes_priority_check', sql`${t.priority} IN (${inList(priorities)})`),
  ],
);

export const actionItems = coaching.table(
  'action_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    sessionId: uuid('session_id').references(() => coachingSessions.id, { onDelete: 'set null' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id),
    assignedBy: uuid('assigned_by')
      .notNull()
      .references(() => users.id),
    title: varchar('title', { length: 255 }).notNull(),
    description: text('description').notNull(),
    category: varchar('category', { length: 100 }),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    reminderDate: date('reminder_date', { mode: 'string' }),
    completedDate: tstz('completed_date'),
    priority: varchar('priority', { length: 10 }).$type<Priority>().notNull().default('MEDIUM'),
    status: varchar('status', { length: 20 }).$type<ActionItemStatus>().notNull().default('PENDING'),
    progressPercentage: integer('progress_percentage').notNull().default(0),
    progressNotes: text('progress_notes'),
    blockers: text('blockers'),
    completionNotes: text('completion_notes'),
    verifiedBy: uuid('verified_by').references(() => users.id),
    verificationDate: tstz('verification_date'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_actions_agent_status').on(t.agentId, t.status, t.dueDate),
    index('idx_actions_session').on(t.sessionId),
    index('idx_actions_due')
      .on(t.organizationId, t.dueDate)
      .where(sql`${t.status} IN ('PENDING', 'IN_PROGRESS')`),
    check('action_items_priority_check', sql`${t.priority} IN (${inList(priorities)})`),
    check('action_items_status_check', sql`${t.status} IN (${inList(actionItemStatuses)})`),
    check('action_items_progress_percentage_check', sql`${t.progressPercentage} >= 0 AND ${t.progressPercentage} <= 100`),
  ],
);

export interface TargetMetric {
  target: number;
  current?: number;
  [extra: string]: unknown;
}
export interface SuccessCriteria {
  mandatory: string[];
  recommended?: string[];
  [extra: string]: unknown;
}

/** Performance improvement plans (PIPs). */
export const actionPlans = coaching.table(
  'action_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    approvedBy: uuid('approved_by').references(() => users.id),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    targetEndDate: date('target_end_date', { mode: 'string' }).notNull(),
    actualEndDate: date('actual_end_date', { mode: 'string' }),
    extensionCount: integer('extension_count').notNull().default(0),
    status: varchar('status', { length: 20 }).$type<PlanStatus>().notNull().default('DRAFT'),
    reasonForPlan: text('reason_for_plan').notNull(),
    targetMetrics: jsonb('target_metrics').$type<Record<string, TargetMetric>>().notNull(),
    successCriteria: jsonb('success_criteria').$type<SuccessCriteria>().notNull(),
    checkInFrequency: varchar('check_in_frequency', { length: 20 }).$type<CheckInFrequency>().notNull().default('WEEKLY'),
    nextCheckInDate: date('next_check_in_date', { mode: 'string' }),
    progressUpdates: jsonb('progress_updates').$type<Record<string, unknown>[]>(),
    currentScore: score('current_score'),
    outcome: varchar('outcome', { length: 20 }).$type<PlanOutcome>(),
    outcomeNotes: text('outcome_notes'),
    lessonsLearned: text('lessons_learned'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_plans_agent_active')
      .on(t.agentId)
      .where(sql`${t.status} = 'ACTIVE'`),
    index('idx_plans_check_in')
      .on(t.organizationId, t.nextCheckInDate)
      .where(sql`${t.status} = 'ACTIVE'`),
    index('idx_plans_agent').on(t.agentId, t.startDate),
    check('action_plans_status_check', sql`${t.status} IN (${inList(planStatuses)})`),
    check('action_plans_check_in_frequency_check', sql`${t.checkInFrequency} IN (${inList(checkInFrequencies)})`),
    check('action_plans_outcome_check', sql`${t.outcome} IN (${inList(planOutcomes)})`),
    check('action_plans_dates_check', sql`${t.targetEndDate} >= ${t.startDate}`),
    check('action_plans_extension_count_check', sql`${t.extensionCount} >= 0`),
  ],
);

export const coachingEffectiveness = coaching.table(
  'coaching_effectiveness',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    sessionId: uuid('session_id').references(() => coachingSessions.id, { onDelete: 'set null' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id),
    teamLeaderId: uuid('team_leader_id')
      .notNull()
      .references(() => users.id),
    primaryIssue: varchar('primary_issue', { length: 255 }),
    interventionMethod: varchar('intervention_method', { length: 255 }),
    metricsBefore: jsonb('metrics_before').$type<Record<string, unknown>>(),
    metricsAfter: jsonb('metrics_after').$type<Record<string, unknown>>(),
    measurementPeriodDays: integer('measurement_period_days').notNull().default(14),
    improvementPercentage: score('improvement_percentage'),
    sustainedAfter30Days: boolean('sustained_after_30_days'),
    sustainedAfter90Days: boolean('sustained_after_90_days'),
    successFactors: text('success_factors').array(),
    failureFactors: text('failure_factors').array(),
    recommendedForSimilarIssues: boolean('recommended_for_similar_issues').notNull().default(false),
    notes: text('notes'),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_effectiveness_agent').on(t.agentId),
    index('idx_effectiveness_method').on(t.organizationId, t.interventionMethod),
    index('idx_effectiveness_session').on(t.sessionId),
    check('coaching_effectiveness_measurement_period_check', sql`${t.measurementPeriodDays} > 0`),
  ],
);

/** One profile per agent (the seed's primary key is the agent). */
export const agentProfiles = coaching.table(
  'agent_profiles',
  {
    agentId: uuid('agent_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
    learningStyle: varchar('learning_style', { length: 20 }).$type<LearningStyle>().notNull(),
    preferredFeedbackMethod: varchar('preferred_feedback_method', { length: 100 }),
    primaryMotivators: text('primary_motivators').array(),
    demotivators: text('demotivators').array(),
    coreStrengths: text('core_strengths').array(),
    developmentAreas: text('development_areas').array(),
    hiddenTalents: text('hidden_talents').array(),
    stressIndicators: text('stress_indicators').array(),
    successPatterns: text('success_patterns').array(),
    bestCoachingTime: varchar('best_coaching_time', { length: 50 }),
    preferredSessionLength: integer('preferred_session_length'),
    respondsWellTo: text('responds_well_to').array(),
    careerAspirations: text('career_aspirations'),
    personalGoals: text('personal_goals'),
    peerComparisonOptIn: boolean('peer_comparison_opt_in').notNull().default(true),
    percentileRanking: jsonb('percentile_ranking').$type<Record<string, number | string | null>>(),
    profileCreatedBy: uuid('profile_created_by').references(() => users.id),
    lastUpdatedBy: uuid('last_updated_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_agent_profiles_org').on(t.organizationId),
    check('agent_profiles_learning_style_check', sql`${t.learningStyle} IN (${inList(learningStyles)})`),
  ],
);

/** Every import (audit, SHA-256 dedup, rollback). */
export const importLogs = coaching.table(
  'import_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    fileName: varchar('file_name', { length: 255 }).notNull(),
    fileSizeBytes: bigint('file_size_bytes', { mode: 'number' }),
    fileHash: varchar('file_hash', { length: 64 }),
    importType: varchar('import_type', { length: 20 }).$type<ImportType>().notNull(),
    importedBy: uuid('imported_by')
      .notNull()
      .references(() => users.id),
    totalRows: integer('total_rows'),
    processedRows: integer('processed_rows'),
    successfulRows: integer('successful_rows'),
    failedRows: integer('failed_rows'),
    skippedRows: integer('skipped_rows'),
    status: varchar('status', { length: 20 }).$type<ImportStatus>().notNull(),
    startedAt: tstz('started_at').notNull().defaultNow(),
    completedAt: tstz('completed_at'),
    processingTimeSeconds: integer('processing_time_seconds').generatedAlwaysAs(sql`(EXTRACT(EPOCH FROM (completed_at - started_at)))::integer`),
    errorSummary: text('error_summary'),
    errorDetails: jsonb('error_details').$type<{ row: number; error: string; [extra: string]: unknown }[]>(),
    rollbackAvailable: boolean('rollback_available').notNull().default(true),
    rollbackExecutedAt: tstz('rollback_executed_at'),
    rollbackExecutedBy: uuid('rollback_executed_by').references(() => users.id),
    fileStoragePath: varchar('file_storage_path', { length: 500 }),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_imports_status').on(t.organizationId, t.status, t.createdAt.desc()),
    index('idx_imports_user').on(t.importedBy, t.createdAt.desc()),
    // The same file (same SHA-256) is imported once per organization and type, unless that import failed or was rolled back.
    uniqueIndex('import_logs_org_type_hash_key')
      .on(t.organizationId, t.importType, t.fileHash)
      .where(sql`${t.fileHash} IS NOT NULL AND ${t.status} NOT IN ('FAILED', 'ROLLED_BACK')`),
    check('import_logs_import_type_check', sql`${t.importType} IN (${inList(importTypes)})`),
    check('import_logs_status_check', sql`${t.status} IN (${inList(importStatuses)})`),
  ],
);

export const rowChangeActions = ['INSERTED', 'UPDATED'] as const;
export type RowChangeAction = (typeof rowChangeActions)[number];

/**
 * What each import did to each daily metrics row (not in the seed): the values it replaced, so a rollback restores
 * exactly the previous row, and the values it wrote, so a rollback can tell whether a later import changed the row since.
 */
export const importRowChanges = coaching.table(
  'import_row_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    importLogId: uuid('import_log_id')
      .notNull()
      .references(() => importLogs.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id),
    metricDate: date('metric_date', { mode: 'string' }).notNull(),
    action: varchar('action', { length: 10 }).$type<RowChangeAction>().notNull(),
    /** The whole metrics row before the import (metric columns and imported_from); null when the import inserted it. */
    previousValues: jsonb('previous_values').$type<Record<string, unknown>>(),
    newValues: jsonb('new_values').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('import_row_changes_import_agent_date_key').on(t.importLogId, t.agentId, t.metricDate),
    index('import_row_changes_org_agent_date_idx').on(t.organizationId, t.agentId, t.metricDate),
    check('import_row_changes_action_check', sql`${t.action} IN (${inList(rowChangeActions)})`),
  ],
);

export const notificationKinds = [
  'ACTION_ITEM_REMINDER',
  'ACTION_ITEM_OVERDUE',
  'PLAN_PROPOSED',
  'PLAN_CHECK_IN_DUE',
  'SESSION_UPCOMING',
  'IMPORT_FINISHED',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/**
 * Reminders and proposals for a person (not in the seed): written by the daily jobs, read in the person's inbox.
 * `dedup_key` makes a job that runs twice on the same day write each reminder once.
 */
export const notifications = coaching.table(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    recipientId: uuid('recipient_id')
      .notNull()
      .references(() => users.id),
    kind: varchar('kind', { length: 30 }).$type<NotificationKind>().notNull(),
    title: varchar('title', { length: 255 }).notNull(),
    body: text('body'),
    /** What the notification is about: action_item, action_plan, coaching_session, import_log. */
    subjectType: varchar('subject_type', { length: 30 }),
    subjectId: uuid('subject_id'),
    dedupKey: varchar('dedup_key', { length: 200 }).notNull(),
    readAt: tstz('read_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('notifications_org_dedup_key').on(t.organizationId, t.dedupKey),
    index('notifications_recipient_idx').on(t.recipientId, t.createdAt.desc()),
    check('notifications_kind_check', sql`${t.kind} IN (${inList(notificationKinds)})`),
  ],
);
