import { and, eq, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { memberships } from '../../../core/db/schema.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { conflict, forbidden, validationFailed } from '../../../core/errors.js';
import { isValidTimeZone } from '../analytics/periods.js';
import { learningStyles, personStatuses, roles, users, type PersonStatus, type Role } from '../schema.js';
import {
  canManagePerson,
  describeRole,
  loadVisiblePerson,
  resolveCoachingViewer,
  visiblePeopleCondition,
  type CoachingViewer,
  type Person,
} from '../shared/access.js';
import { coachingError } from '../shared/errors.js';

/** A person as the lists show them: links by name and the latest composite. */
export interface PersonSummary {
  id: string;
  userId: string | null;
  name: string;
  email: string | null;
  role: Role;
  status: PersonStatus;
  teamLeaderId: string | null;
  teamLeaderName: string | null;
  managerId: string | null;
  managerName: string | null;
  department: string | null;
  employeeId: string | null;
  hireDate: string | null;
  phone: string | null;
  learningStyle: string | null;
  shiftPattern: string | null;
  timezone: string;
  latestComposite: number | null;
  latestCompositeDate: string | null;
  deletedAt: Date | null;
}

const summarySelect = sql`
  p.id, p.user_id, p.name, p.email, p.role, p.status, p.team_leader_id, tl.name AS team_leader_name,
  p.manager_id, mg.name AS manager_name, p.department, p.employee_id, p.hire_date::text AS hire_date, p.phone,
  p.learning_style, p.shift_pattern, p.timezone, lm.composite_score::float8 AS latest_composite,
  lm.metric_date::text AS latest_composite_date, p.deleted_at`;
const summaryFrom = sql`
  FROM coaching.users p
  LEFT JOIN coaching.users tl ON tl.id = p.team_leader_id
  LEFT JOIN coaching.users mg ON mg.id = p.manager_id
  LEFT JOIN LATERAL (
    SELECT m.composite_score, m.metric_date FROM coaching.performance_metrics m
    WHERE m.organization_id = p.organization_id AND m.agent_id = p.id AND m.composite_score IS NOT NULL
    ORDER BY m.metric_date DESC LIMIT 1) lm ON p.role = 'AGENT'`;

function toSummary(r: Record<string, unknown>): PersonSummary {
  return {
    id: String(r.id),
    userId: (r.user_id as string | null) ?? null,
    name: String(r.name),
    email: (r.email as string | null) ?? null,
    role: r.role as Role,
    status: r.status as PersonStatus,
    teamLeaderId: (r.team_leader_id as string | null) ?? null,
    teamLeaderName: (r.team_leader_name as string | null) ?? null,
    managerId: (r.manager_id as string | null) ?? null,
    managerName: (r.manager_name as string | null) ?? null,
    department: (r.department as string | null) ?? null,
    employeeId: (r.employee_id as string | null) ?? null,
    hireDate: (r.hire_date as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    learningStyle: (r.learning_style as string | null) ?? null,
    shiftPattern: (r.shift_pattern as string | null) ?? null,
    timezone: String(r.timezone),
    latestComposite: r.latest_composite == null ? null : Number(r.latest_composite),
    latestCompositeDate: (r.latest_composite_date as string | null) ?? null,
    deletedAt: r.deleted_at == null ? null : new Date(r.deleted_at as string),
  };
}

async function summaries(ctx: ServiceContext, viewer: CoachingViewer, where: SQL, order = sql`ORDER BY p.name, p.id`): Promise<PersonSummary[]> {
  const rows = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT ${summarySelect} ${summaryFrom}
        WHERE p.organization_id = ${ctx.organization.id} AND ${visiblePeopleCondition(ctx, viewer, sql`p.id`)} AND ${where} ${order}`,
  );
  return rows.map(toSummary);
}

export async function getMe(ctx: ServiceContext) {
  const viewer = await resolveCoachingViewer(ctx);
  const person = viewer.personId ? ((await summaries(ctx, viewer, sql`p.id = ${viewer.personId}`))[0] ?? null) : null;
  const me = viewer.personId;
  const team = viewer.personId
    ? await sqlRows<{ id: string; name: string; role: Role }>(
        ctx.db,
        sql`SELECT id, name, role FROM coaching.users
            WHERE organization_id = ${ctx.organization.id} AND deleted_at IS NULL
              AND (team_leader_id = ${me} OR (manager_id = ${me} AND role <> 'AGENT')
                   OR (${viewer.role === 'ADMIN'} AND role = 'MANAGER' AND id <> ${me}))
            ORDER BY name, id`,
      )
    : await sqlRows<{ id: string; name: string; role: Role }>(
        ctx.db,
        sql`SELECT id, name, role FROM coaching.users
            WHERE organization_id = ${ctx.organization.id} AND deleted_at IS NULL AND role = 'MANAGER' ORDER BY name, id`,
      );
  return { person, role: viewer.role, seesEverything: viewer.seesEverything, team };
}

export const listPeopleQuery = z.object({
  role: z.enum(roles).optional(),
  status: z.enum(personStatuses).optional(),
  teamLeaderId: z.uuid().optional(),
  q: z.string().trim().max(100).optional(),
  includeDeleted: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export async function listPeople(ctx: ServiceContext, query: z.output<typeof listPeopleQuery>): Promise<{ items: PersonSummary[] }> {
  const viewer = await resolveCoachingViewer(ctx);
  if (query.includeDeleted && !viewer.seesEverything) {
    throw forbidden('Only an admin can list deleted people; leave out includeDeleted.');
  }
  const conditions: SQL[] = [query.includeDeleted ? sql`true` : sql`p.deleted_at IS NULL`];
  if (query.role) conditions.push(sql`p.role = ${query.role}`);
  if (query.status) conditions.push(sql`p.status = ${query.status}`);
  if (query.teamLeaderId) conditions.push(sql`p.team_leader_id = ${query.teamLeaderId}::uuid`);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(p.name ILIKE ${like} OR p.email ILIKE ${like} OR p.employee_id ILIKE ${like})`);
  }
  return { items: await summaries(ctx, viewer, sql.join(conditions, sql` AND `)) };
}

