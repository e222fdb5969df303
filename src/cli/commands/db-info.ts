import { count } from 'drizzle-orm';
import { getMigrationStatus } from '../../core/db/migrate.js';
import { memberships, organizations, users } from '../../core/db/schema.js';
import { getWorkerHealth } from '../../core/jobs/index.js';
import type { Operation } from '../operation.js';

export const dbInfoOperation: Operation = async (env) => {
  const db = env.database.db;
  const [{ version }] = await env.database.query<{ version: string }>('select version() as version');
  const [{ size }] = await env.database.query<{ size: string }>('select pg_size_pretty(pg_database_size(current_database())) as size');
  const migrations = await getMigrationStatus(env.database);
  const orgs =
    migrations.applied > 0
      ? await db
          .select({ slug: organizations.slug, name: organizations.name, timezone: organizations.timezone })
          .from(organizations)
          .orderBy(organizations.slug)
      : [];
  const [{ n: userCount }] = migrations.applied > 0 ? await db.select({ n: count() }).from(users) : [{ n: 0 }];
  const [{ n: membershipCount }] = migrations.applied > 0 ? await db.select({ n: count() }).from(memberships) : [{ n: 0 }];
  return {
    kind: env.database.kind,
    location: env.database.location,
    server: version.split(',')[0],
    size,
    migrations,
    worker: migrations.applied > 0 ? await getWorkerHealth(env.database, env.clock) : null,
    organizations: orgs,
    users: Number(userCount),
    memberships: Number(membershipCount),
  };
};
