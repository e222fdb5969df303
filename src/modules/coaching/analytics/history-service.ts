import type { ServiceContext } from '../../../core/context.js';

export interface RecomputeHistoryInput {
  /** Agents to recompute; all agents of the organization when omitted. */
  agentIds?: string[];
  /** First and last metric_date whose periods changed; the whole history when omitted. */
  from?: string;
  to?: string;
}

export interface RecomputeHistoryResult {
  agents: number;
  /** performance_history rows written (inserted or updated). */
  periodsWritten: number;
  /** Rows removed because no metrics are left in their period (e.g. after a rollback). */
  periodsRemoved: number;
}

/**
 * Recomputes performance_history (WEEK, MONTH, QUARTER) for the periods touching [from, to] and the period right after
 * each (its trend compares with the changed one); removes periods that no longer have metrics. Idempotent.
 * CONTRACT (lead): implemented by the analytics area.
 */
export async function recomputePerformanceHistory(_ctx: ServiceContext, _input: RecomputeHistoryInput = {}): Promise<RecomputeHistoryResult> {
  throw new Error('recomputePerformanceHistory: not implemented yet');
}

/** Percentile rank (0–100) of each active agent among peers on each metric over the last 30 days; into agent_profiles. */
export async function recomputePercentileRankings(_ctx: ServiceContext, _input: { asOf?: string } = {}): Promise<{ agents: number }> {
  throw new Error('recomputePercentileRankings: not implemented yet');
}
