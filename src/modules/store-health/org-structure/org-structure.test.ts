import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../core/testing/test-app.js';
import { createIngestionTestApp } from '../ingestion/test-support.js';

let t: TestApp;
let managerA: Record<string, string>;
let viewerA: Record<string, string>;
let managerB: Record<string, string>;

beforeAll(async () => {
  t = await createIngestionTestApp();
  managerA = (await t.login(t.orgA.emails.manager)).headers;
  viewerA = (await t.login(t.orgA.emails.viewer)).headers;
  managerB = (await t.login(t.orgB.emails.manager)).headers;
});
afterAll(async () => t?.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
const call = (method: Method, url: string, headers: Record<string, string>, payload?: object) =>
  t.app.inject({ method, url: `/api/store-health${url}`, headers, payload });

const weekdayHours = { open: '09:00', close: '21:00' };

describe('regions, districts and stores', () => {
  let northId: string;
  let southId: string;
  let harborId: string;
  let storeId: string;

  it('creates a region, a district and a store placed in both', async () => {
    const north = await call('POST', '/regions', managerA, {
      name: 'North',
      managerName: 'Nora Lind',
      managerEmail: 'nora@example.com',
      managerPhone: '+15550100',
    });
    expect(north.statusCode).toBe(201);
    northId = north.json().id;
    southId = (await call('POST', '/regions', managerA, { name: 'South' })).json().id;
    const harbor = await call('POST', '/districts', managerA, { name: 'Harbor', regionId: northId, managerName: 'Hal' });
    expect(harbor.statusCode).toBe(201);
    expect(harbor.json()).toMatchObject({ name: 'Harbor', regionId: northId, regionName: 'North', storeCount: 0 });
    harborId = harbor.json().id;
    const store = await call('POST', '/stores', managerA, {
      storeCode: 'NY-001',
      name: 'Harbor Street',
      city: 'New York',
      districtId: harborId,
      managerEmail: 'sam@example.com',
      openingHours: {
        '1': [weekdayHours],
        '6': [
          { open: '10:00', close: '14:00' },
          { open: '15:00', close: '18:00' },
        ],
      },
    });
    expect(store.statusCode).toBe(201);
    // The district decides the region; the time zone defaults to the organization's.
    expect(store.json()).toMatchObject({
      storeCode: 'NY-001',
      regionId: northId,
      regionName: 'North',
      districtName: 'Harbor',
      timezone: 'America/New_York',
      status: 'active',
    });
    storeId = store.json().id;
    const region = await call('GET', `/regions/${northId}`, viewerA);
    expect(region.json()).toMatchObject({ districtCount: 1, storeCount: 1 });
  });

  it('lists with filters, search and the list convention', async () => {
    await call('POST', '/stores', managerA, { storeCode: 'SO-001', name: 'Southside', regionId: southId, status: 'inactive', timezone: 'America/Chicago' });
    const all = await call('GET', '/stores?sort=-storeCode', viewerA);
    expect(all.json().page).toEqual({ limit: 50, offset: 0, total: 2 });
    expect(all.json().data.map((s: { storeCode: string }) => s.storeCode)).toEqual(['SO-001', 'NY-001']);
    expect((await call('GET', `/stores?districtId=${harborId}`, viewerA)).json().data).toHaveLength(1);
    expect((await call('GET', '/stores?status=inactive', viewerA)).json().data[0].storeCode).toBe('SO-001');
    expect((await call('GET', '/stores?q=harbor', viewerA)).json().data[0].storeCode).toBe('NY-001');
    expect((await call('GET', `/districts?regionId=${northId}`, viewerA)).json().data).toHaveLength(1);
    expect((await call('GET', '/regions?q=sou', viewerA)).json().data.map((r: { name: string }) => r.name)).toEqual(['South']);
  });

  it('validates time zones, emails, opening hours and placement', async () => {
    const bad = await call('POST', '/stores', managerA, {
      storeCode: 'X-1',
      name: 'X',
      timezone: 'Mars/Olympus',
      managerEmail: 'not-an-email',
      openingHours: {
        '1': [
          { open: '09:00', close: '13:00' },
          { open: '12:00', close: '18:00' },
        ],
        '8': [],
      },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.timezone', 'body.managerEmail', 'body.openingHours.1']));
    const misplaced = await call('POST', '/stores', managerA, { storeCode: 'X-2', name: 'X', districtId: harborId, regionId: southId });
    expect(misplaced.statusCode).toBe(400);
    expect(misplaced.json().error.details[0].path).toBe('regionId');
  });

  it('keeps store codes unique per organization (409), but another organization may reuse one', async () => {
    const dup = await call('POST', '/stores', managerA, { storeCode: 'NY-001', name: 'Again' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toMatch(/NY-001 is already used/);
    expect((await call('POST', '/stores', managerB, { storeCode: 'NY-001', name: 'B’s own' })).statusCode).toBe(201);
    expect((await call('POST', '/regions', managerA, { name: 'North' })).statusCode).toBe(409);
  });

  it('moving a district moves its stores to the new region', async () => {
    const moved = await call('PATCH', `/districts/${harborId}`, managerA, { regionId: southId });
    expect(moved.json()).toMatchObject({ regionId: southId, regionName: 'South', storeCount: 1 });
    expect((await call('GET', `/stores/${storeId}`, viewerA)).json()).toMatchObject({ regionId: southId, districtId: harborId });
    const patched = await call('PATCH', `/stores/${storeId}`, managerA, { regionId: northId });
    // A region alone takes the store out of its district.
    expect(patched.json()).toMatchObject({ regionId: northId, districtId: null });
    await call('PATCH', `/stores/${storeId}`, managerA, { districtId: harborId, openingHours: { '7': [weekdayHours] } });
    expect((await call('GET', `/stores/${storeId}`, viewerA)).json()).toMatchObject({ regionId: southId, openingHours: { '7': [weekdayHours] } });
  });

  it('refuses to delete a region with districts or a district with stores (409)', async () => {
    const region = await call('DELETE', `/regions/${southId}`, managerA);
    expect(region.statusCode).toBe(409);
    expect(region.json().error.message).toMatch(/Region "South" still has 1 district/);
    const district = await call('DELETE', `/districts/${harborId}`, managerA);
    expect(district.statusCode).toBe(409);
    expect(district.json().error.message).toMatch(/District "Harbor" still has 1 store/);
  });

  it('refuses to delete a store with KPI history, deletes one without', async () => {
    const [kpi] = await t.database.query<{ id: string }>(
      `insert into store_health.kpi_definitions (organization_id, kpi_code, name, unit, category) values ($1, 'sales', 'Sales', '$', 'sales') returning id`,
      [t.orgA.id],
    );
    await t.database.query(
      `insert into store_health.kpi_metrics (organization_id, store_id, kpi_definition_id, metric_date, value) values ($1, $2, $3, '2026-03-01', 5)`,
      [t.orgA.id, storeId, kpi.id],
    );
    const refused = await call('DELETE', `/stores/${storeId}`, managerA);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/status to "closed"/);
    const temp = (await call('POST', '/stores', managerA, { storeCode: 'TMP', name: 'Pop-up' })).json();
    expect((await call('DELETE', `/stores/${temp.id}`, managerA)).statusCode).toBe(204);
    expect((await call('GET', `/stores/${temp.id}`, viewerA)).statusCode).toBe(404);
  });

  it('records changes in the audit log and keeps viewers read-only', async () => {
    expect((await call('POST', '/regions', viewerA, { name: 'West' })).statusCode).toBe(403);
    const actions = await t.database.query<{ action: string }>(
      `select distinct action from core.audit_log where organization_id = $1 and action like 'store-health.%'`,
      [t.orgA.id],
    );
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['store-health.region.create', 'store-health.district.update', 'store-health.store.create']),
    );
  });

  it('answers 404 for every route addressing another organization’s rows', async () => {
    const closure = (await call('POST', '/closures', managerA, { storeId, closureDate: '2026-12-24', reason: 'Inventory count' })).json();
    const attempts: [Method, string, object?][] = [
      ['GET', `/regions/${northId}`],
      ['PATCH', `/regions/${northId}`, { name: 'Stolen' }],
      ['DELETE', `/regions/${northId}`],
      ['GET', `/districts/${harborId}`],
      ['PATCH', `/districts/${harborId}`, { name: 'Stolen' }],
      ['DELETE', `/districts/${harborId}`],
      ['GET', `/stores/${storeId}`],
      ['PATCH', `/stores/${storeId}`, { name: 'Stolen' }],
      ['DELETE', `/stores/${storeId}`],
      ['DELETE', `/closures/${closure.id}`],
    ];
    for (const [method, url, payload] of attempts) {
      const response = await call(method, url, managerB, payload);
      expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 404 });
    }
    // B cannot reference A's rows as placement or closure targets either.
    expect((await call('POST', '/districts', managerB, { name: 'Sneaky', regionId: northId })).statusCode).toBe(400);
    expect((await call('POST', '/stores', managerB, { storeCode: 'B-2', name: 'B', districtId: harborId })).statusCode).toBe(400);
    expect((await call('POST', '/closures', managerB, { storeId, closureDate: '2026-12-24' })).statusCode).toBe(400);
    // And B's lists stay empty of A's rows.
    expect((await call('GET', '/regions', managerB)).json().page.total).toBe(0);
    expect((await call('GET', '/closures', managerB)).json().page.total).toBe(0);
    expect((await call('GET', `/regions/${northId}`, viewerA)).json().name).toBe('North');
  });
});

