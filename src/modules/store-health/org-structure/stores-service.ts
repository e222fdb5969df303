import { and, count, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../../../core/db/list-query.js';
import { conflict, notFound, validationFailed } from '../../../core/errors.js';
import { isValidTimezone } from '../../../core/jobs/define-job.js';
import { districts, kpiMetrics, regions, stores, type OpeningHours } from '../schema.js';
import { isUniqueViolation } from './db-errors.js';
import { openingHoursSchema } from './opening-hours-input.js';

export const storeStatuses = ['active', 'inactive', 'closed'] as const;

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
export const timezoneSchema = z.string().refine(isValidTimezone, 'Use an IANA time zone such as America/New_York');

const storeFields = z.object({
  storeCode: z.string().trim().min(1).max(50),
  name: z.string().trim().min(1).max(200),
  address: optionalText(300),
  city: optionalText(120),
  state: optionalText(120),
  zipCode: optionalText(20),
  timezone: timezoneSchema.optional().describe("Defaults to the organization's time zone"),
  phone: optionalText(50),
  managerName: optionalText(200),
  managerPhone: optionalText(50),
  managerEmail: z.email('Enter a valid email address').nullable().optional(),
  regionId: z.uuid().nullable().optional(),
  districtId: z.uuid().nullable().optional().describe("Sets the region to the district's region"),
  status: z.enum(storeStatuses),
  openingHours: openingHoursSchema,
  metadata: z.record(z.string(), z.unknown()),
});
export const storeInput = storeFields.extend({
  status: storeFields.shape.status.default('active'),
  openingHours: openingHoursSchema.default({}),
  metadata: storeFields.shape.metadata.default({}),
});
// Built from the fields without defaults: zod 4 applies a default even inside .partial().
export const storePatch = storeFields.partial();
export const listStoresQuery = listQuerySchema(['storeCode', 'name', 'city', 'status', 'createdAt'], 'storeCode', {
  regionId: z.uuid().optional(),
  districtId: z.uuid().optional(),
  status: z.enum(storeStatuses).optional(),
});

export interface StoreView {
  id: string;
  storeCode: string;
  name: string;
  address: string | null;
  city: string | null;
  state: string | null;
  zipCode: string | null;
  timezone: string;
  phone: string | null;
  managerName: string | null;
  managerPhone: string | null;
  managerEmail: string | null;
  regionId: string | null;
  regionName: string | null;
  districtId: string | null;
  districtName: string | null;
  status: string;
  openingHours: OpeningHours;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

const storeColumns = {
  id: stores.id,
  storeCode: stores.storeCode,
  name: stores.name,
  address: stores.address,
  city: stores.city,
  state: stores.state,
  zipCode: stores.zipCode,
  timezone: stores.timezone,
  phone: stores.phone,
  managerName: stores.managerName,
  managerPhone: stores.managerPhone,
  managerEmail: stores.managerEmail,
  regionId: stores.regionId,
  regionName: regions.name,
  districtId: stores.districtId,
  districtName: districts.name,
  status: stores.status,
  openingHours: stores.openingHours,
  metadata: stores.metadata,
  createdAt: stores.createdAt,
  updatedAt: stores.updatedAt,
};

const storesWithNames = (ctx: ServiceContext) =>
  ctx.db.select(storeColumns).from(stores).leftJoin(regions, eq(regions.id, stores.regionId)).leftJoin(districts, eq(districts.id, stores.districtId));

export async function listStores(ctx: ServiceContext, query: z.infer<typeof listStoresQuery>): Promise<Page<StoreView>> {
  const filters: (SQL | undefined)[] = [
    eq(stores.organizationId, ctx.organization.id),
    query.regionId ? eq(stores.regionId, query.regionId) : undefined,
    query.districtId ? eq(stores.districtId, query.districtId) : undefined,
    query.status ? eq(stores.status, query.status) : undefined,
    query.q
      ? or(
          ilike(stores.storeCode, likePattern(query.q)),
          ilike(stores.name, likePattern(query.q)),
          ilike(stores.city, likePattern(query.q)),
          ilike(stores.managerName, likePattern(query.q)),
        )
      : undefined,
  ];
  const where = and(...filters);
  const data = await storesWithNames(ctx)
    .where(where)
    .orderBy(
      ...orderBy(
        query.sort,
        { storeCode: stores.storeCode, name: stores.name, city: stores.city, status: stores.status, createdAt: stores.createdAt },
        stores.id,
      ),
    )
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(stores).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total } };
}

export async function getStore(ctx: ServiceContext, id: string): Promise<StoreView> {
  const [row] = await storesWithNames(ctx).where(and(eq(stores.id, id), eq(stores.organizationId, ctx.organization.id)));
  if (!row) throw notFound('Store', id);
  return row;
}

