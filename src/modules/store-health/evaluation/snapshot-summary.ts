import type { AiProvider } from '../../../core/ai/index.js';
import type { IsoDate } from '../shared/dates.js';
import type { KpiInfo, ResolvedThreshold, StoreInfo } from './evaluation-scope.js';
import { describeReading, firstActionFor, shortfallPct, type KpiReading } from './kpi-wording.js';

/** What a store's day looked like, as the summary needs it. */
export interface SnapshotFacts {
  store: StoreInfo;
  date: IsoDate;
  overallStatus: string;
  /** Overall status of the day before, when there was a snapshot. */
  previousOverallStatus: string | null;
  dayKind: string | null;
  counts: { red: number; yellow: number; green: number; noData: number };
  /** KPIs that are yellow or red that day. */
  issues: { kpi: KpiInfo; threshold: ResolvedThreshold; reading: KpiReading; daysInStatus: number | null }[];
  /** Status changes recorded that day (kpi_status_history). */
  changes: { kpi: KpiInfo; previousStatus: string | null; currentStatus: string }[];
}

export interface WrittenSummary {
  text: string;
  /** 'offline' when no language model wrote it. */
  source: string;
}

const statusOrder: Record<string, number> = { red: 0, yellow: 1 };

/** Most urgent first: red before yellow, then KPI priority, then the furthest from green. */
export function rankIssues(issues: SnapshotFacts['issues']): SnapshotFacts['issues'] {
  return [...issues].sort(
    (a, b) =>
      (statusOrder[a.reading.status] ?? 2) - (statusOrder[b.reading.status] ?? 2) ||
      a.threshold.priority - b.threshold.priority ||
      shortfallPct(b.kpi, b.threshold, b.reading) - shortfallPct(a.kpi, a.threshold, a.reading) ||
      a.kpi.kpiCode.localeCompare(b.kpi.kpiCode),
  );
}

function describeChange(change: SnapshotFacts['changes'][number]): string {
  if (change.currentStatus === 'green') return `${change.kpi.name} back to green`;
  if (!change.previousStatus) return `${change.kpi.name} ${change.currentStatus}`;
  return `${change.kpi.name} ${change.previousStatus} → ${change.currentStatus}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The deterministic summary: what changed since yesterday, why (which KPIs, how far from baseline), what to do first. */
export function offlineSummary(facts: SnapshotFacts): string {
  if (facts.overallStatus === 'closed') return `Closed on ${facts.date} (${facts.dayKind === 'holiday' ? 'holiday' : 'closed day'}); nothing evaluated.`;
  if (facts.overallStatus === 'no_data') {
    return `No KPI data for ${facts.date}: ${plural(facts.counts.noData, 'expected value')} missing. First: check that the store's figures were sent.`;
  }
  const parts: string[] = [];
  const previous = facts.previousOverallStatus;
  const changes = [...facts.changes]
    .sort((a, b) => (statusOrder[a.currentStatus] ?? 2) - (statusOrder[b.currentStatus] ?? 2))
    .slice(0, 4)
    .map(describeChange);
  if (previous && previous !== facts.overallStatus)
    parts.push(`Overall ${previous} → ${facts.overallStatus} since yesterday${changes.length ? `: ${changes.join(', ')}` : ''}.`);
  else if (changes.length) parts.push(`Overall ${facts.overallStatus}; changed since yesterday: ${changes.join(', ')}.`);
  else parts.push(`Overall ${facts.overallStatus}, no change since yesterday.`);

  const ranked = rankIssues(facts.issues);
  if (ranked.length) {
    const why = ranked.slice(0, 3).map(({ kpi, threshold, reading, daysInStatus }) => {
      const streak = daysInStatus && daysInStatus > 1 ? `, ${reading.status} for ${daysInStatus} days` : '';
      return `${reading.status === 'red' ? 'Red' : 'Yellow'}: ${describeReading(kpi, threshold, reading)}${streak}`;
    });
    const more = ranked.length > 3 ? ` (+${ranked.length - 3} more)` : '';
    parts.push(`${why.join('. ')}${more}.`);
    const first = ranked[0];
    parts.push(`First: ${first.kpi.name} — ${firstActionFor(first.kpi)}.`);
  } else {
    parts.push(`All ${plural(facts.counts.green, 'evaluated KPI')} green.`);
  }
  if (facts.counts.noData > 0) parts.push(`${plural(facts.counts.noData, 'KPI')} without data.`);
  return parts.join(' ');
}

function summaryPrompt(facts: SnapshotFacts): string {
  const ranked = rankIssues(facts.issues);
  const lines = [
    `Store ${facts.store.storeCode} ${facts.store.name}, ${facts.date}: overall ${facts.overallStatus} (yesterday ${facts.previousOverallStatus ?? 'unknown'}).`,
    `KPI counts: ${facts.counts.red} red, ${facts.counts.yellow} yellow, ${facts.counts.green} green, ${facts.counts.noData} without data.`,
    ...facts.changes.map((c) => `Change: ${describeChange(c)}.`),
    ...ranked.map(
      ({ kpi, threshold, reading, daysInStatus }) =>
        `${reading.status.toUpperCase()} (priority ${threshold.priority}, ${daysInStatus ?? 1} days): ${describeReading(kpi, threshold, reading)}. Suggested first step: ${firstActionFor(kpi)}.`,
    ),
  ];
  return lines.join('\n');
}

const systemPrompt =
  'You write the daily health summary of one retail store for its managers. In at most three short sentences say what changed since ' +
  'yesterday, why (name the KPIs and how far they are from their baseline or target, using only the figures given) and what to do first. ' +
  'No greetings, no markdown, no invented numbers.';

/**
 * The summary of one snapshot: the offline template, or the configured language model (which falls back to the
 * template when it fails). The model is only asked about days with something to say.
 */
export async function writeSummary(facts: SnapshotFacts, ai: AiProvider | null): Promise<WrittenSummary> {
  const fallback = offlineSummary(facts);
  const eventful = facts.issues.length > 0 || facts.changes.length > 0;
  if (!ai || ai.name === 'offline' || !eventful || facts.overallStatus === 'closed') return { text: fallback, source: 'offline' };
  try {
    const result = await ai.generateText({
      system: systemPrompt,
      prompt: summaryPrompt(facts),
      maxTokens: 200,
      temperature: 0.2,
      purpose: 'store-health.summary',
      fallback: () => fallback,
    });
    const text = result.text.trim();
    return text ? { text, source: result.producedWithoutModel ? 'offline' : result.provider } : { text: fallback, source: 'offline' };
  } catch {
    return { text: fallback, source: 'offline' };
  }
}
