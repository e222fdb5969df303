import { and, eq, inArray, like, param, sql } from 'drizzle-orm';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { users as coreUsers } from '../../../core/db/schema.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { actionItems, agentProfiles, coachingSessions, quickNotes, users } from '../schema.js';
import { addDays, demoUuid, localDate, type IsoDate } from './dates.js';
import { demoEmployeePrefix, demoLogins, statusOf, type DemoPerson } from './roster.js';
import { defaultCoachingDemoSeed, metricColumns, simulateCoachingDemo, type CoachingDemoSimulation, type DemoMetricRow } from './simulation.js';

export interface CoachingDemoOptions {
  /** Last day of metrics (default: yesterday in the organization's time zone, from ctx.clock). */
  endDate?: IsoDate;
  seed?: number;
}

export interface CoachingDemoResult {
  organizationId: string;
  from: IsoDate;
  to: IsoDate;
  people: { admins: number; managers: number; teamLeaders: number; agents: number };
  /** Which demo sign-ins were found in core.users and linked to a coaching person. */
  linkedLogins: string[];
  metricRows: number;
  sessions: Record<string, number>;
  notes: number;
  actionItems: number;
  profiles: number;
  /** coaching.users ids by demo key (ADMIN, M1, L1, L1-A01 …). */
  personIds: Record<string, string>;
  timings: { simulateMs: number; writeMs: number; totalMs: number };
}

/** Yesterday in the organization's time zone: the last day with complete figures. */
export function demoEndDate(ctx: Pick<ServiceContext, 'clock' | 'organization'>): IsoDate {
  return addDays(localDate(ctx.clock.now(), ctx.organization.timezone), -1);
}

/** Rows per metrics statement (one unnest insert each). */
const metricsChunkRows = 10_000;
const rowChunk = 400;

/**
 * Loads the contact-centre demo into `ctx.organization`. Idempotent: the demo's people (employee ids DEMO-CC-…) are
 * upserted, so their ids stay the same across reloads; their metrics, history, sessions, notes, action items, plans,
 * effectiveness records, profiles and notifications are deleted and written again in one transaction. People and
 * data that are not the demo's are left alone (an unrelated person holding a demo sign-in loses that link).
 */
export async function loadCoachingDemo(
  ctx: ServiceContext,
  options: CoachingDemoOptions = {},
): Promise<CoachingDemoResult & { simulation: CoachingDemoSimulation }> {
  const started = performance.now();
  const endDate = options.endDate ?? demoEndDate(ctx);
  const sim = simulateCoachingDemo({ endDate, seed: options.seed ?? defaultCoachingDemoSeed, timezone: ctx.organization.timezone });
  const simulateMs = performance.now() - started;
  const writeStarted = performance.now();
  const written = await inTransaction(ctx, (tx) => writeDemo(tx, sim));
  const writeMs = performance.now() - writeStarted;
  const count = (role: string) => sim.people.filter((p) => p.role === role).length;
  const sessions: Record<string, number> = {};
  for (const s of sim.sessions) sessions[s.status] = (sessions[s.status] ?? 0) + 1;
  return {
    organizationId: ctx.organization.id,
    from: sim.from,
    to: sim.to,
    people: { admins: count('ADMIN'), managers: count('MANAGER'), teamLeaders: count('TEAM_LEADER'), agents: count('AGENT') },
    linkedLogins: written.linkedLogins,
    metricRows: sim.metrics.length,
    sessions,
    notes: sim.notes.length,
    actionItems: sim.actionItems.length,
    profiles: sim.profiles.size,
    personIds: written.personIds,
    timings: { simulateMs: Math.round(simulateMs), writeMs: Math.round(writeMs), totalMs: Math.round(performance.now() - started) },
    simulation: sim,
  };
}

/** The demo people's ids in an organization (by their DEMO-CC- employee ids), keyed by demo key. */
export async function demoPersonIds(ctx: ServiceContext): Promise<Record<string, string>> {
  const rows = await ctx.db
    .select({ id: users.id, employeeId: users.employeeId })
    .from(users)
    .where(and(eq(users.organizationId, ctx.organization.id), like(users.employeeId, `${demoEmployeePrefix}%`)));
  return Object.fromEntries(rows.map((r) => [r.employeeId!.slice(demoEmployeePrefix.length), r.id]));
}

