import type { OpeningHours } from '../schema.js';
import { addDays, daysBetween, isoWeekday, parseMinutes, type IsoDate } from '../shared/dates.js';
import type { ChainCatalog } from './chain-catalog.js';
import type { ChainPlan, IncidentPlan, StorePlan } from './chain-plan.js';
import { thanksgiving } from './holidays.js';
import { demoKpiDefinitions, type KpiCode } from './kpi-catalog.js';
import { hashString, mulberry32, normalAt, pick, poissonAt, uniformAt } from '../../../core/seeded-random.js';

/**
 * Simulates one store day by day: traffic × conversion = transactions, × basket = sales, staff shifts with call-outs,
 * 20 top SKUs going in and out of stock, shrink and NPS, with weekly and yearly seasonality, a slow trend, weather
 * and the planned incidents. Every KPI value is computed from the same latent day, so KPIs move together
 * (a staffing gap lowers conversion a few days later; a stock-out run lowers basket and conversion).
 */

export const kpiIndex: Record<KpiCode, number> = Object.fromEntries(demoKpiDefinitions.map((k, i) => [k.kpiCode, i])) as Record<KpiCode, number>;
const kpiCount = demoKpiDefinitions.length;

export interface LaborShiftRow {
  date: IsoDate;
  shiftStart: string;
  shiftEnd: string;
  requiredHours: number;
  scheduledHours: number;
  availableHours: number;
  coverageRatio: number;
  status: 'green' | 'yellow' | 'red';
}

export interface CalloutRow {
  date: IsoDate;
  /** Start of the shift the call-out hit (links it to its labor_schedules row). */
  shiftStart: string;
  shiftAffected: string;
  employeeName: string;
  hoursLost: number;
  isFilled: boolean;
  filledBy: string | null;
  isPeakHours: boolean;
}

export interface InventoryRow {
  date: IsoDate;
  skuIndex: number;
  quantityOnHand: number;
  averageDailySales: number;
  daysOfCover: number;
  isOutOfStock: boolean;
  status: 'green' | 'yellow' | 'red';
}

export interface OutOfStockEventRow {
  skuIndex: number;
  outOfStockAt: Date;
  restockedAt: Date | null;
  durationHours: number | null;
  estimatedLostSales: number;
}

export interface StoreSimulation {
  storeCode: string;
  /** Days (offset from history.from) on which the store was open: the days that have KPI rows. */
  openDays: number[];
  /** kpiCount values per open day, in demoKpiDefinitions order; NaN where the KPI has no value that day. */
  values: Float64Array;
  shifts: LaborShiftRow[];
  callouts: CalloutRow[];
  inventory: InventoryRow[];
  outOfStockEvents: OutOfStockEventRow[];
}

export interface TopSku {
  sku: string;
  productName: string;
  category: string;
  unitPrice: number;
  /** Units a size-1 store sells on an average day. */
  dailyUnits: number;
}

