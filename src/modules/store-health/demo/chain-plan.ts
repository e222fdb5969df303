import type { OpeningHours } from '../schema.js';
import { addDays, type IsoDate } from '../shared/dates.js';
import type { ChainCatalog, LocationEntry } from './chain-catalog.js';
import { holidaysBetween } from './holidays.js';
import type { DemoThreshold, KpiCode } from './kpi-catalog.js';
import { hashString, mulberry32, pick } from '../../../core/seeded-random.js';

export interface PersonContact {
  name: string;
  email: string;
  phone: string;
}

export interface RegionPlan {
  name: string;
  manager: PersonContact;
}

export interface DistrictPlan {
  name: string;
  regionName: string;
  manager: PersonContact;
}

/** The numbers that shape a store's simulated days. */
export interface StoreProfile {
  seed: number;
  size: number;
  /** Visitors on an average open day before seasonality. */
  trafficBase: number;
  conversionBase: number;
  basketBase: number;
  /** Yearly growth of traffic (e.g. 0.03 = +3 % a year). */
  trendPerYear: number;
  shrinkBase: number;
  npsBase: number;
}

export interface StorePlan {
  storeCode: string;
  name: string;
  address: string;
  city: string;
  state: string;
  zipCode: string;
  timezone: string;
  phone: string;
  manager: PersonContact;
  regionName: string;
  districtName: string;
  openingHours: OpeningHours;
  metadata: Record<string, unknown>;
  profile: StoreProfile;
}

export interface ClosurePlan {
  /** null closes every store of the organization (a holiday). */
  storeCode: string | null;
  date: IsoDate;
  kind: 'holiday' | 'closed';
  reason: string;
}

export type IncidentKind = 'staffing_crisis' | 'stock_out_run' | 'sales_slump';

/** A problem written into the data: the overview should show the recent ones, backtests the older ones. */
export interface IncidentPlan {
  kind: IncidentKind;
  title: string;
  storeCodes: string[];
  start: IsoDate;
  /** Last day of the incident; the last history day or later means it is still going on. */
  end: IsoDate;
  /** Strength per store (1 = as designed). */
  severity: Record<string, number>;
}

/** A one-day change in visitors at some stores (storm warnings, stock-up runs, the day after a storm). */
export interface TrafficShock {
  storeCodes: string[];
  date: IsoDate;
  factor: number;
}

export interface ThresholdOverridePlan extends DemoThreshold {
  storeCode: string;
  kpiCode: KpiCode;
  why: string;
}

export interface ChainPlan {
  orgSlug: string;
  currencyUnit: string;
  regions: RegionPlan[];
  districts: DistrictPlan[];
  stores: StorePlan[];
  closures: ClosurePlan[];
  incidents: IncidentPlan[];
  trafficShocks: TrafficShock[];
  thresholdOverrides: ThresholdOverridePlan[];
  /** Daily KPI history, both ends included; `to` is yesterday in the organization's time zone. */
  history: { from: IsoDate; to: IsoDate };
  /** First day of the labor and inventory detail rows (to = history.to). */
  detailFrom: IsoDate;
  /** Closures are planned this far ahead so the calendar knows the coming holidays. */
  closuresTo: IsoDate;
}

export interface ChainPlanOptions {
  stores: number;
  days: number;
  detailDays: number;
}

const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f’']/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');

function contact(name: string, phone: string, domain: string): PersonContact {
  return { name, phone, email: `${slug(name)}@${domain}` };
}

interface PlacedLocation {
  location: LocationEntry;
  districtIndex: number;
  /** 1-based number of the store inside its district (its code's last two digits). */
  sequence: number;
  /** 0 for the catalog's own locations; 1, 2 … for additional stores reusing a location's city. */
  copy: number;
}

/**
 * Picks `count` locations district by district in turn, so a small chain keeps every district and region;
 * beyond the catalog, further stores open in the same cities as "<name> II", "<name> III", …
 */