export async function getPersonSummary(ctx: ServiceContext, viewer: CoachingViewer, personId: string): Promise<PersonSummary> {
  const person = await loadVisiblePerson(ctx, viewer, personId);
  return (await summaries(ctx, viewer, sql`p.id = ${person.id}`))[0];
}

// ---------------------------------------------------------------- writes

const nullableText = (max: number) => z.string().trim().max(max).nullable().optional();
const personFields = {
  name: z.string().trim().min(1).max(255),
  email: z.email().max(255).nullable().optional(),
  teamLeaderId: z.uuid().nullable().optional(),
  managerId: z.uuid().nullable().optional(),
  department: nullableText(100),
  employeeId: nullableText(50),
  hireDate: z.iso.date().nullable().optional(),
  phone: nullableText(20),
  status: z.enum(personStatuses).optional(),
  learningStyle: z.enum(learningStyles).nullable().optional(),
  shiftPattern: nullableText(50),
  timezone: z.string().max(50).optional(),
  userId: z.uuid().nullable().optional(),
};
export const createPersonInput = z.object({ ...personFields, role: z.enum(roles) });
export const updatePersonInput = z.object({ ...personFields, name: personFields.name.optional(), role: z.enum(roles).optional() });
type CreatePerson = z.output<typeof createPersonInput>;
type UpdatePerson = z.output<typeof updatePersonInput>;

async function loadOrgPerson(ctx: ServiceContext, id: string): Promise<Person | undefined> {
  const [row] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, ctx.organization.id), eq(users.id, id), isNull(users.deletedAt)));
  return row;
}

