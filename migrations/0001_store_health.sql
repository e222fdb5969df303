CREATE SCHEMA "store_health";
--> statement-breakpoint
CREATE TABLE "store_health"."ai_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"alert_id" uuid,
	"task_id" uuid,
	"escalation_id" uuid,
	"call_type" text NOT NULL,
	"call_status" text DEFAULT 'scheduled' NOT NULL,
	"recipient_name" text,
	"recipient_phone" text,
	"call_initiated_at" timestamp with time zone,
	"call_connected_at" timestamp with time zone,
	"call_ended_at" timestamp with time zone,
	"call_duration_seconds" integer,
	"transcript" text,
	"sentiment" text,
	"response" text,
	"follow_up_required" boolean DEFAULT false NOT NULL,
	"recording_url" text,
	"external_call_id" text,
	"provider" text DEFAULT 'simulated' NOT NULL,
	"script_id" uuid,
	"script_version" integer,
	"attempt" integer DEFAULT 1 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid,
	"district_id" uuid,
	"kpi_definition_id" uuid,
	"scope" text DEFAULT 'store' NOT NULL,
	"dedupe_key" text NOT NULL,
	"parent_alert_id" uuid,
	"alert_date" timestamp with time zone NOT NULL,
	"severity" text NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"title" text NOT NULL,
	"message" text,
	"requires_acknowledgment" boolean DEFAULT true NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"resolved_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"next_escalation_at" timestamp with time zone,
	"snoozed_until" timestamp with time zone,
	"days_in_condition" integer DEFAULT 1 NOT NULL,
	"last_evaluated_date" date,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."call_scripts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"script_type" text NOT NULL,
	"version" integer NOT NULL,
	"script_content" text NOT NULL,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."districts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"region_id" uuid NOT NULL,
	"name" text NOT NULL,
	"manager_name" text,
	"manager_email" text,
	"manager_phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."escalation_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"kpi_definition_id" uuid,
	"name" text,
	"trigger_condition" text NOT NULL,
	"duration_hours" integer DEFAULT 0 NOT NULL,
	"from_level" integer NOT NULL,
	"to_level" integer NOT NULL,
	"action" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid,
	"alert_id" uuid NOT NULL,
	"task_id" uuid,
	"rule_id" uuid,
	"from_level" integer NOT NULL,
	"to_level" integer NOT NULL,
	"escalation_reason" text,
	"triggered_by" text NOT NULL,
	"escalated_at" timestamp with time zone NOT NULL,
	"escalated_to_role" text,
	"escalated_to_name" text,
	"escalated_to_contact" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"resolution" text,
	"resolved_at" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."inventory_levels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"product_name" text,
	"category" text,
	"snapshot_date" date NOT NULL,
	"quantity_on_hand" integer NOT NULL,
	"average_daily_sales" numeric(12, 4),
	"days_of_cover" numeric(10, 2),
	"is_top_sku" boolean DEFAULT false NOT NULL,
	"is_out_of_stock" boolean DEFAULT false NOT NULL,
	"status" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."kpi_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"kpi_code" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"unit" text NOT NULL,
	"calculation_method" text DEFAULT 'sum' NOT NULL,
	"category" text NOT NULL,
	"direction" text DEFAULT 'higher_is_better' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."kpi_metrics" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"kpi_definition_id" uuid NOT NULL,
	"metric_date" date NOT NULL,
	"metric_timestamp" timestamp with time zone,
	"value" numeric(18, 4),
	"comparison_value" numeric(18, 4),
	"comparison_type" text,
	"variance_pct" numeric(12, 4),
	"status" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_metrics_id_metric_date_pk" PRIMARY KEY("id","metric_date")
) PARTITION BY RANGE ("metric_date");
--> statement-breakpoint
CREATE TABLE "store_health"."kpi_status_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"kpi_definition_id" uuid NOT NULL,
	"date" date NOT NULL,
	"previous_status" text,
	"current_status" text NOT NULL,
	"value" numeric(18, 4),
	"variance_pct" numeric(12, 4),
	"duration_in_status" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."kpi_thresholds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kpi_definition_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid,
	"green_min" numeric(14, 4),
	"yellow_min" numeric(14, 4),
	"red_threshold" numeric(14, 4),
	"comparison_basis" text DEFAULT 'rolling_4w' NOT NULL,
	"priority" integer DEFAULT 3 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."labor_callouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"labor_schedule_id" uuid,
	"callout_date" date NOT NULL,
	"employee_name" text NOT NULL,
	"shift_affected" text DEFAULT '' NOT NULL,
	"hours_lost" numeric(8, 2) NOT NULL,
	"is_filled" boolean DEFAULT false NOT NULL,
	"filled_by" text,
	"is_peak_hours" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."labor_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"schedule_date" date NOT NULL,
	"shift_start" time NOT NULL,
	"shift_end" time NOT NULL,
	"required_hours" numeric(10, 2) NOT NULL,
	"scheduled_hours" numeric(10, 2) NOT NULL,
	"available_hours" numeric(10, 2),
	"coverage_ratio" numeric(8, 4),
	"status" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."out_of_stock_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"product_name" text,
	"out_of_stock_at" timestamp with time zone NOT NULL,
	"restocked_at" timestamp with time zone,
	"duration_hours" integer,
	"estimated_lost_sales" numeric(14, 2),
	"is_top_sku" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."regions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"manager_name" text,
	"manager_email" text,
	"manager_phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."risk_predictions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"kpi_definition_id" uuid,
	"prediction_date" date NOT NULL,
	"target_date" date NOT NULL,
	"prediction_type" text NOT NULL,
	"predicted_status" text NOT NULL,
	"predicted_value" numeric(18, 4),
	"confidence_score" numeric(5, 2),
	"contributing_factors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"model_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."store_closures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid,
	"closure_date" date NOT NULL,
	"kind" text DEFAULT 'holiday' NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."store_health_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"snapshot_date" date NOT NULL,
	"overall_status" text NOT NULL,
	"health_score" numeric(5, 2),
	"red_kpi_count" integer DEFAULT 0 NOT NULL,
	"yellow_kpi_count" integer DEFAULT 0 NOT NULL,
	"green_kpi_count" integer DEFAULT 0 NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"risk_probability" numeric(6, 4),
	"summary" text,
	"action_required" boolean DEFAULT false NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."stores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"store_code" text NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"city" text,
	"state" text,
	"zip_code" text,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"phone" text,
	"manager_name" text,
	"manager_phone" text,
	"manager_email" text,
	"region_id" uuid,
	"district_id" uuid,
	"status" text DEFAULT 'active' NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"opening_hours" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_health"."tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"alert_id" uuid,
	"store_id" uuid NOT NULL,
	"kpi_definition_id" uuid,
	"task_type" text NOT NULL,
	"priority" integer DEFAULT 3 NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"assigned_to_role" text DEFAULT 'store_manager' NOT NULL,
	"assigned_to_name" text,
	"assigned_to_contact" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"due_date" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"completed_by" text,
	"outcome" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "store_health"."ai_calls" ADD CONSTRAINT "ai_calls_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."ai_calls" ADD CONSTRAINT "ai_calls_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."ai_calls" ADD CONSTRAINT "ai_calls_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "store_health"."alerts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."ai_calls" ADD CONSTRAINT "ai_calls_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "store_health"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."ai_calls" ADD CONSTRAINT "ai_calls_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "store_health"."escalations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."alerts" ADD CONSTRAINT "alerts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."alerts" ADD CONSTRAINT "alerts_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."alerts" ADD CONSTRAINT "alerts_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "store_health"."districts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."alerts" ADD CONSTRAINT "alerts_kpi_definition_id_kpi_definitions_id_fk" FOREIGN KEY ("kpi_definition_id") REFERENCES "store_health"."kpi_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."call_scripts" ADD CONSTRAINT "call_scripts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."districts" ADD CONSTRAINT "districts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."districts" ADD CONSTRAINT "districts_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "store_health"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."escalation_rules" ADD CONSTRAINT "escalation_rules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."escalation_rules" ADD CONSTRAINT "escalation_rules_kpi_definition_id_kpi_definitions_id_fk" FOREIGN KEY ("kpi_definition_id") REFERENCES "store_health"."kpi_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."escalations" ADD CONSTRAINT "escalations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."escalations" ADD CONSTRAINT "escalations_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."escalations" ADD CONSTRAINT "escalations_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "store_health"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."escalations" ADD CONSTRAINT "escalations_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "store_health"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."inventory_levels" ADD CONSTRAINT "inventory_levels_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."inventory_levels" ADD CONSTRAINT "inventory_levels_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."kpi_definitions" ADD CONSTRAINT "kpi_definitions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."kpi_metrics" ADD CONSTRAINT "kpi_metrics_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."kpi_metrics" ADD CONSTRAINT "kpi_metrics_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."kpi_metrics" ADD CONSTRAINT "kpi_metrics_kpi_definition_id_kpi_definitions_id_fk" FOREIGN KEY ("kpi_definition_id") REFERENCES "store_health"."kpi_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."kpi_status_history" ADD CONSTRAINT "kpi_status_history_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."kpi_status_history" ADD CONSTRAINT "kpi_status_history_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."kpi_status_history" ADD CONSTRAINT "kpi_status_history_kpi_definition_id_kpi_definitions_id_fk" FOREIGN KEY ("kpi_definition_id") REFERENCES "store_health"."kpi_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."kpi_thresholds" ADD CONSTRAINT "kpi_thresholds_kpi_definition_id_kpi_definitions_id_fk" FOREIGN KEY ("kpi_definition_id") REFERENCES "store_health"."kpi_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."kpi_thresholds" ADD CONSTRAINT "kpi_thresholds_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."kpi_thresholds" ADD CONSTRAINT "kpi_thresholds_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."labor_callouts" ADD CONSTRAINT "labor_callouts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."labor_callouts" ADD CONSTRAINT "labor_callouts_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."labor_callouts" ADD CONSTRAINT "labor_callouts_labor_schedule_id_labor_schedules_id_fk" FOREIGN KEY ("labor_schedule_id") REFERENCES "store_health"."labor_schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."labor_schedules" ADD CONSTRAINT "labor_schedules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."labor_schedules" ADD CONSTRAINT "labor_schedules_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."out_of_stock_events" ADD CONSTRAINT "out_of_stock_events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."out_of_stock_events" ADD CONSTRAINT "out_of_stock_events_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."regions" ADD CONSTRAINT "regions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."risk_predictions" ADD CONSTRAINT "risk_predictions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."risk_predictions" ADD CONSTRAINT "risk_predictions_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."risk_predictions" ADD CONSTRAINT "risk_predictions_kpi_definition_id_kpi_definitions_id_fk" FOREIGN KEY ("kpi_definition_id") REFERENCES "store_health"."kpi_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."store_closures" ADD CONSTRAINT "store_closures_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."store_closures" ADD CONSTRAINT "store_closures_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."store_health_snapshots" ADD CONSTRAINT "store_health_snapshots_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."store_health_snapshots" ADD CONSTRAINT "store_health_snapshots_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."stores" ADD CONSTRAINT "stores_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."stores" ADD CONSTRAINT "stores_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "store_health"."regions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."stores" ADD CONSTRAINT "stores_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "store_health"."districts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."tasks" ADD CONSTRAINT "tasks_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."tasks" ADD CONSTRAINT "tasks_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "store_health"."alerts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."tasks" ADD CONSTRAINT "tasks_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "store_health"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_health"."tasks" ADD CONSTRAINT "tasks_kpi_definition_id_kpi_definitions_id_fk" FOREIGN KEY ("kpi_definition_id") REFERENCES "store_health"."kpi_definitions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_calls_store_initiated_idx" ON "store_health"."ai_calls" USING btree ("store_id","call_initiated_at");--> statement-breakpoint
