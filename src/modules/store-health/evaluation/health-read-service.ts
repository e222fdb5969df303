import { and, asc, desc, eq, gte, inArray, lte, max } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { notFound, validationFailed } from '../../../core/errors.js';
import { districts, kpiDefinitions, kpiMetrics, kpiStatusHistory, regions, storeHealthSnapshots, stores, type KpiStatus } from '../schema.js';
import { addDays, daysBetween, isIsoDate, localDate, type IsoDate } from '../shared/dates.js';
import { pairKey, resolveThresholds } from './evaluation-scope.js';
import { statusRank } from './threshold-rules.js';

export const isoDateSchema = z.string().refine(isIsoDate, 'Use a date as YYYY-MM-DD');

export interface StoreSnapshotView {
  storeId: string;
  storeCode: string;
  storeName: string;
  districtId: string | null;
  districtName: string | null;
  regionId: string | null;
  regionName: string | null;
  snapshotDate: IsoDate;
  overallStatus: KpiStatus;
  healthScore: number | null;
  redKpiCount: number;
  yellowKpiCount: number;
  greenKpiCount: number;
  escalationLevel: number;
  riskProbability: number | null;
  actionRequired: boolean;
  summary: string | null;
}

/** Worst first: red, yellow, no_data, green, closed; then the lower health score; then the store code. */
export function compareSnapshots(a: Pick<StoreSnapshotView, 'overallStatus' | 'healthScore' | 'storeCode'>, b: typeof a): number {
  return (
    (statusRank[a.overallStatus] ?? 9) - (statusRank[b.overallStatus] ?? 9) ||
    (a.healthScore ?? 101) - (b.healthScore ?? 101) ||
    a.storeCode.localeCompare(b.storeCode)
  );
}

/** Every store's snapshot of one day, worst first (what `retailops store-health status --json` prints). */
export async function getStoreSnapshots(ctx: ServiceContext, date: IsoDate): Promise<StoreSnapshotView[]> {
  if (!isIsoDate(date)) throw validationFailed('The date is not valid.', [{ path: 'date', message: 'Use a date as YYYY-MM-DD' }]);
  const rows = await ctx.db
    .select({
      storeId: stores.id,
      storeCode: stores.storeCode,
      storeName: stores.name,
      districtId: districts.id,
      districtName: districts.name,
      regionId: regions.id,
      regionName: regions.name,
      snapshotDate: storeHealthSnapshots.snapshotDate,
      overallStatus: storeHealthSnapshots.overallStatus,
      healthScore: storeHealthSnapshots.healthScore,
      redKpiCount: storeHealthSnapshots.redKpiCount,
      yellowKpiCount: storeHealthSnapshots.yellowKpiCount,
      greenKpiCount: storeHealthSnapshots.greenKpiCount,
      escalationLevel: storeHealthSnapshots.escalationLevel,
      riskProbability: storeHealthSnapshots.riskProbability,
      actionRequired: storeHealthSnapshots.actionRequired,
      summary: storeHealthSnapshots.summary,
    })
    .from(storeHealthSnapshots)
    .innerJoin(stores, eq(stores.id, storeHealthSnapshots.storeId))
    .leftJoin(districts, eq(districts.id, stores.districtId))
    .leftJoin(regions, eq(regions.id, stores.regionId))
    .where(and(eq(storeHealthSnapshots.organizationId, ctx.organization.id), eq(storeHealthSnapshots.snapshotDate, date)));
  return rows.sort(compareSnapshots);
}

const emptyCounts = () => ({ green: 0, yellow: 0, red: 0, closed: 0, no_data: 0, stores: 0 });
type StatusCounts = ReturnType<typeof emptyCounts>;

function countStatus(counts: StatusCounts, status: string) {
  if (status in counts && status !== 'stores') counts[status as keyof Omit<StatusCounts, 'stores'>] += 1;
  counts.stores += 1;
}

export const overviewQuery = z.object({ date: isoDateSchema.optional() });

