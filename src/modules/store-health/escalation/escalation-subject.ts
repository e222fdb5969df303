import { and, asc, desc, eq, gte, isNotNull, isNull, or } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { getConfigValue } from '../../../core/settings/settings-service.js';
import { alerts, districts, regions, riskPredictions, storeClosures, stores, type OpeningHours } from '../schema.js';
import { addDays, localDate, type IsoDate } from '../shared/dates.js';
import type { StoreCalendar } from '../shared/opening-hours.js';
import { labelOfLevel, maxEscalationLevel, roleOfLevel, type EscalationRole } from './levels.js';

export type AlertRow = typeof alerts.$inferSelect;
export type StoreRow = typeof stores.$inferSelect;
type DistrictRow = typeof districts.$inferSelect;
type RegionRow = typeof regions.$inferSelect;

export interface EscalationContact {
  level: number;
  role: EscalationRole;
  name: string;
  phone: string | null;
  email: string | null;
}

/** Everything the engine needs to know about the place an alert is about. */
export interface EscalationSubject {
  alert: AlertRow;
  /** The alert's store; for a district alert, a representative store of the district (calls and tasks need one). */
  store: StoreRow | null;
  district: DistrictRow | null;
  region: RegionRow | null;
  calendar: StoreCalendar;
  contacts: EscalationContact[];
}

/** Open every day, all day: used when a store has no opening hours configured at all. */
const alwaysOpen: OpeningHours = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ open: '00:00', close: '00:00' }]]));

interface ContactSetting {
  name?: string;
  phone?: string;
  email?: string;
}

export function isOpenAlert(alert: Pick<AlertRow, 'status'>): boolean {
  return alert.status === 'active' || alert.status === 'acknowledged';
}

/**
 * The calendar the SLA clock runs on. A store without any opening hours counts as always open (an unconfigured
 * store must still escalate); a subject without any store uses the organization's time zone, always open.
 */
export async function loadStoreCalendar(ctx: ServiceContext, store: StoreRow | null, since: Date): Promise<StoreCalendar> {
  if (!store) return { timezone: ctx.organization.timezone, openingHours: alwaysOpen, closedDates: new Set() };
  const configured = Object.values(store.openingHours ?? {}).some((intervals) => intervals && intervals.length > 0);
  const from: IsoDate = addDays(localDate(since, store.timezone), -2);
  const closures = await ctx.db
    .select({ closureDate: storeClosures.closureDate })
    .from(storeClosures)
    .where(
      and(
        eq(storeClosures.organizationId, ctx.organization.id),
        or(eq(storeClosures.storeId, store.id), isNull(storeClosures.storeId)),
        gte(storeClosures.closureDate, from),
      ),
    );
  return {
    timezone: store.timezone,
    openingHours: configured ? store.openingHours : alwaysOpen,
    closedDates: new Set(closures.map((c) => c.closureDate)),
  };
}

/** A district alert has no store: the first folded store (or the district's first store) stands in for it. */
async function representativeStore(ctx: ServiceContext, alert: AlertRow): Promise<StoreRow | null> {
  const [folded] = await ctx.db
    .select({ store: stores })
    .from(alerts)
    .innerJoin(stores, eq(stores.id, alerts.storeId))
    .where(and(eq(alerts.organizationId, ctx.organization.id), eq(alerts.parentAlertId, alert.id)))
    .orderBy(asc(stores.storeCode))
    .limit(1);
  if (folded) return folded.store;
  if (!alert.districtId) return null;
  const [first] = await ctx.db
    .select()
    .from(stores)
    .where(and(eq(stores.organizationId, ctx.organization.id), eq(stores.districtId, alert.districtId)))
    .orderBy(asc(stores.storeCode))
    .limit(1);
  return first ?? null;
}

