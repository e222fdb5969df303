import { and, asc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { forbidden, notFound, validationFailed } from '../../../core/errors.js';
import type { AiProvider } from '../../../core/ai/index.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { startEffectivenessTracking } from '../effectiveness/effectiveness-service.js';
import { agentProfiles, coachingSessions, quickNotes, type SessionStatus, type SessionType } from '../schema.js';
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
import { insertActionItem, toActionItemView } from './action-items-service.js';
import { loadPerson, nameOf, peopleById, viewerTimeZone } from './people.js';
import { agentPrepView, prepareSession } from './prep-service.js';
import type { ActionItemView, CompleteSessionInput, ScheduleSessionInput, SessionView, UpdateSessionInput } from './schemas.js';
import { completeSessionInput, listSessionsQuery, scheduleSessionInput, updateSessionInput, availabilityQuery } from './schemas.js';
import { addDays, describeLocal, isValidTimeZone, localDate, localParts, parseStart, toLocalTime, zonedInstant } from './time.js';
import type { z } from 'zod';

export type SessionRow = typeof coachingSessions.$inferSelect;
const openStatuses: SessionStatus[] = ['SCHEDULED', 'IN_PROGRESS'];
const minute = 60_000;

export function toSessionView(row: SessionRow, people: Map<string, Person>, viewer: CoachingViewer): SessionView {
  const agent = people.get(row.agentId);
  const leader = people.get(row.teamLeaderId);
  const viewerIsAgent = viewer.personId !== null && viewer.personId === row.agentId;
  return {
    id: row.id,
    agentId: row.agentId,
    agentName: agent?.name ?? 'unknown',
    teamLeaderId: row.teamLeaderId,
    teamLeaderName: leader?.name ?? 'unknown',
    scheduledDate: row.scheduledDate,
    plannedMinutes: row.plannedMinutes,
    endsAt: new Date(row.scheduledDate.getTime() + row.plannedMinutes * minute),
    times: {
      agent: toLocalTime(row.scheduledDate, agent?.timezone ?? 'UTC'),
      teamLeader: toLocalTime(row.scheduledDate, leader?.timezone ?? 'UTC'),
    },
    actualStartTime: row.actualStartTime,
    actualEndTime: row.actualEndTime,
    durationMinutes: row.durationMinutes,
    sessionType: row.sessionType,
    status: row.status,
    prepData: row.prepData ? (viewerIsAgent ? agentPrepView(row.prepData) : row.prepData) : null,
    topicsCovered: row.topicsCovered,
    discussionNotes: row.discussionNotes,
    agentCommitments: row.agentCommitments,
    resourcesShared: row.resourcesShared,
    engagementScore: row.engagementScore,
    receptivenessScore: row.receptivenessScore,
    understandingScore: row.understandingScore,
    overallEffectiveness: row.overallEffectiveness,
    keyAchievements: row.keyAchievements,
    areasOfConcern: row.areasOfConcern,
    followUpRequired: row.followUpRequired,
    followUpDate: row.followUpDate,
    followUpTopics: row.followUpTopics,
    cancelledReason: row.cancelledReason,
    noShowReason: row.noShowReason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function viewsOf(ctx: ServiceContext, viewer: CoachingViewer, rows: SessionRow[]): Promise<SessionView[]> {
  const people = await peopleById(
    ctx,
    rows.flatMap((r) => [r.agentId, r.teamLeaderId]),
  );
  return rows.map((r) => toSessionView(r, people, viewer));
}

/** Sessions the viewer may see: about someone in their branch, or run by them. */
function visibleSessionCondition(ctx: ServiceContext, viewer: CoachingViewer): SQL {
  const byAgent = visiblePeopleCondition(ctx, viewer, coachingSessions.agentId);
  return viewer.personId ? or(byAgent, eq(coachingSessions.teamLeaderId, viewer.personId))! : byAgent;
}

export async function loadVisibleSession(ctx: ServiceContext, viewer: CoachingViewer, id: string): Promise<SessionRow> {
  const [row] = await ctx.db
    .select()
    .from(coachingSessions)
    .where(and(eq(coachingSessions.organizationId, ctx.organization.id), eq(coachingSessions.id, id), visibleSessionCondition(ctx, viewer)));
  if (!row) throw notFound('Coaching session', id);
  return row;
}

/** A session the viewer runs: its team leader, or someone who manages its agent (manager above, admin). 403 otherwise. */
export async function loadRunnableSession(
  ctx: ServiceContext,
  viewer: CoachingViewer,
  id: string,
  action: string,
): Promise<{ row: SessionRow; agent: Person }> {
  const row = await loadVisibleSession(ctx, viewer, id);
  const agent = await loadPerson(ctx, row.agentId);
  if (viewer.personId !== row.teamLeaderId && !canManagePerson(viewer, agent)) {
    throw forbidden(`As ${describeRole(viewer.role)} you cannot ${action} for ${agent.name}; their team leader, manager or an admin can.`);
  }
  return { row, agent };
}

export async function listSessions(
  ctx: ServiceContext,
  query: z.input<typeof listSessionsQuery>,
): Promise<{ items: (Omit<SessionView, 'prepData'> & { hasPrep: boolean })[] }> {
  const q = listSessionsQuery.parse(query);
  const viewer = await resolveCoachingViewer(ctx);
  if (q.agentId) await loadVisiblePerson(ctx, viewer, q.agentId);
  if (q.teamLeaderId) await loadVisiblePerson(ctx, viewer, q.teamLeaderId);
  const tz = await viewerTimeZone(ctx, viewer);
  const conditions: SQL[] = [eq(coachingSessions.organizationId, ctx.organization.id), visibleSessionCondition(ctx, viewer)];
  if (q.agentId) conditions.push(eq(coachingSessions.agentId, q.agentId));
  if (q.teamLeaderId) conditions.push(eq(coachingSessions.teamLeaderId, q.teamLeaderId));
  if (q.status) conditions.push(eq(coachingSessions.status, q.status));
  if (q.from) conditions.push(gte(coachingSessions.scheduledDate, zonedInstant(q.from, '00:00', tz)));
  if (q.to) conditions.push(lt(coachingSessions.scheduledDate, zonedInstant(addDays(q.to, 1), '00:00', tz)));
  const rows = await ctx.db
    .select()
    .from(coachingSessions)
    .where(and(...conditions))
    .orderBy(asc(coachingSessions.scheduledDate), asc(coachingSessions.id))
    .limit(q.limit);
  const views = await viewsOf(ctx, viewer, rows);
  return {
    items: views.map(({ prepData, ...rest }) => ({ ...rest, hasPrep: prepData !== null })),
  };
}

export async function getSession(ctx: ServiceContext, id: string): Promise<SessionView> {
  const viewer = await resolveCoachingViewer(ctx);
  const row = await loadVisibleSession(ctx, viewer, id);
  return (await viewsOf(ctx, viewer, [row]))[0];
}

/** Who runs a new session: the given person (a team leader or manager the viewer may see), else the agent's team leader, else the viewer. */
async function resolveSessionLeader(ctx: ServiceContext, viewer: CoachingViewer, agent: Person, teamLeaderId: string | undefined): Promise<Person> {
  const id = teamLeaderId ?? agent.teamLeaderId ?? viewer.personId;
  if (!id) {
    throw coachingError('NO_TEAM_LEADER', `${agent.name} has no team leader; name who runs the session (teamLeaderId).`, { status: 400 });
  }
  const leader = id === viewer.personId ? await loadPerson(ctx, id) : await loadVisiblePerson(ctx, viewer, id);
  if (leader.role === 'AGENT') {
    throw coachingError('NOT_A_LEADER', `${leader.name} is an agent; a team leader, manager or admin runs a coaching session.`, { status: 400 });
  }
  if (leader.id === agent.id) throw coachingError('SELF_SESSION', 'A person cannot coach themself.', { status: 400 });
  if (teamLeaderId && teamLeaderId !== agent.teamLeaderId && teamLeaderId !== viewer.personId && !viewer.seesEverything && viewer.role !== 'MANAGER') {
    throw forbidden(`As ${describeRole(viewer.role)} you can schedule sessions that you run or that ${agent.name}'s team leader runs.`);
  }
  return leader;
}

function resolveStart(start: string, timezone: string | undefined, defaultZone: string): { instant: Date; zone: string } {
  const zone = timezone ?? defaultZone;
  if (!isValidTimeZone(zone)) {
    throw validationFailed(`"${zone}" is not a time zone; use an IANA name such as Europe/Berlin.`, [{ path: 'timezone', message: 'unknown time zone' }]);
  }
  const instant = parseStart(start, zone);
  if (!instant) {
    throw validationFailed(`"${start}" is not a start time; send 2026-03-05T10:00 (local, with timezone) or an ISO instant such as 2026-03-05T15:00:00Z.`, [
      { path: 'start', message: 'not a date-time' },
    ]);
  }
  return { instant, zone };
}

async function defaultPlannedMinutes(ctx: ServiceContext, agentId: string): Promise<number> {
  const [profile] = await ctx.db
    .select({ minutes: agentProfiles.preferredSessionLength })
    .from(agentProfiles)
    .where(and(eq(agentProfiles.organizationId, ctx.organization.id), eq(agentProfiles.agentId, agentId)));
  const minutes = profile?.minutes ?? null;
  return minutes && minutes >= 5 && minutes <= 480 ? minutes : 30;
}

interface ClashRow {
  id: string;
  agent_id: string;
  team_leader_id: string;
  scheduled_date: Date | string;
  planned_minutes: number;
  session_type: string;
}

/** Open sessions (scheduled or in progress) of any of these people overlapping [start, end). */
async function findClashes(ctx: ServiceContext, personIds: string[], start: Date, end: Date, excludeId?: string): Promise<ClashRow[]> {
  const ids = sql.join(
    personIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  return sqlRows<ClashRow>(
    ctx.db,
    sql`SELECT id, agent_id, team_leader_id, scheduled_date, planned_minutes, session_type
        FROM coaching.coaching_sessions
        WHERE organization_id = ${ctx.organization.id}
          AND status IN ('SCHEDULED', 'IN_PROGRESS')
          AND (agent_id IN (${ids}) OR team_leader_id IN (${ids}))
          AND scheduled_date < ${end.toISOString()}::timestamptz
          AND scheduled_date + planned_minutes * interval '1 minute' > ${start.toISOString()}::timestamptz
          ${excludeId ? sql`AND id <> ${excludeId}::uuid` : sql``}
        ORDER BY scheduled_date`,
  );
}

/** Refuses (409) when the leader or the agent already has an open session overlapping the slot; names it in the viewer's zone. */
async function assertNoDoubleBooking(
  ctx: ServiceContext,
  viewer: CoachingViewer,
  agent: Person,
  leader: Person,
  start: Date,
  minutes: number,
  excludeId?: string,
): Promise<void> {
  // Serialize bookings of the same people so two requests cannot both pass the check.
  for (const id of [agent.id, leader.id].sort()) await ctx.db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`coaching-booking:${id}`}, 0))`);
  const end = new Date(start.getTime() + minutes * minute);
  const [clash] = await findClashes(ctx, [agent.id, leader.id], start, end, excludeId);
  if (!clash) return;
  const people = await peopleById(ctx, [clash.agent_id, clash.team_leader_id]);
  const tz = await viewerTimeZone(ctx, viewer);
  const clashStart = new Date(clash.scheduled_date);
  const clashEnd = new Date(clashStart.getTime() + clash.planned_minutes * minute);
  const busy = [clash.agent_id, clash.team_leader_id].includes(leader.id) ? leader : agent;
  const endLocal = localParts(clashEnd, tz).time;
  throw coachingError(
    'DOUBLE_BOOKED',
    `${busy.name} already has a ${clash.session_type.toLowerCase().replace('_', '-')} session (${nameOf(people, clash.team_leader_id)} with ${nameOf(people, clash.agent_id)}) on ${describeLocal(clashStart, tz).replace(` (${tz})`, `–${endLocal} (${tz})`)}. Pick another time: the free slots of that day are listed next to the form (or GET /api/coaching/availability).`,
    {
      status: 409,
      details: { clashingSessionId: clash.id, busyPersonId: busy.id, start: clashStart.toISOString(), end: clashEnd.toISOString(), timezone: tz },
    },
  );
}

interface NewSession {
  agent: Person;
  leader: Person;
  start: Date;
  plannedMinutes: number;
  sessionType: SessionType;
}

async function insertSession(ctx: ServiceContext, viewer: CoachingViewer, s: NewSession): Promise<SessionRow> {
  await assertNoDoubleBooking(ctx, viewer, s.agent, s.leader, s.start, s.plannedMinutes);
  const [row] = await ctx.db
    .insert(coachingSessions)
    .values({
      organizationId: ctx.organization.id,
      agentId: s.agent.id,
      teamLeaderId: s.leader.id,
      scheduledDate: s.start,
      plannedMinutes: s.plannedMinutes,
      sessionType: s.sessionType,
      status: 'SCHEDULED',
    })
    .returning();
  return row;
}

/**
 * Schedules a session: the start is an instant, or a local date-time in `timezone` (default: the team leader's zone).
 * Refuses to double-book either person. Prep is generated right after (outside the booking transaction: a model call
 * must not hold the lock); a failed prep leaves the session scheduled, and POST /sessions/:id/prep retries.
 */
export async function scheduleSession(ctx: ServiceContext, input: ScheduleSessionInput, options: { ai?: AiProvider } = {}): Promise<SessionView> {
  const data = scheduleSessionInput.parse(input);
  const viewer = await resolveCoachingViewer(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const agent = await loadManagedPerson(tx, viewer, data.agentId, 'schedule coaching sessions');
    if (agent.role !== 'AGENT')
      throw coachingError('NOT_AN_AGENT', `${agent.name} is ${describeRole(agent.role)}; coaching sessions are for agents.`, { status: 400 });
    if (agent.deletedAt) throw coachingError('PERSON_DELETED', `${agent.name} was removed; restore them before scheduling.`, { status: 400 });
    const leader = await resolveSessionLeader(tx, viewer, agent, data.teamLeaderId);
    const { instant } = resolveStart(data.start, data.timezone, leader.timezone);
    const plannedMinutes = data.plannedMinutes ?? (await defaultPlannedMinutes(tx, agent.id));
    return insertSession(tx, viewer, { agent, leader, start: instant, plannedMinutes, sessionType: data.sessionType });
  });
  const prepared = await prepareAfterCommit(ctx, row, options.ai);
  return (await viewsOf(ctx, viewer, [prepared]))[0];
}

async function prepareAfterCommit(ctx: ServiceContext, row: SessionRow, ai: AiProvider | undefined): Promise<SessionRow> {
  try {
    return await prepareSession(ctx, row.id, { ai });
  } catch (error) {
    ctx.log.warn({ err: error, sessionId: row.id }, 'coaching session prep failed; the session stays scheduled');
    return row;
  }
}

/** Reschedules (start, length, type: only while SCHEDULED) or edits the notes of a session. */
export async function updateSession(ctx: ServiceContext, id: string, input: UpdateSessionInput): Promise<SessionView> {
  const data = updateSessionInput.parse(input);
  const viewer = await resolveCoachingViewer(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const { row, agent } = await loadRunnableSession(tx, viewer, id, 'change coaching sessions');
    const reschedules = data.start !== undefined || data.plannedMinutes !== undefined || data.sessionType !== undefined || data.timezone !== undefined;
    if (reschedules && row.status !== 'SCHEDULED') {
      throw coachingError('SESSION_NOT_SCHEDULED', `This session is ${row.status.toLowerCase()}; only a scheduled session can be moved or resized.`, {
        status: 409,
      });
    }
    if (row.status === 'CANCELLED' && !reschedules) {
      throw coachingError('SESSION_CANCELLED', 'This session was cancelled; schedule a new one instead of editing it.', { status: 409 });
    }
    const patch: Partial<typeof coachingSessions.$inferInsert> = {};
    if (reschedules) {
      const leader = await loadPerson(tx, row.teamLeaderId);
      const start = data.start !== undefined ? resolveStart(data.start, data.timezone, leader.timezone).instant : row.scheduledDate;
      const plannedMinutes = data.plannedMinutes ?? row.plannedMinutes;
      await assertNoDoubleBooking(tx, viewer, agent, leader, start, plannedMinutes, row.id);
      Object.assign(patch, { scheduledDate: start, plannedMinutes, sessionType: data.sessionType ?? row.sessionType });
    }
    for (const key of ['discussionNotes', 'keyAchievements', 'areasOfConcern', 'agentCommitments'] as const) {
      if (data[key] !== undefined) patch[key] = data[key];
    }
    if (Object.keys(patch).length === 0) return row;
    const [updated] = await tx.db.update(coachingSessions).set(patch).where(eq(coachingSessions.id, row.id)).returning();
    return updated;
  });
  return (await viewsOf(ctx, viewer, [row]))[0];
}

function transitionError(row: SessionRow, wanted: string, allowedFrom: SessionStatus[]) {
  return coachingError(
    'INVALID_TRANSITION',
    `This session is ${row.status.replace('_', ' ').toLowerCase()}; it can be ${wanted} only when ${allowedFrom.map((s) => s.replace('_', ' ').toLowerCase()).join(' or ')}.`,
    { status: 409, details: { status: row.status, allowedFrom } },
  );
}

export async function startSession(ctx: ServiceContext, id: string): Promise<SessionView> {
  const viewer = await resolveCoachingViewer(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const { row } = await loadRunnableSession(tx, viewer, id, 'run coaching sessions');
    if (row.status !== 'SCHEDULED') throw transitionError(row, 'started', ['SCHEDULED']);
    const [updated] = await tx.db
      .update(coachingSessions)
      .set({ status: 'IN_PROGRESS', actualStartTime: ctx.clock.now() })
      .where(eq(coachingSessions.id, row.id))
      .returning();
    return updated;
  });
  return (await viewsOf(ctx, viewer, [row]))[0];
}

function requireReason(reason: string | undefined, what: string): string {
  const text = reason?.trim();
  if (!text) throw validationFailed(`Say why the session ${what} (reason).`, [{ path: 'reason', message: 'required' }]);
  return text;
}

export async function cancelSession(ctx: ServiceContext, id: string, reason: string | undefined): Promise<SessionView> {
  const text = requireReason(reason, 'is cancelled');
  const viewer = await resolveCoachingViewer(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const { row } = await loadRunnableSession(tx, viewer, id, 'cancel coaching sessions');
    if (!openStatuses.includes(row.status)) throw transitionError(row, 'cancelled', openStatuses);
    const [updated] = await tx.db
      .update(coachingSessions)
      .set({ status: 'CANCELLED', cancelledReason: text })
      .where(eq(coachingSessions.id, row.id))
      .returning();
    return updated;
  });
  return (await viewsOf(ctx, viewer, [row]))[0];
}

/** NO_SHOW: only for a scheduled session whose start has passed, with a reason. */
export async function markNoShow(ctx: ServiceContext, id: string, reason: string | undefined): Promise<SessionView> {
  const text = requireReason(reason, 'was a no-show');
  const viewer = await resolveCoachingViewer(ctx);
  const row = await inTransaction(ctx, async (tx) => {
    const { row } = await loadRunnableSession(tx, viewer, id, 'record no-shows');
    if (row.status !== 'SCHEDULED') throw transitionError(row, 'marked a no-show', ['SCHEDULED']);
    if (ctx.clock.now() < row.scheduledDate) {
      const tz = await viewerTimeZone(tx, viewer);
      throw coachingError('NO_SHOW_TOO_EARLY', `The session starts ${describeLocal(row.scheduledDate, tz)}; record a no-show only after its start.`, {
        status: 409,
      });
    }
    const [updated] = await tx.db.update(coachingSessions).set({ status: 'NO_SHOW', noShowReason: text }).where(eq(coachingSessions.id, row.id)).returning();
    return updated;
  });
  return (await viewsOf(ctx, viewer, [row]))[0];
}

export interface CompletedSession {
  session: SessionView;
  actionItems: ActionItemView[];
  addressedNoteIds: string[];
  followUpSession: SessionView | null;
  effectivenessId: string | null;
}

/**
 * Records what happened: topics, notes, commitments, scores, follow-up (optionally scheduling the FOLLOW_UP session),
 * the quick notes it addressed, new action items, and starts effectiveness tracking when an issue and a method are
 * named. One transaction: nothing is half-recorded. A scheduled session may be completed after its start (recorded
 * afterwards); an in-progress one at any time.
 */
export async function completeSession(ctx: ServiceContext, id: string, input: CompleteSessionInput): Promise<CompletedSession> {
  const data = completeSessionInput.parse(input);
  const issues: { path: string; message: string }[] = [];
  if (data.followUp?.required) {
    if (!data.followUp.date) issues.push({ path: 'followUp.date', message: 'a follow-up needs a date' });
    if (!data.followUp.topics?.length) issues.push({ path: 'followUp.topics', message: 'a follow-up needs at least one topic' });
  }
  if (Boolean(data.primaryIssue) !== Boolean(data.interventionMethod)) {
    issues.push({
      path: data.primaryIssue ? 'interventionMethod' : 'primaryIssue',
      message: 'name both the primary issue and the intervention method, or neither',
    });
  }
  if (issues.length) throw validationFailed(`The session record is incomplete: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`, issues);
  const viewer = await resolveCoachingViewer(ctx);
  const now = ctx.clock.now();

  const result = await inTransaction(ctx, async (tx) => {
    const { row, agent } = await loadRunnableSession(tx, viewer, id, 'record coaching sessions');
    if (!openStatuses.includes(row.status)) throw transitionError(row, 'completed', openStatuses);
    if (row.status === 'SCHEDULED' && now < row.scheduledDate) {
      const tz = await viewerTimeZone(tx, viewer);
      throw coachingError(
        'SESSION_NOT_STARTED',
        `The session starts ${describeLocal(row.scheduledDate, tz)}; start it or wait until then before recording it.`,
        {
          status: 409,
        },
      );
    }
    const actualStart = data.actualStartTime ? new Date(data.actualStartTime) : (row.actualStartTime ?? row.scheduledDate);
    const actualEnd = data.actualEndTime
      ? new Date(data.actualEndTime)
      : row.status === 'IN_PROGRESS'
        ? now
        : new Date(actualStart.getTime() + row.plannedMinutes * minute);
    if (actualEnd < actualStart) throw validationFailed('The session cannot end before it started.', [{ path: 'actualEndTime', message: 'before the start' }]);
    const follow = data.followUp?.required ? data.followUp : null;
    const [session] = await tx.db
      .update(coachingSessions)
      .set({
        status: 'COMPLETED',
        actualStartTime: actualStart,
        actualEndTime: actualEnd,
        topicsCovered: data.topicsCovered,
        discussionNotes: data.discussionNotes ?? row.discussionNotes,
        agentCommitments: data.agentCommitments ?? row.agentCommitments,
        resourcesShared: data.resourcesShared,
        engagementScore: data.engagementScore ?? null,
        receptivenessScore: data.receptivenessScore ?? null,
        understandingScore: data.understandingScore ?? null,
        overallEffectiveness: data.overallEffectiveness ?? null,
        keyAchievements: data.keyAchievements ?? row.keyAchievements,
        areasOfConcern: data.areasOfConcern ?? row.areasOfConcern,
        followUpRequired: Boolean(follow),
        followUpDate: follow?.date ?? null,
        followUpTopics: follow?.topics ?? null,
      })
      .where(eq(coachingSessions.id, row.id))
      .returning();

    const addressedNoteIds: string[] = [];
    if (data.addressedNotes.length) {
      const ids = data.addressedNotes.map((n) => n.id);
      const notes = await tx.db
        .select({ id: quickNotes.id, agentId: quickNotes.agentId })
        .from(quickNotes)
        .where(and(eq(quickNotes.organizationId, ctx.organization.id), inArray(quickNotes.id, ids)));
      const found = new Map(notes.map((n) => [n.id, n]));
      for (const n of data.addressedNotes) {
        const note = found.get(n.id);
        if (!note) throw notFound('Quick note', n.id);
        if (note.agentId !== row.agentId) {
          throw coachingError('NOTE_OTHER_AGENT', `Quick note ${n.id} is about someone else, not ${agent.name}; it cannot be addressed in this session.`, {
            status: 400,
          });
        }
        await tx.db
          .update(quickNotes)
          .set({ addressed: true, addressedDate: now, addressedNotes: n.notes ?? null, linkedSessionId: row.id })
          .where(eq(quickNotes.id, n.id));
        addressedNoteIds.push(n.id);
      }
    }

    const assignedBy = viewer.personId ?? row.teamLeaderId;
    const createdItems = [];
    for (const item of data.actionItems) {
      createdItems.push(await insertActionItem(tx, { agentId: row.agentId, assignedBy, sessionId: row.id, fields: item }));
    }

    let followUpRow: SessionRow | null = null;
    if (follow?.schedule) {
      const leader = await loadPerson(tx, row.teamLeaderId);
      const { instant } = resolveStart(follow.schedule.start, follow.schedule.timezone, leader.timezone);
      followUpRow = await insertSession(tx, viewer, {
        agent,
        leader,
        start: instant,
        plannedMinutes: follow.schedule.plannedMinutes ?? (await defaultPlannedMinutes(tx, agent.id)),
        sessionType: 'FOLLOW_UP',
      });
    }

    let effectivenessId: string | null = null;
    if (data.primaryIssue && data.interventionMethod) {
      const tracking = await startEffectivenessTracking(tx, {
        sessionId: row.id,
        agentId: row.agentId,
        teamLeaderId: row.teamLeaderId,
        primaryIssue: data.primaryIssue,
        interventionMethod: data.interventionMethod,
        coachedOn: localDate(actualStart, ctx.organization.timezone),
        measurementPeriodDays: data.measurementPeriodDays,
        notes: data.discussionNotes ?? null,
      });
      effectivenessId = tracking.id;
    }
    return { session, createdItems, addressedNoteIds, followUpRow, effectivenessId };
  });

  const followUpSession = result.followUpRow ? await prepareAfterCommit(ctx, result.followUpRow, undefined) : null;
  const rows = followUpSession ? [result.session, followUpSession] : [result.session];
  const views = await viewsOf(ctx, viewer, rows);
  const people = await peopleById(ctx, [result.session.agentId, ...result.createdItems.map((i) => i.assignedBy)]);
  const today = localDate(now, ctx.organization.timezone);
  return {
    session: views[0],
    actionItems: result.createdItems.map((i) => toActionItemView(i, people, today)),
    addressedNoteIds: result.addressedNoteIds,
    followUpSession: views[1] ?? null,
    effectivenessId: result.effectivenessId,
  };
}

// ---- availability ----

export const workingHours = { from: '09:00', to: '17:00' };

/**
 * Free slots for the agent and their team leader on a date (the leader's calendar date): both people's working day
 * (09:00–17:00 in each one's own zone) intersected, minus their open sessions and the past, in steps of 15 minutes.
 */
export async function getAvailability(ctx: ServiceContext, query: z.input<typeof availabilityQuery>) {
  const q = availabilityQuery.parse(query);
  const viewer = await resolveCoachingViewer(ctx);
  const agent = await loadManagedPerson(ctx, viewer, q.agentId, 'plan coaching sessions');
  const leader = await resolveSessionLeader(ctx, viewer, agent, q.teamLeaderId);
  const minutes = q.minutes ?? (await defaultPlannedMinutes(ctx, agent.id));
  const leaderDayStart = zonedInstant(q.date, '00:00', leader.timezone);
  const leaderDayEnd = zonedInstant(addDays(q.date, 1), '00:00', leader.timezone);
  // The agent's working days that touch the leader's date (the agent's zone may be a day ahead or behind).
  const windows: [number, number][] = [];
  for (const d of [addDays(q.date, -1), q.date, addDays(q.date, 1)]) {
    const leaderFrom = zonedInstant(q.date, workingHours.from, leader.timezone).getTime();
    const leaderTo = zonedInstant(q.date, workingHours.to, leader.timezone).getTime();
    const agentFrom = zonedInstant(d, workingHours.from, agent.timezone).getTime();
    const agentTo = zonedInstant(d, workingHours.to, agent.timezone).getTime();
    const from = Math.max(leaderFrom, agentFrom);
    const to = Math.min(leaderTo, agentTo);
    if (to > from) windows.push([from, to]);
  }
  const busyRows = await findClashes(ctx, [agent.id, leader.id], leaderDayStart, leaderDayEnd);
  const busy = busyRows.map((r) => {
    const start = new Date(r.scheduled_date);
    const involvesAgent = r.agent_id === agent.id || r.team_leader_id === agent.id;
    const involvesLeader = r.agent_id === leader.id || r.team_leader_id === leader.id;
    return {
      sessionId: r.id,
      start,
      end: new Date(start.getTime() + r.planned_minutes * minute),
      who: (involvesAgent && involvesLeader ? 'both' : involvesAgent ? 'agent' : 'teamLeader') as 'agent' | 'teamLeader' | 'both',
    };
  });
  const now = ctx.clock.now().getTime();
  const step = 15 * minute;
  const slots = [];
  for (const [from, to] of windows) {
    for (let s = Math.ceil(from / step) * step; s + minutes * minute <= to; s += step) {
      const e = s + minutes * minute;
      if (s < now) continue;
      if (busy.some((b) => b.start.getTime() < e && b.end.getTime() > s)) continue;
      slots.push({
        start: new Date(s),
        end: new Date(e),
        agent: toLocalTime(new Date(s), agent.timezone),
        teamLeader: toLocalTime(new Date(s), leader.timezone),
      });
    }
  }
  const hours = `${workingHours.from}–${workingHours.to}`;
  return {
    date: q.date,
    minutes,
    agent: { id: agent.id, name: agent.name, timezone: agent.timezone, workingHours: hours },
    teamLeader: { id: leader.id, name: leader.name, timezone: leader.timezone, workingHours: hours },
    slots,
    busy,
    message:
      windows.length === 0
        ? `${leader.name}'s and ${agent.name}'s working hours (${hours} in ${leader.timezone} and ${agent.timezone}) do not overlap on ${q.date}; schedule outside one person's hours by agreement.`
        : slots.length === 0
          ? `No free ${minutes}-minute slot on ${q.date} within both working days; try another date or a shorter session.`
          : null,
  };
}
