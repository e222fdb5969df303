import { sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { sqlRows } from '../../../core/db/sql-rows.js';
import { addDays, localDate, periodEnding, periodStart, periodTypes, type PeriodType } from './periods.js';

export interface RecomputeHistoryInput {
  /** Agents to recompute; all agents of the organization when omitted. */
  agentIds?: string[];
  /** First and last metric_date whose periods changed; the whole history when omitted. */
  from?: string;
  to?: string;
}

export interface RecomputeHistoryResult {
  agents: number;
  /** performance_history rows written (inserted or changed; unchanged periods are not rewritten). */
  periodsWritten: number;
  /** Rows removed because no metrics are left in their period (e.g. after a rollback). */
  periodsRemoved: number;
}

/**
 * The stored shape of agent_profiles.percentile_ranking: one key per ranked metric (0–100, higher is better — for AHT a
 * lower handle time ranks higher; null without data or without a second peer) and what the ranks are about.
 */
export type PercentileRanking = Partial<Record<PercentileMetric, number | null>> & {
  /** The local date the ranking was computed for; the window is the 30 days before it. */
  asOf: string;
  windowFrom: string;
  windowTo: string;
  /** Peers: the agent's department when set (peerDepartment), otherwise every active agent of the organization (null). */
  peerDepartment: string | null;
  peerCount: number;
};

export const percentileMetrics = [
  'composite_score',
  'service_score',
  'productivity_score',
  'quality_score',
  'attendance_rate',
  'adherence_score',
  'csat',
  'fcr',
  'aht',
] as const;
export type PercentileMetric = (typeof percentileMetrics)[number];
const lowerIsBetter = new Set<PercentileMetric>(['aht']);

const components = ['service_score', 'productivity_score', 'quality_score', 'attendance_rate', 'adherence_score'] as const;
const trendColumn: Record<(typeof components)[number], string> = {
  service_score: 'service_trend',
  productivity_score: 'productivity_trend',
  quality_score: 'quality_trend',
  attendance_rate: 'attendance_trend',
  adherence_score: 'adherence_trend',
};

/** The computed columns of performance_history; an upsert that would not change them writes nothing. */
const storedColumns = [
  ...components.map((c) => `avg_${c}`),
  'avg_composite_score',
  ...components.map((c) => trendColumn[c]),
  'score_variance',
  'days_worked',
  'annotations',
];

/**
 * Daily metrics, live and archived: the 13-month archival moves old rows to coaching_archive, and history is derived
 * from both, so a recompute never thins out or removes the periods of archived days.
 */
const metricsSource = sql`(SELECT organization_id, agent_id, metric_date, service_score, productivity_score, quality_score,
         attendance_rate, adherence_score, composite_score FROM coaching.performance_metrics
       UNION ALL
       SELECT organization_id, agent_id, metric_date, service_score, productivity_score, quality_score,
         attendance_rate, adherence_score, composite_score FROM coaching_archive.performance_metrics)`;

/** SQL: the period_ending of the period of `type` that contains the date expression. */
function endingSql(type: PeriodType, date: SQL): SQL {
  if (type === 'WEEK') return sql`(${date} + (7 - extract(isodow from ${date})::int))`;
  const unit = type === 'MONTH' ? 'month' : 'quarter';
  const length = type === 'MONTH' ? '1 month - 1 day' : '3 months - 1 day';
  return sql`(date_trunc(${sql.raw(`'${unit}'`)}, ${date}::timestamp) + interval ${sql.raw(`'${length}'`)})::date`;
}

/** SQL: the first day of the period of `type` that ends on the date expression. */
function startOfEndingSql(typeColumn: SQL, ending: SQL): SQL {
  return sql`(CASE ${typeColumn} WHEN 'WEEK' THEN ${ending} - 6
    WHEN 'MONTH' THEN date_trunc('month', ${ending}::timestamp)::date
    ELSE date_trunc('quarter', ${ending}::timestamp)::date END)`;
}

/** SQL: the period_ending of the period right before the one ending on `ending`. */
function previousEndingSql(typeColumn: SQL, ending: SQL): SQL {
  return sql`(${startOfEndingSql(typeColumn, ending)} - 1)`;
}

const idList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

interface Window {
  /** Metrics read from here (the period before the first changed one, for its trend). */
  readFrom: string;
  readTo: string;
  /** Per period type: the period endings written (and removed when empty). */
  write: Record<PeriodType, { from: string; to: string }>;
}

function windowFor(from: string, to: string): Window {
  const write = {} as Window['write'];
  let readFrom = from;
  let readTo = to;
  for (const type of periodTypes) {
    const firstStart = periodStart(type, from);
    const previousStart = periodStart(type, addDays(firstStart, -1));
    const nextEnding = periodEnding(type, addDays(periodEnding(type, to), 1));
    write[type] = { from: periodEnding(type, from), to: nextEnding };
    if (previousStart < readFrom) readFrom = previousStart;
    if (nextEnding > readTo) readTo = nextEnding;
  }
  return { readFrom, readTo, write };
}

/**
 * Recomputes performance_history (WEEK, MONTH, QUARTER) for the periods touching [from, to] and the period right after
 * each (its trend compares with the changed one); removes periods that no longer have metrics. Idempotent.
 * Set-based: one DELETE and one INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE for every agent and period at once.
 */
export async function recomputePerformanceHistory(ctx: ServiceContext, input: RecomputeHistoryInput = {}): Promise<RecomputeHistoryResult> {
  const org = ctx.organization.id;
  if (input.agentIds && input.agentIds.length === 0) return { agents: 0, periodsWritten: 0, periodsRemoved: 0 };
  if ((input.from && !input.to) || (!input.from && input.to)) {
    const only = (input.from ?? input.to)!;
    input = { ...input, from: only, to: only };
  }
  if (input.from && input.to && input.from > input.to) input = { ...input, from: input.to, to: input.from };
  const window = input.from && input.to ? windowFor(input.from, input.to) : null;

  const agentFilter = (column: SQL) => (input.agentIds ? sql`${column} IN (${idList(input.agentIds)})` : sql`true`);
  const readFilter = (column: SQL) => (window ? sql`${column} BETWEEN ${window.readFrom}::date AND ${window.readTo}::date` : sql`true`);
  const writeFilter = (typeColumn: SQL, ending: SQL) =>
    window
      ? sql`(${sql.join(
          periodTypes.map((type) => sql`(${typeColumn} = ${type} AND ${ending} BETWEEN ${window.write[type].from}::date AND ${window.write[type].to}::date)`),
          sql` OR `,
        )})`
      : sql`true`;

  return ctx.db.transaction(async (tx) => {
    // 1. Periods in the window whose metrics are all gone (a rollback, a deleted import) disappear.
    // A window: periods whose metrics are all gone are found by probing the metrics of those few periods. The whole
    // history: one anti-join against the fresh aggregates, inside the upsert statement below (probing 70,000 periods one
    // by one costs seconds; the anti-join on a window, in turn, gets a poor nested-loop plan).
    const removed = !window
      ? [{ n: 0 }]
      : await sqlRows<{ n: number }>(
          tx as never,
          sql`WITH gone AS (
            DELETE FROM coaching.performance_history h
            WHERE h.organization_id = ${org}
              AND ${agentFilter(sql`h.agent_id`)}
              AND ${writeFilter(sql`h.period_type`, sql`h.period_ending`)}
              AND NOT EXISTS (
                SELECT 1 FROM ${metricsSource} m
                WHERE m.organization_id = h.organization_id AND m.agent_id = h.agent_id
                  AND m.metric_date BETWEEN ${startOfEndingSql(sql`h.period_type`, sql`h.period_ending`)} AND h.period_ending)
            RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
        );

    // 2. Averages, spread and days per agent × period, trends against the adjacent earlier period, events.
    // Weeks straight from the days; months from the days as sums, quarters from those month sums (one pass less).
    const keys = ['s', 'p', 'q', 'a', 'd', 'c'] as const;
    const column = { s: 'service_score', p: 'productivity_score', q: 'quality_score', a: 'attendance_rate', d: 'adherence_score', c: 'composite_score' };
    const partialSums = sql.raw(keys.map((k) => `sum(${column[k]}) AS ${k}_sum, count(${column[k]}) AS ${k}_n`).join(', '));
    const rolledSums = sql.raw(keys.map((k) => `sum(${k}_sum) AS ${k}_sum, sum(${k}_n) AS ${k}_n`).join(', '));
    const fromSums = (type: PeriodType, table: string) =>
      sql.raw(`SELECT '${type}'::text AS period_type, agent_id, period_ending,
        ${keys.map((k) => `${k}_sum / nullif(${k}_n, 0) AS ${k}`).join(', ')},
        CASE WHEN c_n > 0 THEN sqrt(greatest(c_sq / c_n - (c_sum / c_n) ^ 2, 0)) END AS sd, days::int AS days
      FROM ${table}`);
    const monthEnding = endingSql('MONTH', sql`metric_date`);
    const quarterOfMonth = endingSql('QUARTER', sql`period_ending`);
    const lagged = (column: string) => sql.raw(`round(${column}::numeric, 2) - round((lag(${column}) OVER w)::numeric, 2)`);
    const written = await sqlRows<{ n: number; agents: number; removed: number }>(
      tx as never,
      sql`WITH daily AS (
            SELECT agent_id, metric_date, service_score, productivity_score, quality_score, attendance_rate, adherence_score, composite_score
            FROM ${metricsSource} src
            WHERE organization_id = ${org} AND ${agentFilter(sql`agent_id`)} AND ${readFilter(sql`metric_date`)}
          ),
          weeks AS (
            SELECT 'WEEK'::text AS period_type, agent_id, ${endingSql('WEEK', sql`metric_date`)} AS period_ending,
                   avg(service_score) AS s, avg(productivity_score) AS p, avg(quality_score) AS q,
                   avg(attendance_rate) AS a, avg(adherence_score) AS d, avg(composite_score) AS c,
                   stddev_pop(composite_score) AS sd, count(*)::int AS days
            FROM daily GROUP BY agent_id, 3
          ),
          month_sums AS (
            SELECT agent_id, ${monthEnding} AS period_ending, ${partialSums},
                   sum(composite_score * composite_score) AS c_sq, count(*) AS days
            FROM daily GROUP BY agent_id, 2
          ),
          quarter_sums AS (
            SELECT agent_id, ${quarterOfMonth} AS period_ending, ${rolledSums}, sum(c_sq) AS c_sq, sum(days) AS days
            FROM month_sums GROUP BY agent_id, 2
          ),
          agg AS (SELECT * FROM weeks UNION ALL ${fromSums('MONTH', 'month_sums')} UNION ALL ${fromSums('QUARTER', 'quarter_sums')}),
          trended AS (
            SELECT agg.*,
                   lag(period_ending) OVER w AS previous_ending,
                   ${lagged('s')} AS s_trend, ${lagged('p')} AS p_trend, ${lagged('q')} AS q_trend,
                   ${lagged('a')} AS a_trend, ${lagged('d')} AS d_trend
            FROM agg
            WINDOW w AS (PARTITION BY agent_id, period_type ORDER BY period_ending)
          ),
          events AS (
            SELECT s.agent_id, (coalesce(s.actual_end_time, s.actual_start_time, s.scheduled_date) AT TIME ZONE u.timezone)::date AS event_date,
                   'SESSION' AS type,
                   initcap(replace(s.session_type, '_', ' ')) || ' coaching session completed'
                     || coalesce(': ' || array_to_string(s.topics_covered[1:3], ', '), '') AS description
            FROM coaching.coaching_sessions s JOIN coaching.users u ON u.id = s.agent_id
            WHERE s.organization_id = ${org} AND s.status = 'COMPLETED' AND ${agentFilter(sql`s.agent_id`)}
            UNION ALL
            SELECT agent_id, start_date, 'PLAN_START', 'Improvement plan started: ' || left(reason_for_plan, 120)
            FROM coaching.action_plans
            WHERE organization_id = ${org} AND status NOT IN ('DRAFT', 'CANCELLED') AND ${agentFilter(sql`agent_id`)}
            UNION ALL
            SELECT agent_id, actual_end_date, 'PLAN_END', 'Improvement plan ended' || coalesce(' (' || outcome || ')', '')
            FROM coaching.action_plans
            WHERE organization_id = ${org} AND actual_end_date IS NOT NULL AND ${agentFilter(sql`agent_id`)}
          ),
          annotated AS (
            SELECT e.agent_id, t.period_type,
                   CASE t.period_type WHEN 'WEEK' THEN ${endingSql('WEEK', sql`e.event_date`)}
                        WHEN 'MONTH' THEN ${endingSql('MONTH', sql`e.event_date`)}
                        ELSE ${endingSql('QUARTER', sql`e.event_date`)} END AS period_ending,
                   jsonb_agg(jsonb_build_object('date', e.event_date, 'type', e.type, 'description', e.description)
                             ORDER BY e.event_date, e.type, e.description) AS events
            FROM events e CROSS JOIN (VALUES ('WEEK'), ('MONTH'), ('QUARTER')) AS t(period_type)
            WHERE ${readFilter(sql`e.event_date`)}
            GROUP BY 1, 2, 3
          ),
          removed AS (
            DELETE FROM coaching.performance_history
            WHERE ${window ? sql`false` : sql`true`} AND id IN (
              SELECT h.id FROM coaching.performance_history h
              LEFT JOIN agg ON agg.agent_id = h.agent_id AND agg.period_type = h.period_type AND agg.period_ending = h.period_ending
              WHERE h.organization_id = ${org} AND ${agentFilter(sql`h.agent_id`)} AND agg.agent_id IS NULL)
            RETURNING 1
          ),
          upserted AS (
            INSERT INTO coaching.performance_history AS h (
              organization_id, agent_id, period_type, period_ending,
              avg_service_score, avg_productivity_score, avg_quality_score, avg_attendance_rate, avg_adherence_score, avg_composite_score,
              service_trend, productivity_trend, quality_trend, attendance_trend, adherence_trend,
              score_variance, days_worked, annotations)
            SELECT ${org}::uuid, t.agent_id, t.period_type, t.period_ending,
                   ${sql.raw(['s', 'p', 'q', 'a', 'd', 'c'].map((k) => `round(t.${k}::numeric, 2)`).join(', '))},
                   ${sql.join(
                     ['s', 'p', 'q', 'a', 'd'].map(
                       (k) => sql`CASE WHEN t.previous_ending = ${previousEndingSql(sql`t.period_type`, sql`t.period_ending`)} THEN t.${sql.raw(k)}_trend END`,
                     ),
                     sql`, `,
                   )},
                   round(least(t.sd, 999.99)::numeric, 2), t.days,
                   jsonb_build_object('events', coalesce(an.events, '[]'::jsonb))
            FROM trended t
            LEFT JOIN annotated an ON an.agent_id = t.agent_id AND an.period_type = t.period_type AND an.period_ending = t.period_ending
            WHERE ${writeFilter(sql`t.period_type`, sql`t.period_ending`)}
            ON CONFLICT (organization_id, agent_id, period_type, period_ending) DO UPDATE SET
              avg_service_score = excluded.avg_service_score, avg_productivity_score = excluded.avg_productivity_score,
              avg_quality_score = excluded.avg_quality_score, avg_attendance_rate = excluded.avg_attendance_rate,
              avg_adherence_score = excluded.avg_adherence_score, avg_composite_score = excluded.avg_composite_score,
              ${sql.raw(components.map((c) => `${trendColumn[c]} = excluded.${trendColumn[c]}`).join(', '))},
              score_variance = excluded.score_variance, days_worked = excluded.days_worked, annotations = excluded.annotations
            WHERE (${sql.raw(storedColumns.map((c) => `h.${c}`).join(', '))}) IS DISTINCT FROM (${sql.raw(storedColumns.map((c) => `excluded.${c}`).join(', '))})
            RETURNING h.agent_id)
          SELECT (SELECT count(*) FROM upserted)::int AS n, (SELECT count(DISTINCT agent_id) FROM agg)::int AS agents,
                 (SELECT count(*) FROM removed)::int AS removed`,
    );
    const n = written[0]?.n ?? 0;
    return {
      agents: input.agentIds ? new Set(input.agentIds).size : Number(written[0]?.agents ?? 0),
      periodsWritten: Number(n),
      periodsRemoved: Number(removed[0]?.n ?? 0) + Number(written[0]?.removed ?? 0),
    };
  });
}

/**
 * Percentile rank (0–100) of each active agent (ACTIVE or PIP, not deleted, with metrics in the window) among peers on
 * the composite, each component, CSAT, FCR and AHT (lower is better) over the 30 days before `asOf` (default: the
 * organization's local today). Peers: same department when the agent has one, else all active agents of the
 * organization. Stored in agent_profiles.percentile_ranking (profiles created when missing); agents no longer ranked
 * get null.
 */
export async function recomputePercentileRankings(ctx: ServiceContext, input: { asOf?: string } = {}): Promise<{ agents: number }> {
  const org = ctx.organization.id;
  const asOf = input.asOf ?? localDate(ctx.clock.now(), ctx.organization.timezone);
  const from = addDays(asOf, -30);
  const to = addDays(asOf, -1);
  const averages = sql.raw(percentileMetrics.map((m) => `avg(m.${m})::float8 AS ${m}`).join(', '));
  const rankColumns = sql.raw(
    percentileMetrics
      .map((m) => {
        const order = lowerIsBetter.has(m) ? 'DESC' : 'ASC';
        const rank = (partition: string) =>
          `CASE WHEN ${m} IS NULL OR count(${m}) OVER (${partition}) < 2 THEN NULL
                ELSE round((100 * (rank() OVER (${partition} ORDER BY ${m} ${order}) - 1)::numeric / (count(${m}) OVER (${partition}) - 1)), 1) END`;
        return `CASE WHEN department IS NULL THEN ${rank('PARTITION BY (' + m + ' IS NULL)')}
                     ELSE ${rank('PARTITION BY department, (' + m + ' IS NULL)')} END AS pr_${m}`;
      })
      .join(',\n'),
  );
  const percentilesJson = sql.raw(`jsonb_build_object(${percentileMetrics.map((m) => `'${m}', r.pr_${m}`).join(', ')})`);
  const rows = await sqlRows<{ n: number }>(
    ctx.db,
    sql`WITH active AS (
          SELECT u.id AS agent_id, nullif(trim(u.department), '') AS department,
                 CASE WHEN upper(u.learning_style) IN ('VISUAL', 'AUDITORY', 'KINESTHETIC', 'READING') THEN upper(u.learning_style) ELSE 'VISUAL' END AS learning_style,
                 ${averages}
          FROM coaching.users u
          JOIN coaching.performance_metrics m ON m.organization_id = u.organization_id AND m.agent_id = u.id
               AND m.metric_date BETWEEN ${from}::date AND ${to}::date
          WHERE u.organization_id = ${org} AND u.role = 'AGENT' AND u.deleted_at IS NULL AND u.status IN ('ACTIVE', 'PIP')
          GROUP BY u.id
        ),
        ranked AS (
          SELECT agent_id, department, learning_style,
                 CASE WHEN department IS NULL THEN count(*) OVER () ELSE count(*) OVER (PARTITION BY department) END AS peers,
                 ${rankColumns}
          FROM active
        ),
        shaped AS (
          SELECT r.agent_id, r.learning_style,
                 ${percentilesJson} || jsonb_build_object(
                   'asOf', ${asOf}::text, 'windowFrom', ${from}::text, 'windowTo', ${to}::text,
                   'peerDepartment', r.department, 'peerCount', r.peers) AS ranking
          FROM ranked r
        ),
        cleared AS (
          UPDATE coaching.agent_profiles p SET percentile_ranking = NULL
          WHERE p.organization_id = ${org} AND p.percentile_ranking IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM shaped s WHERE s.agent_id = p.agent_id)
          RETURNING 1
        ),
        upserted AS (
          INSERT INTO coaching.agent_profiles AS p (agent_id, organization_id, learning_style, percentile_ranking)
          SELECT agent_id, ${org}::uuid, learning_style, ranking FROM shaped
          ON CONFLICT (agent_id) DO UPDATE SET percentile_ranking = excluded.percentile_ranking
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM upserted)::int AS n, (SELECT count(*) FROM cleared)::int AS cleared`,
  );
  return { agents: Number(rows[0]?.n ?? 0) };
}
