import { and, count, eq, ilike, or } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../context.js';
import { aiModelConfig, integrations, systemConfig, systemEvents, systemLogs } from '../db/schema.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../db/list-query.js';
import { recordAudit } from '../audit/audit.js';
import { notFound, conflict } from '../errors.js';
import { decryptJson, encryptJson, type EncryptedEnvelope } from '../secrets.js';

/** Services that handle secrets get the encryption key through the context's extension. */
export interface SecretsContext extends ServiceContext {
  encryptionKey: Buffer;
}

// ---- system_config (seed 000; seed 003 `configurations`) ----

export const configKeySchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,127}$/i, 'Use letters, digits, ".", "_" or "-"');
export const putConfigInput = z.object({
  value: z.unknown().refine((v) => v !== undefined, 'Required'),
  description: z.string().max(500).optional(),
  isActive: z.boolean().optional(),
});

export async function listConfig(ctx: ServiceContext) {
  return ctx.db.select().from(systemConfig).where(eq(systemConfig.organizationId, ctx.organization.id)).orderBy(systemConfig.configKey);
}

export async function getConfigValue<T>(ctx: ServiceContext, key: string, fallback: T): Promise<T> {
  const [row] = await ctx.db
    .select({ value: systemConfig.configValue, active: systemConfig.isActive })
    .from(systemConfig)
    .where(and(eq(systemConfig.organizationId, ctx.organization.id), eq(systemConfig.configKey, key)));
  return row && row.active ? (row.value as T) : fallback;
}

export async function putConfig(ctx: ServiceContext, key: string, input: z.infer<typeof putConfigInput>) {
  const now = ctx.clock.now();
  const [before] = await ctx.db
    .select()
    .from(systemConfig)
    .where(and(eq(systemConfig.organizationId, ctx.organization.id), eq(systemConfig.configKey, key)));
  const [after] = await ctx.db
    .insert(systemConfig)
    .values({
      organizationId: ctx.organization.id,
      configKey: key,
      configValue: input.value,
      description: input.description,
      isActive: input.isActive ?? true,
      updatedBy: ctx.actor.label,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [systemConfig.organizationId, systemConfig.configKey],
      set: {
        configValue: input.value,
        description: input.description ?? before?.description ?? null,
        isActive: input.isActive ?? before?.isActive ?? true,
        updatedBy: ctx.actor.label,
        updatedAt: now,
      },
    })
    .returning();
  await recordAudit(ctx, { action: before ? 'config.updated' : 'config.created', entityType: 'system_config', entityId: key, before, after });
  return after;
}

export async function deleteConfig(ctx: ServiceContext, key: string) {
  const [before] = await ctx.db
    .delete(systemConfig)
    .where(and(eq(systemConfig.organizationId, ctx.organization.id), eq(systemConfig.configKey, key)))
    .returning();
  if (!before) throw notFound('Setting', key);
  await recordAudit(ctx, { action: 'config.deleted', entityType: 'system_config', entityId: key, before });
}

// ---- integrations (seed 001): credentials encrypted at rest, never returned ----

export const integrationInput = z.object({
  serviceName: z.string().trim().min(1).max(100),
  category: z.string().trim().max(100).optional(),
  connected: z.boolean().optional(),
  credentials: z.record(z.string(), z.string()).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});
export const integrationPatch = integrationInput.partial().omit({ serviceName: true });

export interface IntegrationView {
  id: string;
  serviceName: string;
  category: string | null;
  connected: boolean;
  settings: Record<string, unknown>;
  lastSync: Date | null;
  hasCredentials: boolean;
  /** Names of the stored secrets (e.g. apiKey), so people can see what is set without seeing it. */
  credentialKeys: string[];
  createdAt: Date;
  updatedAt: Date;
}

