import { and, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { createOfflineProvider, withFallback, type AiProvider } from '../../../core/ai/index.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { actionItems, actionPlans, agentProfiles, coachingSessions, performanceHistory, quickNotes, users, type LearningStyle } from '../schema.js';
import { resolveCoachingViewer } from '../shared/access.js';
import { averageMetricsBetween, round2 } from '../shared/metric-windows.js';
import { metricByKey, type MetricDefinition } from '../shared/metrics.js';
import { loadPerson, peopleById } from './people.js';
import { coachingError } from '../shared/errors.js';
import { addDays, localDate, zonedInstant } from './time.js';
import { loadRunnableSession, toSessionView, type SessionRow } from './session-service.js';

/** Where a point of the prep comes from, so the team leader can check it. */
export interface Citation {
  type: 'metric' | 'history' | 'note' | 'action_item' | 'session' | 'plan';
  id: string;
  label: string;
  date: string | null;
}

export interface PrepTopic {
  topic: string;
  /** How to run it for this agent's learning style (or why it is on the list). */
  approach: string;
  citations: Citation[];
}

/** The metrics a prep compares (scores and rates; hours and break minutes say little on their own). */
export const prepMetricKeys = [
  'composite_score',
  'service_score',
  'productivity_score',
  'quality_score',
  'attendance_rate',
  'adherence_score',
  'csat',
  'fcr',
  'aht',
  'qa_score',
  'compliance_score',
  'script_adherence',
  'calls_handled',
];
const weaknessCandidates = prepMetricKeys.filter((k) => k !== 'composite_score' && k !== 'calls_handled');
/** performance_history trend columns of the composite components. */
const historyTrendColumns: Record<string, { column: keyof typeof performanceHistory.$inferSelect; label: string }> = {
  service_score: { column: 'serviceTrend', label: 'service trend' },
  productivity_score: { column: 'productivityTrend', label: 'productivity trend' },
  quality_score: { column: 'qualityTrend', label: 'quality trend' },
  attendance_rate: { column: 'attendanceTrend', label: 'attendance trend' },
  adherence_score: { column: 'adherenceTrend', label: 'adherence trend' },
};

const styleApproach: Record<LearningStyle, (label: string) => string> = {
  VISUAL: (label) => `Walk through the ${label} chart of the last 30 days together and mark where it dipped.`,
  AUDITORY: (label) => `Listen to a call recording together where ${label} suffered, and talk through what to say differently.`,
  KINESTHETIC: (label) => `Role-play a call that tests ${label}, then swap roles and try it again.`,
  READING: (label) => `Share a short written guide on ${label} with the key steps, and agree to go over it before the next session.`,
};

const fmt = (m: MetricDefinition, value: number | null) => {
  if (value == null) return 'n/a';
  if (m.unit === 'seconds') return `${Math.round(value)} s`;
  if (m.unit === 'percent') return `${round2(value)} %`;
  return String(round2(value));
};

/** Builds the prep from the data (deterministic), then lets a configured model phrase the agenda from the cited facts. */
export async function buildPrep(ctx: ServiceContext, session: SessionRow, options: { ai?: AiProvider } = {}): Promise<Record<string, unknown>> {
  const now = ctx.clock.now();
  const asOf = localDate(now, ctx.organization.timezone);
  const end = addDays(asOf, -1);
  const windows = {
    last14: { from: addDays(asOf, -14), to: end },
    previous14: { from: addDays(asOf, -28), to: addDays(asOf, -15) },
    last30: { from: addDays(asOf, -30), to: end },
  };
  const agent = await loadPerson(ctx, session.agentId);
  const [profile] = await ctx.db
    .select()
    .from(agentProfiles)
    .where(and(eq(agentProfiles.organizationId, ctx.organization.id), eq(agentProfiles.agentId, agent.id)));
  const learningStyle = (profile?.learningStyle ?? agent.learningStyle ?? null) as LearningStyle | null;
  const styleKnown = learningStyle !== null && learningStyle in styleApproach;
  const style: LearningStyle = styleKnown ? learningStyle : 'VISUAL';

  // Team: the agent's team leader's living agents (the agent included).
  const team = agent.teamLeaderId
    ? await ctx.db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.organizationId, ctx.organization.id), eq(users.teamLeaderId, agent.teamLeaderId), eq(users.role, 'AGENT'), isNull(users.deletedAt)))
    : [];
  const teamIds = [...new Set([agent.id, ...team.map((r) => r.id)])];
  const [a14, a30, p14] = await Promise.all([
    averageMetricsBetween(ctx, [agent.id], windows.last14.from, windows.last14.to),
    averageMetricsBetween(ctx, [agent.id], windows.last30.from, windows.last30.to),
    averageMetricsBetween(ctx, [agent.id], windows.previous14.from, windows.previous14.to),
  ]);
  const t14 = await averageMetricsBetween(ctx, teamIds, windows.last14.from, windows.last14.to);
  const t30 = await averageMetricsBetween(ctx, teamIds, windows.last30.from, windows.last30.to);
  const teamMean = (map: typeof t14, key: string) => {
    const values = [...map.values()].map((v) => v.values[key]).filter((v): v is number => v != null);
    return values.length ? round2(values.reduce((s, v) => s + v, 0) / values.length) : null;
  };
  const metricCitation = (key: string, window: { from: string; to: string }, what: string): Citation => ({
    type: 'metric',
    id: key,
    label: `${metricByKey.get(key)?.label ?? key}: ${what}, ${window.from} to ${window.to}`,
    date: window.to,
  });

  const snapshot = prepMetricKeys
    .map((key) => {
      const m = metricByKey.get(key)!;
      const agent14 = a14.get(agent.id)?.values[key] ?? null;
      const agent30 = a30.get(agent.id)?.values[key] ?? null;
      if (agent14 == null && agent30 == null) return null;
      return {
        metric: key,
        label: m.label,
        unit: m.unit,
        higherIsBetter: m.higherIsBetter,
        agent14,
        agent30,
        team14: teamMean(t14, key),
        team30: teamMean(t30, key),
        citations: [
          metricCitation(key, windows.last14, `${agent.name}'s 14-day average ${fmt(m, agent14)}`),
          metricCitation(key, windows.last30, `30-day average ${fmt(m, agent30)} vs team ${fmt(m, teamMean(t30, key))}`),
        ],
      };
    })
    .filter((s) => s !== null);
  const daysWithData = { last14: a14.get(agent.id)?.days ?? 0, last30: a30.get(agent.id)?.days ?? 0 };

  // Weakest: furthest below the team's 30-day average, relative to it, signed so that worse is negative.
  const gaps = snapshot
    .filter((s) => weaknessCandidates.includes(s.metric) && s.agent30 != null && s.team30 != null && s.team30 !== 0)
    .map((s) => ({ s, gapPct: round2(((s.agent30! - s.team30!) / Math.abs(s.team30!)) * 100 * (s.higherIsBetter ? 1 : -1)) }))
    .sort((x, y) => x.gapPct - y.gapPct);
  const below = gaps.filter((g) => g.gapPct < 0).slice(0, 3);
  const weakestPicked = below.length ? below : gaps.slice(0, 1);

  const [latestWeek] = await ctx.db
    .select()
    .from(performanceHistory)
    .where(
      and(
        eq(performanceHistory.organizationId, ctx.organization.id),
        eq(performanceHistory.agentId, agent.id),
        eq(performanceHistory.periodType, 'WEEK'),
        lte(performanceHistory.periodEnding, end),
      ),
    )
    .orderBy(desc(performanceHistory.periodEnding))
    .limit(1);

  const weakest = weakestPicked.map(({ s, gapPct }) => {
    const m = metricByKey.get(s.metric)!;
    const citations: Citation[] = [metricCitation(s.metric, windows.last30, `${fmt(m, s.agent30)} vs team ${fmt(m, s.team30)} (${gapPct} %)`)];
    let trend: { source: 'history' | 'windows'; change: number | null; direction: 'improving' | 'declining' | 'steady' | 'unknown'; detail: string };
    const historyColumn = historyTrendColumns[s.metric];
    const historyValue = historyColumn && latestWeek ? (latestWeek[historyColumn.column] as number | null) : null;
    if (historyColumn && latestWeek && historyValue != null) {
      const change = Number(historyValue);
      trend = {
        source: 'history',
        change,
        direction: direction(change, m, s.agent30),
        detail: `${historyColumn.label} ${signed(change)} in the week ending ${latestWeek.periodEnding}`,
      };
      citations.push({
        type: 'history',
        id: latestWeek.id,
        label: `Week ending ${latestWeek.periodEnding}: ${historyColumn.label} ${signed(change)}`,
        date: latestWeek.periodEnding,
      });
    } else {
      const now14 = a14.get(agent.id)?.values[s.metric] ?? null;
      const before14 = p14.get(agent.id)?.values[s.metric] ?? null;
      const change = now14 != null && before14 != null ? round2(now14 - before14) : null;
      trend = {
        source: 'windows',
        change,
        direction: change == null ? 'unknown' : direction(change, m, before14),
        detail: change == null ? 'not enough days to compare' : `${fmt(m, before14)} → ${fmt(m, now14)} (last 14 days vs the 14 before)`,
      };
      if (change != null) citations.push(metricCitation(s.metric, windows.previous14, `previous 14-day average ${fmt(m, before14)}`));
    }
    return { metric: s.metric, label: m.label, unit: m.unit, value: s.agent30, teamAverage: s.team30, gapPct, belowTeam: gapPct < 0, trend, citations };
  });

  const notes = await ctx.db
    .select()
    .from(quickNotes)
    .where(and(eq(quickNotes.organizationId, ctx.organization.id), eq(quickNotes.agentId, agent.id), eq(quickNotes.addressed, false)))
    .orderBy(sql`CASE ${quickNotes.priority} WHEN 'HIGH' THEN 0 WHEN 'MEDIUM' THEN 1 ELSE 2 END`, desc(quickNotes.timestampOccurred))
    .limit(10);
  const unaddressedNotes = notes.map((n) => ({
    id: n.id,
    noteType: n.noteType,
    priority: n.priority,
    category: n.category,
    content: n.content,
    occurredAt: n.timestampOccurred,
    citation: {
      type: 'note',
      id: n.id,
      label: `${n.noteType.toLowerCase()} note: ${short(n.content)}`,
      date: n.timestampOccurred ? localDate(n.timestampOccurred, ctx.organization.timezone) : null,
    } as Citation,
  }));

  const overdueRows = await ctx.db
    .select()
    .from(actionItems)
    .where(
      and(
        eq(actionItems.organizationId, ctx.organization.id),
        eq(actionItems.agentId, agent.id),
        or(eq(actionItems.status, 'OVERDUE'), and(inArray(actionItems.status, ['PENDING', 'IN_PROGRESS']), lt(actionItems.dueDate, asOf))),
      ),
    )
    .orderBy(actionItems.dueDate);
  const overdueActionItems = overdueRows.map((i) => ({
    id: i.id,
    title: i.title,
    dueDate: i.dueDate,
    daysOverdue: Math.max(0, Math.round((Date.parse(asOf) - Date.parse(i.dueDate)) / 86_400_000)),
    progressPercentage: i.progressPercentage,
    blockers: i.blockers,
    citation: { type: 'action_item', id: i.id, label: `Action item "${short(i.title)}" due ${i.dueDate}`, date: i.dueDate } as Citation,
  }));

  const [last] = await ctx.db
    .select()
    .from(coachingSessions)
    .where(
      and(
        eq(coachingSessions.organizationId, ctx.organization.id),
        eq(coachingSessions.agentId, agent.id),
        eq(coachingSessions.status, 'COMPLETED'),
        lt(coachingSessions.scheduledDate, session.scheduledDate),
      ),
    )
    .orderBy(desc(coachingSessions.scheduledDate))
    .limit(1);
  let lastSession = null;
  if (last) {
    const items = await ctx.db
      .select()
      .from(actionItems)
      .where(and(eq(actionItems.organizationId, ctx.organization.id), eq(actionItems.sessionId, last.id)))
      .orderBy(actionItems.dueDate);
    const date = localDate(last.actualStartTime ?? last.scheduledDate, ctx.organization.timezone);
    lastSession = {
      id: last.id,
      date,
      sessionType: last.sessionType,
      agentCommitments: last.agentCommitments,
      followUpTopics: last.followUpTopics ?? [],
      followUpDate: last.followUpDate,
      topicsCovered: last.topicsCovered ?? [],
      overallEffectiveness: last.overallEffectiveness,
      actionItems: items.map((i) => ({
        id: i.id,
        title: i.title,
        status: i.status,
        progressPercentage: i.progressPercentage,
        dueDate: i.dueDate,
        citation: {
          type: 'action_item',
          id: i.id,
          label: `Action item "${short(i.title)}": ${i.status.toLowerCase()}, ${i.progressPercentage} %`,
          date: i.dueDate,
        } as Citation,
      })),
      citation: { type: 'session', id: last.id, label: `${last.sessionType.toLowerCase().replace('_', '-')} session on ${date}`, date } as Citation,
    };
  }

  const [plan] = await ctx.db
    .select()
    .from(actionPlans)
    .where(and(eq(actionPlans.organizationId, ctx.organization.id), eq(actionPlans.agentId, agent.id), inArray(actionPlans.status, ['ACTIVE', 'EXTENDED'])))
    .orderBy(desc(actionPlans.startDate))
    .limit(1);
  const activePlan = plan
    ? {
        id: plan.id,
        status: plan.status,
        startDate: plan.startDate,
        targetEndDate: plan.targetEndDate,
        nextCheckInDate: plan.nextCheckInDate,
        targets: Object.entries(plan.targetMetrics ?? {}).map(([metric, t]) => ({
          metric,
          label: metricByKey.get(metric)?.label ?? metric,
          target: t.target,
          current: a14.get(agent.id)?.values[metric] ?? (t.current as number | undefined) ?? null,
        })),
        mandatoryCriteria: plan.successCriteria?.mandatory ?? [],
        citation: {
          type: 'plan',
          id: plan.id,
          label: `Improvement plan ${plan.startDate} to ${plan.targetEndDate} (${plan.status.toLowerCase()})`,
          date: plan.startDate,
        } as Citation,
      }
    : null;

  // Suggested topics, each cited.
  const suggestedTopics: PrepTopic[] = [];
  for (const w of weakest.filter((x) => x.belowTeam).slice(0, 2)) {
    suggestedTopics.push({
      topic: `${w.label}: ${fmtGap(w.gapPct)} the team average, ${w.trend.direction}`,
      approach: styleApproach[style](w.label),
      citations: w.citations,
    });
  }
  if (lastSession && (lastSession.followUpTopics.length || lastSession.agentCommitments)) {
    const parts = [
      lastSession.agentCommitments ? `commitment "${short(lastSession.agentCommitments, 120)}"` : null,
      lastSession.followUpTopics.length ? `follow-up on ${lastSession.followUpTopics.join(', ')}` : null,
    ].filter(Boolean);
    suggestedTopics.push({
      topic: `What was promised on ${lastSession.date}: ${parts.join('; ')}`,
      approach: 'Ask how it went before giving feedback; check the action items from that session.',
      citations: [lastSession.citation, ...lastSession.actionItems.map((i) => i.citation)],
    });
  }
  if (overdueActionItems.length) {
    suggestedTopics.push({
      topic: `${overdueActionItems.length} overdue action item${overdueActionItems.length > 1 ? 's' : ''}: ${overdueActionItems
        .map((i) => i.title)
        .slice(0, 3)
        .join(', ')}`,
      approach: 'Find the blocker, then agree a realistic new date or drop the item.',
      citations: overdueActionItems.map((i) => i.citation),
    });
  }
  const concerns = unaddressedNotes.filter((n) => n.noteType !== 'POSITIVE' && n.noteType !== 'GENERAL');
  if (concerns.length) {
    suggestedTopics.push({
      topic: `Notes to discuss: ${concerns
        .slice(0, 3)
        .map((n) => short(n.content, 60))
        .join('; ')}`,
      approach: 'Go through the specific calls; ask for the agent’s view first.',
      citations: concerns.map((n) => n.citation),
    });
  }
  const praise = unaddressedNotes.filter((n) => n.noteType === 'POSITIVE');
  if (praise.length) {
    suggestedTopics.push({
      topic: `Recognise: ${praise
        .slice(0, 2)
        .map((n) => short(n.content, 60))
        .join('; ')}`,
      approach: 'Open with it: name the behaviour and why it mattered.',
      citations: praise.map((n) => n.citation),
    });
  }
  if (activePlan) {
    suggestedTopics.push({
      topic: `Improvement plan targets: ${activePlan.targets.map((t) => `${t.label} ${t.current ?? 'n/a'} → ${t.target}`).join(', ') || 'review the criteria'}`,
      approach: activePlan.nextCheckInDate
        ? `Next check-in ${activePlan.nextCheckInDate}; agree what must change before then.`
        : 'Agree what must change before the next check-in.',
      citations: [activePlan.citation],
    });
  }

  const prep = {
    version: 1,
    sessionId: session.id,
    agentId: agent.id,
    generatedAt: now.toISOString(),
    asOf,
    windows,
    daysWithData,
    learningStyle: styleKnown ? learningStyle : null,
    learningStyleNote: styleKnown ? null : 'No learning style on the agent profile; topics suggest a visual approach.',
    snapshot,
    weakest,
    unaddressedNotes,
    overdueActionItems,
    lastSession,
    activePlan,
    suggestedTopics,
  };
  const agenda = await phraseAgenda(ctx, agent.name, suggestedTopics, options.ai);
  return { ...prep, agenda: agenda.agenda, generation: agenda.generation };
}

