-- Seed 004's triggers, materialized view and archival, per organization (hand-written: drizzle-kit does not generate these).
-- The seed's update_updated_at_column, applied to every coaching table with updated_at.
CREATE OR REPLACE FUNCTION "coaching"."update_updated_at_column"()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER "update_users_updated_at" BEFORE UPDATE ON "coaching"."users"
    FOR EACH ROW EXECUTE FUNCTION "coaching"."update_updated_at_column"();--> statement-breakpoint
CREATE TRIGGER "update_performance_metrics_updated_at" BEFORE UPDATE ON "coaching"."performance_metrics"
    FOR EACH ROW EXECUTE FUNCTION "coaching"."update_updated_at_column"();--> statement-breakpoint
CREATE TRIGGER "update_coaching_sessions_updated_at" BEFORE UPDATE ON "coaching"."coaching_sessions"
    FOR EACH ROW EXECUTE FUNCTION "coaching"."update_updated_at_column"();--> statement-breakpoint
CREATE TRIGGER "update_quick_notes_updated_at" BEFORE UPDATE ON "coaching"."quick_notes"
    FOR EACH ROW EXECUTE FUNCTION "coaching"."update_updated_at_column"();--> statement-breakpoint
CREATE TRIGGER "update_action_items_updated_at" BEFORE UPDATE ON "coaching"."action_items"
    FOR EACH ROW EXECUTE FUNCTION "coaching"."update_updated_at_column"();--> statement-breakpoint
CREATE TRIGGER "update_action_plans_updated_at" BEFORE UPDATE ON "coaching"."action_plans"
    FOR EACH ROW EXECUTE FUNCTION "coaching"."update_updated_at_column"();--> statement-breakpoint
CREATE TRIGGER "update_agent_profiles_updated_at" BEFORE UPDATE ON "coaching"."agent_profiles"
    FOR EACH ROW EXECUTE FUNCTION "coaching"."update_updated_at_column"();--> statement-breakpoint
-- The seed's overdue rule. It only fires when a row is written; a daily job applies the same rule to untouched items.
CREATE OR REPLACE FUNCTION "coaching"."update_action_item_status"()
RETURNS TRIGGER AS $$
BEGIN
    IF NEW.status IN ('PENDING', 'IN_PROGRESS')
       AND NEW.due_date < CURRENT_DATE
       AND NEW.completed_date IS NULL THEN
        NEW.status = 'OVERDUE';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER "check_action_overdue"
    BEFORE INSERT OR UPDATE ON "coaching"."action_items"
    FOR EACH ROW EXECUTE FUNCTION "coaching"."update_action_item_status"();--> statement-breakpoint
-- The seed's team_performance_summary, per organization. Each figure is aggregated in its own subquery: the seed joins
-- agents, metrics, plans and sessions in one row set, which repeats each metric row once per plan × session and skews
-- the averages. Soft-deleted people are left out. Refresh daily (CONCURRENTLY on PostgreSQL: the unique index allows it).
CREATE MATERIALIZED VIEW "coaching"."team_performance_summary" AS
SELECT
    tl.organization_id,
    tl.id AS team_leader_id,
    tl.name AS team_leader_name,
    COALESCE(ag.agent_count, 0) AS agent_count,
    COALESCE(pl.active_pips, 0) AS active_pips,
    pm.avg_team_score,
    pm.avg_service_score,
    pm.avg_quality_score,
    COALESCE(cs.sessions_last_week, 0) AS sessions_last_week,
    CURRENT_DATE AS calculated_date
