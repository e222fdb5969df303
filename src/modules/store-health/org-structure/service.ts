import { and, count, eq, gte, ilike, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../../../core/db/list-query.js';
import { conflict, notFound, validationFailed } from '../../../core/errors.js';
import { districts, regions, storeClosures, stores } from '../schema.js';
import { isIsoDate } from '../shared/dates.js';
import { isUniqueViolation } from './db-errors.js';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const managerFields = {
  managerName: optionalText(200),
  managerEmail: z.email('Enter a valid email address').nullable().optional(),
  managerPhone: optionalText(50),
};
const isoDate = z.string().refine(isIsoDate, 'Use a calendar date as YYYY-MM-DD');

// ---- regions ----

export const regionInput = z.object({ name: z.string().trim().min(1).max(200), ...managerFields });
export const regionPatch = regionInput.partial();
export const listRegionsQuery = listQuerySchema(['name', 'createdAt'], 'name', {});

export interface RegionView {
  id: string;
  name: string;
  managerName: string | null;
  managerEmail: string | null;
  managerPhone: string | null;
  districtCount: number;
  storeCount: number;
  createdAt: Date;
  updatedAt: Date;
}

// Qualified by hand: drizzle leaves columns unqualified in a one-table select, where "id" would bind to the subquery.
const regionColumns = {
  id: regions.id,
  name: regions.name,
  managerName: regions.managerName,
  managerEmail: regions.managerEmail,
  managerPhone: regions.managerPhone,
  districtCount: sql<number>`(select count(*)::int from store_health.districts d where d.region_id = "regions"."id")`,
  storeCount: sql<number>`(select count(*)::int from store_health.stores s where s.region_id = "regions"."id")`,
  createdAt: regions.createdAt,
  updatedAt: regions.updatedAt,
};

export async function listRegions(ctx: ServiceContext, query: z.infer<typeof listRegionsQuery>): Promise<Page<RegionView>> {
  const where = and(eq(regions.organizationId, ctx.organization.id), query.q ? ilike(regions.name, likePattern(query.q)) : undefined);
  const data = await ctx.db
    .select(regionColumns)
    .from(regions)
    .where(where)
    .orderBy(...orderBy(query.sort, { name: regions.name, createdAt: regions.createdAt }, regions.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(regions).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total } };
}

export async function getRegion(ctx: ServiceContext, id: string): Promise<RegionView> {
  const [row] = await ctx.db
    .select(regionColumns)
    .from(regions)
    .where(and(eq(regions.id, id), eq(regions.organizationId, ctx.organization.id)));
  if (!row) throw notFound('Region', id);
  return row;
}

const regionNameTaken = (name: string) => conflict(`A region named "${name}" already exists in this organization; pick another name.`);

export async function createRegion(ctx: ServiceContext, input: z.infer<typeof regionInput>): Promise<RegionView> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const [row] = await tx.db
      .insert(regions)
      .values({ organizationId: tx.organization.id, ...input, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw regionNameTaken(input.name);
    await recordAudit(tx, { action: 'store-health.region.create', entityType: 'store_health.region', entityId: row.id, after: row });
    return getRegion(tx, row.id);
  });
}

export async function updateRegion(ctx: ServiceContext, id: string, patch: z.infer<typeof regionPatch>): Promise<RegionView> {
  return inTransaction(ctx, async (tx) => {
    const before = await getRegion(tx, id);
    try {
      await tx.db
        .update(regions)
        .set({ ...patch, updatedAt: tx.clock.now() })
        .where(and(eq(regions.id, id), eq(regions.organizationId, tx.organization.id)));
    } catch (error) {
      if (isUniqueViolation(error)) throw regionNameTaken(patch.name ?? before.name);
      throw error;
    }
    const after = await getRegion(tx, id);
    await recordAudit(tx, { action: 'store-health.region.update', entityType: 'store_health.region', entityId: id, before, after });
    return after;
  });
}

export async function deleteRegion(ctx: ServiceContext, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const before = await getRegion(tx, id);
    if (before.districtCount > 0 || before.storeCount > 0) {
      throw conflict(`Region "${before.name}" still has ${before.districtCount} district(s) and ${before.storeCount} store(s); move or delete them first.`);
    }
    await tx.db.delete(regions).where(and(eq(regions.id, id), eq(regions.organizationId, tx.organization.id)));
    await recordAudit(tx, { action: 'store-health.region.delete', entityType: 'store_health.region', entityId: id, before });
  });
}

// ---- districts ----

