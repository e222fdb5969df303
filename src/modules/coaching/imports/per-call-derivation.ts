/**
 * How a per-call export becomes one row of daily metrics per agent — the one place that says it.
 *
 * Measured from the calls:  calls_handled = answered calls; csat = mean rating of the rated calls; fcr = resolved ÷
 * answered × 100; aht = mean talk seconds of the answered calls; calls_transferred / calls_escalated = flagged calls.
 * The composite's five components are not in a per-call export; they are derived so that the seed's generated
 * composite_score exists (each stays inside 0–100, the seed's CHECK range):
 *   service_score      = (CSAT − 1) ÷ 4 × 100          (the 1–5 rating on a 0–100 scale)
 *   quality_score      = FCR %
 *   productivity_score = answered ÷ offered calls × 100 (answer rate)
 *   adherence_score    = % of answered calls answered within `speedOfAnswerTargetSeconds` (service level)
 *   attendance_rate    = 100 on a day with calls: a per-call export has no schedule, so a day with calls counts as
 *                        attended and days without calls get no row at all.
 */
export interface PerCallDerivation {
  /** The service-level target for adherence_score: answered within this many seconds. */
  speedOfAnswerTargetSeconds: number;
}

export const defaultPerCallDerivation: PerCallDerivation = { speedOfAnswerTargetSeconds: 60 };

/** One call as read from a row. `answered` null means the file has no answered column (every call counts answered). */
export interface CallRecord {
  answered: boolean | null;
  resolved: boolean | null;
  speedOfAnswerSeconds: number | null;
  talkSeconds: number | null;
  satisfaction: number | null;
  transferred: boolean | null;
  escalated: boolean | null;
}

export type DailyMetricValues = Record<string, number | null>;

const round2 = (n: number) => Math.round(n * 100) / 100;
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** The daily metrics of one agent-day from its calls (see the module comment for each formula). */
export function aggregateCalls(calls: CallRecord[], derivation: PerCallDerivation = defaultPerCallDerivation): DailyMetricValues {
  const answered = calls.filter((c) => c.answered !== false);
  const ratings = answered.flatMap((c) => (c.satisfaction === null ? [] : [c.satisfaction]));
  const talk = answered.flatMap((c) => (c.talkSeconds === null ? [] : [c.talkSeconds]));
  const resolvedKnown = calls.some((c) => c.resolved !== null);
  const speeds = answered.flatMap((c) => (c.speedOfAnswerSeconds === null ? [] : [c.speedOfAnswerSeconds]));
  const csat = mean(ratings);
  const fcr = resolvedKnown && answered.length > 0 ? (answered.filter((c) => c.resolved === true).length / answered.length) * 100 : null;
  const answerRate = calls.length > 0 ? (answered.length / calls.length) * 100 : null;
  const withinTarget = speeds.length > 0 ? (speeds.filter((s) => s <= derivation.speedOfAnswerTargetSeconds).length / speeds.length) * 100 : null;
  const talkMean = mean(talk);
  const count = (flag: keyof Pick<CallRecord, 'transferred' | 'escalated'>) =>
    calls.some((c) => c[flag] !== null) ? calls.filter((c) => c[flag] === true).length : null;
  return {
    calls_handled: answered.length,
    csat: csat === null ? null : round2(csat),
    fcr: fcr === null ? null : round2(fcr),
    aht: talkMean === null ? null : Math.round(talkMean),
    calls_transferred: count('transferred'),
    calls_escalated: count('escalated'),
    service_score: csat === null ? null : round2(clamp(((csat - 1) / 4) * 100)),
    quality_score: fcr === null ? null : round2(clamp(fcr)),
    productivity_score: answerRate === null ? null : round2(clamp(answerRate)),
    adherence_score: withinTarget === null ? null : round2(clamp(withinTarget)),
    attendance_rate: calls.length > 0 ? 100 : null,
  };
}

const clamp = (n: number) => Math.min(100, Math.max(0, n));

/** The metric columns a per-call import writes (the others keep their stored values). */
export const perCallMetricKeys = [
  'calls_handled',
  'csat',
  'fcr',
  'aht',
  'calls_transferred',
  'calls_escalated',
  'service_score',
  'quality_score',
  'productivity_score',
  'adherence_score',
  'attendance_rate',
];