function viewIntegration(ctx: SecretsContext, row: typeof integrations.$inferSelect): IntegrationView {
  const secrets = row.credentials ? decryptJson<Record<string, string>>(ctx.encryptionKey, row.credentials as EncryptedEnvelope) : {};
  return {
    id: row.id,
    serviceName: row.serviceName,
    category: row.category,
    connected: row.connected,
    settings: row.settings,
    lastSync: row.lastSync,
    hasCredentials: Object.keys(secrets).length > 0,
    credentialKeys: Object.keys(secrets).sort(),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function listIntegrations(ctx: SecretsContext): Promise<IntegrationView[]> {
  const rows = await ctx.db.select().from(integrations).where(eq(integrations.organizationId, ctx.organization.id)).orderBy(integrations.serviceName);
  return rows.map((r) => viewIntegration(ctx, r));
}

async function loadIntegration(ctx: SecretsContext, id: string) {
  const [row] = await ctx.db
    .select()
    .from(integrations)
    .where(and(eq(integrations.organizationId, ctx.organization.id), eq(integrations.id, id)));
  if (!row) throw notFound('Integration', id);
  return row;
}

export async function getIntegration(ctx: SecretsContext, id: string) {
  return viewIntegration(ctx, await loadIntegration(ctx, id));
}

/** For server-side use by modules (e.g. the Twilio adapter); never expose this through the API. */
export async function readIntegrationCredentials(ctx: SecretsContext, serviceName: string): Promise<Record<string, string> | null> {
  const [row] = await ctx.db
    .select()
    .from(integrations)
    .where(and(eq(integrations.organizationId, ctx.organization.id), eq(integrations.serviceName, serviceName)));
  if (!row?.credentials) return null;
  return decryptJson(ctx.encryptionKey, row.credentials as EncryptedEnvelope);
}

export async function createIntegration(ctx: SecretsContext, input: z.infer<typeof integrationInput>) {
  const now = ctx.clock.now();
  const [exists] = await ctx.db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.organizationId, ctx.organization.id), eq(integrations.serviceName, input.serviceName)));
  if (exists) throw conflict(`An integration for ${input.serviceName} already exists; edit it instead.`, [{ path: 'serviceName', message: 'Already exists' }]);
  const [row] = await ctx.db
    .insert(integrations)
    .values({
      organizationId: ctx.organization.id,
      serviceName: input.serviceName,
      category: input.category ?? null,
      connected: input.connected ?? false,
      credentials: input.credentials ? encryptJson(ctx.encryptionKey, input.credentials) : null,
      settings: input.settings ?? {},
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const view = viewIntegration(ctx, row);
  await recordAudit(ctx, { action: 'integration.created', entityType: 'integration', entityId: row.id, after: view });
  return view;
}

export async function updateIntegration(ctx: SecretsContext, id: string, patch: z.infer<typeof integrationPatch>) {
  const before = await loadIntegration(ctx, id);
  const [row] = await ctx.db
    .update(integrations)
    .set({
      category: patch.category,
      connected: patch.connected,
      settings: patch.settings,
      credentials: patch.credentials ? encryptJson(ctx.encryptionKey, patch.credentials) : undefined,
      updatedAt: ctx.clock.now(),
    })
    .where(and(eq(integrations.organizationId, ctx.organization.id), eq(integrations.id, id)))
    .returning();
  const view = viewIntegration(ctx, row);
  await recordAudit(ctx, { action: 'integration.updated', entityType: 'integration', entityId: id, before: viewIntegration(ctx, before), after: view });
  return view;
}

export async function deleteIntegration(ctx: SecretsContext, id: string) {
  const before = await loadIntegration(ctx, id);
  await ctx.db.delete(integrations).where(and(eq(integrations.organizationId, ctx.organization.id), eq(integrations.id, id)));
  await recordAudit(ctx, { action: 'integration.deleted', entityType: 'integration', entityId: id, before: viewIntegration(ctx, before) });
}

// ---- ai_model_config (seed 001) ----

export const aiModelInput = z.object({
  modelName: z.string().trim().min(1).max(200),
  modelProvider: z.enum(['openai', 'anthropic', 'custom', 'offline']),
  modelParameters: z.record(z.string(), z.unknown()).optional(),
  accuracyScore: z.number().min(0).max(1).optional(),
  active: z.boolean().optional(),
  purpose: z.string().max(100).optional(),
});

export async function listAiModels(ctx: ServiceContext) {
  return ctx.db.select().from(aiModelConfig).where(eq(aiModelConfig.organizationId, ctx.organization.id)).orderBy(aiModelConfig.modelName);
}

export async function createAiModel(ctx: ServiceContext, input: z.infer<typeof aiModelInput>) {
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .insert(aiModelConfig)
    .values({
      organizationId: ctx.organization.id,
      modelName: input.modelName,
      modelProvider: input.modelProvider,
      modelParameters: input.modelParameters ?? {},
      accuracyScore: input.accuracyScore?.toString() ?? null,
      active: input.active ?? true,
      purpose: input.purpose ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordAudit(ctx, { action: 'ai_model.created', entityType: 'ai_model_config', entityId: row.id, after: row });
  return row;
}

export async function updateAiModel(ctx: ServiceContext, id: string, patch: Partial<z.infer<typeof aiModelInput>>) {
  const [before] = await ctx.db
    .select()
    .from(aiModelConfig)
    .where(and(eq(aiModelConfig.organizationId, ctx.organization.id), eq(aiModelConfig.id, id)));
  if (!before) throw notFound('AI model configuration', id);
  const [after] = await ctx.db
    .update(aiModelConfig)
    .set({ ...patch, accuracyScore: patch.accuracyScore?.toString(), updatedAt: ctx.clock.now() })
    .where(and(eq(aiModelConfig.organizationId, ctx.organization.id), eq(aiModelConfig.id, id)))
    .returning();
  await recordAudit(ctx, { action: 'ai_model.updated', entityType: 'ai_model_config', entityId: id, before, after });
  return after;
}

// ---- system logs (seed 001) and events (seed 003) ----

export const logLevels = ['info', 'warning', 'error', 'critical'] as const;

export async function writeSystemLog(
  ctx: ServiceContext,
  level: (typeof logLevels)[number],
  source: string,
  message: string,
  metadata: Record<string, unknown> = {},
) {
  await ctx.db.insert(systemLogs).values({ organizationId: ctx.organization.id, logLevel: level, source, message, metadata, createdAt: ctx.clock.now() });
}

export async function recordSystemEvent(
  ctx: ServiceContext,
  event: { eventType: string; severity?: string; message: string; details?: Record<string, unknown>; sourceAgentId?: string },
) {
  await ctx.db.insert(systemEvents).values({
    organizationId: ctx.organization.id,
    eventType: event.eventType,
    severity: event.severity ?? 'info',
    message: event.message,
    details: event.details ?? {},
    sourceAgentId: event.sourceAgentId ?? null,
    createdAt: ctx.clock.now(),
  });
}

export const listSystemLogsQuery = listQuerySchema(['createdAt', 'logLevel', 'source'], '-createdAt', {
  level: z.enum(logLevels).optional(),
  source: z.string().optional(),
});

export async function listSystemLogs(ctx: ServiceContext, query: z.infer<typeof listSystemLogsQuery>): Promise<Page<typeof systemLogs.$inferSelect>> {
  const where = and(
    eq(systemLogs.organizationId, ctx.organization.id),
    query.level ? eq(systemLogs.logLevel, query.level) : undefined,
    query.source ? eq(systemLogs.source, query.source) : undefined,
    query.q ? or(ilike(systemLogs.message, likePattern(query.q))) : undefined,
  );
  const data = await ctx.db
    .select()
    .from(systemLogs)
    .where(where)
    .orderBy(...orderBy(query.sort, { createdAt: systemLogs.createdAt, logLevel: systemLogs.logLevel, source: systemLogs.source }, systemLogs.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(systemLogs).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total: Number(total) } };
}

export const listSystemEventsQuery = listQuerySchema(['createdAt', 'eventType', 'severity'], '-createdAt', {
  eventType: z.string().optional(),
  severity: z.string().optional(),
});

export async function listSystemEvents(ctx: ServiceContext, query: z.infer<typeof listSystemEventsQuery>): Promise<Page<typeof systemEvents.$inferSelect>> {
  const where = and(
    eq(systemEvents.organizationId, ctx.organization.id),
    query.eventType ? eq(systemEvents.eventType, query.eventType) : undefined,
    query.severity ? eq(systemEvents.severity, query.severity) : undefined,
    query.q ? ilike(systemEvents.message, likePattern(query.q)) : undefined,
  );
  const data = await ctx.db
    .select()
    .from(systemEvents)
    .where(where)
    .orderBy(...orderBy(query.sort, { createdAt: systemEvents.createdAt, eventType: systemEvents.eventType, severity: systemEvents.severity }, systemEvents.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(systemEvents).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total: Number(total) } };
}
