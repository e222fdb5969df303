import { hashString, mulberry32, normalAt, uniformAt } from '../../../core/seeded-random.js';
import type { LearningStyle, PersonStatus, Role } from '../schema.js';
import { addDays, type IsoDate } from './dates.js';

/** The core demo's sign-ins that get a coaching person (by e-mail in core.users). */
export const demoLogins = {
  admin: 'admin@retailops.demo',
  manager: 'manager@retailops.demo',
  staff: 'staff@retailops.demo',
  viewer: 'viewer@retailops.demo',
} as const;
export type DemoLoginKey = keyof typeof demoLogins;

/** Employee ids of the demo's people start with this: how a reload finds (and refreshes) them. */
export const demoEmployeePrefix = 'DEMO-CC-';

export type PlanRole = 'success' | 'failure' | 'active';

export interface DemoPerson {
  key: string;
  employeeId: string;
  name: string;
  email: string;
  role: Role;
  managerKey: string | null;
  teamLeaderKey: string | null;
  timezone: string;
  shiftPattern: string | null;
  learningStyle: LearningStyle;
  hireDate: IsoDate;
  phone: string;
  login: DemoLoginKey | null;
}

/** What the simulation knows about an agent and the product never sees directly. */
export interface DemoAgentTraits {
  key: string;
  /** Overall skill, standard normal; struggling agents sit near -2. */
  skill: number;
  /** How much of a coaching method's effect lands (0.5–1.4). */
  receptiveness: number;
  /** Schedule discipline (breaks, aux, lateness), standard normal. */
  discipline: number;
  /** Base handle time in seconds before tenure, season and coaching. */
  baseAht: number;
  /** The weekday the agent is off (0 = Sunday). */
  restDay: number;
  partTime: boolean;
  /** Never coached: the peers of the effectiveness report's difference-in-differences. */
  coached: boolean;
  /** Days of the agent's summer week off (first day), if any. */
  summerBreak: IsoDate | null;
  /** A longer absence [from, to] with status LEAVE while it lasts; `to` null = still on leave. */
  leave: { from: IsoDate; to: IsoDate | null } | null;
  planRole: PlanRole | null;
  /** A recent slump (personal circumstances) from this date on. */
  slumpFrom: IsoDate | null;
}

const firstNames = [
  'Aaliyah',
  'Ben',
  'Carmen',
  'Darius',
  'Elena',
  'Felix',
  'Grace',
  'Hector',
  'Imani',
  'Jonah',
  'Keisha',
  'Liam',
  'Maya',
  'Nikhil',
  'Olivia',
  'Pedro',
  'Quinn',
  'Rachel',
  'Samir',
  'Tanya',
  'Umar',
  'Valeria',
  'Wesley',
  'Xena',
  'Yusuf',
  'Zoe',
  'Andre',
  'Bianca',
  'Caleb',
  'Daniela',
  'Ethan',
  'Fatima',
  'Gabriel',
  'Hana',
  'Isaac',
  'Jasmine',
  'Kevin',
  'Lucia',
  'Marcus',
  'Nadia',
  'Omar',
  'Paige',
  'Rafael',
  'Sofia',
  'Tyler',
  'Uma',
  'Victor',
  'Wendy',
  'Xavier',
  'Yara',
  'Zach',
  'Amara',
  'Brandon',
  'Chloe',
  'Dmitri',
  'Erin',
  'Farah',
  'Gavin',
  'Holly',
  'Ivan',
  'Julia',
  'Kofi',
  'Leah',
  'Mateo',
];
const lastNames = [
  'Adams',
  'Baker',
  'Castillo',
  'Diaz',
  'Edwards',
  'Foster',
  'Garcia',
  'Hughes',
  'Ibrahim',
  'Jensen',
  'Kim',
  'Lopez',
  'Morgan',
  'Nguyen',
  'Owens',
  'Patel',
  'Quintero',
  'Reyes',
  'Shah',
  'Turner',
  'Usman',
  'Vasquez',
  'Walker',
  'Xu',
  'Young',
  'Zimmerman',
  'Bennett',
  'Coleman',
  'Dawson',
  'Ellis',
  'Fleming',
  'Grant',
  'Harper',
  'Irwin',
  'Jordan',
  'Khan',
  'Lambert',
  'Mendez',
  'Novak',
  'Ortiz',
  'Price',
  'Ramos',
  'Sullivan',
  'Thompson',
  'Vega',
  'Wallace',
  'Yates',
  'Brooks',
  'Carter',
  'Delgado',
  'Evans',
  'Fischer',
  'Gomez',
  'Hayes',
];

