import { normalAt, uniformAt } from '../../../core/seeded-random.js';
import type { ActionItemStatus, Priority, SessionStatus, SessionType } from '../schema.js';
import { addDays, dayOfWeek, daysBetween, zonedInstant, type IsoDate } from './dates.js';
import {
  csatFadePerDay,
  demoMethods,
  effectCaps,
  effectDims,
  groundTruth,
  leaderMethodWeights,
  methodsForIssue,
  type DemoIssue,
  type DemoMethod,
  type EffectDim,
} from './ground-truth.js';
import { buildRoster, type DemoAgentTraits, type DemoPerson, type PlanRole } from './roster.js';
import {
  actionItemFor,
  blackFridayOf,
  noteFor,
  profileFor,
  sessionTexts,
  type DemoActionItemText,
  type DemoNoteText,
  type DemoProfile,
  type DemoSessionTexts,
} from './texts.js';

export const defaultCoachingDemoSeed = 20_261_205;
/** Days of daily metrics (a year ending the end date). */
export const demoHistoryDays = 365;
/**
 * The coaching programme (sessions, notes, action items) runs over the last 20 weeks: long enough for sustained-at-90-days
 * checks, short enough that the effectiveness evaluation of every session stays quick.
 */
export const coachingProgrammeDays = 140;
/** Upcoming sessions fall within this many days after the end date. */
const upcomingHorizonDays = 28;

/** One row of coaching.performance_metrics, keyed by column name. */
export interface DemoMetricRow {
  agentKey: string;
  metric_date: IsoDate;
  service_score: number | null;
  productivity_score: number | null;
  quality_score: number | null;
  attendance_rate: number;
  adherence_score: number | null;
  csat: number | null;
  fcr: number | null;
  aht: number | null;
  calls_handled: number;
  calls_transferred: number;
  calls_escalated: number;
  scheduled_hours: number;
  actual_hours: number;
  break_time_minutes: number;
  lunch_time_minutes: number;
  aux_time_minutes: number;
  script_adherence: number | null;
  compliance_score: number | null;
  qa_score: number | null;
}

export const metricColumns = [
  'service_score',
  'productivity_score',
  'quality_score',
  'attendance_rate',
  'adherence_score',
  'csat',
  'fcr',
  'aht',
  'calls_handled',
  'calls_transferred',
  'calls_escalated',
  'scheduled_hours',
  'actual_hours',
  'break_time_minutes',
  'lunch_time_minutes',
  'aux_time_minutes',
  'script_adherence',
  'compliance_score',
  'qa_score',
] as const;

export interface DemoSession {
  key: string;
  agentKey: string;
  leaderKey: string;
  date: IsoDate;
  scheduledAt: Date;
  plannedMinutes: number;
  actualStart: Date | null;
  actualEnd: Date | null;
  type: SessionType;
  status: SessionStatus;
  issue: DemoIssue | null;
  method: DemoMethod | null;
  texts: DemoSessionTexts | null;
  cancelledReason: string | null;
  noShowReason: string | null;
  planKey: string | null;
}

export interface DemoNote extends DemoNoteText {
  key: string;
  agentKey: string;
  leaderKey: string;
  occurredAt: Date;
  linkedSessionKey: string | null;
  addressedAt: Date | null;
}

export interface DemoActionItem extends DemoActionItemText {
  key: string;
  agentKey: string;
  leaderKey: string;
  sessionKey: string;
  dueDate: IsoDate;
  reminderDate: IsoDate;
  status: ActionItemStatus;
  priority: Priority;
  progress: number;
  completedAt: Date | null;
  verified: boolean;
  createdAt: Date;
}

export interface DemoPlan {
  key: string;
  role: PlanRole;
  agentKey: string;
  leaderKey: string;
  managerKey: string;
  startDate: IsoDate;
  targetEndDate: IsoDate;
  /** Check-in dates (weekly) up to the end date. */
  checkIns: IsoDate[];
  reason: string;
  /** Filled by `setPlanTargets` from the simulated metrics. */
  targetMetrics: Record<string, { target: number; current: number }>;
  mandatory: string[];
  recommended: string[];
}

