import type { ServiceContext } from '../../../core/context.js';

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

/**
 * Opens a coaching_effectiveness record for a completed session: metrics_before snapshots the measurement period
 * before the session; metrics_after, improvement, sustained 30/90 and the difference-in-differences against similar
 * uncoached agents are filled by the daily evaluation once the periods have passed. Idempotent per session.
 * CONTRACT (lead): implemented by the effectiveness area; called by sessions when a session is completed.
 */
export async function startEffectivenessTracking(_ctx: ServiceContext, _input: StartEffectivenessTrackingInput): Promise<{ id: string }> {
  throw new Error('startEffectivenessTracking: not implemented yet');
}
