import type { Channel, ScenarioType } from '../schema.js';
import { addDays, eachDay, type IsoDate } from '../shared/dates.js';
import { hashString, intBetween, mulberry32 } from '../../../core/seeded-random.js';
import { blackFriday, demoChannels, easterSunday, footballTournament, nextWeekday, promoSourceFile, ymd } from './retailer.js';

/** The kind of promotion, which sets how strongly a discount moves sales (members-only reaches fewer shoppers). */
export type PromoKind = 'standard' | 'flash' | 'member_only' | 'coupon';

export interface DemoPromotion {
  /** Stable id, e.g. "2025-black-friday". */
  id: string;
  name: string;
  kind: PromoKind;
  scenarioType: ScenarioType;
  start: IsoDate;
  end: IsoDate;
  channels: Channel[];
  /** Discount % per promoted department. */
  discounts: Record<string, number>;
  segments: string[];
  notes: string;
  sourceFile: string;
}

/**
 * Uplift multiplier per kind. Members-only promotions reach the loyalty segments (LOYAL_HIGH_VALUE and
 * TECH_ENTHUSIASTS, 52 % of revenue), which answer a little more strongly (0.6 ≈ 0.52 × 1.15), as the planning engine
 * reads a mechanic's segments; coupons are open to all but not everyone redeems them; flash days add urgency.
 * Promotions for everyone carry the segment "ALL".
 */
export const kindReach: Record<PromoKind, number> = { standard: 1, flash: 1.25, member_only: 0.6, coupon: 0.75 };

interface Template {
  key: string;
  name: string;
  kind: PromoKind;
  scenarioType: ScenarioType;
  start: IsoDate;
  days: number;
  channels: Channel[];
  /** department → [min, max] discount %. */
  departments: Record<string, [number, number]>;
  segments?: string[];
  notes: string;
  /** Flexible promotions move by whole weeks when they would overlap another promotion of the same department. */
  flexible?: boolean;
}

const both: Channel[] = [...demoChannels];

