import { describe, expect, it } from 'vitest';
import { addDays } from './dates.js';
import { demoCallsCsv } from './calls-csv.js';
import { simulateCoachingDemo, type CoachingDemoSimulation, type DemoMetricRow } from './simulation.js';

const sim = simulateCoachingDemo({ endDate: '2026-12-04' });

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The ground truth seen from the data alone, the way a difference-in-differences reads it: per completed session, the
 * issue metric's change from the 14 days before to the 14 days after, minus the same change of the never-coached agents
 * (improvement in %, AHT counted down). Mean per method for one issue.
 */
function didByMethod(s: CoachingDemoSimulation, issue: string, metric: keyof DemoMetricRow, lowerIsBetter = false): Record<string, number> {
  const byAgent = new Map<string, Map<string, DemoMetricRow>>();
  for (const r of s.metrics) {
    if (!byAgent.has(r.agentKey)) byAgent.set(r.agentKey, new Map());
    byAgent.get(r.agentKey)!.set(r.metric_date, r);
  }
  const avg = (agent: string, from: string, to: string) => {
    const v: number[] = [];
    for (const [d, r] of byAgent.get(agent)!) if (d >= from && d <= to && typeof r[metric] === 'number') v.push(r[metric] as number);
    return v.length ? mean(v) : null;
  };
  const peers = [...s.agents.values()].filter((a) => !a.coached).map((a) => a.key);
  const out: Record<string, number[]> = {};
  for (const session of s.sessions) {
    if (session.status !== 'COMPLETED' || session.issue !== issue || session.date > addDays(s.to, -14)) continue;
    const change = (agent: string) => {
      const before = avg(agent, addDays(session.date, -14), addDays(session.date, -1));
      const after = avg(agent, addDays(session.date, 1), addDays(session.date, 14));
      return before && after != null ? (after - before) / before : null;
    };
    const own = change(session.agentKey);
    const peerChanges = peers.map(change).filter((c): c is number => c != null);
    if (own == null || peerChanges.length === 0) continue;
    const did = (own - mean(peerChanges)) * 100 * (lowerIsBetter ? -1 : 1);
    (out[session.method!] ??= []).push(did);
  }
  return Object.fromEntries(Object.entries(out).map(([m, v]) => [m, mean(v)]));
}

