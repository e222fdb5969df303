import { and, desc, eq, isNotNull, lte, max } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { conflict, notFound, validationFailed, type FieldIssue } from '../../../core/errors.js';
import { alerts, callScripts, kpiDefinitions, kpiMetrics, stores } from '../schema.js';
import { localDate } from '../shared/dates.js';
import { callTypes, type CallType } from './call-provider.js';

export type CallScriptRow = typeof callScripts.$inferSelect;

/** The placeholders a script may use; anything else is rejected when the script is saved. */
export const scriptVariables = {
  store_name: 'Store name',
  kpi_name: 'Name of the KPI the alert is about',
  value: 'Latest value of the KPI, with its unit',
  baseline: 'Comparison value (baseline) of the KPI',
  variance_pct: 'Variance against the baseline, in percent',
  manager_name: 'Name of the person called',
  deadline: 'When the alert must be handled, in store time',
} as const;
export type ScriptVariable = keyof typeof scriptVariables;

const placeholderPattern = /\{\{\s*([A-Za-z0-9_.-]*)\s*\}\}/g;

const defaultScripts: Record<CallType, string> = {
  red:
    'Hello {{manager_name}}, this is the RetailOps store health assistant calling about {{store_name}}. ' +
    '{{kpi_name}} is red: {{value}} against a baseline of {{baseline}}, a variance of {{variance_pct}}. ' +
    'It needs your attention before {{deadline}}.',
  yellow:
    'Hello {{manager_name}}, this is the RetailOps store health assistant calling about {{store_name}}. ' +
    '{{kpi_name}} is yellow: {{value}} against a baseline of {{baseline}}, a variance of {{variance_pct}}. ' +
    'Please review it before {{deadline}}.',
  green:
    'Hello {{manager_name}}, this is the RetailOps store health assistant with good news about {{store_name}}: ' +
    '{{kpi_name}} is back to green at {{value}}, {{variance_pct}} against a baseline of {{baseline}}. No action is needed.',
};

export const createCallScriptInput = z.object({
  scriptType: z.enum(callTypes),
  scriptContent: z.string().trim().min(10).max(4000),
  /** Placeholder → description; defaults to the placeholders the content uses. */
  variables: z.record(z.string(), z.string().max(200)).optional(),
});

export const previewCallScriptInput = z.object({
  storeId: z.uuid().optional(),
  alertId: z.uuid().optional(),
});

export function placeholdersOf(content: string): string[] {
  return [...new Set([...content.matchAll(placeholderPattern)].map((m) => m[1]))];
}

/** Substitutes every {{variable}}; a value that is not known renders as "not available". */
export function renderCallScript(content: string, values: Partial<Record<ScriptVariable, string | null>>): string {
  return content.replace(placeholderPattern, (_match, name: string) => values[name as ScriptVariable] ?? 'not available');
}

function validateScript(input: z.infer<typeof createCallScriptInput>): Record<string, string> {
  const issues: FieldIssue[] = [];
  const allowed = Object.keys(scriptVariables);
  const unknownInContent = placeholdersOf(input.scriptContent).filter((name) => !(name in scriptVariables));
  if (unknownInContent.length > 0) {
    issues.push({
      path: 'scriptContent',
      message: `Unknown variable${unknownInContent.length > 1 ? 's' : ''} ${unknownInContent.map((n) => `{{${n}}}`).join(', ')}; use ${allowed.map((n) => `{{${n}}}`).join(', ')}.`,
    });
  }
  for (const name of Object.keys(input.variables ?? {})) {
    if (!(name in scriptVariables)) issues.push({ path: `variables.${name}`, message: `Unknown variable "${name}"; use one of ${allowed.join(', ')}.` });
  }
  if (issues.length > 0) throw validationFailed(`The call script uses unknown variables: ${issues.map((i) => i.message).join(' ')}`, issues);
  return input.variables ?? Object.fromEntries(placeholdersOf(input.scriptContent).map((n) => [n, scriptVariables[n as ScriptVariable]]));
}