export const topSkus: readonly TopSku[] = [
  { sku: 'SKU-10021', productName: 'Paper Towels 6-Roll', category: 'Household', unitPrice: 9.99, dailyUnits: 14 },
  { sku: 'SKU-10034', productName: 'Bath Tissue 12 Mega Rolls', category: 'Household', unitPrice: 12.49, dailyUnits: 12 },
  { sku: 'SKU-10057', productName: 'Laundry Detergent 92 oz', category: 'Household', unitPrice: 13.99, dailyUnits: 9 },
  { sku: 'SKU-10062', productName: 'Dish Soap 24 oz', category: 'Household', unitPrice: 3.49, dailyUnits: 11 },
  { sku: 'SKU-10088', productName: 'Trash Bags 13 gal 90-ct', category: 'Household', unitPrice: 14.99, dailyUnits: 6 },
  { sku: 'SKU-20113', productName: 'AA Batteries 8-Pack', category: 'Electronics', unitPrice: 8.99, dailyUnits: 8 },
  { sku: 'SKU-20127', productName: 'USB-C Charging Cable 6 ft', category: 'Electronics', unitPrice: 12.99, dailyUnits: 5 },
  { sku: 'SKU-20140', productName: 'Phone Screen Protector', category: 'Electronics', unitPrice: 9.99, dailyUnits: 4 },
  { sku: 'SKU-30205', productName: 'Bottled Water 24-Pack', category: 'Grocery', unitPrice: 4.99, dailyUnits: 18 },
  { sku: 'SKU-30218', productName: 'Ground Coffee 12 oz', category: 'Grocery', unitPrice: 8.49, dailyUnits: 10 },
  { sku: 'SKU-30226', productName: 'Sparkling Water 12-Pack', category: 'Grocery', unitPrice: 5.99, dailyUnits: 9 },
  { sku: 'SKU-30239', productName: 'Granola Bars 12-Count', category: 'Grocery', unitPrice: 4.79, dailyUnits: 8 },
  { sku: 'SKU-40301', productName: 'Ibuprofen 200 mg 100-ct', category: 'Health', unitPrice: 7.99, dailyUnits: 6 },
  { sku: 'SKU-40315', productName: 'Multivitamin 120-ct', category: 'Health', unitPrice: 11.99, dailyUnits: 4 },
  { sku: 'SKU-50402', productName: 'Hand Soap Refill 56 oz', category: 'Personal care', unitPrice: 6.99, dailyUnits: 7 },
  { sku: 'SKU-50417', productName: 'Toothpaste Twin Pack', category: 'Personal care', unitPrice: 5.49, dailyUnits: 9 },
  { sku: 'SKU-50423', productName: 'Shampoo 28 oz', category: 'Personal care', unitPrice: 6.79, dailyUnits: 6 },
  { sku: 'SKU-60510', productName: 'Dry Dog Food 16 lb', category: 'Pet', unitPrice: 21.99, dailyUnits: 4 },
  { sku: 'SKU-70603', productName: 'Storage Bins 3-Pack', category: 'Home', unitPrice: 17.99, dailyUnits: 3 },
  { sku: 'SKU-70618', productName: 'Scented Candle 3-Wick', category: 'Home', unitPrice: 14.99, dailyUnits: 4 },
];

// Noise streams: each simulated quantity draws from its own stream so changing one never shifts another.
const stream = {
  traffic: 1,
  conversion: 2,
  basket: 3,
  shrink: 4,
  nps: 5,
  schedule: 6,
  overtime: 7,
  calloutCount: 8,
  calloutShift: 9,
  calloutHours: 10,
  calloutFilled: 11,
  calloutPerson: 12,
  weather: 13,
  weatherStrength: 14,
  skuTransition: 100,
  skuCover: 200,
  skuTarget: 300,
  eventTime: 400,
} as const;

