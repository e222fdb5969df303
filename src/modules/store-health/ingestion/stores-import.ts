import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../../core/audit/audit.js';
import type { ServiceContext } from '../../../core/context.js';
import { isValidTimezone } from '../../../core/jobs/define-job.js';
import { districts, regions } from '../schema.js';
import { parseDayHours, weekdayColumns, weekdayKeys } from '../org-structure/opening-hours-input.js';
import { storeStatuses } from '../org-structure/stores-service.js';
import { isBlank, parseTextCell, showValue } from './cell-values.js';
import type { IngestOptions, IngestResult } from './ingest-result.js';
import { IssueCollector, requiredCell, type ColumnSpec, type InputRows } from './input-rows.js';

/** Store file columns; a column left out of the file leaves that field of existing stores as it is. */
export const storeColumns: ColumnSpec[] = [
  { column: 'store_code', field: 'storeCode', required: true },
  { column: 'name', field: 'name', required: true },
  { column: 'address', field: 'address', required: false },
  { column: 'city', field: 'city', required: false },
  { column: 'state', field: 'state', required: false },
  { column: 'zip_code', field: 'zipCode', required: false },
  { column: 'timezone', field: 'timezone', required: false },
  { column: 'phone', field: 'phone', required: false },
  { column: 'manager_name', field: 'managerName', required: false },
  { column: 'manager_phone', field: 'managerPhone', required: false },
  { column: 'manager_email', field: 'managerEmail', required: false },
  { column: 'region', field: 'region', required: false },
  { column: 'district', field: 'district', required: false },
  { column: 'status', field: 'status', required: false },
  ...weekdayColumns.map((column) => ({ column, field: column, required: false })),
];

/** Plain text columns copied as they are (empty → null). */
const textColumns = ['address', 'city', 'state', 'zip_code', 'phone', 'manager_name', 'manager_phone', 'manager_email'] as const;

interface StoreRecord {
  store_code: string;
  name: string;
  address: string | null;
  city: string | null;
  state: string | null;
  zip_code: string | null;
  timezone: string | null;
  phone: string | null;
  manager_name: string | null;
  manager_phone: string | null;
  manager_email: string | null;
  status: string;
  region: string | null;
  district: string | null;
  opening_hours: Record<string, { open: string; close: string }[]>;
}

const emailSchema = z.email();
const foldName = (name: string) => name.trim().toLowerCase();

/**
 * Imports stores by store_code (insert new, update existing) in one transaction, creating the regions and districts
 * the file names. Validates every row first: time zones (IANA), manager emails, status, opening hours
 * (hours_mon … hours_sun as HH:MM-HH:MM, split shifts with commas, empty or "closed" for closed days).
 */
