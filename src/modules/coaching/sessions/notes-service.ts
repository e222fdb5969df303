import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { notFound } from '../../../core/errors.js';
import { coachingSessions, quickNotes } from '../schema.js';
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
import { createNoteInput, listNotesQuery, updateNoteInput, type CreateNoteInput, type NoteView, type UpdateNoteInput } from './schemas.js';
import { forbidden } from '../../../core/errors.js';

export type NoteRow = typeof quickNotes.$inferSelect;

/**
 * Quick notes are the team leader's working notes about an agent. The agent sees only the POSITIVE notes about
 * themself (recognition is meant to be shared); coaching, urgent, compliance and general notes stay with the leaders
 * until they are discussed in a session (the session record is what the agent sees).
 */
export const noteTypesAgentsSee = ['POSITIVE'] as const;

function toNoteView(row: NoteRow, people: Map<string, Person>): NoteView {
  return {
    id: row.id,
    agentId: row.agentId,
    agentName: people.get(row.agentId)?.name ?? 'unknown',
    teamLeaderId: row.teamLeaderId,
    teamLeaderName: people.get(row.teamLeaderId)?.name ?? 'unknown',
    noteType: row.noteType,
    category: row.category,
    subcategory: row.subcategory,
    content: row.content,
    callId: row.callId,
    customerId: row.customerId,
    timestampOccurred: row.timestampOccurred,
    priority: row.priority,
    requiresFollowUp: row.requiresFollowUp,
    linkedSessionId: row.linkedSessionId,
    addressed: row.addressed,
    addressedDate: row.addressedDate,
    addressedNotes: row.addressedNotes,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function viewsOf(ctx: ServiceContext, rows: NoteRow[]): Promise<NoteView[]> {
  const people = await peopleById(
    ctx,
    rows.flatMap((r) => [r.agentId, r.teamLeaderId]),
  );
  return rows.map((r) => toNoteView(r, people));
}

/** Notes the viewer may read: in their branch, and for an agent only the positive ones about themself. */
function visibleNoteCondition(ctx: ServiceContext, viewer: CoachingViewer): SQL {
  const inBranch = visiblePeopleCondition(ctx, viewer, quickNotes.agentId);
  if (viewer.role !== 'AGENT' || viewer.seesEverything) return inBranch;
  return and(inBranch, sql`${quickNotes.noteType} IN ('POSITIVE')`)!;
}

/** Fast capture by the agent's team leader, a manager above or an admin. */
export async function createNote(ctx: ServiceContext, input: CreateNoteInput): Promise<NoteView> {
  const data = createNoteInput.parse(input);
  const viewer = await resolveCoachingViewer(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const agent = await loadManagedPerson(tx, viewer, data.agentId, 'write quick notes');
    // The note belongs to the leader who wrote it; a manager's or admin's note files under the agent's team leader when they have none of their own team.
    const author = viewer.personId && viewer.role === 'TEAM_LEADER' ? viewer.personId : (agent.teamLeaderId ?? viewer.personId);
    if (!author) throw coachingError('NO_TEAM_LEADER', `${agent.name} has no team leader to file the note under; sign in as a person.`, { status: 400 });
    const [note] = await tx.db
      .insert(quickNotes)
      .values({
        organizationId: ctx.organization.id,
        teamLeaderId: author,
        agentId: agent.id,
        noteType: data.noteType,
        category: data.category ?? null,
        subcategory: data.subcategory ?? null,
        content: data.content,
        callId: data.callId ?? null,
        customerId: data.customerId ?? null,
        timestampOccurred: data.occurredAt ? new Date(data.occurredAt) : ctx.clock.now(),
        priority: data.priority,
        requiresFollowUp: data.requiresFollowUp,
      })
      .returning();
    return note;
  });
  return (await viewsOf(ctx, [row]))[0];
}

export async function listNotes(ctx: ServiceContext, query: z.input<typeof listNotesQuery>): Promise<{ items: NoteView[] }> {
  const q = listNotesQuery.parse(query);
  const viewer = await resolveCoachingViewer(ctx);
  if (q.agentId) await loadVisiblePerson(ctx, viewer, q.agentId);
  const conditions: SQL[] = [eq(quickNotes.organizationId, ctx.organization.id), visibleNoteCondition(ctx, viewer)];
  if (q.agentId) conditions.push(eq(quickNotes.agentId, q.agentId));
  if (q.addressed) conditions.push(eq(quickNotes.addressed, q.addressed === 'true'));
  if (q.type) conditions.push(eq(quickNotes.noteType, q.type));
  if (q.priority) conditions.push(eq(quickNotes.priority, q.priority));
  if (q.sessionId) conditions.push(eq(quickNotes.linkedSessionId, q.sessionId));
  const rows = await ctx.db
    .select()
    .from(quickNotes)
    .where(and(...conditions))
    .orderBy(desc(quickNotes.timestampOccurred), desc(quickNotes.id))
    .limit(q.limit);
  return { items: await viewsOf(ctx, rows) };
}

async function loadVisibleNote(ctx: ServiceContext, viewer: CoachingViewer, id: string): Promise<NoteRow> {
  const [row] = await ctx.db
    .select()
    .from(quickNotes)
    .where(and(eq(quickNotes.organizationId, ctx.organization.id), eq(quickNotes.id, id), visibleNoteCondition(ctx, viewer)));
  if (!row) throw notFound('Quick note', id);
  return row;
}

/** Marks a note addressed (with what was said, and the session it was discussed in), or corrects it. */
export async function updateNote(ctx: ServiceContext, id: string, input: UpdateNoteInput): Promise<NoteView> {
  const data = updateNoteInput.parse(input);
  const viewer = await resolveCoachingViewer(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const note = await loadVisibleNote(tx, viewer, id);
    const agent = await loadPerson(tx, note.agentId);
    if (!canManagePerson(viewer, agent)) {
      throw forbidden(`As ${describeRole(viewer.role)} you cannot change notes about ${agent.name}; their team leader, manager or an admin can.`);
    }
    if (data.linkedSessionId) {
      const [session] = await tx.db
        .select({ agentId: coachingSessions.agentId })
        .from(coachingSessions)
        .where(and(eq(coachingSessions.organizationId, ctx.organization.id), eq(coachingSessions.id, data.linkedSessionId)));
      if (!session) throw notFound('Coaching session', data.linkedSessionId);
      if (session.agentId !== note.agentId) {
        throw coachingError('SESSION_OTHER_AGENT', `That session is with someone else, not ${agent.name}; link the note to one of ${agent.name}'s sessions.`, {
          status: 400,
        });
      }
    }
    const patch: Partial<typeof quickNotes.$inferInsert> = {};
    for (const key of ['addressedNotes', 'linkedSessionId', 'content', 'category', 'subcategory', 'priority', 'noteType', 'requiresFollowUp'] as const) {
      if (data[key] !== undefined) (patch as Record<string, unknown>)[key] = data[key];
    }
    if (data.addressed !== undefined && data.addressed !== note.addressed) {
      patch.addressed = data.addressed;
      patch.addressedDate = data.addressed ? ctx.clock.now() : null;
    }
    if (Object.keys(patch).length === 0) return note;
    const [updated] = await tx.db.update(quickNotes).set(patch).where(eq(quickNotes.id, note.id)).returning();
    return updated;
  });
  return (await viewsOf(ctx, [row]))[0];
}
