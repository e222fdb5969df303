CREATE SCHEMA "promotions";
--> statement-breakpoint
CREATE TABLE "promotions"."baseline_forecasts" (
	"organization_id" uuid NOT NULL,
	"department" varchar(50) NOT NULL,
	"channel" varchar(20) NOT NULL,
	"date" date NOT NULL,
	"model" varchar(40) NOT NULL,
	"forecast_sales_value" numeric(15, 2) NOT NULL,
	"forecast_margin_value" numeric(15, 2) NOT NULL,
	"forecast_units" integer NOT NULL,
	"lower_sales_value" numeric(15, 2),
	"upper_sales_value" numeric(15, 2),
	"trained_through" date NOT NULL,
	"generated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "baseline_forecasts_pkey" PRIMARY KEY("organization_id","department","channel","date")
);
--> statement-breakpoint
CREATE TABLE "promotions"."creative_briefs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"scenario_id" uuid NOT NULL,
	"brief" jsonb NOT NULL,
	"assets" jsonb,
	"generated_by" varchar(100) DEFAULT 'offline' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promotions"."data_processing_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"job_id" varchar(100) NOT NULL,
	"kind" varchar(30) NOT NULL,
	"status" varchar(20) NOT NULL,
	"files_queued" integer NOT NULL,
	"files_processed" integer DEFAULT 0,
	"records_processed" bigint DEFAULT 0,
	"errors" integer DEFAULT 0,
	"result" jsonb,
	"error_message" text,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"records_read" integer DEFAULT 0 NOT NULL,
	"records_total" integer,
	"created_by" varchar(100),
	CONSTRAINT "data_processing_jobs_job_id_key" UNIQUE("job_id"),
	CONSTRAINT "data_processing_jobs_status_check" CHECK ("promotions"."data_processing_jobs"."status" IN ('queued', 'processing', 'completed', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "promotions"."forecast_backtests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"status" varchar(20) NOT NULL,
	"parameters" jsonb NOT NULL,
	"results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error_message" text,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"created_by" varchar(100)
);
--> statement-breakpoint
CREATE TABLE "promotions"."opportunities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"month" varchar(7) NOT NULL,
	"department" varchar(50) NOT NULL,
	"channel" varchar(20) NOT NULL,
	"forecast_sales_value" numeric(15, 2) NOT NULL,
	"forecast_margin_value" numeric(15, 2) NOT NULL,
	"forecast_units" integer NOT NULL,
	"target_sales_value" numeric(15, 2) NOT NULL,
	"target_margin_pct" numeric(6, 2),
	"gap_value" numeric(15, 2) NOT NULL,
	"gap_pct" numeric(6, 2) NOT NULL,
	"rank" integer NOT NULL,
	"status" varchar(20) DEFAULT 'open' NOT NULL,
	"forecast_model" varchar(40) NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promotions"."post_mortem_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"scenario_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"forecast_kpi_id" uuid,
	"actual_sales_value" numeric(15, 2) NOT NULL,
	"actual_margin_value" numeric(15, 2) NOT NULL,
	"actual_margin_pct" numeric(5, 2) NOT NULL,
	"actual_ebit" numeric(15, 2) NOT NULL,
	"actual_units" integer NOT NULL,
	"sales_value_error_pct" numeric(6, 2) NOT NULL,
	"margin_value_error_pct" numeric(6, 2) NOT NULL,
	"ebit_error_pct" numeric(6, 2) NOT NULL,
	"units_error_pct" numeric(6, 2) NOT NULL,
	"post_promo_dip" jsonb,
	"cannibalization_signals" jsonb,
	"insights" text[],
	"learning_points" text[],
	"learned_model_version" varchar(20),
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "post_mortem_reports_period_check" CHECK ("promotions"."post_mortem_reports"."period_end" >= "promotions"."post_mortem_reports"."period_start")
);
--> statement-breakpoint
CREATE TABLE "promotions"."promo_catalog" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"promo_name" varchar(200),
	"date_start" date NOT NULL,
	"date_end" date NOT NULL,
	"departments" text[],
	"channels" text[],
	"avg_discount_pct" numeric(5, 2),
	"mechanics" jsonb,
	"source_file" varchar(500),
	"import_job_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promo_catalog_date_check" CHECK ("promotions"."promo_catalog"."date_end" >= "promotions"."promo_catalog"."date_start")
);
--> statement-breakpoint
CREATE TABLE "promotions"."promo_scenarios" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"label" varchar(100) NOT NULL,
	"source_opportunity_id" uuid,
	"date_range_start" date NOT NULL,
	"date_range_end" date NOT NULL,
	"scenario_type" varchar(50),
	"mechanics" jsonb NOT NULL,
	"created_by" varchar(100),
	"status" varchar(20) DEFAULT 'draft' NOT NULL,
	"description" text,
	"copied_from_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promo_scenarios_date_check" CHECK ("promotions"."promo_scenarios"."date_range_end" >= "promotions"."promo_scenarios"."date_range_start"),
	CONSTRAINT "promo_scenarios_scenario_type_check" CHECK ("promotions"."promo_scenarios"."scenario_type" IN ('conservative', 'balanced', 'aggressive', 'flash', 'best_deal', 'coupon', 'member_only'))
);
--> statement-breakpoint
CREATE TABLE "promotions"."sales_aggregated" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"date" date NOT NULL,
	"channel" varchar(20) NOT NULL,
	"department" varchar(50) NOT NULL,
	"promo_flag" boolean DEFAULT false NOT NULL,
	"discount_pct" numeric(5, 2),
	"sales_value" numeric(15, 2) NOT NULL,
	"margin_value" numeric(15, 2) NOT NULL,
	"margin_pct" numeric(5, 2) GENERATED ALWAYS AS (CASE WHEN sales_value > 0 THEN LEAST(GREATEST(margin_value / sales_value * 100, -999.99), 999.99) ELSE 0 END) STORED,
	"units" integer NOT NULL,
	"import_job_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_aggregated_channel_check" CHECK ("promotions"."sales_aggregated"."channel" IN ('online', 'offline'))
);
--> statement-breakpoint
CREATE TABLE "promotions"."scenario_kpis" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"scenario_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"total_sales_value" numeric(15, 2) NOT NULL,
	"total_margin_value" numeric(15, 2) NOT NULL,
	"total_margin_pct" numeric(5, 2) NOT NULL,
	"total_ebit" numeric(15, 2) NOT NULL,
	"total_units" integer NOT NULL,
	"sales_value_delta" numeric(15, 2) NOT NULL,
	"margin_value_delta" numeric(15, 2) NOT NULL,
	"ebit_delta" numeric(15, 2) NOT NULL,
	"units_delta" integer NOT NULL,
	"kpi_breakdown" jsonb NOT NULL,
	"baseline_sales_value" numeric(15, 2) NOT NULL,
	"baseline_margin_value" numeric(15, 2) NOT NULL,
	"baseline_ebit" numeric(15, 2) NOT NULL,
	"baseline_units" integer NOT NULL,
	"promo_costs" numeric(15, 2) DEFAULT 0 NOT NULL,
	"uplift_model_version" varchar(20) NOT NULL,
	"baseline_model" varchar(40) NOT NULL,
	"is_current" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scenario_kpis_period_check" CHECK ("promotions"."scenario_kpis"."period_end" >= "promotions"."scenario_kpis"."period_start")
);
--> statement-breakpoint
CREATE TABLE "promotions"."segments" (
	"organization_id" uuid NOT NULL,
	"segment_id" varchar(50) NOT NULL,
	"name" varchar(100) NOT NULL,
	"share_of_customers" numeric(5, 4) NOT NULL,
	"share_of_revenue" numeric(5, 4) NOT NULL,
	"avg_basket_value" numeric(10, 2) NOT NULL,
	"fav_categories" text[],
	"discount_sensitivity" varchar(20),
	"purchase_frequency" numeric(5, 2),
	"last_purchase_days_ago" integer,
	"import_job_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segments_pkey" PRIMARY KEY("organization_id","segment_id"),
	CONSTRAINT "segments_share_of_customers_check" CHECK ("promotions"."segments"."share_of_customers" >= 0 AND "promotions"."segments"."share_of_customers" <= 1),
	CONSTRAINT "segments_share_of_revenue_check" CHECK ("promotions"."segments"."share_of_revenue" >= 0 AND "promotions"."segments"."share_of_revenue" <= 1),
	CONSTRAINT "segments_discount_sensitivity_check" CHECK ("promotions"."segments"."discount_sensitivity" IN ('low', 'medium', 'high'))
);
--> statement-breakpoint
CREATE TABLE "promotions"."targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"month" varchar(7) NOT NULL,
	"geo" varchar(10) NOT NULL,
	"sales_value_target" numeric(15, 2) NOT NULL,
	"margin_pct_target" numeric(5, 2) NOT NULL,
	"units_target" integer,
	"department" varchar(50),
	"channel" varchar(20),
	"import_job_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "targets_month_check" CHECK ("promotions"."targets"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "promotions"."uplift_coefficients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"department" varchar(50) NOT NULL,
	"channel" varchar(20) NOT NULL,
	"discount_band" varchar(20) NOT NULL,
	"uplift_sales_pct" numeric(6, 2) NOT NULL,
	"uplift_units_pct" numeric(6, 2) NOT NULL,
	"margin_impact_pct" numeric(6, 2) NOT NULL,
	"confidence" numeric(3, 2),
	"sample_size" integer,
	"model_version" varchar(20) NOT NULL,
	"source" varchar(20) DEFAULT 'history' NOT NULL,
	"post_promo_dip_pct" numeric(6, 2),
	"cannibalization_pct" numeric(6, 2),
	"post_mortem_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uplift_coefficients_channel_check" CHECK ("promotions"."uplift_coefficients"."channel" IN ('online', 'offline')),
	CONSTRAINT "uplift_coefficients_confidence_check" CHECK ("promotions"."uplift_coefficients"."confidence" >= 0 AND "promotions"."uplift_coefficients"."confidence" <= 1)
);
--> statement-breakpoint
CREATE TABLE "promotions"."validation_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"scenario_id" uuid NOT NULL,
	"status" varchar(20) NOT NULL,
	"issues" jsonb,
	"overall_score" integer,
	"kpi_id" uuid,
	"thresholds" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "validation_reports_status_check" CHECK ("promotions"."validation_reports"."status" IN ('PASS', 'WARN', 'BLOCK')),
	CONSTRAINT "validation_reports_score_check" CHECK ("promotions"."validation_reports"."overall_score" >= 0 AND "promotions"."validation_reports"."overall_score" <= 100)
);
--> statement-breakpoint
ALTER TABLE "promotions"."baseline_forecasts" ADD CONSTRAINT "baseline_forecasts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."creative_briefs" ADD CONSTRAINT "creative_briefs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."creative_briefs" ADD CONSTRAINT "creative_briefs_scenario_id_promo_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "promotions"."promo_scenarios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."data_processing_jobs" ADD CONSTRAINT "data_processing_jobs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."forecast_backtests" ADD CONSTRAINT "forecast_backtests_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."opportunities" ADD CONSTRAINT "opportunities_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."post_mortem_reports" ADD CONSTRAINT "post_mortem_reports_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."post_mortem_reports" ADD CONSTRAINT "post_mortem_reports_scenario_id_promo_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "promotions"."promo_scenarios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."post_mortem_reports" ADD CONSTRAINT "post_mortem_reports_forecast_kpi_id_scenario_kpis_id_fk" FOREIGN KEY ("forecast_kpi_id") REFERENCES "promotions"."scenario_kpis"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."promo_catalog" ADD CONSTRAINT "promo_catalog_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."promo_scenarios" ADD CONSTRAINT "promo_scenarios_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."promo_scenarios" ADD CONSTRAINT "promo_scenarios_source_opportunity_id_opportunities_id_fk" FOREIGN KEY ("source_opportunity_id") REFERENCES "promotions"."opportunities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."sales_aggregated" ADD CONSTRAINT "sales_aggregated_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."scenario_kpis" ADD CONSTRAINT "scenario_kpis_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."scenario_kpis" ADD CONSTRAINT "scenario_kpis_scenario_id_promo_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "promotions"."promo_scenarios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."segments" ADD CONSTRAINT "segments_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."targets" ADD CONSTRAINT "targets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."uplift_coefficients" ADD CONSTRAINT "uplift_coefficients_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."uplift_coefficients" ADD CONSTRAINT "uplift_coefficients_post_mortem_id_post_mortem_reports_id_fk" FOREIGN KEY ("post_mortem_id") REFERENCES "promotions"."post_mortem_reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."validation_reports" ADD CONSTRAINT "validation_reports_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."validation_reports" ADD CONSTRAINT "validation_reports_scenario_id_promo_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "promotions"."promo_scenarios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions"."validation_reports" ADD CONSTRAINT "validation_reports_kpi_id_scenario_kpis_id_fk" FOREIGN KEY ("kpi_id") REFERENCES "promotions"."scenario_kpis"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_creative_scenario" ON "promotions"."creative_briefs" USING btree ("scenario_id");--> statement-breakpoint
CREATE INDEX "idx_jobs_status" ON "promotions"."data_processing_jobs" USING btree ("organization_id","status");--> statement-breakpoint
CREATE INDEX "idx_jobs_created_at" ON "promotions"."data_processing_jobs" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "forecast_backtests_org_started_idx" ON "promotions"."forecast_backtests" USING btree ("organization_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "opportunities_org_month_dept_channel_key" ON "promotions"."opportunities" USING btree ("organization_id","month","department","channel");--> statement-breakpoint
CREATE INDEX "opportunities_org_rank_idx" ON "promotions"."opportunities" USING btree ("organization_id","month","rank");--> statement-breakpoint
CREATE INDEX "idx_postmortem_scenario" ON "promotions"."post_mortem_reports" USING btree ("scenario_id");--> statement-breakpoint
CREATE INDEX "idx_postmortem_period" ON "promotions"."post_mortem_reports" USING btree ("organization_id","period_start","period_end");--> statement-breakpoint
CREATE INDEX "idx_promo_dates" ON "promotions"."promo_catalog" USING btree ("organization_id","date_start","date_end");--> statement-breakpoint
CREATE INDEX "idx_promo_departments" ON "promotions"."promo_catalog" USING gin ("departments");--> statement-breakpoint
CREATE INDEX "idx_promo_source_file" ON "promotions"."promo_catalog" USING btree ("organization_id","source_file");--> statement-breakpoint
CREATE INDEX "idx_scenarios_date_range" ON "promotions"."promo_scenarios" USING btree ("organization_id","date_range_start","date_range_end");--> statement-breakpoint
CREATE INDEX "idx_scenarios_type" ON "promotions"."promo_scenarios" USING btree ("organization_id","scenario_type");--> statement-breakpoint
CREATE INDEX "idx_scenarios_created_at" ON "promotions"."promo_scenarios" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "unique_sales_record" ON "promotions"."sales_aggregated" USING btree ("organization_id","date","channel","department","promo_flag");--> statement-breakpoint
CREATE INDEX "idx_sales_date" ON "promotions"."sales_aggregated" USING btree ("organization_id","date");--> statement-breakpoint
CREATE INDEX "idx_sales_channel" ON "promotions"."sales_aggregated" USING btree ("organization_id","channel");--> statement-breakpoint
CREATE INDEX "idx_sales_department" ON "promotions"."sales_aggregated" USING btree ("organization_id","department");--> statement-breakpoint
CREATE INDEX "idx_sales_promo" ON "promotions"."sales_aggregated" USING btree ("organization_id","promo_flag");--> statement-breakpoint
CREATE INDEX "idx_sales_date_channel" ON "promotions"."sales_aggregated" USING btree ("organization_id","date","channel");--> statement-breakpoint
CREATE INDEX "idx_sales_date_department" ON "promotions"."sales_aggregated" USING btree ("organization_id","date","department");--> statement-breakpoint
CREATE INDEX "idx_kpis_scenario" ON "promotions"."scenario_kpis" USING btree ("scenario_id");--> statement-breakpoint
CREATE INDEX "idx_kpis_period" ON "promotions"."scenario_kpis" USING btree ("organization_id","period_start","period_end");--> statement-breakpoint
CREATE UNIQUE INDEX "scenario_kpis_one_current_key" ON "promotions"."scenario_kpis" USING btree ("scenario_id") WHERE "promotions"."scenario_kpis"."is_current";--> statement-breakpoint
CREATE UNIQUE INDEX "targets_month_geo_key" ON "promotions"."targets" USING btree ("organization_id","month","geo",coalesce("department", ''),coalesce("channel", ''));--> statement-breakpoint
CREATE INDEX "idx_targets_month" ON "promotions"."targets" USING btree ("organization_id","month");--> statement-breakpoint
CREATE INDEX "idx_targets_geo" ON "promotions"."targets" USING btree ("organization_id","geo");--> statement-breakpoint
CREATE UNIQUE INDEX "uplift_coefficients_key" ON "promotions"."uplift_coefficients" USING btree ("organization_id","department","channel","discount_band","model_version");--> statement-breakpoint
CREATE INDEX "idx_uplift_department" ON "promotions"."uplift_coefficients" USING btree ("organization_id","department");--> statement-breakpoint
CREATE INDEX "idx_uplift_channel" ON "promotions"."uplift_coefficients" USING btree ("organization_id","channel");--> statement-breakpoint
CREATE INDEX "idx_uplift_version" ON "promotions"."uplift_coefficients" USING btree ("organization_id","model_version");--> statement-breakpoint
CREATE UNIQUE INDEX "validation_reports_scenario_id_key" ON "promotions"."validation_reports" USING btree ("scenario_id");--> statement-breakpoint
CREATE INDEX "idx_validation_status" ON "promotions"."validation_reports" USING btree ("organization_id","status");--> statement-breakpoint
CREATE INDEX "idx_validation_scenario" ON "promotions"."validation_reports" USING btree ("scenario_id");