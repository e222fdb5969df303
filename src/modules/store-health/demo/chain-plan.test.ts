import { describe, expect, it } from 'vitest';
import { daysBetween } from '../shared/dates.js';
import { usChainCatalog } from './chain-catalog.js';
import { planChain } from './chain-plan.js';
import { easterSunday, thanksgiving } from './holidays.js';
import { simulateStore, simulationContext } from './store-simulation.js';

const lastDay = '2026-11-20';
const fullSize = { stores: 60, days: 730, detailDays: 60 };

describe('demo chain plan', () => {
  it('computes the movable holidays', () => {
    expect([2025, 2026, 2027].map(easterSunday)).toEqual(['2025-04-20', '2026-04-05', '2027-03-28']);
    expect([2025, 2026].map(thanksgiving)).toEqual(['2025-11-27', '2026-11-26']);
  });

  it('plans 3 regions, 8 districts and 60 stores with unique codes, a few closed on Sundays', () => {
    const plan = planChain(usChainCatalog, lastDay, fullSize);
    expect(plan.regions.map((r) => r.name)).toEqual(['Northeast', 'Midwest', 'South']);
    expect(plan.districts).toHaveLength(8);
    expect(new Set(plan.stores.map((s) => s.storeCode)).size).toBe(60);
    for (const district of plan.districts) expect(plan.stores.filter((s) => s.districtName === district.name).length).toBeGreaterThanOrEqual(7);
    expect(plan.stores.filter((s) => !s.openingHours['7']).map((s) => `${s.storeCode} ${s.city}`)).toEqual([
      'NE-105 Paramus',
      'NE-208 South Burlington',
      'NE-308 Lancaster',
    ]);
    expect(plan.history).toEqual({ from: '2024-11-21', to: lastDay });
  });

  it('has incidents running now that began 10–30 days ago, and older resolved ones', () => {
    const plan = planChain(usChainCatalog, lastDay, fullSize);
    const ongoing = plan.incidents.filter((i) => i.end >= lastDay);
    expect(ongoing.map((i) => i.kind).sort()).toEqual(['sales_slump', 'staffing_crisis', 'stock_out_run']);
    for (const incident of ongoing) expect(daysBetween(incident.start, lastDay)).toBeGreaterThanOrEqual(10);
    for (const incident of ongoing) expect(daysBetween(incident.start, lastDay)).toBeLessThanOrEqual(30);
    expect(plan.incidents.filter((i) => i.end < lastDay).length).toBeGreaterThanOrEqual(3);
  });

  it('simulates the same values for a store whatever the chain size', () => {
    const values = (stores: number) => {
      const plan = planChain(usChainCatalog, lastDay, { stores, days: 120, detailDays: 30 });
      return simulateStore(
        simulationContext(plan, usChainCatalog),
        plan.stores.find((s) => s.storeCode === 'NE-201')!,
      );
    };
    const small = values(8);
    const large = values(24);
    expect(large.openDays).toEqual(small.openDays);
    expect(Array.from(large.values)).toEqual(Array.from(small.values));
    expect(Array.from(values(8).values)).toEqual(Array.from(small.values));
  });
});
