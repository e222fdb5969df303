import { sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { addDays, type IsoDate } from '../shared/dates.js';
import type { EvaluationSettings } from './evaluation-settings.js';
import { lastYearDays, rollingWeeksDays } from './threshold-rules.js';
import { sqlRows } from '../../../core/db/sql-rows.js';

/**
 * Set-based evaluation of kpi_metrics for one date range (a chunk of at most a month): every statement here handles
 * all stores and KPIs of the range at once. The rules are those of threshold-rules.ts; see
 * docs/store-health-thresholds.md for the semantics.
 */

export interface EvaluationSqlScope {
  organizationId: string;
  /** Restricts the evaluation to these stores; null for every active store. */
  storeIds: string[] | null;
}

/**
 * Keys the evaluation owns in kpi_metrics.metadata; anything else (e.g. import details) is left alone. Every metric row
 * carries them, so only what differs from the default is stored: rawStatus when it differs from the shown status
 * (a damped red, a recovering green), recoveryAnchor when 'red', thresholdSource when 'store'; daysInStatus and
 * redStreak always (prediction reads the flap state from them).
 */
export const evaluationMetadataKeys = ['rawStatus', 'redStreak', 'recoveryAnchor', 'daysInStatus', 'thresholdSource', 'dayKind', 'reason'] as const;
const evaluationKeysSql = sql.raw(`array[${evaluationMetadataKeys.map((k) => `'${k}'`).join(', ')}]::text[]`);

/** The state carried into a range (streak, anchor, run) comes from the last evaluated day at most six weeks back; after a longer gap a KPI starts fresh. */
const carryLookbackDays = 42;

/** True when the store's weekly opening hours have at least one interval on that ISO weekday. */
export function openWeekdaySql(hours: SQL, day: SQL): SQL {
  const entry = sql`(${hours} -> extract(isodow from ${day})::int::text)`;
  return sql`(case when jsonb_typeof(${entry}) = 'array' then jsonb_array_length(${entry}) > 0 else false end)`;
}

/**
 * stores_in (active stores of the scope), thr (the threshold of each store × active KPI: the store override row
 * whole, else the organization default; pairs without green_min are not evaluated) and closure_days (one-off
 * closures and holidays from closuresFrom to closuresTo, the organization-wide ones applied to every store).
 */
export function scopeCtes(scope: EvaluationSqlScope, closuresFrom: IsoDate, closuresTo: IsoDate): SQL {
  const org = scope.organizationId;
  const storeFilter = scope.storeIds ? sql`and s.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(scope.storeIds)}::jsonb))` : sql``;
  return sql`
    stores_in as (
      select s.id, s.opening_hours from store_health.stores s
      where s.organization_id = ${org}::uuid and s.status = 'active' ${storeFilter}
    ),
    thr as (
      select s.id as store_id, k.id as kpi_id, k.direction,
        case when o.id is not null then o.green_min else d.green_min end as green_min,
        case when o.id is not null then coalesce(o.yellow_min, o.red_threshold, o.green_min) else coalesce(d.yellow_min, d.red_threshold, d.green_min) end as yellow_edge,
        case when o.id is not null then o.comparison_basis else d.comparison_basis end as basis,
        case when o.id is not null then o.priority else d.priority end as priority,
        case when o.id is not null then 'store' else 'organization' end as source
      from stores_in s
      cross join store_health.kpi_definitions k
      left join store_health.kpi_thresholds o on o.organization_id = ${org}::uuid and o.kpi_definition_id = k.id and o.store_id = s.id
      left join store_health.kpi_thresholds d on d.organization_id = ${org}::uuid and d.kpi_definition_id = k.id and d.store_id is null
      where k.organization_id = ${org}::uuid and k.is_active
        and (case when o.id is not null then o.green_min else d.green_min end) is not null
    ),
    closure_days as (
      select store_id, closure_date, max(kind) as kind from (
        select c.store_id, c.closure_date, c.kind from store_health.store_closures c
        join stores_in s on s.id = c.store_id
        where c.organization_id = ${org}::uuid and c.closure_date between ${closuresFrom}::date and ${closuresTo}::date
        union all
        select s.id, c.closure_date, c.kind from store_health.store_closures c
        cross join stores_in s
        where c.organization_id = ${org}::uuid and c.store_id is null and c.closure_date between ${closuresFrom}::date and ${closuresTo}::date
      ) x group by store_id, closure_date
    )`;
}

/**
 * Makes missing data visible: an open day without a row for an evaluated KPI gets one with value null and status
 * no_data. Closed days get no row (the snapshot says closed).
 */
export async function insertMissingMetricRows(ctx: ServiceContext, scope: EvaluationSqlScope, from: IsoDate, to: IsoDate): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const result = await sqlRows<{ inserted: number }>(
    ctx.db,
    sql`
    with ${scopeCtes(scope, from, to)},
    inserted as (
      insert into store_health.kpi_metrics (organization_id, store_id, kpi_definition_id, metric_date, value, status, metadata, created_at, updated_at)
      select ${scope.organizationId}::uuid, t.store_id, t.kpi_id, g.d::date, null, 'no_data',
        '{"reason": "missing_value"}'::jsonb, ${now}::timestamptz, ${now}::timestamptz
      from thr t
      join stores_in s on s.id = t.store_id
      cross join generate_series(${from}::date, ${to}::date, interval '1 day') as g(d)
      left join closure_days cd on cd.store_id = t.store_id and cd.closure_date = g.d::date
      where cd.store_id is null and ${openWeekdaySql(sql`s.opening_hours`, sql`g.d::date`)}
        and not exists (
          select 1 from store_health.kpi_metrics m
          where m.store_id = t.store_id and m.kpi_definition_id = t.kpi_id and m.metric_date = g.d::date
            and m.metric_date between ${from}::date and ${to}::date
        )
      on conflict (store_id, kpi_definition_id, metric_date) do nothing
      returning 1
    )
    select count(*)::int as inserted from inserted`,
  );
  return Number(result[0].inserted);
}