export async function importStoreRows(ctx: ServiceContext, input: InputRows, headers: string[], options: IngestOptions = {}): Promise<IngestResult> {
  const present = new Set(headers);
  const issues = new IssueCollector(input);
  const existingRegions = await ctx.db.select({ id: regions.id, name: regions.name }).from(regions).where(eq(regions.organizationId, ctx.organization.id));
  const existingDistricts = await ctx.db
    .select({ id: districts.id, name: districts.name, regionId: districts.regionId })
    .from(districts)
    .where(eq(districts.organizationId, ctx.organization.id));
  const regionNameById = new Map(existingRegions.map((r) => [r.id, r.name]));
  const districtByName = new Map(existingDistricts.map((d) => [foldName(d.name), { ...d, regionName: regionNameById.get(d.regionId)! }]));
  const newDistrictRegion = new Map<string, { region: string; index: number }>();
  const firstIndexOfCode = new Map<string, number>();
  const records: StoreRecord[] = [];

  for (let index = 0; index < input.rows.length && !issues.full; index++) {
    const { cells } = input.rows[index];
    const text = (column: string) => (isBlank(cells[column]) ? null : parseTextCell(cells[column]));
    const codeCell = requiredCell(issues, index, cells, 'store_code');
    const nameCell = requiredCell(issues, index, cells, 'name');
    const code = codeCell === undefined ? null : parseTextCell(codeCell);
    if (code && code.length > 50) issues.add(index, 'store_code', `${showValue(code)} is longer than 50 characters.`);
    if (code) {
      const first = firstIndexOfCode.get(code);
      if (first !== undefined) {
        issues.add(index, 'store_code', `Store code ${code} appears twice: rows ${input.rows[first].row} and ${input.rows[index].row}. Keep one of them.`);
      } else firstIndexOfCode.set(code, index);
    }
    const timezone = text('timezone');
    if (timezone && !isValidTimezone(timezone)) {
      issues.add(index, 'timezone', `${showValue(timezone)} is not a time zone; use an IANA name such as America/New_York or Europe/Berlin.`);
    }
    const email = text('manager_email');
    if (email && !emailSchema.safeParse(email).success) issues.add(index, 'manager_email', `${showValue(email)} is not an email address.`);
    const status = (text('status') ?? 'active').toLowerCase();
    if (!(storeStatuses as readonly string[]).includes(status)) {
      issues.add(index, 'status', `${showValue(cells.status)} is not a store status; use ${storeStatuses.join(', ')}.`);
    }
    const openingHours: StoreRecord['opening_hours'] = {};
    weekdayColumns.forEach((column, day) => {
      if (!present.has(column)) return;
      const parsed = parseDayHours(parseTextCell(cells[column] ?? null));
      if (parsed.ok) openingHours[weekdayKeys[day]] = parsed.value;
      else issues.add(index, column, parsed.message);
    });
    const region = text('region');
    const district = text('district');
    if (district) {
      const known = districtByName.get(foldName(district));
      const plannedRegion = newDistrictRegion.get(foldName(district));
      if (known && region && foldName(known.regionName) !== foldName(region)) {
        issues.add(index, 'district', `District "${known.name}" belongs to region "${known.regionName}", not "${region}".`);
      } else if (!known && !region) {
        issues.add(index, 'region', `District "${district}" is new; give its region so it can be created.`);
      } else if (!known && plannedRegion && foldName(plannedRegion.region) !== foldName(region!)) {
        issues.add(
          index,
          'region',
          `District "${district}" is placed in region "${plannedRegion.region}" on row ${input.rows[plannedRegion.index].row} and in "${region}" here.`,
        );
      } else if (!known && !plannedRegion) newDistrictRegion.set(foldName(district), { region: region!, index });
    }
    if (!code || nameCell === undefined) continue;
    const record: StoreRecord = {
      store_code: code,
      name: parseTextCell(nameCell),
      address: null,
      city: null,
      state: null,
      zip_code: null,
      phone: null,
      manager_name: null,
      manager_phone: null,
      manager_email: null,
      timezone,
      status,
      region: region ?? (district ? (districtByName.get(foldName(district))?.regionName ?? null) : null),
      district,
      opening_hours: openingHours,
    };
    for (const column of textColumns) record[column] = text(column);
    records.push(record);
  }
  issues.throwIfAny();

  return ctx.db.transaction(async (db) => {
    const tx = { ...ctx, db: db as unknown as ServiceContext['db'] };
    options.onProgress?.({ step: 'creating regions and districts', current: 0, total: records.length });
    const placement = await createRegionsAndDistricts(tx, records);
    options.onProgress?.({ step: 'writing stores', current: 0, total: records.length });
    const counts = await upsertStores(tx, records, present, placement);
    await recordAudit(tx, {
      action: 'store-health.stores.import',
      entityType: 'store_health.store',
      after: { file: options.fileName ?? null, sha256: options.fileSha256 ?? null, rows: records.length, ...counts, ...placement.created },
    });
    options.onProgress?.({ step: 'writing stores', current: records.length, total: records.length });
    return { rows: records.length, ...counts, dates: null, changed: null, created: placement.created };
  });
}

interface Placement {
  regionIdByName: Map<string, string>;
  districtIdByName: Map<string, string>;
  created: { regions: number; districts: number };
}

