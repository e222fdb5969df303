import type { Channel, Mechanic, ScenarioType } from '../schema.js';
import { addDays, monthOf, type IsoDate } from '../shared/dates.js';
import type { DemoPromotion } from './promo-calendar.js';
import { hashString, uniformAt } from '../../../core/seeded-random.js';
import { demoChannels, demoDepartments, departmentLinks } from './retailer.js';
import { expectedMonth, type DemoSimulation } from './simulation.js';

/** Targets, CDP segments and scenarios of the demo chain, derived from its simulation (pure: no database). */

export const demoGeo = 'DE';
export const demoCreatedBy = 'demo';

export interface DemoTarget {
  month: string;
  geo: string;
  department: string | null;
  channel: Channel | null;
  salesValueTarget: number;
  marginPctTarget: number;
  unitsTarget: number;
}

export interface DemoSegment {
  segmentId: string;
  name: string;
  shareOfCustomers: number;
  shareOfRevenue: number;
  avgBasketValue: number;
  favCategories: string[];
  discountSensitivity: 'low' | 'medium' | 'high';
  purchaseFrequency: number;
  lastPurchaseDaysAgo: number;
}

export const demoSegments: readonly DemoSegment[] = [
  {
    segmentId: 'LOYAL_HIGH_VALUE',
    name: 'Loyal high-value members',
    shareOfCustomers: 0.12,
    shareOfRevenue: 0.31,
    avgBasketValue: 420,
    favCategories: ['TV', 'Computing', 'Large Appliances'],
    discountSensitivity: 'low',
    purchaseFrequency: 6.5,
    lastPurchaseDaysAgo: 18,
  },
  {
    segmentId: 'DEAL_SEEKERS',
    name: 'Deal seekers',
    shareOfCustomers: 0.24,
    shareOfRevenue: 0.17,
    avgBasketValue: 135,
    favCategories: ['Mobile', 'Gaming', 'Small Appliances'],
    discountSensitivity: 'high',
    purchaseFrequency: 3.2,
    lastPurchaseDaysAgo: 41,
  },
  {
    segmentId: 'TECH_ENTHUSIASTS',
    name: 'Tech enthusiasts',
    shareOfCustomers: 0.14,
    shareOfRevenue: 0.21,
    avgBasketValue: 380,
    favCategories: ['Computing', 'Gaming', 'Photo', 'Audio'],
    discountSensitivity: 'medium',
    purchaseFrequency: 5.1,
    lastPurchaseDaysAgo: 25,
  },
  {
    segmentId: 'FAMILIES',
    name: 'Families',
    shareOfCustomers: 0.2,
    shareOfRevenue: 0.18,
    avgBasketValue: 260,
    favCategories: ['Large Appliances', 'Small Appliances', 'TV'],
    discountSensitivity: 'medium',
    purchaseFrequency: 2.8,
    lastPurchaseDaysAgo: 55,
  },
  {
    segmentId: 'NEW_CUSTOMERS',
    name: 'New customers (first purchase < 90 days)',
    shareOfCustomers: 0.16,
    shareOfRevenue: 0.07,
    avgBasketValue: 160,
    favCategories: ['Mobile', 'Audio'],
    discountSensitivity: 'medium',
    purchaseFrequency: 1.1,
    lastPurchaseDaysAgo: 20,
  },
  {
    segmentId: 'LAPSED',
    name: 'Lapsed customers (no purchase in 9 months)',
    shareOfCustomers: 0.14,
    shareOfRevenue: 0.06,
    avgBasketValue: 170,
    favCategories: ['TV', 'Photo'],
    discountSensitivity: 'high',
    purchaseFrequency: 0.6,
    lastPurchaseDaysAgo: 290,
  },
];

/** The month `n` months after `month` ("2026-12", 1 → "2027-01"). */
export function addMonths(month: string, n: number): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
}

/**
 * Department × channel targets of the coming months that the baseline forecast will miss by 5–15 % (the
 * opportunities a planner should find); every other department × channel is set a little under its forecast.
 */
export const plannedShortfalls: readonly { department: string; channel: Channel; shortfall: number }[] = [
  { department: 'TV', channel: 'online', shortfall: 0.1 },
  { department: 'Gaming', channel: 'offline', shortfall: 0.12 },
  { department: 'Audio', channel: 'offline', shortfall: 0.08 },
  { department: 'Computing', channel: 'online', shortfall: 0.13 },
  { department: 'Mobile', channel: 'online', shortfall: 0.06 },
];

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Monthly targets for geo DE: the whole business (department and channel null) for every month of history and the
 * next three, and department × channel targets for the next three months. History targets are the month's expected
 * sales plus 2–8 % of ambition, so some months were met and some missed.
 */
