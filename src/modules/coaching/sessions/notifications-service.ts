import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { notFound } from '../../../core/errors.js';
import { notifications } from '../schema.js';
import { resolveCoachingViewer } from '../shared/access.js';

export type NotificationRow = typeof notifications.$inferSelect;

const viewOf = (r: NotificationRow) => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  subjectType: r.subjectType,
  subjectId: r.subjectId,
  readAt: r.readAt,
  createdAt: r.createdAt,
});

/** The viewer's own inbox, unread first, newest first. A viewer without a person (org admin, system) has none. */
export async function listMyNotifications(ctx: ServiceContext, query: { unreadOnly?: boolean; limit?: number } = {}) {
  const viewer = await resolveCoachingViewer(ctx);
  if (!viewer.personId) return { items: [], unread: 0 };
  const mine = and(eq(notifications.organizationId, ctx.organization.id), eq(notifications.recipientId, viewer.personId));
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(query.unreadOnly ? and(mine, isNull(notifications.readAt)) : mine)
    .orderBy(sql`${notifications.readAt} IS NOT NULL`, desc(notifications.createdAt), asc(notifications.id))
    .limit(query.limit ?? 100);
  const [{ unread }] = await ctx.db
    .select({ unread: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(mine, isNull(notifications.readAt)));
  return { items: rows.map(viewOf), unread };
}

/** Marks one of the viewer's own notifications read; anyone else's answers 404. */
export async function markNotificationRead(ctx: ServiceContext, id: string) {
  const viewer = await resolveCoachingViewer(ctx);
  const [row] = viewer.personId
    ? await ctx.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.organizationId, ctx.organization.id), eq(notifications.id, id), eq(notifications.recipientId, viewer.personId)))
    : [];
  if (!row) throw notFound('Notification', id);
  if (row.readAt) return viewOf(row);
  const [updated] = await ctx.db.update(notifications).set({ readAt: ctx.clock.now() }).where(eq(notifications.id, row.id)).returning();
  return viewOf(updated);
}

export interface NewNotification {
  recipientId: string;
  kind: NotificationRow['kind'];
  title: string;
  body?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  dedupKey: string;
}

/** Writes notifications once per dedup key (ON CONFLICT DO NOTHING); returns how many were new. */
export async function writeNotifications(ctx: ServiceContext, items: NewNotification[]): Promise<number> {
  if (items.length === 0) return 0;
  const inserted = await ctx.db
    .insert(notifications)
    .values(
      items.map((n) => ({
        organizationId: ctx.organization.id,
        recipientId: n.recipientId,
        kind: n.kind,
        title: n.title.slice(0, 255),
        body: n.body ?? null,
        subjectType: n.subjectType ?? null,
        subjectId: n.subjectId ?? null,
        dedupKey: n.dedupKey,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  return inserted.length;
}