/** Validates team_leader_id / manager_id for a person of `role`; returns the links to store. */
async function resolveLinks(
  ctx: ServiceContext,
  viewer: CoachingViewer,
  role: Role,
  personId: string | null,
  teamLeaderId: string | null,
  managerId: string | null,
  managerGiven: boolean,
): Promise<{ teamLeaderId: string | null; managerId: string | null }> {
  if (role === 'ADMIN') {
    if (teamLeaderId || managerId) throw validationFailed('An admin has no team leader or manager.', [{ path: 'role', message: 'ADMIN takes no links' }]);
    return { teamLeaderId: null, managerId: null };
  }
  if (teamLeaderId && role !== 'AGENT') {
    throw validationFailed(`Only agents have a team leader; a ${role} reports to a manager.`, [{ path: 'teamLeaderId', message: 'only for agents' }]);
  }
  if (role === 'AGENT' && !teamLeaderId && viewer.role !== 'ADMIN' && !viewer.seesEverything) {
    throw validationFailed('Choose the team leader this agent belongs to.', [{ path: 'teamLeaderId', message: 'required' }]);
  }
  let leader: Person | undefined;
  if (teamLeaderId) {
    leader = await loadOrgPerson(ctx, teamLeaderId);
    // Same answer as for a person of another organization: not visible.
    if (!leader) throw validationFailed(`Team leader ${teamLeaderId} was not found in this organization.`, [{ path: 'teamLeaderId', message: 'not found' }]);
    if (leader.role !== 'TEAM_LEADER') {
      throw validationFailed(`${leader.name} is ${describeRole(leader.role)}, not a team leader; an agent's team leader must be a TEAM_LEADER.`, [
        { path: 'teamLeaderId', message: 'not a team leader' },
      ]);
    }
  }
  let resolvedManager = managerId;
  if (!managerGiven && role === 'AGENT' && leader) resolvedManager = leader.managerId;
  if (resolvedManager) {
    const manager = await loadOrgPerson(ctx, resolvedManager);
    if (!manager) throw validationFailed(`Manager ${resolvedManager} was not found in this organization.`, [{ path: 'managerId', message: 'not found' }]);
    if (manager.role !== 'MANAGER') {
      throw validationFailed(
        `${manager.name} is ${describeRole(manager.role)}, not a manager; ${role === 'AGENT' ? "an agent's" : "a team leader's"} manager must be a MANAGER.`,
        [{ path: 'managerId', message: 'not a manager' }],
      );
    }
    // Managers may report to managers: refuse a loop (A → B → … → A).
    if (personId) {
      let cursor: string | null = manager.id;
      const seen = new Set<string>();
      while (cursor && !seen.has(cursor)) {
        if (cursor === personId) {
          throw validationFailed('That manager reports (directly or further up) to this person: the link would make a loop.', [
            { path: 'managerId', message: 'cycle' },
          ]);
        }
        seen.add(cursor);
        const [up] = await ctx.db.select({ managerId: users.managerId }).from(users).where(eq(users.id, cursor));
        cursor = up?.managerId ?? null;
      }
    }
  }
  // A manager works inside their own branch.
  if (!viewer.seesEverything && viewer.role === 'MANAGER') {
    if (role === 'TEAM_LEADER' && resolvedManager !== viewer.personId) {
      throw forbidden('As a manager you can only place team leaders under yourself; an admin can assign them to another manager.');
    }
    if (role === 'AGENT' && leader && leader.managerId !== viewer.personId) {
      throw forbidden(`${leader.name} is not one of your team leaders; choose one of your own team leaders, or ask an admin.`);
    }
  }
  return { teamLeaderId: teamLeaderId ?? null, managerId: resolvedManager ?? null };
}

async function checkUnique(ctx: ServiceContext, personId: string | null, input: { email?: string | null; employeeId?: string | null; userId?: string | null }) {
  const org = ctx.organization.id;
  const other = (condition: SQL) =>
    ctx.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.organizationId, org), condition, personId ? ne(users.id, personId) : sql`true`));
  if (input.employeeId) {
    const [taken] = await other(eq(users.employeeId, input.employeeId));
    if (taken) throw conflict(`Employee id ${input.employeeId} already belongs to ${taken.name}.`, { personId: taken.id });
  }
  if (input.email) {
    const [taken] = await other(sql`lower(${users.email}) = lower(${input.email}) AND ${users.deletedAt} IS NULL`);
    if (taken) throw conflict(`The e-mail ${input.email} already belongs to ${taken.name}.`, { personId: taken.id });
  }
  if (input.userId) {
    const [member] = await ctx.db
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.organizationId, org), eq(memberships.userId, input.userId)));
    if (!member) {
      throw validationFailed('That sign-in is not a member of this organization; invite them first under Settings → Members.', [
        { path: 'userId', message: 'not a member of this organization' },
      ]);
    }
    const [taken] = await other(eq(users.userId, input.userId));
    if (taken) throw conflict(`That sign-in is already linked to ${taken.name}; unlink it there first.`, { personId: taken.id });
  }
}

function checkTimezone(timezone: string | undefined) {
  if (timezone !== undefined && !isValidTimeZone(timezone)) {
    throw validationFailed(`"${timezone}" is not an IANA time zone; use a name like Europe/Berlin or America/New_York.`, [
      { path: 'timezone', message: 'not an IANA time zone' },
    ]);
  }
}

