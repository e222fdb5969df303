import { and, count, eq, ilike } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../context.js';
import { apiTokens, users } from '../db/schema.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../db/list-query.js';
import { recordAudit } from '../audit/audit.js';
import { forbidden, notFound } from '../errors.js';
import { roleAtLeast } from '../roles.js';
import { randomToken, sha256Hex } from '../secrets.js';
import { roleSchema } from './members-service.js';

export const listTokensQuery = listQuerySchema(['name', 'role', 'createdAt', 'lastUsedAt', 'expiresAt'], '-createdAt', {});

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  user: { id: string; email: string };
}

const tokenColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.tokenPrefix,
  role: apiTokens.role,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  expiresAt: apiTokens.expiresAt,
  revokedAt: apiTokens.revokedAt,
  user: { id: users.id, email: users.email },
};

export async function listTokens(ctx: ServiceContext, query: z.infer<typeof listTokensQuery>): Promise<Page<ApiTokenRow>> {
  const where = and(eq(apiTokens.organizationId, ctx.organization.id), query.q ? ilike(apiTokens.name, likePattern(query.q)) : undefined);
  const data = await ctx.db
    .select(tokenColumns)
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(where)
    .orderBy(
      ...orderBy(
        query.sort,
        { name: apiTokens.name, role: apiTokens.role, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, expiresAt: apiTokens.expiresAt },
        apiTokens.id,
      ),
    )
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(apiTokens).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total: Number(total) } };
}

export const createTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  role: roleSchema.optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

/** Issues a token acting as the current user with at most the current user's role; the plaintext is shown once. */
export async function createToken(ctx: ServiceContext, input: z.infer<typeof createTokenInput>): Promise<ApiTokenRow & { token: string }> {
  if (!ctx.actor.userId) throw forbidden('Only a user can own an API token.');
  const role = input.role ?? ctx.role;
  if (!roleAtLeast(ctx.role, role)) throw forbidden(`A token cannot have more rights than you (${ctx.role}).`);
  const token = randomToken('rot_');
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .insert(apiTokens)
    .values({
      organizationId: ctx.organization.id,
      userId: ctx.actor.userId,
      name: input.name,
      role,
      tokenPrefix: token.slice(0, 10),
      tokenHash: sha256Hex(token),
      expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
      createdAt: now,
    })
    .returning({ id: apiTokens.id });
  const created = await getToken(ctx, row.id);
  await recordAudit(ctx, { action: 'api_token.created', entityType: 'api_token', entityId: row.id, after: created });
  return { ...created, token };
}

export async function getToken(ctx: ServiceContext, id: string): Promise<ApiTokenRow> {
  const [row] = await ctx.db
    .select(tokenColumns)
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.organizationId, ctx.organization.id), eq(apiTokens.id, id)));
  if (!row) throw notFound('API token', id);
  return row;
}

export async function revokeToken(ctx: ServiceContext, id: string): Promise<void> {
  const before = await getToken(ctx, id);
  if (before.revokedAt) return;
  await ctx.db
    .update(apiTokens)
    .set({ revokedAt: ctx.clock.now() })
    .where(and(eq(apiTokens.organizationId, ctx.organization.id), eq(apiTokens.id, id)));
  await recordAudit(ctx, { action: 'api_token.revoked', entityType: 'api_token', entityId: id, before, after: await getToken(ctx, id) });
}
