import cronParser from 'cron-parser';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import { systemActor, type OrganizationRef, type ServiceContext } from '../context.js';
import type { Database, Db } from '../db/connection.js';
import { AppError, validationFailed, type FieldIssue } from '../errors.js';
import type { Logger } from '../logger.js';

export interface JobSchedule {
  /** Five-field cron (six with seconds), evaluated in `timezone` or, per organization, in the organization's time zone. */
  cron: string;
  /** true: one run per organization, in that organization's time zone, with payload `{ organizationId }`. */
  perOrganization: boolean;
  /** For global schedules only; defaults to UTC. */
  timezone?: string;
}

export interface JobRetryPolicy {
  /** Retries after the first attempt; 0 means the job runs at most once. */
  limit: number;
  delaySeconds: number;
  /** Doubles the delay after each failed attempt (with jitter). */
  backoff: boolean;
}

export interface EnqueueOptions {
  /** Earliest start: a date, or a number of seconds from now. */
  startAfter?: Date | number;
  /** Higher runs first. */
  priority?: number;
}

/** States of one attempt in core.job_runs: 'retry' means it failed and a later attempt follows. */
export type JobRunState = 'active' | 'retry' | 'completed' | 'failed';

export type EnqueueJob = (name: string, data: unknown, options?: EnqueueOptions) => Promise<string>;

/** What a running job receives besides its payload. */
export interface JobContext {
  database: Database;
  db: Db;
  /** Loaded from `payload.organizationId`; null for global jobs. */
  organization: OrganizationRef | null;
  clock: Clock;
  log: Logger;
  jobName: string;
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  workerId: string;
  /** Aborted when the attempt outlives its expiry or the worker's shutdown grace period; long jobs should check it. */
  signal: AbortSignal;
  /** Enqueues on its own connection: on PGlite, never call it inside `db.transaction` (one connection, it would wait forever). */
  enqueue: EnqueueJob;
}

export interface JobDefinition<Payload extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  payload: Payload;
  schedule?: JobSchedule;
  retry: JobRetryPolicy;
  /** How long one attempt may run before it counts as failed; pg-boss's default is 15 minutes. */
  expireInSeconds?: number;
  // Method syntax on purpose: it lets a registry hold definitions with different payload types.
  run(ctx: JobContext, payload: z.output<Payload>): Promise<unknown>;
}

export type AnyJobDefinition = JobDefinition<z.ZodType>;

export interface JobSpec<Payload extends z.ZodType> {
  name: string;
  description: string;
  payload: Payload;
  schedule?: JobSchedule;
  retry?: JobRetryPolicy;
  expireInSeconds?: number;
  run: (ctx: JobContext, payload: z.output<Payload>) => Promise<unknown>;
}

export const defaultRetryPolicy: JobRetryPolicy = { limit: 2, delaySeconds: 30, backoff: true };

/** Letters, digits, `.`, `-`, `_`: what pg-boss accepts as a queue name, e.g. `store-health.evaluate-day`. */
const jobNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Declares a background job; mistakes in the declaration throw at import time rather than at 3 a.m. */
export function defineJob<Payload extends z.ZodType>(spec: JobSpec<Payload>): JobDefinition<Payload> {
  if (!jobNamePattern.test(spec.name) || spec.name.startsWith('__pgboss')) {
    throw new Error(`Job name "${spec.name}" must use only letters, digits, ".", "-" and "_" (e.g. "core.cleanup-sessions").`);
  }
  const retry = spec.retry ?? defaultRetryPolicy;
  if (!Number.isInteger(retry.limit) || retry.limit < 0 || !Number.isInteger(retry.delaySeconds) || retry.delaySeconds < 0) {
    throw new Error(`Job "${spec.name}": retry.limit and retry.delaySeconds must be whole numbers ≥ 0.`);
  }
  if (spec.expireInSeconds !== undefined && (!Number.isInteger(spec.expireInSeconds) || spec.expireInSeconds < 1 || spec.expireInSeconds >= 86_400)) {
    throw new Error(`Job "${spec.name}": expireInSeconds must be a whole number between 1 and 86399.`);
  }
  if (spec.schedule) {
    try {
      cronParser.parseExpression(spec.schedule.cron);
    } catch (error) {
      throw new Error(`Job "${spec.name}": schedule "${spec.schedule.cron}" is not a valid cron expression (${(error as Error).message}).`);
    }
    const timezone = spec.schedule.timezone;
    if (spec.schedule.perOrganization && timezone) {
      throw new Error(`Job "${spec.name}": a per-organization schedule runs in each organization's time zone; remove "timezone".`);
    }
    if (timezone && !isValidTimezone(timezone)) {
      throw new Error(`Job "${spec.name}": "${timezone}" is not an IANA time zone.`);
    }
  }
  return {
    name: spec.name,
    description: spec.description,
    payload: spec.payload,
    schedule: spec.schedule,
    retry,
    expireInSeconds: spec.expireInSeconds,
    run: spec.run,
  };
}

export interface JobRegistry {
  get(name: string): AnyJobDefinition | undefined;
  list(): AnyJobDefinition[];
}

export function createJobRegistry(definitions: readonly AnyJobDefinition[]): JobRegistry {
  const byName = new Map<string, AnyJobDefinition>();
  for (const definition of definitions) {
    if (byName.has(definition.name)) throw new Error(`Job "${definition.name}" is defined twice.`);
    byName.set(definition.name, definition);
  }
  const sorted = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { get: (name) => byName.get(name), list: () => [...sorted] };
}

export function findJobDefinition(registry: JobRegistry, name: string): AnyJobDefinition {
  const definition = registry.get(name);
  if (!definition) throw new AppError('NOT_FOUND', `There is no job named "${name}".`, { status: 404 });
  return definition;
}

export function describePayloadIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(payload)',
    message: issue.message,
  }));
}

export function formatFieldIssues(issues: FieldIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}

export type PayloadCheck = { ok: true; payload: unknown } | { ok: false; issues: FieldIssue[] };

/** Payloads travel as JSON objects; organization-scoped jobs carry `organizationId`. */
export async function checkJobPayload(definition: AnyJobDefinition, data: unknown): Promise<PayloadCheck> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, issues: [{ path: '(payload)', message: 'A job payload must be a JSON object.' }] };
  }
  const result = await definition.payload.safeParseAsync(data);
  return result.success ? { ok: true, payload: result.data } : { ok: false, issues: describePayloadIssues(result.error) };
}

/** Throws VALIDATION_FAILED (400) naming each wrong field, so callers of the API learn what to fix. */
export async function assertValidJobPayload(definition: AnyJobDefinition, data: unknown): Promise<void> {
  const check = await checkJobPayload(definition, data);
  if (!check.ok) {
    throw validationFailed(`The payload for job "${definition.name}" is invalid: ${formatFieldIssues(check.issues)}.`, check.issues);
  }
}

/** Lets an organization-scoped job call module services, which all expect a ServiceContext. */
export function serviceContextForJob(ctx: JobContext): ServiceContext {
  if (!ctx.organization) throw new Error(`Job "${ctx.jobName}" has no organization; add organizationId to its payload.`);
  return {
    db: ctx.db,
    organization: ctx.organization,
    actor: { ...systemActor(`job:${ctx.jobName}`), id: ctx.jobName },
    role: 'system',
    clock: ctx.clock,
    log: ctx.log,
  };
}
