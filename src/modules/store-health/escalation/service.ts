import { and, asc, count, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { systemConfig } from '../../../core/db/schema.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../../../core/db/list-query.js';
import { notFound, validationFailed, type FieldIssue } from '../../../core/errors.js';
import { alerts, escalationRules, escalations, kpiDefinitions, stores } from '../schema.js';
import { escalationActions, triggerConditions, type EscalationAction, type TriggerCondition } from './levels.js';
import type { EscalationRuleRow } from './rule-timing.js';

export interface EscalationRuleView {
  id: string;
  name: string | null;
  kpiDefinitionId: string | null;
  kpiCode: string | null;
  triggerCondition: string;
  durationHours: number;
  fromLevel: number;
  toLevel: number;
  action: string;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const level = z.number().int().min(0).max(4);
const ruleFields = {
  name: z.string().trim().min(1).max(200).nullable().optional(),
  /** null = every KPI; kpiCode is accepted as an alternative to the id. */
  kpiDefinitionId: z.uuid().nullable().optional(),
  kpiCode: z.string().trim().min(1).max(100).nullable().optional(),
  triggerCondition: z.enum(triggerConditions),
  durationHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  fromLevel: level,
  toLevel: level,
  action: z.enum(escalationActions),
  isActive: z.boolean().optional(),
};
export const createEscalationRuleInput = z.object(ruleFields);
export const updateEscalationRuleInput = z.object(ruleFields).partial();

export const listEscalationRulesQuery = listQuerySchema(['name', 'fromLevel', 'durationHours', 'createdAt'], 'fromLevel', {
  triggerCondition: z.enum(triggerConditions).optional(),
  action: z.enum(escalationActions).optional(),
  isActive: z.enum(['true', 'false']).optional(),
  kpiDefinitionId: z.uuid().optional(),
});

/** The defaults an organization starts with; see escalation/README.md for why these numbers. */
export const defaultEscalationRules: {
  name: string;
  triggerCondition: TriggerCondition;
  durationHours: number;
  fromLevel: number;
  toLevel: number;
  action: EscalationAction;
}[] = [
  {
    name: 'Yellow for 8 opening hours: review task for the store manager',
    triggerCondition: 'status_yellow',
    durationHours: 8,
    fromLevel: 0,
    toLevel: 0,
    action: 'create_task',
  },
  {
    name: 'Red for 4 opening hours: AI call to the district manager',
    triggerCondition: 'status_red',
    durationHours: 4,
    fromLevel: 0,
    toLevel: 1,
    action: 'ai_call',
  },
  {
    name: 'Not acknowledged within the SLA: task for the district manager',
    triggerCondition: 'sla_breach',
    durationHours: 0,
    fromLevel: 0,
    toLevel: 1,
    action: 'create_task',
  },
  {
    name: 'SLA breached and 4 more opening hours at district level: regional manager',
    triggerCondition: 'sla_breach',
    durationHours: 4,
    fromLevel: 1,
    toLevel: 2,
    action: 'regional_escalation',
  },
  {
    name: 'Red for 24 more opening hours at regional level: notify head office',
    triggerCondition: 'status_red',
    durationHours: 24,
    fromLevel: 2,
    toLevel: 3,
    action: 'send_alert',
  },
];

const defaultsMarker = 'store_health.escalation_rules_initialized';

/**
 * Gives an organization the default rules once: when it has no rules and never had defaults. Deleting every rule
 * later is respected (no rules come back).
 */
export async function ensureDefaultEscalationRules(ctx: ServiceContext): Promise<EscalationRuleRow[]> {
  const org = ctx.organization.id;
  const [marker] = await ctx.db
    .select({ key: systemConfig.configKey })
    .from(systemConfig)
    .where(and(eq(systemConfig.organizationId, org), eq(systemConfig.configKey, defaultsMarker)));
  if (marker) return [];
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const claimed = await tx.db
      .insert(systemConfig)
      .values({
        organizationId: org,
        configKey: defaultsMarker,
        configValue: true,
        description: 'Default escalation rules were offered to this organization',
        updatedBy: tx.actor.label,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ key: systemConfig.configKey });
    if (claimed.length === 0) return [];
    const [{ existing }] = await tx.db.select({ existing: count() }).from(escalationRules).where(eq(escalationRules.organizationId, org));
    if (Number(existing) > 0) return [];
    const rows = await tx.db
      .insert(escalationRules)
      .values(defaultEscalationRules.map((rule) => ({ ...rule, organizationId: org, kpiDefinitionId: null, isActive: true, createdAt: now, updatedAt: now })))
      .returning();
    await recordAudit(tx, { action: 'escalation_rules.defaults_created', entityType: 'escalation_rule', after: rows.map((r) => r.name) });
    return rows;
  });
}

