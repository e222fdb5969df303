CREATE TABLE "coaching"."import_row_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"import_log_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"metric_date" date NOT NULL,
	"action" varchar(10) NOT NULL,
	"previous_values" jsonb,
	"new_values" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_row_changes_action_check" CHECK ("coaching"."import_row_changes"."action" IN ('INSERTED', 'UPDATED'))
);
--> statement-breakpoint
CREATE TABLE "coaching"."notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"kind" varchar(30) NOT NULL,
	"title" varchar(255) NOT NULL,
	"body" text,
	"subject_type" varchar(30),
	"subject_id" uuid,
	"dedup_key" varchar(200) NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_kind_check" CHECK ("coaching"."notifications"."kind" IN ('ACTION_ITEM_REMINDER', 'ACTION_ITEM_OVERDUE', 'PLAN_PROPOSED', 'PLAN_CHECK_IN_DUE', 'SESSION_UPCOMING', 'IMPORT_FINISHED'))
);
--> statement-breakpoint
ALTER TABLE "coaching"."import_row_changes" ADD CONSTRAINT "import_row_changes_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."import_row_changes" ADD CONSTRAINT "import_row_changes_import_log_id_import_logs_id_fk" FOREIGN KEY ("import_log_id") REFERENCES "coaching"."import_logs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."import_row_changes" ADD CONSTRAINT "import_row_changes_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."notifications" ADD CONSTRAINT "notifications_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "core"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching"."notifications" ADD CONSTRAINT "notifications_recipient_id_users_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "coaching"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "import_row_changes_import_agent_date_key" ON "coaching"."import_row_changes" USING btree ("import_log_id","agent_id","metric_date");--> statement-breakpoint
CREATE INDEX "import_row_changes_org_agent_date_idx" ON "coaching"."import_row_changes" USING btree ("organization_id","agent_id","metric_date");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_org_dedup_key" ON "coaching"."notifications" USING btree ("organization_id","dedup_key");--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "coaching"."notifications" USING btree ("recipient_id","created_at" DESC NULLS LAST);