/** Regions → districts → stores of one day, each level worst first. Default day: the latest snapshot date. */
export async function getOverview(ctx: ServiceContext, query: z.infer<typeof overviewQuery>) {
  let date = query.date ?? null;
  if (!date) {
    const [latest] = await ctx.db
      .select({ date: max(storeHealthSnapshots.snapshotDate) })
      .from(storeHealthSnapshots)
      .where(eq(storeHealthSnapshots.organizationId, ctx.organization.id));
    date = latest?.date ?? null;
  }
  const totals = emptyCounts();
  if (!date) return { date: null, totals, regions: [] };
  const snapshots = await getStoreSnapshots(ctx, date);

  type DistrictNode = { id: string; name: string; worstStatus: KpiStatus; counts: StatusCounts; stores: ReturnType<typeof storeNode>[]; minScore: number };
  type RegionNode = { id: string; name: string; worstStatus: KpiStatus; counts: StatusCounts; districts: Map<string, DistrictNode>; minScore: number };
  const storeNode = (s: StoreSnapshotView) => ({
    id: s.storeId,
    storeCode: s.storeCode,
    name: s.storeName,
    overallStatus: s.overallStatus,
    healthScore: s.healthScore,
    redKpiCount: s.redKpiCount,
    yellowKpiCount: s.yellowKpiCount,
    greenKpiCount: s.greenKpiCount,
    escalationLevel: s.escalationLevel,
    riskProbability: s.riskProbability,
    actionRequired: s.actionRequired,
    summary: s.summary,
  });
  const worse = (a: KpiStatus, b: KpiStatus) => ((statusRank[a] ?? 9) <= (statusRank[b] ?? 9) ? a : b);
  const regionsById = new Map<string, RegionNode>();
  for (const s of snapshots) {
    countStatus(totals, s.overallStatus);
    const regionId = s.regionId ?? 'unassigned';
    const region = regionsById.get(regionId) ?? {
      id: regionId,
      name: s.regionName ?? 'No region',
      worstStatus: 'closed' as KpiStatus,
      counts: emptyCounts(),
      districts: new Map<string, DistrictNode>(),
      minScore: 101,
    };
    regionsById.set(regionId, region);
    const districtId = s.districtId ?? 'unassigned';
    const district = region.districts.get(districtId) ?? {
      id: districtId,
      name: s.districtName ?? 'No district',
      worstStatus: 'closed' as KpiStatus,
      counts: emptyCounts(),
      stores: [],
      minScore: 101,
    };
    region.districts.set(districtId, district);
    district.stores.push(storeNode(s));
    countStatus(district.counts, s.overallStatus);
    countStatus(region.counts, s.overallStatus);
    district.worstStatus = worse(district.worstStatus, s.overallStatus);
    region.worstStatus = worse(region.worstStatus, s.overallStatus);
    district.minScore = Math.min(district.minScore, s.healthScore ?? 101);
    region.minScore = Math.min(region.minScore, s.healthScore ?? 101);
  }
  const byWorst = (a: { worstStatus: string; minScore: number; name: string }, b: typeof a) =>
    (statusRank[a.worstStatus] ?? 9) - (statusRank[b.worstStatus] ?? 9) || a.minScore - b.minScore || a.name.localeCompare(b.name);
  const regionList = [...regionsById.values()].sort(byWorst).map((r) => ({
    id: r.id,
    name: r.name,
    worstStatus: r.worstStatus,
    counts: r.counts,
    districts: [...r.districts.values()].sort(byWorst).map((d) => ({ id: d.id, name: d.name, worstStatus: d.worstStatus, counts: d.counts, stores: d.stores })),
  }));
  return { date, totals, regions: regionList };
}

export const storeHealthQuery = z.object({ from: isoDateSchema.optional(), to: isoDateSchema.optional() });

/** Default window: the 56 days up to the store's latest snapshot (or the organization's today). */
export const defaultHealthWindowDays = 56;