export async function loadActiveEscalationRules(ctx: ServiceContext): Promise<EscalationRuleRow[]> {
  return ctx.db
    .select()
    .from(escalationRules)
    .where(and(eq(escalationRules.organizationId, ctx.organization.id), eq(escalationRules.isActive, true)))
    .orderBy(asc(escalationRules.fromLevel), asc(escalationRules.createdAt));
}

const ruleViewColumns = {
  id: escalationRules.id,
  name: escalationRules.name,
  kpiDefinitionId: escalationRules.kpiDefinitionId,
  kpiCode: kpiDefinitions.kpiCode,
  triggerCondition: escalationRules.triggerCondition,
  durationHours: escalationRules.durationHours,
  fromLevel: escalationRules.fromLevel,
  toLevel: escalationRules.toLevel,
  action: escalationRules.action,
  isActive: escalationRules.isActive,
  createdAt: escalationRules.createdAt,
  updatedAt: escalationRules.updatedAt,
};

export async function listEscalationRules(ctx: ServiceContext, query: z.infer<typeof listEscalationRulesQuery>): Promise<Page<EscalationRuleView>> {
  const where = and(
    eq(escalationRules.organizationId, ctx.organization.id),
    query.triggerCondition ? eq(escalationRules.triggerCondition, query.triggerCondition) : undefined,
    query.action ? eq(escalationRules.action, query.action) : undefined,
    query.isActive ? eq(escalationRules.isActive, query.isActive === 'true') : undefined,
    query.kpiDefinitionId ? eq(escalationRules.kpiDefinitionId, query.kpiDefinitionId) : undefined,
    query.q ? or(ilike(escalationRules.name, likePattern(query.q)), ilike(kpiDefinitions.kpiCode, likePattern(query.q))) : undefined,
  );
  const data = await ctx.db
    .select(ruleViewColumns)
    .from(escalationRules)
    .leftJoin(kpiDefinitions, eq(kpiDefinitions.id, escalationRules.kpiDefinitionId))
    .where(where)
    .orderBy(
      ...orderBy(
        query.sort,
        {
          name: escalationRules.name,
          fromLevel: escalationRules.fromLevel,
          durationHours: escalationRules.durationHours,
          createdAt: escalationRules.createdAt,
        },
        escalationRules.id,
      ),
    )
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db
    .select({ total: count() })
    .from(escalationRules)
    .leftJoin(kpiDefinitions, eq(kpiDefinitions.id, escalationRules.kpiDefinitionId))
    .where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total: Number(total) } };
}

export async function getEscalationRule(ctx: ServiceContext, id: string): Promise<EscalationRuleView> {
  const [row] = await ctx.db
    .select(ruleViewColumns)
    .from(escalationRules)
    .leftJoin(kpiDefinitions, eq(kpiDefinitions.id, escalationRules.kpiDefinitionId))
    .where(and(eq(escalationRules.organizationId, ctx.organization.id), eq(escalationRules.id, id)));
  if (!row) throw notFound('Escalation rule', id);
  return row;
}

