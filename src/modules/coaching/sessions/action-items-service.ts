import { and, asc, eq, gt, inArray, lt, lte, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { forbidden, notFound, validationFailed } from '../../../core/errors.js';
import { actionItems, coachingSessions, type ActionItemStatus } from '../schema.js';
import {
  canManagePerson,
  describeRole,
  loadManagedPerson,
  loadVisiblePerson,
  resolveCoachingViewer,
  visiblePeopleCondition,
  type CoachingViewer,
  type Person,
} from '../shared/access.js';
import { coachingError } from '../shared/errors.js';
import { loadPerson, peopleById } from './people.js';
import {
  createActionItemInput,
  listActionItemsQuery,
  updateActionItemInput,
  verifyActionItemInput,
  type ActionItemView,
  type CreateActionItemInput,
  type UpdateActionItemInput,
  newActionItemFields,
} from './schemas.js';
import { addDays, localDate } from './time.js';

export type ActionItemRow = typeof actionItems.$inferSelect;
export const openActionItemStatuses: ActionItemStatus[] = ['PENDING', 'IN_PROGRESS', 'OVERDUE'];

export function toActionItemView(row: ActionItemRow, people: Map<string, Person>, today: string): ActionItemView {
  return {
    id: row.id,
    sessionId: row.sessionId,
    agentId: row.agentId,
    agentName: people.get(row.agentId)?.name ?? 'unknown',
    assignedBy: row.assignedBy,
    assignedByName: people.get(row.assignedBy)?.name ?? 'unknown',
    title: row.title,
    description: row.description,
    category: row.category,
    dueDate: row.dueDate,
    reminderDate: row.reminderDate,
    completedDate: row.completedDate,
    priority: row.priority,
    status: row.status,
    progressPercentage: row.progressPercentage,
    progressNotes: row.progressNotes,
    blockers: row.blockers,
    completionNotes: row.completionNotes,
    verifiedBy: row.verifiedBy,
    verificationDate: row.verificationDate,
    overdue: row.status === 'OVERDUE' || ((row.status === 'PENDING' || row.status === 'IN_PROGRESS') && row.dueDate < today),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const orgToday = (ctx: ServiceContext) => localDate(ctx.clock.now(), ctx.organization.timezone);

function checkDates(dueDate: string, reminderDate: string | null | undefined): void {
  if (reminderDate && reminderDate > dueDate) {
    throw validationFailed(`The reminder (${reminderDate}) comes after the due date (${dueDate}); set it on or before the due date.`, [
      { path: 'reminderDate', message: 'after the due date' },
    ]);
  }
}

/** Inserts one action item (the caller checked access). The seed's trigger marks it OVERDUE when already past due. */
export async function insertActionItem(
  ctx: ServiceContext,
  item: { agentId: string; assignedBy: string; sessionId: string | null; fields: z.input<typeof newActionItemFields> },
): Promise<ActionItemRow> {
  const f = newActionItemFields.parse(item.fields);
  checkDates(f.dueDate, f.reminderDate);
  const [row] = await ctx.db
    .insert(actionItems)
    .values({
      organizationId: ctx.organization.id,
      agentId: item.agentId,
      assignedBy: item.assignedBy,
      sessionId: item.sessionId,
      title: f.title,
      description: f.description,
      category: f.category ?? null,
      dueDate: f.dueDate,
      reminderDate: f.reminderDate ?? null,
      priority: f.priority,
    })
    .returning();
  return row;
}

async function viewsOf(ctx: ServiceContext, rows: ActionItemRow[]): Promise<ActionItemView[]> {
  const people = await peopleById(
    ctx,
    rows.flatMap((r) => [r.agentId, r.assignedBy]),
  );
  const today = orgToday(ctx);
  return rows.map((r) => toActionItemView(r, people, today));
}

export async function createActionItem(ctx: ServiceContext, input: CreateActionItemInput): Promise<ActionItemView> {
  const data = createActionItemInput.parse(input);
  const viewer = await resolveCoachingViewer(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const agent = await loadManagedPerson(tx, viewer, data.agentId, 'assign action items');
    if (data.sessionId) {
      const [session] = await tx.db
        .select({ agentId: coachingSessions.agentId })
        .from(coachingSessions)
        .where(and(eq(coachingSessions.organizationId, ctx.organization.id), eq(coachingSessions.id, data.sessionId)));
      if (!session) throw notFound('Coaching session', data.sessionId);
      if (session.agentId !== agent.id) {
        throw coachingError('SESSION_OTHER_AGENT', `That session is with someone else, not ${agent.name}; link the item to one of ${agent.name}'s sessions.`, {
          status: 400,
        });
      }
    }
    const assignedBy = viewer.personId ?? agent.teamLeaderId;
    if (!assignedBy)
      throw coachingError('NO_TEAM_LEADER', `${agent.name} has no team leader to assign the item on behalf of; sign in as a person.`, { status: 400 });
    return insertActionItem(tx, { agentId: agent.id, assignedBy, sessionId: data.sessionId ?? null, fields: data });
  });
  return (await viewsOf(ctx, [row]))[0];
}

export async function listActionItems(ctx: ServiceContext, query: z.input<typeof listActionItemsQuery>): Promise<{ items: ActionItemView[] }> {
  const q = listActionItemsQuery.parse(query);
  const viewer = await resolveCoachingViewer(ctx);
  if (q.agentId) await loadVisiblePerson(ctx, viewer, q.agentId);
  const today = orgToday(ctx);
  const conditions: SQL[] = [eq(actionItems.organizationId, ctx.organization.id), visiblePeopleCondition(ctx, viewer, actionItems.agentId)];
  if (q.agentId) conditions.push(eq(actionItems.agentId, q.agentId));
  if (q.status) conditions.push(eq(actionItems.status, q.status));
  if (q.sessionId) conditions.push(eq(actionItems.sessionId, q.sessionId));
  const open = inArray(actionItems.status, openActionItemStatuses);
  if (q.due === 'overdue') conditions.push(or(eq(actionItems.status, 'OVERDUE'), and(open, lt(actionItems.dueDate, today)))!);
  if (q.due === 'today') conditions.push(and(open, eq(actionItems.dueDate, today))!);
  if (q.due === 'week') conditions.push(and(open, gt(actionItems.dueDate, addDays(today, -1)), lte(actionItems.dueDate, addDays(today, 7)))!);
  const rows = await ctx.db
    .select()
    .from(actionItems)
    .where(and(...conditions))
    .orderBy(asc(actionItems.dueDate), asc(actionItems.id))
    .limit(q.limit);
  return { items: await viewsOf(ctx, rows) };
}

async function loadVisibleItem(ctx: ServiceContext, viewer: CoachingViewer, id: string): Promise<ActionItemRow> {
  const [row] = await ctx.db
    .select()
    .from(actionItems)
    .where(and(eq(actionItems.organizationId, ctx.organization.id), eq(actionItems.id, id), visiblePeopleCondition(ctx, viewer, actionItems.agentId)));
  if (!row) throw notFound('Action item', id);
  return row;
}

export async function getActionItem(ctx: ServiceContext, id: string): Promise<ActionItemView> {
  const viewer = await resolveCoachingViewer(ctx);
  return (await viewsOf(ctx, [await loadVisibleItem(ctx, viewer, id)]))[0];
}

const agentFields = ['status', 'progressPercentage', 'progressNotes', 'blockers', 'completionNotes'] as const;

/**
 * Progress and edits. The agent may update progress, blockers and completion of their own items (status IN_PROGRESS or
 * COMPLETED only); their team leader, a manager above or an admin may change everything, cancel and reopen.
 */
export async function updateActionItem(ctx: ServiceContext, id: string, input: UpdateActionItemInput): Promise<ActionItemView> {
  const data = updateActionItemInput.parse(input);
  const viewer = await resolveCoachingViewer(ctx);
  const now = ctx.clock.now();
  const today = orgToday(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const item = await loadVisibleItem(tx, viewer, id);
    const agent = await loadPerson(tx, item.agentId);
    const isOwnAgent = viewer.personId === item.agentId;
    const manages = canManagePerson(viewer, agent);
    if (!manages) {
      if (!isOwnAgent)
        throw forbidden(`As ${describeRole(viewer.role)} you cannot change ${agent.name}'s action items; their team leader, manager or an admin can.`);
      const extra = Object.keys(data).filter((k) => !(agentFields as readonly string[]).includes(k));
      if (extra.length)
        throw forbidden(`You can update progress, blockers and completion of your own action items; ${extra.join(', ')} are for your team leader.`);
      if (data.status && !['IN_PROGRESS', 'COMPLETED'].includes(data.status)) {
        throw forbidden(`You can mark your action item in progress or completed; ${data.status.toLowerCase()} is for your team leader.`);
      }
    }
    const patch: Partial<typeof actionItems.$inferInsert> = {};
    for (const key of [...agentFields, 'title', 'description', 'category', 'dueDate', 'reminderDate', 'priority'] as const) {
      if (data[key] !== undefined) (patch as Record<string, unknown>)[key] = data[key];
    }
    checkDates(data.dueDate ?? item.dueDate, data.reminderDate !== undefined ? data.reminderDate : item.reminderDate);
    const closed = item.status === 'COMPLETED' || item.status === 'CANCELLED';
    let status: ActionItemStatus = data.status ?? item.status;
    if (closed && data.status === undefined && Object.keys(patch).some((k) => k !== 'completionNotes' && k !== 'progressNotes')) {
      throw coachingError('ACTION_ITEM_CLOSED', `This action item is ${item.status.toLowerCase()}; reopen it (status IN_PROGRESS) before changing it.`, {
        status: 409,
      });
    }
    if (closed && data.status && data.status !== item.status && !manages) {
      throw forbidden(`This action item is ${item.status.toLowerCase()}; your team leader can reopen it.`);
    }
    if (data.status === 'OVERDUE') {
      throw validationFailed('OVERDUE is set automatically when an open item passes its due date.', [{ path: 'status', message: 'set automatically' }]);
    }
    // Progress on a pending item means it started.
    if (data.status === undefined && item.status === 'PENDING' && (data.progressPercentage ?? 0) > 0) status = 'IN_PROGRESS';
    if (status === 'COMPLETED') {
      if (item.status !== 'COMPLETED') {
        patch.completedDate = now;
        patch.progressPercentage = 100;
      }
    } else if (item.status === 'COMPLETED') {
      patch.completedDate = null;
      patch.verifiedBy = null;
      patch.verificationDate = null;
    }
    // A later due date lifts OVERDUE (the seed's trigger puts it back if the date is still past).
    const due = data.dueDate ?? item.dueDate;
    if (status === 'OVERDUE' && due >= today) {
      status = (data.progressPercentage ?? item.progressPercentage) > 0 ? 'IN_PROGRESS' : 'PENDING';
    }
    if ((status === 'PENDING' || status === 'IN_PROGRESS') && due < today) status = 'OVERDUE';
    patch.status = status;
    const [updated] = await tx.db.update(actionItems).set(patch).where(eq(actionItems.id, item.id)).returning();
    return updated;
  });
  return (await viewsOf(ctx, [row]))[0];
}

/** The team leader (or a manager above, or an admin) confirms a completed item. */
export async function verifyActionItem(ctx: ServiceContext, id: string, input: z.input<typeof verifyActionItemInput> = {}): Promise<ActionItemView> {
  const data = verifyActionItemInput.parse(input);
  const viewer = await resolveCoachingViewer(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const item = await loadVisibleItem(tx, viewer, id);
    await loadManagedPerson(tx, viewer, item.agentId, 'verify action items');
    if (item.status !== 'COMPLETED') {
      throw coachingError('ACTION_ITEM_NOT_COMPLETED', `This action item is ${item.status.toLowerCase()}; it can be verified once it is completed.`, {
        status: 409,
      });
    }
    const [updated] = await tx.db
      .update(actionItems)
      .set({
        verifiedBy: viewer.personId,
        verificationDate: ctx.clock.now(),
        completionNotes: data.notes ? [item.completionNotes, `Verified: ${data.notes}`].filter(Boolean).join('\n') : item.completionNotes,
      })
      .where(eq(actionItems.id, item.id))
      .returning();
    return updated;
  });
  return (await viewsOf(ctx, [row]))[0];
}