async function writeDemo(ctx: ServiceContext, sim: CoachingDemoSimulation) {
  const org = ctx.organization.id;
  const now = ctx.clock.now();

  // Sign-ins of the core demo, found by e-mail (absent when the core demo did not run, e.g. in tests).
  const logins = await ctx.db
    .select({ id: coreUsers.id, email: coreUsers.email })
    .from(coreUsers)
    .where(
      inArray(
        sql`lower(${coreUsers.email})`,
        Object.values(demoLogins).map((e) => e.toLowerCase()),
      ),
    );
  const userIdByEmail = new Map(logins.map((l) => [l.email.toLowerCase(), l.id]));
  const linkedUserIds = [...userIdByEmail.values()];
  if (linkedUserIds.length) {
    // A sign-in links to one person per organization: another person holding it lets go.
    await ctx.db.execute(sql`
      UPDATE coaching.users SET user_id = NULL
      WHERE organization_id = ${org} AND user_id = ANY(${param(linkedUserIds)}::uuid[])
        AND (employee_id IS NULL OR employee_id NOT LIKE ${`${demoEmployeePrefix}%`})`);
  }

  // People, level by level (managers before leaders before agents), upserted on the employee id.
  const ids: Record<string, string> = {};
  const linkedLogins: string[] = [];
  const levels: DemoPerson['role'][][] = [['ADMIN', 'MANAGER'], ['TEAM_LEADER'], ['AGENT']];
  for (const level of levels) {
    const batch = sim.people.filter((p) => level.includes(p.role));
    const values = batch.map((p) => {
      const userId = p.login ? (userIdByEmail.get(demoLogins[p.login]) ?? null) : null;
      if (userId) linkedLogins.push(demoLogins[p.login!]);
      return {
        organizationId: org,
        userId,
        email: p.email,
        name: p.name,
        role: p.role,
        teamLeaderId: p.teamLeaderKey ? ids[p.teamLeaderKey] : null,
        managerId: p.managerKey ? ids[p.managerKey] : null,
        department: 'Customer Contact Centre',
        employeeId: p.employeeId,
        hireDate: p.hireDate,
        phone: p.phone,
        status: statusOf(sim.agents.get(p.key), sim.to),
        learningStyle: p.learningStyle,
        shiftPattern: p.shiftPattern,
        timezone: p.timezone,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      };
    });
    const rows = await ctx.db
      .insert(users)
      .values(values)
      .onConflictDoUpdate({
        target: [users.organizationId, users.employeeId],
        set: {
          userId: sql`excluded.user_id`,
          email: sql`excluded.email`,
          name: sql`excluded.name`,
          role: sql`excluded.role`,
          teamLeaderId: sql`excluded.team_leader_id`,
          managerId: sql`excluded.manager_id`,
          department: sql`excluded.department`,
          hireDate: sql`excluded.hire_date`,
          phone: sql`excluded.phone`,
          status: sql`excluded.status`,
          learningStyle: sql`excluded.learning_style`,
          shiftPattern: sql`excluded.shift_pattern`,
          timezone: sql`excluded.timezone`,
          deletedAt: sql`null`,
          updatedAt: now,
        },
      })
      .returning({ id: users.id, employeeId: users.employeeId });
    for (const r of rows) ids[r.employeeId!.slice(demoEmployeePrefix.length)] = r.id;
  }
  const agentIds = sim.people.filter((p) => p.role === 'AGENT').map((p) => ids[p.key]);
  const allIds = Object.values(ids);

  // Everything that hangs off the demo's agents goes, then comes back from the simulation.
  const agents = sql`ANY(${param(agentIds)}::uuid[])`;
  await ctx.db.execute(sql`DELETE FROM coaching.notifications WHERE organization_id = ${org} AND recipient_id = ANY(${param(allIds)}::uuid[])`);
  await ctx.db.execute(sql`DELETE FROM coaching.import_row_changes WHERE organization_id = ${org} AND agent_id = ${agents}`);
  await ctx.db.execute(sql`DELETE FROM coaching.coaching_effectiveness WHERE organization_id = ${org} AND agent_id = ${agents}`);
  await ctx.db.execute(sql`DELETE FROM coaching.action_items WHERE organization_id = ${org} AND agent_id = ${agents}`);
  await ctx.db.execute(sql`DELETE FROM coaching.quick_notes WHERE organization_id = ${org} AND agent_id = ${agents}`);
  await ctx.db.execute(sql`DELETE FROM coaching.action_plans WHERE organization_id = ${org} AND agent_id = ${agents}`);
  await ctx.db.execute(sql`DELETE FROM coaching.coaching_sessions WHERE organization_id = ${org} AND agent_id = ${agents}`);
  await ctx.db.execute(sql`DELETE FROM coaching.performance_history WHERE organization_id = ${org} AND agent_id = ${agents}`);
  await ctx.db.execute(sql`DELETE FROM coaching.performance_metrics WHERE organization_id = ${org} AND agent_id = ${agents}`);
  await ctx.db.execute(sql`DELETE FROM coaching.agent_profiles WHERE organization_id = ${org} AND agent_id = ${agents}`);

  await insertMetrics(ctx, sim.metrics, ids, now, { replace: false });

  const sessionId = (key: string) => demoUuid(org, `session:${key}`);
  const sessionRows = sim.sessions.map((s) => ({
    id: sessionId(s.key),
    organizationId: org,
    agentId: ids[s.agentKey],
    teamLeaderId: ids[s.leaderKey],
    scheduledDate: s.scheduledAt,
    plannedMinutes: s.plannedMinutes,
    actualStartTime: s.actualStart,
    actualEndTime: s.actualEnd,
    sessionType: s.type,
    status: s.status,
    topicsCovered: s.texts?.topics ?? null,
    discussionNotes: s.texts?.notes ?? null,
    agentCommitments: s.texts?.commitments ?? null,
    resourcesShared: s.texts?.resources ?? null,
    engagementScore: s.texts?.engagement ?? null,
    receptivenessScore: s.texts?.receptiveness ?? null,
    understandingScore: s.texts?.understanding ?? null,
    overallEffectiveness: s.texts?.overall ?? null,
    keyAchievements: s.texts?.achievements ?? null,
    areasOfConcern: s.texts?.concerns ?? null,
    followUpRequired: s.texts?.followUpRequired ?? false,
    followUpDate: s.texts?.followUpDate ?? null,
    followUpTopics: s.texts?.followUpTopics ?? null,
    cancelledReason: s.cancelledReason,
    noShowReason: s.noShowReason,
    createdAt: new Date(s.scheduledAt.getTime() - 10 * 86_400_000),
    updatedAt: s.actualEnd ?? (s.status === 'SCHEDULED' ? now : s.scheduledAt),
  }));
  for (let i = 0; i < sessionRows.length; i += rowChunk) await ctx.db.insert(coachingSessions).values(sessionRows.slice(i, i + rowChunk));

  const noteRows = sim.notes.map((n) => ({
    id: demoUuid(org, n.key),
    organizationId: org,
    teamLeaderId: ids[n.leaderKey],
    agentId: ids[n.agentKey],
    noteType: n.noteType,
    category: n.category,
    subcategory: n.subcategory,
    content: n.content,
    callId: n.callId,
    timestampOccurred: n.occurredAt,
    priority: n.priority,
    requiresFollowUp: n.requiresFollowUp,
    linkedSessionId: n.linkedSessionKey ? sessionId(n.linkedSessionKey) : null,
    addressed: n.linkedSessionKey !== null,
    addressedDate: n.addressedAt,
    addressedNotes: n.linkedSessionKey ? 'Discussed in the coaching session.' : null,
    createdAt: n.occurredAt,
    updatedAt: n.addressedAt ?? n.occurredAt,
  }));
  for (let i = 0; i < noteRows.length; i += rowChunk) await ctx.db.insert(quickNotes).values(noteRows.slice(i, i + rowChunk));

  const itemRows = sim.actionItems.map((a) => ({
    id: demoUuid(org, a.key),
    organizationId: org,
    sessionId: sessionId(a.sessionKey),
    agentId: ids[a.agentKey],
    assignedBy: ids[a.leaderKey],
    title: a.title,
    description: a.description,
    category: a.category,
    dueDate: a.dueDate,
    reminderDate: a.reminderDate,
    completedDate: a.completedAt,
    priority: a.priority,
    status: a.status,
    progressPercentage: a.progress,
    progressNotes: a.progress > 0 && a.status !== 'COMPLETED' ? 'Started; practising on live calls.' : null,
    blockers: a.status === 'OVERDUE' ? 'Peak volume left no time off the phones.' : null,
    completionNotes: a.status === 'COMPLETED' ? 'Done and discussed with the team leader.' : null,
    verifiedBy: a.verified ? ids[a.leaderKey] : null,
    verificationDate: a.verified && a.completedAt ? new Date(a.completedAt.getTime() + 2 * 86_400_000) : null,
    createdAt: a.createdAt,
    updatedAt: a.completedAt ?? a.createdAt,
  }));
  for (let i = 0; i < itemRows.length; i += rowChunk) await ctx.db.insert(actionItems).values(itemRows.slice(i, i + rowChunk));

  const profileRows = [...sim.profiles].map(([key, p]) => {
    const leaderKey = sim.people.find((x) => x.key === key)?.teamLeaderKey;
    return {
      agentId: ids[key],
      organizationId: org,
      ...p,
      profileCreatedBy: leaderKey ? ids[leaderKey] : null,
      lastUpdatedBy: leaderKey ? ids[leaderKey] : null,
      createdAt: now,
      updatedAt: now,
    };
  });
  await ctx.db.insert(agentProfiles).values(profileRows);

  return { personIds: ids, linkedLogins };
}

