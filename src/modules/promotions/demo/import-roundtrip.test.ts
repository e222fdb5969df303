import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import { systemActor, type ServiceContext } from '../../../core/context.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { importPromotionsFiles } from '../imports/import-service.js';
import { loadPromotionsDemo } from './load-demo.js';
import { simulateDemoSales } from './simulation.js';
import { writeDemoWorkbooks, type DemoWorkbook } from './workbooks.js';

// The import demo: the workbooks the demo writes, imported through the importer into an empty organization, hold what
// the demo loader writes directly. Sixteen months: both sales files and both promo-calendar files have rows.
const clock = createFixedClock('2026-12-05T10:00:00Z');
const options = { endDate: '2026-12-04', years: 1 + 4 / 12 };
let database: TestDatabase;
let dir: string;
let loaded: ServiceContext;
let imported: ServiceContext;
let workbooks: DemoWorkbook[];

async function contextFor(slug: string): Promise<ServiceContext> {
  const [row] = await database.query<{ id: string }>(`insert into core.organizations (slug, name, timezone) values ($1, $1, 'Europe/Berlin') returning id`, [
    slug,
  ]);
  return {
    db: database.db,
    organization: { id: row.id, slug, name: slug, timezone: 'Europe/Berlin' },
    actor: systemActor('test'),
    role: 'admin',
    clock,
    log: createLogger('silent'),
  };
}

const files = async (kind: DemoWorkbook['kind']) =>
  Promise.all(workbooks.filter((w) => w.kind === kind).map(async (w) => ({ name: w.file, bytes: new Uint8Array(await readFile(path.join(dir, w.file))) })));

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'promotions-demo-import-'));
  loaded = await contextFor('loaded');
  imported = await contextFor('imported');
  await loadPromotionsDemo(loaded, { ...options, scenarios: false });
  workbooks = await writeDemoWorkbooks(dir, simulateDemoSales(options));
}, 120_000);

afterAll(async () => {
  await database?.destroy();
  await rm(dir, { recursive: true, force: true });
});

const one = async <T>(text: string, params: unknown[]) => (await database.query<T>(text, params))[0];

describe('demo workbooks through the importer', () => {
  it('the two sales workbooks (German headers, found without a mapping) import to the same rows the loader writes for those years', async () => {
    const job = await importPromotionsFiles(imported, { kind: 'sales', files: await files('sales') });
    expect(job.status).toBe('completed');
    expect(job.filesProcessed).toBe(2);
    const query = `select count(*)::int as n, sum(sales_value)::text as sales, sum(margin_value)::text as margin, sum(units)::int as units,
                          count(*) filter (where promo_flag)::int as promo, sum(discount_pct)::text as discount
                   from promotions.sales_aggregated where organization_id = $1 and date >= '2025-01-01'`;
    const mine = await one<Record<string, unknown>>(query, [loaded.organization.id]);
    const theirs = await one<Record<string, unknown>>(query, [imported.organization.id]);
    expect(theirs).toEqual(mine);
    expect(Number(theirs.promo)).toBeGreaterThan(0);
  });

  it('the promo calendars keep their file names as source_file', async () => {
    const job = await importPromotionsFiles(imported, {
      kind: 'promo-catalog',
      files: await files('promo-catalog'),
      options: { map: { mechanics: 'Mechanik' } },
    });
    expect(job.status).toBe('completed');
    const rows = await database.query<{ source_file: string; n: number }>(
      `select source_file, count(*)::int as n from promotions.promo_catalog where organization_id = $1 group by source_file order by source_file`,
      [imported.organization.id],
    );
    const expected = await database.query<{ source_file: string; n: number }>(
      `select source_file, count(*)::int as n from promotions.promo_catalog where organization_id = $1 and date_start >= '2025-10-01' group by source_file order by source_file`,
      [loaded.organization.id],
    );
    expect(rows.map((r) => r.source_file)).toEqual(['Promo_October-September_FY26.xlsb', 'Promo_October-September_FY27.xlsb']);
    expect(rows).toEqual(expected);
  });

  it('targets and segments import, the segment columns the importer does not know by name through a mapping', async () => {
    expect((await importPromotionsFiles(imported, { kind: 'targets', files: await files('targets') })).status).toBe('completed');
    const targets = `select count(*)::int as n, sum(sales_value_target)::text as total, count(department)::int as narrowed from promotions.targets where organization_id = $1`;
    expect(await one(targets, [imported.organization.id])).toEqual(await one(targets, [loaded.organization.id]));

    const job = await importPromotionsFiles(imported, {
      kind: 'segments',
      files: await files('segments'),
      options: { map: { discount_sensitivity: 'Rabattsensibilität', purchase_frequency: 'Kaufhäufigkeit', last_purchase_days_ago: 'Letzter Kauf vor Tagen' } },
    });
    expect(job.status).toBe('completed');
    const segments = `select string_agg(segment_id || ':' || share_of_customers || ':' || avg_basket_value || ':' || discount_sensitivity || ':' || purchase_frequency || ':' || last_purchase_days_ago || ':' || array_to_string(fav_categories, '/'), ',' order by segment_id) as s
                      from promotions.segments where organization_id = $1`;
    expect(await one(segments, [imported.organization.id])).toEqual(await one(segments, [loaded.organization.id]));
  });
});