/** A year's promotions as a planner would lay them out; discounts and some dates are seeded per year. */
function templatesFor(year: number, random: () => number): Template[] {
  const easter = easterSunday(year);
  const bf = blackFriday(year);
  const t: Template[] = [
    {
      key: 'january-sale',
      name: 'January Sale',
      kind: 'standard',
      scenarioType: 'aggressive',
      start: ymd(year, 1, 2 + intBetween(random, 0, 2)),
      days: 12,
      channels: both,
      departments: { TV: [20, 30], Audio: [20, 30], Photo: [15, 25], 'Small Appliances': [20, 30] },
      notes: 'Clear Christmas stock',
    },
    {
      key: 'kitchen-laundry-days',
      name: 'Kitchen & Laundry Days',
      kind: 'standard',
      scenarioType: 'balanced',
      start: nextWeekday(ymd(year, 2, 5 + intBetween(random, 0, 7)), 4),
      days: 7,
      channels: both,
      departments: { 'Large Appliances': [12, 20] },
      notes: 'Washing machines, fridges and ovens',
      flexible: true,
    },
    {
      key: 'gaming-week-spring',
      name: 'Gaming Week',
      kind: 'standard',
      scenarioType: 'balanced',
      start: nextWeekday(ymd(year, 3, 8 + intBetween(random, 0, 6)), 1),
      days: 7,
      channels: both,
      departments: { Gaming: [15, 25] },
      notes: 'Consoles and games',
      flexible: true,
    },
    {
      key: 'easter-deals',
      name: 'Easter Deals',
      kind: 'standard',
      scenarioType: 'conservative',
      start: addDays(easter, -11),
      days: 9,
      channels: both,
      departments: { 'Small Appliances': [10, 15], Photo: [10, 15], Audio: [8, 12] },
      notes: 'Gifts for Easter',
    },
    {
      key: 'coupon-week-spring',
      name: 'Coupon Week: 10 € per 100 €',
      kind: 'coupon',
      scenarioType: 'coupon',
      start: nextWeekday(ymd(year, 4, 20 + intBetween(random, 0, 5)), 1),
      days: 7,
      channels: both,
      departments: { Computing: [8, 12], Mobile: [8, 12], Audio: [8, 12] },
      notes: 'Coupon in the newsletter and the app, open to everyone',
      flexible: true,
    },
    {
      key: 'smartphone-week',
      name: 'Smartphone Week',
      kind: 'standard',
      scenarioType: 'balanced',
      start: nextWeekday(ymd(year, 5, 12 + intBetween(random, 0, 6)), 1),
      days: 7,
      channels: both,
      departments: { Mobile: [15, 25] },
      notes: 'Last season’s flagships',
      flexible: true,
    },
    {
      key: 'summer-sale',
      name: 'Summer Sale',
      kind: 'standard',
      scenarioType: 'aggressive',
      start: nextWeekday(ymd(year, 7, 14 + intBetween(random, 0, 5)), 4),
      days: 10,
      channels: both,
      departments: { 'Large Appliances': [15, 25], TV: [15, 25], Audio: [15, 25], Photo: [15, 20] },
      notes: 'Summer clearance',
    },
    {
      key: 'back-to-school',
      name: 'Back to School',
      kind: 'standard',
      scenarioType: 'balanced',
      start: nextWeekday(ymd(year, 8, 17 + intBetween(random, 0, 4)), 1),
      days: 14,
      channels: both,
      departments: { Computing: [10, 15], Mobile: [8, 12] },
      notes: 'Laptops and tablets for school and university',
    },
    {
      key: 'coupon-week-autumn',
      name: 'Coupon Week: 15 € per 150 €',
      kind: 'coupon',
      scenarioType: 'coupon',
      start: nextWeekday(ymd(year, 9, 20 + intBetween(random, 0, 5)), 1),
      days: 7,
      channels: both,
      departments: { 'Small Appliances': [8, 12], Gaming: [8, 12], Audio: [8, 12] },
      notes: 'Coupon in the newsletter and the app, open to everyone',
      flexible: true,
    },
    {
      key: 'gaming-week-autumn',
      name: 'Gaming Week',
      kind: 'standard',
      scenarioType: 'balanced',
      start: nextWeekday(ymd(year, 10, 10 + intBetween(random, 0, 6)), 1),
      days: 7,
      channels: both,
      departments: { Gaming: [15, 22] },
      notes: 'Autumn releases',
      flexible: true,
    },
    {
      key: 'home-appliance-days',
      name: 'Home Appliance Days',
      kind: 'standard',
      scenarioType: 'balanced',
      start: nextWeekday(ymd(year, 10, 22 + intBetween(random, 0, 5)), 4),
      days: 7,
      channels: both,
      departments: { 'Large Appliances': [10, 18] },
      notes: 'Energy-efficient appliances',
      flexible: true,
    },
    {
      key: 'black-friday',
      name: 'Black Friday Week',
      kind: 'standard',
      scenarioType: 'aggressive',
      start: addDays(bf, -4),
      days: 8,
      channels: both,
      departments: {
        TV: [25, 35],
        Gaming: [20, 30],
        Mobile: [15, 25],
        Audio: [20, 30],
        'Small Appliances': [20, 30],
        'Large Appliances': [15, 25],
        Computing: [15, 20],
      },
      notes: 'Monday to Cyber Monday',
    },
    {
      key: 'christmas-deals',
      name: 'Christmas Deals',
      kind: 'standard',
      scenarioType: 'balanced',
      start: ymd(year, 12, 8),
      days: 14,
      channels: both,
      departments: { Audio: [10, 15], Photo: [10, 15], 'Small Appliances': [10, 15], Gaming: [10, 15] },
      notes: 'Gift ideas',
    },
  ];
  const tournament = footballTournament(year);
  if (tournament) {
    t.push({
      key: 'tv-football',
      name: 'TV Football Promo',
      kind: 'standard',
      scenarioType: 'best_deal',
      start: addDays(tournament.from, -16),
      days: 14,
      channels: both,
      departments: { TV: [15, 22] },
      notes: 'Big screens for the tournament',
    });
  }
  // Member-only weekends (Friday–Sunday) for the loyalty programme.
  const memberPool = ['Mobile', 'Computing', 'Gaming', 'TV', 'Photo'];
  for (const [month, day] of [
    [3, 1],
    [6, 20],
    [10, 1],
  ] as const) {
    const a = memberPool[intBetween(random, 0, memberPool.length - 1)];
    let b = memberPool[intBetween(random, 0, memberPool.length - 1)];
    if (b === a) b = memberPool[(memberPool.indexOf(a) + 2) % memberPool.length];
    t.push({
      key: `member-weekend-${month}`,
      name: 'Member-only Weekend',
      kind: 'member_only',
      scenarioType: 'member_only',
      start: nextWeekday(ymd(year, month, day), 5),
      days: 3,
      channels: both,
      departments: { [a]: [10, 15], [b]: [10, 15] },
      segments: ['LOYAL_HIGH_VALUE', 'TECH_ENTHUSIASTS'],
      notes: 'Loyalty members only',
      flexible: true,
    });
  }
  // Online flash days: one department, deep discount, one or two days, web shop only.
  const flashPool = ['TV', 'Audio', 'Computing', 'Gaming', 'Photo', 'Small Appliances'];
  for (const [month, day] of [
    [2, 20],
    [4, 8],
    [6, 3],
    [9, 8],
    [11, 11],
  ] as const) {
    const department = flashPool[intBetween(random, 0, flashPool.length - 1)];
    t.push({
      key: `flash-${month}`,
      name: month === 11 && day === 11 ? 'Singles’ Day Flash Sale' : `Online Flash Day: ${department}`,
      kind: 'flash',
      scenarioType: 'flash',
      start: ymd(year, month, day),
      days: intBetween(random, 1, 2),
      channels: ['online'],
      departments: { [department]: [25, 35] },
      notes: '24/48 hours, web shop only',
      flexible: true,
    });
  }
  return t;
}

