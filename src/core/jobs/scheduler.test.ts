import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFixedClock } from '../clock.js';
import { systemActor, type OrganizationRef, type ServiceContext } from '../context.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { coreJobs } from './core-jobs.js';
import { createJobRegistry, defineJob } from './define-job.js';
import { listJobDefinitions } from './job-runs-service.js';
import { startJobWorker } from './job-worker.js';
import { describeSchedule, fireDueSchedules, latestCronOccurrence } from './scheduler.js';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
const clock = createFixedClock('2026-01-15T04:00:00Z');
let database: TestDatabase;
let berlin: OrganizationRef;
let newYork: OrganizationRef;

const morningReport = defineJob({
  name: 'test.morning-report',
  description: 'Prepares the store opening report',
  payload: z.object({ organizationId: z.uuid() }),
  schedule: { cron: '0 6 * * *', perOrganization: true },
  run: async () => null,
});
const nightlyExport = defineJob({
  name: 'test.nightly-export',
  description: 'Exports the platform ledger',
  payload: z.object({}),
  schedule: { cron: '30 2 * * *', perOrganization: false, timezone: 'Asia/Tokyo' },
  run: async () => null,
});
const registry = createJobRegistry([morningReport, nightlyExport]);

async function tickAt(at: string, catchUpMinutes?: number) {
  clock.set(at);
  const fired = await fireDueSchedules({ database, registry, clock, logger, catchUpMinutes });
  return fired.map((fire) => ({ job: fire.jobName, scope: fire.scope, fireAt: fire.fireAt.toISOString() }));
}

async function insertOrganization(slug: string, timezone: string): Promise<OrganizationRef> {
  const [organization] = await database.query<OrganizationRef>(
    'insert into core.organizations (slug, name, timezone) values ($1, $1, $2) returning id, slug, name, timezone',
    [slug, timezone],
  );
  return organization;
}

beforeAll(async () => {
  database = await createTestDatabase();
  berlin = await insertOrganization('berlin-records', 'Europe/Berlin');
  newYork = await insertOrganization('brooklyn-records', 'America/New_York');
});

afterAll(async () => {
  await database?.destroy();
});

describe('fireDueSchedules', () => {
  it('fires each organization at 06:00 in its own time zone, once', async () => {
    expect(await tickAt('2026-01-15T04:59:59Z')).toEqual([]);
    // 06:00 in Berlin (CET) is 05:00Z; New York's last 06:00 was yesterday, outside the catch-up window.
    expect(await tickAt('2026-01-15T05:00:00Z')).toEqual([{ job: 'test.morning-report', scope: berlin.id, fireAt: '2026-01-15T05:00:00.000Z' }]);
    expect(await tickAt('2026-01-15T05:00:00Z')).toEqual([]);
    expect(await tickAt('2026-01-15T05:30:00Z')).toEqual([]);
    // 06:00 in New York (EST) is 11:00Z.
    expect(await tickAt('2026-01-15T11:00:00Z')).toEqual([{ job: 'test.morning-report', scope: newYork.id, fireAt: '2026-01-15T11:00:00.000Z' }]);
    expect(await tickAt('2026-01-15T11:00:30Z')).toEqual([]);

    const jobs = await database.query<{ data: unknown }>(`select data from pgboss.job where name = 'test.morning-report' order by created_on`);
    expect(jobs.map((job) => job.data)).toEqual([{ organizationId: berlin.id }, { organizationId: newYork.id }]);
    const fires = await database.query<{ job_id: string | null }>(`select job_id from core.job_schedule_fires where schedule_name = 'test.morning-report'`);
    expect(fires.every((fire) => fire.job_id)).toBe(true);
  });

  it('follows daylight saving time', async () => {
    // 06:00 EDT is 10:00Z and 06:00 CEST is 04:00Z in July.
    expect(await tickAt('2026-07-15T04:00:00Z')).toEqual([{ job: 'test.morning-report', scope: berlin.id, fireAt: '2026-07-15T04:00:00.000Z' }]);
    expect(await tickAt('2026-07-15T10:00:00Z')).toEqual([{ job: 'test.morning-report', scope: newYork.id, fireAt: '2026-07-15T10:00:00.000Z' }]);
  });

  it('skips an occurrence older than the catch-up window, and fires it with a wider window', async () => {
    // Workers were down all morning: Berlin's 06:00 (05:00Z) is 2.5 h old at 07:30Z.
    expect(await tickAt('2026-01-16T07:30:00Z')).toEqual([]);
    expect(await tickAt('2026-01-16T07:30:00Z', 180)).toEqual([{ job: 'test.morning-report', scope: berlin.id, fireAt: '2026-01-16T05:00:00.000Z' }]);
  });

  it('fires a global schedule once, in its own time zone, with an empty payload', async () => {
    // 02:30 in Tokyo is 17:30Z the day before.
    expect(await tickAt('2026-01-19T17:45:00Z')).toEqual([{ job: 'test.nightly-export', scope: 'global', fireAt: '2026-01-19T17:30:00.000Z' }]);
    const [job] = await database.query<{ data: unknown }>(`select data from pgboss.job where name = 'test.nightly-export'`);
    expect(job.data).toEqual({});
  });

  it('enqueues an occurrence once even when several workers tick at the same moment', async () => {
    clock.set('2026-02-02T05:00:00Z');
    const ticks = await Promise.all(Array.from({ length: 4 }, () => fireDueSchedules({ database, registry, clock, logger })));
    expect(ticks.flat()).toHaveLength(1);
    const [counts] = await database.query<{ fires: number; jobs: number }>(
      `select (select count(*)::integer from core.job_schedule_fires where scope = $1) as fires,
              (select count(*)::integer from pgboss.job where name = 'test.morning-report' and data->>'organizationId' = $1) as jobs`,
      [berlin.id],
    );
    expect(counts.jobs).toBe(counts.fires);
  });

  it('schedules an organization with an unknown time zone in UTC rather than never', async () => {
    const lost = await insertOrganization('lost-records', 'Mars/Olympus_Mons');
    expect(await tickAt('2026-03-01T06:30:00Z')).toEqual([{ job: 'test.morning-report', scope: lost.id, fireAt: '2026-03-01T06:00:00.000Z' }]);
  });
});

