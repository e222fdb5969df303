import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { ServiceContext } from '../../../core/context.js';
import { forbidden, notFound } from '../../../core/errors.js';
import { users, type Role } from '../schema.js';

export type Person = typeof users.$inferSelect;

/**
 * Who is looking, in coaching terms. Visibility follows the hierarchy: an agent sees only themself, a team leader
 * their team, a manager their team leaders and those leaders' agents, an admin everyone in the organization.
 * An organization admin who is not a coaching person acts as ADMIN; so do jobs and the CLI (system actors).
 */
export interface CoachingViewer {
  /** coaching.users.id of the signed-in person; null for an org admin or system actor without a person row. */
  personId: string | null;
  role: Role;
  seesEverything: boolean;
}

export async function resolveCoachingViewer(ctx: ServiceContext): Promise<CoachingViewer> {
  if (ctx.actor.type === 'system' || ctx.actor.type === 'cli') return { personId: null, role: 'ADMIN', seesEverything: true };
  const userId = ctx.actor.userId;
  if (userId) {
    const [person] = await ctx.db
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(and(eq(users.organizationId, ctx.organization.id), eq(users.userId, userId), isNull(users.deletedAt)));
    if (person) {
      const seesEverything = person.role === 'ADMIN' || ctx.role === 'admin';
      return { personId: person.id, role: seesEverything ? 'ADMIN' : person.role, seesEverything };
    }
  }
  if (ctx.role === 'admin') return { personId: null, role: 'ADMIN', seesEverything: true };
  throw forbidden('You are not in the coaching hierarchy of this organization. An admin links your sign-in to a person under Coaching → People.');
}

/**
 * A SQL condition true for the people the viewer may see, applied to a column holding a coaching.users id
 * (agent_id, team_leader_id, users.id). Soft-deleted people are hidden by the caller's own query if it wants so.
 */
export function visiblePeopleCondition(ctx: ServiceContext, viewer: CoachingViewer, personIdColumn: AnyPgColumn | SQL): SQL {
  if (viewer.seesEverything) return sql`true`;
  const me = viewer.personId;
  const org = ctx.organization.id;
  switch (viewer.role) {
    case 'MANAGER':
      return sql`${personIdColumn} IN (
        SELECT p.id FROM coaching.users p
        WHERE p.organization_id = ${org} AND (
          p.id = ${me} OR p.manager_id = ${me}
          OR p.team_leader_id IN (SELECT l.id FROM coaching.users l WHERE l.organization_id = ${org} AND l.manager_id = ${me})
        ))`;
    case 'TEAM_LEADER':
      return sql`${personIdColumn} IN (
        SELECT p.id FROM coaching.users p WHERE p.organization_id = ${org} AND (p.id = ${me} OR p.team_leader_id = ${me}))`;
    default:
      return sql`${personIdColumn} = ${me}`;
  }
}

/** The ids of everyone the viewer may see (including soft-deleted people, whose history stays readable to admins). */
export async function visiblePersonIds(ctx: ServiceContext, viewer: CoachingViewer): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, ctx.organization.id), visiblePeopleCondition(ctx, viewer, users.id)));
  return rows.map((r) => r.id);
}

/** A person the viewer may see, or 404 — the same answer as for a person of another organization. */
export async function loadVisiblePerson(ctx: ServiceContext, viewer: CoachingViewer, personId: string): Promise<Person> {
  const [person] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, ctx.organization.id), eq(users.id, personId), visiblePeopleCondition(ctx, viewer, users.id)));
  if (!person || (person.deletedAt && !viewer.seesEverything)) throw notFound('Person', personId);
  return person;
}

/**
 * Whether the viewer may coach / manage this person (create sessions, notes, action items, plans for them): an admin
 * anyone, a manager the people under them, a team leader their own agents. Never oneself.
 */
export function canManagePerson(viewer: CoachingViewer, person: Person): boolean {
  if (viewer.personId && viewer.personId === person.id) return false;
  if (viewer.seesEverything) return true;
  if (viewer.role === 'MANAGER') return true; // loadVisiblePerson already limited it to the manager's people
  if (viewer.role === 'TEAM_LEADER') return person.teamLeaderId === viewer.personId;
  return false;
}

/** loadVisiblePerson + canManagePerson: 404 when not visible, 403 when visible but not theirs to manage. */
export async function loadManagedPerson(ctx: ServiceContext, viewer: CoachingViewer, personId: string, action: string): Promise<Person> {
  const person = await loadVisiblePerson(ctx, viewer, personId);
  if (!canManagePerson(viewer, person)) {
    throw forbidden(`As ${describeRole(viewer.role)} you cannot ${action} for ${person.name}; their team leader, manager or an admin can.`);
  }
  return person;
}

export function requireCoachingRole(viewer: CoachingViewer, allowed: Role[], action: string): void {
  if (viewer.seesEverything || allowed.includes(viewer.role)) return;
  throw forbidden(`As ${describeRole(viewer.role)} you cannot ${action}; this needs ${allowed.map(describeRole).join(' or ')}.`);
}

export function describeRole(role: Role): string {
  return { ADMIN: 'an admin', MANAGER: 'a manager', TEAM_LEADER: 'a team leader', AGENT: 'an agent' }[role];
}
