import { randomBytes } from 'node:crypto';
import { findUserByEmail, requestPasswordReset, setPassword } from '../../core/auth/auth-service.js';
import { writeAuditEntry } from '../../core/audit/audit.js';
import type { ServiceContext } from '../../core/context.js';
import type { Db } from '../../core/db/connection.js';
import { AppError } from '../../core/errors.js';
import { createMember, createMemberInput } from '../../core/tenancy/members-service.js';
import { requireOrganizationBySlug } from '../../core/tenancy/organizations-service.js';
import { listUserOrganizations } from '../../core/auth/auth-service.js';
import type { Operation, OperationEnv } from '../operation.js';

/** The CLI acts with full rights inside the organization it names: it is the operator's own tool. */
export async function cliServiceContext(env: OperationEnv, db: Db, orgSlug: string): Promise<ServiceContext> {
  const organization = await requireOrganizationBySlug(db, orgSlug);
  return { db, organization, actor: env.actor, role: 'admin', clock: env.clock, log: env.logger };
}

export const userCreateOperation: Operation = async (env, args) => {
  const input = createMemberInput.parse({
    email: args.email,
    name: args.name ?? String(args.email ?? '').split('@')[0],
    password: args.password,
    role: args.role ?? 'staff',
  });
  return env.database.db.transaction(async (tx) => createMember(await cliServiceContext(env, tx as unknown as Db, String(args.org ?? '')), input));
};

export const userResetPasswordOperation: Operation = async (env, args) => {
  const email = String(args.email ?? '');
  const db = env.database.db;
  const user = await findUserByEmail(db, email);
  if (!user) throw new AppError('NOT_FOUND', `No user has the email ${email}.`, { status: 404 });
  if (args.link) {
    const reset = await requestPasswordReset({ db, clock: env.clock }, email, {});
    return { email: user.email, resetLink: `${env.config.publicUrl}/reset-password?token=${encodeURIComponent(reset!.token)}`, expiresAt: reset!.expiresAt };
  }
  const generated = !args.password;
  const password = args.password ? String(args.password) : `rp-${randomBytes(9).toString('base64url')}`;
  await db.transaction(async (tx) => {
    await setPassword({ db: tx as unknown as Db, clock: env.clock }, user.id, password);
    for (const org of await listUserOrganizations(tx as unknown as Db, user.id)) {
      await writeAuditEntry(tx as unknown as Db, {
        organizationId: org.id,
        actor: env.actor,
        action: 'auth.password_set_by_operator',
        entityType: 'user',
        entityId: user.id,
        at: env.clock.now(),
      });
    }
  });
  return { email: user.email, password: generated ? password : undefined, sessionsEnded: true };
};