describe('a scheduling worker', () => {
  it('fires due schedules when it starts and runs the jobs for their organizations', async () => {
    clock.set('2026-04-01T04:10:00Z');
    // Default polling (10 s on PGlite): the fire itself wakes the poller, well before its next poll.
    const worker = await startJobWorker({ database, registry: createJobRegistry([morningReport]), logger, clock });
    try {
      const deadline = Date.now() + 5_000;
      let runs: { organization_id: string; state: string }[] = [];
      while (Date.now() < deadline && runs.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        runs = await database.query(
          `select run.organization_id, run.state from core.job_runs run
           join core.job_schedule_fires fire on fire.job_id = run.job_id
           where fire.fire_at = '2026-04-01T04:00:00Z' and run.state = 'completed'`,
        );
      }
      // 06:00 CEST is 04:00Z; New York's 06:00 EDT is 10:00Z, hours away.
      expect(runs).toEqual([{ organization_id: berlin.id, state: 'completed' }]);
    } finally {
      await worker.stop();
    }
  });
});

describe('schedule descriptions', () => {
  it('gives the next run in the organization’s time zone', () => {
    const now = new Date('2026-01-15T12:00:00Z');
    expect(describeSchedule(morningReport, now, berlin)).toEqual({
      cron: '0 6 * * *',
      timezone: 'Europe/Berlin',
      perOrganization: true,
      summary: 'every day at 06:00 (Europe/Berlin)',
      nextRunAt: new Date('2026-01-16T05:00:00Z'),
    });
    expect(describeSchedule(morningReport, now, newYork)?.nextRunAt).toEqual(new Date('2026-01-16T11:00:00Z'));
    expect(describeSchedule(nightlyExport, now)?.summary).toBe('every day at 02:30 (Asia/Tokyo)');
  });

  it('lists job definitions for the API', () => {
    const ctx: ServiceContext = {
      db: database.db,
      organization: newYork,
      actor: systemActor('test'),
      role: 'admin',
      clock: createFixedClock('2026-01-15T12:00:00Z'),
      log: logger,
    };
    const definitions = listJobDefinitions(ctx, createJobRegistry([...coreJobs, morningReport]));
    expect(definitions).toEqual([
      {
        name: 'core.cleanup-sessions',
        description: expect.any(String),
        schedule: '15 3 * * *',
        scheduleSummary: 'every day at 03:15 (America/New_York)',
        perOrganization: true,
        timezone: 'America/New_York',
        nextRunAt: new Date('2026-01-16T08:15:00Z'),
      },
      {
        name: 'test.morning-report',
        description: 'Prepares the store opening report',
        schedule: '0 6 * * *',
        scheduleSummary: 'every day at 06:00 (America/New_York)',
        perOrganization: true,
        timezone: 'America/New_York',
        nextRunAt: new Date('2026-01-16T11:00:00Z'),
      },
    ]);
  });

  it('finds the occurrence exactly at now', () => {
    expect(latestCronOccurrence('0 6 * * *', 'Europe/Berlin', new Date('2026-01-15T05:00:00Z'))).toEqual(new Date('2026-01-15T05:00:00Z'));
    expect(latestCronOccurrence('0 6 * * *', 'Europe/Berlin', new Date('2026-01-15T04:59:59.999Z'))).toEqual(new Date('2026-01-14T05:00:00Z'));
  });
});