export async function createPerson(ctx: ServiceContext, input: CreatePerson): Promise<PersonSummary> {
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    if (!viewer.seesEverything) {
      if (viewer.role !== 'MANAGER') throw forbidden(`As ${describeRole(viewer.role)} you cannot add people; a manager or an admin can.`);
      if (input.role !== 'AGENT' && input.role !== 'TEAM_LEADER') {
        throw forbidden(`As a manager you can add team leaders and agents; only an admin can add ${describeRole(input.role).replace(/^an? /, '')}s.`);
      }
      if (input.userId) throw forbidden('Only an admin can link a sign-in to a person.');
    }
    checkTimezone(input.timezone);
    const managerGiven = input.managerId !== undefined;
    const managerId =
      input.role === 'TEAM_LEADER' && !managerGiven && viewer.role === 'MANAGER' && !viewer.seesEverything ? viewer.personId : (input.managerId ?? null);
    const links = await resolveLinks(tx, viewer, input.role, null, input.teamLeaderId ?? null, managerId, managerGiven || managerId !== null);
    await checkUnique(tx, null, input);
    const [row] = await tx.db
      .insert(users)
      .values({
        organizationId: tx.organization.id,
        name: input.name,
        role: input.role,
        email: input.email ?? null,
        userId: input.userId ?? null,
        teamLeaderId: links.teamLeaderId,
        managerId: links.managerId,
        department: input.department ?? null,
        employeeId: input.employeeId ?? null,
        hireDate: input.hireDate ?? null,
        phone: input.phone ?? null,
        status: input.status ?? 'ACTIVE',
        learningStyle: input.learningStyle ?? null,
        shiftPattern: input.shiftPattern ?? null,
        timezone: input.timezone ?? tx.organization.timezone,
      })
      .returning();
    return getPersonSummary(tx, { personId: null, role: 'ADMIN', seesEverything: true }, row.id);
  });
}

/** Fields a team leader may change for their own agents, and an agent for themself. */
const leaderFields = new Set(['phone', 'shiftPattern', 'timezone', 'learningStyle', 'status']);
const selfFields = new Set(['phone', 'timezone', 'learningStyle']);

export async function updatePerson(ctx: ServiceContext, personId: string, input: UpdatePerson): Promise<PersonSummary> {
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    const person = await loadVisiblePerson(tx, viewer, personId);
    if (person.deletedAt)
      throw coachingError('PERSON_DELETED', `${person.name} was deleted; restore is not available — create the person again.`, { status: 409 });
    const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    const self = viewer.personId === person.id;
    if (!viewer.seesEverything) {
      const allowed =
        viewer.role === 'MANAGER' && !self
          ? new Set(Object.keys(personFields).filter((k) => k !== 'userId'))
          : viewer.role === 'TEAM_LEADER' && canManagePerson(viewer, person)
            ? leaderFields
            : self
              ? selfFields
              : new Set<string>();
      const refused = changed.filter((k) => !allowed.has(k));
      if (refused.length) {
        const who = describeRole(viewer.role);
        throw forbidden(
          refused.includes('userId')
            ? 'Only an admin can link a sign-in to a person.'
            : `As ${who} you cannot change ${refused.join(', ')} of ${self ? 'your own record' : person.name}; ${allowed.size ? `you can change ${[...allowed].join(', ')}` : 'their team leader, manager or an admin can'}.`,
        );
      }
      if (viewer.role === 'TEAM_LEADER' && input.status === 'TERMINATED') {
        throw forbidden(`As a team leader you cannot terminate ${person.name}; their manager or an admin can.`);
      }
    }
    checkTimezone(input.timezone);
    const role = input.role ?? person.role;
    if (role !== person.role) {
      const [lead] = await sqlRows<{ n: number }>(
        tx.db,
        sql`SELECT count(*)::int AS n FROM coaching.users WHERE organization_id = ${tx.organization.id} AND deleted_at IS NULL
              AND (team_leader_id = ${person.id} OR manager_id = ${person.id})`,
      );
      if (Number(lead.n) > 0) {
        throw conflict(`${person.name} still has ${lead.n} people reporting to them; move them to someone else before changing the role.`);
      }
    }
    const update: Partial<typeof users.$inferInsert> = {};
    const linksTouched = input.teamLeaderId !== undefined || input.managerId !== undefined || role !== person.role;
    if (linksTouched) {
      const teamLeaderId = input.teamLeaderId !== undefined ? input.teamLeaderId : role === 'AGENT' ? person.teamLeaderId : null;
      const managerGiven = input.managerId !== undefined;
      const managerId = managerGiven ? input.managerId! : input.teamLeaderId !== undefined && role === 'AGENT' ? null : person.managerId;
      const links = await resolveLinks(
        tx,
        viewer,
        role,
        person.id,
        teamLeaderId,
        managerId,
        managerGiven || !(input.teamLeaderId !== undefined && role === 'AGENT'),
      );
      update.teamLeaderId = links.teamLeaderId;
      update.managerId = links.managerId;
    }
    await checkUnique(tx, person.id, input);
    for (const key of [
      'name',
      'email',
      'department',
      'employeeId',
      'hireDate',
      'phone',
      'status',
      'learningStyle',
      'shiftPattern',
      'timezone',
      'userId',
    ] as const) {
      if (input[key] !== undefined) (update as Record<string, unknown>)[key] = input[key];
    }
    if (input.role) update.role = input.role;
    if (Object.keys(update).length) await tx.db.update(users).set(update).where(eq(users.id, person.id));
    return getPersonSummary(tx, { personId: null, role: 'ADMIN', seesEverything: true }, person.id);
  });
}

