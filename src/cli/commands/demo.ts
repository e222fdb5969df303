import { migrateDatabase } from '../../core/db/migrate.js';
import { readDemoLogin } from '../../core/demo/core-demo.js';
import type { DemoEnvironment } from '../../core/demo/demo-steps.js';
import { demoSteps } from '../runtime.js';
import type { Operation, OperationEnv } from '../operation.js';

/** Loads or refreshes the demo organizations and data; every step is idempotent. */
export async function loadDemoData(env: OperationEnv) {
  await migrateDatabase(env.database);
  const steps = demoSteps(env, env.actor);
  const demoEnv: DemoEnvironment = { database: env.database, clock: env.clock, log: env.logger, progress: env.progress, organizations: {} };
  for (const [index, step] of steps.entries()) {
    env.progress({ step: step.name, current: index, total: steps.length });
    await step.run(demoEnv);
  }
  env.progress({ step: 'done', current: steps.length, total: steps.length });
  return { organizations: Object.values(demoEnv.organizations).map((o) => o.slug), steps: steps.map((s) => s.name), login: readDemoLogin(env.config.dataDir) };
}

export const demoOperation: Operation = (env) => loadDemoData(env);