describe('closures', () => {
  it('lists a store’s own closures with the organization-wide ones and rejects duplicates', async () => {
    const store = (await call('POST', '/stores', managerA, { storeCode: 'CL-1', name: 'Closures' })).json();
    const holiday = await call('POST', '/closures', managerA, { closureDate: '2026-12-25', reason: 'Christmas' });
    expect(holiday.statusCode).toBe(201);
    expect(holiday.json()).toMatchObject({ storeId: null, kind: 'holiday', closureDate: '2026-12-25' });
    expect((await call('POST', '/closures', managerA, { closureDate: '2026-12-25' })).statusCode).toBe(409);
    const own = await call('POST', '/closures', managerA, { storeId: store.id, closureDate: '2026-07-04', kind: 'closed', reason: 'Refit' });
    expect(own.json()).toMatchObject({ storeCode: 'CL-1', kind: 'closed' });
    expect((await call('POST', '/closures', managerA, { closureDate: '2026-13-01' })).statusCode).toBe(400);
    const listed = await call('GET', `/closures?storeId=${store.id}&from=2026-07-01&to=2026-12-31`, viewerA);
    expect(listed.json().data.map((c: { closureDate: string }) => c.closureDate)).toEqual(['2026-07-04', '2026-12-25']);
    expect((await call('DELETE', `/closures/${own.json().id}`, managerA)).statusCode).toBe(204);
  });
});