CREATE INDEX "ai_calls_external_idx" ON "store_health"."ai_calls" USING btree ("external_call_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_dedupe_key" ON "store_health"."alerts" USING btree ("organization_id","dedupe_key") WHERE "store_health"."alerts"."status" in ('active', 'acknowledged');--> statement-breakpoint
CREATE INDEX "alerts_store_status_date_idx" ON "store_health"."alerts" USING btree ("store_id","status","alert_date");--> statement-breakpoint
CREATE INDEX "alerts_next_escalation_idx" ON "store_health"."alerts" USING btree ("next_escalation_at") WHERE "store_health"."alerts"."status" in ('active', 'acknowledged');--> statement-breakpoint
CREATE UNIQUE INDEX "call_scripts_org_type_version_key" ON "store_health"."call_scripts" USING btree ("organization_id","script_type","version");--> statement-breakpoint
CREATE UNIQUE INDEX "districts_org_name_key" ON "store_health"."districts" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "districts_region_idx" ON "store_health"."districts" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "escalation_rules_org_idx" ON "store_health"."escalation_rules" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "escalations_store_status_at_idx" ON "store_health"."escalations" USING btree ("store_id","status","escalated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_alert_step_key" ON "store_health"."escalations" USING btree ("alert_id","from_level","to_level");--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_levels_store_sku_date_key" ON "store_health"."inventory_levels" USING btree ("store_id","sku","snapshot_date");--> statement-breakpoint
CREATE INDEX "inventory_levels_store_date_top_idx" ON "store_health"."inventory_levels" USING btree ("store_id","snapshot_date","is_top_sku");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_definitions_org_code_key" ON "store_health"."kpi_definitions" USING btree ("organization_id","kpi_code");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_metrics_store_kpi_date_key" ON "store_health"."kpi_metrics" USING btree ("store_id","kpi_definition_id","metric_date");--> statement-breakpoint
CREATE INDEX "kpi_metrics_date_idx" ON "store_health"."kpi_metrics" USING btree ("metric_date");--> statement-breakpoint
CREATE INDEX "kpi_metrics_org_date_idx" ON "store_health"."kpi_metrics" USING btree ("organization_id","metric_date");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_status_history_store_kpi_date_key" ON "store_health"."kpi_status_history" USING btree ("store_id","kpi_definition_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_thresholds_org_default_key" ON "store_health"."kpi_thresholds" USING btree ("organization_id","kpi_definition_id") WHERE "store_health"."kpi_thresholds"."store_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_thresholds_store_key" ON "store_health"."kpi_thresholds" USING btree ("organization_id","kpi_definition_id","store_id") WHERE "store_health"."kpi_thresholds"."store_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "labor_callouts_natural_key" ON "store_health"."labor_callouts" USING btree ("store_id","callout_date","employee_name","shift_affected");--> statement-breakpoint
CREATE UNIQUE INDEX "labor_schedules_store_date_shift_key" ON "store_health"."labor_schedules" USING btree ("store_id","schedule_date","shift_start");--> statement-breakpoint
CREATE UNIQUE INDEX "out_of_stock_events_store_sku_at_key" ON "store_health"."out_of_stock_events" USING btree ("store_id","sku","out_of_stock_at");--> statement-breakpoint
CREATE UNIQUE INDEX "regions_org_name_key" ON "store_health"."regions" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "risk_predictions_store_target_type_idx" ON "store_health"."risk_predictions" USING btree ("store_id","target_date","prediction_type");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_predictions_natural_key" ON "store_health"."risk_predictions" USING btree ("store_id","kpi_definition_id","prediction_date","target_date","prediction_type","model_version");--> statement-breakpoint
CREATE UNIQUE INDEX "store_closures_store_day_key" ON "store_health"."store_closures" USING btree ("organization_id","store_id","closure_date") WHERE "store_health"."store_closures"."store_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "store_closures_org_day_key" ON "store_health"."store_closures" USING btree ("organization_id","closure_date") WHERE "store_health"."store_closures"."store_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "store_health_snapshots_store_date_key" ON "store_health"."store_health_snapshots" USING btree ("store_id","snapshot_date");--> statement-breakpoint
CREATE INDEX "store_health_snapshots_org_date_idx" ON "store_health"."store_health_snapshots" USING btree ("organization_id","snapshot_date");--> statement-breakpoint
CREATE UNIQUE INDEX "stores_org_code_key" ON "store_health"."stores" USING btree ("organization_id","store_code");--> statement-breakpoint
CREATE INDEX "stores_district_idx" ON "store_health"."stores" USING btree ("district_id");--> statement-breakpoint
CREATE INDEX "stores_region_idx" ON "store_health"."stores" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "tasks_store_status_due_idx" ON "store_health"."tasks" USING btree ("store_id","status","due_date");--> statement-breakpoint
CREATE INDEX "tasks_alert_idx" ON "store_health"."tasks" USING btree ("alert_id");--> statement-breakpoint
-- Hand-written (drizzle-kit cannot express partitioning): kpi_metrics is partitioned by month of metric_date.
-- Rows outside every monthly partition land in the default partition; ensure_kpi_metrics_partitions creates months.
CREATE TABLE "store_health"."kpi_metrics_default" PARTITION OF "store_health"."kpi_metrics" DEFAULT;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "store_health"."ensure_kpi_metrics_partitions"(from_date date, to_date date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  month_start date := date_trunc('month', from_date)::date;
  created integer := 0;
  partition_name text;
BEGIN
  WHILE month_start <= to_date LOOP
    partition_name := 'kpi_metrics_' || to_char(month_start, 'YYYY_MM');
    IF to_regclass('store_health.' || partition_name) IS NULL THEN
      -- Rows of that month already sitting in the default partition move into the new one.
      EXECUTE format('CREATE TABLE store_health.%I (LIKE store_health.kpi_metrics INCLUDING DEFAULTS)', partition_name);
      EXECUTE format('WITH moved AS (DELETE FROM store_health.kpi_metrics_default WHERE metric_date >= %L AND metric_date < %L RETURNING *) INSERT INTO store_health.%I SELECT * FROM moved',
        month_start, (month_start + interval '1 month')::date, partition_name);
      EXECUTE format('ALTER TABLE store_health.kpi_metrics ATTACH PARTITION store_health.%I FOR VALUES FROM (%L) TO (%L)',
        partition_name, month_start, (month_start + interval '1 month')::date);
      created := created + 1;
    END IF;
    month_start := (month_start + interval '1 month')::date;
  END LOOP;
  RETURN created;
END;
$$;