interface LeaderSpec {
  key: string;
  name: string;
  managerKey: string;
  timezone: string;
  /** Time zone of the leader's agents (a London leader runs a mixed team). */
  agentZones: string[];
  login?: DemoLoginKey;
}

const leaderSpecs: LeaderSpec[] = [
  { key: 'L1', name: 'Sam Staff', managerKey: 'M1', timezone: 'America/New_York', agentZones: ['America/New_York'], login: 'staff' },
  { key: 'L2', name: 'Jordan Ellis', managerKey: 'M1', timezone: 'Europe/London', agentZones: ['Europe/London', 'America/New_York'] },
  { key: 'L3', name: 'Rosa Delgado', managerKey: 'M1', timezone: 'America/New_York', agentZones: ['America/New_York'] },
  { key: 'L4', name: 'Marcus Chen', managerKey: 'M2', timezone: 'America/Chicago', agentZones: ['America/Chicago'] },
  { key: 'L5', name: 'Hannah Okafor', managerKey: 'M2', timezone: 'America/New_York', agentZones: ['America/New_York'] },
  { key: 'L6', name: 'Diego Alvarez', managerKey: 'M2', timezone: 'America/New_York', agentZones: ['America/New_York'] },
];

/** Agents with a story: the viewer login, the three plans, the agent on leave, a spring sick leave. */
const special: Record<string, Partial<DemoAgentTraits> & { name?: string; login?: DemoLoginKey }> = {
  'L1-A01': { name: 'Vic Viewer', login: 'viewer', skill: -0.3, receptiveness: 1.2, coached: true },
  'L1-A04': { planRole: 'success', skill: -2.1, receptiveness: 1.35, discipline: 0.2, coached: true },
  'L4-A03': { planRole: 'failure', skill: -1.9, receptiveness: 0.5, discipline: -1.8, coached: true },
  'L3-A06': { planRole: 'active', skill: -0.9, receptiveness: 0.9, coached: true },
  'L5-A08': { skill: -1.6, coached: true },
  'L6-A02': { skill: -1.4, coached: true },
};

export interface DemoRoster {
  people: DemoPerson[];
  agents: Map<string, DemoAgentTraits>;
  leaderKeys: string[];
}

