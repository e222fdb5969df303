import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../core/clock.js';
import type { ServiceContext } from '../../../core/context.js';
import { createLogger } from '../../../core/logger.js';
import { seedOrganization, type TestOrg } from '../../../core/testing/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { agentProfiles, coachingSessions, performanceHistory, performanceMetrics, users } from '../schema.js';
import { recomputePercentileRankings, recomputePerformanceHistory } from './history-service.js';

let database: TestDatabase;
let org: TestOrg;
let ctx: ServiceContext;
const clock = createFixedClock('2026-03-02T14:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  org = await seedOrganization(database, clock, 'coach-history', 'America/New_York');
  ctx = {
    db: database.db,
    organization: { id: org.id, slug: org.slug, name: org.name, timezone: org.timezone },
    actor: { type: 'system', id: 'test', label: 'test', userId: null },
    role: 'system',
    clock,
    log: createLogger('silent'),
  };
});
afterAll(async () => database?.destroy());

async function person(name: string, role: 'TEAM_LEADER' | 'AGENT', extra: Partial<typeof users.$inferInsert> = {}) {
  const [row] = await database.db
    .insert(users)
    .values({ organizationId: org.id, name, role, timezone: 'America/New_York', ...extra })
    .returning();
  return row;
}

/** A day where only the service score varies: composite = 0.25 × service + 63 (70, 80, 90, 100 on the others). */
const day = (agentId: string, metricDate: string, service: number, more: Partial<typeof performanceMetrics.$inferInsert> = {}) => ({
  organizationId: org.id,
  agentId,
  metricDate,
  serviceScore: service,
  productivityScore: 70,
  qualityScore: 80,
  attendanceRate: 90,
  adherenceScore: 100,
  ...more,
});

async function history(agentId: string) {
  const rows = await database.db.select().from(performanceHistory).where(eq(performanceHistory.agentId, agentId));
  return new Map(rows.map((r) => [`${r.periodType} ${r.periodEnding}`, r]));
}