export function demoTargets(sim: DemoSimulation): DemoTarget[] {
  const out: DemoTarget[] = [];
  // "Now" is the day after the history: its month is the current one, targets run three months past it.
  const firstFuture = addMonths(monthOf(addDays(sim.to, 1)), 1);
  const stream = hashString('targets');
  for (let month = monthOf(sim.from); month < firstFuture; month = addMonths(month, 1)) {
    let sales = 0;
    let margin = 0;
    let units = 0;
    for (const d of demoDepartments)
      for (const c of demoChannels) {
        const e = expectedMonth(d, c, month);
        sales += e.sales;
        margin += e.margin;
        units += e.units;
      }
    const ambition = 1.02 + 0.06 * uniformAt(sim.seed, stream, Number(month.replace('-', '')));
    out.push({
      month,
      geo: demoGeo,
      department: null,
      channel: null,
      salesValueTarget: round2(sales * ambition),
      marginPctTarget: round2((margin / sales) * 100 - 0.5),
      unitsTarget: Math.round(units * ambition),
    });
  }
  for (let i = 0; i < 3; i++) {
    const month = addMonths(firstFuture, i);
    let totalSales = 0;
    let totalMargin = 0;
    let totalUnits = 0;
    for (const d of demoDepartments)
      for (const c of demoChannels) {
        const e = expectedMonth(d, c, month);
        const planned = plannedShortfalls.find((s) => s.department === d.name && s.channel === c);
        const jitter = uniformAt(sim.seed, hashString(`${d.name}|${c}|target`), Number(month.replace('-', '')));
        // Short: target = forecast ÷ (1 − shortfall); met: target 3–10 % under the forecast.
        const shortfall = planned ? Math.min(0.15, Math.max(0.05, planned.shortfall + (jitter - 0.5) * 0.04)) : null;
        const factor = shortfall !== null ? 1 / (1 - shortfall) : 0.9 + 0.07 * jitter;
        const sales = round2(e.sales * factor);
        const marginPct = round2((e.margin / e.sales) * 100 - 0.5);
        totalSales += sales;
        totalMargin += (sales * marginPct) / 100;
        totalUnits += Math.round(e.units * factor);
        out.push({
          month,
          geo: demoGeo,
          department: d.name,
          channel: c,
          salesValueTarget: sales,
          marginPctTarget: marginPct,
          unitsTarget: Math.round(e.units * factor),
        });
      }
    out.push({
      month,
      geo: demoGeo,
      department: null,
      channel: null,
      salesValueTarget: round2(totalSales),
      marginPctTarget: round2((totalMargin / totalSales) * 100),
      unitsTarget: totalUnits,
    });
  }
  return out;
}

export interface DemoScenario {
  key: string;
  label: string;
  scenarioType: ScenarioType;
  status: 'draft' | 'approved';
  dateRangeStart: IsoDate;
  dateRangeEnd: IsoDate;
  mechanics: Mechanic[];
  description: string;
  /** The catalog promotion a past scenario reproduces. */
  promotionId?: string;
}