/** Which department × channel is on promotion on which day, to keep promotions of one department apart. */
class Claims {
  private readonly taken = new Set<string>();
  private keys(t: Template, start: IsoDate, departments: string[]) {
    const out: string[] = [];
    for (const day of eachDay(start, addDays(start, t.days - 1))) for (const d of departments) for (const c of t.channels) out.push(`${day}|${d}|${c}`);
    return out;
  }
  free(t: Template, start: IsoDate, departments: string[]) {
    return this.keys(t, start, departments).every((k) => !this.taken.has(k));
  }
  take(t: Template, start: IsoDate, departments: string[]) {
    for (const k of this.keys(t, start, departments)) this.taken.add(k);
  }
}

/**
 * The promotions of every calendar year from `fromYear` to `toYear`, sorted by start. Fixed promotions keep their
 * dates; flexible ones move by a week or two rather than overlap another promotion of the same department; when
 * nothing fits, the clashing departments are left out of the later promotion.
 */
export function buildPromoCalendar(seed: number, fromYear: number, toYear: number): DemoPromotion[] {
  const out: DemoPromotion[] = [];
  const claims = new Claims();
  for (let year = fromYear; year <= toYear; year++) {
    const random = mulberry32(seed ^ hashString(`promo-calendar-${year}`));
    const templates = templatesFor(year, random);
    // Discounts are drawn in template order so a year's calendar does not depend on placement.
    const discounts = templates.map((t) => Object.fromEntries(Object.entries(t.departments).map(([d, [min, max]]) => [d, intBetween(random, min, max)])));
    const order = templates.map((_, i) => i).sort((a, b) => Number(!!templates[a].flexible) - Number(!!templates[b].flexible) || a - b);
    for (const i of order) {
      const t = templates[i];
      const departments = Object.keys(t.departments);
      const shifts = t.flexible ? [0, 7, -7, 14, -14] : [0];
      let start: IsoDate | null = null;
      for (const s of shifts) {
        if (claims.free(t, addDays(t.start, s), departments)) {
          start = addDays(t.start, s);
          break;
        }
      }
      let kept = departments;
      if (!start) {
        start = t.start;
        kept = departments.filter((d) => claims.free(t, start!, [d]));
        if (kept.length === 0) continue;
      }
      claims.take(t, start, kept);
      out.push({
        id: `${year}-${t.key}`,
        name: t.name,
        kind: t.kind,
        scenarioType: t.scenarioType,
        start,
        end: addDays(start, t.days - 1),
        channels: [...t.channels],
        discounts: Object.fromEntries(kept.map((d) => [d, discounts[i][d]])),
        segments: t.segments ?? ['ALL'],
        notes: t.notes,
        sourceFile: promoSourceFile(start),
      });
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
}
