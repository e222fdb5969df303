import { randomBytes } from 'node:crypto';
import { createFixedClock } from '../../../core/clock.js';
import { systemActor, type OrganizationRef, type ServiceContext } from '../../../core/context.js';
import type { Db } from '../../../core/db/connection.js';
import { systemConfig } from '../../../core/db/schema.js';
import { createLogger } from '../../../core/logger.js';
import { createOrganization } from '../../../core/tenancy/organizations-service.js';
import { alerts, districts, escalationRules, kpiDefinitions, regions, stores, type OpeningHours } from '../schema.js';
import { zonedInstant } from '../shared/dates.js';
import type { EscalationAction, TriggerCondition } from './levels.js';

/** Test data for the escalation engine: one region → district → store chain with named managers and phones. */
export interface EscalationFixture {
  ctx: ServiceContext;
  clock: ReturnType<typeof createFixedClock>;
  timezone: string;
  regionId: string;
  districtId: string;
  storeId: string;
  kpiId: string;
  /** Instant of a store-local wall-clock time, e.g. at('2026-03-02', '09:00'). */
  at(date: string, hhmm: string): Date;
}

const weekday = [{ open: '09:00', close: '21:00' }];
/** Monday–Saturday 09:00–21:00, closed on Sunday. */
export const mondayToSaturday: OpeningHours = { '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday, '6': weekday };

export async function createEscalationFixture(
  db: Db,
  options: {
    timezone?: string;
    openingHours?: OpeningHours;
    defaultRules?: boolean;
    /** Use an existing organization (e.g. a test app's org A) and clock instead of new ones. */
    organization?: OrganizationRef;
    clock?: ReturnType<typeof createFixedClock>;
  } = {},
): Promise<EscalationFixture> {
  const timezone = options.timezone ?? 'America/New_York';
  const clock = options.clock ?? createFixedClock('2026-03-02T12:00:00Z');
  const organization =
    options.organization ??
    (await createOrganization({ db, clock, actor: systemActor('test') }, { slug: `esc-${randomBytes(3).toString('hex')}`, name: 'Acme Retail', timezone }));
  const ctx: ServiceContext = { db, organization, actor: systemActor('test'), role: 'system', clock, log: createLogger('silent') };
  if (options.defaultRules === false) {
    // Marks the organization as already offered the defaults, so a test's own rules are the only ones.
    await db.insert(systemConfig).values({ organizationId: organization.id, configKey: 'store_health.escalation_rules_initialized', configValue: true });
  }
  const [region] = await db
    .insert(regions)
    .values({ organizationId: organization.id, name: 'East', managerName: 'Rita Regional', managerPhone: '+15550000002', managerEmail: 'rita@acme.test' })
    .returning();
  const [district] = await db
    .insert(districts)
    .values({
      organizationId: organization.id,
      regionId: region.id,
      name: 'Boston',
      managerName: 'Dana District',
      managerPhone: '+15550000001',
      managerEmail: 'dana@acme.test',
    })
    .returning();
  const storeId = await insertStore(ctx, { regionId: region.id, districtId: district.id, storeCode: 'S001', timezone, openingHours: options.openingHours });
  const [kpi] = await db
    .insert(kpiDefinitions)
    .values({ organizationId: organization.id, kpiCode: 'net_sales', name: 'Net sales', unit: '$', category: 'sales' })
    .returning();
  return {
    ctx,
    clock,
    timezone,
    regionId: region.id,
    districtId: district.id,
    storeId,
    kpiId: kpi.id,
    at: (date, hhmm) => zonedInstant(date, hhmm, timezone),
  };
}

export async function insertStore(
  ctx: ServiceContext,
  input: { regionId: string; districtId: string; storeCode: string; timezone?: string; openingHours?: OpeningHours; managerPhone?: string | null },
): Promise<string> {
  const [store] = await ctx.db
    .insert(stores)
    .values({
      organizationId: ctx.organization.id,
      storeCode: input.storeCode,
      name: `Store ${input.storeCode}`,
      timezone: input.timezone ?? 'America/New_York',
      managerName: `Sam ${input.storeCode}`,
      managerPhone: input.managerPhone === undefined ? '+15550000100' : input.managerPhone,
      regionId: input.regionId,
      districtId: input.districtId,
      openingHours: input.openingHours ?? mondayToSaturday,
    })
    .returning({ id: stores.id });
  return store.id;
}

/** An open alert as the evaluation creates it: level 0, timer set to its alert date. */
export async function insertAlert(
  fixture: EscalationFixture,
  input: Partial<typeof alerts.$inferInsert> & { alertDate: Date },
): Promise<typeof alerts.$inferSelect> {
  const [row] = await fixture.ctx.db
    .insert(alerts)
    .values({
      organizationId: fixture.ctx.organization.id,
      storeId: fixture.storeId,
      districtId: fixture.districtId,
      kpiDefinitionId: fixture.kpiId,
      dedupeKey: `test:${randomBytes(6).toString('hex')}`,
      severity: 'red',
      title: 'Net sales red at Store S001',
      message: 'Net sales are 16% below the 4-week average.',
      nextEscalationAt: input.alertDate,
      metadata: { value: 8420, baseline: 10000, variancePct: -15.8 },
      ...input,
    })
    .returning();
  return row;
}

export async function insertRule(
  fixture: EscalationFixture,
  rule: {
    triggerCondition: TriggerCondition;
    durationHours: number;
    fromLevel: number;
    toLevel: number;
    action: EscalationAction;
    kpiDefinitionId?: string | null;
    name?: string;
  },
) {
  const [row] = await fixture.ctx.db
    .insert(escalationRules)
    .values({ organizationId: fixture.ctx.organization.id, name: rule.name ?? `${rule.triggerCondition} ${rule.fromLevel}>${rule.toLevel}`, ...rule })
    .returning();
  return row;
}
