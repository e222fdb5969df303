import { and, count, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../context.js';
import { memberships, users } from '../db/schema.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../db/list-query.js';
import { recordAudit } from '../audit/audit.js';
import { assertPasswordAcceptable, hashPassword } from '../auth/passwords.js';
import { findUserByEmail } from '../auth/auth-service.js';
import { AppError, conflict, forbidden, notFound } from '../errors.js';
import { isKnownRole, knownRoles, roleAtLeast } from '../roles.js';

export const roleSchema = z.string().refine(isKnownRole, { error: () => `Unknown role; use one of ${knownRoles().join(', ')}` });

export const listMembersQuery = listQuerySchema(['name', 'email', 'role', 'lastLoginAt', 'createdAt'], 'name', { role: z.string().optional() });

export interface Member {
  id: string;
  email: string;
  name: string;
  role: string;
  active: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  lockedUntil: Date | null;
}

const memberColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: memberships.role,
  active: users.active,
  lastLoginAt: users.lastLoginAt,
  createdAt: memberships.createdAt,
  lockedUntil: users.lockedUntil,
};

export async function listMembers(ctx: ServiceContext, query: z.infer<typeof listMembersQuery>): Promise<Page<Member>> {
  const where = and(
    eq(memberships.organizationId, ctx.organization.id),
    isNull(users.deletedAt),
    query.role ? eq(memberships.role, query.role) : undefined,
    query.q ? or(ilike(users.name, likePattern(query.q)), ilike(users.email, likePattern(query.q))) : undefined,
  );
  const data = await ctx.db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(where)
    .orderBy(
      ...orderBy(
        query.sort,
        { name: users.name, email: users.email, role: memberships.role, lastLoginAt: users.lastLoginAt, createdAt: memberships.createdAt },
        users.id,
      ),
    )
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total: Number(total) } };
}

export async function getMember(ctx: ServiceContext, userId: string): Promise<Member> {
  const [row] = await ctx.db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, ctx.organization.id), eq(memberships.userId, userId), isNull(users.deletedAt)));
  if (!row) throw notFound('User', userId);
  return row;
}

export const createMemberInput = z.object({
  email: z.string().trim().toLowerCase().email(),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(500).optional(),
  role: roleSchema,
});

/** Adds a person to the organization: creates the user when the email is new, else adds a membership. */
export async function createMember(ctx: ServiceContext, input: z.infer<typeof createMemberInput>): Promise<Member> {
  assertMayGrant(ctx, input.role);
  const now = ctx.clock.now();
  let user = await findUserByEmail(ctx.db, input.email);
  if (!user) {
    if (!input.password) {
      throw new AppError('VALIDATION_FAILED', 'A new user needs an initial password.', { details: [{ path: 'password', message: 'Required for a new user' }] });
    }
    assertPasswordAcceptable(input.password);
    [user] = await ctx.db
      .insert(users)
      .values({
        email: input.email,
        name: input.name,
        passwordHash: await hashPassword(input.password),
        timezone: ctx.organization.timezone,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
  }
  const [existing] = await ctx.db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.organizationId, ctx.organization.id), eq(memberships.userId, user.id)));
  if (existing) throw conflict(`${input.email} is already a member of this organization.`, [{ path: 'email', message: 'Already a member' }]);
  await ctx.db.insert(memberships).values({ organizationId: ctx.organization.id, userId: user.id, role: input.role, createdAt: now, updatedAt: now });
  const member = await getMember(ctx, user.id);
  await recordAudit(ctx, { action: 'member.added', entityType: 'user', entityId: user.id, after: member });
  return member;
}

export const updateMemberInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  role: roleSchema.optional(),
  active: z.boolean().optional(),
});

export async function updateMember(ctx: ServiceContext, userId: string, patch: z.infer<typeof updateMemberInput>): Promise<Member> {
  const before = await getMember(ctx, userId);
  const now = ctx.clock.now();
  if (patch.role !== undefined && patch.role !== before.role) {
    assertMayGrant(ctx, patch.role);
    if (before.role === 'admin') await assertAnotherAdminRemains(ctx, userId);
    await ctx.db
      .update(memberships)
      .set({ role: patch.role, updatedAt: now })
      .where(and(eq(memberships.organizationId, ctx.organization.id), eq(memberships.userId, userId)));
  }
  if (patch.name !== undefined || patch.active !== undefined) {
    if (patch.active === false && userId === ctx.actor.userId) throw forbidden('You cannot deactivate your own account.');
    await ctx.db.update(users).set({ name: patch.name, active: patch.active, updatedAt: now }).where(eq(users.id, userId));
  }
  const after = await getMember(ctx, userId);
  await recordAudit(ctx, { action: 'member.updated', entityType: 'user', entityId: userId, before, after });
  return after;
}

export async function removeMember(ctx: ServiceContext, userId: string): Promise<void> {
  const before = await getMember(ctx, userId);
  if (before.role === 'admin') await assertAnotherAdminRemains(ctx, userId);
  await ctx.db.delete(memberships).where(and(eq(memberships.organizationId, ctx.organization.id), eq(memberships.userId, userId)));
  await recordAudit(ctx, { action: 'member.removed', entityType: 'user', entityId: userId, before });
}

function assertMayGrant(ctx: ServiceContext, role: string) {
  if (!roleAtLeast(ctx.role, role)) throw forbidden(`Your role (${ctx.role}) cannot grant the role ${role}.`);
}

async function assertAnotherAdminRemains(ctx: ServiceContext, userId: string) {
  const [{ admins }] = await ctx.db
    .select({ admins: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, ctx.organization.id), eq(memberships.role, 'admin'), sql`${memberships.userId} <> ${userId}`));
  if (Number(admins) === 0) throw conflict('This is the last administrator of the organization; make someone else an admin first.');
}
