import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createFixedClock } from '../../../core/clock.js';
import type { OrganizationRef } from '../../../core/context.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { addDays } from '../shared/dates.js';
import { evaluateDateRange } from './evaluate-range.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import {
  addClosure,
  createKpi,
  createStores,
  createTestOrganization,
  everyDayHours,
  metricRow,
  putMetrics,
  putSetting,
  serviceContext,
  setThreshold,
  standardHours,
  type ChainStore,
} from './timeline-fixtures.js';

// Monday 16 March 2026; its baselines: 9, 2 (a holiday, ignored), 23 Feb (no data), 16 Feb; last year: Monday 17 March 2025.
const day = '2026-03-16';
const clock = createFixedClock('2026-03-17T11:00:00Z');

type Direction = 'higher_is_better' | 'lower_is_better';
interface BoundaryCase {
  label: string;
  direction: Direction;
  measure: number;
  expected: 'green' | 'yellow' | 'red';
}

const higherCases: BoundaryCase[] = [
  { label: 'exactly at green_min', direction: 'higher_is_better', measure: 95, expected: 'green' },
  { label: 'just below green_min', direction: 'higher_is_better', measure: 94.99, expected: 'yellow' },
  { label: 'exactly at yellow_min', direction: 'higher_is_better', measure: 90, expected: 'yellow' },
  { label: 'just below yellow_min (gap)', direction: 'higher_is_better', measure: 89.99, expected: 'red' },
  { label: 'exactly at red_threshold', direction: 'higher_is_better', measure: 85, expected: 'red' },
  { label: 'past red_threshold', direction: 'higher_is_better', measure: 84.99, expected: 'red' },
];
// Lower is better, relative bases: green up to 105 % of the baseline, yellow up to 110 %, red_threshold 120 %.
const lowerRelativeCases: BoundaryCase[] = [
  { label: 'exactly at green_min', direction: 'lower_is_better', measure: 105, expected: 'green' },
  { label: 'just above green_min', direction: 'lower_is_better', measure: 105.01, expected: 'yellow' },
  { label: 'exactly at yellow_min', direction: 'lower_is_better', measure: 110, expected: 'yellow' },
  { label: 'just above yellow_min (gap)', direction: 'lower_is_better', measure: 110.01, expected: 'red' },
  { label: 'exactly at red_threshold', direction: 'lower_is_better', measure: 120, expected: 'red' },
  { label: 'past red_threshold', direction: 'lower_is_better', measure: 120.01, expected: 'red' },
];
// Lower is better, absolute (e.g. shrink %): green up to 2, yellow up to 3, red_threshold 4.
const lowerAbsoluteCases: BoundaryCase[] = [
  { label: 'exactly at green_min', direction: 'lower_is_better', measure: 2, expected: 'green' },
  { label: 'just above green_min', direction: 'lower_is_better', measure: 2.01, expected: 'yellow' },
  { label: 'exactly at yellow_min', direction: 'lower_is_better', measure: 3, expected: 'yellow' },
  { label: 'just above yellow_min (gap)', direction: 'lower_is_better', measure: 3.01, expected: 'red' },
  { label: 'exactly at red_threshold', direction: 'lower_is_better', measure: 4, expected: 'red' },
  { label: 'past red_threshold', direction: 'lower_is_better', measure: 4.01, expected: 'red' },
];

const bases = ['rolling_4w', 'same_period_ly', 'absolute'] as const;
const table = bases.flatMap((basis) => [...higherCases, ...(basis === 'absolute' ? lowerAbsoluteCases : lowerRelativeCases)].map((c) => ({ ...c, basis })));

