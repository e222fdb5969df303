import { and, eq, isNull, like, param, sql } from 'drizzle-orm';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { promoCatalog, promoScenarios, segments, targets } from '../schema.js';
import { addDays, isIsoDate, localDate, type IsoDate } from '../shared/dates.js';
import { promotionsError } from '../shared/errors.js';
import { demoCreatedBy, demoGeo, demoScenarios, demoSegments, demoTargets, promotionMechanics } from './demo-data.js';
import { defaultDemoSeed, simulateDemoSales, type DemoSimulation } from './simulation.js';

export interface PromotionsDemoOptions {
  /** Years of daily history (default 3). */
  years?: number;
  /** Last day of history (default: yesterday in the organization's time zone, from ctx.clock). */
  endDate?: IsoDate;
  seed?: number;
  /**
   * Write the demo scenarios (default true). The nightly refresh leaves them alone, so their KPIs, validations and
   * post-mortems survive.
   */
  scenarios?: boolean;
}

export interface PromotionsDemoResult {
  organizationId: string;
  from: IsoDate;
  to: IsoDate;
  departments: string[];
  channels: string[];
  salesRows: number;
  promoDays: number;
  removedSalesRows: number;
  promotions: number;
  targets: number;
  segments: number;
  /** Scenario ids by demo key (past-… for post-mortems, draft-… for next month); empty when scenarios were skipped. */
  scenarios: { key: string; id: string; label: string; status: string; dateRangeStart: IsoDate; dateRangeEnd: IsoDate }[];
  timings: { simulateMs: number; writeMs: number; totalMs: number };
}

/** Rows per sales statement (one unnest insert each). */
const salesChunkRows = 20_000;

/** Yesterday in the organization's time zone: the last day with complete figures. */
export function demoEndDate(ctx: Pick<ServiceContext, 'clock' | 'organization'>): IsoDate {
  return addDays(localDate(ctx.clock.now(), ctx.organization.timezone), -1);
}

/**
 * Loads the electronics chain's promotions demo into `ctx.organization`: daily sales by department × channel, the
 * promo calendar, monthly targets, CDP segments and demo scenarios. Idempotent: the organization's demo rows (sales
 * and targets written without an import job, calendar rows from the demo's promo files, scenarios created by 'demo')
 * are replaced in one transaction, never duplicated; imported sales outside the demo's days and departments stay.
 */
export async function loadPromotionsDemo(ctx: ServiceContext, options: PromotionsDemoOptions = {}): Promise<PromotionsDemoResult> {
  const started = performance.now();
  const endDate = options.endDate ?? demoEndDate(ctx);
  if (!isIsoDate(endDate)) throw promotionsError('DEMO_OPTIONS', `endDate must be a date as YYYY-MM-DD (got "${endDate}").`, { status: 400 });
  const years = options.years ?? 3;
  if (!(years > 0 && years <= 10)) throw promotionsError('DEMO_OPTIONS', `years must be more than 0 and at most 10 (got ${years}).`, { status: 400 });
  const sim = simulateDemoSales({ endDate, years, seed: options.seed ?? defaultDemoSeed });
  const simulateMs = performance.now() - started;
  const writeStarted = performance.now();
  const written = await inTransaction(ctx, (tx) => writeDemo(tx, sim, options.scenarios ?? true));
  const writeMs = performance.now() - writeStarted;
  return {
    organizationId: ctx.organization.id,
    from: sim.from,
    to: sim.to,
    departments: sim.departments,
    channels: sim.channels,
    salesRows: sim.rows.length,
    promoDays: sim.rows.filter((r) => r.promoFlag).length,
    ...written,
    timings: { simulateMs: Math.round(simulateMs), writeMs: Math.round(writeMs), totalMs: Math.round(performance.now() - started) },
  };
}

