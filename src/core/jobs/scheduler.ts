import cronParser from 'cron-parser';
import type PgBoss from 'pg-boss';
import type { Clock } from '../clock.js';
import type { OrganizationRef } from '../context.js';
import type { Database } from '../db/connection.js';
import type { Logger } from '../logger.js';
import { checkJobPayload, formatFieldIssues, isValidTimezone, type AnyJobDefinition, type JobRegistry } from './define-job.js';
import { announceEnqueuedJob, ensureJobQueue, getJobSender, sendJob } from './enqueue-job.js';
import { runInSqlTransaction } from './pg-boss-adapter.js';

export const globalScheduleScope = 'global';

/** The latest occurrence at or before `now`, in `timezone`. */
export function latestCronOccurrence(cron: string, timezone: string, now: Date): Date {
  // cron-parser's prev() excludes an occurrence exactly at currentDate, so start just after now.
  const iterator = cronParser.parseExpression(cron, { tz: timezone, currentDate: new Date(now.getTime() + 1) });
  let occurrence = iterator.prev().toDate();
  while (occurrence.getTime() > now.getTime()) occurrence = iterator.prev().toDate();
  return occurrence;
}

export function nextCronOccurrence(cron: string, timezone: string, now: Date): Date {
  return cronParser.parseExpression(cron, { tz: timezone, currentDate: now }).next().toDate();
}

export interface ScheduleDescription {
  cron: string;
  timezone: string;
  perOrganization: boolean;
  /** e.g. "every day at 06:00 (Europe/Berlin)". */
  summary: string;
  nextRunAt: Date;
}

const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Plain words for the common shapes (daily, weekly, hourly); anything fancier is shown as cron. */
function summarizeCron(cron: string, timezone: string): string {
  const fields = cron.trim().split(/\s+/);
  const zone = ` (${timezone})`;
  if (fields.length !== 5) return `cron "${cron}"${zone}`;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const isNumber = (value: string) => /^\d+$/.test(value);
  if (isNumber(minute) && isNumber(hour) && dayOfMonth === '*' && month === '*') {
    const at = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
    if (dayOfWeek === '*') return `every day at ${at}${zone}`;
    if (dayOfWeek === '1-5') return `weekdays at ${at}${zone}`;
    if (/^\d(,\d)*$/.test(dayOfWeek)) {
      return `every ${dayOfWeek
        .split(',')
        .map((day) => weekdayNames[Number(day)])
        .join(', ')} at ${at}${zone}`;
    }
  }
  if (isNumber(minute) && hour === '*' && dayOfMonth === '*' && month === '*' && dayOfWeek === '*') {
    return `every hour at minute ${minute}${zone}`;
  }
  return `cron "${cron}"${zone}`;
}

function timezoneForSchedule(definition: AnyJobDefinition, organization?: Pick<OrganizationRef, 'timezone'> | null): string {
  const timezone = definition.schedule?.perOrganization ? organization?.timezone : definition.schedule?.timezone;
  return timezone && isValidTimezone(timezone) ? timezone : 'UTC';
}

/** The schedule in words plus its next run, for the API; per-organization schedules use that organization's time zone. */
export function describeSchedule(definition: AnyJobDefinition, now: Date, organization?: Pick<OrganizationRef, 'timezone'> | null): ScheduleDescription | null {
  const schedule = definition.schedule;
  if (!schedule) return null;
  const timezone = timezoneForSchedule(definition, organization);
  return {
    cron: schedule.cron,
    timezone,
    perOrganization: schedule.perOrganization,
    summary: summarizeCron(schedule.cron, timezone),
    nextRunAt: nextCronOccurrence(schedule.cron, timezone, now),
  };
}

export interface FiredSchedule {
  jobName: string;
  /** An organization id, or 'global'. */
  scope: string;
  organizationId: string | null;
  fireAt: Date;
  jobId: string;
}

interface ScheduleScope {
  scope: string;
  organizationId: string | null;
  timezone: string;
}

interface ScheduledOrganization {
  id: string;
  slug: string;
  timezone: string;
}

async function loadScheduledOrganizations(database: Database, log: Logger): Promise<ScheduledOrganization[]> {
  const organizations = await database.query<ScheduledOrganization>('select id, slug, timezone from core.organizations order by slug');
  for (const organization of organizations) {
    if (!isValidTimezone(organization.timezone)) {
      // Running at the UTC hour beats silently never running; the log tells the operator what to fix.
      log.warn({ organization: organization.slug, timezone: organization.timezone }, 'Organization time zone is not valid; scheduling in UTC.');
    }
  }
  return organizations;
}

