import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../core/testing/test-app.js';
import { createIngestionTestApp } from '../ingestion/test-support.js';
import { thresholdOrderProblem } from './threshold-rules.js';

let t: TestApp;
let managerA: Record<string, string>;
let staffA: Record<string, string>;
let managerB: Record<string, string>;
let storeA: string;
let storeB: string;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
const call = (method: Method, url: string, headers: Record<string, string>, payload?: object) =>
  t.app.inject({ method, url: `/api/store-health${url}`, headers, payload });

beforeAll(async () => {
  t = await createIngestionTestApp();
  managerA = (await t.login(t.orgA.emails.manager)).headers;
  staffA = (await t.login(t.orgA.emails.staff)).headers;
  managerB = (await t.login(t.orgB.emails.manager)).headers;
  storeA = (await call('POST', '/stores', managerA, { storeCode: 'A-1', name: 'A one' })).json().id;
  storeB = (await call('POST', '/stores', managerB, { storeCode: 'B-1', name: 'B one' })).json().id;
});
afterAll(async () => t?.close());

describe('threshold order rule', () => {
  it('reads the levels in the KPI’s direction', () => {
    expect(thresholdOrderProblem('higher_is_better', { greenMin: 0, yellowMin: -5, redThreshold: -10 })).toBeNull();
    expect(thresholdOrderProblem('higher_is_better', { greenMin: 0, yellowMin: 0, redThreshold: 0 })).toBeNull();
    expect(thresholdOrderProblem('higher_is_better', { greenMin: -5, yellowMin: 0, redThreshold: -10 })?.path).toBe('greenMin');
    expect(thresholdOrderProblem('higher_is_better', { greenMin: 0, yellowMin: -10, redThreshold: -5 })?.path).toBe('yellowMin');
    expect(thresholdOrderProblem('lower_is_better', { greenMin: 4, yellowMin: 8, redThreshold: 12 })).toBeNull();
    expect(thresholdOrderProblem('lower_is_better', { greenMin: 8, yellowMin: 4, redThreshold: 12 })?.path).toBe('greenMin');
    expect(thresholdOrderProblem('lower_is_better', { greenMin: 4, yellowMin: 12, redThreshold: 8 })?.path).toBe('yellowMin');
    // A two-colour KPI: levels left out are skipped, the rest must still read in order.
    expect(thresholdOrderProblem('higher_is_better', { greenMin: 95, yellowMin: null, redThreshold: null })).toBeNull();
    expect(thresholdOrderProblem('higher_is_better', { greenMin: 95, yellowMin: null, redThreshold: 97 })?.path).toBe('greenMin');
    expect(thresholdOrderProblem('lower_is_better', { greenMin: 2, yellowMin: null, redThreshold: 5 })).toBeNull();
  });
});