export const districtInput = z.object({ name: z.string().trim().min(1).max(200), regionId: z.uuid(), ...managerFields });
export const districtPatch = districtInput.partial();
export const listDistrictsQuery = listQuerySchema(['name', 'regionName', 'createdAt'], 'name', { regionId: z.uuid().optional() });

export interface DistrictView {
  id: string;
  name: string;
  regionId: string;
  regionName: string;
  managerName: string | null;
  managerEmail: string | null;
  managerPhone: string | null;
  storeCount: number;
  createdAt: Date;
  updatedAt: Date;
}

const districtColumns = {
  id: districts.id,
  name: districts.name,
  regionId: districts.regionId,
  regionName: regions.name,
  managerName: districts.managerName,
  managerEmail: districts.managerEmail,
  managerPhone: districts.managerPhone,
  storeCount: sql<number>`(select count(*)::int from store_health.stores s where s.district_id = "districts"."id")`,
  createdAt: districts.createdAt,
  updatedAt: districts.updatedAt,
};

export async function listDistricts(ctx: ServiceContext, query: z.infer<typeof listDistrictsQuery>): Promise<Page<DistrictView>> {
  const where = and(
    eq(districts.organizationId, ctx.organization.id),
    query.regionId ? eq(districts.regionId, query.regionId) : undefined,
    query.q ? or(ilike(districts.name, likePattern(query.q)), ilike(regions.name, likePattern(query.q))) : undefined,
  );
  const data = await ctx.db
    .select(districtColumns)
    .from(districts)
    .innerJoin(regions, eq(regions.id, districts.regionId))
    .where(where)
    .orderBy(...orderBy(query.sort, { name: districts.name, regionName: regions.name, createdAt: districts.createdAt }, districts.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(districts).innerJoin(regions, eq(regions.id, districts.regionId)).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total } };
}

export async function getDistrict(ctx: ServiceContext, id: string): Promise<DistrictView> {
  const [row] = await ctx.db
    .select(districtColumns)
    .from(districts)
    .innerJoin(regions, eq(regions.id, districts.regionId))
    .where(and(eq(districts.id, id), eq(districts.organizationId, ctx.organization.id)));
  if (!row) throw notFound('District', id);
  return row;
}

/** A region id from a request must belong to the caller's organization; otherwise it is a field error. */
async function assertRegionOfOrganization(ctx: ServiceContext, regionId: string, path = 'regionId'): Promise<void> {
  const [row] = await ctx.db
    .select({ id: regions.id })
    .from(regions)
    .where(and(eq(regions.id, regionId), eq(regions.organizationId, ctx.organization.id)));
  if (!row) throw validationFailed('That region does not exist in this organization.', [{ path, message: `No region ${regionId} in this organization.` }]);
}

const districtNameTaken = (name: string) => conflict(`A district named "${name}" already exists in this organization; pick another name.`);

export async function createDistrict(ctx: ServiceContext, input: z.infer<typeof districtInput>): Promise<DistrictView> {
  return inTransaction(ctx, async (tx) => {
    await assertRegionOfOrganization(tx, input.regionId);
    const now = tx.clock.now();
    const [row] = await tx.db
      .insert(districts)
      .values({ organizationId: tx.organization.id, ...input, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw districtNameTaken(input.name);
    await recordAudit(tx, { action: 'store-health.district.create', entityType: 'store_health.district', entityId: row.id, after: row });
    return getDistrict(tx, row.id);
  });
}

export async function updateDistrict(ctx: ServiceContext, id: string, patch: z.infer<typeof districtPatch>): Promise<DistrictView> {
  return inTransaction(ctx, async (tx) => {
    const before = await getDistrict(tx, id);
    if (patch.regionId) await assertRegionOfOrganization(tx, patch.regionId);
    try {
      await tx.db
        .update(districts)
        .set({ ...patch, updatedAt: tx.clock.now() })
        .where(and(eq(districts.id, id), eq(districts.organizationId, tx.organization.id)));
    } catch (error) {
      if (isUniqueViolation(error)) throw districtNameTaken(patch.name ?? before.name);
      throw error;
    }
    if (patch.regionId && patch.regionId !== before.regionId) {
      // Stores follow their district, so escalation to the region manager reaches the right person.
      await tx.db
        .update(stores)
        .set({ regionId: patch.regionId, updatedAt: tx.clock.now() })
        .where(and(eq(stores.districtId, id), eq(stores.organizationId, tx.organization.id)));
    }
    const after = await getDistrict(tx, id);
    await recordAudit(tx, { action: 'store-health.district.update', entityType: 'store_health.district', entityId: id, before, after });
    return after;
  });
}

export async function deleteDistrict(ctx: ServiceContext, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const before = await getDistrict(tx, id);
    if (before.storeCount > 0) {
      throw conflict(`District "${before.name}" still has ${before.storeCount} store(s); move them to another district first.`);
    }
    await tx.db.delete(districts).where(and(eq(districts.id, id), eq(districts.organizationId, tx.organization.id)));
    await recordAudit(tx, { action: 'store-health.district.delete', entityType: 'store_health.district', entityId: id, before });
  });
}

