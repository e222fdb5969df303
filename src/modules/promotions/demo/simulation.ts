import type { Channel } from '../schema.js';
import { discountBandOf, discountBands, type DiscountBand } from '../shared/discount-bands.js';
import { addDays, dayOfWeek, daysBetween, eachDay, isIsoDate, monthOf, type IsoDate } from '../shared/dates.js';
import { buildPromoCalendar, kindReach, type DemoPromotion, type PromoKind } from './promo-calendar.js';
import { hashString, normalAt } from '../../../core/seeded-random.js';
import {
  channelTrend,
  demoChannels,
  demoDepartments,
  departmentLinks,
  footballTournament,
  germanHolidays,
  onlineMarginDelta,
  referenceDate,
  weekdayFactors,
  type DemoDepartment,
  type DepartmentLink,
} from './retailer.js';

/**
 * The demo chain's daily sales, simulated: level × weekday × season × trend × holidays × noise gives the day's
 * baseline (what would have sold without any promotion); promotions lift it by a discount-dependent uplift, pull sales
 * forward (the days after dip below baseline, decaying), and move sales between neighbouring departments. Every
 * random draw is hashed from (seed, series, day), so a day's figures stay the same when the window moves.
 */

export const defaultDemoSeed = 20_261_205;

export interface DemoSimulationOptions {
  /** Last day of history (yesterday in the organization's time zone). */
  endDate: IsoDate;
  /** Years of daily history ending on `endDate` (default 3). */
  years?: number;
  seed?: number;
}

export interface DemoSalesRow {
  date: IsoDate;
  channel: Channel;
  department: string;
  promoFlag: boolean;
  discountPct: number | null;
  salesValue: number;
  marginValue: number;
  units: number;
  /** What the day would have sold with no promotion effects at all (same noise): the ground-truth baseline. */
  baselineSalesValue: number;
  /** The promotion running for this department × channel on this day. */
  promotionId: string | null;
}

export interface UpliftTruth {
  department: string;
  channel: Channel;
  discountBand: DiscountBand;
  promoDays: number;
  /** Sales on promo days vs their no-promo baseline, % (includes neighbours' effects on those days). */
  realisedUpliftPct: number;
  /** The model's direct uplift for a standard promotion at the band's typical discount, %. */
  modelUpliftPct: number;
}

export interface DipTruth {
  promotionId: string;
  department: string;
  channel: Channel;
  end: IsoDate;
  /** Sales lost over the 7 / 14 days after the promotion, % of their baseline (positive = below baseline). */
  dip7Pct: number;
  dip14Pct: number;
  /** Day-1 depth of the dip in the model, %. */
  modelDepthPct: number;
}

export interface LinkTruth extends DepartmentLink {
  channel: Channel;
  /** Days the source was on promotion while the target was not. */
  days: number;
  /** Target sales on those days vs their baseline, % (negative = cannibalised, positive = halo). */
  targetChangePct: number;
  /** Target sales lost (or gained) as % of the source's incremental sales on those days. */
  pctOfSourceIncremental: number;
}

export interface DemoGroundTruth {
  uplift: UpliftTruth[];
  dips: DipTruth[];
  links: LinkTruth[];
  /** Model uplift (fraction) for a discount: for tests and for comparing learned coefficients. */
  upliftOf(department: string, channel: Channel, discountPct: number, kind?: PromoKind): number;
}

export interface DemoSimulation {
  seed: number;
  from: IsoDate;
  to: IsoDate;
  departments: string[];
  channels: Channel[];
  rows: DemoSalesRow[];
  /** Promotions that started within the history (the promo catalog). */
  promotions: DemoPromotion[];
  /** The whole calendar the simulation used, including promotions just before the history and after it. */
  calendar: DemoPromotion[];
  truth: DemoGroundTruth;
}