export interface CoachingDemoSimulation {
  seed: number;
  from: IsoDate;
  to: IsoDate;
  timezone: string;
  people: DemoPerson[];
  agents: Map<string, DemoAgentTraits>;
  metrics: DemoMetricRow[];
  sessions: DemoSession[];
  notes: DemoNote[];
  actionItems: DemoActionItem[];
  plans: DemoPlan[];
  profiles: Map<string, DemoProfile>;
  /** Per agent: the latent coaching lift on the end date (what the ground truth added). */
  finalLift: Map<string, Record<EffectDim, number>>;
}

export interface SimulateOptions {
  /** Last day with metrics (yesterday in the organization's time zone). */
  endDate: IsoDate;
  seed?: number;
  /** The organization's time zone (metric dates are its local dates). */
  timezone?: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Contact volume relative to an average day, by season (December peak, summer lull, Black Friday, January returns). */
export function seasonalVolume(date: IsoDate): number {
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const bf = blackFridayOf(Number(date.slice(0, 4)));
  const sinceBf = daysBetween(bf, date);
  if (sinceBf >= 0 && sinceBf <= 3) return 1.38;
  if (month === 12) return day <= 23 ? 1.3 : day === 24 ? 0.85 : 1.15;
  if (month === 11) return sinceBf > 3 ? 1.2 : 1.06;
  if (month === 1) return day <= 15 ? 1.14 : 1.0;
  if (month === 7 || month === 8) return 0.88;
  return [0, 1, 0.96, 0.97, 0.98, 0.99, 0.95, 0.88, 0.88, 1.0, 1.01, 1.06][month - 1];
}

const weekdayVolume = [0.72, 1.12, 1.04, 1.0, 0.98, 0.95, 0.82];

/** Whether the contact centre is closed (Christmas Day, New Year's Day). */
const closed = (date: IsoDate) => date.endsWith('-12-25') || date.endsWith('-01-01');

interface AgentState {
  target: Record<EffectDim, number>;
  current: Record<EffectDim, number>;
  room: number;
}

const zeroDims = (): Record<EffectDim, number> => Object.fromEntries(effectDims.map((d) => [d, 0])) as Record<EffectDim, number>;

/**
 * Simulates the contact centre: people, a year of daily metrics, the coaching programme of the last half year (sessions
 * whose ground-truth effect feeds back into the metrics, notes, action items), three improvement plans and the agents'
 * profiles. Deterministic for a seed and end date.
 */
export function simulateCoachingDemo(options: SimulateOptions): CoachingDemoSimulation {
  const seed = options.seed ?? defaultCoachingDemoSeed;
  const timezone = options.timezone ?? 'America/New_York';
  const to = options.endDate;
  const from = addDays(to, -(demoHistoryDays - 1));
  const programmeStart = addDays(to, -coachingProgrammeDays);
  const { people, agents } = buildRoster(to, seed);
  const byKey = new Map(people.map((p) => [p.key, p]));
  const metrics: DemoMetricRow[] = [];
  const sessions: DemoSession[] = [];
  const notes: DemoNote[] = [];
  const actionItems: DemoActionItem[] = [];
  const profiles = new Map<string, DemoProfile>();
  const finalLift = new Map<string, Record<EffectDim, number>>();
  const plans = planFor(people, agents, to);
  const leaderSlots = new Map<string, Set<string>>();

  let agentIndex = 0;
  for (const person of people) {
    if (person.role !== 'AGENT') continue;
    const traits = agents.get(person.key)!;
    const i = agentIndex++;
    const leader = byKey.get(person.teamLeaderKey!)!;
    const plan = plans.find((p) => p.agentKey === person.key) ?? null;
    const schedule = traits.coached ? sessionDates(traits, plan, programmeStart, to, seed, i) : [];
    const state: AgentState = { target: zeroDims(), current: zeroDims(), room: 1 + 0.4 * Math.max(0, -traits.skill) };
    const history: DemoMetricRow[] = [];
    const agentSessions: DemoSession[] = [];
    let followUpNext = false;
    let scheduleIndex = 0;

    for (let t = 0; t <= demoHistoryDays - 1 + upcomingHorizonDays; t++) {
      const date = addDays(from, t);
      const dayNumber = daysBetween('2000-01-01', date);
      const future = date > to;
      // Coaching effects approach their target over a few days; call review's CSAT lift fades.
      for (const d of effectDims) state.current[d] += (state.target[d] - state.current[d]) * 0.35;
      state.target.csatFading *= csatFadePerDay;

      const rostered = isRostered(traits, date);
      const absent = rostered && !future && absenceAt(traits, seed, i, dayNumber, date);
      let row: DemoMetricRow | null = null;
      if (rostered && !future) {
        row = dayMetrics(traits, person, state, date, seed, i, dayNumber, absent, plan);
        metrics.push(row);
        history.push(row);
      }

      // Sessions planned for this day.
      while (scheduleIndex < schedule.length && schedule[scheduleIndex].date === date) {
        const planned = schedule[scheduleIndex++];
        const session = placeSession(planned, person, leader, traits, seed, i, leaderSlots, to, absent, !rostered || onLeave(traits, date));
        if (session.status === 'COMPLETED') {
          session.type = planned.pip ? 'PIP_CHECK' : followUpNext ? 'FOLLOW_UP' : session.type;
          const issue = planned.forcedIssue ?? chooseIssue(traits, history, seed, i, dayNumber);
          const method = planned.forcedMethod ?? chooseMethod(issue, leader.key, seed, i, dayNumber);
          session.issue = issue;
          session.method = method;
          const window = history.slice(-14);
          session.texts = sessionTexts({ agent: person, leader, issue, method, window, traits, seed, index: dayNumber * 31 + i, date });
          followUpNext = session.texts.followUpRequired;
          // The ground truth: this session's method moves the agent's latent skills from tomorrow on.
          const truth = groundTruth[method];
          for (const [dim, share] of Object.entries(truth) as [EffectDim, number][]) {
            const cap = effectCaps[dim] * state.room;
            state.target[dim] += share * traits.receptiveness * (cap - state.target[dim]);
          }
          if (row) row.aux_time_minutes += session.plannedMinutes;
        } else if (session.status !== 'SCHEDULED') followUpNext = followUpNext || session.status === 'NO_SHOW';
        sessions.push(session);
        agentSessions.push(session);
      }
    }
    finalLift.set(person.key, { ...state.current });

    notes.push(...notesFor(person, leader, traits, agentSessions, programmeStart, to, timezone, seed, i));
    actionItems.push(...actionItemsFor(person, leader, agentSessions, to, seed, i));
    profiles.set(person.key, profileFor(person, traits, history, seed, i));
  }
  for (const plan of plans) setPlanTargets(plan, metrics);
  return { seed, from, to, timezone, people, agents, metrics, sessions, notes, actionItems, plans, profiles, finalLift };
}

function onLeave(traits: DemoAgentTraits, date: IsoDate): boolean {
  const l = traits.leave;
  return !!l && date >= l.from && (l.to === null || date <= l.to);
}

/** Whether the agent works that day: one rest day a week, the centre's closed days, summer week off, leave. */
export function isRostered(traits: DemoAgentTraits, date: IsoDate): boolean {
  if (dayOfWeek(date) === traits.restDay || closed(date)) return false;
  if (traits.summerBreak && date >= traits.summerBreak && date <= addDays(traits.summerBreak, 6)) return false;
  return !onLeave(traits, date);
}

function absenceAt(traits: DemoAgentTraits, seed: number, i: number, dayNumber: number, date: IsoDate): boolean {
  const dow = dayOfWeek(date);
  const december = date.slice(5, 7) === '12' || date.slice(5, 7) === '01';
  let p = 0.011 + 0.008 * Math.max(0, -traits.discipline) + (dow === 1 || dow === 5 ? 0.006 : 0) + (december ? 0.008 : 0);
  if (traits.planRole === 'failure') p += 0.03;
  return uniformAt(seed, 201 + i * 7, dayNumber) < p;
}

function dayMetrics(
  traits: DemoAgentTraits,
  person: DemoPerson,
  state: AgentState,
  date: IsoDate,
  seed: number,
  i: number,
  dayNumber: number,
  absent: boolean,
  plan: DemoPlan | null,
): DemoMetricRow {
  const n = (stream: number) => normalAt(seed, 1000 + stream * 97 + i, dayNumber);
  const u = (stream: number) => uniformAt(seed, 5000 + stream * 97 + i, dayNumber);
  const dow = dayOfWeek(date);
  const weekend = dow === 0 || dow === 6;
  const scheduled = traits.partTime ? 6 : weekend ? 6 : 8;
  const base: DemoMetricRow = {
    agentKey: person.key,
    metric_date: date,
    service_score: null,
    productivity_score: null,
    quality_score: null,
    attendance_rate: 0,
    adherence_score: null,
    csat: null,
    fcr: null,
    aht: null,
    calls_handled: 0,
    calls_transferred: 0,
    calls_escalated: 0,
    scheduled_hours: scheduled,
    actual_hours: 0,
    break_time_minutes: 0,
    lunch_time_minutes: 0,
    aux_time_minutes: 0,
    script_adherence: null,
    compliance_score: null,
    qa_score: null,
  };
  if (absent) return base;

  const tenure = daysBetween(person.hireDate, date);
  const learning = Math.exp(-Math.max(0, tenure) / 200);
  const season = seasonalVolume(date);
  const pressure = Math.max(0, season - 1);
  const slump = traits.slumpFrom && date >= traits.slumpFrom ? Math.min(1.3, daysBetween(traits.slumpFrom, date) / 25) : 0;
  // The failing plan's agent keeps sliding while the plan runs.
  const drift = plan?.role === 'failure' && date >= plan.startDate ? Math.min(0.5, daysBetween(plan.startDate, date) / 120) : 0;
  const skill = traits.skill - 1.6 * learning - slump - drift;
  const bad = u(1) < (traits.planRole === 'failure' ? 0.06 : 0.03);
  const c = state.current;

  const attendance = u(2) < 0.025 + 0.015 * Math.max(0, -traits.discipline) ? round2(70 + u(3) * 27) : 100;
  const actual = round2((scheduled * attendance) / 100);
  const ahtRaw =
    traits.baseAht *
    (1 + 0.35 * learning) *
    (1 + 0.07 * (slump + drift)) *
    (1 + 0.28 * pressure) *
    (dow === 1 ? 1.03 : 1) *
    (1 - c.aht) *
    (bad ? 1.18 : 1) *
    Math.exp(0.06 * n(1));
  const aht = Math.round(clamp(ahtRaw, 150, 1200));
  const qa = round2(clamp(83 + 4.5 * skill + c.qa + 4 * n(2) - (bad ? 9 : 0) - 5 * pressure, 20, 100));
  const script = round2(clamp(89 + 3 * skill + c.script + 3 * n(3) - (bad ? 5 : 0), 30, 100));
  const slip = u(4) < 0.012;
  const compliance = round2(clamp(94 + 2 * skill + c.compliance + 2 * n(4) - (slip ? 18 : 0), 30, 100));
  const csat = round2(
    clamp(
      4.12 +
        0.2 * skill +
        c.csat +
        c.csatFading -
        0.5 * pressure -
        (person.shiftPattern === 'Evening' ? 0.04 : 0) -
        (dow === 1 ? 0.04 : 0) +
        0.13 * n(5) -
        (bad ? 0.45 : 0),
      1,
      5,
    ),
  );
  const fcr = round2(clamp(73 + 4.5 * skill + c.fcr - 10 * pressure + 4 * n(6) - (bad ? 6 : 0), 25, 98));

  const shortShift = scheduled < 8;
  const overrun = Math.max(0, Math.round(2 - 2 * traits.discipline + 4 * n(7)));
  const breakMinutes = actual > 0 ? Math.round((shortShift ? 15 : 30) + overrun * 0.6) : 0;
  const lunchMinutes = actual > 0 && !shortShift ? Math.round(30 + overrun * 0.4 + Math.max(0, 3 * n(8))) : 0;
  const aux = actual > 0 ? Math.round(12 + Math.abs(n(9)) * 10 + (u(5) < 0.06 ? 45 : 0)) : 0;
  const adherence = round2(clamp(97 - 0.9 * overrun - 2.5 * Math.max(0, -traits.discipline) + 1.5 * n(10) - (bad ? 4 : 0), 40, 100));

  const productiveMinutes = Math.max(0, actual * 60 - breakMinutes - lunchMinutes - aux);
  const occupancy = clamp(0.8 * season * weekdayVolume[dow] * (1 + 0.04 * n(11)), 0.5, 0.94);
  const calls = Math.max(0, Math.round((productiveMinutes * 60 * occupancy) / aht));
  const transferRate = clamp((0.07 - 0.012 * skill) * (1 - c.transfer) * (1 + pressure), 0.005, 0.3);
  const transfers = clamp(Math.round(calls * transferRate + n(12) * Math.sqrt(calls * transferRate)), 0, calls);
  const escalationRate = clamp(0.018 - 0.004 * skill + 0.01 * pressure, 0.002, 0.1);
  const escalations = clamp(Math.round(calls * escalationRate + n(13) * Math.sqrt(calls * escalationRate)), 0, calls);

  const service = round2(clamp(0.55 * (((csat - 1) / 4) * 100) + 0.45 * fcr, 0, 100));
  const productivity = actual > 0 ? round2(clamp((100 * calls) / (actual * 8.2), 0, 100)) : 0;
  const quality = round2(clamp(0.5 * qa + 0.25 * script + 0.25 * compliance, 0, 100));
  return {
    ...base,
    service_score: service,
    productivity_score: productivity,
    quality_score: quality,
    attendance_rate: attendance,
    adherence_score: adherence,
    csat,
    fcr,
    aht,
    calls_handled: calls,
    calls_transferred: transfers,
    calls_escalated: escalations,
    actual_hours: actual,
    break_time_minutes: breakMinutes,
    lunch_time_minutes: lunchMinutes,
    aux_time_minutes: aux,
    script_adherence: script,
    compliance_score: compliance,
    qa_score: qa,
  };
}

interface PlannedSession {
  date: IsoDate;
  pip: boolean;
  forcedIssue: DemoIssue | null;
  forcedMethod: DemoMethod | null;
  planKey: string | null;
}

/** Every 14–21 days on a working weekday from the programme start, weekly PIP check-ins while a plan runs. */
function sessionDates(traits: DemoAgentTraits, plan: DemoPlan | null, programmeStart: IsoDate, to: IsoDate, seed: number, i: number): PlannedSession[] {
  const out: PlannedSession[] = [];
  const workday = (d: IsoDate) => {
    let x = d;
    while (dayOfWeek(x) === 0 || dayOfWeek(x) === 6 || dayOfWeek(x) === traits.restDay || closed(x)) x = addDays(x, 1);
    return x;
  };
  // The next regular session falls within three weeks (plus weekend/rest-day shifts); the day loop runs as far.
  const horizon = addDays(to, upcomingHorizonDays);
  let d = addDays(programmeStart, Math.floor(uniformAt(seed, 301, i) * 14));
  let k = 0;
  let upcoming = 0;
  while (upcoming < 1) {
    const date = workday(d);
    if (date > horizon) break;
    const inPlan = plan && date >= plan.startDate && date <= plan.targetEndDate;
    if (!inPlan) {
      out.push({ date, pip: false, forcedIssue: null, forcedMethod: null, planKey: null });
      if (date > to) upcoming++;
    }
    d = addDays(date, 14 + Math.floor(uniformAt(seed, 302 + k, i) * 8));
    k++;
  }
  if (plan) {
    const pipMethods: Record<PlanRole, [DemoIssue, DemoMethod][]> = {
      success: [
        ['AHT', 'Role-play'],
        ['FCR', 'Shadowing'],
        ['Quality', 'Role-play'],
        ['CSAT', 'Call review'],
      ],
      failure: [
        ['AHT', 'Feedback'],
        ['Attendance', 'Feedback'],
        ['Quality', 'Feedback'],
      ],
      active: [
        ['Quality', 'Role-play'],
        ['CSAT', 'Call review'],
      ],
    };
    let w = 0;
    for (let p = addDays(plan.startDate, 1); p <= plan.targetEndDate && p <= horizon; p = addDays(p, 7)) {
      const date = workday(p);
      const [issue, method] = pipMethods[plan.role][w++ % pipMethods[plan.role].length];
      out.push({ date, pip: true, forcedIssue: issue, forcedMethod: method, planKey: plan.key });
      if (date > to) break;
    }
    out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }
  return out;
}

const cancelReasons = [
  'Queue volume too high — all hands on the phones.',
  'Team leader covering the floor for an absent colleague.',
  'Agent in product training that afternoon; rescheduled.',
  'Moved to make room for an escalation review.',
];
const noShowReasons = [
  'Agent did not join; was still on a long customer call.',
  'Agent forgot the session (not in their calendar reminder).',
  'Agent left early for a personal appointment.',
];

function placeSession(
  planned: PlannedSession,
  agent: DemoPerson,
  leader: DemoPerson,
  traits: DemoAgentTraits,
  seed: number,
  i: number,
  leaderSlots: Map<string, Set<string>>,
  to: IsoDate,
  absent: boolean,
  away: boolean,
): DemoSession {
  const dayNumber = daysBetween('2000-01-01', planned.date);
  const u = (s: number) => uniformAt(seed, 400 + s * 13 + i, dayNumber);
  // Slots in the leader's working hours (London's leader coaches in the afternoon, when New York is in too).
  const starts = leader.timezone === 'Europe/London' ? [840, 870, 900, 930, 960, 990] : [540, 570, 600, 630, 660, 780, 810, 840, 870, 900, 930];
  const taken = leaderSlots.get(leader.key) ?? new Set<string>();
  leaderSlots.set(leader.key, taken);
  const plannedMinutes = planned.pip ? 45 : u(1) < 0.7 ? 30 : 45;
  let slot = Math.floor(u(2) * starts.length);
  let minute = starts[slot];
  for (let tries = 0; tries < starts.length * 2; tries++) {
    minute = starts[slot % starts.length];
    const need = plannedMinutes > 30 ? [minute, minute + 30] : [minute];
    if (need.every((m) => !taken.has(`${planned.date} ${m}`))) break;
    slot++;
  }
  for (const m of plannedMinutes > 30 ? [minute, minute + 30] : [minute]) taken.add(`${planned.date} ${m}`);
  const scheduledAt = zonedInstant(planned.date, minute, leader.timezone);
  const future = planned.date > to;
  const december = planned.date.slice(5, 7) === '12';
  let status: SessionStatus = 'SCHEDULED';
  let cancelledReason: string | null = null;
  let noShowReason: string | null = null;
  if (!future) {
    const r = u(3);
    if (away) {
      status = 'CANCELLED';
      cancelledReason = 'Agent on leave; picked up after their return.';
    } else if (absent) {
      status = 'NO_SHOW';
      noShowReason = 'Agent called in sick that day.';
    } else if (r < (traits.planRole === 'failure' ? 0.2 : 0.05)) {
      status = 'NO_SHOW';
      noShowReason = noShowReasons[Math.floor(u(4) * noShowReasons.length)];
    } else if (r < (december ? 0.25 : 0.12) && !planned.pip) {
      status = 'CANCELLED';
      cancelledReason = cancelReasons[Math.floor(u(5) * cancelReasons.length)];
    } else {
      status = 'COMPLETED';
    }
  }
  const start = status === 'COMPLETED' ? new Date(scheduledAt.getTime() + Math.floor(u(6) * 6) * 60_000) : null;
  const end = start ? new Date(start.getTime() + (plannedMinutes + Math.round((u(7) - 0.5) * 16)) * 60_000) : null;
  return {
    key: `${agent.key}:${planned.date}`,
    agentKey: agent.key,
    leaderKey: leader.key,
    date: planned.date,
    scheduledAt,
    plannedMinutes,
    actualStart: start,
    actualEnd: end,
    type: planned.pip ? 'PIP_CHECK' : u(8) < 0.04 ? 'URGENT' : 'REGULAR',
    status,
    issue: null,
    method: null,
    texts: null,
    cancelledReason,
    noShowReason,
    planKey: planned.planKey,
  };
}

function mean(rows: DemoMetricRow[], key: keyof DemoMetricRow): number | null {
  const values = rows.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * The leader's pick: the agent's weakest area over the last six weeks (sometimes the second weakest). A six-week view
 * rather than last fortnight's dip keeps issues from being chosen on noise (which would flatter any method through
 * regression to the mean); attendance and schedule adherence come up for agents with a lasting pattern.
 */
function chooseIssue(traits: DemoAgentTraits, history: DemoMetricRow[], seed: number, i: number, dayNumber: number): DemoIssue {
  const w = history.slice(-36);
  const gaps: [DemoIssue, number][] = [
    ['AHT', (((mean(w, 'aht') ?? 360) - 360) / 360) * 200],
    ['Quality', 86 - (mean(w, 'qa_score') ?? 86)],
    ['CSAT', (4.2 - (mean(w, 'csat') ?? 4.2)) * 25],
    ['FCR', 76 - (mean(w, 'fcr') ?? 76)],
    ['Adherence', traits.discipline < -0.8 ? (94 - (mean(w, 'adherence_score') ?? 94)) * 0.6 : -99],
    ['Attendance', traits.discipline < -1 || traits.planRole === 'failure' ? 4 : -99],
    ['Compliance', 95 - (mean(w, 'compliance_score') ?? 95)],
  ];
  gaps.sort((a, b) => b[1] - a[1]);
  const r = uniformAt(seed, 500 + i, dayNumber);
  if (r < 0.6) return gaps[0][0];
  if (r < 0.85) return gaps[1][0];
  return gaps[Math.floor(uniformAt(seed, 501 + i, dayNumber) * 4)][0];
}

function chooseMethod(issue: DemoIssue, leaderKey: string, seed: number, i: number, dayNumber: number): DemoMethod {
  const options = methodsForIssue[issue];
  const weights = options.map((m) => leaderMethodWeights[leaderKey][demoMethods.indexOf(m)]);
  const total = weights.reduce((a, b) => a + b, 0);
  let r = uniformAt(seed, 600 + i, dayNumber) * total;
  for (let k = 0; k < options.length; k++) {
    r -= weights[k];
    if (r < 0) return options[k];
  }
  return options[options.length - 1];
}

function notesFor(
  agent: DemoPerson,
  leader: DemoPerson,
  traits: DemoAgentTraits,
  agentSessions: DemoSession[],
  programmeStart: IsoDate,
  to: IsoDate,
  timezone: string,
  seed: number,
  i: number,
): DemoNote[] {
  const out: DemoNote[] = [];
  const completed = agentSessions.filter((s) => s.status === 'COMPLETED');
  const count = traits.coached ? 6 + Math.floor(uniformAt(seed, 700, i) * 5) : 2;
  for (let k = 0; k < count; k++) {
    const offset = Math.floor(uniformAt(seed, 701 + k, i) * coachingProgrammeDays);
    let date = addDays(programmeStart, offset);
    if (date > to) date = to;
    if (!isRostered(traits, date)) date = addDays(date, dayOfWeek(date) === traits.restDay ? 1 : 0);
    const minute = 540 + Math.floor(uniformAt(seed, 720 + k, i) * 480);
    const occurredAt = zonedInstant(date, minute, timezone);
    const text = noteFor(agent, traits, seed, i * 50 + k, traits.coached ? null : 'POSITIVE');
    // Addressed in the first completed session after the observation, when there is one.
    const next = completed.find((s) => s.actualStart && s.actualStart > occurredAt);
    out.push({
      ...text,
      key: `${agent.key}:note:${k}`,
      agentKey: agent.key,
      leaderKey: leader.key,
      occurredAt,
      linkedSessionKey: next ? next.key : null,
      addressedAt: next ? next.actualEnd : null,
    });
  }
  return out;
}

function actionItemsFor(agent: DemoPerson, leader: DemoPerson, agentSessions: DemoSession[], to: IsoDate, seed: number, i: number): DemoActionItem[] {
  const out: DemoActionItem[] = [];
  const recent = agentSessions.filter((s) => s.status === 'COMPLETED' && s.date >= addDays(to, -120));
  for (const s of recent) {
    const n = uniformAt(seed, 800, daysBetween('2000-01-01', s.date) * 61 + i) < 0.45 ? 2 : 1;
    for (let k = 0; k < n; k++) {
      const idx = daysBetween('2000-01-01', s.date) * 7 + k;
      const u = (stream: number) => uniformAt(seed, 810 + stream * 11 + i, idx);
      const text = actionItemFor(s.issue!, s.method!, agent, k);
      const dueDate = addDays(s.date, 7 + Math.floor(u(1) * 15));
      const overdueRoll = u(2);
      let status: ActionItemStatus;
      let progress: number;
      let completedAt: Date | null = null;
      if (dueDate < to) {
        if (overdueRoll < 0.78) {
          status = 'COMPLETED';
          progress = 100;
          completedAt = zonedInstant(addDays(dueDate, -Math.floor(u(3) * 5)), 600 + Math.floor(u(4) * 360), agent.timezone);
        } else if (overdueRoll < 0.82) {
          status = 'CANCELLED';
          progress = Math.round(u(5) * 40);
        } else {
          status = 'OVERDUE';
          progress = 10 * Math.floor(u(5) * 7);
        }
      } else {
        status = overdueRoll < 0.45 ? 'PENDING' : 'IN_PROGRESS';
        progress = status === 'PENDING' ? 0 : 10 * (1 + Math.floor(u(5) * 7));
      }
      out.push({
        ...text,
        key: `${s.key}:item:${k}`,
        agentKey: agent.key,
        leaderKey: leader.key,
        sessionKey: s.key,
        dueDate,
        reminderDate: addDays(dueDate, -2),
        status,
        priority: s.type === 'PIP_CHECK' ? 'HIGH' : u(6) < 0.3 ? 'HIGH' : u(6) < 0.8 ? 'MEDIUM' : 'LOW',
        progress,
        completedAt,
        verified: status === 'COMPLETED' && u(7) < 0.6,
        createdAt: s.actualEnd ?? s.scheduledAt,
      });
    }
  }
  return out;
}

function planFor(people: DemoPerson[], agents: Map<string, DemoAgentTraits>, to: IsoDate): DemoPlan[] {
  const out: DemoPlan[] = [];
  for (const p of people) {
    const role = agents.get(p.key)?.planRole;
    if (!role) continue;
    const startDate = role === 'success' ? addDays(to, -135) : role === 'failure' ? addDays(to, -110) : addDays(to, -20);
    const targetEndDate = addDays(startDate, role === 'active' ? 63 : 56);
    const checkIns: IsoDate[] = [];
    for (let d = addDays(startDate, 7); d <= targetEndDate && d <= to; d = addDays(d, 7)) checkIns.push(d);
    out.push({
      key: `plan:${p.key}:${role}`,
      role,
      agentKey: p.key,
      leaderKey: p.teamLeaderKey!,
      managerKey: p.managerKey!,
      startDate,
      targetEndDate,
      checkIns,
      reason:
        role === 'success'
          ? `${p.name.split(' ')[0]}'s handle time and QA scores have been the lowest on the team for three months despite regular coaching; a structured eight-week plan with weekly role-play.`
          : role === 'failure'
            ? `${p.name.split(' ')[0]} has missed shifts and sessions repeatedly and handle time keeps rising; eight weeks to reach the team's minimum standard.`
            : `${p.name.split(' ')[0]}'s quality and CSAT have slipped for two months (personal circumstances discussed); nine weeks of focused support.`,
      targetMetrics: {},
      mandatory: [],
      recommended:
        role === 'success'
          ? ['Complete the de-escalation e-learning', 'Two shadowing sessions with a senior agent']
          : role === 'failure'
            ? ['Attend every weekly check-in', 'Complete the systems refresher']
            : ['Weekly call review with the team leader', 'Use the wellbeing programme'],
    });
  }
  return out;
}

/**
 * Targets from the simulated metrics: the succeeding plan's are set between where the agent started and where they
 * ended (so they are met), the failing plan's well beyond what the agent reached, the active plan's ahead.
 */
function setPlanTargets(plan: DemoPlan, metrics: DemoMetricRow[]): void {
  const rows = metrics.filter((r) => r.agentKey === plan.agentKey);
  const window = (fromDate: IsoDate, toDate: IsoDate) => rows.filter((r) => r.metric_date >= fromDate && r.metric_date <= toDate);
  const before = window(addDays(plan.startDate, -28), addDays(plan.startDate, -1));
  const end = plan.role === 'active' ? plan.startDate : plan.targetEndDate;
  const after = window(addDays(end, -13), end);
  const keys: [string, boolean][] =
    plan.role === 'failure'
      ? [
          ['aht', false],
          ['attendance_rate', true],
          ['qa_score', true],
        ]
      : plan.role === 'success'
        ? [
            ['aht', false],
            ['qa_score', true],
            ['fcr', true],
          ]
        : [
            ['qa_score', true],
            ['csat', true],
          ];
  for (const [key, higher] of keys) {
    const current = mean(before, key as keyof DemoMetricRow) ?? 0;
    const reached = mean(after, key as keyof DemoMetricRow) ?? current;
    let target: number;
    if (plan.role === 'success') target = current + 0.7 * (reached - current);
    else if (key === 'attendance_rate') target = 97;
    else if (plan.role === 'failure') target = higher ? Math.max(current, reached) + (key === 'csat' ? 0.3 : 6) : Math.min(current, reached) * 0.88;
    else target = current + (key === 'csat' ? 0.25 : 5);
    const decimals = key === 'aht' ? 0 : key === 'csat' ? 2 : 1;
    const f = 10 ** decimals;
    target = higher ? Math.floor(target * f) / f : Math.ceil(target * f) / f;
    plan.targetMetrics[key] = { target, current: Math.round(current * f) / f };
    plan.mandatory.push(`${key} ${higher ? '>=' : '<='} ${target}`);
  }
}
