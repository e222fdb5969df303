import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestApp } from '../../../core/testing/test-app.js';
import { createKpi } from '../kpi-config/service.js';
import { addDays } from '../shared/dates.js';
import { importStoreHealthFile } from './import-file.js';
import { createIngestionTestApp, serviceContextFor } from './test-support.js';

let t: TestApp;
let staffA: Record<string, string>;
const storeCodes = Array.from({ length: 100 }, (_, i) => `B${String(i + 1).padStart(3, '0')}`);
const kpiCodes = ['sales', 'traffic', 'conversion_rate', 'basket_size', 'labor_hours'];

beforeAll(async () => {
  t = await createIngestionTestApp();
  const ctx = serviceContextFor(t, t.orgA);
  const csv = ['store_code,name', ...storeCodes.map((c) => `${c},Store ${c}`)].join('\n');
  await importStoreHealthFile(ctx, { kind: 'stores', fileName: 'stores.csv', bytes: Buffer.from(csv) });
  for (const kpiCode of kpiCodes) await createKpi(ctx, { kpiCode, name: kpiCode, unit: 'count', category: 'sales' });
  staffA = (await t.login(t.orgA.emails.staff)).headers;
});
afterAll(async () => t?.close());

it('upserts a 50,000-value batch (100 stores × 5 KPIs × 100 days over 4 months) in one request, then finds it unchanged', async () => {
  const metrics = storeCodes.flatMap((storeCode, s) =>
    kpiCodes.flatMap((kpiCode, k) =>
      Array.from({ length: 100 }, (_, d) => ({ storeCode, kpiCode, metricDate: addDays('2026-01-01', d), value: s * 1000 + k * 100 + d + 0.25 })),
    ),
  );
  expect(metrics).toHaveLength(50_000);
  const first = await t.app.inject({ method: 'POST', url: '/api/store-health/metrics', headers: staffA, payload: { metrics } });
  expect(first.statusCode).toBe(200);
  expect(first.json()).toMatchObject({ inserted: 50_000, updated: 0, unchanged: 0, dates: { from: '2026-01-01', to: '2026-04-10' } });
  const perPartition = await t.database.query<{ partition: string; n: number }>(
    `select tableoid::regclass::text as partition, count(*)::int as n from store_health.kpi_metrics group by 1 order by 1`,
  );
  expect(perPartition).toEqual([
    { partition: 'store_health.kpi_metrics_2026_01', n: 100 * 5 * 31 },
    { partition: 'store_health.kpi_metrics_2026_02', n: 100 * 5 * 28 },
    { partition: 'store_health.kpi_metrics_2026_03', n: 100 * 5 * 31 },
    { partition: 'store_health.kpi_metrics_2026_04', n: 100 * 5 * 10 },
  ]);
  const [spot] = await t.database.query<{ value: string }>(
    `select m.value from store_health.kpi_metrics m join store_health.stores s on s.id = m.store_id
     join store_health.kpi_definitions k on k.id = m.kpi_definition_id where s.store_code = 'B042' and k.kpi_code = 'basket_size' and m.metric_date = '2026-02-15'`,
  );
  expect(Number(spot.value)).toBe(41 * 1000 + 3 * 100 + 45 + 0.25);
  metrics[12_345].value += 1;
  const second = await t.app.inject({ method: 'POST', url: '/api/store-health/metrics', headers: staffA, payload: { metrics } });
  expect(second.json()).toMatchObject({
    inserted: 0,
    updated: 1,
    unchanged: 49_999,
    changedDates: { from: metrics[12_345].metricDate, to: metrics[12_345].metricDate },
  });
  const tooMany = await t.app.inject({ method: 'POST', url: '/api/store-health/metrics', headers: staffA, payload: { metrics: [...metrics, metrics[0]] } });
  expect(tooMany.statusCode).toBe(400);
});