function direction(change: number, m: MetricDefinition, base: number | null): 'improving' | 'declining' | 'steady' {
  const tolerance = Math.max(Math.abs(base ?? 0) * 0.01, 0.01);
  if (Math.abs(change) < tolerance) return 'steady';
  return change > 0 === m.higherIsBetter ? 'improving' : 'declining';
}
const signed = (n: number) => (n > 0 ? `+${round2(n)}` : String(round2(n)));
const fmtGap = (gapPct: number) => (gapPct < 0 ? `${Math.abs(gapPct)} % below` : `${gapPct} % above`);
const short = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Numbered facts for the agenda: topic i cites facts; the model refers to them as [n]. */
function citationIndex(topics: PrepTopic[]): Citation[] {
  const seen = new Map<string, Citation>();
  for (const t of topics) for (const c of t.citations) seen.set(`${c.type}:${c.id}:${c.date}:${c.label}`, c);
  return [...seen.values()];
}

export function offlineAgenda(agentName: string, topics: PrepTopic[]): string {
  if (topics.length === 0)
    return `No open points for ${agentName}: metrics are at or above the team average, nothing overdue, no open notes. Ask what they want to work on.`;
  const facts = citationIndex(topics);
  const ref = (c: Citation) => facts.findIndex((f) => f.type === c.type && f.id === c.id && f.label === c.label && f.date === c.date) + 1;
  return topics.map((t, i) => `${i + 1}. ${t.topic} — ${t.approach} [${t.citations.map(ref).join(', ')}]`).join('\n');
}

