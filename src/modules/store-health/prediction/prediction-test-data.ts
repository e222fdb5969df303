import { sql } from 'drizzle-orm';
import type { Db } from '../../../core/db/connection.js';
import { kpiDefinitions, kpiMetrics, kpiThresholds, stores, type OpeningHours } from '../schema.js';
import { addDays, type IsoDate } from '../shared/dates.js';
import { seededRandom } from './seeded-random.js';
import { generateSyntheticSeries, retailWeekdayProfile, type SyntheticDay, type SyntheticSeriesSpec } from './synthetic-history.js';
import type { StatusRule } from './threshold-status.js';

/** Shared by the prediction tests: stores, two KPIs with thresholds, and synthetic evaluated history in kpi_metrics. */

export const everyDay08to20: OpeningHours = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ open: '08:00', close: '20:00' }]]));

export const salesRule: StatusRule = { direction: 'higher_is_better', comparisonBasis: 'rolling_4w', greenMin: 97, yellowMin: 92, redThreshold: 85 };
export const calloutRule: StatusRule = { direction: 'lower_is_better', comparisonBasis: 'absolute', greenMin: 4, yellowMin: 8, redThreshold: 12 };

export const historyStart: IsoDate = '2025-09-01';
export const historyDays = 120;

export async function insertStore(db: Db, organizationId: string, storeCode: string, openingHours: OpeningHours = everyDay08to20): Promise<string> {
  const [row] = await db
    .insert(stores)
    .values({ organizationId, storeCode, name: `Store ${storeCode}`, timezone: 'UTC', openingHours })
    .returning({ id: stores.id });
  return row.id;
}

export async function insertKpi(
  db: Db,
  organizationId: string,
  kpi: { kpiCode: string; category: string; direction: StatusRule['direction']; unit?: string },
  rule: StatusRule,
  priority: number,
): Promise<string> {
  const [row] = await db
    .insert(kpiDefinitions)
    .values({
      organizationId,
      kpiCode: kpi.kpiCode,
      name: kpi.kpiCode.replace(/_/g, ' '),
      unit: kpi.unit ?? '$',
      category: kpi.category,
      direction: kpi.direction,
    })
    .returning({ id: kpiDefinitions.id });
  await db.insert(kpiThresholds).values({
    organizationId,
    kpiDefinitionId: row.id,
    greenMin: rule.greenMin,
    yellowMin: rule.yellowMin,
    redThreshold: rule.redThreshold,
    comparisonBasis: rule.comparisonBasis,
    priority,
  });
  return row.id;
}

/** Writes days as the engine would have left them: value, comparison, shown status and its flap/recovery state. */
export async function insertHistory(db: Db, organizationId: string, storeId: string, kpiId: string, days: readonly SyntheticDay[]): Promise<void> {
  if (days.length === 0) return;
  await db.execute(sql`select store_health.ensure_kpi_metrics_partitions(${days[0].date}::date, ${days[days.length - 1].date}::date)`);
  const rows = days.map((day) => ({
    organizationId,
    storeId,
    kpiDefinitionId: kpiId,
    metricDate: day.date,
    value: day.value,
    comparisonValue: day.comparisonValue,
    status: day.status,
    metadata:
      day.redStreak === undefined
        ? { rawStatus: day.rawStatus }
        : { rawStatus: day.rawStatus, redStreak: day.redStreak, ...(day.recoveryAnchor ? { recoveryAnchor: day.recoveryAnchor } : {}) },
  }));
  for (let i = 0; i < rows.length; i += 500) await db.insert(kpiMetrics).values(rows.slice(i, i + 500));
}

export interface SyntheticOrg {
  storeIds: string[];
  salesKpiId: string;
  calloutKpiId: string;
  /** Generated history per `${storeId}|${kpiId}`, the truth the tests compare with. */
  history: Map<string, SyntheticDay[]>;
}

/**
 * 3 stores × 2 KPIs × 120 days: sales with a weekly cycle (store 1 flat, store 2 sliding 5 %/week from day 84 —
 * crossing into red — store 3 drifting up), call-out hours around 3 h with a rising store; 1 % / 10 % noise.
 */
export async function seedSyntheticOrg(db: Db, organizationId: string, seed = 7): Promise<SyntheticOrg> {
  const salesKpiId = await insertKpi(db, organizationId, { kpiCode: 'sales', category: 'sales', direction: 'higher_is_better' }, salesRule, 1);
  const calloutKpiId = await insertKpi(
    db,
    organizationId,
    { kpiCode: 'callout_hours', category: 'labor', direction: 'lower_is_better', unit: 'hours' },
    calloutRule,
    3,
  );
  const random = seededRandom(seed);
  const history = new Map<string, SyntheticDay[]>();
  const storeIds: string[] = [];
  const salesDrifts = [0, -0.05, 0.01];
  const calloutDrifts = [0, 0.04, -0.02];
  for (let s = 0; s < 3; s++) {
    const storeId = await insertStore(db, organizationId, `S${s + 1}`);
    storeIds.push(storeId);
    const specs: [string, SyntheticSeriesSpec][] = [
      [
        salesKpiId,
        {
          storeId,
          kpiId: salesKpiId,
          rule: salesRule,
          level: 10_000,
          weekdayProfile: retailWeekdayProfile,
          driftPerWeek: salesDrifts[s],
          driftFrom: 84,
          noise: 0.01,
        },
      ],
      [
        calloutKpiId,
        {
          storeId,
          kpiId: calloutKpiId,
          rule: calloutRule,
          level: 3,
          weekdayProfile: [1, 1, 1, 1, 1.1, 1.2, 0.8],
          driftPerWeek: calloutDrifts[s],
          driftFrom: 40,
          noise: 0.1,
        },
      ],
    ];
    for (const [kpiId, spec] of specs) {
      // Sales of store 2 use seed 7's exact path (its first red day is day 98), whatever the other series draw.
      const series = generateSyntheticSeries(spec, historyStart, historyDays, kpiId === salesKpiId && s === 1 ? seededRandom(seed) : random);
      history.set(`${storeId}|${kpiId}`, series.list);
      await insertHistory(db, organizationId, storeId, kpiId, series.list);
    }
  }
  return { storeIds, salesKpiId, calloutKpiId, history };
}

export const dayOf = (index: number) => addDays(historyStart, index);
