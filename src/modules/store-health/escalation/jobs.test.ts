import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../../../core/jobs/index.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { escalations } from '../schema.js';
import { createSimulatedProvider } from '../calls/simulated-provider.js';
import { createEscalationJobs, storeHealthEscalationJobs } from './jobs.js';
import { createEscalationFixture, insertAlert } from './test-fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.destroy());

describe('escalation jobs', () => {
  it('are scheduled per organization: every minute and every 15 minutes', () => {
    expect(storeHealthEscalationJobs.map((j) => [j.name, j.schedule])).toEqual([
      ['store-health.escalate', { cron: '* * * * *', perOrganization: true }],
      ['store-health.escalation-audit', { cron: '*/15 * * * *', perOrganization: true }],
    ]);
  });

  it('run the engine and the auditor for the organization in the payload', async () => {
    const f = await createEscalationFixture(database.db);
    const [escalate, audit] = createEscalationJobs({ callProviders: async () => createSimulatedProvider({ scenario: () => ({ answer: 'yes' }) }) });
    const alert = await insertAlert(f, { alertDate: f.at('2026-03-02', '09:00') });
    const jobContext = (name: string): JobContext => ({
      database,
      db: database.db,
      organization: f.ctx.organization,
      clock: f.clock,
      log: f.ctx.log,
      jobName: name,
      jobId: 'job-1',
      attempt: 1,
      maxAttempts: 1,
      workerId: 'test',
      signal: new AbortController().signal,
      enqueue: async () => 'unused',
    });
    f.clock.set(f.at('2026-03-02', '13:00'));
    const result = await escalate.run(jobContext(escalate.name), { organizationId: f.ctx.organization.id });
    expect(result).toMatchObject({ escalations: 1, calls: { placed: 1 }, errors: [] });
    expect(await database.db.select().from(escalations).where(eq(escalations.alertId, alert.id))).toHaveLength(1);
    const report = await audit.run(jobContext(audit.name), { organizationId: f.ctx.organization.id });
    expect(report).toMatchObject({ findings: [] });
  });
});