/**
 * The agenda text: offline from the topics; with a model, phrased by it from the numbered facts only. On a model
 * failure the offline agenda is used and the generation block says why.
 */
async function phraseAgenda(ctx: ServiceContext, agentName: string, topics: PrepTopic[], ai: AiProvider | undefined) {
  const offline = offlineAgenda(agentName, topics);
  const facts = citationIndex(topics);
  const base = { text: offline, citations: facts };
  if (!ai || ai.name === 'offline') {
    return {
      agenda: base,
      generation: { mode: 'offline', provider: 'offline', model: null, fallbackReason: null, note: 'Built from the data without a language model.' },
    };
  }
  const prompt = [
    `Write a short agenda (at most ${Math.max(3, topics.length + 1)} numbered lines) for a one-to-one coaching session with ${agentName}.`,
    'Use only the facts below. After each line, cite the facts it uses as [n]. Do not add numbers that are not in the facts.',
    '',
    'Facts:',
    ...facts.map((f, i) => `[${i + 1}] (${f.type}${f.date ? `, ${f.date}` : ''}) ${f.label}`),
    '',
    'Suggested topics:',
    ...topics.map((t) => `- ${t.topic} (${t.approach})`),
  ].join('\n');
  try {
    const generated = await withFallback(ai, createOfflineProvider()).generateText({
      system: 'You help a contact-centre team leader prepare a coaching one-to-one. Be concrete and brief.',
      prompt,
      maxTokens: 600,
      temperature: 0.2,
      purpose: 'coaching.session-prep',
      fallback: () => offline,
    });
    const text = generated.text.trim();
    if (generated.producedWithoutModel || !text) {
      const reason = generated.fallbackReason ?? 'the model returned no text';
      return {
        agenda: base,
        generation: {
          mode: 'offline',
          provider: ai.name,
          model: ai.model,
          fallbackReason: reason,
          note: `The model failed (${reason}); the agenda was built from the data without it.`,
        },
      };
    }
    return {
      agenda: { text, citations: facts },
      generation: {
        mode: 'model',
        provider: generated.provider,
        model: generated.model,
        fallbackReason: null,
        note: 'Agenda phrased by a language model from the cited facts only.',
      },
    };
  } catch (error) {
    ctx.log.warn({ err: error }, 'coaching prep: model failed, offline agenda used');
    const reason = (error as Error).message;
    return {
      agenda: base,
      generation: {
        mode: 'offline',
        provider: ai.name,
        model: ai.model,
        fallbackReason: reason,
        note: `The model failed (${reason}); the agenda was built from the data without it.`,
      },
    };
  }
}

