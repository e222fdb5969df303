CREATE SCHEMA "coaching";
--> statement-breakpoint
CREATE TABLE "coaching"."action_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"session_id" uuid,
	"agent_id" uuid NOT NULL,
	"assigned_by" uuid NOT NULL,
	"title" varchar(255) NOT NULL,
	"description" text NOT NULL,
	"category" varchar(100),
	"due_date" date NOT NULL,
	"reminder_date" date,
	"completed_date" timestamp with time zone,
	"priority" varchar(10) DEFAULT 'MEDIUM' NOT NULL,
	"status" varchar(20) DEFAULT 'PENDING' NOT NULL,
	"progress_percentage" integer DEFAULT 0 NOT NULL,
	"progress_notes" text,
	"blockers" text,
	"completion_notes" text,
	"verified_by" uuid,
	"verification_date" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_items_priority_check" CHECK ("coaching"."action_items"."priority" IN ('HIGH', 'MEDIUM', 'LOW')),
	CONSTRAINT "action_items_status_check" CHECK ("coaching"."action_items"."status" IN ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'OVERDUE', 'CANCELLED')),
	CONSTRAINT "action_items_progress_percentage_check" CHECK ("coaching"."action_items"."progress_percentage" >= 0 AND "coaching"."action_items"."progress_percentage" <= 100)
);
--> statement-breakpoint
CREATE TABLE "coaching"."action_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"approved_by" uuid,
	"start_date" date NOT NULL,
	"target_end_date" date NOT NULL,
	"actual_end_date" date,
	"extension_count" integer DEFAULT 0 NOT NULL,
	"status" varchar(20) DEFAULT 'DRAFT' NOT NULL,
	"reason_for_plan" text NOT NULL,
	"target_metrics" jsonb NOT NULL,
	"success_criteria" jsonb NOT NULL,
	"check_in_frequency" varchar(20) DEFAULT 'WEEKLY' NOT NULL,
	"next_check_in_date" date,
	"progress_updates" jsonb,
	"current_score" numeric(5, 2),
	"outcome" varchar(20),
	"outcome_notes" text,
	"lessons_learned" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_plans_status_check" CHECK ("coaching"."action_plans"."status" IN ('DRAFT', 'ACTIVE', 'COMPLETED', 'EXTENDED', 'FAILED', 'CANCELLED')),
	CONSTRAINT "action_plans_check_in_frequency_check" CHECK ("coaching"."action_plans"."check_in_frequency" IN ('DAILY', 'TWICE_WEEKLY', 'WEEKLY', 'BIWEEKLY')),
	CONSTRAINT "action_plans_outcome_check" CHECK ("coaching"."action_plans"."outcome" IN ('SUCCESS', 'FAILURE', 'EXTENDED', 'RESIGNED')),
	CONSTRAINT "action_plans_dates_check" CHECK ("coaching"."action_plans"."target_end_date" >= "coaching"."action_plans"."start_date"),
	CONSTRAINT "action_plans_extension_count_check" CHECK ("coaching"."action_plans"."extension_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "coaching"."agent_profiles" (
	"agent_id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"learning_style" varchar(20) NOT NULL,
	"preferred_feedback_method" varchar(100),
	"primary_motivators" text[],
	"demotivators" text[],
	"core_strengths" text[],
	"development_areas" text[],
	"hidden_talents" text[],
	"stress_indicators" text[],
	"success_patterns" text[],
	"best_coaching_time" varchar(50),
	"preferred_session_length" integer,
	"responds_well_to" text[],
	"career_aspirations" text,
	"personal_goals" text,
	"peer_comparison_opt_in" boolean DEFAULT true NOT NULL,
	"percentile_ranking" jsonb,
	"profile_created_by" uuid,
	"last_updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_profiles_learning_style_check" CHECK ("coaching"."agent_profiles"."learning_style" IN ('VISUAL', 'AUDITORY', 'KINESTHETIC', 'READING'))
);
--> statement-breakpoint
CREATE TABLE "coaching"."coaching_effectiveness" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"session_id" uuid,
	"agent_id" uuid NOT NULL,
	"team_leader_id" uuid NOT NULL,
	"primary_issue" varchar(255),
	"intervention_method" varchar(255),
	"metrics_before" jsonb,
	"metrics_after" jsonb,
	"measurement_period_days" integer DEFAULT 14 NOT NULL,
	"improvement_percentage" numeric(5, 2),
	"sustained_after_30_days" boolean,
	"sustained_after_90_days" boolean,
	"success_factors" text[],
	"failure_factors" text[],
	"recommended_for_similar_issues" boolean DEFAULT false NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coaching_effectiveness_measurement_period_check" CHECK ("coaching"."coaching_effectiveness"."measurement_period_days" > 0)
);
--> statement-breakpoint
CREATE TABLE "coaching"."coaching_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"team_leader_id" uuid NOT NULL,
	"scheduled_date" timestamp with time zone NOT NULL,
	"actual_start_time" timestamp with time zone,
	"actual_end_time" timestamp with time zone,
	"duration_minutes" integer GENERATED ALWAYS AS ((EXTRACT(EPOCH FROM (actual_end_time - actual_start_time)) / 60)::integer) STORED,
	"session_type" varchar(20) DEFAULT 'REGULAR' NOT NULL,
	"status" varchar(20) DEFAULT 'SCHEDULED' NOT NULL,
	"prep_data" jsonb,
	"topics_covered" text[],
	"discussion_notes" text,
	"agent_commitments" text,
	"resources_shared" text[],
	"engagement_score" integer,
	"receptiveness_score" integer,
	"understanding_score" integer,
	"overall_effectiveness" integer,
	"key_achievements" text,
	"areas_of_concern" text,
	"follow_up_required" boolean DEFAULT false NOT NULL,
	"follow_up_date" date,
	"follow_up_topics" text[],
	"cancelled_reason" text,
	"no_show_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coaching_sessions_session_type_check" CHECK ("coaching"."coaching_sessions"."session_type" IN ('REGULAR', 'FOLLOW_UP', 'PIP_CHECK', 'URGENT')),
	CONSTRAINT "coaching_sessions_status_check" CHECK ("coaching"."coaching_sessions"."status" IN ('SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW')),
	CONSTRAINT "coaching_sessions_engagement_score_check" CHECK ("coaching"."coaching_sessions"."engagement_score" BETWEEN 1 AND 5),
	CONSTRAINT "coaching_sessions_receptiveness_score_check" CHECK ("coaching"."coaching_sessions"."receptiveness_score" BETWEEN 1 AND 5),
	CONSTRAINT "coaching_sessions_understanding_score_check" CHECK ("coaching"."coaching_sessions"."understanding_score" BETWEEN 1 AND 5),
	CONSTRAINT "coaching_sessions_overall_effectiveness_check" CHECK ("coaching"."coaching_sessions"."overall_effectiveness" BETWEEN 1 AND 5),
	CONSTRAINT "coaching_sessions_times_check" CHECK ("coaching"."coaching_sessions"."actual_end_time" IS NULL OR "coaching"."coaching_sessions"."actual_start_time" IS NULL OR "coaching"."coaching_sessions"."actual_end_time" >= "coaching"."coaching_sessions"."actual_start_time")
);
--> statement-breakpoint
CREATE TABLE "coaching"."import_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"file_name" varchar(255) NOT NULL,
	"file_size_bytes" bigint,
	"file_hash" varchar(64),
	"import_type" varchar(20) NOT NULL,
	"imported_by" uuid NOT NULL,
	"total_rows" integer,
	"processed_rows" integer,
	"successful_rows" integer,
	"failed_rows" integer,
	"skipped_rows" integer,
	"status" varchar(20) NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"processing_time_seconds" integer GENERATED ALWAYS AS ((EXTRACT(EPOCH FROM (completed_at - started_at)))::integer) STORED,
	"error_summary" text,
	"error_details" jsonb,
	"rollback_available" boolean DEFAULT true NOT NULL,
	"rollback_executed_at" timestamp with time zone,
	"rollback_executed_by" uuid,
	"file_storage_path" varchar(500),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_logs_import_type_check" CHECK ("coaching"."import_logs"."import_type" IN ('METRICS', 'USERS', 'COACHING_HISTORY', 'PROFILES')),
	CONSTRAINT "import_logs_status_check" CHECK ("coaching"."import_logs"."status" IN ('VALIDATING', 'PROCESSING', 'SUCCESS', 'PARTIAL_SUCCESS', 'FAILED', 'ROLLED_BACK'))
);
--> statement-breakpoint
CREATE TABLE "coaching"."performance_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"period_type" varchar(10) NOT NULL,
	"period_ending" date NOT NULL,
	"avg_service_score" numeric(5, 2),
	"avg_productivity_score" numeric(5, 2),
	"avg_quality_score" numeric(5, 2),
	"avg_attendance_rate" numeric(5, 2),
	"avg_adherence_score" numeric(5, 2),
	"avg_composite_score" numeric(5, 2),
	"service_trend" numeric(5, 2),
	"productivity_trend" numeric(5, 2),
	"quality_trend" numeric(5, 2),
	"attendance_trend" numeric(5, 2),
	"adherence_trend" numeric(5, 2),
	"score_variance" numeric(5, 2),
	"days_worked" integer,
	"annotations" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "performance_history_period_type_check" CHECK ("coaching"."performance_history"."period_type" IN ('WEEK', 'MONTH', 'QUARTER'))
);
--> statement-breakpoint
CREATE TABLE "coaching"."performance_metrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"metric_date" date NOT NULL,
	"service_score" numeric(5, 2),
	"productivity_score" numeric(5, 2),
	"quality_score" numeric(5, 2),
	"attendance_rate" numeric(5, 2),
	"adherence_score" numeric(5, 2),
	"csat" numeric(3, 2),
	"fcr" numeric(5, 2),
	"aht" integer,
	"calls_handled" integer,
	"calls_transferred" integer,
	"calls_escalated" integer,
	"scheduled_hours" numeric(4, 2),
	"actual_hours" numeric(4, 2),
	"break_time_minutes" integer,
	"lunch_time_minutes" integer,
	"aux_time_minutes" integer,
	"script_adherence" numeric(5, 2),
	"compliance_score" numeric(5, 2),
	"qa_score" numeric(5, 2),
	"composite_score" numeric(5, 2) GENERATED ALWAYS AS ((service_score * 0.25 + productivity_score * 0.20 + quality_score * 0.20 + attendance_rate * 0.20 + adherence_score * 0.15)) STORED,
	"imported_from" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "performance_metrics_service_score_check" CHECK ("coaching"."performance_metrics"."service_score" >= 0 AND "coaching"."performance_metrics"."service_score" <= 100),
	CONSTRAINT "performance_metrics_productivity_score_check" CHECK ("coaching"."performance_metrics"."productivity_score" >= 0 AND "coaching"."performance_metrics"."productivity_score" <= 100),
	CONSTRAINT "performance_metrics_quality_score_check" CHECK ("coaching"."performance_metrics"."quality_score" >= 0 AND "coaching"."performance_metrics"."quality_score" <= 100),
	CONSTRAINT "performance_metrics_attendance_rate_check" CHECK ("coaching"."performance_metrics"."attendance_rate" >= 0 AND "coaching"."performance_metrics"."attendance_rate" <= 100),
	CONSTRAINT "performance_metrics_adherence_score_check" CHECK ("coaching"."performance_metrics"."adherence_score" >= 0 AND "coaching"."performance_metrics"."adherence_score" <= 100)
);
--> statement-breakpoint
CREATE TABLE "coaching"."quick_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"team_leader_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"note_type" varchar(20) NOT NULL,
	"category" varchar(100),
	"subcategory" varchar(100),
	"content" text NOT NULL,
	"call_id" varchar(100),
	"customer_id" varchar(100),
	"timestamp_occurred" timestamp with time zone DEFAULT now(),
	"priority" varchar(10) DEFAULT 'MEDIUM' NOT NULL,
	"requires_follow_up" boolean DEFAULT false NOT NULL,
	"linked_session_id" uuid,
	"addressed" boolean DEFAULT false NOT NULL,
	"addressed_date" timestamp with time zone,
	"addressed_notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quick_notes_note_type_check" CHECK ("coaching"."quick_notes"."note_type" IN ('POSITIVE', 'COACHING', 'URGENT', 'COMPLIANCE', 'GENERAL')),
	CONSTRAINT "quick_notes_priority_check" CHECK ("coaching"."quick_notes"."priority" IN ('HIGH', 'MEDIUM', 'LOW'))
);
--> statement-breakpoint
CREATE TABLE "coaching"."users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid,
	"email" varchar(255),
	"name" varchar(255) NOT NULL,
	"role" varchar(20) NOT NULL,
	"team_leader_id" uuid,
	"manager_id" uuid,
	"department" varchar(100),
	"employee_id" varchar(50),
	"hire_date" date,
	"phone" varchar(20),
	"avatar_url" varchar(500),
	"status" varchar(20) DEFAULT 'ACTIVE' NOT NULL,
	"learning_style" varchar(50),
	"shift_pattern" varchar(50),
	"timezone" varchar(50) DEFAULT 'UTC' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "coaching_users_role_check" CHECK ("coaching"."users"."role" IN ('ADMIN', 'MANAGER', 'TEAM_LEADER', 'AGENT')),
	CONSTRAINT "coaching_users_status_check" CHECK ("coaching"."users"."status" IN ('ACTIVE', 'PIP', 'LEAVE', 'TERMINATED')),
	CONSTRAINT "coaching_users_not_own_leader_check" CHECK ("coaching"."users"."team_leader_id" IS DISTINCT FROM "coaching"."users"."id" AND "coaching"."users"."manager_id" IS DISTINCT FROM "coaching"."users"."id")
);
--> statement-breakpoint
ALTER TABLE "coaching"."action_items" ADD CONSTRAINT "action_items_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."action_items" ADD CONSTRAINT "action_items_session_id_coaching_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "coaching"."coaching_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."action_items" ADD CONSTRAINT "action_items_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."action_items" ADD CONSTRAINT "action_items_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."action_items" ADD CONSTRAINT "action_items_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."action_plans" ADD CONSTRAINT "action_plans_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."action_plans" ADD CONSTRAINT "action_plans_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."action_plans" ADD CONSTRAINT "action_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."action_plans" ADD CONSTRAINT "action_plans_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."agent_profiles" ADD CONSTRAINT "agent_profiles_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "coaching"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."agent_profiles" ADD CONSTRAINT "agent_profiles_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."agent_profiles" ADD CONSTRAINT "agent_profiles_profile_created_by_users_id_fk" FOREIGN KEY ("profile_created_by") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."agent_profiles" ADD CONSTRAINT "agent_profiles_last_updated_by_users_id_fk" FOREIGN KEY ("last_updated_by") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."coaching_effectiveness" ADD CONSTRAINT "coaching_effectiveness_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."coaching_effectiveness" ADD CONSTRAINT "coaching_effectiveness_session_id_coaching_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "coaching"."coaching_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."coaching_effectiveness" ADD CONSTRAINT "coaching_effectiveness_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."coaching_effectiveness" ADD CONSTRAINT "coaching_effectiveness_team_leader_id_users_id_fk" FOREIGN KEY ("team_leader_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."coaching_sessions" ADD CONSTRAINT "coaching_sessions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."coaching_sessions" ADD CONSTRAINT "coaching_sessions_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."coaching_sessions" ADD CONSTRAINT "coaching_sessions_team_leader_id_users_id_fk" FOREIGN KEY ("team_leader_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."import_logs" ADD CONSTRAINT "import_logs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."import_logs" ADD CONSTRAINT "import_logs_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."import_logs" ADD CONSTRAINT "import_logs_rollback_executed_by_users_id_fk" FOREIGN KEY ("rollback_executed_by") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."performance_history" ADD CONSTRAINT "performance_history_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."performance_history" ADD CONSTRAINT "performance_history_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."performance_metrics" ADD CONSTRAINT "performance_metrics_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."performance_metrics" ADD CONSTRAINT "performance_metrics_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."quick_notes" ADD CONSTRAINT "quick_notes_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."quick_notes" ADD CONSTRAINT "quick_notes_team_leader_id_users_id_fk" FOREIGN KEY ("team_leader_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."quick_notes" ADD CONSTRAINT "quick_notes_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."quick_notes" ADD CONSTRAINT "quick_notes_linked_session_id_coaching_sessions_id_fk" FOREIGN KEY ("linked_session_id") REFERENCES "coaching"."coaching_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."users" ADD CONSTRAINT "users_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."users" ADD CONSTRAINT "users_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "core"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."users" ADD CONSTRAINT "users_team_leader_id_users_id_fk" FOREIGN KEY ("team_leader_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."users" ADD CONSTRAINT "users_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_actions_agent_status" ON "coaching"."action_items" USING btree ("agent_id","status","due_date");--> statement-breakpoint
CREATE INDEX "idx_actions_session" ON "coaching"."action_items" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "idx_actions_due" ON "coaching"."action_items" USING btree ("organization_id","due_date") WHERE "coaching"."action_items"."status" IN ('PENDING', 'IN_PROGRESS');--> statement-breakpoint
CREATE INDEX "idx_plans_agent_active" ON "coaching"."action_plans" USING btree ("agent_id") WHERE "coaching"."action_plans"."status" = 'ACTIVE';--> statement-breakpoint
CREATE INDEX "idx_plans_check_in" ON "coaching"."action_plans" USING btree ("organization_id","next_check_in_date") WHERE "coaching"."action_plans"."status" = 'ACTIVE';--> statement-breakpoint
CREATE INDEX "idx_plans_agent" ON "coaching"."action_plans" USING btree ("agent_id","start_date");--> statement-breakpoint
CREATE INDEX "idx_agent_profiles_org" ON "coaching"."agent_profiles" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "idx_effectiveness_agent" ON "coaching"."coaching_effectiveness" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "idx_effectiveness_method" ON "coaching"."coaching_effectiveness" USING btree ("organization_id","intervention_method");--> statement-breakpoint
CREATE INDEX "idx_effectiveness_session" ON "coaching"."coaching_effectiveness" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "idx_sessions_agent" ON "coaching"."coaching_sessions" USING btree ("agent_id","scheduled_date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_sessions_leader" ON "coaching"."coaching_sessions" USING btree ("team_leader_id","scheduled_date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_sessions_status" ON "coaching"."coaching_sessions" USING btree ("organization_id","status");--> statement-breakpoint
CREATE INDEX "idx_sessions_date" ON "coaching"."coaching_sessions" USING btree ("organization_id","scheduled_date");--> statement-breakpoint
CREATE INDEX "idx_imports_status" ON "coaching"."import_logs" USING btree ("organization_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_imports_user" ON "coaching"."import_logs" USING btree ("imported_by","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "import_logs_org_type_hash_key" ON "coaching"."import_logs" USING btree ("organization_id","import_type","file_hash") WHERE "coaching"."import_logs"."file_hash" IS NOT NULL AND "coaching"."import_logs"."status" NOT IN ('FAILED', 'ROLLED_BACK');--> statement-breakpoint
CREATE UNIQUE INDEX "performance_history_org_agent_period_key" ON "coaching"."performance_history" USING btree ("organization_id","agent_id","period_type","period_ending");--> statement-breakpoint
CREATE INDEX "idx_history_agent_period" ON "coaching"."performance_history" USING btree ("agent_id","period_ending" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "performance_metrics_org_agent_date_key" ON "coaching"."performance_metrics" USING btree ("organization_id","agent_id","metric_date");--> statement-breakpoint
CREATE INDEX "idx_metrics_agent_date" ON "coaching"."performance_metrics" USING btree ("agent_id","metric_date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_metrics_date" ON "coaching"."performance_metrics" USING btree ("organization_id","metric_date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_metrics_composite" ON "coaching"."performance_metrics" USING btree ("organization_id","composite_score");--> statement-breakpoint
CREATE INDEX "idx_notes_agent_unaddressed" ON "coaching"."quick_notes" USING btree ("agent_id","addressed") WHERE "coaching"."quick_notes"."addressed" = false;--> statement-breakpoint
CREATE INDEX "idx_notes_leader" ON "coaching"."quick_notes" USING btree ("team_leader_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_notes_priority" ON "coaching"."quick_notes" USING btree ("organization_id","priority","created_at" DESC NULLS LAST) WHERE "coaching"."quick_notes"."addressed" = false;--> statement-breakpoint
CREATE INDEX "idx_notes_session" ON "coaching"."quick_notes" USING btree ("linked_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coaching_users_org_email_key" ON "coaching"."users" USING btree ("organization_id",lower("email")) WHERE "coaching"."users"."email" IS NOT NULL AND "coaching"."users"."deleted_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "coaching_users_org_employee_key" ON "coaching"."users" USING btree ("organization_id","employee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coaching_users_org_user_key" ON "coaching"."users" USING btree ("organization_id","user_id");--> statement-breakpoint
CREATE INDEX "idx_users_role" ON "coaching"."users" USING btree ("organization_id","role");--> statement-breakpoint
CREATE INDEX "idx_users_team_leader" ON "coaching"."users" USING btree ("team_leader_id");--> statement-breakpoint
CREATE INDEX "idx_users_manager" ON "coaching"."users" USING btree ("manager_id");--> statement-breakpoint
CREATE INDEX "idx_users_status" ON "coaching"."users" USING btree ("organization_id","status") WHERE "coaching"."users"."deleted_at" IS NULL;