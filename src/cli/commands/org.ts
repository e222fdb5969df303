import { createOrganization } from '../../core/tenancy/organizations-service.js';
import type { Operation } from '../operation.js';

export const orgCreateOperation: Operation = async (env, args) =>
  env.database.db.transaction(async (tx) =>
    createOrganization(
      { db: tx as never, clock: env.clock, actor: env.actor },
      { slug: String(args.slug ?? ''), name: String(args.name ?? ''), timezone: String(args.timezone ?? 'UTC') },
    ),
  );
