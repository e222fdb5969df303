import { and, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import { likePattern, listQuerySchema, orderBy, type Page } from '../db/list-query.js';
import { jobRuns } from '../db/schema.js';
import { conflict, forbidden, notFound, validationFailed } from '../errors.js';
import {
  checkJobPayload,
  describePayloadIssues,
  findJobDefinition,
  type AnyJobDefinition,
  type EnqueueJob,
  type JobRegistry,
  type JobRunState,
} from './define-job.js';
import { describeSchedule } from './scheduler.js';

export const jobRunStates = ['active', 'retry', 'completed', 'failed'] as const satisfies readonly JobRunState[];

/** Query parameters of the job-run listing (the API's shared listing convention plus `state` and `name`). */
export const listJobRunsQuery = listQuerySchema(['name', 'state', 'createdAt', 'startedAt', 'durationMs'] as const, '-createdAt', {
  state: z.enum(jobRunStates).optional(),
  name: z.string().trim().min(1).max(100).optional(),
});

export type ListJobRunsQuery = z.input<typeof listJobRunsQuery>;

export interface JobRunRow {
  id: string;
  jobId: string;
  name: string;
  organizationId: string | null;
  state: JobRunState;
  attempt: number;
  maxAttempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  data: unknown;
}

export interface JobRunDetail extends JobRunRow {
  output: unknown;
  workerId: string | null;
}

const durationMs = sql<number | null>`(extract(epoch from (${jobRuns.finishedAt} - ${jobRuns.startedAt})) * 1000)::integer`;

const rowColumns = {
  id: jobRuns.id,
  jobId: jobRuns.jobId,
  name: jobRuns.name,
  organizationId: jobRuns.organizationId,
  state: jobRuns.state,
  attempt: jobRuns.attempt,
  maxAttempts: jobRuns.maxAttempts,
  createdAt: jobRuns.createdAt,
  startedAt: jobRuns.startedAt,
  finishedAt: jobRuns.finishedAt,
  durationMs,
  error: jobRuns.error,
  data: jobRuns.data,
};

const sortColumns = {
  name: jobRuns.name,
  state: jobRuns.state,
  createdAt: jobRuns.createdAt,
  startedAt: jobRuns.startedAt,
  durationMs,
};

function toRow<T extends { state: string; durationMs: number | string | null }>(row: T): T & { state: JobRunState; durationMs: number | null } {
  return { ...row, state: row.state as JobRunState, durationMs: row.durationMs === null ? null : Number(row.durationMs) };
}

/** Recent job runs of the caller's organization (global jobs' runs belong to no organization and are not listed). */
export async function listJobRuns(ctx: ServiceContext, query: ListJobRunsQuery = {}): Promise<Page<JobRunRow>> {
  const parsed = listJobRunsQuery.safeParse(query);
  if (!parsed.success) throw validationFailed('The job run filters are invalid.', describePayloadIssues(parsed.error));
  const { limit, offset, sort, state, name, q } = parsed.data;

  const filters: SQL[] = [eq(jobRuns.organizationId, ctx.organization.id)];
  if (state) filters.push(eq(jobRuns.state, state));
  if (name) filters.push(eq(jobRuns.name, name));
  if (q) filters.push(or(ilike(jobRuns.name, likePattern(q)), ilike(jobRuns.error, likePattern(q)))!);
  const where = and(...filters);

  const [rows, [{ total }]] = await Promise.all([
    ctx.db
      .select(rowColumns)
      .from(jobRuns)
      .where(where)
      .orderBy(...orderBy(sort, sortColumns, jobRuns.id))
      .limit(limit)
      .offset(offset),
    ctx.db
      .select({ total: sql<number>`count(*)::integer` })
      .from(jobRuns)
      .where(where),
  ]);
  return { data: rows.map(toRow), page: { limit, offset, total: Number(total) } };
}

export async function getJobRun(ctx: ServiceContext, id: string): Promise<JobRunDetail> {
  // A malformed id is simply not found; it must not surface as a database error.
  if (!z.uuid().safeParse(id).success) throw notFound('Job run', id);
  const [row] = await ctx.db
    .select({ ...rowColumns, output: jobRuns.output, workerId: jobRuns.workerId })
    .from(jobRuns)
    .where(and(eq(jobRuns.id, id), eq(jobRuns.organizationId, ctx.organization.id)));
  if (!row) throw notFound('Job run', id);
  return toRow(row);
}

/**
 * Queues a failed run again with the same payload; returns the new job id. `enqueue` uses its own connection,
 * so on PGlite call this outside a transaction.
 */
export async function retryJobRun(ctx: ServiceContext, runId: string, enqueue: EnqueueJob): Promise<string> {
  const run = await getJobRun(ctx, runId);
  if (run.state !== 'failed') throw conflict(`Only failed runs can be retried; this run is ${run.state}.`);
  const jobId = await enqueue(run.name, run.data ?? {});
  await recordAudit(ctx, { action: 'job.retry', entityType: 'job_run', entityId: run.id, after: { name: run.name, jobId } });
  return jobId;
}

/** An unscheduled job is organization-scoped when its payload schema accepts and keeps `organizationId`. */
async function payloadKeepsOrganizationId(definition: AnyJobDefinition, data: { organizationId: string }): Promise<boolean> {
  const check = await checkJobPayload(definition, data);
  return check.ok && (check.payload as Record<string, unknown> | null)?.organizationId === data.organizationId;
}

/**
 * Queues a job now and returns its id. Jobs scheduled per organization, and unscheduled jobs whose payload keeps an
 * organizationId, run for the caller's organization; global jobs get an empty payload. Without the registry every
 * job gets `{ organizationId }` (payload schemas that do not declare it strip it). Call outside a transaction on PGlite.
 */
export async function runJobNow(ctx: ServiceContext, name: string, enqueue: EnqueueJob, registry?: JobRegistry): Promise<string> {
  const forOrganization = { organizationId: ctx.organization.id };
  let scoped = true;
  if (registry) {
    const definition = findJobDefinition(registry, name);
    // A platform-wide scheduled job touches every organization: no single organization's admin may trigger it.
    if (definition.schedule && !definition.schedule.perOrganization) {
      throw forbidden(`${name} is a platform job that runs on its own schedule; it cannot be started from an organization.`);
    }
    scoped = definition.schedule ? definition.schedule.perOrganization : await payloadKeepsOrganizationId(definition, forOrganization);
  }
  const jobId = await enqueue(name, scoped ? forOrganization : {});
  await recordAudit(ctx, { action: 'job.run-now', entityType: 'job', entityId: name, after: { jobId } });
  return jobId;
}

export interface JobDefinitionSummary {
  name: string;
  description: string;
  /** Cron expression, or null for jobs that only run when enqueued. */
  schedule: string | null;
  scheduleSummary: string | null;
  perOrganization: boolean | null;
  timezone: string | null;
  nextRunAt: Date | null;
}

/** The jobs an organization can see and run, with schedules in the organization's time zone (platform jobs hidden). */
export function listJobDefinitions(ctx: ServiceContext, registry: JobRegistry): JobDefinitionSummary[] {
  const now = ctx.clock.now();
  return registry
    .list()
    .filter((definition) => !definition.schedule || definition.schedule.perOrganization)
    .map((definition) => {
      const schedule = describeSchedule(definition, now, ctx.organization);
      return {
        name: definition.name,
        description: definition.description,
        schedule: schedule?.cron ?? null,
        scheduleSummary: schedule?.summary ?? null,
        perOrganization: schedule?.perOrganization ?? null,
        timezone: schedule?.timezone ?? null,
        nextRunAt: schedule?.nextRunAt ?? null,
      };
    });
}
