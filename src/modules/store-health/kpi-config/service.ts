import { and, asc, count, eq, ilike, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../../../core/db/list-query.js';
import { conflict, notFound, validationFailed } from '../../../core/errors.js';
import { kpiDefinitions, kpiThresholds, stores } from '../schema.js';
import { isUniqueViolation } from '../org-structure/db-errors.js';
import { comparisonBases, kpiDirections, thresholdOrderProblem, type ComparisonBasis } from './threshold-rules.js';

export const kpiCategories = ['sales', 'labor', 'inventory', 'hr', 'customer', 'operations'] as const;
export const calculationMethods = ['sum', 'average', 'ratio', 'count', 'latest', 'derived'] as const;

// decimal(14, 4) leaves 10 digits before the point.
const thresholdNumber = z.number().gt(-1e10).lt(1e10);

export const thresholdValues = z.object({
  greenMin: thresholdNumber,
  yellowMin: thresholdNumber.nullable().default(null).describe('Empty: no yellow band'),
  redThreshold: thresholdNumber.nullable().default(null).describe('Empty: red starts past yellowMin (or greenMin)'),
  comparisonBasis: z.enum(comparisonBases).default('rolling_4w'),
  priority: z.number().int().min(1).max(5).default(3).describe('1 = most important … 5'),
});
export const thresholdPut = thresholdValues.extend({
  storeId: z.uuid().nullable().optional().describe('Empty: the organization default; a store id: an override for that store'),
});

const kpiFields = z.object({
  kpiCode: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'Use lowercase letters, digits and "_", starting with a letter (e.g. sales, conversion_rate)'),
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).nullable().optional(),
  unit: z.string().trim().min(1).max(16).describe('%, $, count, ratio, hours, days …'),
  calculationMethod: z.enum(calculationMethods),
  category: z.enum(kpiCategories),
  direction: z.enum(kpiDirections),
  isActive: z.boolean(),
  threshold: thresholdValues.nullable().optional().describe('The organization default threshold'),
});
export const kpiInput = kpiFields.extend({
  calculationMethod: kpiFields.shape.calculationMethod.default('sum'),
  direction: kpiFields.shape.direction.default('higher_is_better'),
  isActive: kpiFields.shape.isActive.default(true),
});
// Built from the fields without defaults: zod 4 applies a default even inside .partial().
export const kpiPatch = kpiFields.partial();
export const listKpisQuery = listQuerySchema(['kpiCode', 'name', 'category', 'createdAt'], 'kpiCode', {
  category: z.enum(kpiCategories).optional(),
  isActive: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export interface ThresholdView {
  id: string;
  kpiDefinitionId: string;
  storeId: string | null;
  storeCode: string | null;
  greenMin: number;
  yellowMin: number | null;
  redThreshold: number | null;
  comparisonBasis: ComparisonBasis;
  priority: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface KpiView {
  id: string;
  kpiCode: string;
  name: string;
  description: string | null;
  unit: string;
  calculationMethod: string;
  category: string;
  direction: string;
  isActive: boolean;
  threshold: { id: string; greenMin: number; yellowMin: number | null; redThreshold: number | null; comparisonBasis: ComparisonBasis; priority: number } | null;
  createdAt: Date;
  updatedAt: Date;
}

const kpiColumns = {
  id: kpiDefinitions.id,
  kpiCode: kpiDefinitions.kpiCode,
  name: kpiDefinitions.name,
  description: kpiDefinitions.description,
  unit: kpiDefinitions.unit,
  calculationMethod: kpiDefinitions.calculationMethod,
  category: kpiDefinitions.category,
  direction: kpiDefinitions.direction,
  isActive: kpiDefinitions.isActive,
  createdAt: kpiDefinitions.createdAt,
  updatedAt: kpiDefinitions.updatedAt,
  thresholdId: kpiThresholds.id,
  greenMin: kpiThresholds.greenMin,
  yellowMin: kpiThresholds.yellowMin,
  redThreshold: kpiThresholds.redThreshold,
  comparisonBasis: kpiThresholds.comparisonBasis,
  priority: kpiThresholds.priority,
};

const kpisWithDefaultThreshold = (ctx: ServiceContext) =>
  ctx.db
    .select(kpiColumns)
    .from(kpiDefinitions)
    .leftJoin(kpiThresholds, and(eq(kpiThresholds.kpiDefinitionId, kpiDefinitions.id), isNull(kpiThresholds.storeId)));

type KpiRow = Awaited<ReturnType<typeof kpisWithDefaultThreshold>>[number];

function toKpiView(row: KpiRow): KpiView {
  const { thresholdId, greenMin, yellowMin, redThreshold, comparisonBasis, priority, ...kpi } = row;
  return {
    ...kpi,
    threshold: thresholdId
      ? {
          id: thresholdId,
          greenMin: greenMin ?? 0,
          yellowMin,
          redThreshold,
          comparisonBasis: comparisonBasis as ComparisonBasis,
          priority: priority ?? 3,
        }
      : null,
  };
}

export async function listKpis(ctx: ServiceContext, query: z.infer<typeof listKpisQuery>): Promise<Page<KpiView>> {
  const filters: (SQL | undefined)[] = [
    eq(kpiDefinitions.organizationId, ctx.organization.id),
    query.category ? eq(kpiDefinitions.category, query.category) : undefined,
    query.isActive !== undefined ? eq(kpiDefinitions.isActive, query.isActive) : undefined,
    query.q ? or(ilike(kpiDefinitions.kpiCode, likePattern(query.q)), ilike(kpiDefinitions.name, likePattern(query.q))) : undefined,
  ];
  const where = and(...filters);
  const rows = await kpisWithDefaultThreshold(ctx)
    .where(where)
    .orderBy(
      ...orderBy(
        query.sort,
        { kpiCode: kpiDefinitions.kpiCode, name: kpiDefinitions.name, category: kpiDefinitions.category, createdAt: kpiDefinitions.createdAt },
        kpiDefinitions.id,
      ),
    )
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(kpiDefinitions).where(where);
  return { data: rows.map((r) => toKpiView(r)), page: { limit: query.limit, offset: query.offset, total } };
}

export async function getKpi(ctx: ServiceContext, id: string): Promise<KpiView> {
  const [row] = await kpisWithDefaultThreshold(ctx).where(and(eq(kpiDefinitions.id, id), eq(kpiDefinitions.organizationId, ctx.organization.id)));
  if (!row) throw notFound('KPI', id);
  return toKpiView(row);
}

function assertThresholdOrder(direction: string, levels: z.infer<typeof thresholdValues>, pathPrefix = ''): void {
  const problem = thresholdOrderProblem(direction, levels);
  if (problem) throw validationFailed(problem.message, [{ path: `${pathPrefix}${problem.path}`, message: problem.message }]);
}

const kpiCodeTaken = (code: string) => conflict(`A KPI with code ${code} already exists in this organization; KPI codes must be unique.`);

export async function createKpi(ctx: ServiceContext, input: z.input<typeof kpiInput>): Promise<KpiView> {
  const { threshold, ...fields } = kpiInput.parse(input);
  if (threshold) assertThresholdOrder(fields.direction, threshold, 'threshold.');
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const [row] = await tx.db
      .insert(kpiDefinitions)
      .values({ ...fields, organizationId: tx.organization.id, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw kpiCodeTaken(fields.kpiCode);
    if (threshold) await writeThreshold(tx, row.id, null, threshold);
    const after = await getKpi(tx, row.id);
    await recordAudit(tx, { action: 'store-health.kpi.create', entityType: 'store_health.kpi_definition', entityId: row.id, after });
    return after;
  });
}

export async function updateKpi(ctx: ServiceContext, id: string, patch: z.infer<typeof kpiPatch>): Promise<KpiView> {
  const { threshold, ...fields } = patch;
  return inTransaction(ctx, async (tx) => {
    const before = await getKpi(tx, id);
    const direction = fields.direction ?? before.direction;
    if (threshold) assertThresholdOrder(direction, threshold, 'threshold.');
    if (fields.direction && fields.direction !== before.direction) {
      // Thresholds written for the old direction would now read backwards; they must be restated first.
      const existing = await listThresholdRows(tx, id);
      const kept = existing.filter((t) => !(threshold !== undefined && t.storeId === null));
      const wrong = kept.filter((t) => thresholdOrderProblem(direction, t));
      if (wrong.length > 0) {
        const names = wrong.map((t) => (t.storeCode ? `store ${t.storeCode}` : 'the organization default')).join(', ');
        throw conflict(
          `Changing ${before.kpiCode} to ${direction} would reverse the meaning of ${wrong.length} threshold(s) (${names}); update or delete them first.`,
        );
      }
    }
    try {
      if (Object.keys(fields).length > 0) {
        await tx.db
          .update(kpiDefinitions)
          .set({ ...fields, updatedAt: tx.clock.now() })
          .where(and(eq(kpiDefinitions.id, id), eq(kpiDefinitions.organizationId, tx.organization.id)));
      }
    } catch (error) {
      if (isUniqueViolation(error)) throw kpiCodeTaken(fields.kpiCode ?? before.kpiCode);
      throw error;
    }
    if (threshold === null) {
      await tx.db.delete(kpiThresholds).where(and(eq(kpiThresholds.kpiDefinitionId, id), isNull(kpiThresholds.storeId)));
    } else if (threshold) {
      await writeThreshold(tx, id, null, threshold);
    }
    const after = await getKpi(tx, id);
    await recordAudit(tx, { action: 'store-health.kpi.update', entityType: 'store_health.kpi_definition', entityId: id, before, after });
    return after;
  });
}

// ---- thresholds: organization default and per-store overrides (an override wins) ----

const thresholdColumns = {
  id: kpiThresholds.id,
  kpiDefinitionId: kpiThresholds.kpiDefinitionId,
  storeId: kpiThresholds.storeId,
  storeCode: stores.storeCode,
  greenMin: kpiThresholds.greenMin,
  yellowMin: kpiThresholds.yellowMin,
  redThreshold: kpiThresholds.redThreshold,
  comparisonBasis: kpiThresholds.comparisonBasis,
  priority: kpiThresholds.priority,
  createdAt: kpiThresholds.createdAt,
  updatedAt: kpiThresholds.updatedAt,
};

async function listThresholdRows(ctx: ServiceContext, kpiId: string, where?: SQL): Promise<ThresholdView[]> {
  const rows = await ctx.db
    .select(thresholdColumns)
    .from(kpiThresholds)
    .leftJoin(stores, eq(stores.id, kpiThresholds.storeId))
    .where(and(eq(kpiThresholds.kpiDefinitionId, kpiId), eq(kpiThresholds.organizationId, ctx.organization.id), where))
    .orderBy(asc(stores.storeCode));
  return rows.map((r) => ({
    ...r,
    greenMin: r.greenMin ?? 0,
    comparisonBasis: r.comparisonBasis as ComparisonBasis,
  }));
}

export async function getKpiThresholds(
  ctx: ServiceContext,
  kpiId: string,
): Promise<{ organizationDefault: ThresholdView | null; storeOverrides: ThresholdView[] }> {
  await getKpi(ctx, kpiId);
  const rows = await listThresholdRows(ctx, kpiId);
  return { organizationDefault: rows.find((r) => r.storeId === null) ?? null, storeOverrides: rows.filter((r) => r.storeId !== null) };
}

/** Inserts or replaces the threshold of one scope (organization default when storeId is null). */
async function writeThreshold(ctx: ServiceContext, kpiId: string, storeId: string | null, values: z.infer<typeof thresholdValues>): Promise<string> {
  const now = ctx.clock.now();
  const scope = and(
    eq(kpiThresholds.kpiDefinitionId, kpiId),
    eq(kpiThresholds.organizationId, ctx.organization.id),
    storeId ? eq(kpiThresholds.storeId, storeId) : isNull(kpiThresholds.storeId),
  );
  const [updated] = await ctx.db
    .update(kpiThresholds)
    .set({ ...values, updatedAt: now })
    .where(scope)
    .returning({ id: kpiThresholds.id });
  if (updated) return updated.id;
  const [inserted] = await ctx.db
    .insert(kpiThresholds)
    .values({ ...values, kpiDefinitionId: kpiId, organizationId: ctx.organization.id, storeId, createdAt: now, updatedAt: now })
    .returning({ id: kpiThresholds.id });
  return inserted.id;
}

export async function putKpiThreshold(ctx: ServiceContext, kpiId: string, input: z.input<typeof thresholdPut>): Promise<ThresholdView> {
  const { storeId, ...values } = thresholdPut.parse(input);
  return inTransaction(ctx, async (tx) => {
    const kpi = await getKpi(tx, kpiId);
    assertThresholdOrder(kpi.direction, values);
    if (storeId) {
      const [store] = await tx.db
        .select({ id: stores.id })
        .from(stores)
        .where(and(eq(stores.id, storeId), eq(stores.organizationId, tx.organization.id)));
      if (!store) throw validationFailed('That store does not exist in this organization.', [{ path: 'storeId', message: `No store ${storeId}.` }]);
    }
    const [before] = await listThresholdRows(tx, kpiId, storeId ? eq(kpiThresholds.storeId, storeId) : isNull(kpiThresholds.storeId));
    const id = await writeThreshold(tx, kpiId, storeId ?? null, values);
    const [after] = await listThresholdRows(tx, kpiId, eq(kpiThresholds.id, id));
    await recordAudit(tx, {
      action: before ? 'store-health.threshold.update' : 'store-health.threshold.create',
      entityType: 'store_health.kpi_threshold',
      entityId: id,
      before: before ?? null,
      after,
    });
    return after;
  });
}

export async function deleteKpiThreshold(ctx: ServiceContext, kpiId: string, thresholdId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await getKpi(tx, kpiId);
    const [before] = await listThresholdRows(tx, kpiId, eq(kpiThresholds.id, thresholdId));
    if (!before) throw notFound('Threshold', thresholdId);
    await tx.db.delete(kpiThresholds).where(and(eq(kpiThresholds.id, thresholdId), eq(kpiThresholds.organizationId, tx.organization.id)));
    await recordAudit(tx, { action: 'store-health.threshold.delete', entityType: 'store_health.kpi_threshold', entityId: thresholdId, before });
  });
}

/** KPI definitions the module itself needs (derived labor/inventory KPIs): created when missing, never overwritten. */
export async function ensureKpiDefinitions(
  ctx: ServiceContext,
  definitions: Omit<z.infer<typeof kpiInput>, 'threshold' | 'isActive'>[],
): Promise<Map<string, string>> {
  const now = ctx.clock.now();
  if (definitions.length > 0) {
    await ctx.db
      .insert(kpiDefinitions)
      .values(definitions.map((d) => ({ ...d, organizationId: ctx.organization.id, createdAt: now, updatedAt: now })))
      .onConflictDoNothing();
  }
  const rows = await ctx.db
    .select({ id: kpiDefinitions.id, kpiCode: kpiDefinitions.kpiCode })
    .from(kpiDefinitions)
    .where(and(eq(kpiDefinitions.organizationId, ctx.organization.id), isNotNull(kpiDefinitions.kpiCode)));
  return new Map(rows.map((r) => [r.kpiCode, r.id]));
}
