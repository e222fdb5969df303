import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createFixedClock } from '../../../core/clock.js';
import type { ServiceContext } from '../../../core/context.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { importPromotionsFiles } from '../imports/import-service.js';
import { computeOpportunities, seedScenariosFromOpportunity } from '../planning/opportunities.js';
import { getScenario, previewScenarioKpis } from '../planning/scenario-service.js';
import type { MechanicForecast } from '../planning/types.js';
import { fitUpliftFromHistory } from '../planning/uplift-coefficients.js';
import { upliftCoefficients, type Channel } from '../schema.js';
import { dayOfWeek, eachDay, type IsoDate } from '../shared/dates.js';
import { discountBandOf, modelVersionNumber } from '../shared/discount-bands.js';
import { runPostMortem } from './post-mortem-service.js';
import { seedOrganization, serviceContextFor, weekdayFactor } from './test-fixtures.js';
import { validateScenario } from './validation-service.js';

// A year of daily sales (2025) for 3 departments × 2 channels. TV online ran a 20%-off week every eight weeks with +40%
// sales; everything else is the weekday shape with a small deterministic wobble. Targets for February 2026 put TV online
// 12% above its normal month, so it is the top opportunity.
const departments: Record<string, number> = { TV: 2000, Audio: 600, Computers: 1500 };
const channels: Channel[] = ['online', 'offline'];
const historyPromoUplift = 0.4;

let database: TestDatabase;
let ctx: ServiceContext;
const clock = createFixedClock('2026-01-02T09:00:00Z');

const wobble = (date: IsoDate, department: string, channel: string) => {
  let h = 0;
  for (const c of `${date}${department}${channel}`) h = (h * 31 + c.charCodeAt(0)) % 997;
  return 1 + ((h % 41) - 20) / 1000; // ±2%
};
const historyPromoDay = (date: IsoDate) => {
  const index = Math.floor((Date.parse(`${date}T00:00:00Z`) - Date.parse('2025-01-06T00:00:00Z')) / 86_400_000);
  return index >= 0 && index % 56 < 7;
};

interface Row {
  date: IsoDate;
  channel: Channel;
  department: string;
  discount: number | null;
  sales: number;
}

