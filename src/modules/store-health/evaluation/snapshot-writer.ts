import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { addDays, type IsoDate } from '../shared/dates.js';
import { pairKey, type EvaluationScope } from './evaluation-scope.js';
import { openWeekdaySql, scopeCtes, type EvaluationSqlScope } from './metric-evaluation-sql.js';
import { writeSummary, type SnapshotFacts } from './snapshot-summary.js';
import { sqlRows } from '../../../core/db/sql-rows.js';

/**
 * Daily health snapshot per store. The aggregates come from one set-based query; summaries are written in JS (they
 * are text); one INSERT … ON CONFLICT DO UPDATE per batch stores them, touching only snapshots that changed.
 *
 * overall_status: closed when the store is closed that day; no_data when no KPI was evaluated; red when a priority-1
 * or -2 KPI is red or at least two KPIs are red; yellow when any KPI is red or yellow; green otherwise.
 * health_score: mean of green 100 / yellow 50 / red 0 over the evaluated KPIs, weighted 6 − priority (priority 1
 * weighs 5 … priority 5 weighs 1); null when nothing was evaluated.
 * escalation_level: highest level reached by that day (escalations.to_level) among the store's alerts open that day
 * and the district alerts they are folded into (a district alert starts at level 1).
 * risk_probability: from the latest risk prediction for the store and date (overall prediction preferred):
 * confidence when red is predicted, else half the remaining probability.
 * action_required: overall red, or an alert open that day and not acknowledged by the end of it.
 * Both read the alerts as they stood on that day, so re-evaluating an old day gives the same snapshot.
 */

interface SnapshotAggregate {
  storeId: string;
  d: IsoDate;
  overallStatus: string;
  dayKind: string | null;
  red: number;
  yellow: number;
  green: number;
  noData: number;
  healthScore: number | null;
  escalationLevel: number;
  riskProbability: number | null;
  actionRequired: boolean;
}

