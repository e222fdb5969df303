import { and, eq, inArray } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { districts, kpiDefinitions, kpiThresholds, storeClosures, stores, type OpeningHours } from '../schema.js';
import type { IsoDate } from '../shared/dates.js';
import type { StoreCalendar } from '../shared/opening-hours.js';
import type { ComparisonBasis, KpiDirection } from './threshold-rules.js';

export interface ResolvedThreshold {
  thresholdId: string;
  greenMin: number;
  yellowMin: number | null;
  redThreshold: number | null;
  comparisonBasis: ComparisonBasis;
  priority: number;
  source: 'store' | 'organization';
}

export interface KpiInfo {
  id: string;
  kpiCode: string;
  name: string;
  unit: string;
  category: string;
  direction: KpiDirection;
  isActive: boolean;
}

export interface StoreInfo {
  id: string;
  storeCode: string;
  name: string;
  status: string;
  timezone: string;
  openingHours: OpeningHours;
  managerName: string | null;
  managerPhone: string | null;
  managerEmail: string | null;
  districtId: string | null;
  regionId: string | null;
  calendar: StoreCalendar;
}

export interface DistrictInfo {
  id: string;
  name: string;
  managerName: string | null;
  managerPhone: string | null;
  managerEmail: string | null;
}

/** Everything the evaluation needs to know about an organization, loaded once per run. */
export interface EvaluationScope {
  stores: Map<string, StoreInfo>;
  kpis: Map<string, KpiInfo>;
  districts: Map<string, DistrictInfo>;
  /** Resolved thresholds of active stores × active KPIs, keyed `${storeId}:${kpiId}`. */
  thresholds: Map<string, ResolvedThreshold>;
}

export const pairKey = (storeId: string, kpiId: string) => `${storeId}:${kpiId}`;

type ThresholdRow = typeof kpiThresholds.$inferSelect;

function toResolved(row: ThresholdRow): ResolvedThreshold | null {
  // A threshold without green_min cannot classify anything: the KPI is not evaluated for that store.
  if (row.greenMin === null) return null;
  return {
    thresholdId: row.id,
    greenMin: row.greenMin,
    yellowMin: row.yellowMin,
    redThreshold: row.redThreshold,
    comparisonBasis: row.comparisonBasis as ComparisonBasis,
    priority: row.priority,
    source: row.storeId ? 'store' : 'organization',
  };
}

/**
 * The threshold that applies to each (store, KPI): the store's override row when there is one, else the organization
 * default; the winning row applies whole (no mixing of fields). A KPI without either is not evaluated.
 */
export async function resolveThresholds(ctx: ServiceContext, input: { storeIds?: string[]; kpiIds?: string[] } = {}): Promise<Map<string, ResolvedThreshold>> {
  const orgId = ctx.organization.id;
  const rows = await ctx.db
    .select()
    .from(kpiThresholds)
    .where(and(eq(kpiThresholds.organizationId, orgId), input.kpiIds ? inArray(kpiThresholds.kpiDefinitionId, input.kpiIds) : undefined));
  const storeRows = await ctx.db
    .select({ id: stores.id })
    .from(stores)
    .where(and(eq(stores.organizationId, orgId), input.storeIds ? inArray(stores.id, input.storeIds) : undefined));
  const defaults = new Map<string, ThresholdRow>();
  const overrides = new Map<string, ThresholdRow>();
  for (const row of rows) {
    if (row.storeId) overrides.set(pairKey(row.storeId, row.kpiDefinitionId), row);
    else defaults.set(row.kpiDefinitionId, row);
  }
  const kpiIds = input.kpiIds ?? [...new Set(rows.map((r) => r.kpiDefinitionId))];
  const resolved = new Map<string, ResolvedThreshold>();
  for (const { id: storeId } of storeRows) {
    for (const kpiId of kpiIds) {
      const row = overrides.get(pairKey(storeId, kpiId)) ?? defaults.get(kpiId);
      const threshold = row ? toResolved(row) : null;
      if (threshold) resolved.set(pairKey(storeId, kpiId), threshold);
    }
  }
  return resolved;
}

export function calendarOf(store: { timezone: string; openingHours: OpeningHours }, closedDates: ReadonlySet<IsoDate>): StoreCalendar {
  return { timezone: store.timezone, openingHours: store.openingHours, closedDates };
}

/** Active stores (optionally a subset), active KPIs, districts, closures and thresholds of the organization. */
export async function loadEvaluationScope(ctx: ServiceContext, storeIds?: string[]): Promise<EvaluationScope> {
  const orgId = ctx.organization.id;
  const storeRows = await ctx.db
    .select()
    .from(stores)
    .where(and(eq(stores.organizationId, orgId), eq(stores.status, 'active'), storeIds ? inArray(stores.id, storeIds) : undefined));
  const kpiRows = await ctx.db
    .select()
    .from(kpiDefinitions)
    .where(and(eq(kpiDefinitions.organizationId, orgId), eq(kpiDefinitions.isActive, true)));
  const districtRows = await ctx.db.select().from(districts).where(eq(districts.organizationId, orgId));
  const closureRows = await ctx.db
    .select({ storeId: storeClosures.storeId, closureDate: storeClosures.closureDate })
    .from(storeClosures)
    .where(eq(storeClosures.organizationId, orgId));

  const orgWide = closureRows.filter((c) => c.storeId === null).map((c) => c.closureDate);
  const closedByStore = new Map<string, Set<IsoDate>>();
  for (const c of closureRows) {
    if (!c.storeId) continue;
    const set = closedByStore.get(c.storeId) ?? new Set<IsoDate>();
    set.add(c.closureDate);
    closedByStore.set(c.storeId, set);
  }

  const storeMap = new Map<string, StoreInfo>();
  for (const s of storeRows) {
    const closed = new Set<IsoDate>([...orgWide, ...(closedByStore.get(s.id) ?? [])]);
    storeMap.set(s.id, {
      id: s.id,
      storeCode: s.storeCode,
      name: s.name,
      status: s.status,
      timezone: s.timezone,
      openingHours: s.openingHours,
      managerName: s.managerName,
      managerPhone: s.managerPhone,
      managerEmail: s.managerEmail,
      districtId: s.districtId,
      regionId: s.regionId,
      calendar: calendarOf(s, closed),
    });
  }
  const kpiMap = new Map<string, KpiInfo>(
    kpiRows.map((k) => [
      k.id,
      { id: k.id, kpiCode: k.kpiCode, name: k.name, unit: k.unit, category: k.category, direction: k.direction as KpiDirection, isActive: k.isActive },
    ]),
  );
  const thresholds =
    storeMap.size && kpiMap.size
      ? await resolveThresholds(ctx, { storeIds: [...storeMap.keys()], kpiIds: [...kpiMap.keys()] })
      : new Map<string, ResolvedThreshold>();
  return {
    stores: storeMap,
    kpis: kpiMap,
    districts: new Map(
      districtRows.map((d) => [d.id, { id: d.id, name: d.name, managerName: d.managerName, managerPhone: d.managerPhone, managerEmail: d.managerEmail }]),
    ),
    thresholds,
  };
}