let database: TestDatabase;
let org: OrganizationRef;
let store: ChainStore;
const kpiOf = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  org = await createTestOrganization(db, clock);
  [store] = await createStores(db, org.id, 1, { openingHours: everyDayHours });
  await putSetting(db, org.id, 'store_health.flap_red_days', 1);
  await addClosure(db, org.id, null, '2026-03-02', 'holiday');
  const metrics: { storeId: string; kpiId: string; date: string; value: number | null }[] = [];
  for (const [index, c] of table.entries()) {
    const relativeLower = c.direction === 'lower_is_better' && c.basis !== 'absolute';
    const threshold =
      c.direction === 'higher_is_better'
        ? { greenMin: 95, yellowMin: 90, redThreshold: 85 }
        : relativeLower
          ? { greenMin: 105, yellowMin: 110, redThreshold: 120 }
          : { greenMin: 2, yellowMin: 3, redThreshold: 4 };
    const kpiId = await createKpi(db, org.id, { code: `k${index}`, direction: c.direction, threshold: { ...threshold, comparisonBasis: c.basis } });
    kpiOf.set(`${c.basis}:${c.direction}:${c.label}`, kpiId);
    // Baselines of 100 make the measure equal to the value for the relative bases.
    metrics.push(
      { storeId: store.id, kpiId, date: day, value: c.measure },
      { storeId: store.id, kpiId, date: addDays(day, -7), value: 100 },
      { storeId: store.id, kpiId, date: addDays(day, -14), value: 1000 },
      { storeId: store.id, kpiId, date: addDays(day, -21), value: null },
      { storeId: store.id, kpiId, date: addDays(day, -28), value: 100 },
      { storeId: store.id, kpiId, date: addDays(day, -364), value: 100 },
    );
  }
  await putMetrics(db, org.id, metrics);
  await evaluateDateRange(serviceContext(db, org, clock), { from: day, to: day });
});

afterAll(async () => {
  await database?.destroy();
});

describe('threshold boundaries through the evaluation SQL', () => {
  it.each(table)('$basis, $direction, $label ($measure) → $expected', async (c) => {
    const row = await metricRow(database.db, store.id, kpiOf.get(`${c.basis}:${c.direction}:${c.label}`)!, day);
    expect(row?.status).toBe(c.expected);
    // With flap_red_days = 1 the shown status is the raw one, which is then not repeated in the metadata.
    expect(row?.metadata).toEqual({ daysInStatus: 1, redStreak: c.expected === 'red' ? 1 : 0, ...(c.expected === 'red' ? { recoveryAnchor: 'red' } : {}) });
  });

  it('takes the rolling baseline from the same weekday of the four prior weeks, skipping the holiday and the day without data', async () => {
    const row = await metricRow(database.db, store.id, kpiOf.get('rolling_4w:higher_is_better:exactly at yellow_min')!, day);
    // (100 + 100) / 2: the holiday's 1000 and the missing value are left out.
    expect(row?.comparison_value).toBe(100);
    expect(row?.variance_pct).toBe(-10);
  });

  it('compares same_period_ly with the same weekday 52 weeks earlier and absolute with the green target', async () => {
    const ly = await metricRow(database.db, store.id, kpiOf.get('same_period_ly:higher_is_better:past red_threshold')!, day);
    expect(ly).toMatchObject({ comparison_value: 100, status: 'red' });
    expect(ly?.variance_pct).toBeCloseTo(-15.01, 4);
    const absolute = await metricRow(database.db, store.id, kpiOf.get('absolute:lower_is_better:exactly at yellow_min')!, day);
    expect(absolute).toMatchObject({ comparison_value: 2, variance_pct: 50, status: 'yellow' });
  });
});

