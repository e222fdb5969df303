import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { coachingModule } from '../index.js';
import { orgAContext } from '../plans/test-support.js';
import { coachingEffectiveness, coachingSessions } from '../schema.js';
import { createHierarchyFixture, type HierarchyFixture } from '../testing/hierarchy-fixture.js';
import { startEffectivenessTracking, type MetricsBefore } from './effectiveness-service.js';
import { issueMetricKey, metricDirection } from './issue-metrics.js';

describe('coaching effectiveness', () => {
  let t: TestApp;
  let f: HierarchyFixture;
  beforeAll(async () => {
    t = await createTestApp({ modules: [coachingModule.descriptor] });
    f = await createHierarchyFixture(t);
  }, 120_000);
  afterAll(async () => t?.close());

  const newSession = async (agentId: string, leaderId: string, at: string) => {
    const [s] = await t.database.db
      .insert(coachingSessions)
      .values({ organizationId: t.orgA.id, agentId, teamLeaderId: leaderId, scheduledDate: new Date(at), status: 'COMPLETED' })
      .returning();
    return s.id;
  };

  it('maps primary issues to metrics and directions', () => {
    expect(issueMetricKey('AHT')).toBe('aht');
    expect(issueMetricKey('Average handle time')).toBe('aht');
    expect(issueMetricKey('Quality')).toBe('quality_score');
    expect(issueMetricKey('CSAT')).toBe('csat');
    expect(issueMetricKey('FCR')).toBe('fcr');
    expect(issueMetricKey('Attendance')).toBe('attendance_rate');
    expect(issueMetricKey('Schedule adherence')).toBe('adherence_score');
    expect(issueMetricKey('Compliance')).toBe('compliance_score');
    expect(issueMetricKey('Productivity')).toBe('productivity_score');
    expect(issueMetricKey('Service')).toBe('service_score');
    expect(issueMetricKey('Tone of voice')).toBe('composite_score');
    expect(metricDirection('aht')).toBe(-1);
    expect(metricDirection('csat')).toBe(1);
  });

  it('startEffectivenessTracking snapshots the 14 days before the coaching day, once per session', async () => {
    const ctx = orgAContext(t);
    const sessionId = await newSession(f.people.agent1.id, f.people.leader1.id, '2026-02-20T15:00:00Z');
    const input = {
      sessionId,
      agentId: f.people.agent1.id,
      teamLeaderId: f.people.leader1.id,
      primaryIssue: 'AHT',
      interventionMethod: 'Call review',
      coachedOn: '2026-02-20T15:00:00Z',
    };
    const first = await startEffectivenessTracking(ctx, input);
    const second = await startEffectivenessTracking(ctx, input);
    expect(second.id).toBe(first.id);
    const rows = await t.database.db.select().from(coachingEffectiveness).where(eq(coachingEffectiveness.sessionId, sessionId));
    expect(rows).toHaveLength(1);
    const before = rows[0].metricsBefore as MetricsBefore;
    expect(before.coachedOn).toBe('2026-02-20');
    expect(before.window).toEqual({ from: '2026-02-06', to: '2026-02-19' });
    expect(before.issueMetric).toBe('aht');
    expect(before.agent.days).toBe(14);
    expect(before.agent.values.aht).toBeGreaterThan(300);
    expect(rows[0].metricsAfter).toBeNull();
    expect(rows[0].measurementPeriodDays).toBe(14);
  });
});
