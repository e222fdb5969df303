import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { normalAt, uniformAt } from '../../../core/seeded-random.js';
import { addDays, daysBetween } from './dates.js';
import type { CoachingDemoSimulation } from './simulation.js';

/** The header of the PwC call-centre export (shared/data/pwc_call_center/call_center_pwc.csv). */
export const callCsvHeader = 'Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,AvgTalkDuration,Satisfaction rating';

const topics = ['Contract related', 'Technical Support', 'Payment related', 'Streaming', 'Admin Support'];
const shiftStart: Record<string, number> = { Morning: 7, Evening: 13, Rotating: 9, 'Part-time': 9 };

/** The two agents whose calls the file holds: the viewer login's agent and a teammate. */
export const callCsvAgents = ['L1-A01', 'L1-A02'];

/**
 * A per-call export of the last two weeks for two agents, in the PwC file's columns (time and talk duration as Excel
 * fractions of a day, unanswered calls with empty fields), consistent with their daily demo metrics: as many answered
 * calls as calls_handled, resolution rate ≈ FCR, mean talk time ≈ AHT, mean rating ≈ CSAT. Importing it replaces those
 * days' call metrics with the figures derived from the calls.
 */
export function demoCallsCsv(sim: CoachingDemoSimulation, days = 14): string {
  const from = addDays(sim.to, -(days - 1));
  const people = new Map(sim.people.map((p) => [p.key, p]));
  const lines = [callCsvHeader];
  let n = 0;
  for (const row of sim.metrics) {
    if (!callCsvAgents.includes(row.agentKey) || row.metric_date < from || row.calls_handled === 0) continue;
    const person = people.get(row.agentKey)!;
    const stream = callCsvAgents.indexOf(row.agentKey) * 1000 + daysBetween(sim.from, row.metric_date);
    const unanswered = Math.round(row.calls_handled * 0.06);
    const total = row.calls_handled + unanswered;
    const startHour = shiftStart[person.shiftPattern ?? 'Rotating'] ?? 9;
    const calls: string[][] = [];
    for (let k = 0; k < total; k++) {
      const u = (s: number) => uniformAt(sim.seed, 7000 + s * 7919 + stream, k);
      const answered = k < row.calls_handled;
      const time = (startHour + (row.actual_hours || row.scheduled_hours) * ((k + u(1)) / total)) / 24;
      const topic = topics[Math.floor(u(2) * topics.length)];
      if (!answered) {
        calls.push([time.toFixed(8), topic, 'N', 'N', '', '', '']);
        continue;
      }
      const resolved = u(3) < (row.fcr ?? 70) / 100 ? 'Y' : 'N';
      const speed = Math.round(8 + u(4) * 110);
      const talkSeconds = Math.max(30, (row.aht ?? 360) * Math.exp(0.3 * normalAt(sim.seed, 7100 + stream, k) - 0.045));
      const rating = Math.max(1, Math.min(5, Math.round((row.csat ?? 4) + 0.85 * normalAt(sim.seed, 7200 + stream, k))));
      calls.push([time.toFixed(8), topic, 'Y', resolved, String(speed), (talkSeconds / 86_400).toExponential(10), String(rating)]);
    }
    calls.sort((a, b) => Number(a[0]) - Number(b[0]));
    for (const c of calls) {
      n++;
      lines.push([`DEMO${String(n).padStart(5, '0')}`, person.name, row.metric_date, ...c].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `coaching-calls-<end date>.csv` into the demo imports directory, removing older coaching-calls files so the
 * folder holds one current export.
 */
export async function writeDemoCallsCsv(dir: string, sim: CoachingDemoSimulation): Promise<{ file: string; rows: number }> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) {
    if (/^coaching-calls-\d{4}-\d{2}-\d{2}\.csv$/.test(name)) await rm(path.join(dir, name), { force: true });
  }
  const csv = demoCallsCsv(sim);
  const file = path.join(dir, `coaching-calls-${sim.to}.csv`);
  await writeFile(file, csv, 'utf8');
  return { file, rows: csv.split('\n').length - 2 };
}
