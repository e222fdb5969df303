import { param, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { districts, kpiDefinitions, kpiThresholds, regions, storeClosures, stores } from '../schema.js';
import { addDays, daysBetween, type IsoDate } from '../shared/dates.js';
import type { ChainPlan } from './chain-plan.js';
import { demoKpiDefinitions } from './kpi-catalog.js';
import { topSkus, type StoreSimulation } from './store-simulation.js';

/**
 * Writes a planned chain and its simulated days. Everything is an upsert by natural key, and rows of the demo's own
 * windows that the plan no longer has (a closure that moved with the clock, a call-out of a re-simulated day) are
 * removed, so running the demo again refreshes it instead of piling up rows. Bulk rows travel as a few arrays per
 * statement (unnest), with stores and days as small integers into an id list and a start date.
 */

/** Rows per kpi_metrics statement: large enough to keep round trips few, small enough for modest parameter sizes. */
export const metricChunkRows = 40_000;

export interface ChainIds {
  /** Store ids in plan.stores order (index = the store number the bulk statements use, 1-based in SQL). */
  storeIds: string[];
  /** KPI ids in demoKpiDefinitions order. */
  kpiIds: string[];
}

const excluded = (column: string) => sql.raw(`excluded.${column}`);

export async function writeChainStructure(ctx: ServiceContext, plan: ChainPlan): Promise<ChainIds> {
  const org = ctx.organization.id;
  const now = ctx.clock.now();
  const regionRows = await ctx.db
    .insert(regions)
    .values(
      plan.regions.map((r) => ({
        organizationId: org,
        name: r.name,
        managerName: r.manager.name,
        managerEmail: r.manager.email,
        managerPhone: r.manager.phone,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [regions.organizationId, regions.name],
      set: { managerName: excluded('manager_name'), managerEmail: excluded('manager_email'), managerPhone: excluded('manager_phone'), updatedAt: now },
    })
    .returning({ id: regions.id, name: regions.name });
  const regionId = new Map(regionRows.map((r) => [r.name, r.id]));

  const districtRows = await ctx.db
    .insert(districts)
    .values(
      plan.districts.map((d) => ({
        organizationId: org,
        regionId: regionId.get(d.regionName)!,
        name: d.name,
        managerName: d.manager.name,
        managerEmail: d.manager.email,
        managerPhone: d.manager.phone,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [districts.organizationId, districts.name],
      set: {
        regionId: excluded('region_id'),
        managerName: excluded('manager_name'),
        managerEmail: excluded('manager_email'),
        managerPhone: excluded('manager_phone'),
        updatedAt: now,
      },
    })
    .returning({ id: districts.id, name: districts.name });
  const districtId = new Map(districtRows.map((d) => [d.name, d.id]));

  const storeRows = await ctx.db
    .insert(stores)
    .values(
      plan.stores.map((s) => ({
        organizationId: org,
        storeCode: s.storeCode,
        name: s.name,
        address: s.address,
        city: s.city,
        state: s.state,
        zipCode: s.zipCode,
        timezone: s.timezone,
        phone: s.phone,
        managerName: s.manager.name,
        managerPhone: s.manager.phone,
        managerEmail: s.manager.email,
        regionId: regionId.get(s.regionName)!,
        districtId: districtId.get(s.districtName)!,
        status: 'active',
        metadata: s.metadata,
        openingHours: s.openingHours,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [stores.organizationId, stores.storeCode],
      set: Object.fromEntries(
        [
          ['name', 'name'],
          ['address', 'address'],
          ['city', 'city'],
          ['state', 'state'],
          ['zipCode', 'zip_code'],
          ['timezone', 'timezone'],
          ['phone', 'phone'],
          ['managerName', 'manager_name'],
          ['managerPhone', 'manager_phone'],
          ['managerEmail', 'manager_email'],
          ['regionId', 'region_id'],
          ['districtId', 'district_id'],
          ['status', 'status'],
          ['metadata', 'metadata'],
          ['openingHours', 'opening_hours'],
        ].map(([field, column]) => [field, excluded(column)]),
      ),
    })
    .returning({ id: stores.id, storeCode: stores.storeCode });
  const storeId = new Map(storeRows.map((s) => [s.storeCode, s.id]));
  const storeIds = plan.stores.map((s) => storeId.get(s.storeCode)!);

  const kpiRows = await ctx.db
    .insert(kpiDefinitions)
    .values(
      demoKpiDefinitions.map((k) => ({
        organizationId: org,
        kpiCode: k.kpiCode,
        name: k.name,
        description: k.description,
        unit: k.unit === '$' ? plan.currencyUnit : k.unit,
        calculationMethod: k.calculationMethod,
        category: k.category,
        direction: k.direction,
        isActive: true,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [kpiDefinitions.organizationId, kpiDefinitions.kpiCode],
      set: {
        name: excluded('name'),
        description: excluded('description'),
        unit: excluded('unit'),
        calculationMethod: excluded('calculation_method'),
        category: excluded('category'),
        direction: excluded('direction'),
        isActive: true,
        updatedAt: now,
      },
    })
    .returning({ id: kpiDefinitions.id, kpiCode: kpiDefinitions.kpiCode });
  const kpiId = new Map(kpiRows.map((k) => [k.kpiCode, k.id]));
  const kpiIds = demoKpiDefinitions.map((k) => kpiId.get(k.kpiCode)!);

  const thresholdSet = {
    greenMin: excluded('green_min'),
    yellowMin: excluded('yellow_min'),
    redThreshold: excluded('red_threshold'),
    comparisonBasis: excluded('comparison_basis'),
    priority: excluded('priority'),
    updatedAt: now,
  };
  const defaults = demoKpiDefinitions.filter((k) => k.threshold);
  await ctx.db
    .insert(kpiThresholds)
    .values(
      defaults.map((k) => ({ ...k.threshold!, kpiDefinitionId: kpiId.get(k.kpiCode)!, organizationId: org, storeId: null, createdAt: now, updatedAt: now })),
    )
    .onConflictDoUpdate({ target: [kpiThresholds.organizationId, kpiThresholds.kpiDefinitionId], targetWhere: sql`store_id is null`, set: thresholdSet });
  if (plan.thresholdOverrides.length > 0) {
    await ctx.db
      .insert(kpiThresholds)
      .values(
        plan.thresholdOverrides.map(({ storeCode, kpiCode, why: _why, ...levels }) => ({
          ...levels,
          kpiDefinitionId: kpiId.get(kpiCode)!,
          organizationId: org,
          storeId: storeId.get(storeCode)!,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [kpiThresholds.organizationId, kpiThresholds.kpiDefinitionId, kpiThresholds.storeId],
        targetWhere: sql`store_id is not null`,
        set: thresholdSet,
      });
  }

  await writeClosures(ctx, plan, storeId);
  return { storeIds, kpiIds };
}

async function writeClosures(ctx: ServiceContext, plan: ChainPlan, storeId: Map<string, string>): Promise<void> {
  const org = ctx.organization.id;
  const now = ctx.clock.now();
  const holidays = plan.closures.filter((c) => c.storeCode === null);
  const storeDays = plan.closures.filter((c) => c.storeCode !== null);
  const set = { kind: excluded('kind'), reason: excluded('reason') };
  if (holidays.length > 0) {
    await ctx.db
      .insert(storeClosures)
      .values(holidays.map((c) => ({ organizationId: org, storeId: null, closureDate: c.date, kind: c.kind, reason: c.reason, createdAt: now })))
      .onConflictDoUpdate({ target: [storeClosures.organizationId, storeClosures.closureDate], targetWhere: sql`store_id is null`, set });
  }
  if (storeDays.length > 0) {
    await ctx.db
      .insert(storeClosures)
      .values(
        storeDays.map((c) => ({
          organizationId: org,
          storeId: storeId.get(c.storeCode!)!,
          closureDate: c.date,
          kind: c.kind,
          reason: c.reason,
          createdAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [storeClosures.organizationId, storeClosures.storeId, storeClosures.closureDate],
        targetWhere: sql`store_id is not null`,
        set,
      });
  }
  // Closures placed relative to "yesterday" move when the demo runs on a later day: the old ones go.
  await ctx.db.execute(sql`
    delete from store_health.store_closures c
    where c.organization_id = ${org}::uuid
      and c.closure_date between ${plan.history.from}::date and ${plan.closuresTo}::date
      and (c.store_id is null or c.store_id = any(${param([...storeId.values()])}::uuid[]))
      and not exists (
        select 1 from unnest(${param(plan.closures.map((c) => (c.storeCode ? storeId.get(c.storeCode)! : null)))}::uuid[],
          ${param(plan.closures.map((c) => c.date))}::date[]) as p(store_id, closure_date)
        where p.closure_date = c.closure_date and p.store_id is not distinct from c.store_id
      )`);
}

/** Stores and start date shared by the bulk statements: `ids[si]` and `from + di`. */
function bulkKeys(ids: ChainIds, plan: ChainPlan) {
  return { storeIds: sql`${param(ids.storeIds)}::uuid[]`, from: sql`${plan.history.from}::date` };
}

export interface MetricHistoryResult {
  rows: number;
  /** Rows removed from days that are closed in the current plan. */
  removed: number;
}

/**
 * Upserts every simulated KPI value. A changed value replaces the stored one and clears its evaluation (as an
 * import does); an equal value leaves the row alone, so a second run writes almost nothing.
 */
export async function writeMetricHistory(
  ctx: ServiceContext,
  plan: ChainPlan,
  simulations: StoreSimulation[],
  ids: ChainIds,
  onChunk?: (written: number, total: number) => void,
): Promise<MetricHistoryResult> {
  const org = ctx.organization.id;
  const now = ctx.clock.now().toISOString();
  const keys = bulkKeys(ids, plan);
  const kpiCount = ids.kpiIds.length;
  const totalDays = daysBetween(plan.history.from, plan.history.to) + 1;

  // A day closed in this plan (e.g. a closure that moved with the clock) keeps no KPI rows of the demo's KPIs.
  const closedStore: number[] = [];
  const closedDay: number[] = [];
  simulations.forEach((sim, s) => {
    const open = new Set(sim.openDays);
    for (let day = 0; day < totalDays; day++) {
      if (!open.has(day)) {
        closedStore.push(s + 1);
        closedDay.push(day);
      }
    }
  });
  const removedResult = (await ctx.db.execute(sql`
    with removed as (
      delete from store_health.kpi_metrics m
      using unnest(${param(closedStore)}::int[], ${param(closedDay)}::int[]) as c(si, di)
      where m.store_id = (${keys.storeIds})[c.si] and m.metric_date = ${keys.from} + c.di
        and m.kpi_definition_id = any(${param(ids.kpiIds)}::uuid[])
      returning 1
    )
    select count(*)::int as removed from removed`)) as unknown as { rows: { removed: number }[] };
  const removed = Number(removedResult.rows[0].removed);

  const total = simulations.reduce((sum, sim) => sum + sim.values.filter((v) => !Number.isNaN(v)).length, 0);
  let written = 0;
  const chunk = { si: [] as number[], ki: [] as number[], di: [] as number[], v: [] as number[] };
  const flush = async () => {
    if (chunk.v.length === 0) return;
    await ctx.db.execute(sql`
      insert into store_health.kpi_metrics as m (organization_id, store_id, kpi_definition_id, metric_date, value, created_at, updated_at)
      select ${org}::uuid, (${keys.storeIds})[t.si], (${param(ids.kpiIds)}::uuid[])[t.ki], ${keys.from} + t.di, t.v,
        ${now}::timestamptz, ${now}::timestamptz
      from unnest(${param(chunk.si)}::int[], ${param(chunk.ki)}::int[], ${param(chunk.di)}::int[], ${param(chunk.v)}::numeric[]) as t(si, ki, di, v)
      on conflict (store_id, kpi_definition_id, metric_date) do update set
        value = excluded.value, comparison_value = null, comparison_type = null, variance_pct = null, status = null,
        updated_at = excluded.updated_at
      where m.value is distinct from excluded.value`);
    written += chunk.v.length;
    onChunk?.(written, total);
    chunk.si = [];
    chunk.ki = [];
    chunk.di = [];
    chunk.v = [];
  };
  // In (store, KPI, date) order, the order of the unique index, so index pages fill one after another (~7 % faster).
  for (const [s, sim] of simulations.entries()) {
    for (let k = 0; k < kpiCount; k++) {
      for (const [position, day] of sim.openDays.entries()) {
        if (Number.isNaN(sim.values[position * kpiCount + k])) continue;
        chunk.si.push(s + 1);
        chunk.ki.push(k + 1);
        chunk.di.push(day);
        chunk.v.push(sim.values[position * kpiCount + k]);
      }
    }
    if (chunk.v.length >= metricChunkRows) await flush();
  }
  await flush();
  return { rows: total, removed };
}

export interface OperationsDetailResult {
  laborSchedules: number;
  laborCallouts: number;
  inventoryLevels: number;
  outOfStockEvents: number;
}

/** Labor shifts, call-outs, top-SKU inventory snapshots and out-of-stock events of the detail window. */
export async function writeOperationsDetail(
  ctx: ServiceContext,
  plan: ChainPlan,
  simulations: StoreSimulation[],
  ids: ChainIds,
): Promise<OperationsDetailResult> {
  const org = ctx.organization.id;
  const now = ctx.clock.now().toISOString();
  const keys = bulkKeys(ids, plan);
  const dayOf = (date: IsoDate) => daysBetween(plan.history.from, date);
  const planStores = sql`${param(ids.storeIds)}::uuid[]`;
  const window = sql`between ${plan.detailFrom}::date and ${plan.history.to}::date`;

  const shifts = simulations.flatMap((sim, s) => sim.shifts.map((row) => ({ si: s + 1, ...row })));
  const shiftArrays = sql`unnest(${param(shifts.map((r) => r.si))}::int[], ${param(shifts.map((r) => dayOf(r.date)))}::int[],
      ${param(shifts.map((r) => r.shiftStart))}::time[], ${param(shifts.map((r) => r.shiftEnd))}::time[],
      ${param(shifts.map((r) => r.requiredHours))}::numeric[], ${param(shifts.map((r) => r.scheduledHours))}::numeric[],
      ${param(shifts.map((r) => r.availableHours))}::numeric[], ${param(shifts.map((r) => r.coverageRatio))}::numeric[],
      ${param(shifts.map((r) => r.status))}::text[]) as t(si, di, shift_start, shift_end, required, scheduled, available, ratio, status)`;
  await ctx.db.execute(sql`
    delete from store_health.labor_schedules l
    where l.organization_id = ${org}::uuid and l.store_id = any(${planStores}) and l.schedule_date ${window}
      and not exists (select 1 from ${shiftArrays}
        where (${keys.storeIds})[t.si] = l.store_id and ${keys.from} + t.di = l.schedule_date and t.shift_start = l.shift_start)`);
  await ctx.db.execute(sql`
    insert into store_health.labor_schedules as l (organization_id, store_id, schedule_date, shift_start, shift_end, required_hours,
      scheduled_hours, available_hours, coverage_ratio, status, created_at, updated_at)
    select ${org}::uuid, (${keys.storeIds})[t.si], ${keys.from} + t.di, t.shift_start, t.shift_end, t.required, t.scheduled, t.available,
      t.ratio, t.status, ${now}::timestamptz, ${now}::timestamptz
    from ${shiftArrays}
    on conflict (store_id, schedule_date, shift_start) do update set
      shift_end = excluded.shift_end, required_hours = excluded.required_hours, scheduled_hours = excluded.scheduled_hours,
      available_hours = excluded.available_hours, coverage_ratio = excluded.coverage_ratio, status = excluded.status,
      updated_at = excluded.updated_at
    where (l.shift_end, l.required_hours, l.scheduled_hours, l.available_hours, l.coverage_ratio, l.status)
      is distinct from (excluded.shift_end, excluded.required_hours, excluded.scheduled_hours, excluded.available_hours,
        excluded.coverage_ratio, excluded.status)`);

  const callouts = simulations.flatMap((sim, s) => sim.callouts.map((row) => ({ si: s + 1, ...row })));
  const calloutArrays = sql`unnest(${param(callouts.map((r) => r.si))}::int[], ${param(callouts.map((r) => dayOf(r.date)))}::int[],
      ${param(callouts.map((r) => r.shiftStart))}::time[], ${param(callouts.map((r) => r.shiftAffected))}::text[],
      ${param(callouts.map((r) => r.employeeName))}::text[], ${param(callouts.map((r) => r.hoursLost))}::numeric[],
      ${param(callouts.map((r) => r.isFilled))}::boolean[], ${param(callouts.map((r) => r.filledBy))}::text[],
      ${param(callouts.map((r) => r.isPeakHours))}::boolean[]) as t(si, di, shift_start, shift_affected, employee, hours, filled, filled_by, peak)`;
  await ctx.db.execute(sql`
    delete from store_health.labor_callouts c
    where c.organization_id = ${org}::uuid and c.store_id = any(${planStores}) and c.callout_date ${window}
      and not exists (select 1 from ${calloutArrays}
        where (${keys.storeIds})[t.si] = c.store_id and ${keys.from} + t.di = c.callout_date
          and t.employee = c.employee_name and t.shift_affected = c.shift_affected)`);
  await ctx.db.execute(sql`
    insert into store_health.labor_callouts as c (organization_id, store_id, labor_schedule_id, callout_date, employee_name, shift_affected,
      hours_lost, is_filled, filled_by, is_peak_hours, created_at, updated_at)
    select ${org}::uuid, (${keys.storeIds})[t.si], l.id, ${keys.from} + t.di, t.employee, t.shift_affected, t.hours, t.filled, t.filled_by,
      t.peak, ${now}::timestamptz, ${now}::timestamptz
    from ${calloutArrays}
    left join store_health.labor_schedules l
      on l.store_id = (${keys.storeIds})[t.si] and l.schedule_date = ${keys.from} + t.di and l.shift_start = t.shift_start
    on conflict (store_id, callout_date, employee_name, shift_affected) do update set
      labor_schedule_id = excluded.labor_schedule_id, hours_lost = excluded.hours_lost, is_filled = excluded.is_filled,
      filled_by = excluded.filled_by, is_peak_hours = excluded.is_peak_hours, updated_at = excluded.updated_at
    where (c.labor_schedule_id, c.hours_lost, c.is_filled, c.filled_by, c.is_peak_hours)
      is distinct from (excluded.labor_schedule_id, excluded.hours_lost, excluded.is_filled, excluded.filled_by, excluded.is_peak_hours)`);

  const skus = {
    codes: sql`${param(topSkus.map((s) => s.sku))}::text[]`,
    names: sql`${param(topSkus.map((s) => s.productName))}::text[]`,
    categories: sql`${param(topSkus.map((s) => s.category))}::text[]`,
  };
  const inventory = simulations.flatMap((sim, s) => sim.inventory.map((row) => ({ si: s + 1, ...row })));
  const inventoryArrays = sql`unnest(${param(inventory.map((r) => r.si))}::int[], ${param(inventory.map((r) => dayOf(r.date)))}::int[],
      ${param(inventory.map((r) => r.skuIndex + 1))}::int[], ${param(inventory.map((r) => r.quantityOnHand))}::int[],
      ${param(inventory.map((r) => r.averageDailySales))}::numeric[], ${param(inventory.map((r) => r.daysOfCover))}::numeric[],
      ${param(inventory.map((r) => r.isOutOfStock))}::boolean[], ${param(inventory.map((r) => r.status))}::text[])
      as t(si, di, ki, quantity, daily_sales, cover, out_of_stock, status)`;
  await ctx.db.execute(sql`
    delete from store_health.inventory_levels i
    where i.organization_id = ${org}::uuid and i.store_id = any(${planStores}) and i.snapshot_date ${window}
      and i.sku = any(${skus.codes})
      and not exists (select 1 from ${inventoryArrays}
        where (${keys.storeIds})[t.si] = i.store_id and ${keys.from} + t.di = i.snapshot_date and (${skus.codes})[t.ki] = i.sku)`);
  await ctx.db.execute(sql`
    insert into store_health.inventory_levels as i (organization_id, store_id, sku, product_name, category, snapshot_date, quantity_on_hand,
      average_daily_sales, days_of_cover, is_top_sku, is_out_of_stock, status, created_at, updated_at)
    select ${org}::uuid, (${keys.storeIds})[t.si], (${skus.codes})[t.ki], (${skus.names})[t.ki], (${skus.categories})[t.ki],
      ${keys.from} + t.di, t.quantity, t.daily_sales, t.cover, true, t.out_of_stock, t.status, ${now}::timestamptz, ${now}::timestamptz
    from ${inventoryArrays}
    on conflict (store_id, sku, snapshot_date) do update set
      product_name = excluded.product_name, category = excluded.category, quantity_on_hand = excluded.quantity_on_hand,
      average_daily_sales = excluded.average_daily_sales, days_of_cover = excluded.days_of_cover, is_top_sku = true,
      is_out_of_stock = excluded.is_out_of_stock, status = excluded.status, updated_at = excluded.updated_at
    where (i.product_name, i.category, i.quantity_on_hand, i.average_daily_sales, i.days_of_cover, i.is_top_sku, i.is_out_of_stock, i.status)
      is distinct from (excluded.product_name, excluded.category, excluded.quantity_on_hand, excluded.average_daily_sales,
        excluded.days_of_cover, true, excluded.is_out_of_stock, excluded.status)`);

  const events = simulations.flatMap((sim, s) => sim.outOfStockEvents.map((row) => ({ si: s + 1, ...row })));
  const eventArrays = sql`unnest(${param(events.map((r) => r.si))}::int[], ${param(events.map((r) => r.skuIndex + 1))}::int[],
      ${param(events.map((r) => r.outOfStockAt.toISOString()))}::timestamptz[],
      ${param(events.map((r) => r.restockedAt?.toISOString() ?? null))}::timestamptz[],
      ${param(events.map((r) => r.durationHours))}::int[], ${param(events.map((r) => r.estimatedLostSales))}::numeric[])
      as t(si, ki, out_at, restocked_at, duration, lost)`;
  // Events overlapping the window belong to the demo's simulation: older ones stay as history.
  const windowStart = new Date(`${addDays(plan.detailFrom, -1)}T00:00:00Z`).toISOString();
  await ctx.db.execute(sql`
    delete from store_health.out_of_stock_events e
    where e.organization_id = ${org}::uuid and e.store_id = any(${planStores}) and e.sku = any(${skus.codes})
      and coalesce(e.restocked_at, 'infinity'::timestamptz) >= ${windowStart}::timestamptz
      and not exists (select 1 from ${eventArrays}
        where (${keys.storeIds})[t.si] = e.store_id and (${skus.codes})[t.ki] = e.sku and t.out_at = e.out_of_stock_at)`);
  await ctx.db.execute(sql`
    insert into store_health.out_of_stock_events as e (organization_id, store_id, sku, product_name, out_of_stock_at, restocked_at,
      duration_hours, estimated_lost_sales, is_top_sku, created_at)
    select ${org}::uuid, (${keys.storeIds})[t.si], (${skus.codes})[t.ki], (${skus.names})[t.ki], t.out_at, t.restocked_at, t.duration, t.lost,
      true, ${now}::timestamptz
    from ${eventArrays}
    on conflict (store_id, sku, out_of_stock_at) do update set
      product_name = excluded.product_name, restocked_at = excluded.restocked_at, duration_hours = excluded.duration_hours,
      estimated_lost_sales = excluded.estimated_lost_sales, is_top_sku = true
    where (e.product_name, e.restocked_at, e.duration_hours, e.estimated_lost_sales, e.is_top_sku)
      is distinct from (excluded.product_name, excluded.restocked_at, excluded.duration_hours, excluded.estimated_lost_sales, true)`);

  return { laborSchedules: shifts.length, laborCallouts: callouts.length, inventoryLevels: inventory.length, outOfStockEvents: events.length };
}
