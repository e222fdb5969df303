import { blackFriday } from '../../../core/calendar.js';
import { uniformAt } from '../../../core/seeded-random.js';
import type { LearningStyle, NoteType, Priority } from '../schema.js';
import { addDays, type IsoDate } from './dates.js';
import type { DemoIssue, DemoMethod } from './ground-truth.js';
import type { DemoAgentTraits, DemoPerson } from './roster.js';
import type { DemoMetricRow } from './simulation.js';

export const blackFridayOf = (year: number): IsoDate => blackFriday(year);

const first = (p: DemoPerson) => p.name.split(' ')[0];
const mmss = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

function avg(rows: DemoMetricRow[], key: keyof DemoMetricRow): number | null {
  const v = rows.map((r) => r[key]).filter((x): x is number => typeof x === 'number');
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

function issueLine(issue: DemoIssue, window: DemoMetricRow[]): string {
  const f = (k: keyof DemoMetricRow, d = 1) => {
    const v = avg(window, k);
    return v == null ? 'n/a' : v.toFixed(d);
  };
  switch (issue) {
    case 'AHT': {
      const v = avg(window, 'aht');
      return `Average handle time over the last two weeks was ${v == null ? 'n/a' : mmss(v)} against the 6:00 target.`;
    }
    case 'Quality':
      return `QA averaged ${f('qa_score')} and script adherence ${f('script_adherence')} % over the last two weeks.`;
    case 'CSAT':
      return `CSAT averaged ${f('csat', 2)} over the last two weeks (team goal 4.2).`;
    case 'FCR':
      return `First-call resolution was ${f('fcr')} % over the last two weeks with ${f('calls_transferred')} transfers a day.`;
    case 'Adherence':
      return `Schedule adherence averaged ${f('adherence_score')}; breaks ran ${f('break_time_minutes', 0)} min a day.`;
    case 'Attendance':
      return `Attendance over the last two weeks was ${f('attendance_rate')} %.`;
    case 'Compliance':
      return `Compliance averaged ${f('compliance_score')} with one verification step missed on a recorded call.`;
  }
}

const methodLine: Record<DemoMethod, string> = {
  'Role-play':
    'We role-played three difficult calls (billing dispute, late delivery, return outside policy) and practised the shorter hold-and-summarise flow.',
  Shadowing: 'Sat side-by-side with a senior agent for an hour, then debriefed on how they resolve at first contact instead of transferring.',
  'Call review': 'Listened to two recorded calls together and scored them against the QA form; discussed tone and empathy statements.',
  Training: 'Walked through the refreshed knowledge-base module and the compliance checklist; quiz completed in the session.',
  Feedback: 'Went through the scorecard and gave general feedback on the numbers; agreed to keep an eye on them.',
};

const commitmentsByIssue: Record<DemoIssue, string[]> = {
  AHT: ['Use the call summary template to cut wrap-up time', 'Put customers on hold once, not three times, while searching'],
  Quality: ['Follow the greeting and verification script on every call', 'Recap the resolution before closing'],
  CSAT: ['Use the customer’s name and an empathy statement early', 'Offer a callback instead of a long hold'],
  FCR: ['Check the knowledge base before transferring', 'Ask the senior agent channel before escalating'],
  Adherence: ['Log back in on time after breaks', 'Use aux codes only as listed'],
  Attendance: ['Tell the team leader before the shift when running late', 'Book appointments outside shift hours'],
  Compliance: ['Complete all three verification steps on every call', 'Read the recording disclosure word for word'],
};

const resourcesByMethod: Record<DemoMethod, string[]> = {
  'Role-play': ['Role-play scripts: billing and delivery', 'Hold-and-summarise checklist'],
  Shadowing: ['Senior agent pairing rota', 'Resolution tree: top 10 contact reasons'],
  'Call review': ['Call library: de-escalation examples', 'QA form with scoring guide'],
  Training: ['Knowledge base: returns and refunds', 'Compliance checklist v3'],
  Feedback: ['Weekly scorecard'],
};

export interface DemoSessionTexts {
  topics: string[];
  notes: string;
  commitments: string;
  resources: string[];
  engagement: number;
  receptiveness: number;
  understanding: number;
  overall: number;
  achievements: string;
  concerns: string | null;
  followUpRequired: boolean;
  followUpDate: IsoDate | null;
  followUpTopics: string[] | null;
}

export function sessionTexts(args: {
  agent: DemoPerson;
  leader: DemoPerson;
  issue: DemoIssue;
  method: DemoMethod;
  window: DemoMetricRow[];
  traits: DemoAgentTraits;
  seed: number;
  index: number;
  date: IsoDate;
}): DemoSessionTexts {
  const { agent, issue, method, window, traits, seed, index, date } = args;
  const u = (s: number) => uniformAt(seed, 900 + s, index);
  const score = (base: number, s: number) => Math.max(1, Math.min(5, Math.round(base + (u(s) - 0.5) * 2)));
  const engagement = score(2.2 + traits.receptiveness * 1.6, 1);
  const receptiveness = score(1.8 + traits.receptiveness * 2, 2);
  const understanding = score(3 + traits.skill * 0.5, 3);
  // The leader's impression: hands-on methods feel better than a scorecard chat, but not reliably.
  const overall = score((method === 'Feedback' ? 2.8 : 3.5) + (traits.receptiveness - 0.9), 4);
  const followUpRequired = u(5) < 0.22 || (issue === 'Attendance' && u(5) < 0.6);
  const commitments = commitmentsByIssue[issue];
  const positive = (avg(window, 'csat') ?? 0) >= 4.2 ? 'Customers rated recent calls well' : 'Good energy on the phones this fortnight';
  return {
    topics: [issue === 'AHT' ? 'Average handle time' : issue, method, u(6) < 0.5 ? 'Wellbeing check-in' : 'Scorecard review'],
    notes: `${first(agent)} and I focused on ${issue === 'AHT' ? 'handle time' : issue.toLowerCase()}. ${issueLine(issue, window)} ${methodLine[method]}`,
    commitments: `${first(agent)} will: ${commitments.join('; ')}.`,
    resources: resourcesByMethod[method],
    engagement,
    receptiveness,
    understanding,
    overall,
    achievements: `${positive}; ${first(agent)} handled the ${date.slice(5, 7) === '12' ? 'holiday peak' : 'queue'} calmly.`,
    concerns: u(7) < 0.6 ? `${issue === 'AHT' ? 'Handle time' : issue} still below target.` : null,
    followUpRequired,
    followUpDate: followUpRequired ? addDays(date, 7) : null,
    followUpTopics: followUpRequired ? [`${issue} progress check`] : null,
  };
}

export interface DemoNoteText {
  noteType: NoteType;
  category: string;
  subcategory: string;
  content: string;
  callId: string;
  priority: Priority;
  requiresFollowUp: boolean;
}

const noteTemplates: { type: NoteType; category: string; sub: string; text: (n: string) => string; priority: Priority; follow: boolean }[] = [
  {
    type: 'POSITIVE',
    category: 'Customer Service',
    sub: 'Empathy',
    text: (n) => `${n} calmed an upset customer about a late delivery and turned it into a thank-you.`,
    priority: 'LOW',
    follow: false,
  },
  {
    type: 'POSITIVE',
    category: 'Call Quality',
    sub: 'Resolution',
    text: (n) => `${n} solved a tricky warranty case on the first call without a transfer.`,
    priority: 'LOW',
    follow: false,
  },
  {
    type: 'POSITIVE',
    category: 'Teamwork',
    sub: 'Helping peers',
    text: (n) => `${n} helped a new starter with the returns screen between calls.`,
    priority: 'LOW',
    follow: false,
  },
  {
    type: 'COACHING',
    category: 'Call Quality',
    sub: 'Hold time',
    text: (n) => `${n} put a customer on hold three times while searching the knowledge base.`,
    priority: 'MEDIUM',
    follow: true,
  },
  {
    type: 'COACHING',
    category: 'Customer Service',
    sub: 'Tone',
    text: (n) => `${n} sounded rushed at the end of a billing call; customer asked to repeat the refund amount.`,
    priority: 'MEDIUM',
    follow: true,
  },
  {
    type: 'COACHING',
    category: 'Efficiency',
    sub: 'Wrap-up',
    text: (n) => `${n}'s after-call work ran over four minutes on several calls this morning.`,
    priority: 'MEDIUM',
    follow: false,
  },
  {
    type: 'COACHING',
    category: 'Resolution',
    sub: 'Transfers',
    text: (n) => `${n} transferred a simple order-status question to tier 2.`,
    priority: 'MEDIUM',
    follow: true,
  },
  {
    type: 'COMPLIANCE',
    category: 'Compliance',
    sub: 'Verification',
    text: (n) => `${n} skipped the second verification question before discussing an order.`,
    priority: 'HIGH',
    follow: true,
  },
  {
    type: 'URGENT',
    category: 'Escalation',
    sub: 'Complaint',
    text: (n) => `Customer asked for a supervisor after ${n}'s call; complaint logged, review the recording.`,
    priority: 'HIGH',
    follow: true,
  },
  { type: 'GENERAL', category: 'Schedule', sub: 'Shift swap', text: (n) => `${n} asked to swap next Saturday's shift.`, priority: 'LOW', follow: false },
];

export function noteFor(agent: DemoPerson, _traits: DemoAgentTraits, seed: number, index: number, forced: NoteType | null): DemoNoteText {
  const pool = forced ? noteTemplates.filter((t) => t.type === forced) : noteTemplates;
  const t = pool[Math.floor(uniformAt(seed, 950, index) * pool.length)];
  return {
    noteType: t.type,
    category: t.category,
    subcategory: t.sub,
    content: t.text(first(agent)),
    callId: `CALL-${String(100000 + Math.floor(uniformAt(seed, 951, index) * 900000))}`,
    priority: t.priority,
    requiresFollowUp: t.follow,
  };
}

export interface DemoActionItemText {
  title: string;
  description: string;
  category: string;
}

const itemsByIssue: Record<DemoIssue, [string, string, string][]> = {
  AHT: [
    ['Practise the hold-and-summarise flow', 'Use it on every call for a week and note the calls where it did not fit.', 'Practice'],
    ['Build a personal shortcut sheet', 'List the ten knowledge-base articles you search most and pin them.', 'Self-study'],
  ],
  Quality: [
    ['Score two of your own calls', 'Pick two recorded calls and score them with the QA form; bring them to the next session.', 'Practice'],
    ['Script refresher', 'Re-read the greeting and closing scripts and use them word for word for a week.', 'Behavioral'],
  ],
  CSAT: [
    ['Empathy statements', 'Use one empathy statement in the first minute of every complaint call.', 'Behavioral'],
    ['Callback instead of hold', 'Offer a callback whenever a search will take over two minutes.', 'Practice'],
  ],
  FCR: [
    ['Shadow a senior agent', 'One hour side-by-side with a senior agent on billing calls.', 'Training'],
    ['Resolution tree', 'Learn the resolution tree for the top ten contact reasons.', 'Self-study'],
  ],
  Adherence: [['Break timer', 'Set a timer for breaks and log back in on time for two weeks.', 'Behavioral']],
  Attendance: [['Attendance plan', 'Agree cover with the team leader before any planned absence.', 'Behavioral']],
  Compliance: [
    ['Verification checklist', 'Keep the three-step verification checklist visible and tick it on each call.', 'Compliance'],
    ['Compliance e-learning', 'Complete the data protection refresher module.', 'Training'],
  ],
};

export function actionItemFor(issue: DemoIssue, method: DemoMethod, _agent: DemoPerson, k: number): DemoActionItemText {
  const options = itemsByIssue[issue];
  const [title, description, category] = options[k % options.length];
  return { title, description: method === 'Feedback' ? `${description} (from the scorecard review)` : description, category };
}

export interface DemoProfile {
  learningStyle: LearningStyle;
  preferredFeedbackMethod: string;
  primaryMotivators: string[];
  demotivators: string[];
  coreStrengths: string[];
  developmentAreas: string[];
  hiddenTalents: string[];
  stressIndicators: string[];
  successPatterns: string[];
  bestCoachingTime: string;
  preferredSessionLength: number;
  respondsWellTo: string[];
  careerAspirations: string;
  personalGoals: string;
  peerComparisonOptIn: boolean;
}

const feedbackByStyle: Record<LearningStyle, string> = {
  VISUAL: 'Charts of their own trend, then a short written summary',
  AUDITORY: 'Talking it through, listening to call recordings together',
  KINESTHETIC: 'Practising it: role-play and side-by-side on live calls',
  READING: 'Written notes and the QA form ahead of the session',
};
const respondsByStyle: Record<LearningStyle, string[]> = {
  VISUAL: ['Call review', 'Scorecard trends'],
  AUDITORY: ['Call review', 'Shadowing'],
  KINESTHETIC: ['Role-play', 'Shadowing'],
  READING: ['Training', 'Written feedback'],
};

export function profileFor(agent: DemoPerson, traits: DemoAgentTraits, history: DemoMetricRow[], seed: number, i: number): DemoProfile {
  const u = (s: number) => uniformAt(seed, 990 + s, i);
  const recent = history.slice(-60);
  const standing: [string, number][] = [
    ['Efficient call handling', 360 - (avg(recent, 'aht') ?? 360)],
    ['Call quality', ((avg(recent, 'qa_score') ?? 85) - 85) * 4],
    ['Customer rapport', ((avg(recent, 'csat') ?? 4.1) - 4.1) * 80],
    ['First-contact resolution', ((avg(recent, 'fcr') ?? 74) - 74) * 4],
    ['Reliable attendance', ((avg(recent, 'attendance_rate') ?? 98) - 98) * 5],
  ];
  standing.sort((a, b) => b[1] - a[1]);
  const motivators = ['Recognition in the team huddle', 'Clear targets', 'Learning new products', 'Flexible shifts', 'Bonus eligibility', 'Helping customers'];
  const pick = (list: string[], s: number, n: number) => {
    const start = Math.floor(u(s) * list.length);
    return Array.from({ length: n }, (_, k) => list[(start + k * 2) % list.length]);
  };
  return {
    learningStyle: agent.learningStyle,
    preferredFeedbackMethod: feedbackByStyle[agent.learningStyle],
    primaryMotivators: pick(motivators, 1, 2),
    demotivators: pick(['Micromanagement', 'Last-minute shift changes', 'Public comparisons', 'Repetitive calls'], 2, 1),
    coreStrengths: standing.slice(0, 2).map((s) => s[0]),
    developmentAreas: standing.slice(-2).map((s) => s[0]),
    hiddenTalents: pick(['Spanish speaker', 'Spreadsheet whizz', 'Great with new starters', 'Knows the product catalogue by heart'], 3, 1),
    stressIndicators: pick(['Shorter answers on calls', 'Longer after-call work', 'Skips breaks', 'Quiet in huddles'], 4, 2),
    successPatterns: traits.receptiveness > 1 ? ['Improves quickly after hands-on practice'] : ['Needs repetition before changes stick'],
    bestCoachingTime: agent.shiftPattern === 'Evening' ? 'Early afternoon, before the evening peak' : 'Mid-morning, after the first wave',
    preferredSessionLength: u(5) < 0.6 ? 30 : 45,
    respondsWellTo: respondsByStyle[agent.learningStyle],
    careerAspirations: pick(['Senior agent within a year', 'Quality analyst', 'Team leader', 'Workforce planning'], 6, 1)[0],
    personalGoals: pick(['Finish the customer service certificate', 'Save for a house deposit', 'Run a half marathon'], 7, 1)[0],
    peerComparisonOptIn: u(8) > 0.12,
  };
}