function placeLocations(catalog: ChainCatalog, count: number): PlacedLocation[] {
  const districts = catalog.regions.flatMap((r) => r.districts);
  const placed: PlacedLocation[] = [];
  const perDistrict = districts.map(() => 0);
  for (let i = 0; placed.length < count; i++) {
    const districtIndex = i % districts.length;
    const k = perDistrict[districtIndex]++;
    const locations = districts[districtIndex].locations;
    placed.push({ location: locations[k % locations.length], districtIndex, sequence: k + 1, copy: Math.floor(k / locations.length) });
  }
  return placed;
}

const romanCopies = ['', ' II', ' III', ' IV', ' V', ' VI', ' VII', ' VIII', ' IX', ' X'];

function buildStore(catalog: ChainCatalog, placed: PlacedLocation): StorePlan {
  const districts = catalog.regions.flatMap((r) => r.districts.map((d) => ({ region: r, district: d })));
  const { region, district } = districts[placed.districtIndex];
  const { location, sequence, copy } = placed;
  const storeCode = `${district.codePrefix}-${district.districtNumber}${String(sequence).padStart(2, '0')}`;
  const random = mulberry32(hashString(`${catalog.orgSlug}:${storeCode}`));
  const size = copy === 0 ? location.size : Math.round(location.size * (0.75 + random() * 0.4) * 100) / 100;
  const managerName = `${pick(random, catalog.firstNames)} ${pick(random, catalog.lastNames)}`;
  const phoneSuffix = (base: number) => String(base + (sequence % 40)).padStart(2, '0');
  const [low, high] = catalog.basketRange;
  const isUrban = location.format === 'urban' || location.format === 'flagship';
  const address = copy === 0 ? location.address : location.address.replace(/^\d+/, (n) => String(Number(n) + 40 * copy));
  const hours = location.closedOnSundays ? withoutSunday(catalog.hours[location.format]) : catalog.hours[location.format];
  return {
    storeCode,
    name: `${location.name}${romanCopies[copy] ?? ` ${copy + 1}`}`,
    address,
    city: location.city,
    state: location.state,
    zipCode: location.zipCode,
    timezone: location.timezone,
    phone: `${location.phonePrefix}${phoneSuffix(20)}`,
    manager: contact(managerName, `${location.phonePrefix}${phoneSuffix(60)}`, catalog.emailDomain),
    regionName: region.name,
    districtName: district.name,
    openingHours: hours,
    metadata: {
      format: location.format,
      sizeSqft: Math.round((size * 18_000) / 500) * 500,
      openedOn: `${1998 + Math.floor(random() * 24)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-01`,
      ...(location.closedOnSundays ? { sundayClosure: 'local law or lease' } : {}),
      demo: true,
    },
    profile: {
      seed: hashString(`${catalog.orgSlug}:${storeCode}:profile`),
      size,
      trafficBase: Math.round(catalog.trafficPerSizeUnit * size),
      // Big-box and downtown stores see more browsers, so they convert a little worse.
      conversionBase: 0.225 + random() * 0.07 - (isUrban ? 0.015 : 0),
      basketBase: Math.round((low + random() * (high - low)) * (region.name === 'Northeast' ? 1.06 : 1) * 100) / 100,
      trendPerYear: -0.02 + random() * 0.08,
      shrinkBase: 0.8 + random() * 0.35 + (isUrban ? 0.15 : 0),
      npsBase: 44 + random() * 18,
    },
  };
}

function withoutSunday(hours: OpeningHours): OpeningHours {
  const copy = { ...hours };
  delete copy['7'];
  return copy;
}

/** The latest date with the given month and day that lies inside [from, to]. */
function latestCalendarDay(month: number, day: number, from: IsoDate, to: IsoDate): IsoDate | null {
  for (let year = Number(to.slice(0, 4)); year >= Number(from.slice(0, 4)); year--) {
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (date >= from && date <= to) return date;
  }
  return null;
}

function severities(storeCodes: string[], key: string, low: number, high: number): Record<string, number> {
  const random = mulberry32(hashString(key));
  return Object.fromEntries(storeCodes.map((code) => [code, Math.round((low + random() * (high - low)) * 100) / 100]));
}

