-- Cold storage for the seed's retention table: rows past their hot retention move here (same columns + archived_at).
CREATE SCHEMA IF NOT EXISTS "store_health_archive";--> statement-breakpoint
CREATE TABLE "store_health_archive"."kpi_metrics" (LIKE "store_health"."kpi_metrics" INCLUDING DEFAULTS, "archived_at" timestamp with time zone DEFAULT now() NOT NULL);--> statement-breakpoint
CREATE TABLE "store_health_archive"."store_health_snapshots" (LIKE "store_health"."store_health_snapshots" INCLUDING DEFAULTS, "archived_at" timestamp with time zone DEFAULT now() NOT NULL);--> statement-breakpoint
CREATE TABLE "store_health_archive"."alerts" (LIKE "store_health"."alerts" INCLUDING DEFAULTS, "archived_at" timestamp with time zone DEFAULT now() NOT NULL);--> statement-breakpoint
CREATE TABLE "store_health_archive"."tasks" (LIKE "store_health"."tasks" INCLUDING DEFAULTS, "archived_at" timestamp with time zone DEFAULT now() NOT NULL);--> statement-breakpoint
CREATE TABLE "store_health_archive"."ai_calls" (LIKE "store_health"."ai_calls" INCLUDING DEFAULTS, "archived_at" timestamp with time zone DEFAULT now() NOT NULL);--> statement-breakpoint
CREATE TABLE "store_health_archive"."escalations" (LIKE "store_health"."escalations" INCLUDING DEFAULTS, "archived_at" timestamp with time zone DEFAULT now() NOT NULL);--> statement-breakpoint
CREATE INDEX "archive_kpi_metrics_org_date_idx" ON "store_health_archive"."kpi_metrics" ("organization_id", "metric_date");--> statement-breakpoint
CREATE INDEX "archive_snapshots_org_date_idx" ON "store_health_archive"."store_health_snapshots" ("organization_id", "snapshot_date");--> statement-breakpoint
CREATE INDEX "archive_alerts_org_idx" ON "store_health_archive"."alerts" ("organization_id", "alert_date");--> statement-breakpoint
CREATE INDEX "archive_tasks_org_idx" ON "store_health_archive"."tasks" ("organization_id", "created_at");--> statement-breakpoint
CREATE INDEX "archive_ai_calls_org_idx" ON "store_health_archive"."ai_calls" ("organization_id", "created_at");--> statement-breakpoint
CREATE INDEX "archive_escalations_org_idx" ON "store_health_archive"."escalations" ("organization_id", "escalated_at");
