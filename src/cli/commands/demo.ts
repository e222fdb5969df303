import { migrateDatabase } from '../../core/db/migrate.js';
import { readDemoLogin } from '../../core/demo/core-demo.js';
import type { DemoEnvironment } from '../../core/demo/demo-steps.js';
import { organizations } from '../../core/db/schema.js';
import { inArray } from 'drizzle-orm';
import { demoSteps, moduleDemoStepCount } from '../runtime.js';
import type { Operation, OperationEnv } from '../operation.js';

/** Loads or refreshes the demo organizations and data; every step is idempotent. */
export async function loadDemoData(env: OperationEnv, part: 'all' | 'core' | 'modules' = 'all') {
  await migrateDatabase(env.database);
  const all = demoSteps(env, env.actor);
  const coreCount = all.length - moduleDemoStepCount();
  const steps = part === 'all' ? all : part === 'core' ? all.slice(0, coreCount) : all.slice(coreCount);
  const demoEnv: DemoEnvironment = {
    database: env.database,
    clock: env.clock,
    log: env.logger,
    progress: env.progress,
    organizations: await demoOrganizations(env),
  };
  for (const [index, step] of steps.entries()) {
    env.progress({ step: step.name, current: index, total: steps.length });
    await step.run(demoEnv);
  }
  env.progress({ step: 'done', current: steps.length, total: steps.length });
  return { organizations: Object.values(demoEnv.organizations).map((o) => o.slug), steps: steps.map((s) => s.name), login: readDemoLogin(env.config.dataDir) };
}

export const demoOperation: Operation = (env, args) => loadDemoData(env, args.only === 'core' ? 'core' : args.only === 'modules' ? 'modules' : 'all');

/** The demo organizations that already exist, so module steps can run without re-running the core step. */
async function demoOrganizations(env: OperationEnv): Promise<DemoEnvironment['organizations']> {
  const rows = await env.database.db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, timezone: organizations.timezone })
    .from(organizations)
    .where(inArray(organizations.slug, ['demo', 'northwind']));
  return Object.fromEntries(rows.map((r) => [r.slug, r]));
}