/** Rows of stores in scope whose KPI is not evaluated (inactive, or no threshold) lose any earlier evaluation. */
export async function clearUnevaluatedMetrics(ctx: ServiceContext, scope: EvaluationSqlScope, from: IsoDate, to: IsoDate): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.execute(sql`
    with ${scopeCtes(scope, from, to)}
    update store_health.kpi_metrics m set status = null, comparison_value = null, comparison_type = null, variance_pct = null,
      metadata = m.metadata - ${evaluationKeysSql}, updated_at = ${now}::timestamptz
    where m.organization_id = ${scope.organizationId}::uuid and m.metric_date between ${from}::date and ${to}::date
      and m.store_id in (select id from stores_in)
      and (m.status is not null or m.comparison_value is not null or m.variance_pct is not null)
      and not exists (select 1 from thr t where t.store_id = m.store_id and t.kpi_id = m.kpi_definition_id)`);
}

/**
 * The evaluation proper, one statement for the whole range:
 *  1. comparison value per basis — rolling_4w: mean of the same weekday 7/14/21/28 days earlier over open days with a
 *     value; same_period_ly: the value 364 days earlier on an open day; absolute: green_min (the target);
 *  2. measure (raw value, or value as % of the comparison), variance %, raw status from the bands;
 *  3. flapping: a raw red shows red only from the N-th consecutive raw-red evaluated day (yellow before);
 *     recovery: after a confirmed red, a raw green shows green only once it clears the recovery line, and the KPI
 *     keeps needing that until it is green again ("recovery anchor");
 *  4. days in status: length of the current run of the effective status.
 * Closed and no_data days are transparent to 3 and 4: they neither break nor extend a run. The state at the end of
 * the previous range (streak, anchor, days) is read from the last evaluated row before `from`.
 */