const numericColumns = new Set([
  'service_score',
  'productivity_score',
  'quality_score',
  'attendance_rate',
  'adherence_score',
  'csat',
  'fcr',
  'scheduled_hours',
  'actual_hours',
  'script_adherence',
  'compliance_score',
  'qa_score',
]);

/**
 * Bulk insert of daily metrics: one `unnest` statement per 10,000 rows. With `replace` (default) existing rows of the
 * same agent-days are overwritten; without it the caller has cleared them (a plain insert is faster).
 */
export async function insertMetrics(
  ctx: ServiceContext,
  rows: DemoMetricRow[],
  ids: Record<string, string>,
  now: Date,
  options: { replace?: boolean } = {},
): Promise<number> {
  const org = ctx.organization.id;
  const columns = sql.raw(metricColumns.join(', '));
  const updates = sql.raw(metricColumns.map((c) => `${c} = excluded.${c}`).join(', '));
  let written = 0;
  for (let i = 0; i < rows.length; i += metricsChunkRows) {
    const chunk = rows.slice(i, i + metricsChunkRows);
    const arrays = metricColumns.map((c) => sql`${param(chunk.map((r) => r[c]))}::${sql.raw(numericColumns.has(c) ? 'numeric[]' : 'int[]')}`);
    const result = await sqlRows<{ n: number }>(
      ctx.db,
      sql`WITH written AS (
        INSERT INTO coaching.performance_metrics (organization_id, agent_id, metric_date, ${columns}, imported_from, created_at, updated_at)
        SELECT ${org}::uuid, r.agent_id, r.metric_date, ${sql.raw(metricColumns.map((c) => `r.${c}`).join(', '))}, 'demo', ${now}, ${now}
        FROM unnest(
          ${param(chunk.map((r) => ids[r.agentKey]))}::uuid[],
          ${param(chunk.map((r) => r.metric_date))}::date[],
          ${sql.join(arrays, sql`, `)}
        ) AS r(agent_id, metric_date, ${columns})
        ${
          options.replace === false
            ? sql``
            : sql`ON CONFLICT (organization_id, agent_id, metric_date) DO UPDATE SET ${updates}, imported_from = excluded.imported_from, updated_at = excluded.updated_at`
        }
        RETURNING 1
      ) SELECT count(*)::int AS n FROM written`,
    );
    written += Number(result[0]?.n ?? 0);
  }
  return written;
}
