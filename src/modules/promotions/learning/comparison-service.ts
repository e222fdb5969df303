import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { notFound, validationFailed } from '../../../core/errors.js';

export const comparisonQuery = z.object({
  ids: z
    .string()
    .transform((s) => [
      ...new Set(
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.uuid('Each id must be a scenario id (UUID)')).min(1, 'Give at least one scenario id').max(10, 'Compare at most 10 scenarios')),
});

export const comparedScenarioSchema = z.object({
  scenarioId: z.string(),
  label: z.string(),
  scenarioType: z.string().nullable(),
  scenarioStatus: z.string(),
  dateRangeStart: z.string(),
  dateRangeEnd: z.string(),
  kpiId: z.string().nullable(),
  totalSalesValue: z.number().nullable(),
  totalMarginValue: z.number().nullable(),
  totalMarginPct: z.number().nullable(),
  totalEbit: z.number().nullable(),
  totalUnits: z.number().nullable(),
  salesValueDelta: z.number().nullable(),
  marginValueDelta: z.number().nullable(),
  ebitDelta: z.number().nullable(),
  unitsDelta: z.number().nullable(),
  /** Incremental margin ÷ incremental sales × 100: what the extra sales earn. */
  incrementalMarginPct: z.number().nullable(),
  upliftModelVersion: z.string().nullable(),
  validationStatus: z.string().nullable(),
  overallScore: z.number().nullable(),
  /** Differences to the first scenario of the list. */
  vsFirst: z.object({
    salesValue: z.number().nullable(),
    marginValue: z.number().nullable(),
    ebit: z.number().nullable(),
    marginPctPts: z.number().nullable(),
  }),
  recommended: z.boolean(),
  reason: z.string().nullable(),
});
export type ComparedScenario = z.infer<typeof comparedScenarioSchema>;

export const comparisonSchema = z.object({
  data: z.array(comparedScenarioSchema),
  recommendedScenarioId: z.string().nullable(),
  reason: z.string(),
});

type ViewRow = {
  scenario_id: string;
  label: string;
  scenario_type: string | null;
  scenario_status: string;
  date_range_start: string;
  date_range_end: string;
  kpi_id: string | null;
  total_sales_value: number | null;
  total_margin_value: number | null;
  total_margin_pct: number | null;
  total_ebit: number | null;
  total_units: number | null;
  sales_value_delta: number | null;
  margin_value_delta: number | null;
  ebit_delta: number | null;
  units_delta: number | null;
  uplift_model_version: string | null;
  validation_status: string | null;
  overall_score: number | null;
};

const round2 = (n: number) => Math.round(n * 100) / 100;
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : round2(a - b));
const money = (n: number) => `${n >= 0 ? '+' : '−'}${Math.round(Math.abs(n)).toLocaleString('en-US')}`;

/**
 * The scenarios side by side (promotions.scenario_comparison_view, scoped to the organization) with margin %, deltas
 * and validation. Recommended: the highest EBIT delta among scenarios with KPIs that validation did not block.
 */
export async function compareScenarios(ctx: ServiceContext, ids: string[]): Promise<z.infer<typeof comparisonSchema>> {
  if (ids.length === 0) throw validationFailed('Give at least one scenario id.', [{ path: 'ids', message: 'Required' }]);
  const rows = await sqlRows<ViewRow>(
    ctx.db,
    sql`select scenario_id, label, scenario_type, scenario_status,
               to_char(date_range_start, 'YYYY-MM-DD') as date_range_start, to_char(date_range_end, 'YYYY-MM-DD') as date_range_end,
               kpi_id, total_sales_value::float8 as total_sales_value, total_margin_value::float8 as total_margin_value,
               total_margin_pct::float8 as total_margin_pct, total_ebit::float8 as total_ebit, total_units,
               sales_value_delta::float8 as sales_value_delta, margin_value_delta::float8 as margin_value_delta,
               ebit_delta::float8 as ebit_delta, units_delta, uplift_model_version, validation_status, overall_score
        from promotions.scenario_comparison_view
        where organization_id = ${ctx.organization.id}
          and scenario_id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
  );
  const byId = new Map(rows.map((r) => [r.scenario_id, r]));
  for (const id of ids) if (!byId.has(id)) throw notFound('Scenario', id);
  const ordered = ids.map((id) => byId.get(id)!);
  const candidates = ordered.filter((r) => r.kpi_id !== null && r.validation_status !== 'BLOCK' && r.ebit_delta !== null);
  candidates.sort((a, b) => b.ebit_delta! - a.ebit_delta! || (b.overall_score ?? -1) - (a.overall_score ?? -1));
  const best = candidates[0] ?? null;
  let reason: string;
  if (!best) {
    reason = ordered.some((r) => r.kpi_id === null)
      ? 'No recommendation: some scenarios have no KPIs yet and the others are blocked by validation.'
      : 'No recommendation: validation blocks every scenario; apply the suggested fixes and validate again.';
  } else {
    const runnerUp = candidates[1];
    const blocked = ordered.filter((r) => r.validation_status === 'BLOCK').length;
    reason =
      `"${best.label}" has the highest EBIT delta (${money(best.ebit_delta!)})` +
      (runnerUp ? `, ${money(best.ebit_delta! - runnerUp.ebit_delta!)} more than "${runnerUp.label}"` : '') +
      (best.validation_status ? `; validation ${best.validation_status}, score ${best.overall_score ?? 0}` : '; not validated yet') +
      (blocked ? `; ${blocked} blocked scenario${blocked === 1 ? '' : 's'} left out` : '') +
      '.';
  }
  const first = ordered[0];
  return {
    data: ordered.map((r) => ({
      scenarioId: r.scenario_id,
      label: r.label,
      scenarioType: r.scenario_type,
      scenarioStatus: r.scenario_status,
      dateRangeStart: r.date_range_start,
      dateRangeEnd: r.date_range_end,
      kpiId: r.kpi_id,
      totalSalesValue: r.total_sales_value,
      totalMarginValue: r.total_margin_value,
      totalMarginPct: r.total_margin_pct,
      totalEbit: r.total_ebit,
      totalUnits: r.total_units,
      salesValueDelta: r.sales_value_delta,
      marginValueDelta: r.margin_value_delta,
      ebitDelta: r.ebit_delta,
      unitsDelta: r.units_delta,
      incrementalMarginPct: r.sales_value_delta && r.margin_value_delta !== null ? round2((r.margin_value_delta / r.sales_value_delta) * 100) : null,
      upliftModelVersion: r.uplift_model_version,
      validationStatus: r.validation_status,
      overallScore: r.overall_score,
      vsFirst: {
        salesValue: diff(r.total_sales_value, first.total_sales_value),
        marginValue: diff(r.total_margin_value, first.total_margin_value),
        ebit: diff(r.total_ebit, first.total_ebit),
        marginPctPts: diff(r.total_margin_pct, first.total_margin_pct),
      },
      recommended: best?.scenario_id === r.scenario_id,
      reason: best?.scenario_id === r.scenario_id ? reason : null,
    })),
    recommendedScenarioId: best?.scenario_id ?? null,
    reason,
  };
}
