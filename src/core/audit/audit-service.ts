import { and, count, eq, gte, ilike, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../context.js';
import { auditLog } from '../db/schema.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../db/list-query.js';

export const listAuditQuery = listQuerySchema(['at', 'action', 'entityType'], '-at', {
  action: z.string().optional(),
  entityType: z.string().optional(),
  entityId: z.string().optional(),
  actorId: z.string().optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

export interface AuditRow {
  id: number;
  at: Date;
  actor: { type: string; id: string | null; label: string | null };
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
}

export async function listAuditLog(ctx: ServiceContext, query: z.infer<typeof listAuditQuery>): Promise<Page<AuditRow>> {
  const where = and(
    eq(auditLog.organizationId, ctx.organization.id),
    query.action ? eq(auditLog.action, query.action) : undefined,
    query.entityType ? eq(auditLog.entityType, query.entityType) : undefined,
    query.entityId ? eq(auditLog.entityId, query.entityId) : undefined,
    query.actorId ? eq(auditLog.actorId, query.actorId) : undefined,
    query.from ? gte(auditLog.at, query.from) : undefined,
    query.to ? lt(auditLog.at, query.to) : undefined,
    query.q
      ? or(ilike(auditLog.action, likePattern(query.q)), ilike(auditLog.actorLabel, likePattern(query.q)), ilike(auditLog.entityId, likePattern(query.q)))
      : undefined,
  );
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(...orderBy(query.sort, { at: auditLog.at, action: auditLog.action, entityType: auditLog.entityType }, auditLog.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(auditLog).where(where);
  return {
    data: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      before: r.before,
      after: r.after,
      ip: r.ip,
      requestId: r.requestId,
    })),
    page: { limit: query.limit, offset: query.offset, total: Number(total) },
  };
}