const weeklyConversion = [1.01, 1.01, 1.01, 1, 0.99, 0.97, 0.99];
const weeklyBasket = [0.98, 0.98, 0.99, 1, 1.02, 1.05, 1.03];
const trendEpoch = Date.UTC(2025, 0, 1) / 86_400_000;

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const dayNumberOf = (date: IsoDate) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** Signed distance in days from a date to the nearest occurrence of a month/day anchor (−182 … 182). */
function daysFromAnchor(date: IsoDate, month: number, day: number): number {
  const year = Number(date.slice(0, 4));
  let best = Infinity;
  for (const y of [year - 1, year, year + 1]) {
    const d = daysBetween(`${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, date);
    if (Math.abs(d) < Math.abs(best)) best = d;
  }
  return best;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** UTC offset (minutes) of a time zone at an instant, with one cached formatter per zone. */
function zoneOffsetMinutes(instantMs: number, timeZone: string): number {
  let formatter = zoneFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    zoneFormatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instantMs))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return (Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - instantMs) / 60_000;
}

/** The instant of a local wall-clock time in a time zone (the shared zonedInstant, with cached formatters for bulk use). */
function localInstant(date: IsoDate, hhmm: string, timeZone: string): Date {
  const wallClock = Date.parse(`${date}T${hhmm}:00Z`);
  let instant = wallClock - zoneOffsetMinutes(wallClock, timeZone) * 60_000;
  instant = wallClock - zoneOffsetMinutes(instant, timeZone) * 60_000;
  return new Date(instant);
}

const bump = (distance: number, sigma: number) => Math.exp(-(distance * distance) / (2 * sigma * sigma));

/**
 * Yearly shape: a holiday-season peak in late December fading through the winter, a summer dip and a back-to-school bump,
 * plus a few big single days. The slopes stay gentle (≤ ~0.15 % a day) because the four-week baseline lags about
 * 2.5 weeks: a steeper post-holiday fall would turn the whole chain yellow every January, drowning the incidents.
 */
export function seasonalFactor(date: IsoDate, orgSlug: string): number {
  const toPeak = daysFromAnchor(date, 12, 16);
  let factor = 1 + 0.08 * bump(toPeak, toPeak < 0 ? 30 : 70) - 0.04 * bump(daysFromAnchor(date, 7, 20), 40) + 0.025 * bump(daysFromAnchor(date, 8, 22), 16);
  const year = Number(date.slice(0, 4));
  const monthDay = date.slice(5);
  if (date === addDays(thanksgiving(year), 1)) factor *= orgSlug === 'demo' ? 1.15 : 1.08;
  if (monthDay === '12-24') factor *= 1.04;
  if (monthDay === '12-26') factor *= 1.08;
  if (monthDay === '12-31') factor *= 0.9;
  if (monthDay >= '12-17' && monthDay <= '12-23' && isoWeekday(date) === 6) factor *= 1.06;
  return factor;
}

interface IncidentEffects {
  /** Staffing gap, 0 (none) … ~1.2 (severe). */
  staffing: number;
  /** Stock-out pressure on the shelves, 0 … ~1.2. */
  stockOut: number;
  /** Replenishment running late ahead of a stock-out run: 1 = normal cover, down to 0.3. */
  coverFactor: number;
  /** Visitors kept away by a slump (1 = none). */
  slumpTraffic: number;
  /** How far into a slump (0 … 1), for conversion and NPS. */
  slumpDepth: number;
}

function ramp(day: number, rampDays: number): number {
  return clamp((day + 1) / rampDays, 0, 1);
}

const slumpDrop = (severity: number, days: number) => 1 - (1 - 0.1 * severity) * Math.exp(-0.01 * severity * Math.min(days, 45));

function incidentEffects(incidents: IncidentPlan[], storeCode: string, date: IsoDate): IncidentEffects {
  const effects: IncidentEffects = { staffing: 0, stockOut: 0, coverFactor: 1, slumpTraffic: 1, slumpDepth: 0 };
  for (const incident of incidents) {
    const severity = incident.severity[storeCode];
    if (severity === undefined) continue;
    const day = daysBetween(incident.start, date);
    const sinceEnd = daysBetween(incident.end, date);
    if (incident.kind === 'staffing_crisis') {
      // Builds up over four days and keeps worsening as tired colleagues quit; once over, the team recovers within a week.
      if (day >= 0 && sinceEnd <= 0) effects.staffing = Math.max(effects.staffing, severity * ramp(day, 4) * (1 + 0.02 * Math.min(day, 15)));
      else if (sinceEnd > 0 && sinceEnd <= 7) effects.staffing = Math.max(effects.staffing, severity * (1 - sinceEnd / 7));
    } else if (incident.kind === 'stock_out_run') {
      // Deliveries run short for a week before the shelves empty; cover is back five days after the run.
      if (day >= -7 && day < 0) effects.coverFactor = Math.min(effects.coverFactor, 1 - (0.7 * (day + 8)) / 8);
      if (day >= 0 && sinceEnd <= 0) {
        effects.stockOut = Math.max(effects.stockOut, severity);
        effects.coverFactor = Math.min(effects.coverFactor, 0.3);
      }
      if (sinceEnd > 0 && sinceEnd <= 5) effects.coverFactor = Math.min(effects.coverFactor, 0.3 + (0.7 * sinceEnd) / 5);
    } else {
      // A tenth of the visitors go at once, then ~1 % more a day for up to 45 days; they come back over two weeks once the cause is gone.
      if (day >= 0 && sinceEnd <= 0) {
        const drop = slumpDrop(severity, day + 1);
        effects.slumpTraffic = Math.min(effects.slumpTraffic, 1 - drop);
        effects.slumpDepth = Math.max(effects.slumpDepth, clamp((day + 1) / 14, 0, 1));
      } else if (sinceEnd > 0 && sinceEnd <= 14) {
        const lastDay = Math.min(daysBetween(incident.start, incident.end) + 1, 45);
        const drop = slumpDrop(severity, lastDay) * (1 - sinceEnd / 14);
        effects.slumpTraffic = Math.min(effects.slumpTraffic, 1 - drop);
        effects.slumpDepth = Math.max(effects.slumpDepth, 1 - sinceEnd / 14);
      }
    }
  }
  return effects;
}

interface Shift {
  start: string;
  end: string;
  hours: number;
  share: number;
}

/** Two shifts a day (opening and closing) from the store's opening hours; the closing shift carries the peak. */
function shiftsOf(hours: OpeningHours, weekday: number): Shift[] {
  const interval = hours[String(weekday) as keyof OpeningHours]?.[0];
  if (!interval) return [];
  const open = parseMinutes(interval.open);
  let close = parseMinutes(interval.close);
  if (close <= open) close += 1440;
  const mid = open + Math.round((close - open) / 60 / 2) * 60;
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const openingShare = ((mid - open) / (close - open)) * 0.9;
  return [
    { start: hhmm(open), end: hhmm(mid), hours: (mid - open) / 60, share: openingShare },
    { start: hhmm(mid), end: hhmm(close), hours: (close - mid) / 60, share: 1 - openingShare },
  ];
}

const labourStatus = (ratio: number) => (ratio >= 0.95 ? 'green' : ratio >= 0.85 ? 'yellow' : 'red');
const coverStatus = (days: number) => (days >= 10 ? 'green' : days >= 6 ? 'yellow' : 'red');

/** What every store shares about one calendar day of the history. */
interface HistoryDay {
  date: IsoDate;
  dayNumber: number;
  weekday: number;
  month: number;
  season: number;
}

export interface SimulationContext {
  plan: ChainPlan;
  catalog: ChainCatalog;
  days: HistoryDay[];
  holidays: ReadonlySet<IsoDate>;
  closuresByStore: ReadonlyMap<string, ReadonlySet<IsoDate>>;
  shocksByStore: ReadonlyMap<string, ReadonlyMap<IsoDate, number>>;
}

export function simulationContext(plan: ChainPlan, catalog: ChainCatalog): SimulationContext {
  const holidays = new Set(plan.closures.filter((c) => c.storeCode === null).map((c) => c.date));
  const closuresByStore = new Map<string, Set<IsoDate>>();
  for (const c of plan.closures) {
    if (c.storeCode === null) continue;
    if (!closuresByStore.has(c.storeCode)) closuresByStore.set(c.storeCode, new Set());
    closuresByStore.get(c.storeCode)!.add(c.date);
  }
  const shocksByStore = new Map<string, Map<IsoDate, number>>();
  for (const shock of plan.trafficShocks) {
    for (const code of shock.storeCodes) {
      if (!shocksByStore.has(code)) shocksByStore.set(code, new Map());
      shocksByStore.get(code)!.set(shock.date, shock.factor);
    }
  }
  const days: HistoryDay[] = [];
  for (let date = plan.history.from; date <= plan.history.to; date = addDays(date, 1)) {
    days.push({ date, dayNumber: dayNumberOf(date), weekday: isoWeekday(date), month: Number(date.slice(5, 7)), season: seasonalFactor(date, plan.orgSlug) });
  }
  return { plan, catalog, days, holidays, closuresByStore, shocksByStore };
}

/** Whether the store trades that day (no holiday, no closure, opening hours on that weekday). */
export function isOpenDay(context: SimulationContext, store: StorePlan, date: IsoDate, weekday = isoWeekday(date)): boolean {
  if (context.holidays.has(date) || context.closuresByStore.get(store.storeCode)?.has(date)) return false;
  return (store.openingHours[String(weekday) as keyof OpeningHours]?.length ?? 0) > 0;
}

/** Bad-weather days hit a whole district: snow in the north's winter, storms in the south's late summer. */
function weatherFactor(context: SimulationContext, store: StorePlan, month: number, dayNumber: number): number {
  const region = store.regionName;
  const stormy = region === 'South' ? month >= 6 && month <= 10 : month === 12 || month <= 3;
  const chance = stormy ? 0.015 : 0.005;
  const seed = hashString(`${context.plan.orgSlug}:${store.districtName}:weather`);
  if (uniformAt(seed, stream.weather, dayNumber) >= chance) return 1;
  return 0.62 + 0.23 * uniformAt(seed, stream.weatherStrength, dayNumber);
}

function employeePool(store: StorePlan, catalog: ChainCatalog): string[] {
  const random = mulberry32(store.profile.seed ^ 0x1234567);
  const names = new Set<string>();
  while (names.size < 30) names.add(`${pick(random, catalog.firstNames)} ${pick(random, catalog.lastNames)}`);
  return [...names];
}

export function simulateStore(context: SimulationContext, store: StorePlan): StoreSimulation {
  const { plan, catalog } = context;
  const { profile } = store;
  const seed = profile.seed;
  const incidents = plan.incidents.filter((i) => i.severity[store.storeCode] !== undefined);
  const shocks = context.shocksByStore.get(store.storeCode);
  const employees = employeePool(store, catalog);
  const detailOffset = daysBetween(plan.history.from, plan.detailFrom);

  const openDays: number[] = [];
  const values: number[] = [];
  const shifts: LaborShiftRow[] = [];
  const callouts: CalloutRow[] = [];
  const inventory: InventoryRow[] = [];
  const outOfStockEvents: OutOfStockEventRow[] = [];

  const skuTargets = topSkus.map((_, j) => 12 + 10 * uniformAt(seed, stream.skuTarget + j, 0));
  const skuOutOfStock = topSkus.map(() => false);
  const skuRunStart: (IsoDate | null)[] = topSkus.map(() => null);
  const skuRate = topSkus.map(() => 0);
  // est_lost_sales belongs to the day an event started, known only once it ends: filled in after the loop.
  const lostSalesByDay = new Map<number, number>();
  const skuRunStartDay = topSkus.map(() => 0);
  let degradation = 0;

  const endOutOfStockRun = (j: number, restockDate: IsoDate | null) => {
    const start = skuRunStart[j]!;
    const lostDays = daysBetween(start, restockDate ?? addDays(plan.history.to, 1));
    const lostSales = round(skuRate[j] * topSkus[j].unitPrice * lostDays, 2);
    lostSalesByDay.set(skuRunStartDay[j], (lostSalesByDay.get(skuRunStartDay[j]) ?? 0) + lostSales);
    // Only runs reaching into the detail window become out_of_stock_events rows.
    if (restockDate !== null && restockDate <= plan.detailFrom) return;
    const startDay = dayNumberOf(start);
    const minutesIn = 11 * 60 + Math.floor(uniformAt(seed, stream.eventTime + j, startDay) * 9 * 60);
    const outAt = localInstant(start, `${String(Math.floor(minutesIn / 60)).padStart(2, '0')}:${String(minutesIn % 60).padStart(2, '0')}`, store.timezone);
    let restockedAt: Date | null = null;
    if (restockDate) {
      const restockMinutes = 7 * 60 + Math.floor(uniformAt(seed, stream.eventTime + 50 + j, dayNumberOf(restockDate)) * 3 * 60);
      restockedAt = localInstant(
        restockDate,
        `${String(Math.floor(restockMinutes / 60)).padStart(2, '0')}:${String(restockMinutes % 60).padStart(2, '0')}`,
        store.timezone,
      );
    }
    outOfStockEvents.push({
      skuIndex: j,
      outOfStockAt: outAt,
      restockedAt,
      durationHours: restockedAt ? Math.round((restockedAt.getTime() - outAt.getTime()) / 3_600_000) : null,
      estimatedLostSales: lostSales,
    });
  };

  for (let day = 0; day < context.days.length; day++) {
    const { date, dayNumber, weekday, month, season } = context.days[day];
    if (!isOpenDay(context, store, date, weekday)) continue;
    const trend = Math.exp((profile.trendPerYear * (dayNumber - trendEpoch)) / 365.25);
    const expectedTraffic = profile.trafficBase * catalog.weeklyTraffic[weekday - 1] * season * trend;
    const effects = incidentEffects(incidents, store.storeCode, date);
    const detailed = day >= detailOffset;

    // Labor: required hours follow expected visitors; call-outs leave gaps that a crisis stops anyone filling.
    const required = Math.round(12 + 0.06 * expectedTraffic);
    const vacancy = 0.1 * effects.staffing;
    const dayShifts = shiftsOf(store.openingHours, weekday);
    const shiftRequired = dayShifts.map((s) => round(required * s.share, 2));
    const shiftScheduled = shiftRequired.map((r, k) => round(r * (1.01 + 0.012 * normalAt(seed, stream.schedule + k * 31, dayNumber) - vacancy), 2));
    const shiftUnfilled = dayShifts.map(() => 0);
    const calloutCount = Math.min(20, poissonAt(seed, stream.calloutCount, dayNumber, 0.2 + 0.25 * profile.size + 4.2 * effects.staffing));
    const fillChance = 0.7 - 0.55 * Math.min(1, effects.staffing);
    let unfilledHours = 0;
    let filledHours = 0;
    const personOffset = Math.floor(uniformAt(seed, stream.calloutPerson, dayNumber) * employees.length);
    for (let k = 0; k < calloutCount; k++) {
      const shiftNo = uniformAt(seed, stream.calloutShift + k, dayNumber) < 0.45 ? 0 : 1;
      const shift = dayShifts[shiftNo];
      const hours = Math.min(shift.hours, [4, 6, 8][Math.floor(uniformAt(seed, stream.calloutHours + k, dayNumber) * 3)]);
      const filled = uniformAt(seed, stream.calloutFilled + k, dayNumber) < fillChance;
      if (filled) filledHours += hours;
      else {
        unfilledHours += hours;
        shiftUnfilled[shiftNo] += hours;
      }
      if (detailed) {
        callouts.push({
          date,
          shiftStart: shift.start,
          shiftAffected: `${shift.start}-${shift.end}`,
          employeeName: employees[(personOffset + 7 * k) % employees.length],
          hoursLost: hours,
          isFilled: filled,
          filledBy: filled ? `${employees[(personOffset + 7 * k + 11) % employees.length]} (overtime)` : null,
          isPeakHours: weekday >= 5 && shiftNo === 1,
        });
      }
    }
    const shiftAvailable = shiftScheduled.map((s, k) => round(Math.max(0, s - shiftUnfilled[k]), 2));
    // Sums in hundredths of an hour, so the ratio matches the one SQL derives from the stored schedule rows.
    const requiredCents = shiftRequired.reduce((a, b) => a + Math.round(b * 100), 0);
    const availableCents = shiftAvailable.reduce((a, b) => a + Math.round(b * 100), 0);
    const laborCoverage = round((availableCents * 100) / requiredCents, 4);
    if (detailed) {
      dayShifts.forEach((shift, k) => {
        const ratio = round(shiftAvailable[k] / shiftRequired[k], 4);
        shifts.push({
          date,
          shiftStart: shift.start,
          shiftEnd: shift.end,
          requiredHours: shiftRequired[k],
          scheduledHours: shiftScheduled[k],
          availableHours: shiftAvailable[k],
          coverageRatio: ratio,
          status: labourStatus(ratio),
        });
      });
    }
    const overtime = round(
      Math.max(0, 0.025 * required + 0.01 * required * normalAt(seed, stream.overtime, dayNumber)) + 0.5 * filledHours + 10 * effects.staffing,
      1,
    );
    // Service suffers with a lag: an understaffed floor loses sales as queues and empty fitting rooms add up.
    degradation = 0.7 * degradation + 0.3 * Math.max(0, 1 - laborCoverage / 100 - 0.02);

    // Inventory: each top SKU flips between in stock and out of stock; a stock-out run makes it stick.
    const outChance = 0.02 + 0.2 * effects.stockOut;
    const restockChance = effects.stockOut > 0 ? 0.2 : 0.6;
    let outOfStock = 0;
    let coverCents = 0;
    for (let j = 0; j < topSkus.length; j++) {
      skuRate[j] = round(topSkus[j].dailyUnits * profile.size * season, 2);
      const u = uniformAt(seed, stream.skuTransition + j, dayNumber);
      if (!skuOutOfStock[j] && u < outChance) {
        skuOutOfStock[j] = true;
        skuRunStart[j] = date;
        skuRunStartDay[j] = day;
      } else if (skuOutOfStock[j] && u < restockChance) {
        skuOutOfStock[j] = false;
        endOutOfStockRun(j, date);
        skuRunStart[j] = null;
      }
      let cover = 0;
      let quantity = 0;
      if (skuOutOfStock[j]) outOfStock++;
      else {
        const target = skuTargets[j] * effects.coverFactor * Math.exp(0.15 * normalAt(seed, stream.skuCover + j, dayNumber));
        quantity = Math.max(1, Math.round(target * skuRate[j]));
        cover = round(quantity / skuRate[j], 2);
      }
      coverCents += Math.round(cover * 100);
      if (detailed) {
        inventory.push({
          date,
          skuIndex: j,
          quantityOnHand: quantity,
          averageDailySales: skuRate[j],
          daysOfCover: cover,
          isOutOfStock: skuOutOfStock[j],
          status: skuOutOfStock[j] ? 'red' : coverStatus(cover),
        });
      }
    }
    const shelfGap = Math.max(0, outOfStock / topSkus.length - 0.05);

    // Sales: visitors × conversion × basket, each with its own noise, so the derived KPIs stay consistent.
    const weather = weatherFactor(context, store, month, dayNumber) * (shocks?.get(date) ?? 1);
    const traffic = Math.max(1, Math.round(expectedTraffic * weather * effects.slumpTraffic * Math.exp(0.018 * normalAt(seed, stream.traffic, dayNumber))));
    const conversion =
      profile.conversionBase *
      weeklyConversion[weekday - 1] *
      (1 - 0.8 * degradation) *
      (1 - 0.25 * shelfGap) *
      (1 - 0.04 * effects.slumpDepth) *
      Math.exp(0.009 * normalAt(seed, stream.conversion, dayNumber));
    const transactions = Math.max(1, Math.round(traffic * conversion));
    const basket =
      profile.basketBase *
      weeklyBasket[weekday - 1] *
      (1 + 0.3 * (season - 1)) *
      Math.exp((0.025 * (dayNumber - trendEpoch)) / 365.25) *
      (1 - 0.35 * shelfGap) *
      (1 - 0.04 * Math.min(1, effects.staffing)) *
      Math.exp(0.011 * normalAt(seed, stream.basket, dayNumber));
    const sales = round(transactions * basket, 2);

    const row = new Array<number>(kpiCount);
    row[kpiIndex.sales] = sales;
    row[kpiIndex.transactions] = transactions;
    row[kpiIndex.traffic] = traffic;
    row[kpiIndex.conversion_rate] = round((transactions / traffic) * 100, 2);
    row[kpiIndex.avg_basket] = round(sales / transactions, 2);
    row[kpiIndex.labor_coverage] = laborCoverage;
    row[kpiIndex.callout_hours] = unfilledHours;
    row[kpiIndex.overtime_hours] = overtime;
    row[kpiIndex.shrink_pct] = round(Math.max(0.1, profile.shrinkBase * Math.exp(0.13 * normalAt(seed, stream.shrink, dayNumber))), 2);
    row[kpiIndex.top_sku_oos] = outOfStock;
    row[kpiIndex.days_of_cover] = round(coverCents / 100 / topSkus.length, 4);
    row[kpiIndex.est_lost_sales] = 0;
    row[kpiIndex.nps] = round(
      clamp(profile.npsBase - 60 * degradation - 6 * effects.slumpDepth - 20 * shelfGap + 6 * normalAt(seed, stream.nps, dayNumber), -100, 100),
      1,
    );
    openDays.push(day);
    values.push(...row);
  }
  for (let j = 0; j < topSkus.length; j++) if (skuOutOfStock[j]) endOutOfStockRun(j, null);
  // Like the derivation from out_of_stock_events, est_lost_sales exists only where inventory is tracked (the detail window).
  openDays.forEach((day, position) => {
    values[position * kpiCount + kpiIndex.est_lost_sales] = day >= detailOffset ? round(lostSalesByDay.get(day) ?? 0, 2) : Number.NaN;
  });
  return { storeCode: store.storeCode, openDays, values: Float64Array.from(values), shifts, callouts, inventory, outOfStockEvents };
}
