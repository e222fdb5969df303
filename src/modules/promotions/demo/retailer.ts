import { calendarDate as ymd } from '../../../core/calendar.js';
import type { Channel } from '../schema.js';
import { addDays, dayOfWeek, type IsoDate } from '../shared/dates.js';

/**
 * The demo electronics chain ("ElektroMax", Germany, stores and a web shop): its departments with their sales levels,
 * margins, prices, promotion sensitivity and seasonality, and the calendar facts the simulation needs (public
 * holidays, Black Friday, Easter, football tournaments).
 */

export interface DemoDepartment {
  name: string;
  /** Average € per day at the reference date (2025-01-01), before weekday, season and trend. */
  level: Record<Channel, number>;
  /** Gross margin rate on non-promo days (offline; online is `onlineMarginDelta` lower). */
  marginRate: number;
  /** Average selling price (€) on non-promo days. */
  avgPrice: number;
  /** Scales the discount → uplift curve (1 = average department). */
  sensitivity: number;
  /** Share of a discount paid by the vendor (supplier funding): the rest comes out of the margin. */
  vendorFunding: number;
  /** Days a post-promo dip takes to decay by 1/e (durables longer: people bought ahead). */
  dipTauDays: number;
  /** Month factors Jan…Dec (interpolated between mid-months). */
  season: readonly number[];
}

export const referenceDate: IsoDate = '2025-01-01';
export const onlineMarginDelta = 0.015;
/** Yearly growth by channel (online grows, stores slowly lose share). */
export const channelTrend: Record<Channel, number> = { online: 0.1, offline: -0.02 };

export const demoDepartments: readonly DemoDepartment[] = [
  {
    name: 'TV',
    level: { offline: 52_000, online: 38_000 },
    marginRate: 0.18,
    avgPrice: 620,
    sensitivity: 1.15,
    vendorFunding: 0.55,
    dipTauDays: 5,
    season: [0.85, 0.85, 0.9, 0.88, 0.88, 0.92, 0.86, 0.86, 0.98, 1.05, 1.4, 1.5],
  },
  {
    name: 'Audio',
    level: { offline: 14_000, online: 12_000 },
    marginRate: 0.28,
    avgPrice: 110,
    sensitivity: 1.0,
    vendorFunding: 0.45,
    dipTauDays: 3,
    season: [0.85, 0.82, 0.9, 0.92, 0.95, 0.95, 0.92, 0.92, 0.95, 1.0, 1.3, 1.7],
  },
  {
    name: 'Computing',
    level: { offline: 34_000, online: 42_000 },
    marginRate: 0.13,
    avgPrice: 780,
    sensitivity: 0.8,
    vendorFunding: 0.6,
    dipTauDays: 4,
    season: [0.95, 0.9, 0.95, 0.92, 0.9, 0.88, 0.9, 1.15, 1.2, 1.0, 1.2, 1.3],
  },
  {
    name: 'Gaming',
    level: { offline: 20_000, online: 24_000 },
    marginRate: 0.15,
    avgPrice: 85,
    sensitivity: 1.2,
    vendorFunding: 0.5,
    dipTauDays: 3,
    season: [0.85, 0.8, 0.85, 0.82, 0.8, 0.8, 0.78, 0.82, 0.95, 1.05, 1.5, 1.95],
  },
  {
    name: 'Mobile',
    level: { offline: 40_000, online: 30_000 },
    marginRate: 0.12,
    avgPrice: 420,
    sensitivity: 0.95,
    vendorFunding: 0.65,
    dipTauDays: 4,
    season: [0.9, 0.88, 0.92, 0.92, 0.95, 0.95, 0.92, 0.95, 1.15, 1.05, 1.15, 1.35],
  },
  {
    name: 'Photo',
    level: { offline: 9_000, online: 8_000 },
    marginRate: 0.22,
    avgPrice: 340,
    sensitivity: 0.85,
    vendorFunding: 0.5,
    dipTauDays: 4,
    season: [0.8, 0.8, 0.9, 1.0, 1.1, 1.15, 1.1, 1.0, 0.95, 0.9, 1.1, 1.35],
  },
  {
    name: 'Small Appliances',
    level: { offline: 18_000, online: 14_000 },
    marginRate: 0.32,
    avgPrice: 75,
    sensitivity: 1.05,
    vendorFunding: 0.4,
    dipTauDays: 3,
    season: [0.9, 0.85, 0.92, 0.92, 0.95, 0.9, 0.9, 0.9, 0.95, 1.05, 1.3, 1.6],
  },
  {
    name: 'Large Appliances',
    level: { offline: 30_000, online: 20_000 },
    marginRate: 0.21,
    avgPrice: 560,
    sensitivity: 0.75,
    vendorFunding: 0.5,
    dipTauDays: 6,
    season: [1.0, 0.95, 1.02, 1.02, 1.0, 1.05, 1.1, 1.05, 1.0, 1.0, 1.1, 0.95],
  },
];

export const departmentNames = demoDepartments.map((d) => d.name);
export const demoChannels: readonly Channel[] = ['offline', 'online'];

/**
 * Neighbouring departments: during a promotion of `source`, `target` loses (cannibalisation: shoppers buy the
 * promoted item instead) or gains (halo: a new TV sells a soundbar) `rate` × the source's uplift, in % of its own sales.
 */
export interface DepartmentLink {
  source: string;
  target: string;
  kind: 'cannibalisation' | 'halo';
  rate: number;
}

export const departmentLinks: readonly DepartmentLink[] = [
  { source: 'Gaming', target: 'Computing', kind: 'cannibalisation', rate: 0.22 },
  { source: 'Mobile', target: 'Photo', kind: 'cannibalisation', rate: 0.3 },
  { source: 'Large Appliances', target: 'Small Appliances', kind: 'cannibalisation', rate: 0.2 },
  { source: 'TV', target: 'Audio', kind: 'halo', rate: 0.15 },
];

/** Weekday factors, Sunday first (PostgreSQL DOW). German stores close on Sundays (a few station shops stay open). */
export const weekdayFactors: Record<Channel, readonly number[]> = {
  offline: [0.04, 0.82, 0.85, 0.9, 0.98, 1.2, 1.55],
  online: [1.22, 1.18, 1.0, 0.95, 0.93, 0.85, 0.82],
};

export { blackFriday, easterSunday, germanPublicHolidays as germanHolidays } from '../../../core/calendar.js';
export { ymd };

/** The men's football tournament (World Cup or Euro) of even years: June 11 to July 12, near enough. */
export function footballTournament(year: number): { from: IsoDate; to: IsoDate } | null {
  return year % 2 === 0 ? { from: ymd(year, 6, 11), to: ymd(year, 7, 12) } : null;
}

/** The first date on or after `date` that falls on `weekday` (0 = Sunday). */
export function nextWeekday(date: IsoDate, weekday: number): IsoDate {
  let d = date;
  while (dayOfWeek(d) !== weekday) d = addDays(d, 1);
  return d;
}

/** Fiscal years run October–September: FY25 is 2024-10-01 … 2025-09-30. */
export function fiscalYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 10 ? year + 1 : year;
}

/** The promo calendar workbook a promotion comes from, as the retailer names them. */
export function promoSourceFile(date: IsoDate): string {
  return `Promo_October-September_FY${String(fiscalYearOf(date) % 100).padStart(2, '0')}.xlsb`;
}