/** What an agent sees of their own prep: the data-based parts, without the leader's private notes and the agenda text. */
export function agentPrepView(prep: Record<string, unknown>): Record<string, unknown> {
  const isPrivateNote = (c: Citation) => c.type === 'note';
  const notes = (prep.unaddressedNotes as { noteType: string }[] | undefined) ?? [];
  const topics = ((prep.suggestedTopics as PrepTopic[] | undefined) ?? []).filter((t) => !t.citations.some(isPrivateNote));
  const { agenda: _agenda, unaddressedNotes: _notes, ...rest } = prep;
  return {
    ...rest,
    unaddressedNotes: notes.filter((n) => n.noteType === 'POSITIVE'),
    suggestedTopics: topics,
    agenda: null,
    hiddenFromAgent: ["the team leader's coaching notes", 'the agenda'],
  };
}

/** (Re)generates and stores a session's prep (no access check: callers check). */
export async function prepareSession(ctx: ServiceContext, sessionId: string, options: { ai?: AiProvider } = {}): Promise<SessionRow> {
  const [session] = await ctx.db
    .select()
    .from(coachingSessions)
    .where(and(eq(coachingSessions.organizationId, ctx.organization.id), eq(coachingSessions.id, sessionId)));
  if (!session) throw new Error(`session ${sessionId} not found`);
  const prep = await buildPrep(ctx, session, options);
  return inTransaction(ctx, async (tx) => {
    const [updated] = await tx.db.update(coachingSessions).set({ prepData: prep }).where(eq(coachingSessions.id, sessionId)).returning();
    return updated;
  });
}

