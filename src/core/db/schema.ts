import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, numeric, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Shared tables of the platform; modules own their own schemas and never write here directly. */
export const core = pgSchema('core');

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => tstz('created_at').notNull().defaultNow();
const updatedAt = () => tstz('updated_at').notNull().defaultNow();

/** Seed 000 `organizations` plus a URL-safe slug. */
export const organizations = core.table('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * People who can sign in (seed 001 `users`; seed 004's identity and password-reset columns).
 * Per-organization roles live in memberships; `role` here is the platform role ('system' marks service accounts).
 */
export const users = core.table(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    passwordHash: text('password_hash'),
    name: text('name').notNull(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    role: text('role').notNull().default('staff'),
    active: boolean('active').notNull().default(true),
    timezone: text('timezone').notNull().default('UTC'),
    lastLoginAt: tstz('last_login_at'),
    /** SHA-256 of the single outstanding reset token; the token itself is never stored. */
    passwordResetToken: text('password_reset_token'),
    passwordResetExpires: tstz('password_reset_expires'),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lastFailedLoginAt: tstz('last_failed_login_at'),
    lockedUntil: tstz('locked_until'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: tstz('deleted_at'),
  },
  (t) => [uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`)],
);

export const memberships = core.table(
  'memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('memberships_org_user_key').on(t.organizationId, t.userId), index('memberships_user_idx').on(t.userId)],
);

/** Browser sessions; the id is the SHA-256 of the cookie value so a leaked table cannot be replayed. */
export const sessions = core.table(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

export const apiTokens = core.table(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenPrefix: text('token_prefix').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    role: text('role').notNull(),
    lastUsedAt: tstz('last_used_at'),
    expiresAt: tstz('expires_at'),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('api_tokens_org_idx').on(t.organizationId)],
);

/** Who changed what, when, with before/after images; written in the same transaction as the change. */
export const auditLog = core.table(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorLabel: text('actor_label'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
    requestId: text('request_id'),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [index('audit_log_org_at_idx').on(t.organizationId, t.at), index('audit_log_entity_idx').on(t.entityType, t.entityId)],
);

/** Seed 000 `system_config`, also holding seed 003 `configurations` (key → config_key, value → config_value). */
export const systemConfig = core.table(
  'system_config',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    configKey: text('config_key').notNull(),
    configValue: jsonb('config_value').notNull(),
    description: text('description'),
    isActive: boolean('is_active').notNull().default(true),
    updatedBy: text('updated_by'),
    /** Seed 003: the AI agent that last changed the value (agent-org module; no cross-schema FK by design). */
    updatedByAgentId: uuid('updated_by_agent_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('system_config_org_key_key').on(t.organizationId, t.configKey)],
);

/** Seed 001 `integrations`; `credentials` holds an AES-256-GCM envelope, never plaintext. */
export const integrations = core.table(
  'integrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    serviceName: text('service_name').notNull(),
    category: text('category'),
    connected: boolean('connected').notNull().default(false),
    credentials: jsonb('credentials'),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    lastSync: tstz('last_sync'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('integrations_org_service_key').on(t.organizationId, t.serviceName)],
);

/** Seed 001 `ai_model_config`. */
export const aiModelConfig = core.table(
  'ai_model_config',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    modelName: text('model_name').notNull(),
    modelProvider: text('model_provider').notNull(),
    modelParameters: jsonb('model_parameters').$type<Record<string, unknown>>().notNull().default({}),
    accuracyScore: numeric('accuracy_score', { precision: 6, scale: 4 }),
    active: boolean('active').notNull().default(true),
    purpose: text('purpose'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('ai_model_config_org_idx').on(t.organizationId)],
);

/** Seed 001 `system_logs`: operational messages worth keeping beyond stdout. */
export const systemLogs = core.table(
  'system_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    logLevel: text('log_level').notNull(),
    source: text('source').notNull(),
    message: text('message').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('system_logs_org_created_idx').on(t.organizationId, t.createdAt)],
);

/** Seed 003 `system_events`. */
export const systemEvents = core.table(
  'system_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    severity: text('severity').notNull().default('info'),
    /** Seed 003: the emitting AI agent (agent-org module; no cross-schema FK by design). */
    sourceAgentId: uuid('source_agent_id'),
    message: text('message').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('system_events_org_created_idx').on(t.organizationId, t.createdAt)],
);

/** One row per job execution attempt handled by our workers (pg-boss keeps the queue itself). */
export const jobRuns = core.table(
  'job_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    jobId: uuid('job_id').notNull(),
    name: text('name').notNull(),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    state: text('state').notNull(),
    attempt: integer('attempt').notNull().default(1),
    maxAttempts: integer('max_attempts').notNull().default(1),
    data: jsonb('data'),
    output: jsonb('output'),
    error: text('error'),
    workerId: text('worker_id'),
    createdAt: createdAt(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
  },
  (t) => [
    uniqueIndex('job_runs_job_attempt_key').on(t.jobId, t.attempt),
    index('job_runs_org_created_idx').on(t.organizationId, t.createdAt),
    index('job_runs_name_idx').on(t.name),
  ],
);

/** Marks a cron occurrence as fired so several workers never enqueue it twice. */
export const jobScheduleFires = core.table(
  'job_schedule_fires',
  {
    scheduleName: text('schedule_name').notNull(),
    scope: text('scope').notNull(),
    fireAt: tstz('fire_at').notNull(),
    jobId: uuid('job_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scheduleName, t.scope, t.fireAt] })],
);

export const workerHeartbeats = core.table('worker_heartbeats', {
  workerId: text('worker_id').primaryKey(),
  hostname: text('hostname').notNull(),
  pid: integer('pid').notNull(),
  startedAt: tstz('started_at').notNull(),
  lastHeartbeatAt: tstz('last_heartbeat_at').notNull(),
});