// ---- closures (holidays and one-off closed days) ----

export const closureInput = z.object({
  storeId: z.uuid().nullable().optional().describe('Empty: the whole organization is closed that day'),
  closureDate: isoDate,
  kind: z.enum(['holiday', 'closed']).default('holiday'),
  reason: optionalText(500),
});
export const listClosuresQuery = listQuerySchema(['closureDate', 'createdAt'], 'closureDate', {
  storeId: z.uuid().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export interface ClosureView {
  id: string;
  storeId: string | null;
  storeCode: string | null;
  closureDate: string;
  kind: string;
  reason: string | null;
  createdAt: Date;
}

const closureColumns = {
  id: storeClosures.id,
  storeId: storeClosures.storeId,
  storeCode: stores.storeCode,
  closureDate: storeClosures.closureDate,
  kind: storeClosures.kind,
  reason: storeClosures.reason,
  createdAt: storeClosures.createdAt,
};

export async function listClosures(ctx: ServiceContext, query: z.infer<typeof listClosuresQuery>): Promise<Page<ClosureView>> {
  const filters: (SQL | undefined)[] = [
    eq(storeClosures.organizationId, ctx.organization.id),
    // A store's calendar includes the organization-wide closures.
    query.storeId ? or(eq(storeClosures.storeId, query.storeId), isNull(storeClosures.storeId)) : undefined,
    query.from ? gte(storeClosures.closureDate, query.from) : undefined,
    query.to ? lte(storeClosures.closureDate, query.to) : undefined,
    query.q ? or(ilike(storeClosures.reason, likePattern(query.q)), ilike(stores.storeCode, likePattern(query.q))) : undefined,
  ];
  const where = and(...filters);
  const data = await ctx.db
    .select(closureColumns)
    .from(storeClosures)
    .leftJoin(stores, eq(stores.id, storeClosures.storeId))
    .where(where)
    .orderBy(...orderBy(query.sort, { closureDate: storeClosures.closureDate, createdAt: storeClosures.createdAt }, storeClosures.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(storeClosures).leftJoin(stores, eq(stores.id, storeClosures.storeId)).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total } };
}

async function getClosure(ctx: ServiceContext, id: string): Promise<ClosureView> {
  const [row] = await ctx.db
    .select(closureColumns)
    .from(storeClosures)
    .leftJoin(stores, eq(stores.id, storeClosures.storeId))
    .where(and(eq(storeClosures.id, id), eq(storeClosures.organizationId, ctx.organization.id)));
  if (!row) throw notFound('Closure', id);
  return row;
}

export async function createClosure(ctx: ServiceContext, input: z.input<typeof closureInput>): Promise<ClosureView> {
  const parsed = closureInput.parse(input);
  return inTransaction(ctx, async (tx) => {
    let storeCode: string | null = null;
    if (parsed.storeId) {
      const [store] = await tx.db
        .select({ storeCode: stores.storeCode })
        .from(stores)
        .where(and(eq(stores.id, parsed.storeId), eq(stores.organizationId, tx.organization.id)));
      if (!store) throw validationFailed('That store does not exist in this organization.', [{ path: 'storeId', message: `No store ${parsed.storeId}.` }]);
      storeCode = store.storeCode;
    }
    const [row] = await tx.db
      .insert(storeClosures)
      .values({
        organizationId: tx.organization.id,
        storeId: parsed.storeId ?? null,
        closureDate: parsed.closureDate,
        kind: parsed.kind,
        reason: parsed.reason ?? null,
        createdAt: tx.clock.now(),
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      throw conflict(`${storeCode ? `Store ${storeCode}` : 'The organization'} already has a closure on ${parsed.closureDate}; delete it first to change it.`);
    }
    await recordAudit(tx, { action: 'store-health.closure.create', entityType: 'store_health.store_closure', entityId: row.id, after: row });
    return { ...row, storeCode };
  });
}

export async function deleteClosure(ctx: ServiceContext, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const before = await getClosure(tx, id);
    await tx.db.delete(storeClosures).where(and(eq(storeClosures.id, id), eq(storeClosures.organizationId, tx.organization.id)));
    await recordAudit(tx, { action: 'store-health.closure.delete', entityType: 'store_health.store_closure', entityId: id, before });
  });
}
