import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import type { DemoEnvironment } from '../../../core/demo/demo-steps.js';
import { createLogger } from '../../../core/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { promotionsDemoSteps } from './index.js';

// New York's yesterday is 2026-12-04. Fifteen months keep the run short and still cover a past promotion's dip.
const clock = createFixedClock('2026-12-05T15:00:00Z');
let database: TestDatabase;
let env: DemoEnvironment;
let dir: string;
const stages: string[] = [];

async function runDemo() {
  for (const step of promotionsDemoSteps({ years: 1.25, importsDir: path.join(dir, 'demo-imports') })) await step.run(env);
}

async function counts(orgId: string) {
  const [row] = await database.query<Record<string, string>>(
    `select
      (select count(*) from promotions.sales_aggregated where organization_id = $1)::text as sales,
      (select count(*) from promotions.promo_catalog where organization_id = $1)::text as catalog,
      (select count(*) from promotions.targets where organization_id = $1)::text as targets,
      (select count(*) from promotions.segments where organization_id = $1)::text as segments,
      (select count(*) from promotions.promo_scenarios where organization_id = $1)::text as scenarios,
      (select count(*) from promotions.scenario_kpis where organization_id = $1 and is_current)::text as current_kpis,
      (select count(*) from promotions.validation_reports where organization_id = $1)::text as validations,
      (select count(*) from promotions.post_mortem_reports where organization_id = $1)::text as post_mortems,
      (select count(*) from promotions.opportunities where organization_id = $1)::text as opportunities,
      (select count(distinct model_version) from promotions.uplift_coefficients where organization_id = $1)::text as uplift_versions,
      (select count(*) from promotions.baseline_forecasts where organization_id = $1)::text as forecasts`,
    [orgId],
  );
  return row;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'promotions-demo-steps-'));
  database = await createTestDatabase();
  const [row] = await database.query<{ id: string }>(
    `insert into core.organizations (slug, name, timezone, config) values ('demo', 'RetailOps Demo Co.', 'America/New_York', '{"demo": true}') returning id`,
  );
  env = {
    database,
    clock,
    log: createLogger('silent'),
    progress: (e) => stages.push(e.step),
    organizations: { demo: { id: row.id, slug: 'demo', name: 'RetailOps Demo Co.', timezone: 'America/New_York' } },
  };
  await runDemo();
}, 300_000);

afterAll(async () => {
  await database?.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('promotions demo step', () => {
  it('loads the demo organization, writes the import workbooks and runs every stage of the module on it', async () => {
    const files = (await readdir(path.join(dir, 'demo-imports'))).sort();
    expect(files).toEqual([
      'CDP_Segmente.xlsb',
      'Promo_October-September_FY26.xlsb',
      'Promo_October-September_FY27.xlsb',
      'Umsatz_Tagesbericht_2025.xlsb',
      'Umsatz_Tagesbericht_2026.xlsb',
      'Ziele_DE.xlsb',
    ]);
    const c = await counts(env.organizations.demo.id);
    expect(Number(c.sales)).toBe(456 * 16);
    expect(Number(c.scenarios)).toBe(6);
    expect(Number(c.current_kpis)).toBe(6);
    expect(Number(c.validations)).toBe(4);
    expect(Number(c.post_mortems)).toBe(2);
    expect(Number(c.opportunities)).toBe(16);
    expect(Number(c.forecasts)).toBeGreaterThan(0);
    // history fit (v1) and one learned version per post-mortem
    expect(Number(c.uplift_versions)).toBe(3);
    for (const stage of [
      'backtest and baseline forecasts',
      'uplift from history',
      'opportunities',
      'scenario KPIs',
      'validation of the drafts',
      'post-mortems of the past scenarios',
    ])
      expect(stages).toContain(`promotions: ${stage}`);
  });

  it('judges the drafts by the demo chain’s thresholds: the aggressive one is blocked with a suggested fix, the others are not', async () => {
    const rows = await database.query<{ scenario_type: string; status: string; issues: { type: string; suggested_fix?: string }[] }>(
      `select s.scenario_type, v.status, v.issues from promotions.validation_reports v join promotions.promo_scenarios s on s.id = v.scenario_id`,
    );
    const byType = Object.fromEntries(rows.map((r) => [r.scenario_type, r]));
    expect(byType.aggressive.status).toBe('BLOCK');
    expect(byType.aggressive.issues.some((i) => i.type === 'margin_threshold' && /^Reduce .* discount from \d+% to \d+%/.test(i.suggested_fix ?? ''))).toBe(
      true,
    );
    for (const type of ['balanced', 'member_only', 'coupon']) expect(byType[type].status, type).not.toBe('BLOCK');
    const [linked] = await database.query<{ n: string }>(
      `select count(*) as n from promotions.promo_scenarios where status = 'draft' and source_opportunity_id is not null`,
    );
    expect(Number(linked.n)).toBe(4);
  });

  it('re-running replaces the demo: same counts, uplift versions rebuilt rather than piled up', async () => {
    const before = await counts(env.organizations.demo.id);
    await runDemo();
    expect(await counts(env.organizations.demo.id)).toEqual(before);
  }, 300_000);
});
