import type { Db } from '../../core/db/connection.js';
import { AppError } from '../../core/errors.js';
import { computeOpportunities, monthSchema, nextMonthOf, type OpportunityRow } from '../../modules/promotions/planning/opportunities.js';
import type { Operation } from '../operation.js';
import { cliServiceContext } from './user.js';

const money = (x: number) => Math.round(x).toLocaleString('en-US');

/** The month's opportunities as a text table, largest gap first. */
export function formatOpportunitiesTable(month: string, rows: OpportunityRow[]): string {
  if (rows.length === 0) return `No opportunities for ${month}.`;
  const header = ['#', 'department', 'channel', 'forecast', 'target', 'gap', 'gap %', 'margin target', 'status'];
  const body = rows.map((r) => [
    String(r.rank),
    r.department,
    r.channel,
    money(r.forecastSalesValue),
    money(r.targetSalesValue),
    money(r.gapValue),
    `${r.gapPct.toFixed(1)}%`,
    r.targetMarginPct == null ? '' : `${r.targetMarginPct.toFixed(1)}%`,
    r.status,
  ]);
  const numeric = new Set([0, 3, 4, 5, 6, 7]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const short = rows.filter((r) => r.gapValue > 0).reduce((a, r) => a + r.gapValue, 0);
  return [
    `Opportunities for ${month} (baseline ${rows[0].forecastModel} vs targets), largest gap first:`,
    format(header),
    format(widths.map((w) => '-'.repeat(w))),
    ...body.map(format),
    `Total short of target: ${money(short)} over ${rows.filter((r) => r.gapValue > 0).length} department × channel lines.`,
  ].join('\n');
}

/** `retailops promotions opportunities --org SLUG [--month YYYY-MM]` (default: next month in the organization's time zone). */
export const promotionsOpportunitiesOperation: Operation = async (env, args) => {
  if (!args.org) throw new AppError('VALIDATION_FAILED', 'Name the organization with --org SLUG (see `retailops db info`).');
  const ctx = await cliServiceContext(env, env.database.db as Db, String(args.org));
  let month = nextMonthOf(ctx);
  if (args.month !== undefined) {
    const parsed = monthSchema.safeParse(String(args.month));
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', `--month must be a month like 2026-04 (got ${String(args.month)}).`);
    month = parsed.data;
  }
  const rows = await computeOpportunities(ctx, { month });
  return { month, opportunities: rows, text: formatOpportunitiesTable(month, rows) };
};