async function writeDemo(ctx: ServiceContext, sim: DemoSimulation, withScenarios: boolean) {
  const org = ctx.organization.id;
  const now = ctx.clock.now();

  // Sales: demo rows (no import job) go entirely; imported rows only where the demo writes the same days and departments.
  const [removed] = await sqlRows<{ n: number }>(
    ctx.db,
    sql`with removed as (
      delete from promotions.sales_aggregated
      where organization_id = ${org}
        and (import_job_id is null or (date between ${sim.from}::date and ${sim.to}::date and department = any(${param(sim.departments)}::text[])))
      returning 1
    ) select count(*)::int as n from removed`,
  );
  for (let i = 0; i < sim.rows.length; i += salesChunkRows) {
    const chunk = sim.rows.slice(i, i + salesChunkRows);
    await ctx.db.execute(sql`
      insert into promotions.sales_aggregated
        (organization_id, date, channel, department, promo_flag, discount_pct, sales_value, margin_value, units, created_at, updated_at)
      select ${org}::uuid, r.date, r.channel, r.department, r.promo_flag, r.discount_pct, r.sales_value, r.margin_value, r.units, ${now}, ${now}
      from unnest(
        ${param(chunk.map((r) => r.date))}::date[],
        ${param(chunk.map((r) => r.channel))}::text[],
        ${param(chunk.map((r) => r.department))}::text[],
        ${param(chunk.map((r) => r.promoFlag))}::boolean[],
        ${param(chunk.map((r) => r.discountPct))}::numeric[],
        ${param(chunk.map((r) => r.salesValue))}::numeric[],
        ${param(chunk.map((r) => r.marginValue))}::numeric[],
        ${param(chunk.map((r) => r.units))}::int[]
      ) as r(date, channel, department, promo_flag, discount_pct, sales_value, margin_value, units)`);
  }

  // Promo calendar: the demo's own files (Promo_October-September_FY…xlsb) written without an import job.
  await ctx.db
    .delete(promoCatalog)
    .where(and(eq(promoCatalog.organizationId, org), isNull(promoCatalog.importJobId), like(promoCatalog.sourceFile, 'Promo_October-September_FY%')));
  if (sim.promotions.length > 0) {
    await ctx.db.insert(promoCatalog).values(
      sim.promotions.map((p) => ({
        organizationId: org,
        promoName: p.name,
        dateStart: p.start,
        dateEnd: p.end,
        departments: Object.keys(p.discounts),
        channels: p.channels,
        avgDiscountPct: Math.round((Object.values(p.discounts).reduce((a, b) => a + b, 0) / Object.keys(p.discounts).length) * 100) / 100,
        mechanics: { type: p.scenarioType, kind: p.kind, discounts: p.discounts, segments: p.segments, notes: p.notes, lines: promotionMechanics(p) },
        sourceFile: p.sourceFile,
        createdAt: now,
      })),
    );
  }

  // Targets: the demo's geography, rows without an import job.
  await ctx.db.delete(targets).where(and(eq(targets.organizationId, org), eq(targets.geo, demoGeo), isNull(targets.importJobId)));
  const targetRows = demoTargets(sim);
  await ctx.db.insert(targets).values(targetRows.map((t) => ({ organizationId: org, ...t, createdAt: now, updatedAt: now })));

  // Segments: upsert by (organization, segment id).
  await ctx.db
    .insert(segments)
    .values(demoSegments.map((s) => ({ organizationId: org, ...s, updatedAt: now })))
    .onConflictDoUpdate({
      target: [segments.organizationId, segments.segmentId],
      set: {
        name: sql`excluded.name`,
        shareOfCustomers: sql`excluded.share_of_customers`,
        shareOfRevenue: sql`excluded.share_of_revenue`,
        avgBasketValue: sql`excluded.avg_basket_value`,
        favCategories: sql`excluded.fav_categories`,
        discountSensitivity: sql`excluded.discount_sensitivity`,
        purchaseFrequency: sql`excluded.purchase_frequency`,
        lastPurchaseDaysAgo: sql`excluded.last_purchase_days_ago`,
        importJobId: sql`null`,
        updatedAt: now,
      },
    });

  // Scenarios: the demo's own (created_by 'demo') are replaced with their KPIs, validations and post-mortems.
  let scenarioRows: PromotionsDemoResult['scenarios'] = [];
  if (withScenarios) {
    await ctx.db.delete(promoScenarios).where(and(eq(promoScenarios.organizationId, org), eq(promoScenarios.createdBy, demoCreatedBy)));
    const planned = demoScenarios(sim);
    const inserted = await ctx.db
      .insert(promoScenarios)
      .values(
        planned.map((s) => ({
          organizationId: org,
          label: s.label,
          dateRangeStart: s.dateRangeStart,
          dateRangeEnd: s.dateRangeEnd,
          scenarioType: s.scenarioType,
          mechanics: s.mechanics,
          createdBy: demoCreatedBy,
          status: s.status,
          description: s.description,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning({ id: promoScenarios.id, label: promoScenarios.label });
    const idByLabel = new Map(inserted.map((r) => [r.label, r.id]));
    scenarioRows = planned.map((s) => ({
      key: s.key,
      id: idByLabel.get(s.label)!,
      label: s.label,
      status: s.status,
      dateRangeStart: s.dateRangeStart,
      dateRangeEnd: s.dateRangeEnd,
    }));
  }

  return {
    removedSalesRows: removed?.n ?? 0,
    promotions: sim.promotions.length,
    targets: targetRows.length,
    segments: demoSegments.length,
    scenarios: scenarioRows,
  };
}