describe('recomputePerformanceHistory', () => {
  let agent: typeof users.$inferSelect;

  it('averages ISO weeks (ending Sunday), months and quarters, with trends against the adjacent earlier period', async () => {
    const leader = await person('Lena Lead', 'TEAM_LEADER');
    agent = await person('Hank History', 'AGENT', { teamLeaderId: leader.id });
    await database.db.insert(performanceMetrics).values([
      day(agent.id, '2025-12-31', 40), // ISO week 1 of 2026 ends Sunday 4 January; December; Q4 2025
      day(agent.id, '2026-01-05', 60),
      day(agent.id, '2026-01-06', 70),
      day(agent.id, '2026-01-07', 80),
      day(agent.id, '2026-01-12', 90),
      day(agent.id, '2026-01-13', 90),
      day(agent.id, '2026-01-26', 50), // the week ending 18 January has nothing, so the week ending 1 February has no trend
      day(agent.id, '2026-02-02', 100),
    ]);
    await database.db.insert(coachingSessions).values({
      organizationId: org.id,
      agentId: agent.id,
      teamLeaderId: leader.id,
      scheduledDate: new Date('2026-01-13T15:00:00Z'),
      actualStartTime: new Date('2026-01-13T15:00:00Z'),
      actualEndTime: new Date('2026-01-13T15:30:00Z'),
      status: 'COMPLETED',
      topicsCovered: ['Empathy', 'Hold time'],
    });

    const result = await recomputePerformanceHistory(ctx, { agentIds: [agent.id] });
    expect(result).toEqual({ agents: 1, periodsWritten: 5 + 3 + 2, periodsRemoved: 0 });

    const h = await history(agent.id);
    const w1 = h.get('WEEK 2026-01-11')!;
    expect(w1.avgServiceScore).toBe(70);
    expect(w1.avgCompositeScore).toBe(80.5); // (78 + 80.5 + 83) / 3
    expect(w1.serviceTrend).toBe(30); // 70 against 40 in the week ending 4 January
    expect(w1.productivityTrend).toBe(0);
    expect(w1.daysWorked).toBe(3);
    expect(w1.scoreVariance).toBe(2.04); // population standard deviation of 78, 80.5, 83
    expect(h.get('WEEK 2026-01-04')!.serviceTrend).toBeNull();
    const w2 = h.get('WEEK 2026-01-18')!;
    expect(w2.serviceTrend).toBe(20);
    expect(w2.scoreVariance).toBe(0);
    expect(w2.annotations).toEqual({
      events: [{ date: '2026-01-13', type: 'SESSION', description: 'Regular coaching session completed: Empathy, Hold time' }],
    });
    expect(h.get('WEEK 2026-02-01')!.serviceTrend).toBeNull();
    expect(h.get('WEEK 2026-02-08')!.serviceTrend).toBe(50);

    const jan = h.get('MONTH 2026-01-31')!;
    expect(jan.avgServiceScore).toBe(73.33); // (60 + 70 + 80 + 90 + 90 + 50) / 6
    expect(jan.serviceTrend).toBe(33.33); // against December's 40
    expect(jan.daysWorked).toBe(6);
    expect(jan.annotations?.events).toHaveLength(1);
    expect(h.get('MONTH 2026-02-28')!.serviceTrend).toBe(26.67);
    expect(h.get('QUARTER 2026-03-31')!.avgServiceScore).toBe(77.14); // 540 / 7
    expect(h.get('QUARTER 2026-03-31')!.serviceTrend).toBe(37.14);
    expect(h.get('QUARTER 2025-12-31')!.serviceTrend).toBeNull();
  });

  it('recomputes a changed day with the period after it (its trend), and matches a full recompute', async () => {
    await database.db
      .update(performanceMetrics)
      .set({ serviceScore: 70 })
      .where(and(eq(performanceMetrics.agentId, agent.id), eq(performanceMetrics.metricDate, '2026-01-26')));
    const result = await recomputePerformanceHistory(ctx, { agentIds: [agent.id], from: '2026-01-26', to: '2026-01-26' });
    // weeks ending 1 and 8 February, January and February, Q1 and (empty) Q2
    expect(result.periodsWritten).toBe(5);
    const h = await history(agent.id);
    expect(h.get('WEEK 2026-02-01')!.avgServiceScore).toBe(70);
    expect(h.get('WEEK 2026-02-08')!.serviceTrend).toBe(30);
    expect(h.get('MONTH 2026-01-31')!.avgServiceScore).toBe(76.67);
    expect(h.get('MONTH 2026-02-28')!.serviceTrend).toBe(23.33);

    const strip = (m: Map<string, typeof performanceHistory.$inferSelect>) =>
      [...m.entries()].map(([k, r]) => [k, { ...r, id: undefined, createdAt: undefined }]).sort();
    const incremental = strip(h);
    await recomputePerformanceHistory(ctx, {});
    expect(strip(await history(agent.id))).toEqual(incremental);
  });

  it('removes periods left without metrics (a rollback) and updates the ones around them', async () => {
    await database.db.delete(performanceMetrics).where(and(eq(performanceMetrics.agentId, agent.id), eq(performanceMetrics.metricDate, '2026-02-02')));
    const result = await recomputePerformanceHistory(ctx, { agentIds: [agent.id], from: '2026-02-02', to: '2026-02-02' });
    expect(result.periodsRemoved).toBe(2); // the week ending 8 February and February
    const h = await history(agent.id);
    expect(h.has('WEEK 2026-02-08')).toBe(false);
    expect(h.has('MONTH 2026-02-28')).toBe(false);
    expect(h.get('QUARTER 2026-03-31')!.avgServiceScore).toBe(76.67);
    expect(h.get('QUARTER 2026-03-31')!.daysWorked).toBe(6);

    // The same through a whole-history recompute (the anti-join path).
    await database.db.insert(performanceMetrics).values(day(agent.id, '2026-02-02', 100));
    expect((await recomputePerformanceHistory(ctx, { agentIds: [agent.id] })).periodsRemoved).toBe(0);
    expect((await history(agent.id)).has('MONTH 2026-02-28')).toBe(true);
    await database.db.delete(performanceMetrics).where(and(eq(performanceMetrics.agentId, agent.id), eq(performanceMetrics.metricDate, '2026-02-02')));
    const full = await recomputePerformanceHistory(ctx, { agentIds: [agent.id] });
    expect(full.periodsRemoved).toBe(2);
    expect((await history(agent.id)).has('MONTH 2026-02-28')).toBe(false);
  });
});