async function createRegionsAndDistricts(ctx: ServiceContext, records: StoreRecord[]): Promise<Placement> {
  const now = ctx.clock.now();
  const regionNames = [...new Map(records.filter((r) => r.region).map((r) => [foldName(r.region!), r.region!])).values()];
  const districtRegions = [...new Map(records.filter((r) => r.district).map((r) => [foldName(r.district!), r])).values()];
  const load = async () => {
    const regionRows = await ctx.db.select({ id: regions.id, name: regions.name }).from(regions).where(eq(regions.organizationId, ctx.organization.id));
    const districtRows = await ctx.db
      .select({ id: districts.id, name: districts.name })
      .from(districts)
      .where(eq(districts.organizationId, ctx.organization.id));
    return {
      regionIdByName: new Map(regionRows.map((r) => [foldName(r.name), r.id])),
      districtIdByName: new Map(districtRows.map((d) => [foldName(d.name), d.id])),
    };
  };
  let known = await load();
  const missingRegions = regionNames.filter((name) => !known.regionIdByName.has(foldName(name)));
  if (missingRegions.length > 0) {
    await ctx.db.insert(regions).values(missingRegions.map((name) => ({ organizationId: ctx.organization.id, name, createdAt: now, updatedAt: now })));
    known = await load();
  }
  const missingDistricts = districtRegions.filter((r) => !known.districtIdByName.has(foldName(r.district!)));
  if (missingDistricts.length > 0) {
    await ctx.db.insert(districts).values(
      missingDistricts.map((r) => ({
        organizationId: ctx.organization.id,
        regionId: known.regionIdByName.get(foldName(r.region!))!,
        name: r.district!,
        createdAt: now,
        updatedAt: now,
      })),
    );
    known = await load();
  }
  return { ...known, created: { regions: missingRegions.length, districts: missingDistricts.length } };
}

/** One set-based upsert by (organization, store_code); only the columns the file has are written to existing stores. */
async function upsertStores(
  ctx: ServiceContext,
  records: StoreRecord[],
  present: Set<string>,
  placement: Placement,
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const payload = JSON.stringify(
    records.map((r) => ({
      ...r,
      region_id: r.region ? placement.regionIdByName.get(foldName(r.region)) : null,
      district_id: r.district ? placement.districtIdByName.get(foldName(r.district)) : null,
    })),
  );
  const updatable: string[] = ['name', ...textColumns.filter((c) => present.has(c))];
  if (present.has('timezone')) updatable.push('timezone');
  if (present.has('status')) updatable.push('status');
  if (present.has('region') || present.has('district')) updatable.push('region_id');
  const sets = updatable.map((c) => `${c} = excluded.${c}`);
  const compared = updatable.map((c) => [`s.${c}`, `excluded.${c}`]);
  if (present.has('district')) {
    sets.push('district_id = excluded.district_id');
    compared.push(['s.district_id', 'excluded.district_id']);
  } else if (present.has('region')) {
    // A new region without a district column keeps the district only when it still belongs to that region.
    const keptDistrict = 'case when s.region_id is not distinct from excluded.region_id then s.district_id end';
    sets.push(`district_id = ${keptDistrict}`);
    compared.push(['s.district_id', keptDistrict]);
  }
  if (weekdayColumns.some((c) => present.has(c))) {
    // Days the file leaves out keep their hours: the file's days are merged over the stored week.
    sets.push('opening_hours = s.opening_hours || excluded.opening_hours');
    compared.push(['s.opening_hours', 's.opening_hours || excluded.opening_hours']);
  }
  const nowIso = ctx.clock.now().toISOString();
  const result = (await ctx.db.execute(sql`
    with input as (
      select * from json_to_recordset(${payload}::json) as x(
        store_code text, name text, address text, city text, state text, zip_code text, timezone text, phone text,
        manager_name text, manager_phone text, manager_email text, status text, region_id uuid, district_id uuid, opening_hours jsonb)
    ),
    prior as (
      select (s.id is not null) as existed
      from input i left join store_health.stores s on s.organization_id = ${ctx.organization.id}::uuid and s.store_code = i.store_code
    ),
    written as (
      insert into store_health.stores as s (organization_id, store_code, name, address, city, state, zip_code, timezone, phone,
        manager_name, manager_phone, manager_email, status, region_id, district_id, opening_hours, created_at, updated_at)
      select ${ctx.organization.id}::uuid, store_code, name, address, city, state, zip_code, coalesce(timezone, ${ctx.organization.timezone}),
        phone, manager_name, manager_phone, manager_email, status, region_id, district_id, opening_hours, ${nowIso}::timestamptz, ${nowIso}::timestamptz
      from input
      on conflict (organization_id, store_code) do update set ${sql.raw(sets.join(', '))}, updated_at = excluded.updated_at
      where (${sql.raw(compared.map(([a]) => a).join(', '))}, true) is distinct from (${sql.raw(compared.map(([, b]) => b).join(', '))}, true)
      returning s.id
    )
    select (select count(*) from prior)::int as total, (select count(*) from prior where not existed)::int as inserted,
      (select count(*) from written)::int as written
  `)) as unknown as { rows: { total: number; inserted: number; written: number }[] };
  const { total, inserted, written } = result.rows[0];
  return { inserted, updated: written - inserted, unchanged: total - written };
}