export async function evaluateMetrics(
  ctx: ServiceContext,
  scope: EvaluationSqlScope,
  from: IsoDate,
  to: IsoDate,
  settings: Pick<EvaluationSettings, 'flapRedDays' | 'recoveryMarginPct'>,
): Promise<number> {
  const org = scope.organizationId;
  const now = ctx.clock.now().toISOString();
  const sourceFrom = addDays(from, -rollingWeeksDays);
  const margin = settings.recoveryMarginPct;
  // Windows partition by `evaluated` so closed and no_data rows pass through the pipeline without taking part in
  // streaks, anchors or runs; the statement has no self-joins, so its plan stays linear in the rows of the range.
  const result = await sqlRows<{ evaluated: number }>(
    ctx.db,
    sql`
    with ${scopeCtes(scope, addDays(from, -lastYearDays), to)},
    metric_rows as (
      select m.id, m.store_id, m.kpi_definition_id, m.metric_date, m.value from store_health.kpi_metrics m
      where m.organization_id = ${org}::uuid and m.metric_date between ${sourceFrom}::date and ${to}::date
      union all
      select m.id, m.store_id, m.kpi_definition_id, m.metric_date, m.value from store_health.kpi_metrics m
      where m.organization_id = ${org}::uuid
        and m.metric_date between ${addDays(from, -lastYearDays)}::date and ${addDays(to, -lastYearDays)}::date
        and m.metric_date < ${sourceFrom}::date
        and m.kpi_definition_id in (select kpi_id from thr where basis = 'same_period_ly')
    ),
    src as (
      select m.id, m.store_id, m.kpi_definition_id as kpi_id, m.metric_date as d, m.value,
        (cd.store_id is null and ${openWeekdaySql(sql`s.opening_hours`, sql`m.metric_date`)}) as is_open,
        coalesce(cd.kind, 'regular') as day_kind,
        t.direction, t.green_min, t.yellow_edge, t.basis, t.source
      from metric_rows m
      join thr t on t.store_id = m.store_id and t.kpi_id = m.kpi_definition_id
      join stores_in s on s.id = m.store_id
      left join closure_days cd on cd.store_id = m.store_id and cd.closure_date = m.metric_date
    ),
    based as (
      select src.*,
        avg(value) filter (where is_open and value is not null) over rolling as rolling_mean,
        avg(value) filter (where is_open and value is not null) over last_year as last_year_value
      from src
      window
        rolling as (partition by store_id, kpi_id, extract(isodow from d) order by d
          range between interval '${sql.raw(String(rollingWeeksDays))} days' preceding and interval '1 day' preceding),
        last_year as (partition by store_id, kpi_id, extract(isodow from d) order by d
          range between interval '${sql.raw(String(lastYearDays))} days' preceding and interval '${sql.raw(String(lastYearDays))} days' preceding)
    ),
    cur as (
      select b.*,
        case when b.is_open then round(case b.basis
          when 'rolling_4w' then b.rolling_mean
          when 'same_period_ly' then b.last_year_value
          when 'absolute' then b.green_min end, 4) end as comparison
      from based b
      where b.d between ${from}::date and ${to}::date
    ),
    measured as (
      select cur.*,
        case when basis = 'absolute' then value when comparison > 0 then value * 100 / comparison end as measure,
        case when comparison <> 0 then round(greatest(-99999999, least(99999999, (value - comparison) * 100 / abs(comparison))), 4) end as variance
      from cur
    ),
    raw as (
      select measured.*,
        case
          when not is_open then 'closed'
          when value is null or measure is null then 'no_data'
          when direction = 'lower_is_better' then
            case when measure <= green_min then 'green' when measure <= yellow_edge then 'yellow' else 'red' end
          else case when measure >= green_min then 'green' when measure >= yellow_edge then 'yellow' else 'red' end
        end as raw_status,
        coalesce(case when direction = 'lower_is_better'
          then measure <= green_min - abs(green_min) * ${margin}::numeric / 100
          else measure >= green_min + abs(green_min) * ${margin}::numeric / 100 end, false) as clears_recovery
      from measured
    ),
    carry as materialized (
      select t.store_id, t.kpi_id, p.status as carry_status, p.metadata as carry_meta
      from thr t
      cross join lateral (
        select p.status, p.metadata from store_health.kpi_metrics p
        where p.store_id = t.store_id and p.kpi_definition_id = t.kpi_id
          and p.metric_date < ${from}::date and p.metric_date >= ${addDays(from, -carryLookbackDays)}::date
          and p.status in ('green', 'yellow', 'red')
        order by p.metric_date desc limit 1
      ) p
    ),
    streaks as (
      select r.*, r.raw_status in ('green', 'yellow', 'red') as evaluated, c.carry_status, c.carry_meta,
        count(*) filter (where r.raw_status <> 'red') over (
          partition by r.store_id, r.kpi_id, r.raw_status in ('green', 'yellow', 'red') order by r.d rows between unbounded preceding and current row
        ) as red_run
      from raw r
      left join carry c on c.store_id = r.store_id and c.kpi_id = r.kpi_id
    ),
    streaked as (
      select s.*,
        case when s.evaluated and s.raw_status = 'red' then
          count(*) filter (where s.raw_status = 'red') over (partition by s.store_id, s.kpi_id, s.evaluated, s.red_run order by s.d rows between unbounded preceding and current row)
          + case when s.red_run = 0 then coalesce((s.carry_meta ->> 'redStreak')::int, 0) else 0 end
        else 0 end as red_streak
      from streaks s
    ),
    confirmed as (
      select s.*,
        case when not s.evaluated then null
          when s.red_streak >= ${settings.flapRedDays}::int then 'red'
          when s.raw_status = 'green' and s.clears_recovery then 'green' end as anchor
      from streaked s
    ),
    anchored as (
      select c.*, count(anchor) over (partition by store_id, kpi_id, evaluated order by d rows between unbounded preceding and current row) as anchor_run
      from confirmed c
    ),
    effective as (
      select a.*,
        case when anchor_run = 0 then carry_meta ->> 'recoveryAnchor' else max(anchor) over (partition by store_id, kpi_id, evaluated, anchor_run) end as recovery_anchor
      from anchored a
    ),
    statused as (
      select e.*,
        case
          when not e.evaluated then e.raw_status
          when e.anchor = 'red' then 'red'
          when e.raw_status in ('red', 'yellow') then 'yellow'
          when e.clears_recovery then 'green'
          when e.recovery_anchor = 'red' then 'yellow'
          else 'green'
        end as status,
        row_number() over (partition by e.store_id, e.kpi_id, e.evaluated order by e.d) as rn
      from effective e
    ),
    runs as (
      select s.*, rn - row_number() over (partition by store_id, kpi_id, evaluated, status order by d) as status_run from statused s
    ),
    final as (
      select r.id, r.d, r.basis, r.status,
        case when r.is_open then r.comparison end as comparison,
        case when r.is_open then r.variance end as variance,
        jsonb_strip_nulls(case when r.evaluated then jsonb_build_object(
            'daysInStatus', row_number() over run_window
              + case when min(r.rn) over run_window = 1 and r.status = r.carry_status
                  then coalesce((r.carry_meta ->> 'daysInStatus')::int, 0) else 0 end,
            'rawStatus', nullif(r.raw_status, r.status),
            'redStreak', r.red_streak,
            'recoveryAnchor', nullif(r.recovery_anchor, 'green'),
            'thresholdSource', nullif(r.source, 'organization'))
          else jsonb_build_object(
            'dayKind', case when not r.is_open then r.day_kind end,
            'reason', case when r.is_open and r.value is null then 'missing_value' when r.is_open then 'no_baseline' end,
            'thresholdSource', nullif(r.source, 'organization'))
        end) as eval_meta
      from runs r
      window run_window as (partition by r.store_id, r.kpi_id, r.evaluated, r.status, r.status_run order by r.d
        rows between unbounded preceding and current row)
    ),
    updated as (
      update store_health.kpi_metrics m set
        comparison_value = f.comparison, comparison_type = f.basis, variance_pct = f.variance, status = f.status,
        metadata = (m.metadata - ${evaluationKeysSql}) || f.eval_meta, updated_at = ${now}::timestamptz
      from final f
      where m.id = f.id and m.metric_date = f.d and m.organization_id = ${org}::uuid
        and m.metric_date between ${from}::date and ${to}::date
        and (m.status is distinct from f.status or m.comparison_value is distinct from f.comparison
          or m.variance_pct is distinct from f.variance or m.comparison_type is distinct from f.basis
          or m.metadata is distinct from ((m.metadata - ${evaluationKeysSql}) || f.eval_meta))
      returning 1
    )
    select (select count(*) from final)::int as evaluated, (select count(*) from updated)::int as updated`,
  );
  return Number(result[0].evaluated);
}