const epoch: IsoDate = '2000-01-01';
const dayNumber = (date: IsoDate) => daysBetween(epoch, date);
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The first day of a history of `years` years ending on `endDate`. */
export function historyStart(endDate: IsoDate, years: number): IsoDate {
  const d = new Date(`${endDate}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - Math.floor(years));
  const fraction = years - Math.floor(years);
  if (fraction > 0) d.setUTCDate(d.getUTCDate() - Math.round(fraction * 365));
  return addDays(d.toISOString().slice(0, 10), 1);
}

/** Direct uplift (fraction) of a discount: convex in the discount, scaled by department, channel and reach. */
export function upliftOf(department: DemoDepartment, channel: Channel, discountPct: number, kind: PromoKind = 'standard'): number {
  const d = discountPct / 100;
  const channelFactor = channel === 'online' ? 1.15 : 0.9;
  return department.sensitivity * channelFactor * kindReach[kind] * (2.2 * d + 5 * d * d);
}

/** Day-1 depth of the post-promo dip (fraction of baseline); durables (slow decay) dip deeper. */
export function dipDepth(department: DemoDepartment, uplift: number): number {
  return Math.min(0.35, 0.55 * (uplift / (1 + uplift)) * (department.dipTauDays >= 5 ? 1.2 : 1));
}

/** Promotions pull forward: the dip lasts until it is under 1 % of baseline, at most 14 days. */
export const maxDipDays = 14;

function seasonFactor(department: DemoDepartment, date: IsoDate): number {
  const month = Number(date.slice(5, 7)) - 1;
  const day = Number(date.slice(8, 10));
  const position = month + (day - 15.5) / 30.4;
  const lower = Math.floor(position);
  const w = position - lower;
  const at = (m: number) => department.season[((m % 12) + 12) % 12];
  return at(lower) * (1 - w) + at(lower + 1) * w;
}

/** Day effects that are the same for every year: Christmas run-up and the days between the holidays. */
function calendarFactor(department: DemoDepartment, channel: Channel, date: IsoDate, holidays: Map<IsoDate, string>): number {
  const md = date.slice(5);
  let f = 1;
  if (md >= '12-10' && md <= '12-23') f *= 1.12;
  if (md === '12-24') f *= channel === 'offline' ? 0.55 : 0.45;
  if (md >= '12-27' && md <= '12-30') f *= 0.8;
  if (md === '12-31') f *= channel === 'offline' ? 0.5 : 0.7;
  const year = Number(date.slice(0, 4));
  const tournament = footballTournament(year);
  if (tournament && (department.name === 'TV' || department.name === 'Audio')) {
    const strength = department.name === 'TV' ? 1 : 0.35;
    const k = daysBetween(tournament.from, date);
    if (k >= -21 && k < 0) f *= 1 + strength * 0.35 * ((k + 22) / 21);
    else if (k >= 0 && k < 14) f *= 1 + strength * 0.2;
  }
  if (holidays.has(date)) {
    if (channel === 'offline') f *= weekdayFactors.offline[0] / weekdayFactors.offline[dayOfWeek(date)];
    else f *= md === '12-25' ? 0.55 : md === '12-26' ? 1.25 : md === '01-01' ? 0.7 : 1.1;
  }
  return f;
}

function holidayMap(from: IsoDate, to: IsoDate): Map<IsoDate, string> {
  const map = new Map<IsoDate, string>();
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) for (const h of germanHolidays(y)) map.set(h.date, h.name);
  return map;
}

/**
 * Expected (noise-free, promotion-free) sales of a department × channel on a day: what a good baseline forecast
 * should say. Used for the targets of the coming months.
 */
export function expectedBaseline(department: DemoDepartment, channel: Channel, date: IsoDate, holidays = holidayMap(date, date)): number {
  const years = daysBetween(referenceDate, date) / 365.25;
  return (
    department.level[channel] *
    weekdayFactors[channel][dayOfWeek(date)] *
    seasonFactor(department, date) *
    calendarFactor(department, channel, date, holidays) *
    Math.pow(1 + channelTrend[channel], years)
  );
}

interface ActivePromo {
  promotion: DemoPromotion;
  discountPct: number;
  uplift: number;
  dayIndex: number;
  length: number;
}

/** Runs the simulation over the history window; deterministic for (seed, day). */
export function simulateDemoSales(options: DemoSimulationOptions): DemoSimulation {
  const { endDate } = options;
  const years = options.years ?? 3;
  const seed = options.seed ?? defaultDemoSeed;
  if (!isIsoDate(endDate)) throw new Error(`simulateDemoSales: endDate must be a date as YYYY-MM-DD (got "${endDate}").`);
  if (!(years > 0 && years <= 10)) throw new Error(`simulateDemoSales: years must be between 0 and 10 (got ${years}).`);
  const from = historyStart(endDate, years);
  const to = endDate;
  const calendar = buildPromoCalendar(seed, Number(from.slice(0, 4)) - 1, Number(to.slice(0, 4)) + 1);
  const holidays = holidayMap(from, to);
  const byName = new Map(demoDepartments.map((d) => [d.name, d]));

  // Which promotion runs for each day × department × channel, and the dip factors left behind by ended ones.
  const active = new Map<string, ActivePromo>();
  const dips = new Map<string, number>();
  const key = (date: IsoDate, department: string, channel: Channel) => `${date}|${department}|${channel}`;
  for (const promotion of calendar) {
    const length = daysBetween(promotion.start, promotion.end) + 1;
    for (const [name, discountPct] of Object.entries(promotion.discounts)) {
      const department = byName.get(name)!;
      for (const channel of promotion.channels) {
        const uplift = upliftOf(department, channel, discountPct, promotion.kind);
        eachDay(promotion.start, promotion.end).forEach((date, dayIndex) =>
          active.set(key(date, name, channel), { promotion, discountPct, uplift, dayIndex, length }),
        );
        const depth = dipDepth(department, uplift);
        for (let k = 1; k <= maxDipDays; k++) {
          const f = depth * Math.exp(-(k - 1) / department.dipTauDays);
          if (f < 0.01) break;
          const dk = key(addDays(promotion.end, k), name, channel);
          dips.set(dk, (dips.get(dk) ?? 1) * (1 - f));
        }
      }
    }
  }

  const rows: DemoSalesRow[] = [];
  const days = eachDay(from, to);
  for (const department of demoDepartments) {
    for (const [ci, channel] of demoChannels.entries()) {
      const stream = hashString(`${department.name}|${channel}`);
      const channelStream = 101 + ci;
      const links = departmentLinks.filter((l) => l.target === department.name);
      for (const date of days) {
        const n = dayNumber(date);
        const noise = Math.exp(0.07 * normalAt(seed, stream, n) + 0.04 * normalAt(seed, channelStream, n) - 0.0065 / 2);
        const baseline = expectedBaseline(department, channel, date, holidays) * noise;
        const promo = active.get(key(date, department.name, channel));
        let factor = 1;
        if (promo) {
          const shape = promo.dayIndex === 0 ? 1.1 : promo.length > 7 && promo.dayIndex >= 7 ? 0.9 : 1;
          factor *= 1 + promo.uplift * shape;
        }
        factor *= dips.get(key(date, department.name, channel)) ?? 1;
        for (const link of links) {
          const source = active.get(key(date, link.source, channel));
          if (source) factor *= link.kind === 'halo' ? 1 + link.rate * source.uplift : Math.max(0.4, 1 - link.rate * source.uplift);
        }
        const sales = round2(baseline * factor);
        const d = promo ? promo.discountPct / 100 : 0;
        const month = Number(date.slice(5, 7));
        let rate = department.marginRate - (channel === 'online' ? onlineMarginDelta : 0) - (month >= 11 ? 0.008 : 0);
        rate += 0.006 * normalAt(seed, stream + 1, n);
        if (promo) rate = (rate - d * (1 - department.vendorFunding)) / (1 - d);
        const price = department.avgPrice * (1 - d) * (1 + 0.04 * normalAt(seed, stream + 2, n));
        rows.push({
          date,
          channel,
          department: department.name,
          promoFlag: !!promo,
          discountPct: promo ? promo.discountPct : null,
          salesValue: sales,
          marginValue: round2(sales * rate),
          units: Math.max(0, Math.round(sales / price)),
          baselineSalesValue: round2(baseline),
          promotionId: promo?.promotion.id ?? null,
        });
      }
    }
  }
  const promotions = calendar.filter((p) => p.start >= from && p.start <= to);
  return {
    seed,
    from,
    to,
    departments: demoDepartments.map((d) => d.name),
    channels: [...demoChannels],
    rows,
    promotions,
    calendar,
    truth: groundTruth(rows, calendar, from, to),
  };
}

function groundTruth(rows: DemoSalesRow[], calendar: DemoPromotion[], from: IsoDate, to: IsoDate): DemoGroundTruth {
  const byName = new Map(demoDepartments.map((d) => [d.name, d]));
  const index = new Map(rows.map((r) => [`${r.date}|${r.department}|${r.channel}`, r]));

  const upliftAcc = new Map<string, { sales: number; baseline: number; days: number }>();
  for (const r of rows) {
    if (!r.promoFlag) continue;
    const k = `${r.department}|${r.channel}|${discountBandOf(r.discountPct!)}`;
    const a = upliftAcc.get(k) ?? { sales: 0, baseline: 0, days: 0 };
    a.sales += r.salesValue;
    a.baseline += r.baselineSalesValue;
    a.days++;
    upliftAcc.set(k, a);
  }
  const bandMid: Record<DiscountBand, number> = { '0-10': 8, '10-20': 15, '20-30': 25, '30+': 33 };
  const uplift: UpliftTruth[] = [];
  for (const department of demoDepartments)
    for (const channel of demoChannels)
      for (const { band } of discountBands) {
        const a = upliftAcc.get(`${department.name}|${channel}|${band}`);
        if (!a) continue;
        uplift.push({
          department: department.name,
          channel,
          discountBand: band,
          promoDays: a.days,
          realisedUpliftPct: round2((a.sales / a.baseline - 1) * 100),
          modelUpliftPct: round2(upliftOf(department, channel, bandMid[band]) * 100),
        });
      }

  const dips: DipTruth[] = [];
  for (const p of calendar) {
    if (p.end < from || addDays(p.end, maxDipDays) > to) continue;
    for (const [name, discountPct] of Object.entries(p.discounts)) {
      for (const channel of p.channels) {
        const after = (n: number) => {
          let sales = 0;
          let baseline = 0;
          for (let k = 1; k <= n; k++) {
            const r = index.get(`${addDays(p.end, k)}|${name}|${channel}`);
            if (r) {
              sales += r.salesValue;
              baseline += r.baselineSalesValue;
            }
          }
          return baseline > 0 ? round2((1 - sales / baseline) * 100) : 0;
        };
        const department = byName.get(name)!;
        dips.push({
          promotionId: p.id,
          department: name,
          channel,
          end: p.end,
          dip7Pct: after(7),
          dip14Pct: after(14),
          modelDepthPct: round2(dipDepth(department, upliftOf(department, channel, discountPct, p.kind)) * 100),
        });
      }
    }
  }

  const links: LinkTruth[] = [];
  for (const link of departmentLinks) {
    for (const channel of demoChannels) {
      let days = 0;
      let targetSales = 0;
      let targetBaseline = 0;
      let sourceIncremental = 0;
      for (const r of rows) {
        if (r.department !== link.source || r.channel !== channel || !r.promoFlag) continue;
        const t = index.get(`${r.date}|${link.target}|${channel}`);
        if (!t || t.promoFlag) continue;
        days++;
        targetSales += t.salesValue;
        targetBaseline += t.baselineSalesValue;
        sourceIncremental += r.salesValue - r.baselineSalesValue;
      }
      if (days === 0) continue;
      links.push({
        ...link,
        channel,
        days,
        targetChangePct: round2((targetSales / targetBaseline - 1) * 100),
        pctOfSourceIncremental: sourceIncremental !== 0 ? round2(((targetSales - targetBaseline) / sourceIncremental) * 100) : 0,
      });
    }
  }

  return {
    uplift,
    dips,
    links,
    upliftOf: (department, channel, discountPct, kind = 'standard') => {
      const d = byName.get(department);
      if (!d) throw new Error(`Unknown demo department "${department}".`);
      return upliftOf(d, channel, discountPct, kind);
    },
  };
}

/** Sum of expected baseline sales, margin and units of a month for a department × channel (noise-free). */
export function expectedMonth(department: DemoDepartment, channel: Channel, month: string): { sales: number; margin: number; units: number } {
  const first = `${month}-01`;
  const days: IsoDate[] = [];
  for (let d = first; monthOf(d) === month; d = addDays(d, 1)) days.push(d);
  const holidays = holidayMap(first, days[days.length - 1]);
  let sales = 0;
  for (const d of days) sales += expectedBaseline(department, channel, d, holidays);
  const m = Number(month.slice(5, 7));
  const rate = department.marginRate - (channel === 'online' ? onlineMarginDelta : 0) - (m >= 11 ? 0.008 : 0);
  return { sales, margin: sales * rate, units: sales / department.avgPrice };
}
