import { migrateDatabase } from '../../core/db/migrate.js';
import type { Operation } from '../operation.js';

export const migrateOperation: Operation = async (env) => {
  env.progress({ step: 'applying migrations', current: 0, total: 1 });
  const result = await migrateDatabase(env.database);
  env.progress({ step: 'done', current: 1, total: 1 });
  return { database: env.database.kind, location: env.database.location, newlyApplied: result.newlyApplied, ...result.status };
};