FROM "coaching"."users" tl
LEFT JOIN LATERAL (
    SELECT COUNT(*) AS agent_count
    FROM "coaching"."users" a
    WHERE a.organization_id = tl.organization_id AND a.team_leader_id = tl.id AND a.role = 'AGENT' AND a.deleted_at IS NULL
) ag ON true
LEFT JOIN LATERAL (
    SELECT COUNT(DISTINCT ap.id) AS active_pips
    FROM "coaching"."users" a
    JOIN "coaching"."action_plans" ap ON ap.organization_id = a.organization_id AND ap.agent_id = a.id AND ap.status = 'ACTIVE'
    WHERE a.organization_id = tl.organization_id AND a.team_leader_id = tl.id AND a.role = 'AGENT' AND a.deleted_at IS NULL
) pl ON true
LEFT JOIN LATERAL (
    SELECT
        AVG(m.composite_score) AS avg_team_score,
        AVG(m.service_score) AS avg_service_score,
        AVG(m.quality_score) AS avg_quality_score
    FROM "coaching"."users" a
    JOIN "coaching"."performance_metrics" m ON m.organization_id = a.organization_id AND m.agent_id = a.id AND m.metric_date = CURRENT_DATE - 1
    WHERE a.organization_id = tl.organization_id AND a.team_leader_id = tl.id AND a.role = 'AGENT' AND a.deleted_at IS NULL
) pm ON true
LEFT JOIN LATERAL (
    SELECT COUNT(*) AS sessions_last_week
    FROM "coaching"."coaching_sessions" s
    WHERE s.organization_id = tl.organization_id AND s.team_leader_id = tl.id AND s.scheduled_date >= CURRENT_DATE - INTERVAL '7 days'
) cs ON true
WHERE tl.role = 'TEAM_LEADER' AND tl.deleted_at IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "team_performance_summary_org_leader_key" ON "coaching"."team_performance_summary" ("organization_id", "team_leader_id");--> statement-breakpoint
-- The seed's retention: daily metrics older than 13 months move to cold storage (same columns + archived_at), like
-- store_health_archive. Aggregates (performance_history) stay.
CREATE SCHEMA IF NOT EXISTS "coaching_archive";--> statement-breakpoint
CREATE TABLE "coaching_archive"."performance_metrics" (LIKE "coaching"."performance_metrics" INCLUDING DEFAULTS, "archived_at" timestamp with time zone DEFAULT now() NOT NULL);--> statement-breakpoint
CREATE INDEX "archive_performance_metrics_org_date_idx" ON "coaching_archive"."performance_metrics" ("organization_id", "metric_date");--> statement-breakpoint
CREATE INDEX "archive_performance_metrics_agent_date_idx" ON "coaching_archive"."performance_metrics" ("agent_id", "metric_date");--> statement-breakpoint
-- The seed's archive_old_metrics for one organization; p_as_of (default today) is the reference date. Returns the rows moved.
CREATE OR REPLACE FUNCTION "coaching"."archive_old_metrics"(p_organization_id UUID, p_as_of DATE DEFAULT CURRENT_DATE)
RETURNS INTEGER AS $$
DECLARE
    v_moved INTEGER;
BEGIN
    WITH moved AS (
        DELETE FROM "coaching"."performance_metrics"
        WHERE organization_id = p_organization_id
          AND metric_date < (p_as_of - INTERVAL '13 months')::date
        RETURNING *
    )
    INSERT INTO "coaching_archive"."performance_metrics" ("id", "organization_id", "agent_id", "metric_date", "service_score", "productivity_score", "quality_score", "attendance_rate", "adherence_score", "csat", "fcr", "aht", "calls_handled", "calls_transferred", "calls_escalated", "scheduled_hours", "actual_hours", "break_time_minutes", "lunch_time_minutes", "aux_time_minutes", "script_adherence", "compliance_score", "qa_score", "composite_score", "imported_from", "created_at", "updated_at")
    SELECT "id", "organization_id", "agent_id", "metric_date", "service_score", "productivity_score", "quality_score", "attendance_rate", "adherence_score", "csat", "fcr", "aht", "calls_handled", "calls_transferred", "calls_escalated", "scheduled_hours", "actual_hours", "break_time_minutes", "lunch_time_minutes", "aux_time_minutes", "script_adherence", "compliance_score", "qa_score", "composite_score", "imported_from", "created_at", "updated_at" FROM moved;
    GET DIAGNOSTICS v_moved = ROW_COUNT;
    RETURN v_moved;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
-- The seed's exact signature; the organization comes from the session setting retailops.organization_id, because
-- archiving every tenant's rows at once would act across organizations.
CREATE OR REPLACE FUNCTION "coaching"."archive_old_metrics"()
RETURNS INTEGER AS $$
DECLARE
    v_organization_id TEXT := current_setting('retailops.organization_id', true);
BEGIN
    IF v_organization_id IS NULL OR v_organization_id = '' THEN
        RAISE EXCEPTION 'archive_old_metrics needs an organization: SET retailops.organization_id = ''<uuid>'' first, or pass it as the first argument';
    END IF;
    RETURN "coaching"."archive_old_metrics"(v_organization_id::UUID, CURRENT_DATE);
END;
$$ LANGUAGE plpgsql;