describe('KPI definitions and thresholds', () => {
  let salesId: string;
  let shrinkId: string;

  it('creates KPIs with an organization default threshold and lists them', async () => {
    const sales = await call('POST', '/kpis', managerA, {
      kpiCode: 'sales',
      name: 'Net sales',
      unit: '$',
      category: 'sales',
      threshold: { greenMin: 0, yellowMin: -5, redThreshold: -10, comparisonBasis: 'rolling_4w', priority: 1 },
    });
    expect(sales.statusCode).toBe(201);
    expect(sales.json()).toMatchObject({
      kpiCode: 'sales',
      direction: 'higher_is_better',
      calculationMethod: 'sum',
      isActive: true,
      threshold: { greenMin: 0, yellowMin: -5, redThreshold: -10, comparisonBasis: 'rolling_4w', priority: 1 },
    });
    salesId = sales.json().id;
    const shrink = await call('POST', '/kpis', managerA, {
      kpiCode: 'shrink_pct',
      name: 'Shrink',
      unit: '%',
      category: 'inventory',
      direction: 'lower_is_better',
      calculationMethod: 'ratio',
    });
    expect(shrink.json().threshold).toBeNull();
    shrinkId = shrink.json().id;
    const list = await call('GET', '/kpis?category=sales', staffA);
    expect(list.json().data.map((k: { kpiCode: string }) => k.kpiCode)).toEqual(['sales']);
    expect((await call('GET', '/kpis?q=shr', staffA)).json().page.total).toBe(1);
  });

  it('rejects a bad code, a duplicate code, and thresholds ordered against the direction', async () => {
    expect((await call('POST', '/kpis', managerA, { kpiCode: 'Net Sales!', name: 'x', unit: '$', category: 'sales' })).statusCode).toBe(400);
    expect((await call('POST', '/kpis', managerA, { kpiCode: 'sales', name: 'x', unit: '$', category: 'sales' })).statusCode).toBe(409);
    const reversed = await call('PUT', `/kpis/${shrinkId}/thresholds`, managerA, { greenMin: 3, yellowMin: 2, redThreshold: 1, comparisonBasis: 'absolute' });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.details[0]).toMatchObject({ path: 'greenMin' });
    expect((await call('PUT', `/kpis/${shrinkId}/thresholds`, managerA, { greenMin: 1, yellowMin: 2, redThreshold: 3, priority: 9 })).statusCode).toBe(400);
    expect((await call('POST', '/kpis', staffA, { kpiCode: 'x', name: 'x', unit: '$', category: 'sales' })).statusCode).toBe(403);
  });

  it('keeps one organization default and one override per store; the override is listed with its store code', async () => {
    const orgDefault = await call('PUT', `/kpis/${shrinkId}/thresholds`, managerA, { greenMin: 1, yellowMin: 2, redThreshold: 3, comparisonBasis: 'absolute' });
    expect(orgDefault.statusCode).toBe(200);
    const replaced = await call('PUT', `/kpis/${shrinkId}/thresholds`, managerA, {
      greenMin: 1.5,
      yellowMin: 2.5,
      redThreshold: 3.5,
      comparisonBasis: 'absolute',
    });
    expect(replaced.json().id).toBe(orgDefault.json().id);
    const override = await call('PUT', `/kpis/${shrinkId}/thresholds`, managerA, {
      storeId: storeA,
      greenMin: 2,
      yellowMin: 3,
      redThreshold: 5,
      comparisonBasis: 'absolute',
      priority: 2,
    });
    expect(override.json()).toMatchObject({ storeId: storeA, storeCode: 'A-1', greenMin: 2, priority: 2 });
    const thresholds = (await call('GET', `/kpis/${shrinkId}/thresholds`, staffA)).json();
    expect(thresholds.organizationDefault).toMatchObject({ storeId: null, greenMin: 1.5, yellowMin: 2.5, redThreshold: 3.5 });
    expect(thresholds.storeOverrides).toHaveLength(1);
    expect((await call('GET', `/kpis/${shrinkId}`, staffA)).json().threshold).toMatchObject({ greenMin: 1.5 });
    // Another organization's store cannot get an override here.
    const foreign = await call('PUT', `/kpis/${shrinkId}/thresholds`, managerA, { storeId: storeB, greenMin: 1, yellowMin: 2, redThreshold: 3 });
    expect(foreign.statusCode).toBe(400);
    expect(await t.database.query('select 1 from store_health.kpi_thresholds where store_id = $1', [storeB])).toHaveLength(0);
    const twoColour = await call('PUT', `/kpis/${shrinkId}/thresholds`, managerA, { storeId: storeA, greenMin: 2 });
    expect(twoColour.json()).toMatchObject({
      id: override.json().id,
      greenMin: 2,
      yellowMin: null,
      redThreshold: null,
      comparisonBasis: 'rolling_4w',
      priority: 3,
    });
    expect((await call('DELETE', `/kpis/${shrinkId}/thresholds/${override.json().id}`, managerA)).statusCode).toBe(204);
    expect((await call('GET', `/kpis/${shrinkId}/thresholds`, staffA)).json().storeOverrides).toHaveLength(0);
  });

  it('refuses a direction change that would reverse existing thresholds, unless the default is restated with it', async () => {
    const refused = await call('PATCH', `/kpis/${shrinkId}`, managerA, { direction: 'higher_is_better' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/organization default/);
    const restated = await call('PATCH', `/kpis/${shrinkId}`, managerA, {
      direction: 'higher_is_better',
      threshold: { greenMin: 3, yellowMin: 2, redThreshold: 1, comparisonBasis: 'absolute' },
    });
    expect(restated.statusCode).toBe(200);
    expect(restated.json()).toMatchObject({ direction: 'higher_is_better', threshold: { greenMin: 3, redThreshold: 1 } });
    const renamed = await call('PATCH', `/kpis/${salesId}`, managerA, { name: 'Sales (net)', isActive: false, threshold: null });
    expect(renamed.json()).toMatchObject({ name: 'Sales (net)', isActive: false, threshold: null, direction: 'higher_is_better' });
    expect((await call('GET', '/kpis?isActive=false', staffA)).json().data.map((k: { kpiCode: string }) => k.kpiCode)).toEqual(['sales']);
  });

  it('answers 404 for every route addressing another organization’s KPI or threshold', async () => {
    const thresholdId = (await call('GET', `/kpis/${shrinkId}/thresholds`, staffA)).json().organizationDefault.id;
    const attempts: [Method, string, object?][] = [
      ['GET', `/kpis/${shrinkId}`],
      ['PATCH', `/kpis/${shrinkId}`, { name: 'Stolen' }],
      ['GET', `/kpis/${shrinkId}/thresholds`],
      ['PUT', `/kpis/${shrinkId}/thresholds`, { greenMin: 3, yellowMin: 2, redThreshold: 1 }],
      ['DELETE', `/kpis/${shrinkId}/thresholds/${thresholdId}`],
    ];
    for (const [method, url, payload] of attempts) {
      const response = await call(method, url, managerB, payload);
      expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 404 });
    }
    expect((await call('GET', '/kpis', managerB)).json().page.total).toBe(0);
    expect((await call('GET', `/kpis/${shrinkId}/thresholds`, staffA)).json().organizationDefault.id).toBe(thresholdId);
  });
});