describe('coaching demo simulation', () => {
  it('is deterministic for a seed and end date', () => {
    const again = simulateCoachingDemo({ endDate: '2026-12-04' });
    expect(again.metrics.length).toBe(sim.metrics.length);
    expect(again.metrics.slice(0, 50)).toEqual(sim.metrics.slice(0, 50));
    expect(again.sessions.map((s) => [s.key, s.status, s.method])).toEqual(sim.sessions.map((s) => [s.key, s.status, s.method]));
  });

  it('has 1 admin, 2 managers, 6 leaders, 60 agents, at least 300 days each, a few struggling agents', () => {
    const roles = sim.people.reduce<Record<string, number>>((m, p) => ({ ...m, [p.role]: (m[p.role] ?? 0) + 1 }), {});
    expect(roles).toEqual({ ADMIN: 1, MANAGER: 2, TEAM_LEADER: 6, AGENT: 60 });
    const days = new Map<string, number>();
    for (const r of sim.metrics) days.set(r.agentKey, (days.get(r.agentKey) ?? 0) + 1);
    expect(days.size).toBe(60);
    expect(Math.min(...days.values())).toBeGreaterThanOrEqual(300);
    const composites = new Map<string, number[]>();
    for (const r of sim.metrics) {
      if (r.service_score == null) continue;
      const c = r.service_score * 0.25 + r.productivity_score! * 0.2 + r.quality_score! * 0.2 + r.attendance_rate * 0.2 + r.adherence_score! * 0.15;
      composites.set(r.agentKey, [...(composites.get(r.agentKey) ?? []), c]);
    }
    const averages = [...composites.values()].map(mean).sort((a, b) => a - b);
    // A spread between agents: the weakest few well below the median.
    expect(averages[averages.length >> 1] - averages[2]).toBeGreaterThan(4);
    expect(averages[averages.length - 1] - averages[0]).toBeGreaterThan(12);
  });

  it('keeps weekday patterns: Mondays busiest, Sundays quietest', () => {
    const byDow = new Map<number, number[]>();
    for (const r of sim.metrics) {
      if (r.attendance_rate < 100) continue;
      const dow = new Date(`${r.metric_date}T00:00:00Z`).getUTCDay();
      byDow.set(dow, [...(byDow.get(dow) ?? []), r.calls_handled / r.actual_hours]);
    }
    const perHour = [0, 1, 2, 3, 4, 5, 6].map((d) => mean(byDow.get(d)!));
    expect(perHour[1]).toBe(Math.max(...perHour));
    expect(perHour[0]).toBe(Math.min(...perHour));
  });

  it('lets coaching measurably work: role-play cuts AHT, shadowing lifts FCR, call review lifts CSAT, generic feedback does nothing', () => {
    const aht = didByMethod(sim, 'AHT', 'aht', true);
    const fcr = didByMethod(sim, 'FCR', 'fcr');
    const csat = didByMethod(sim, 'CSAT', 'csat');
    expect(aht['Role-play']).toBeGreaterThan(3);
    expect(Math.abs(aht.Feedback)).toBeLessThan(1.5);
    expect(aht['Role-play'] - aht.Feedback).toBeGreaterThan(3);
    expect(fcr.Shadowing).toBeGreaterThan(2.5);
    expect(fcr.Shadowing - fcr.Feedback).toBeGreaterThan(2);
    expect(csat['Call review']).toBeGreaterThan(1.5);
    expect(csat['Call review'] - csat.Feedback).toBeGreaterThan(1.5);
  });

  it('gives every coached agent one upcoming session and sets the plans’ targets so one is met and one is missed', () => {
    const upcoming = sim.sessions.filter((s) => s.status === 'SCHEDULED');
    const coached = [...sim.agents.values()].filter((a) => a.coached).map((a) => a.key);
    expect(upcoming.map((s) => s.agentKey).sort()).toEqual(coached.sort());
    expect(upcoming.every((s) => s.date > sim.to && s.date <= addDays(sim.to, 28))).toBe(true);
    const success = sim.plans.find((p) => p.role === 'success')!;
    const failure = sim.plans.find((p) => p.role === 'failure')!;
    const lastWeek = (agentKey: string, end: string) =>
      sim.metrics.filter((r) => r.agentKey === agentKey && r.metric_date >= addDays(end, -7) && r.metric_date <= addDays(end, -1));
    const meanOf = (rows: DemoMetricRow[], key: keyof DemoMetricRow) => mean(rows.map((r) => r[key]).filter((v): v is number => typeof v === 'number'));
    const sRows = lastWeek(success.agentKey, success.targetEndDate);
    expect(meanOf(sRows, 'aht')).toBeLessThanOrEqual(success.targetMetrics.aht.target);
    expect(meanOf(sRows, 'qa_score')).toBeGreaterThanOrEqual(success.targetMetrics.qa_score.target);
    expect(meanOf(sRows, 'fcr')).toBeGreaterThanOrEqual(success.targetMetrics.fcr.target);
    expect(success.targetMetrics.aht.target).toBeLessThan(success.targetMetrics.aht.current - 30);
    const fRows = lastWeek(failure.agentKey, failure.targetEndDate);
    expect(meanOf(fRows, 'aht')).toBeGreaterThan(failure.targetMetrics.aht.target);
  });

  it('writes the per-call CSV consistent with the daily figures', () => {
    const lines = demoCallsCsv(sim).trim().split('\n').slice(1);
    const day = sim.metrics.find((r) => r.agentKey === 'L1-A01' && r.metric_date >= '2026-11-25' && r.calls_handled > 20)!;
    const calls = lines.map((l) => l.split(',')).filter((c) => c[1] === 'Vic Viewer' && c[2] === day.metric_date);
    const answered = calls.filter((c) => c[5] === 'Y');
    expect(answered.length).toBe(day.calls_handled);
    const talk = mean(answered.map((c) => Number(c[8]) * 86_400));
    expect(Math.abs(talk - day.aht!) / day.aht!).toBeLessThan(0.2);
  });
});