/** The contact centre: an admin, 2 managers, 6 team leaders (3 each), 60 agents (10 each). */
export function buildRoster(endDate: IsoDate, seed: number): DemoRoster {
  const random = mulberry32(seed ^ hashString('roster'));
  const people: DemoPerson[] = [];
  const agents = new Map<string, DemoAgentTraits>();
  const styles: LearningStyle[] = ['VISUAL', 'AUDITORY', 'KINESTHETIC', 'READING'];
  const emailOf = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@contact.retailops.demo`;
  const phone = (i: number) => `+1-555-01${String(i).padStart(2, '0')}`;
  const hireBefore = (minDays: number, maxDays: number) => addDays(endDate, -Math.round(minDays + random() * (maxDays - minDays)));

  const person = (p: Omit<DemoPerson, 'email' | 'phone' | 'employeeId'>, index: number): DemoPerson => ({
    ...p,
    employeeId: `${demoEmployeePrefix}${p.key}`,
    // The people who sign in use their sign-in address as contact e-mail.
    email: p.login ? demoLogins[p.login] : emailOf(p.name),
    phone: phone(index),
  });
  people.push(
    person(
      {
        key: 'ADMIN',
        name: 'Avery Admin',
        role: 'ADMIN',
        managerKey: null,
        teamLeaderKey: null,
        timezone: 'America/New_York',
        shiftPattern: null,
        learningStyle: 'READING',
        hireDate: hireBefore(2900, 3000),
        login: 'admin',
      },
      0,
    ),
    person(
      {
        key: 'M1',
        name: 'Morgan Manager',
        role: 'MANAGER',
        managerKey: null,
        teamLeaderKey: null,
        timezone: 'America/New_York',
        shiftPattern: 'Morning',
        learningStyle: 'VISUAL',
        hireDate: hireBefore(2200, 2600),
        login: 'manager',
      },
      1,
    ),
    person(
      {
        key: 'M2',
        name: 'Priya Raman',
        role: 'MANAGER',
        managerKey: null,
        teamLeaderKey: null,
        timezone: 'America/Chicago',
        shiftPattern: 'Morning',
        learningStyle: 'AUDITORY',
        hireDate: hireBefore(1800, 2400),
        login: null,
      },
      2,
    ),
  );
  leaderSpecs.forEach((l, i) => {
    people.push(
      person(
        {
          key: l.key,
          name: l.name,
          role: 'TEAM_LEADER',
          managerKey: l.managerKey,
          teamLeaderKey: null,
          timezone: l.timezone,
          shiftPattern: i % 2 === 0 ? 'Morning' : 'Evening',
          learningStyle: styles[i % 4],
          hireDate: hireBefore(900, 2400),
          login: l.login ?? null,
        },
        3 + i,
      ),
    );
  });

  // 60 distinct names, drawn in a fixed order.
  const used = new Set<string>(['Vic Viewer', 'Sam Staff', 'Morgan Manager', 'Avery Admin', ...leaderSpecs.map((l) => l.name)]);
  const nextName = () => {
    for (;;) {
      const name = `${firstNames[Math.floor(random() * firstNames.length)]} ${lastNames[Math.floor(random() * lastNames.length)]}`;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
  const shifts = ['Morning', 'Morning', 'Evening', 'Evening', 'Rotating'];
  let n = 0;
  for (const l of leaderSpecs) {
    for (let a = 1; a <= 10; a++) {
      const key = `${l.key}-A${String(a).padStart(2, '0')}`;
      const s = special[key] ?? {};
      const i = n++;
      const generatedName = nextName();
      const name = s.name ?? generatedName;
      const newHire = a === 9 || (a === 10 && i % 3 === 0);
      const hireDate = newHire ? hireBefore(372, 470) : hireBefore(500, 3200);
      const skill = s.skill ?? Math.max(-1.3, Math.min(2.2, normalAt(seed, 101, i)));
      const leaveFrom = key === 'L2-A05' ? addDays(endDate, -4) : key === 'L5-A03' ? addDays(endDate, -235) : null;
      const leave = leaveFrom ? { from: leaveFrom, to: key === 'L2-A05' ? null : addDays(leaveFrom, 9) } : null;
      const traits: DemoAgentTraits = {
        key,
        skill,
        receptiveness: s.receptiveness ?? 0.6 + uniformAt(seed, 102, i) * 0.7,
        discipline: s.discipline ?? normalAt(seed, 103, i),
        baseAht: Math.round(372 - 38 * skill + normalAt(seed, 104, i) * 12),
        restDay: (i * 3 + 1) % 7,
        partTime: i % 11 === 5,
        // Agents 7 and 10 of each team are never coached (12 peers for the difference-in-differences).
        coached: s.coached ?? !(a === 7 || a === 10),
        summerBreak: leave || uniformAt(seed, 105, i) > 0.7 ? null : addDays(lastSummerStart(endDate), Math.floor(uniformAt(seed, 106, i) * 7) * 7),
        leave,
        planRole: s.planRole ?? null,
        slumpFrom: s.planRole === 'active' ? addDays(endDate, -75) : null,
      };
      agents.set(key, traits);
      people.push(
        person(
          {
            key,
            name,
            role: 'AGENT',
            managerKey: l.managerKey,
            teamLeaderKey: l.key,
            timezone: l.agentZones[a % l.agentZones.length],
            shiftPattern: traits.partTime ? 'Part-time' : shifts[(i + a) % shifts.length],
            learningStyle: styles[Math.floor(uniformAt(seed, 107, i) * 4)],
            hireDate,
            login: s.login ?? null,
          },
          10 + i,
        ),
      );
    }
  }
  return { people, agents, leaderKeys: leaderSpecs.map((l) => l.key) };
}

/** The Monday starting the last summer-holiday season (early July) on or before the end date. */
function lastSummerStart(endDate: IsoDate): IsoDate {
  let year = Number(endDate.slice(0, 4));
  if (endDate < `${year}-08-31`) year -= 1;
  let d = `${year}-07-01`;
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 1) d = addDays(d, 1);
  return d;
}

export function statusOf(traits: DemoAgentTraits | undefined, endDate: IsoDate): PersonStatus {
  if (!traits) return 'ACTIVE';
  if (traits.leave && (traits.leave.to === null || traits.leave.to >= addDays(endDate, 1)) && traits.leave.from <= endDate) return 'LEAVE';
  if (traits.planRole === 'active') return 'PIP';
  return 'ACTIVE';
}
