-- Seed 002's views and function, scoped by organization (hand-written: drizzle-kit does not generate these).
CREATE VIEW "promotions"."sales_daily_summary" AS
SELECT
    organization_id,
    date,
    channel,
    SUM(sales_value) AS total_sales_value,
    SUM(margin_value) AS total_margin_value,
    AVG(margin_pct) AS avg_margin_pct,
    SUM(units) AS total_units,
    COUNT(*) FILTER (WHERE promo_flag = true) AS promo_days_count
FROM "promotions"."sales_aggregated"
GROUP BY organization_id, date, channel;--> statement-breakpoint
-- The seed's columns first; a scenario's KPIs are its current scenario_kpis row (older rows are forecast history).
CREATE VIEW "promotions"."scenario_comparison_view" AS
SELECT
    ps.id AS scenario_id,
    ps.label,
    ps.scenario_type,
    ps.date_range_start,
    ps.date_range_end,
    sk.total_sales_value,
    sk.total_margin_pct,
    sk.total_ebit,
    sk.sales_value_delta,
    vr.status AS validation_status,
    vr.overall_score,
    ps.organization_id,
    ps.status AS scenario_status,
    ps.source_opportunity_id,
    sk.id AS kpi_id,
    sk.total_margin_value,
    sk.total_units,
    sk.margin_value_delta,
    sk.ebit_delta,
    sk.units_delta,
    sk.uplift_model_version,
    ps.updated_at
FROM "promotions"."promo_scenarios" ps
LEFT JOIN "promotions"."scenario_kpis" sk ON ps.id = sk.scenario_id AND sk.is_current
LEFT JOIN "promotions"."validation_reports" vr ON ps.id = vr.scenario_id;--> statement-breakpoint
-- The seed's calculate_baseline_forecast (day-of-week average of non-promo days), for one organization.
CREATE OR REPLACE FUNCTION "promotions"."calculate_baseline_forecast"(
    p_organization_id UUID,
    p_start_date DATE,
    p_end_date DATE,
    p_channel VARCHAR DEFAULT NULL,
    p_department VARCHAR DEFAULT NULL
)
RETURNS TABLE (
    date DATE,
    forecasted_sales_value NUMERIC,
    forecasted_margin_value NUMERIC,
    forecasted_units INTEGER
) AS $$
BEGIN
    RETURN QUERY
    SELECT
        d.date,
        AVG(sa.sales_value) FILTER (WHERE sa.promo_flag = false) as forecasted_sales_value,
        AVG(sa.margin_value) FILTER (WHERE sa.promo_flag = false) as forecasted_margin_value,
        AVG(sa.units) FILTER (WHERE sa.promo_flag = false)::INTEGER as forecasted_units
    FROM generate_series(p_start_date, p_end_date, '1 day'::interval) d
    LEFT JOIN "promotions"."sales_aggregated" sa ON
        sa.organization_id = p_organization_id
        AND EXTRACT(DOW FROM d.date) = EXTRACT(DOW FROM sa.date)
        AND (p_channel IS NULL OR sa.channel = p_channel)
        AND (p_department IS NULL OR sa.department = p_department)
        AND sa.promo_flag = false
    GROUP BY d.date;
END;
$$ LANGUAGE plpgsql STABLE;--> statement-breakpoint
-- The seed's exact signature; the organization comes from the session setting retailops.organization_id, because a
-- baseline averaged over every tenant's sales would leak data between organizations.
CREATE OR REPLACE FUNCTION "promotions"."calculate_baseline_forecast"(
    p_start_date DATE,
    p_end_date DATE,
    p_channel VARCHAR DEFAULT NULL,
    p_department VARCHAR DEFAULT NULL
)
RETURNS TABLE (
    date DATE,
    forecasted_sales_value NUMERIC,
    forecasted_margin_value NUMERIC,
    forecasted_units INTEGER
) AS $$
DECLARE
    v_organization_id TEXT := current_setting('retailops.organization_id', true);
BEGIN
    IF v_organization_id IS NULL OR v_organization_id = '' THEN
        RAISE EXCEPTION 'calculate_baseline_forecast needs an organization: SET retailops.organization_id = ''<uuid>'' first, or pass it as the first argument';
    END IF;
    RETURN QUERY SELECT * FROM "promotions"."calculate_baseline_forecast"(v_organization_id::UUID, p_start_date, p_end_date, p_channel, p_department);
END;
$$ LANGUAGE plpgsql STABLE;