/**
 * kpi_status_history: one row per change of a KPI's effective status (closed and no_data days are skipped), with
 * duration_in_status = length of that run so far. A run continuing from before `from` extends the earlier row. A run
 * reaching the end of the range keeps the longer stored duration, so re-running an earlier range never shortens it.
 */
export async function writeStatusHistory(ctx: ServiceContext, scope: EvaluationSqlScope, from: IsoDate, to: IsoDate): Promise<number> {
  const org = scope.organizationId;
  const now = ctx.clock.now().toISOString();
  const result = await sqlRows<{ changes: number }>(
    ctx.db,
    sql`
    with ${scopeCtes(scope, from, to)},
    ev as (
      select m.store_id, m.kpi_definition_id as kpi_id, m.metric_date as d, m.status, m.value, m.variance_pct,
        coalesce((m.metadata ->> 'daysInStatus')::int, 1) as days
      from store_health.kpi_metrics m
      join thr t on t.store_id = m.store_id and t.kpi_id = m.kpi_definition_id
      where m.organization_id = ${org}::uuid and m.metric_date between ${from}::date and ${to}::date
        and m.status in ('green', 'yellow', 'red')
    ),
    carry as materialized (
      select t.store_id, t.kpi_id, p.status as carry_status
      from thr t
      cross join lateral (
        select p.status from store_health.kpi_metrics p
        where p.store_id = t.store_id and p.kpi_definition_id = t.kpi_id
          and p.metric_date < ${from}::date and p.metric_date >= ${addDays(from, -carryLookbackDays)}::date
          and p.status in ('green', 'yellow', 'red')
        order by p.metric_date desc limit 1
      ) p
    ),
    marked as (
      select ev.*, coalesce(lag(ev.status) over w, c.carry_status) as previous_status,
        max(ev.d) over (partition by ev.store_id, ev.kpi_id) as last_d
      from ev left join carry c on c.store_id = ev.store_id and c.kpi_id = ev.kpi_id
      window w as (partition by ev.store_id, ev.kpi_id order by ev.d)
    ),
    islands as (
      select marked.*, sum(case when previous_status is distinct from status then 1 else 0 end)
        over (partition by store_id, kpi_id order by d rows between unbounded preceding and current row) as island
      from marked
    ),
    runs as (
      select islands.*,
        max(days) over (partition by store_id, kpi_id, island) as duration,
        bool_or(d = last_d) over (partition by store_id, kpi_id, island) as reaches_end
      from islands
    ),
    starts as (
      select store_id, kpi_id, d, previous_status, status, value, variance_pct, duration, reaches_end
      from runs where island > 0 and previous_status is distinct from status
    ),
    continuing as (
      select distinct on (store_id, kpi_id) store_id, kpi_id, duration, reaches_end
      from runs where island = 0 order by store_id, kpi_id, d
    ),
    stale as (
      delete from store_health.kpi_status_history h
      where h.organization_id = ${org}::uuid and h.date between ${from}::date and ${to}::date
        and exists (select 1 from thr t where t.store_id = h.store_id and t.kpi_id = h.kpi_definition_id)
        and not exists (select 1 from starts s where s.store_id = h.store_id and s.kpi_id = h.kpi_definition_id and s.d = h.date)
      returning 1
    ),
    continued as (
      update store_health.kpi_status_history h set
        duration_in_status = case when r.reaches_end then greatest(h.duration_in_status, r.duration) else r.duration end
      from continuing r
      where h.organization_id = ${org}::uuid and h.store_id = r.store_id and h.kpi_definition_id = r.kpi_id
        and h.date = (select max(p.date) from store_health.kpi_status_history p
                      where p.store_id = r.store_id and p.kpi_definition_id = r.kpi_id and p.date < ${from}::date)
        and h.duration_in_status is distinct from (case when r.reaches_end then greatest(h.duration_in_status, r.duration) else r.duration end)
      returning 1
    ),
    written as (
      insert into store_health.kpi_status_history as h
        (organization_id, store_id, kpi_definition_id, date, previous_status, current_status, value, variance_pct, duration_in_status, created_at)
      select ${org}::uuid, s.store_id, s.kpi_id, s.d, s.previous_status, s.status, s.value, s.variance_pct,
        case when s.reaches_end then greatest(coalesce((
          select old.duration_in_status from store_health.kpi_status_history old
          where old.store_id = s.store_id and old.kpi_definition_id = s.kpi_id and old.date = s.d and old.current_status = s.status
        ), 0), s.duration) else s.duration end, ${now}::timestamptz
      from starts s
      on conflict (store_id, kpi_definition_id, date) do update set
        previous_status = excluded.previous_status, current_status = excluded.current_status, value = excluded.value,
        variance_pct = excluded.variance_pct, duration_in_status = excluded.duration_in_status
      where (h.previous_status, h.current_status, h.value, h.variance_pct, h.duration_in_status)
        is distinct from (excluded.previous_status, excluded.current_status, excluded.value, excluded.variance_pct, excluded.duration_in_status)
      returning 1
    )
    select (select count(*) from starts)::int as changes, (select count(*) from written)::int as written,
      (select count(*) from stale)::int as removed, (select count(*) from continued)::int as continued`,
  );
  return Number(result[0].changes);
}