type RuleDraft = Pick<EscalationRuleRow, 'name' | 'triggerCondition' | 'durationHours' | 'fromLevel' | 'toLevel' | 'action' | 'isActive' | 'kpiDefinitionId'>;

/** Resolves the KPI (id or code, of this organization) and checks what zod cannot: level order and actions. */
async function checkRule(ctx: ServiceContext, input: z.infer<typeof updateEscalationRuleInput>, base: RuleDraft | null): Promise<RuleDraft> {
  const issues: FieldIssue[] = [];
  let kpiDefinitionId = base?.kpiDefinitionId ?? null;
  if (input.kpiDefinitionId !== undefined || input.kpiCode !== undefined) {
    kpiDefinitionId = null;
    if (input.kpiDefinitionId) {
      const [kpi] = await ctx.db
        .select({ id: kpiDefinitions.id, kpiCode: kpiDefinitions.kpiCode })
        .from(kpiDefinitions)
        .where(and(eq(kpiDefinitions.organizationId, ctx.organization.id), eq(kpiDefinitions.id, input.kpiDefinitionId)));
      if (!kpi) issues.push({ path: 'kpiDefinitionId', message: 'No KPI with this id in your organization.' });
      else if (input.kpiCode && input.kpiCode !== kpi.kpiCode)
        issues.push({ path: 'kpiCode', message: `Does not match the KPI id (its code is ${kpi.kpiCode}).` });
      kpiDefinitionId = kpi?.id ?? null;
    } else if (input.kpiCode) {
      const [kpi] = await ctx.db
        .select({ id: kpiDefinitions.id })
        .from(kpiDefinitions)
        .where(and(eq(kpiDefinitions.organizationId, ctx.organization.id), eq(kpiDefinitions.kpiCode, input.kpiCode)));
      if (!kpi) issues.push({ path: 'kpiCode', message: `No KPI with the code "${input.kpiCode}"; see GET /api/store-health/kpis.` });
      kpiDefinitionId = kpi?.id ?? null;
    }
  }
  const merged = {
    name: input.name !== undefined ? input.name : (base?.name ?? null),
    triggerCondition: input.triggerCondition ?? base!.triggerCondition,
    durationHours: input.durationHours ?? base!.durationHours,
    fromLevel: input.fromLevel ?? base!.fromLevel,
    toLevel: input.toLevel ?? base!.toLevel,
    action: input.action ?? base!.action,
    isActive: input.isActive ?? base?.isActive ?? true,
    kpiDefinitionId,
  };
  if (merged.toLevel < merged.fromLevel) issues.push({ path: 'toLevel', message: 'Escalation goes up: toLevel must be at least fromLevel.' });
  if (merged.action === 'regional_escalation' && merged.toLevel < 2) {
    issues.push({ path: 'toLevel', message: 'regional_escalation addresses the regional manager or above: use toLevel 2, 3 or 4.' });
  }
  if (issues.length > 0) throw validationFailed(`The escalation rule is invalid: ${issues.map((i) => `${i.path} — ${i.message}`).join('; ')}`, issues);
  return merged;
}

/** Rule changes re-plan every open alert: its timer is set to now and the next engine pass computes the real one. */
async function rearmOpenAlerts(ctx: ServiceContext) {
  await ctx.db
    .update(alerts)
    .set({ nextEscalationAt: ctx.clock.now() })
    .where(
      and(
        eq(alerts.organizationId, ctx.organization.id),
        sql`${alerts.status} in ('active', 'acknowledged')`,
        sql`(${alerts.metadata}->>'folded') is distinct from 'true'`,
      ),
    );
}

export async function createEscalationRule(ctx: ServiceContext, input: z.infer<typeof createEscalationRuleInput>): Promise<EscalationRuleView> {
  return inTransaction(ctx, async (tx) => {
    const draft = await checkRule(tx, input, null);
    const now = tx.clock.now();
    const [row] = await tx.db
      .insert(escalationRules)
      .values({ ...draft, organizationId: tx.organization.id, createdAt: now, updatedAt: now })
      .returning();
    await recordAudit(tx, { action: 'escalation_rule.created', entityType: 'escalation_rule', entityId: row.id, after: row });
    await rearmOpenAlerts(tx);
    return getEscalationRule(tx, row.id);
  });
}