export function promotionMechanics(p: DemoPromotion): Mechanic[] {
  return Object.entries(p.discounts).flatMap(([department, discount]) =>
    p.channels.map((channel) => ({ department, channel, discount_pct: discount, segments: p.segments, notes: p.notes })),
  );
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthLabel = (month: string) => `${monthNames[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

/**
 * The demo's scenarios: two finished promotions (ended at least 14 days before the end of history, so their dip is
 * visible) as approved scenarios for post-mortems, and four drafts for next month aimed at the departments whose
 * targets the forecast misses.
 */
export function demoScenarios(sim: DemoSimulation): DemoScenario[] {
  const out: DemoScenario[] = [];
  const finished = sim.promotions.filter((p) => addDays(p.end, 14) <= sim.to && p.start >= sim.from).reverse();
  // A single-department promotion of a department that cannibalises its neighbour (Gaming → Computing, …), so the
  // post-mortem has a signal to show, and the last multi-department one.
  const sources = new Set(departmentLinks.filter((l) => l.kind === 'cannibalisation').map((l) => l.source));
  const single = finished.find((p) => {
    const entries = Object.entries(p.discounts);
    return p.kind === 'standard' && entries.length === 1 && sources.has(entries[0][0]) && entries[0][1] >= 15 && p.end > p.start;
  });
  const multi = finished.find((p) => p !== single && Object.keys(p.discounts).length >= 2 && p.kind === 'standard');
  for (const p of [single, multi]) {
    if (!p) continue;
    out.push({
      key: `past-${p.id}`,
      label: `${p.name} ${p.start.slice(0, 4)}`,
      scenarioType: p.scenarioType,
      status: 'approved',
      dateRangeStart: p.start,
      dateRangeEnd: p.end,
      mechanics: promotionMechanics(p),
      description: `The ${p.name} that ran ${p.start} – ${p.end} (${p.sourceFile}); its period has actual sales, so its post-mortem can be shown.`,
      promotionId: p.id,
    });
  }
  const month = addMonths(monthOf(addDays(sim.to, 1)), 1);
  const start = `${month}-08`;
  const end = `${month}-17`;
  const m = (department: string, channel: Channel, discount: number, segments: string[] = ['ALL'], notes?: string): Mechanic => ({
    department,
    channel,
    discount_pct: discount,
    segments,
    ...(notes ? { notes } : {}),
  });
  const label = monthLabel(month);
  out.push(
    {
      key: 'draft-balanced',
      label: `${label}: balanced TV, Gaming & Audio`,
      scenarioType: 'balanced',
      status: 'draft',
      dateRangeStart: start,
      dateRangeEnd: end,
      mechanics: [
        m('TV', 'online', 15, ['ALL'], 'main hero'),
        m('TV', 'offline', 12),
        m('Gaming', 'offline', 14),
        m('Audio', 'offline', 15),
        m('Computing', 'online', 10),
      ],
      description: 'Moderate discounts on the departments that miss their targets; keeps margin close to plan.',
    },
    {
      key: 'draft-aggressive',
      label: `${label}: aggressive deep discounts`,
      scenarioType: 'aggressive',
      status: 'draft',
      dateRangeStart: start,
      dateRangeEnd: end,
      mechanics: [
        m('TV', 'online', 30, ['ALL'], 'main hero'),
        m('TV', 'offline', 28),
        m('Gaming', 'offline', 25),
        m('Gaming', 'online', 25),
        m('Audio', 'offline', 25),
        m('Computing', 'online', 20),
        m('Mobile', 'online', 20),
      ],
      description: 'Closes every gap on paper; watch the margin floor, the post-promo dip and Computing’s cannibalisation by Gaming.',
    },
    {
      key: 'draft-member-only',
      label: `${label}: member-only weekend`,
      scenarioType: 'member_only',
      status: 'draft',
      dateRangeStart: start,
      dateRangeEnd: addDays(start, 2),
      mechanics: [
        m('TV', 'online', 12, ['LOYAL_HIGH_VALUE', 'TECH_ENTHUSIASTS']),
        m('Gaming', 'offline', 12, ['LOYAL_HIGH_VALUE', 'TECH_ENTHUSIASTS']),
        m('Computing', 'online', 12, ['TECH_ENTHUSIASTS']),
      ],
      description: 'Loyalty members only, three days: small uplift, little margin given away.',
    },
    {
      key: 'draft-coupon',
      label: `${label}: coupon week online`,
      scenarioType: 'coupon',
      status: 'draft',
      dateRangeStart: start,
      dateRangeEnd: addDays(start, 6),
      mechanics: [
        m('Computing', 'online', 10, ['DEAL_SEEKERS', 'NEW_CUSTOMERS'], '10 € per 100 € coupon'),
        m('Mobile', 'online', 10, ['DEAL_SEEKERS', 'NEW_CUSTOMERS'], '10 € per 100 € coupon'),
        m('TV', 'online', 10, ['DEAL_SEEKERS'], '10 € per 100 € coupon'),
      ],
      description: 'A newsletter and app coupon for the web shop, aimed at deal seekers and new customers.',
    },
  );
  return out;
}

/**
 * The demo chain's validation thresholds (core setting promotions.validation): margin floors per department a few
 * points under each one's regular margin (an 18 % floor for all would block every Mobile or Computing promotion), a
 * lower cap on discounts for thin-margin departments, and the neighbour pairs that really compete for the same budget.
 */
export const demoValidationSettings = {
  marginFloorPct: 12,
  marginFloorPctByDepartment: {
    TV: 10,
    Audio: 18,
    Computing: 6,
    Gaming: 8,
    Mobile: 5,
    Photo: 14,
    'Small Appliances': 24,
    'Large Appliances': 13,
  },
  maxDiscountPct: 35,
  maxDiscountPctByDepartment: { Mobile: 25, Computing: 25 },
  neighbourDepartments: [
    ['Gaming', 'Computing'],
    ['Mobile', 'Photo'],
    ['Large Appliances', 'Small Appliances'],
  ],
};
