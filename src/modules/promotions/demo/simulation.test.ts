import { describe, expect, it } from 'vitest';
import { discountBands } from '../shared/discount-bands.js';
import { buildPromoCalendar } from './promo-calendar.js';
import { departmentLinks } from './retailer.js';
import { defaultDemoSeed, simulateDemoSales } from './simulation.js';

const sim = simulateDemoSales({ endDate: '2026-12-04', years: 3 });

describe('demo simulation and its ground truth', () => {
  it('is deterministic, and a day keeps its figures when the window moves', () => {
    const again = simulateDemoSales({ endDate: '2026-12-04', years: 3 });
    expect(again.rows).toEqual(sim.rows);
    const later = simulateDemoSales({ endDate: '2026-12-20', years: 1 });
    const key = (r: { date: string; department: string; channel: string }) => `${r.date}|${r.department}|${r.channel}`;
    const earlier = new Map(sim.rows.map((r) => [key(r), r]));
    const shared = later.rows.filter((r) => earlier.has(key(r)));
    expect(shared.length).toBeGreaterThan(300 * 16);
    for (const r of shared) expect(r).toEqual(earlier.get(key(r)));
    const other = simulateDemoSales({ endDate: '2026-12-04', years: 3, seed: defaultDemoSeed + 1 });
    expect(other.rows.map((r) => r.salesValue)).not.toEqual(sim.rows.map((r) => r.salesValue));
  });

  it('plans 20–30 promotions a year without two promotions of one department × channel on the same day', () => {
    const calendar = buildPromoCalendar(defaultDemoSeed, 2024, 2026);
    for (const year of ['2024', '2025', '2026']) {
      const n = calendar.filter((p) => p.start.startsWith(year)).length;
      expect(n, year).toBeGreaterThanOrEqual(20);
      expect(n, year).toBeLessThanOrEqual(30);
    }
    const days = new Set<string>();
    for (const p of calendar)
      for (let d = p.start; d <= p.end; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10))
        for (const department of Object.keys(p.discounts))
          for (const channel of p.channels) {
            const k = `${d}|${department}|${channel}`;
            expect(days.has(k), k).toBe(false);
            days.add(k);
          }
  });

  it('true uplift grows with the discount band for every department × channel, online more than offline', () => {
    for (const department of sim.departments)
      for (const channel of sim.channels) {
        const curve = discountBands.map((b) => sim.truth.upliftOf(department, channel, (b.min + Math.min(b.max, 40)) / 2));
        for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeGreaterThan(curve[i - 1]);
        if (channel === 'online') expect(sim.truth.upliftOf(department, 'online', 20)).toBeGreaterThan(sim.truth.upliftOf(department, 'offline', 20));
      }
    const deep = sim.truth.uplift.filter((u) => u.discountBand === '20-30');
    expect(deep.length).toBeGreaterThanOrEqual(12);
    // Realised uplift includes what neighbours take (Computing's 20 % days are Black Friday, when Gaming is on promotion too).
    for (const u of deep) expect(u.realisedUpliftPct, `${u.department} ${u.channel}`).toBeGreaterThan(5);
    const sorted = deep.map((u) => u.realisedUpliftPct).sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(40);
  });

  it('records the dips after promotions and the cannibalisation or halo between neighbours', () => {
    const meanDip7 = sim.truth.dips.reduce((a, d) => a + d.dip7Pct, 0) / sim.truth.dips.length;
    expect(meanDip7).toBeGreaterThan(4);
    expect(sim.truth.dips.every((d) => d.modelDepthPct > 0 && d.modelDepthPct <= 35)).toBe(true);
    for (const link of departmentLinks)
      for (const channel of sim.channels) {
        const truth = sim.truth.links.find((l) => l.source === link.source && l.target === link.target && l.channel === channel)!;
        expect(truth.days).toBeGreaterThan(20);
        if (link.kind === 'halo') expect(truth.targetChangePct).toBeGreaterThan(0);
        else expect(truth.targetChangePct).toBeLessThan(-3);
      }
  });

  it('prices promotions out of the margin: margin rate falls with the discount, stores sell almost nothing on Sundays and holidays', () => {
    const rate = (rows: typeof sim.rows) => rows.reduce((a, r) => a + r.marginValue, 0) / rows.reduce((a, r) => a + r.salesValue, 0);
    const tv = sim.rows.filter((r) => r.department === 'TV');
    expect(rate(tv.filter((r) => !r.promoFlag))).toBeGreaterThan(0.16);
    expect(rate(tv.filter((r) => r.promoFlag && r.discountPct! >= 25))).toBeLessThan(rate(tv.filter((r) => r.promoFlag && r.discountPct! < 20)));
    const offline = sim.rows.filter((r) => r.channel === 'offline' && r.department === 'Mobile');
    const sunday = offline.filter((r) => new Date(`${r.date}T00:00:00Z`).getUTCDay() === 0);
    const saturday = offline.filter((r) => new Date(`${r.date}T00:00:00Z`).getUTCDay() === 6);
    const mean = (rows: typeof sim.rows) => rows.reduce((a, r) => a + r.salesValue, 0) / rows.length;
    expect(mean(sunday)).toBeLessThan(mean(saturday) * 0.06);
    const christmas = offline.find((r) => r.date === '2025-12-25')!;
    expect(christmas.salesValue).toBeLessThan(mean(saturday) * 0.06);
  });
});