/** Creates version 1 of each call type an organization has no script for yet (safe to call any time). */
export async function ensureDefaultCallScripts(ctx: ServiceContext): Promise<CallScriptRow[]> {
  const existing = await ctx.db
    .selectDistinct({ scriptType: callScripts.scriptType })
    .from(callScripts)
    .where(eq(callScripts.organizationId, ctx.organization.id));
  const have = new Set(existing.map((r) => r.scriptType));
  const missing = callTypes.filter((type) => !have.has(type));
  if (missing.length === 0) return [];
  const now = ctx.clock.now();
  return ctx.db
    .insert(callScripts)
    .values(
      missing.map((type) => ({
        organizationId: ctx.organization.id,
        scriptType: type,
        version: 1,
        scriptContent: defaultScripts[type],
        variables: Object.fromEntries(placeholdersOf(defaultScripts[type]).map((n) => [n, scriptVariables[n as ScriptVariable]])),
        isActive: true,
        createdBy: 'default',
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning();
}

export interface CallScriptGroup {
  scriptType: CallType;
  active: CallScriptRow | null;
  /** Every version, newest first. */
  history: CallScriptRow[];
}

export async function listCallScripts(ctx: ServiceContext): Promise<{ data: CallScriptGroup[] }> {
  await ensureDefaultCallScripts(ctx);
  const rows = await ctx.db
    .select()
    .from(callScripts)
    .where(eq(callScripts.organizationId, ctx.organization.id))
    .orderBy(callScripts.scriptType, desc(callScripts.version));
  return {
    data: callTypes.map((scriptType) => {
      const history = rows.filter((r) => r.scriptType === scriptType);
      return { scriptType, active: history.find((r) => r.isActive) ?? null, history };
    }),
  };
}

export async function getCallScript(ctx: ServiceContext, id: string): Promise<CallScriptRow> {
  const [row] = await ctx.db
    .select()
    .from(callScripts)
    .where(and(eq(callScripts.organizationId, ctx.organization.id), eq(callScripts.id, id)));
  if (!row) throw notFound('Call script', id);
  return row;
}

/** Saves the next version of a call type's script and makes it the only active one. */
export async function createCallScript(ctx: ServiceContext, input: z.infer<typeof createCallScriptInput>): Promise<CallScriptRow> {
  const variables = validateScript(input);
  try {
    return await inTransaction(ctx, async (tx) => {
      await ensureDefaultCallScripts(tx);
      const where = and(eq(callScripts.organizationId, tx.organization.id), eq(callScripts.scriptType, input.scriptType));
      // Locks the type's versions so two saves at once cannot both become "the next version".
      await tx.db.select({ id: callScripts.id }).from(callScripts).where(where).for('update');
      const [{ latest }] = await tx.db
        .select({ latest: max(callScripts.version) })
        .from(callScripts)
        .where(where);
      const previous = await tx.db
        .update(callScripts)
        .set({ isActive: false, updatedAt: tx.clock.now() })
        .where(and(where, eq(callScripts.isActive, true)))
        .returning();
      const [row] = await tx.db
        .insert(callScripts)
        .values({
          organizationId: tx.organization.id,
          scriptType: input.scriptType,
          version: (latest ?? 0) + 1,
          scriptContent: input.scriptContent,
          variables,
          isActive: true,
          createdBy: tx.actor.label,
          createdAt: tx.clock.now(),
          updatedAt: tx.clock.now(),
        })
        .returning();
      await recordAudit(tx, {
        action: 'call_script.created',
        entityType: 'call_script',
        entityId: row.id,
        before: previous.map((p) => ({ id: p.id, version: p.version })),
        after: row,
      });
      return row;
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505' || (error as { cause?: { code?: string } }).cause?.code === '23505') {
      throw conflict('Someone saved a new version of this script at the same moment; reload and try again.');
    }
    throw error;
  }
}

/** The script a call of this type uses now: the active version (defaults are created when missing). */
export async function activeCallScript(ctx: ServiceContext, type: CallType): Promise<CallScriptRow> {
  const load = () =>
    ctx.db
      .select()
      .from(callScripts)
      .where(and(eq(callScripts.organizationId, ctx.organization.id), eq(callScripts.scriptType, type), eq(callScripts.isActive, true)))
      .orderBy(desc(callScripts.version))
      .limit(1);
  let [script] = await load();
  if (!script) {
    await ensureDefaultCallScripts(ctx);
    [script] = await load();
  }
  if (!script) {
    // Every version was deactivated by hand: fall back to the newest one rather than not calling.
    [script] = await ctx.db
      .select()
      .from(callScripts)
      .where(and(eq(callScripts.organizationId, ctx.organization.id), eq(callScripts.scriptType, type)))
      .orderBy(desc(callScripts.version))
      .limit(1);
  }
  return script;
}

export function callTypeOfSeverity(severity: string): CallType {
  return severity === 'yellow' ? 'yellow' : severity === 'green' ? 'green' : 'red';
}

function formatNumber(value: number, unit: string | null): string {
  const text = value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  if (unit === '$') return `$${text}`;
  if (unit === '%') return `${text}%`;
  return unit ? `${text} ${unit}` : text;
}

/** "Monday 17:00" in the store's time zone. */
export function formatLocalDeadline(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

const metadataNumber = (metadata: Record<string, unknown>, ...keys: string[]): number | null => {
  for (const key of keys) {
    const v = metadata[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
};

/**
 * Values for a script's placeholders from an alert (its KPI's value, baseline and variance come from the alert's
 * metadata, else from the latest metric on or before the alert date) and the person called.
 */
export async function callScriptValues(
  ctx: ServiceContext,
  subject: { alertId?: string | null; storeId?: string | null; recipientName?: string | null },
): Promise<Record<ScriptVariable, string | null>> {
  const org = ctx.organization.id;
  const [alert] = subject.alertId
    ? await ctx.db
        .select()
        .from(alerts)
        .where(and(eq(alerts.organizationId, org), eq(alerts.id, subject.alertId)))
    : [];
  if (subject.alertId && !alert) throw notFound('Alert', subject.alertId);
  const storeId = subject.storeId ?? alert?.storeId ?? null;
  const [store] = storeId
    ? await ctx.db
        .select()
        .from(stores)
        .where(and(eq(stores.organizationId, org), eq(stores.id, storeId)))
    : [];
  if (subject.storeId && !store) throw notFound('Store', subject.storeId);
  const [kpi] = alert?.kpiDefinitionId
    ? await ctx.db
        .select()
        .from(kpiDefinitions)
        .where(and(eq(kpiDefinitions.organizationId, org), eq(kpiDefinitions.id, alert.kpiDefinitionId)))
    : [];
  const metadata = alert?.metadata ?? {};
  let value = metadataNumber(metadata, 'value');
  let baseline = metadataNumber(metadata, 'baseline', 'comparisonValue');
  let variance = metadataNumber(metadata, 'variancePct', 'variance_pct');
  const timezone = store?.timezone ?? ctx.organization.timezone;
  if (alert && kpi && alert.storeId && (value === null || baseline === null || variance === null)) {
    const [metric] = await ctx.db
      .select({ value: kpiMetrics.value, comparisonValue: kpiMetrics.comparisonValue, variancePct: kpiMetrics.variancePct })
      .from(kpiMetrics)
      .where(
        and(
          eq(kpiMetrics.organizationId, org),
          eq(kpiMetrics.storeId, alert.storeId),
          eq(kpiMetrics.kpiDefinitionId, kpi.id),
          lte(kpiMetrics.metricDate, localDate(alert.alertDate, timezone)),
          isNotNull(kpiMetrics.value),
        ),
      )
      .orderBy(desc(kpiMetrics.metricDate))
      .limit(1);
    value ??= metric?.value ?? null;
    baseline ??= metric?.comparisonValue ?? null;
    variance ??= metric?.variancePct ?? null;
  }
  const deadline = alert?.snoozedUntil ?? alert?.expiresAt ?? null;
  return {
    store_name: store?.name ?? (alert?.scope === 'district' ? 'your district' : null),
    kpi_name: kpi?.name ?? (alert ? alert.title : null),
    value: value === null ? null : formatNumber(value, kpi?.unit ?? null),
    baseline: baseline === null ? null : formatNumber(baseline, kpi?.unit ?? null),
    variance_pct: variance === null ? null : `${variance > 0 ? '+' : ''}${variance.toLocaleString('en-US', { maximumFractionDigits: 1 })}%`,
    manager_name: subject.recipientName ?? store?.managerName ?? null,
    deadline: deadline && deadline > ctx.clock.now() ? formatLocalDeadline(deadline, timezone) : 'as soon as possible',
  };
}

const sampleValues: Record<ScriptVariable, string> = {
  store_name: 'Sample Store',
  kpi_name: 'Net sales',
  value: '$8,420',
  baseline: '$10,000',
  variance_pct: '-15.8%',
  manager_name: 'Alex Morgan',
  deadline: 'Monday 17:00',
};

/** Renders a script version for a store or alert of this organization, or with sample values. */
export async function previewCallScript(ctx: ServiceContext, id: string, input: z.infer<typeof previewCallScriptInput>) {
  const script = await getCallScript(ctx, id);
  const values = input.alertId || input.storeId ? await callScriptValues(ctx, { alertId: input.alertId, storeId: input.storeId }) : sampleValues;
  return { scriptId: script.id, scriptType: script.scriptType, version: script.version, text: renderCallScript(script.scriptContent, values), values };
}