export async function writeSnapshots(
  ctx: ServiceContext,
  sqlScope: EvaluationSqlScope,
  scope: EvaluationScope,
  from: IsoDate,
  to: IsoDate,
  options: { modelDates: ReadonlySet<IsoDate> },
): Promise<{ written: number; modelCandidates: SnapshotFacts[] }> {
  const org = ctx.organization.id;
  const rows = await sqlRows<SnapshotAggregate>(
    ctx.db,
    sql`
    with ${scopeCtes(sqlScope, from, to)},
    store_days as (
      select s.id as store_id, g.d::date as d, cd.kind as closure_kind,
        (cd.store_id is null and ${openWeekdaySql(sql`s.opening_hours`, sql`g.d::date`)}) as is_open
      from stores_in s
      cross join generate_series(${from}::date, ${to}::date, interval '1 day') as g(d)
      left join closure_days cd on cd.store_id = s.id and cd.closure_date = g.d::date
    ),
    kpi_days as (
      select m.store_id, m.metric_date as d,
        count(*) filter (where m.status = 'red') as red,
        count(*) filter (where m.status = 'yellow') as yellow,
        count(*) filter (where m.status = 'green') as green,
        count(*) filter (where m.status = 'no_data') as no_data,
        count(*) filter (where m.status = 'red' and t.priority <= 2) as red_high,
        sum(((case m.status when 'green' then 100 when 'yellow' then 50 else 0 end) * (6 - t.priority))::numeric) filter (where m.status in ('green', 'yellow', 'red'))
          / nullif(sum(6 - t.priority) filter (where m.status in ('green', 'yellow', 'red')), 0) as score
      from store_health.kpi_metrics m
      join thr t on t.store_id = m.store_id and t.kpi_id = m.kpi_definition_id
      where m.organization_id = ${org}::uuid and m.metric_date between ${from}::date and ${to}::date
      group by m.store_id, m.metric_date
    ),
    store_alerts as (
      select sd.store_id, sd.d, s.timezone, a.id, a.parent_alert_id, a.requires_acknowledgment, a.acknowledged_at
      from store_days sd
      join store_health.stores s on s.id = sd.store_id
      join store_health.alerts a on a.organization_id = ${org}::uuid and a.store_id = sd.store_id
        and a.alert_date < ${addDays(to, 2)}::date and (a.resolved_at is null or a.resolved_at >= ${addDays(from, -1)}::date)
        and (a.alert_date at time zone s.timezone)::date <= sd.d
        and (a.resolved_at is null or (a.resolved_at at time zone s.timezone)::date > sd.d)
    ),
    open_alerts as (
      select store_id, d, timezone, id, 0 as base_level from store_alerts
      union
      select sa.store_id, sa.d, sa.timezone, p.id, 1 from store_alerts sa
      join store_health.alerts p on p.id = sa.parent_alert_id
        and (p.alert_date at time zone sa.timezone)::date <= sa.d
        and (p.resolved_at is null or (p.resolved_at at time zone sa.timezone)::date > sa.d)
    ),
    alert_days as (
      select oa.store_id, oa.d, max(greatest(oa.base_level, coalesce(e.level, 0))) as escalation_level
      from open_alerts oa
      left join lateral (
        select max(e.to_level) as level from store_health.escalations e
        where e.alert_id = oa.id and (e.escalated_at at time zone oa.timezone)::date <= oa.d
      ) e on true
      group by oa.store_id, oa.d
    ),
    ack_days as (
      select store_id, d,
        bool_or(requires_acknowledgment and (acknowledged_at is null or (acknowledged_at at time zone timezone)::date > d)) as needs_ack
      from store_alerts group by store_id, d
    ),
    risks as (
      select distinct on (r.store_id, r.target_date) r.store_id, r.target_date as d,
        case when r.predicted_status = 'red' then coalesce(r.confidence_score, 0) / 100
             else (100 - coalesce(r.confidence_score, 0)) / 200 end as probability
      from store_health.risk_predictions r
      join stores_in s on s.id = r.store_id
      where r.organization_id = ${org}::uuid and r.target_date between ${from}::date and ${to}::date
      order by r.store_id, r.target_date, (r.prediction_type = 'overall' and r.kpi_definition_id is null) desc, r.prediction_date desc, r.created_at desc
    ),
    snapshots as (
      select sd.store_id, sd.d, sd.closure_kind,
        case
          when not sd.is_open then 'closed'
          when coalesce(k.red + k.yellow + k.green, 0) = 0 then 'no_data'
          when k.red_high > 0 or k.red >= 2 then 'red'
          when k.red > 0 or k.yellow > 0 then 'yellow'
          else 'green'
        end as overall_status,
        case when sd.is_open then coalesce(k.red, 0) else 0 end as red,
        case when sd.is_open then coalesce(k.yellow, 0) else 0 end as yellow,
        case when sd.is_open then coalesce(k.green, 0) else 0 end as green,
        case when sd.is_open then coalesce(k.no_data, 0) else 0 end as no_data,
        case when sd.is_open then round(k.score, 2) end as score,
        coalesce(ad.escalation_level, 0) as escalation_level,
        coalesce(ak.needs_ack, false) as needs_ack,
        round(rk.probability, 4) as probability
      from store_days sd
      left join kpi_days k on k.store_id = sd.store_id and k.d = sd.d
      left join alert_days ad on ad.store_id = sd.store_id and ad.d = sd.d
      left join ack_days ak on ak.store_id = sd.store_id and ak.d = sd.d
      left join risks rk on rk.store_id = sd.store_id and rk.d = sd.d
    )
    select store_id as "storeId", d::text as d, overall_status as "overallStatus",
      case when overall_status = 'closed' then coalesce(closure_kind, 'regular') end as "dayKind",
      red::int as red, yellow::int as yellow, green::int as green, no_data::int as "noData",
      score::float8 as "healthScore", escalation_level::int as "escalationLevel", probability::float8 as "riskProbability",
      (overall_status = 'red' or needs_ack) as "actionRequired"
    from snapshots order by d, store_id`,
  );
  if (!rows.length) return { written: 0, modelCandidates: [] };

  const facts = await loadSummaryFacts(ctx, sqlScope, scope, from, to);
  const previousOverall = new Map<string, string>();
  const before = await sqlRows<{ store_id: string; overall_status: string }>(
    ctx.db,
    sql`
    select distinct on (store_id) store_id, overall_status from store_health.store_health_snapshots
    where organization_id = ${org}::uuid and snapshot_date between ${addDays(from, -14)}::date and ${addDays(from, -1)}::date
      and overall_status <> 'closed'
    order by store_id, snapshot_date desc`,
  );
  for (const r of before) previousOverall.set(r.store_id, r.overall_status);

  const records: Record<string, unknown>[] = [];
  const modelCandidates: SnapshotFacts[] = [];
  for (const row of rows) {
    const store = scope.stores.get(row.storeId);
    if (!store) continue;
    const key = `${row.storeId}:${row.d}`;
    const summaryFacts: SnapshotFacts = {
      store,
      date: row.d,
      overallStatus: row.overallStatus,
      previousOverallStatus: previousOverall.get(row.storeId) ?? null,
      dayKind: row.dayKind,
      counts: { red: row.red, yellow: row.yellow, green: row.green, noData: row.noData },
      issues: facts.issues.get(key) ?? [],
      changes: facts.changes.get(key) ?? [],
    };
    // "Since yesterday" means since the last day the store was open.
    if (row.overallStatus !== 'closed') previousOverall.set(row.storeId, row.overallStatus);
    const summary = await writeSummary(summaryFacts, null);
    if (options.modelDates.has(row.d) && (summaryFacts.issues.length || summaryFacts.changes.length)) modelCandidates.push(summaryFacts);
    records.push({
      store_id: row.storeId,
      d: row.d,
      overall_status: row.overallStatus,
      health_score: row.healthScore,
      red: row.red,
      yellow: row.yellow,
      green: row.green,
      escalation_level: row.escalationLevel,
      risk_probability: row.riskProbability,
      summary: summary.text,
      action_required: row.actionRequired,
      metadata: { noDataKpiCount: row.noData, summarySource: summary.source, ...(row.dayKind ? { dayKind: row.dayKind } : {}) },
    });
  }
  const now = ctx.clock.now().toISOString();
  for (let i = 0; i < records.length; i += 5000) {
    await ctx.db.execute(sql`
      insert into store_health.store_health_snapshots as s (organization_id, store_id, snapshot_date, overall_status, health_score,
        red_kpi_count, yellow_kpi_count, green_kpi_count, escalation_level, risk_probability, summary, action_required, metadata,
        created_at, updated_at)
      select ${org}::uuid, x.store_id, x.d, x.overall_status, x.health_score, x.red, x.yellow, x.green, x.escalation_level,
        x.risk_probability, x.summary, x.action_required, x.metadata, ${now}::timestamptz, ${now}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(records.slice(i, i + 5000))}::jsonb) as x(store_id uuid, d date, overall_status text,
        health_score numeric, red int, yellow int, green int, escalation_level int, risk_probability numeric, summary text,
        action_required boolean, metadata jsonb)
      on conflict (store_id, snapshot_date) do update set overall_status = excluded.overall_status, health_score = excluded.health_score,
        red_kpi_count = excluded.red_kpi_count, yellow_kpi_count = excluded.yellow_kpi_count, green_kpi_count = excluded.green_kpi_count,
        escalation_level = excluded.escalation_level, risk_probability = excluded.risk_probability, summary = excluded.summary,
        action_required = excluded.action_required, metadata = excluded.metadata, updated_at = excluded.updated_at
      where (s.overall_status, s.health_score, s.red_kpi_count, s.yellow_kpi_count, s.green_kpi_count, s.escalation_level,
          s.risk_probability, s.summary, s.action_required, s.metadata)
        is distinct from (excluded.overall_status, excluded.health_score, excluded.red_kpi_count, excluded.yellow_kpi_count,
          excluded.green_kpi_count, excluded.escalation_level, excluded.risk_probability, excluded.summary, excluded.action_required,
          excluded.metadata)`);
  }
  return { written: records.length, modelCandidates };
}

