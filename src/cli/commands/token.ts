import { findUserByEmail } from '../../core/auth/auth-service.js';
import type { Db } from '../../core/db/connection.js';
import { AppError } from '../../core/errors.js';
import { getMember } from '../../core/tenancy/members-service.js';
import { createToken, createTokenInput } from '../../core/tenancy/tokens-service.js';
import type { Operation } from '../operation.js';
import { cliServiceContext } from './user.js';

/** Issues an API token acting as the given member of the organization, with at most that member's role. */
export const tokenCreateOperation: Operation = async (env, args) =>
  env.database.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const base = await cliServiceContext(env, db, String(args.org ?? ''));
    const user = await findUserByEmail(db, String(args.email ?? ''));
    if (!user) throw new AppError('NOT_FOUND', `No user has the email ${String(args.email)}; the token acts as an existing member.`, { status: 404 });
    const member = await getMember(base, user.id);
    const input = createTokenInput.parse({
      name: args.name ?? 'cli token',
      role: args.role,
      expiresInDays: args.expiresInDays === undefined ? undefined : Number(args.expiresInDays),
    });
    return createToken({ ...base, role: member.role, actor: { ...env.actor, userId: user.id } }, input);
  });
