/**
 * The demo's hidden ground truth: what each coaching method really does to an agent's metrics. The simulation applies
 * it after every completed session; the product never reads it and has to find it again from the metrics (the
 * effectiveness report's difference-in-differences). Tests compare the two.
 */

export const demoMethods = ['Role-play', 'Shadowing', 'Call review', 'Training', 'Feedback'] as const;
export type DemoMethod = (typeof demoMethods)[number];

export const demoIssues = ['AHT', 'Quality', 'CSAT', 'FCR', 'Adherence', 'Attendance', 'Compliance'] as const;
export type DemoIssue = (typeof demoIssues)[number];

/** Latent skill dimensions coaching can move (all "improvement is positive"). */
export type EffectDim = 'aht' | 'qa' | 'script' | 'fcr' | 'transfer' | 'csat' | 'csatFading' | 'compliance';
export const effectDims: EffectDim[] = ['aht', 'qa', 'script', 'fcr', 'transfer', 'csat', 'csatFading', 'compliance'];

/**
 * The most coaching can add on each dimension for an average agent (struggling agents have up to 80 % more room):
 * AHT and transfers as a fraction removed, QA / script / FCR / compliance in points, CSAT on the 1–5 scale.
 */
export const effectCaps: Record<EffectDim, number> = {
  aht: 0.16,
  qa: 10,
  script: 7,
  fcr: 9,
  transfer: 0.4,
  csat: 0.3,
  csatFading: 0.35,
  compliance: 4,
};

/**
 * Share of the remaining room (cap minus what earlier sessions already added) one completed session closes, before the
 * agent's receptiveness. Role-play lifts AHT and quality strongly, shadowing moderately lifts FCR (and cuts
 * transfers), call review helps CSAT (fading over about two months), training nudges compliance, generic feedback does
 * nothing.
 */
export const groundTruth: Record<DemoMethod, Partial<Record<EffectDim, number>>> = {
  'Role-play': { aht: 0.35, qa: 0.3, script: 0.3 },
  Shadowing: { fcr: 0.28, transfer: 0.3 },
  'Call review': { csatFading: 0.45, qa: 0.08 },
  Training: { compliance: 0.25, qa: 0.04, aht: 0.03 },
  Feedback: {},
};

/** Daily fade of call review's CSAT lift (half-life about 58 days); every other effect stays. */
export const csatFadePerDay = 0.988;

/** Methods a leader considers for an issue. */
export const methodsForIssue: Record<DemoIssue, DemoMethod[]> = {
  AHT: ['Role-play', 'Training', 'Feedback', 'Shadowing'],
  Quality: ['Role-play', 'Call review', 'Training', 'Feedback'],
  CSAT: ['Call review', 'Role-play', 'Feedback'],
  FCR: ['Shadowing', 'Training', 'Feedback'],
  Adherence: ['Feedback', 'Training'],
  Attendance: ['Feedback'],
  Compliance: ['Training', 'Call review', 'Feedback'],
};

/** Each leader's habits (weights over demoMethods): some lean on role-play, one mostly gives generic feedback. */
export const leaderMethodWeights: Record<string, number[]> = {
  L1: [3, 2, 2, 1, 2],
  L2: [1, 1, 2, 1, 3],
  L3: [2, 3, 1, 1, 2],
  L4: [1, 1, 1, 2, 5],
  L5: [3, 1, 3, 1, 1],
  L6: [2, 2, 2, 2, 2],
};
