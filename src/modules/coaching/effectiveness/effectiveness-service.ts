import { and, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { coachingEffectiveness } from '../schema.js';
import { loadVisiblePerson, resolveCoachingViewer } from '../shared/access.js';
import { coachingError } from '../shared/errors.js';
import { averageMetricsBetween } from '../shared/metric-windows.js';
import { addDays, toLocalDate } from './dates.js';
import { issueMetricKey } from './issue-metrics.js';

export interface StartEffectivenessTrackingInput {
  sessionId: string;
  agentId: string;
  teamLeaderId: string;
  /** The issue the session addressed: AHT, Quality, CSAT, FCR, Attendance, Adherence, Compliance… */
  primaryIssue: string;
  /** Role-play, Shadowing, Training, Call review, Side-by-side, Feedback… */
  interventionMethod: string;
  /** The date the coaching happened (session's actual start, or scheduled date). */
  coachedOn: string;
  measurementPeriodDays?: number;
  notes?: string | null;
}

/** What metrics_before holds: the window before the coaching day and the agent's averages over it. */
export interface MetricsBefore {
  coachedOn: string;
  window: { from: string; to: string };
  issueMetric: string;
  agent: { days: number; values: Record<string, number | null> };
  /** Added by the evaluation: the comparison agents' baseline on the issue metric. */
  peers?: { n: number; ids: string[]; value: number | null };
  [extra: string]: unknown;
}

export const defaultMeasurementPeriodDays = 14;

/**
 * Opens a coaching_effectiveness record for a completed session: metrics_before snapshots the measurement period
 * before the session; metrics_after, improvement, sustained 30/90 and the difference-in-differences against similar
 * uncoached agents are filled by the daily evaluation once the periods have passed. Idempotent per session.
 * CONTRACT (lead): implemented by the effectiveness area; called by sessions when a session is completed.
 *
 * The before window is the `measurementPeriodDays` days ending the day before the coaching day (the coaching day itself
 * is in neither window). `coachedOn` may be a date or an instant; an instant is read in the agent's time zone.
 * Runs in the caller's transaction (sessions completes the session and opens the record in one command).
 */
export async function startEffectivenessTracking(ctx: ServiceContext, input: StartEffectivenessTrackingInput): Promise<{ id: string }> {
  const viewer = await resolveCoachingViewer(ctx);
  const agent = await loadVisiblePerson(ctx, viewer, input.agentId);
  const period = input.measurementPeriodDays ?? defaultMeasurementPeriodDays;
  if (!Number.isInteger(period) || period < 1 || period > 365) {
    throw coachingError('MEASUREMENT_PERIOD', `The measurement period must be a whole number of days between 1 and 365 (got ${period}).`, { status: 400 });
  }
  const [existing] = await ctx.db
    .select({ id: coachingEffectiveness.id })
    .from(coachingEffectiveness)
    .where(and(eq(coachingEffectiveness.organizationId, ctx.organization.id), eq(coachingEffectiveness.sessionId, input.sessionId)));
  if (existing) return { id: existing.id };

  let coachedOn: string;
  try {
    coachedOn = toLocalDate(input.coachedOn, agent.timezone || ctx.organization.timezone);
  } catch {
    throw coachingError('COACHED_ON', `The coaching date "${input.coachedOn}" is not a date; send YYYY-MM-DD or an ISO date-time.`, { status: 400 });
  }
  const window = { from: addDays(coachedOn, -period), to: addDays(coachedOn, -1) };
  const averages = (await averageMetricsBetween(ctx, [agent.id], window.from, window.to)).get(agent.id);
  const metricsBefore: MetricsBefore = {
    coachedOn,
    window,
    issueMetric: issueMetricKey(input.primaryIssue),
    agent: { days: averages?.days ?? 0, values: averages?.values ?? {} },
  };
  const [row] = await ctx.db
    .insert(coachingEffectiveness)
    .values({
      organizationId: ctx.organization.id,
      sessionId: input.sessionId,
      agentId: agent.id,
      teamLeaderId: input.teamLeaderId,
      primaryIssue: input.primaryIssue,
      interventionMethod: input.interventionMethod,
      metricsBefore,
      measurementPeriodDays: period,
      notes: input.notes ?? null,
      createdAt: ctx.clock.now(),
    })
    .returning({ id: coachingEffectiveness.id });
  return { id: row.id };
}