function csv(rows: Row[]): Uint8Array {
  const lines = ['date,channel,department,promo_flag,discount_pct,sales_value,margin_value,units'];
  for (const r of rows) {
    const margin = r.sales * (r.discount ? 0.3 - r.discount / 200 : 0.3);
    const units = Math.round(r.sales / (100 * (1 - (r.discount ?? 0) / 100)));
    lines.push([r.date, r.channel, r.department, r.discount ? 'TRUE' : 'FALSE', r.discount ?? '', r.sales.toFixed(2), margin.toFixed(2), units].join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

function salesRows(
  from: IsoDate,
  to: IsoDate,
  promo: (date: IsoDate, department: string, channel: Channel) => { discount: number; uplift: number } | null,
): Row[] {
  return eachDay(from, to).flatMap((date) =>
    Object.entries(departments).flatMap(([department, base]) =>
      channels.map((channel) => {
        const p = promo(date, department, channel);
        const sales = base * weekdayFactor[dayOfWeek(date)] * wobble(date, department, channel) * (1 + (p?.uplift ?? 0));
        return { date, channel, department, discount: p?.discount ?? null, sales };
      }),
    ),
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  const org = await seedOrganization(database, clock, 'full-cycle', 'UTC');
  ctx = serviceContextFor(database, org, clock);
});

afterAll(async () => {
  await database?.destroy();
});

describe('full cycle: import → opportunity → scenario → validate → post-mortem → learned uplift → next forecast', () => {
  it('learns from a promotion that beat its forecast and forecasts the next one closer', async () => {
    // 1. Import a year of history and the February targets.
    const history = salesRows('2025-01-01', '2025-12-31', (date, department, channel) =>
      department === 'TV' && channel === 'online' && historyPromoDay(date) ? { discount: 20, uplift: historyPromoUplift } : null,
    );
    const salesJob = await importPromotionsFiles(ctx, { kind: 'sales', files: [{ name: 'sales-2025.csv', bytes: csv(history) }] });
    expect(salesJob.status).toBe('completed');
    expect(salesJob.recordsProcessed).toBe(365 * 6);
    const normalMonth = (department: string) => departments[department] * 28 * (weekdayFactor.reduce((a, b) => a + b, 0) / 7);
    const targetsCsv = [
      'month,geo,department,channel,sales_value_target,margin_pct_target',
      ...Object.keys(departments).flatMap((department) =>
        channels.map(
          (channel) =>
            `2026-02,DE,${department},${channel},${Math.round(normalMonth(department) * (department === 'TV' && channel === 'online' ? 1.12 : 0.95))},25`,
        ),
      ),
    ].join('\n');
    const targetsJob = await importPromotionsFiles(ctx, {
      kind: 'targets',
      files: [{ name: 'targets-2026-02.csv', bytes: new TextEncoder().encode(targetsCsv) }],
    });
    expect(targetsJob.status).toBe('completed');

    // 2. Uplift from history (v1), then the opportunities of next month: TV online tops them.
    const fit = await fitUpliftFromHistory(ctx);
    expect(fit.modelVersion).toBe('v1');
    const opportunities = await computeOpportunities(ctx, { month: '2026-02' });
    const top = opportunities.find((o) => o.rank === 1)!;
    expect([top.department, top.channel]).toEqual(['TV', 'online']);
    expect(top.gapValue).toBeGreaterThan(0);

    // 3. A scenario from the top opportunity for one week of February, validated.
    const { scenarios } = await seedScenariosFromOpportunity(ctx, top.id, { variants: ['balanced'], dateRangeStart: '2026-02-09', dateRangeEnd: '2026-02-15' });
    const scenario = scenarios[0];
    expect(scenario.sourceOpportunityId).toBe(top.id);
    const mechanic = scenario.mechanics[0];
    const forecastKpis = scenario.currentKpis!;
    const forecastLine = (forecastKpis.kpiBreakdown as unknown as { per_mechanic: MechanicForecast[] }).per_mechanic[0];
    // The versions of the coefficients blended at the mechanic's discount (between two bands: possibly 'mixed').
    expect(forecastKpis.upliftModelVersion).toBe(forecastLine.uplift.modelVersion);
    const forecastUplift = forecastLine.salesValue / forecastLine.baselineSalesValue - 1;
    expect(forecastUplift).toBeGreaterThan(0);
    const report = await validateScenario(ctx, scenario.id);
    expect(['PASS', 'WARN', 'BLOCK']).toContain(report.status);
    expect(report.kpiId).toBe(forecastKpis.id);
    expect(report.overallScore).toBeGreaterThanOrEqual(0);

    // 4. Time passes; the promotion ran and did twice as well as forecast. Import January–February actuals.
    clock.set('2026-03-04T09:00:00Z');
    const actualUplift = 2 * forecastUplift;
    const actuals = salesRows('2026-01-01', '2026-03-01', (date, department, channel) =>
      department === 'TV' && channel === 'online' && date >= scenario.dateRangeStart && date <= scenario.dateRangeEnd
        ? { discount: mechanic.discount_pct, uplift: actualUplift }
        : null,
    );
    const actualJob = await importPromotionsFiles(ctx, { kind: 'sales', files: [{ name: 'sales-2026-q1.csv', bytes: csv(actuals) }] });
    expect(actualJob.status).toBe('completed');
    const actualTvSales = actuals
      .filter((r) => r.department === 'TV' && r.channel === 'online' && r.date >= scenario.dateRangeStart && r.date <= scenario.dateRangeEnd)
      .reduce((s, r) => s + r.sales, 0);

    // 5. Post-mortem: the forecast fell short, and a new version moves the coefficient towards what was observed.
    const { report: postMortem, coefficients } = await runPostMortem(ctx, scenario.id);
    expect(postMortem.forecastKpiId).toBe(forecastKpis.id);
    expect(postMortem.actualSalesValue).toBeCloseTo(actualTvSales, 0);
    expect(postMortem.salesValueErrorPct).toBeLessThan(-5); // forecast − actual < 0: under-forecast
    expect(modelVersionNumber(postMortem.learnedModelVersion!)).toBe(2);
    const band = discountBandOf(mechanic.discount_pct);
    const learned = coefficients.find((c) => c.department === 'TV' && c.channel === 'online' && c.discountBand === band)!;
    expect(learned).toMatchObject({ source: 'learned', modelVersion: 'v2', postMortemId: postMortem.id });
    const details = learned.details as { prior: { upliftSalesPct: number; modelVersion: string }; observed: { upliftSalesPct: number } };
    expect(details.prior.modelVersion).toBe(forecastLine.coefficient.modelVersion);
    expect(details.observed.upliftSalesPct).toBeGreaterThan(details.prior.upliftSalesPct);
    expect(learned.upliftSalesPct).toBeGreaterThan(details.prior.upliftSalesPct);
    expect(learned.upliftSalesPct).toBeLessThan(details.observed.upliftSalesPct);
    const history2 = await ctx.db
      .select()
      .from(upliftCoefficients)
      .where(
        and(eq(upliftCoefficients.organizationId, ctx.organization.id), eq(upliftCoefficients.department, 'TV'), eq(upliftCoefficients.channel, 'online')),
      );
    expect(history2.filter((c) => c.discountBand === band).map((c) => c.modelVersion)).toEqual(expect.arrayContaining(['v2']));

    // 6. The next forecast of the same mechanic uses v2 and lands closer to what happened.
    const next = await previewScenarioKpis(ctx, {
      dateRangeStart: scenario.dateRangeStart,
      dateRangeEnd: scenario.dateRangeEnd,
      mechanics: [mechanic],
      scenarioType: scenario.scenarioType,
    });
    // v2 is among the coefficients blended at the mechanic's discount (with the neighbouring band's, when not at v2's reference).
    const used = next.perMechanic[0].uplift.modelVersions;
    expect(used).toContain('v2');
    expect(next.upliftModelVersion).toBe(used.length === 1 ? 'v2' : 'mixed');
    expect(Math.abs(next.perMechanic[0].salesValue - actualTvSales)).toBeLessThan(Math.abs(forecastLine.salesValue - actualTvSales));
    expect((await getScenario(ctx, scenario.id)).currentKpis!.upliftModelVersion).toBe(forecastKpis.upliftModelVersion);
  });
});