export async function deletePerson(ctx: ServiceContext, personId: string): Promise<{ id: string; deletedAt: Date }> {
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    const person = await loadVisiblePerson(tx, viewer, personId);
    if (!viewer.seesEverything && viewer.role !== 'MANAGER') {
      throw forbidden(`As ${describeRole(viewer.role)} you cannot remove people; a manager or an admin can.`);
    }
    if (!canManagePerson(viewer, person)) throw forbidden(`You cannot remove ${viewer.personId === person.id ? 'yourself' : person.name}; an admin can.`);
    if (person.deletedAt) throw coachingError('PERSON_DELETED', `${person.name} was already deleted.`, { status: 409 });
    const reports = await sqlRows<{ role: Role; n: number }>(
      tx.db,
      sql`SELECT role, count(*)::int AS n FROM coaching.users
          WHERE organization_id = ${tx.organization.id} AND deleted_at IS NULL AND status <> 'TERMINATED'
            AND (team_leader_id = ${person.id} OR (manager_id = ${person.id} AND role <> 'AGENT'))
          GROUP BY role`,
    );
    const agents = reports.find((r) => r.role === 'AGENT')?.n ?? 0;
    const others = reports.filter((r) => r.role !== 'AGENT').reduce((s, r) => s + Number(r.n), 0);
    if (Number(agents) > 0 || others > 0) {
      throw conflict(
        Number(agents) > 0
          ? `${person.name} still leads a team with ${agents} active agent${Number(agents) === 1 ? '' : 's'}; move them to another team leader (or terminate them) first.`
          : `${person.name} still manages ${others} team leader${others === 1 ? '' : 's'}; move them to another manager first.`,
        { activeAgents: Number(agents), reports: others },
      );
    }
    const deletedAt = tx.clock.now();
    await tx.db.update(users).set({ deletedAt }).where(eq(users.id, person.id));
    return { id: person.id, deletedAt };
  });
}

// ---------------------------------------------------------------- hierarchy

export interface HierarchyAgent {
  id: string;
  name: string;
  status: PersonStatus;
  latestComposite: number | null;
}
export interface HierarchyLeader {
  id: string;
  name: string;
  status: PersonStatus;
  agents: HierarchyAgent[];
}
export interface HierarchyManager {
  id: string;
  name: string;
  status: PersonStatus;
  teamLeaders: HierarchyLeader[];
}

/** Managers → team leaders → agents, built only from the people the viewer may see; orphans at the level they fit. */
export async function getHierarchy(ctx: ServiceContext) {
  const viewer = await resolveCoachingViewer(ctx);
  const people = await summaries(ctx, viewer, sql`p.deleted_at IS NULL`);
  const leaders = new Map<string, HierarchyLeader>();
  const managers = new Map<string, HierarchyManager>();
  for (const p of people) {
    if (p.role === 'MANAGER') managers.set(p.id, { id: p.id, name: p.name, status: p.status, teamLeaders: [] });
    if (p.role === 'TEAM_LEADER') leaders.set(p.id, { id: p.id, name: p.name, status: p.status, agents: [] });
  }
  const looseLeaders: HierarchyLeader[] = [];
  const looseAgents: HierarchyAgent[] = [];
  for (const p of people) {
    if (p.role === 'AGENT') {
      const agent = { id: p.id, name: p.name, status: p.status, latestComposite: p.latestComposite };
      const leader = p.teamLeaderId ? leaders.get(p.teamLeaderId) : undefined;
      if (leader) leader.agents.push(agent);
      else looseAgents.push(agent);
    }
    if (p.role === 'TEAM_LEADER') {
      const manager = p.managerId ? managers.get(p.managerId) : undefined;
      if (manager) manager.teamLeaders.push(leaders.get(p.id)!);
      else looseLeaders.push(leaders.get(p.id)!);
    }
  }
  return { managers: [...managers.values()], teamLeaders: looseLeaders, agents: looseAgents };
}