/**
 * The region and district a store ends up in. A district decides the region (a store cannot sit in a district
 * of another region); a region alone leaves the store without a district.
 */
export async function resolveStorePlacement(
  ctx: ServiceContext,
  wanted: { regionId?: string | null; districtId?: string | null },
  current: { regionId: string | null; districtId: string | null } = { regionId: null, districtId: null },
): Promise<{ regionId: string | null; districtId: string | null }> {
  const districtId = wanted.districtId !== undefined ? wanted.districtId : wanted.regionId !== undefined ? null : current.districtId;
  if (districtId) {
    const [district] = await ctx.db
      .select({ regionId: districts.regionId, name: districts.name })
      .from(districts)
      .where(and(eq(districts.id, districtId), eq(districts.organizationId, ctx.organization.id)));
    if (!district)
      throw validationFailed('That district does not exist in this organization.', [{ path: 'districtId', message: `No district ${districtId}.` }]);
    if (wanted.regionId && wanted.regionId !== district.regionId) {
      throw validationFailed(`District "${district.name}" belongs to another region.`, [
        { path: 'regionId', message: `District "${district.name}" belongs to region ${district.regionId}; leave regionId out or use that one.` },
      ]);
    }
    return { regionId: district.regionId, districtId };
  }
  const regionId = wanted.regionId !== undefined ? wanted.regionId : current.regionId;
  if (regionId) {
    const [region] = await ctx.db
      .select({ id: regions.id })
      .from(regions)
      .where(and(eq(regions.id, regionId), eq(regions.organizationId, ctx.organization.id)));
    if (!region) throw validationFailed('That region does not exist in this organization.', [{ path: 'regionId', message: `No region ${regionId}.` }]);
  }
  return { regionId: regionId ?? null, districtId: null };
}

const storeCodeTaken = (code: string) => conflict(`Store code ${code} is already used in this organization; store codes must be unique.`);

export async function createStore(ctx: ServiceContext, input: z.input<typeof storeInput>): Promise<StoreView> {
  const parsed = storeInput.parse(input);
  return inTransaction(ctx, async (tx) => {
    const placement = await resolveStorePlacement(tx, parsed);
    const now = tx.clock.now();
    const [row] = await tx.db
      .insert(stores)
      .values({
        ...parsed,
        ...placement,
        organizationId: tx.organization.id,
        timezone: parsed.timezone ?? tx.organization.timezone,
        openingHours: parsed.openingHours as OpeningHours,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw storeCodeTaken(parsed.storeCode);
    await recordAudit(tx, { action: 'store-health.store.create', entityType: 'store_health.store', entityId: row.id, after: row });
    return getStore(tx, row.id);
  });
}

export async function updateStore(ctx: ServiceContext, id: string, patch: z.infer<typeof storePatch>): Promise<StoreView> {
  return inTransaction(ctx, async (tx) => {
    const before = await getStore(tx, id);
    const placement = patch.regionId !== undefined || patch.districtId !== undefined ? await resolveStorePlacement(tx, patch, before) : {};
    const { regionId: _region, districtId: _district, ...fields } = patch;
    try {
      await tx.db
        .update(stores)
        .set({ ...fields, ...placement, openingHours: patch.openingHours as OpeningHours | undefined, updatedAt: tx.clock.now() })
        .where(and(eq(stores.id, id), eq(stores.organizationId, tx.organization.id)));
    } catch (error) {
      if (isUniqueViolation(error)) throw storeCodeTaken(patch.storeCode ?? before.storeCode);
      throw error;
    }
    const after = await getStore(tx, id);
    await recordAudit(tx, { action: 'store-health.store.update', entityType: 'store_health.store', entityId: id, before, after });
    return after;
  });
}

/** Deleting a store would erase its KPI history with it; a store with history is closed (status) instead. */
export async function deleteStore(ctx: ServiceContext, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const before = await getStore(tx, id);
    const [history] = await tx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(kpiMetrics)
      .where(and(eq(kpiMetrics.storeId, id), eq(kpiMetrics.organizationId, tx.organization.id)));
    if (history.n > 0) {
      throw conflict(
        `Store ${before.storeCode} has ${history.n} KPI value(s); deleting it would erase that history. Set its status to "closed" or "inactive" instead.`,
      );
    }
    await tx.db.delete(stores).where(and(eq(stores.id, id), eq(stores.organizationId, tx.organization.id)));
    await recordAudit(tx, { action: 'store-health.store.delete', entityType: 'store_health.store', entityId: id, before });
  });
}
