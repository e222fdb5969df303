import { and, eq, gte, inArray, isNull, lt, lte } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { actionItems, users } from '../schema.js';
import { writeNotifications, type NewNotification } from './notifications-service.js';
import { localDate } from './time.js';

const orgToday = (ctx: ServiceContext) => localDate(ctx.clock.now(), ctx.organization.timezone);

/**
 * The seed's overdue rule for items nobody touches: open items (PENDING / IN_PROGRESS, not completed) whose due date
 * is before today in the organization's local date become OVERDUE. The UPDATE also fires the seed's trigger. Then the
 * agent and their team leader hear about every item that turned overdue (once per item and due date).
 */
export async function markOverdueActionItems(ctx: ServiceContext): Promise<{ date: string; markedOverdue: number; notificationsWritten: number }> {
  const today = orgToday(ctx);
  const marked = await ctx.db
    .update(actionItems)
    .set({ status: 'OVERDUE' })
    .where(
      and(
        eq(actionItems.organizationId, ctx.organization.id),
        inArray(actionItems.status, ['PENDING', 'IN_PROGRESS']),
        isNull(actionItems.completedDate),
        lt(actionItems.dueDate, today),
      ),
    )
    .returning({ id: actionItems.id });
  const notificationsWritten = await notifyOverdueActionItems(ctx);
  return { date: today, markedOverdue: marked.length, notificationsWritten };
}

/** ACTION_ITEM_OVERDUE to the agent and their team leader (else whoever assigned it) for every overdue item; deduplicated. */
export async function notifyOverdueActionItems(ctx: ServiceContext): Promise<number> {
  const rows = await ctx.db
    .select({ item: actionItems, teamLeaderId: users.teamLeaderId, agentName: users.name })
    .from(actionItems)
    .innerJoin(users, eq(users.id, actionItems.agentId))
    .where(and(eq(actionItems.organizationId, ctx.organization.id), eq(actionItems.status, 'OVERDUE')));
  const notes: NewNotification[] = [];
  for (const { item, teamLeaderId, agentName } of rows) {
    const leader = teamLeaderId ?? item.assignedBy;
    notes.push({
      recipientId: item.agentId,
      kind: 'ACTION_ITEM_OVERDUE',
      title: `Overdue: ${item.title}`,
      body: `This action item was due ${item.dueDate} and is ${item.progressPercentage} % done. Update its progress or blockers, or talk to your team leader about a new date.`,
      subjectType: 'action_item',
      subjectId: item.id,
      dedupKey: `action-item-overdue:${item.id}:${item.dueDate}:${item.agentId}`,
    });
    if (leader && leader !== item.agentId) {
      notes.push({
        recipientId: leader,
        kind: 'ACTION_ITEM_OVERDUE',
        title: `${agentName}'s action item is overdue: ${item.title}`,
        body: `Due ${item.dueDate}, ${item.progressPercentage} % done${item.blockers ? `; blocker: ${item.blockers}` : ''}. Agree a new date or close it.`,
        subjectType: 'action_item',
        subjectId: item.id,
        dedupKey: `action-item-overdue:${item.id}:${item.dueDate}:${leader}`,
      });
    }
  }
  return writeNotifications(ctx, notes);
}

/**
 * ACTION_ITEM_REMINDER to the agent for open items whose reminder date has come (today, or earlier when a run was
 * missed) and that are not yet due-passed; once per item and reminder date. Overdue notices go out in the same run.
 */
export async function sendActionItemReminders(ctx: ServiceContext): Promise<{ date: string; reminders: number; overdueNotices: number }> {
  const today = orgToday(ctx);
  const due = await ctx.db
    .select()
    .from(actionItems)
    .where(
      and(
        eq(actionItems.organizationId, ctx.organization.id),
        inArray(actionItems.status, ['PENDING', 'IN_PROGRESS']),
        lte(actionItems.reminderDate, today),
        gte(actionItems.dueDate, today),
      ),
    );
  const reminders = await writeNotifications(
    ctx,
    due.map((item) => ({
      recipientId: item.agentId,
      kind: 'ACTION_ITEM_REMINDER' as const,
      title: `Reminder: ${item.title} is due ${item.dueDate === today ? 'today' : item.dueDate}`,
      body: `${item.description}\nProgress so far: ${item.progressPercentage} %.`,
      subjectType: 'action_item',
      subjectId: item.id,
      dedupKey: `action-item-reminder:${item.id}:${item.reminderDate}`,
    })),
  );
  const overdueNotices = await notifyOverdueActionItems(ctx);
  return { date: today, reminders, overdueNotices };
}
