import { and, eq, lt, notExists, sql } from 'drizzle-orm';
import type { AiProvider } from '../../../core/ai/index.js';
import type { ServiceContext } from '../../../core/context.js';
import { isAppError } from '../../../core/errors.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { postMortemReports, promoScenarios } from '../schema.js';
import { addDays, localDate } from '../shared/dates.js';
import { dipWindows, runPostMortem } from './post-mortem-service.js';

export interface DuePostMortemsResult {
  ran: { scenarioId: string; label: string; learnedModelVersion: string | null; salesValueErrorPct: number }[];
  skipped: { scenarioId: string; label: string; reason: string }[];
}

/**
 * Post-mortems for approved scenarios without one, once the dip window after the period is over (or already covered
 * by the sales data). Drafts are alternatives that never ran, so they are left alone. One failure does not stop the rest.
 */
export async function runDuePostMortems(ctx: ServiceContext, options: { ai?: AiProvider; signal?: AbortSignal } = {}): Promise<DuePostMortemsResult> {
  const today = localDate(ctx.clock.now(), ctx.organization.timezone);
  const [{ last }] = await sqlRows<{ last: string | null }>(
    ctx.db,
    sql`select to_char(max(date), 'YYYY-MM-DD') as last from promotions.sales_aggregated where organization_id = ${ctx.organization.id}`,
  );
  const window = Math.max(...dipWindows);
  const candidates = await ctx.db
    .select()
    .from(promoScenarios)
    .where(
      and(
        eq(promoScenarios.organizationId, ctx.organization.id),
        eq(promoScenarios.status, 'approved'),
        lt(promoScenarios.dateRangeEnd, today),
        notExists(
          ctx.db
            .select({ one: sql`1` })
            .from(postMortemReports)
            .where(eq(postMortemReports.scenarioId, promoScenarios.id)),
        ),
      ),
    )
    .orderBy(promoScenarios.dateRangeEnd);
  const result: DuePostMortemsResult = { ran: [], skipped: [] };
  for (const s of candidates) {
    if (options.signal?.aborted) break;
    const dipEnd = addDays(s.dateRangeEnd, window);
    if (dipEnd >= today && !(last && last >= dipEnd)) {
      result.skipped.push({ scenarioId: s.id, label: s.label, reason: `waiting for the ${window}-day dip window to end on ${dipEnd}` });
      continue;
    }
    try {
      const { report } = await runPostMortem(ctx, s.id, { ai: options.ai });
      result.ran.push({ scenarioId: s.id, label: s.label, learnedModelVersion: report.learnedModelVersion, salesValueErrorPct: report.salesValueErrorPct });
    } catch (error) {
      if (!isAppError(error)) throw error;
      result.skipped.push({ scenarioId: s.id, label: s.label, reason: error.message });
    }
  }
  ctx.log.info({ ran: result.ran.length, skipped: result.skipped.length }, 'promotions post-mortems');
  return result;
}