/** Builds the whole chain, its calendar and its incidents for a history ending on `lastDay` (yesterday). */
export function planChain(catalog: ChainCatalog, lastDay: IsoDate, options: ChainPlanOptions): ChainPlan {
  const domain = catalog.emailDomain;
  const regions: RegionPlan[] = catalog.regions.map((r) => ({ name: r.name, manager: contact(r.manager.name, r.manager.phone, domain) }));
  const districts: DistrictPlan[] = catalog.regions.flatMap((r) =>
    r.districts.map((d) => ({ name: d.name, regionName: r.name, manager: contact(d.manager.name, d.manager.phone, domain) })),
  );
  const placed = placeLocations(catalog, options.stores);
  const stores = placed.map((p) => buildStore(catalog, p));
  const history = { from: addDays(lastDay, -(options.days - 1)), to: lastDay };
  const closuresTo = addDays(lastDay, 366);
  const byDistrict = (name: string) => stores.filter((s) => s.districtName === name);
  const first = (name: string, n = 1) => byDistrict(name).slice(0, n);
  const codes = (list: StorePlan[]) => list.map((s) => s.storeCode);
  const inHistory = (date: IsoDate) => date >= history.from && date <= history.to;

  const closures: ClosurePlan[] = holidaysBetween(catalog.holidays, history.from, closuresTo).map((h) => ({
    storeCode: null,
    date: h.date,
    kind: 'holiday',
    reason: h.name,
  }));
  const incidents: IncidentPlan[] = [];
  const trafficShocks: TrafficShock[] = [];
  const thresholdOverrides: ThresholdOverridePlan[] = [];
  const addIncident = (kind: IncidentKind, title: string, storeCodes: string[], start: IsoDate, days: number, severity: [number, number]) => {
    const end = addDays(start, days - 1);
    if (storeCodes.length === 0 || end < history.from || start > history.to) return;
    incidents.push({ kind, title, storeCodes, start, end, severity: severities(storeCodes, `${catalog.orgSlug}:${kind}:${start}`, ...severity) });
  };
  const closeStores = (storeCodes: string[], dates: IsoDate[], reason: string) => {
    for (const date of dates) if (inHistory(date)) for (const storeCode of storeCodes) closures.push({ storeCode, date, kind: 'closed', reason });
  };
  // Relative start days: the recent incidents are still running yesterday, so the overview shows them today.
  const ago = (days: number) => addDays(lastDay, -days);
  const ongoing = (startAgo: number) => startAgo + 1 + 30;

  if (catalog.orgSlug === 'demo') {
    const chicago = byDistrict('Chicago Metro');
    // Most of one district: enough stores red on the same KPI to fold into a district alert.
    const crisisStores = chicago.length >= 3 ? chicago.slice(0, -1) : chicago;
    addIncident(
      'staffing_crisis',
      'Chicago Metro staffing crisis: call-outs and resignations after a competitor raised wages',
      codes(crisisStores),
      ago(12),
      ongoing(12),
      [0.8, 1.2],
    );
    const stockOutStores = [...first('Texas', 2), ...first('Southeast')];
    addIncident('stock_out_run', 'Supplier delay: top SKUs out of stock', codes(stockOutStores), ago(10), ongoing(10), [0.85, 1.15]);
    addIncident('sales_slump', 'Sales slump after a competitor opened next door', codes(first('New England')), ago(24), ongoing(24), [1, 1]);
    // Older incidents, long resolved: material for backtests and the status history.
    const texas = byDistrict('Texas');
    addIncident(
      'staffing_crisis',
      'Texas staffing shortage during the summer hiring gap',
      codes(texas.length >= 3 ? texas.slice(0, -1) : texas),
      ago(214),
      21,
      [0.7, 1.1],
    );
    addIncident('stock_out_run', 'Distribution centre backlog', codes(first('Great Lakes', 2)), ago(131), 10, [0.8, 1.1]);
    addIncident('sales_slump', 'Road works closed the parking lot', codes(first('Mid-Atlantic')), ago(322), 42, [0.9, 0.9]);
    addIncident('staffing_crisis', 'Flu wave', codes(first('Upper Midwest', 3)), ago(400), 12, [0.6, 0.9]);

    const renovated = byDistrict('Mid-Atlantic')[1];
    if (renovated)
      closeStores(
        [renovated.storeCode],
        [0, 1, 2, 3].map((d) => ago(250 - d)),
        'Renovation: new fixtures and checkout lanes',
      );
    const storm = latestCalendarDay(2, 9, history.from, ago(30));
    const stormStores = codes(first('New England', 3));
    if (storm && stormStores.length > 0) {
      closeStores(stormStores, [storm], 'Winter storm: closed for staff and customer safety');
      trafficShocks.push({ storeCodes: codes(byDistrict('New England')), date: addDays(storm, -1), factor: 0.75 });
      trafficShocks.push({ storeCodes: codes(byDistrict('New England')), date: addDays(storm, 1), factor: 0.6 });
    }
    const hurricane = latestCalendarDay(9, 26, history.from, ago(30));
    const floridaStores = codes(byDistrict('Southeast').filter((s) => s.state === 'FL'));
    if (hurricane && floridaStores.length > 0) {
      closeStores(floridaStores, [hurricane, addDays(hurricane, 1)], 'Hurricane: closed by county emergency order');
      trafficShocks.push({ storeCodes: floridaStores, date: addDays(hurricane, -1), factor: 1.3 });
      trafficShocks.push({ storeCodes: floridaStores, date: addDays(hurricane, 2), factor: 0.65 });
    }
    const leak = first('Upper Midwest')[0];
    if (leak) closeStores([leak.storeCode], [ago(9)], 'Water leak: closed for repairs');

    const flagship = stores.find((s) => s.metadata.format === 'flagship');
    if (flagship) {
      thresholdOverrides.push({
        storeCode: flagship.storeCode,
        kpiCode: 'sales',
        greenMin: 98,
        yellowMin: 92,
        redThreshold: 92,
        comparisonBasis: 'rolling_4w',
        priority: 1,
        why: 'flagship: tighter sales bands',
      });
    }
    const loop = byDistrict('Chicago Metro')[0];
    if (loop) {
      thresholdOverrides.push({
        storeCode: loop.storeCode,
        kpiCode: 'shrink_pct',
        greenMin: 2,
        yellowMin: 3,
        redThreshold: 3,
        comparisonBasis: 'absolute',
        priority: 3,
        why: 'downtown store: higher accepted shrink',
      });
      loop.profile.shrinkBase = 1.7;
    }
    const smallest = [...stores].sort((a, b) => a.profile.size - b.profile.size)[0];
    if (smallest) {
      thresholdOverrides.push({
        storeCode: smallest.storeCode,
        kpiCode: 'labor_coverage',
        greenMin: 92,
        yellowMin: 82,
        redThreshold: 82,
        comparisonBasis: 'absolute',
        priority: 2,
        why: 'small team: one call-out moves coverage a lot',
      });
    }
  } else {
    addIncident('stock_out_run', 'Supplier delay: top SKUs sold out', codes(first('Bavaria')), ago(6), ongoing(6), [0.9, 0.9]);
    addIncident('staffing_crisis', 'Flu wave in the team', codes(byDistrict('Berlin').slice(1, 2)), ago(5), ongoing(5), [0.7, 0.7]);
    addIncident('sales_slump', 'Construction site in front of the entrance', codes(first('Hamburg')), ago(160), 35, [1, 1]);
    const outage = byDistrict('Baden-Württemberg')[0];
    if (outage) closeStores([outage.storeCode], [ago(12)], 'Power outage: store closed');
  }

  // A store closure never lands on a holiday twice (the holiday already closes the store).
  const holidayDates = new Set(closures.filter((c) => c.storeCode === null).map((c) => c.date));
  return {
    orgSlug: catalog.orgSlug,
    currencyUnit: catalog.currencyUnit,
    regions,
    districts,
    stores,
    closures: closures.filter((c) => c.storeCode === null || !holidayDates.has(c.date)),
    incidents,
    trafficShocks,
    thresholdOverrides,
    history,
    detailFrom: addDays(lastDay, -(Math.min(options.detailDays, options.days) - 1)),
    closuresTo,
  };
}