describe('recomputePercentileRankings', () => {
  it('ranks active agents among their department, or among all active agents without one; AHT lower is better', async () => {
    const leader = await person('Pia Lead', 'TEAM_LEADER');
    const mk = async (name: string, service: number, aht: number, extra: Partial<typeof users.$inferInsert> = {}) => {
      const a = await person(name, 'AGENT', { teamLeaderId: leader.id, ...extra });
      await database.db
        .insert(performanceMetrics)
        .values([day(a.id, '2026-02-20', service, { aht, csat: 4 }), day(a.id, '2026-02-21', service, { aht, csat: 4 })]);
      return a;
    };
    // Hank (from the history tests) has no metrics in the window: not ranked.
    const p1 = await mk('P One', 60, 300);
    const p2 = await mk('P Two', 70, 280, { learningStyle: 'auditory' });
    const p3 = await mk('P Three', 80, 400, { status: 'PIP' });
    const r1 = await mk('R One', 90, 500, { department: 'Retention' });
    const r2 = await mk('R Two', 50, 250, { department: 'Retention' });
    const gone = await mk('Gone', 100, 100, { status: 'TERMINATED' });
    const away = await mk('Away', 100, 100, { status: 'LEAVE' });
    await database.db
      .insert(agentProfiles)
      .values({ agentId: away.id, organizationId: org.id, learningStyle: 'READING', percentileRanking: { composite_score: 99 } });

    const result = await recomputePercentileRankings(ctx, { asOf: '2026-03-01' });
    expect(result.agents).toBe(5);
    const profiles = new Map((await database.db.select().from(agentProfiles)).map((p) => [p.agentId, p]));
    const rank = (id: string) => profiles.get(id)!.percentileRanking as Record<string, unknown>;
    // No department: among all five active agents (services 50, 60, 70, 80, 90).
    expect(rank(p1.id)).toMatchObject({
      composite_score: 25,
      service_score: 25,
      aht: 50,
      asOf: '2026-03-01',
      windowFrom: '2026-01-30',
      windowTo: '2026-02-28',
      peerDepartment: null,
      peerCount: 5,
    });
    expect(rank(p2.id)).toMatchObject({ composite_score: 50, aht: 75, productivity_score: 0 });
    expect(rank(p3.id)).toMatchObject({ composite_score: 75, aht: 25 });
    // csat is the same for all: ties share the lowest rank.
    expect(rank(p3.id).csat).toBe(0);
    // Retention: two peers.
    expect(rank(r1.id)).toMatchObject({ composite_score: 100, aht: 0, peerDepartment: 'Retention', peerCount: 2 });
    expect(rank(r2.id)).toMatchObject({ composite_score: 0, aht: 100 });
    expect(rank(r2.id).fcr).toBeNull(); // no FCR data
    // Profiles are created when missing, with the person's learning style when valid, VISUAL otherwise.
    expect(profiles.get(p2.id)!.learningStyle).toBe('AUDITORY');
    expect(profiles.get(p1.id)!.learningStyle).toBe('VISUAL');
    expect(profiles.has(gone.id)).toBe(false);
    expect(profiles.get(away.id)!.percentileRanking).toBeNull();
    expect(profiles.get(away.id)!.learningStyle).toBe('READING');
  });
});