export async function getStoreHealth(ctx: ServiceContext, storeId: string, query: z.infer<typeof storeHealthQuery>) {
  const orgId = ctx.organization.id;
  const [row] = await ctx.db
    .select({ store: stores, regionName: regions.name, districtName: districts.name })
    .from(stores)
    .leftJoin(regions, eq(regions.id, stores.regionId))
    .leftJoin(districts, eq(districts.id, stores.districtId))
    .where(and(eq(stores.organizationId, orgId), eq(stores.id, storeId)));
  if (!row) throw notFound('Store', storeId);

  let to = query.to;
  if (!to) {
    const [latest] = await ctx.db
      .select({ date: max(storeHealthSnapshots.snapshotDate) })
      .from(storeHealthSnapshots)
      .where(and(eq(storeHealthSnapshots.organizationId, orgId), eq(storeHealthSnapshots.storeId, storeId)));
    to = latest?.date ?? localDate(ctx.clock.now(), ctx.organization.timezone);
  }
  const from = query.from ?? addDays(to, -(defaultHealthWindowDays - 1));
  if (from > to) throw validationFailed('The date range is not valid.', [{ path: 'from', message: 'Must be on or before "to"' }]);
  if (daysBetween(from, to) > 731) throw validationFailed('The date range is too long.', [{ path: 'from', message: 'Ask for at most two years' }]);

  const snapshotRows = await ctx.db
    .select()
    .from(storeHealthSnapshots)
    .where(
      and(
        eq(storeHealthSnapshots.organizationId, orgId),
        eq(storeHealthSnapshots.storeId, storeId),
        gte(storeHealthSnapshots.snapshotDate, from),
        lte(storeHealthSnapshots.snapshotDate, to),
      ),
    )
    .orderBy(asc(storeHealthSnapshots.snapshotDate));
  const kpiRows = await ctx.db
    .select()
    .from(kpiDefinitions)
    .where(and(eq(kpiDefinitions.organizationId, orgId), eq(kpiDefinitions.isActive, true)))
    .orderBy(asc(kpiDefinitions.kpiCode));
  const thresholds = kpiRows.length ? await resolveThresholds(ctx, { storeIds: [storeId], kpiIds: kpiRows.map((k) => k.id) }) : new Map();
  const metricRows = kpiRows.length
    ? await ctx.db
        .select({
          kpiId: kpiMetrics.kpiDefinitionId,
          date: kpiMetrics.metricDate,
          value: kpiMetrics.value,
          comparisonValue: kpiMetrics.comparisonValue,
          variancePct: kpiMetrics.variancePct,
          status: kpiMetrics.status,
          metadata: kpiMetrics.metadata,
        })
        .from(kpiMetrics)
        .where(
          and(
            eq(kpiMetrics.organizationId, orgId),
            eq(kpiMetrics.storeId, storeId),
            gte(kpiMetrics.metricDate, from),
            lte(kpiMetrics.metricDate, to),
            inArray(
              kpiMetrics.kpiDefinitionId,
              kpiRows.map((k) => k.id),
            ),
          ),
        )
        .orderBy(asc(kpiMetrics.metricDate))
    : [];
  const historyRows = await ctx.db
    .select({ history: kpiStatusHistory, kpiCode: kpiDefinitions.kpiCode })
    .from(kpiStatusHistory)
    .innerJoin(kpiDefinitions, eq(kpiDefinitions.id, kpiStatusHistory.kpiDefinitionId))
    .where(
      and(eq(kpiStatusHistory.organizationId, orgId), eq(kpiStatusHistory.storeId, storeId), gte(kpiStatusHistory.date, from), lte(kpiStatusHistory.date, to)),
    )
    .orderBy(desc(kpiStatusHistory.date), asc(kpiDefinitions.kpiCode));

  const kpis = kpiRows.map((k) => {
    const series = metricRows.filter((m) => m.kpiId === k.id);
    const threshold = thresholds.get(pairKey(storeId, k.id)) ?? null;
    const lastEvaluated = [...series].reverse().find((m) => m.status === 'green' || m.status === 'yellow' || m.status === 'red');
    const last = series[series.length - 1];
    return {
      kpi: { id: k.id, kpiCode: k.kpiCode, name: k.name, unit: k.unit, direction: k.direction, category: k.category },
      threshold: threshold
        ? {
            greenMin: threshold.greenMin,
            yellowMin: threshold.yellowMin,
            redThreshold: threshold.redThreshold,
            comparisonBasis: threshold.comparisonBasis,
            priority: threshold.priority,
            source: threshold.source,
          }
        : null,
      series: series.map((m) => ({ date: m.date, value: m.value, comparisonValue: m.comparisonValue, variancePct: m.variancePct, status: m.status })),
      // Closed and no_data days do not interrupt a status, so the current one is the last evaluated day's.
      currentStatus: (lastEvaluated?.status ?? last?.status ?? null) as KpiStatus | null,
      daysInStatus: lastEvaluated ? Number(lastEvaluated.metadata.daysInStatus ?? 1) : null,
    };
  });

  const { store } = row;
  return {
    store: {
      id: store.id,
      storeCode: store.storeCode,
      name: store.name,
      address: store.address,
      city: store.city,
      state: store.state,
      zipCode: store.zipCode,
      timezone: store.timezone,
      phone: store.phone,
      managerName: store.managerName,
      managerPhone: store.managerPhone,
      managerEmail: store.managerEmail,
      regionId: store.regionId,
      regionName: row.regionName,
      districtId: store.districtId,
      districtName: row.districtName,
      status: store.status,
      openingHours: store.openingHours,
      metadata: store.metadata,
    },
    snapshots: snapshotRows.map((s) => ({
      snapshotDate: s.snapshotDate,
      overallStatus: s.overallStatus,
      healthScore: s.healthScore,
      redKpiCount: s.redKpiCount,
      yellowKpiCount: s.yellowKpiCount,
      greenKpiCount: s.greenKpiCount,
      escalationLevel: s.escalationLevel,
      riskProbability: s.riskProbability,
      summary: s.summary,
      actionRequired: s.actionRequired,
    })),
    kpis,
    statusHistory: historyRows.map(({ history: h, kpiCode }) => ({
      date: h.date,
      kpiCode,
      previousStatus: h.previousStatus,
      currentStatus: h.currentStatus,
      value: h.value,
      variancePct: h.variancePct,
      durationInStatus: h.durationInStatus,
    })),
  };
}