export async function loadEscalationSubject(ctx: ServiceContext, alert: AlertRow): Promise<EscalationSubject> {
  const org = ctx.organization.id;
  let store: StoreRow | null = null;
  if (alert.storeId) {
    [store] = await ctx.db
      .select()
      .from(stores)
      .where(and(eq(stores.organizationId, org), eq(stores.id, alert.storeId)));
    store ??= null;
  } else {
    store = await representativeStore(ctx, alert);
  }
  const districtId = alert.districtId ?? store?.districtId ?? null;
  const [district] = districtId
    ? await ctx.db
        .select()
        .from(districts)
        .where(and(eq(districts.organizationId, org), eq(districts.id, districtId)))
    : [];
  const regionId = district?.regionId ?? store?.regionId ?? null;
  const [region] = regionId
    ? await ctx.db
        .select()
        .from(regions)
        .where(and(eq(regions.organizationId, org), eq(regions.id, regionId)))
    : [];
  const calendar = await loadStoreCalendar(ctx, store, alert.alertDate);
  const headOffice = await getConfigValue<ContactSetting | null>(ctx, 'store_health.head_office_contact', null);
  const executive = await getConfigValue<ContactSetting | null>(ctx, 'store_health.executive_contact', null);
  const contact = (level: number, name: string | null | undefined, phone: string | null | undefined, email: string | null | undefined): EscalationContact => ({
    level,
    role: roleOfLevel(level),
    name: name?.trim() || defaultContactName(level, store, district ?? null, region ?? null, ctx.organization.name),
    phone: phone ?? null,
    email: email ?? null,
  });
  const isDistrictAlert = alert.scope === 'district';
  const contacts: EscalationContact[] = [
    // District alerts are addressed to the district manager and above.
    isDistrictAlert
      ? { ...contact(1, district?.managerName, district?.managerPhone, district?.managerEmail), level: 0 }
      : contact(0, store?.managerName, store?.managerPhone, store?.managerEmail),
    contact(1, district?.managerName, district?.managerPhone, district?.managerEmail),
    contact(2, region?.managerName, region?.managerPhone, region?.managerEmail),
    contact(3, headOffice?.name, headOffice?.phone, headOffice?.email),
    contact(4, executive?.name, executive?.phone, executive?.email),
  ];
  return { alert, store, district: district ?? null, region: region ?? null, calendar, contacts };
}

function defaultContactName(level: number, store: StoreRow | null, district: DistrictRow | null, region: RegionRow | null, organizationName: string): string {
  if (level === 0 && store) return `Store manager of ${store.name}`;
  if (level === 1 && district) return `District manager of ${district.name}`;
  if (level === 2 && region) return `Regional manager of ${region.name}`;
  if (level === 3) return `${organizationName} head office`;
  if (level === 4) return `${organizationName} executive team`;
  return labelOfLevel(level);
}

export function contactAt(subject: EscalationSubject, level: number): EscalationContact {
  return subject.contacts[Math.max(0, Math.min(maxEscalationLevel, level))];
}

/** The store's latest prediction run says red with confidence ≥ 70 (any prediction type, any KPI). */
export async function storeHasPredictedRedRisk(ctx: ServiceContext, storeId: string | null): Promise<boolean> {
  if (!storeId) return false;
  const [latest] = await ctx.db
    .select({ predictionDate: riskPredictions.predictionDate })
    .from(riskPredictions)
    .where(and(eq(riskPredictions.organizationId, ctx.organization.id), eq(riskPredictions.storeId, storeId)))
    .orderBy(desc(riskPredictions.predictionDate))
    .limit(1);
  if (!latest) return false;
  const [red] = await ctx.db
    .select({ id: riskPredictions.id })
    .from(riskPredictions)
    .where(
      and(
        eq(riskPredictions.organizationId, ctx.organization.id),
        eq(riskPredictions.storeId, storeId),
        eq(riskPredictions.predictionDate, latest.predictionDate),
        eq(riskPredictions.predictedStatus, 'red'),
        isNotNull(riskPredictions.confidenceScore),
        gte(riskPredictions.confidenceScore, 70),
      ),
    )
    .limit(1);
  return Boolean(red);
}
