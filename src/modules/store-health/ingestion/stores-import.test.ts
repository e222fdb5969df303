import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../core/testing/test-app.js';
import { createStore } from '../org-structure/stores-service.js';
import { createIngestionTestApp, multipartFile, serviceContextFor } from './test-support.js';

let t: TestApp;
let managerA: Record<string, string>;

beforeAll(async () => {
  t = await createIngestionTestApp();
  managerA = (await t.login(t.orgA.emails.manager)).headers;
  await createStore(serviceContextFor(t, t.orgA), { storeCode: 'S001', name: 'Old name', city: 'Boston', phone: '+1 555 0001' });
});
afterAll(async () => t?.close());

function upload(fileName: string, text: string) {
  const body = multipartFile(fileName, text);
  return t.app.inject({ method: 'POST', url: '/api/store-health/imports/stores', headers: { ...managerA, ...body.headers }, payload: body.payload });
}

async function storeByCode(code: string) {
  const response = await t.app.inject({ method: 'GET', url: `/api/store-health/stores?q=${code}`, headers: managerA });
  return response.json().data.find((s: { storeCode: string }) => s.storeCode === code);
}

const counts = async () => {
  const [row] = await t.database.query<{ stores: number; regions: number; districts: number }>(
    `select (select count(*)::int from store_health.stores where organization_id = $1) as stores,
            (select count(*)::int from store_health.regions where organization_id = $1) as regions,
            (select count(*)::int from store_health.districts where organization_id = $1) as districts`,
    [t.orgA.id],
  );
  return row;
};

const storesCsv = [
  'Store Code,Name,Address,City,State,Zip Code,Timezone,Phone,Manager Name,Manager Phone,Manager Email,Region,District,Status,Hours Mon,Hours Tue,Hours Sat,Hours Sun',
  'S001,Downtown,1 Main St,Boston,MA,02108,America/New_York,+1 555 0101,Ann Lee,+1 555 0102,ann@example.com,East,Boston Metro,active,09:00-21:00,09:00-21:00,"10:00-14:00, 15:00-18:00",closed',
  'S002,Back Bay,2 Boylston,Boston,MA,02116,America/New_York,,Bo Chen,,bo@example.com,East,Boston Metro,,08:00-20:00,08:00-20:00,,closed',
  'S003,Lakeview,3 Lake Rd,Chicago,IL,60601,America/Chicago,,,,,Central,Chicago North,inactive,10:00-22:00,,,',
].join('\n');

describe('stores import', () => {
  it('creates regions and districts by name, upserts stores by code and parses opening hours', async () => {
    const response = await upload('stores.csv', storesCsv);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      kind: 'stores',
      rows: 3,
      inserted: 2,
      updated: 1,
      unchanged: 0,
      dates: null,
      created: { regions: 2, districts: 2 },
    });
    const downtown = await storeByCode('S001');
    expect(downtown).toMatchObject({
      name: 'Downtown',
      city: 'Boston',
      zipCode: '02108',
      managerEmail: 'ann@example.com',
      regionName: 'East',
      districtName: 'Boston Metro',
      timezone: 'America/New_York',
      openingHours: {
        '1': [{ open: '09:00', close: '21:00' }],
        '2': [{ open: '09:00', close: '21:00' }],
        '6': [
          { open: '10:00', close: '14:00' },
          { open: '15:00', close: '18:00' },
        ],
        '7': [],
      },
    });
    expect(await storeByCode('S002')).toMatchObject({ status: 'active', phone: null, openingHours: { '1': [{ open: '08:00', close: '20:00' }], '6': [] } });
    expect(await storeByCode('S003')).toMatchObject({ status: 'inactive', timezone: 'America/Chicago', regionName: 'Central', districtName: 'Chicago North' });
    expect(await counts()).toEqual({ stores: 3, regions: 2, districts: 2 });
  });

  it('re-importing the same file changes nothing', async () => {
    expect((await upload('stores.csv', storesCsv)).json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, created: { regions: 0, districts: 0 } });
  });

  it('a file with fewer columns only touches those columns', async () => {
    const response = await upload('renames.csv', 'store_code,name,hours_sun\nS001,Downtown Crossing,11:00-17:00\nS002,Back Bay,closed\n');
    expect(response.json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    const downtown = await storeByCode('S001');
    expect(downtown).toMatchObject({ name: 'Downtown Crossing', city: 'Boston', districtName: 'Boston Metro', managerEmail: 'ann@example.com' });
    expect(downtown.openingHours['1']).toEqual([{ open: '09:00', close: '21:00' }]);
    expect(downtown.openingHours['7']).toEqual([{ open: '11:00', close: '17:00' }]);
  });

  it('rejects the whole file with one problem per bad cell and writes nothing', async () => {
    const before = await counts();
    const bad = [
      'store_code,name,timezone,manager_email,region,district,status,hours_mon',
      'S010,Ten,Mars/Olympus,ten@example.com,West,Bay Area,active,09:00-18:00',
      'S011,Eleven,America/Denver,not-an-email,Central,Boston Metro,,9-5',
      'S010,Ten again,,,,,,',
      'S012,Twelve,,,,New District,open,',
    ].join('\n');
    const response = await upload('bad-stores.csv', bad);
    expect(response.statusCode).toBe(400);
    const details = response.json().error.details.map((d: { row: number; column: string }) => `${d.row}:${d.column}`);
    expect(details).toEqual(['2:timezone', '3:manager_email', '3:hours_mon', '3:district', '4:store_code', '5:status', '5:region']);
    expect(response.json().error.details.find((d: { column: string }) => d.column === 'district').message).toMatch(
      /District "Boston Metro" belongs to region "East", not "Central"/,
    );
    expect(await counts()).toEqual(before);
  });
});