/** POST /sessions/:id/prep: the session's leader, a manager above or an admin regenerates it on demand. */
export async function regeneratePrep(ctx: ServiceContext, sessionId: string, options: { ai?: AiProvider } = {}) {
  const viewer = await resolveCoachingViewer(ctx);
  const { row } = await loadRunnableSession(ctx, viewer, sessionId, 'prepare coaching sessions');
  if (row.status !== 'SCHEDULED' && row.status !== 'IN_PROGRESS') {
    // A finished session keeps the prep the leader had; rebuilding it would rewrite that record with today's data.
    throw coachingError('SESSION_CLOSED', `This session is ${row.status.replace('_', '-').toLowerCase()}; prep is rebuilt only for sessions still to run.`, {
      status: 409,
    });
  }
  const prepared = await prepareSession(ctx, sessionId, options);
  return toSessionView(prepared, await peopleById(ctx, [prepared.agentId, prepared.teamLeaderId]), viewer);
}

/** Daily job: prep for every scheduled session starting on tomorrow's local date (organization's zone). */
export async function prepareTomorrowsSessions(
  ctx: ServiceContext,
  options: { ai?: AiProvider } = {},
): Promise<{ date: string; prepared: number; failed: number }> {
  const tomorrow = addDays(localDate(ctx.clock.now(), ctx.organization.timezone), 1);
  const from = zonedInstant(tomorrow, '00:00', ctx.organization.timezone);
  const to = zonedInstant(addDays(tomorrow, 1), '00:00', ctx.organization.timezone);
  const rows = await ctx.db
    .select({ id: coachingSessions.id })
    .from(coachingSessions)
    .where(
      and(
        eq(coachingSessions.organizationId, ctx.organization.id),
        eq(coachingSessions.status, 'SCHEDULED'),
        sql`${coachingSessions.scheduledDate} >= ${from.toISOString()}::timestamptz AND ${coachingSessions.scheduledDate} < ${to.toISOString()}::timestamptz`,
      ),
    );
  let prepared = 0;
  let failed = 0;
  for (const r of rows) {
    try {
      await prepareSession(ctx, r.id, options);
      prepared++;
    } catch (error) {
      failed++;
      ctx.log.warn({ err: error, sessionId: r.id }, 'coaching prep failed for a session of tomorrow');
    }
  }
  return { date: tomorrow, prepared, failed };
}