function scheduleScopes(definition: AnyJobDefinition, organizations: ScheduledOrganization[]): ScheduleScope[] {
  if (!definition.schedule?.perOrganization) {
    return [{ scope: globalScheduleScope, organizationId: null, timezone: timezoneForSchedule(definition) }];
  }
  return organizations.map((organization) => ({
    scope: organization.id,
    organizationId: organization.id,
    timezone: timezoneForSchedule(definition, organization),
  }));
}

/** Claims the occurrence and sends its job in one transaction; null when another worker claimed it first. */
async function enqueueOccurrenceOnce(
  database: Database,
  boss: PgBoss,
  definition: AnyJobDefinition,
  scope: ScheduleScope,
  fireAt: Date,
  logger: Logger,
): Promise<string | null> {
  const data = scope.organizationId ? { organizationId: scope.organizationId } : {};
  const check = await checkJobPayload(definition, data);
  if (!check.ok) {
    logger.error({ job: definition.name, issues: check.issues }, `Scheduled job cannot run: ${formatFieldIssues(check.issues)}`);
    return null;
  }
  await ensureJobQueue(boss, database, definition);
  return runInSqlTransaction(database, async (sql) => {
    const claimed = await sql.executeSql(
      `insert into core.job_schedule_fires (schedule_name, scope, fire_at) values ($1, $2, $3)
       on conflict do nothing returning fire_at`,
      [definition.name, scope.scope, fireAt],
    );
    if (claimed.rows.length === 0) return null;
    const id = await sendJob(boss, database, definition, data, { db: sql });
    await sql.executeSql('update core.job_schedule_fires set job_id = $4 where schedule_name = $1 and scope = $2 and fire_at = $3', [
      definition.name,
      scope.scope,
      fireAt,
      id,
    ]);
    return id;
  });
}

/**
 * Enqueues every scheduled occurrence that is due: for each job with a schedule and each scope (organization or
 * global), the latest cron occurrence at or before now, if it lies within the catch-up window. The fire is recorded
 * in core.job_schedule_fires in the same transaction as the job, so any number of workers may tick concurrently
 * and each occurrence is enqueued exactly once.
 */
export async function fireDueSchedules(options: {
  database: Database;
  registry: JobRegistry;
  clock: Clock;
  logger: Logger;
  catchUpMinutes?: number;
}): Promise<FiredSchedule[]> {
  const { database, registry, clock, logger, catchUpMinutes = 60 } = options;
  const now = clock.now();
  const oldestDue = now.getTime() - catchUpMinutes * 60_000;
  const fired: FiredSchedule[] = [];
  const scheduled = registry.list().filter((definition) => definition.schedule);
  if (scheduled.length === 0) return fired;
  const boss = await getJobSender(database);
  const organizations = scheduled.some((definition) => definition.schedule!.perOrganization) ? await loadScheduledOrganizations(database, logger) : [];

  for (const definition of scheduled) {
    const cron = definition.schedule!.cron;
    const scopes = scheduleScopes(definition, organizations);
    const occurrenceByTimezone = new Map<string, Date>();
    for (const scope of scopes) {
      let fireAt = occurrenceByTimezone.get(scope.timezone);
      if (!fireAt) occurrenceByTimezone.set(scope.timezone, (fireAt = latestCronOccurrence(cron, scope.timezone, now)));
      if (fireAt.getTime() < oldestDue) continue;

      try {
        const jobId = await enqueueOccurrenceOnce(database, boss, definition, scope, fireAt, logger);
        if (jobId) {
          announceEnqueuedJob(database, definition.name);
          fired.push({ jobName: definition.name, scope: scope.scope, organizationId: scope.organizationId, fireAt, jobId });
          logger.info({ job: definition.name, scope: scope.scope, fireAt, jobId }, 'Scheduled job enqueued');
        }
      } catch (error) {
        // One broken scope must not hold back the others; the next tick tries again.
        logger.error({ err: error, job: definition.name, scope: scope.scope, fireAt }, 'Could not enqueue a scheduled job');
      }
    }
  }
  return fired;
}