async function loadSummaryFacts(ctx: ServiceContext, sqlScope: EvaluationSqlScope, scope: EvaluationScope, from: IsoDate, to: IsoDate) {
  const org = ctx.organization.id;
  const issueRows = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`
    with ${scopeCtes(sqlScope, from, to)}
    select m.store_id, m.kpi_definition_id as kpi_id, m.metric_date::text as d, m.status, m.value::float8 as value,
      m.comparison_value::float8 as comparison_value, m.variance_pct::float8 as variance_pct, (m.metadata ->> 'daysInStatus')::int as days
    from store_health.kpi_metrics m
    join thr t on t.store_id = m.store_id and t.kpi_id = m.kpi_definition_id
    where m.organization_id = ${org}::uuid and m.metric_date between ${from}::date and ${to}::date and m.status in ('yellow', 'red')`,
  );
  const changeRows = await sqlRows<Record<string, unknown>>(
    ctx.db,
    sql`
    with ${scopeCtes(sqlScope, from, to)}
    select h.store_id, h.kpi_definition_id as kpi_id, h.date::text as d, h.previous_status, h.current_status
    from store_health.kpi_status_history h
    join thr t on t.store_id = h.store_id and t.kpi_id = h.kpi_definition_id
    where h.organization_id = ${org}::uuid and h.date between ${from}::date and ${to}::date and h.previous_status is not null
    order by h.date, h.kpi_definition_id`,
  );
  const issues = new Map<string, SnapshotFacts['issues']>();
  for (const r of issueRows) {
    const storeId = String(r.store_id);
    const kpiId = String(r.kpi_id);
    const kpi = scope.kpis.get(kpiId);
    const threshold = scope.thresholds.get(pairKey(storeId, kpiId));
    if (!kpi || !threshold) continue;
    const key = `${storeId}:${String(r.d)}`;
    const list = issues.get(key) ?? [];
    list.push({
      kpi,
      threshold,
      reading: {
        status: String(r.status),
        value: r.value === null ? null : Number(r.value),
        comparisonValue: r.comparison_value === null ? null : Number(r.comparison_value),
        variancePct: r.variance_pct === null ? null : Number(r.variance_pct),
      },
      daysInStatus: r.days === null ? null : Number(r.days),
    });
    issues.set(key, list);
  }
  const changes = new Map<string, SnapshotFacts['changes']>();
  for (const r of changeRows) {
    const kpi = scope.kpis.get(String(r.kpi_id));
    if (!kpi) continue;
    const key = `${String(r.store_id)}:${String(r.d)}`;
    const list = changes.get(key) ?? [];
    list.push({ kpi, previousStatus: r.previous_status === null ? null : String(r.previous_status), currentStatus: String(r.current_status) });
    changes.set(key, list);
  }
  return { issues, changes };
}