export async function updateEscalationRule(ctx: ServiceContext, id: string, input: z.infer<typeof updateEscalationRuleInput>): Promise<EscalationRuleView> {
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .select()
      .from(escalationRules)
      .where(and(eq(escalationRules.organizationId, tx.organization.id), eq(escalationRules.id, id)))
      .for('update');
    if (!before) throw notFound('Escalation rule', id);
    const draft = await checkRule(tx, input, before);
    const [after] = await tx.db
      .update(escalationRules)
      .set({ ...draft, updatedAt: tx.clock.now() })
      .where(eq(escalationRules.id, id))
      .returning();
    await recordAudit(tx, { action: 'escalation_rule.updated', entityType: 'escalation_rule', entityId: id, before, after });
    await rearmOpenAlerts(tx);
    return getEscalationRule(tx, id);
  });
}

export async function deleteEscalationRule(ctx: ServiceContext, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .delete(escalationRules)
      .where(and(eq(escalationRules.organizationId, tx.organization.id), eq(escalationRules.id, id)))
      .returning();
    if (!before) throw notFound('Escalation rule', id);
    await recordAudit(tx, { action: 'escalation_rule.deleted', entityType: 'escalation_rule', entityId: id, before });
    await rearmOpenAlerts(tx);
  });
}

// ---- escalations (read side) ----

export const listEscalationsQuery = listQuerySchema(['escalatedAt', 'toLevel'], '-escalatedAt', {
  alertId: z.uuid().optional(),
  storeId: z.uuid().optional(),
  status: z.enum(['pending', 'acknowledged', 'resolved']).optional(),
  triggeredBy: z.enum(['threshold', 'sla_breach', 'manual', 'predicted_risk']).optional(),
});

export async function listEscalations(ctx: ServiceContext, query: z.infer<typeof listEscalationsQuery>) {
  const where: SQL | undefined = and(
    eq(escalations.organizationId, ctx.organization.id),
    query.alertId ? eq(escalations.alertId, query.alertId) : undefined,
    query.storeId ? eq(escalations.storeId, query.storeId) : undefined,
    query.status ? eq(escalations.status, query.status) : undefined,
    query.triggeredBy ? eq(escalations.triggeredBy, query.triggeredBy) : undefined,
    query.q ? or(ilike(escalations.escalationReason, likePattern(query.q)), ilike(escalations.escalatedToName, likePattern(query.q))) : undefined,
  );
  const data = await ctx.db
    .select({
      id: escalations.id,
      alertId: escalations.alertId,
      alertTitle: alerts.title,
      storeId: escalations.storeId,
      storeCode: stores.storeCode,
      storeName: stores.name,
      taskId: escalations.taskId,
      ruleId: escalations.ruleId,
      fromLevel: escalations.fromLevel,
      toLevel: escalations.toLevel,
      escalationReason: escalations.escalationReason,
      triggeredBy: escalations.triggeredBy,
      escalatedAt: escalations.escalatedAt,
      escalatedToRole: escalations.escalatedToRole,
      escalatedToName: escalations.escalatedToName,
      escalatedToContact: escalations.escalatedToContact,
      status: escalations.status,
      resolution: escalations.resolution,
      resolvedAt: escalations.resolvedAt,
      metadata: escalations.metadata,
    })
    .from(escalations)
    .innerJoin(alerts, eq(alerts.id, escalations.alertId))
    .leftJoin(stores, eq(stores.id, escalations.storeId))
    .where(where)
    .orderBy(...orderBy(query.sort, { escalatedAt: escalations.escalatedAt, toLevel: escalations.toLevel }, escalations.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(escalations).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total: Number(total) } };
}