describe('days that are never red', () => {
  it('marks closed days and holidays closed, missing data no_data, and skips them in the snapshot', async () => {
    const db = database.db;
    const [weekdayStore] = await createStores(db, org.id, 1, { openingHours: standardHours, prefix: 'W' });
    const kpiId = await createKpi(db, org.id, { code: 'traffic', threshold: { greenMin: 95, yellowMin: 90, redThreshold: 90, comparisonBasis: 'absolute' } });
    await addClosure(db, org.id, weekdayStore.id, '2026-03-18', 'holiday');
    // Wednesday (store holiday) and Sunday (no opening hours) carry values far below target; Thursday has no row.
    await putMetrics(db, org.id, [
      { storeId: weekdayStore.id, kpiId, date: '2026-03-17', value: 100 },
      { storeId: weekdayStore.id, kpiId, date: '2026-03-18', value: 1 },
      { storeId: weekdayStore.id, kpiId, date: '2026-03-22', value: 1 },
    ]);
    await evaluateDateRange(serviceContext(db, org, clock), { from: '2026-03-17', to: '2026-03-22', storeIds: [weekdayStore.id] });
    expect((await metricRow(db, weekdayStore.id, kpiId, '2026-03-17'))?.status).toBe('green');
    expect(await metricRow(db, weekdayStore.id, kpiId, '2026-03-18')).toMatchObject({ status: 'closed', metadata: { dayKind: 'holiday' } });
    expect(await metricRow(db, weekdayStore.id, kpiId, '2026-03-19')).toMatchObject({ status: 'no_data', metadata: { reason: 'missing_value' } });
    expect(await metricRow(db, weekdayStore.id, kpiId, '2026-03-22')).toMatchObject({ status: 'closed', metadata: { dayKind: 'regular' } });
    const snapshots = await sqlRows<{ snapshot_date: string; overall_status: string; red_kpi_count: number }>(
      db,
      sql`select snapshot_date::text, overall_status, red_kpi_count from store_health.store_health_snapshots
          where store_id = ${weekdayStore.id} order by snapshot_date`,
    );
    expect(snapshots.map((s) => [s.snapshot_date, s.overall_status, s.red_kpi_count])).toEqual([
      ['2026-03-17', 'green', 0],
      ['2026-03-18', 'closed', 0],
      ['2026-03-19', 'no_data', 0],
      ['2026-03-20', 'no_data', 0],
      ['2026-03-21', 'no_data', 0],
      ['2026-03-22', 'closed', 0],
    ]);
    const alerts = await sqlRows(db, sql`select id from store_health.alerts where store_id = ${weekdayStore.id}`);
    expect(alerts).toEqual([]);
  });

  it('has no same_period_ly baseline when that day last year was a holiday', async () => {
    const db = database.db;
    const [other] = await createStores(db, org.id, 1, { openingHours: everyDayHours, prefix: 'L' });
    const kpiId = await createKpi(db, org.id, {
      code: 'ly_sales',
      threshold: { greenMin: 95, yellowMin: 90, redThreshold: 90, comparisonBasis: 'same_period_ly' },
    });
    await addClosure(db, org.id, other.id, addDays(day, -364), 'holiday');
    await putMetrics(db, org.id, [
      { storeId: other.id, kpiId, date: day, value: 50 },
      { storeId: other.id, kpiId, date: addDays(day, -364), value: 100 },
    ]);
    await evaluateDateRange(serviceContext(db, org, clock), { from: day, to: day, storeIds: [other.id] });
    expect(await metricRow(db, other.id, kpiId, day)).toMatchObject({ status: 'no_data', comparison_value: null, metadata: { reason: 'no_baseline' } });
  });

  it('lets a store override beat the organization default as a whole row', async () => {
    const db = database.db;
    const [a, b] = await createStores(db, org.id, 2, { openingHours: everyDayHours, prefix: 'O' });
    const kpiId = await createKpi(db, org.id, {
      code: 'conversion',
      threshold: { greenMin: 95, yellowMin: 90, redThreshold: 90, comparisonBasis: 'absolute' },
    });
    await setThreshold(db, org.id, kpiId, b.id, { greenMin: 80, yellowMin: null, redThreshold: null, comparisonBasis: 'absolute', priority: 1 });
    await putMetrics(db, org.id, [
      { storeId: a.id, kpiId, date: day, value: 85 },
      { storeId: b.id, kpiId, date: day, value: 85 },
    ]);
    await evaluateDateRange(serviceContext(db, org, clock), { from: day, to: day, storeIds: [a.id, b.id] });
    expect(await metricRow(db, a.id, kpiId, day)).toMatchObject({ status: 'red', comparison_value: 95 });
    expect((await metricRow(db, a.id, kpiId, day))?.metadata.thresholdSource).toBeUndefined();
    expect(await metricRow(db, b.id, kpiId, day)).toMatchObject({ status: 'green', comparison_value: 80, metadata: { thresholdSource: 'store' } });
  });
});
