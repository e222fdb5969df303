import { BarChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  SegmentedControl,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { IconFlask, IconInfoCircle, IconMinus, IconThumbUp } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { type EffectivenessRecord, type EffectivenessSummaryRow, useEffectiveness } from '../session-queries';
import {
  AgentSelect,
  asNumber,
  EmptyPanel,
  formatDay,
  formatMetric,
  formatRate,
  formatSigned,
  formatSignedPct,
  higherIsBetter,
  metricLabel,
  Panel,
} from '../sessions/session-ui';

const groupKey = (issue: string | null, method: string | null) => `${(issue ?? '').trim().toLowerCase()}|${(method ?? '').trim().toLowerCase()}`;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** A record's changes on its issue metric in % of its baseline, signed so that positive = better. */
function percentChanges(record: EffectivenessRecord): { coached: number | null; peers: number | null } {
  const after = record.metricsAfter;
  const metric = record.issueMetric ?? after?.issueMetric ?? null;
  if (!after || !metric) return { coached: null, peers: null };
  const direction = higherIsBetter(metric) ? 1 : -1;
  const agentBefore = asNumber(record.metricsBefore?.agent?.values?.[metric]);
  const peersBefore = asNumber(after.peers?.before);
  const pct = (change: number | null | undefined, base: number | null) =>
    typeof change === 'number' && base ? (change / Math.abs(base)) * 100 * direction : null;
  return { coached: pct(after.did?.agentChange, agentBefore), peers: pct(after.did?.peersChange, peersBefore) };
}

export type SummaryView = EffectivenessSummaryRow & {
  metric: string | null;
  coachedPct: number | null;
  peersPct: number | null;
  didPct: number | null;
};

/** The API's summary per issue × method, with the coached and the peers' change in % from the records (one scale for the chart). */
export function summaryViews(summary: EffectivenessSummaryRow[], records: EffectivenessRecord[]): SummaryView[] {
  const byGroup = new Map<string, EffectivenessRecord[]>();
  for (const record of records) {
    const key = groupKey(record.primaryIssue, record.interventionMethod);
    byGroup.set(key, [...(byGroup.get(key) ?? []), record]);
  }
  return summary.map((row) => {
    const rs = byGroup.get(groupKey(row.issue, row.method)) ?? [];
    const changes = rs.map(percentChanges).filter((c) => c.coached !== null && c.peers !== null) as { coached: number; peers: number }[];
    const coachedPct = mean(changes.map((c) => c.coached));
    const peersPct = mean(changes.map((c) => c.peers));
    return {
      ...row,
      metric: rs.find((r) => r.issueMetric)?.issueMetric ?? null,
      coachedPct,
      peersPct,
      didPct: coachedPct !== null && peersPct !== null ? coachedPct - peersPct : null,
    };
  });
}

function beforeAfter(record: EffectivenessRecord) {
  const metric = record.issueMetric;
  if (!metric) return { metric: null, before: null, after: null, peersBefore: null, peersAfter: null };
  return {
    metric,
    before: asNumber(record.metricsBefore?.agent?.values?.[metric]),
    after: asNumber(record.metricsAfter?.agent?.values?.[metric]),
    peersBefore: asNumber(record.metricsAfter?.peers?.before),
    peersAfter: asNumber(record.metricsAfter?.peers?.after),
  };
}

const RECORDS_SHOWN = 20;
const round1 = (value: number | null) => (value === null ? 0 : Math.round(value * 10) / 10);
/** The unit suffix of a metric's DiD effect. */
function unitOf(metric: string | null): string {
  if (metric === 'aht') return ' s';
  if (metric === 'csat') return '';
  if (metric === 'fcr' || metric === 'attendance_rate') return ' pp';
  return ' pts';
}

function Sustained({ value }: { value: boolean | null | undefined }) {
  if (value === null || value === undefined) {
    return (
      <Text size="xs" c="dimmed">
        pending
      </Text>
    );
  }
  return (
    <Badge size="sm" radius="sm" variant="light" color={value ? 'teal' : 'red'}>
      {value ? 'yes' : 'no'}
    </Badge>
  );
}

export function EffectivenessPage() {
  const [params, setParams] = useSearchParams();
  const agentId = params.get('agentId');
  const issueFilter = params.get('issue');
  const [showAll, setShowAll] = useState(false);
  const report = useEffectiveness({ agentId });
  const records = report.data?.items ?? [];
  const summary = summaryViews(report.data?.summary ?? [], records);
  const issues = [...new Set(summary.map((row) => row.issue))].sort();
  const shown = summary
    .filter((row) => !issueFilter || row.issue === issueFilter)
    .sort((a, b) => a.issue.localeCompare(b.issue) || (b.meanDid ?? -Infinity) - (a.meanDid ?? -Infinity));
  // Per issue, the method with the largest effect after removing what uncoached peers did in the same weeks.
  const bestByIssue = new Map<string, SummaryView>();
  for (const row of shown) {
    if (row.meanDid === null || row.didN < 1) continue;
    const best = bestByIssue.get(row.issue);
    if (!best || (best.meanDid ?? -Infinity) < row.meanDid) bestByIssue.set(row.issue, row);
  }
  const [recordStatus, setRecordStatus] = useState<'EVALUATED' | 'MEASURING' | 'ALL'>('EVALUATED');
  const shownRecords = records.filter(
    (record) => (!issueFilter || record.primaryIssue === issueFilter) && (recordStatus === 'ALL' || record.status === recordStatus),
  );
  const measuring = records.filter((record) => record.status === 'MEASURING').length;

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="lg" data-testid="co-effectiveness-page">
      <PageHeader
        title="Coaching effectiveness"
        description="Which coaching methods actually move which metric: each coached issue's metric before vs after the session, compared with similar agents who were not coached in the same weeks."
      />
      <Alert
        variant="light"
        color="blue"
        icon={<IconInfoCircle size={18} />}
        title="Read the “beyond peers” column, not the raw change"
        data-testid="co-eff-did-explainer"
      >
        A raw before → after change also contains whatever moved for everybody in those weeks — the season, a new product, a system outage. The{' '}
        <b>difference-in-differences (DiD)</b> subtracts the change of up to 10 similar agents who were not coached on that issue over the same weeks, so what
        is left is the coaching's own effect. Positive always means better (for handle time: shorter).
      </Alert>
      <Group gap="sm" align="flex-end">
        <AgentSelect label="Agent" placeholder="All my agents" value={agentId} onChange={(value) => setParam('agentId', value)} clearable w={300} />
        <Select
          label="Issue"
          placeholder="All issues"
          data={issues}
          value={issueFilter}
          onChange={(value) => setParam('issue', value)}
          clearable
          w={200}
          data-testid="co-eff-issue"
        />
        {measuring > 0 && (
          <Text size="xs" c="dimmed" mb={8}>
            {measuring} session{measuring === 1 ? ' is' : 's are'} still in the measurement period.
          </Text>
        )}
      </Group>
      {report.isError && <ErrorState error={report.error} title="Could not load the effectiveness report" onRetry={() => report.refetch()} />}
      {report.isPending && <Skeleton h={420} radius="md" />}
      {report.isSuccess && records.length === 0 && (
        <EmptyPanel icon={IconFlask} title="Nothing measured yet" testId="co-eff-empty">
          When you complete a session with a primary issue and an intervention method, the agent's metric is measured before and after it; results show here
          once the measurement period has passed.
        </EmptyPanel>
      )}
      {report.isSuccess && records.length > 0 && (
        <>
          {bestByIssue.size > 0 && (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" data-testid="co-eff-best">
              {[...bestByIssue.values()].map((row) => {
                const works = (row.meanDid ?? 0) > 0;
                return (
                  <Paper key={row.issue} withBorder radius="md" p="sm" data-testid="co-eff-best-card">
                    <Group gap="xs" wrap="nowrap" align="flex-start">
                      <ThemeIcon variant="light" color={works ? 'teal' : 'gray'} radius="xl">
                        {works ? <IconThumbUp size={16} /> : <IconMinus size={16} />}
                      </ThemeIcon>
                      <div>
                        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                          {works ? `Works best for ${row.issue}` : `Nothing clearly works for ${row.issue}`}
                        </Text>
                        <Text fw={700}>{row.method}</Text>
                        <Text size="xs" c={works ? 'teal.7' : 'dimmed'}>
                          {formatSigned(row.meanDid, row.metric === 'csat' ? 2 : 1, unitOf(row.metric))} beyond peers
                          {row.didPct !== null ? ` (${formatSignedPct(row.didPct)})` : ''} · {row.didN} measured
                        </Text>
                      </div>
                    </Group>
                  </Paper>
                );
              })}
            </SimpleGrid>
          )}
          <Panel
            title="By issue and method"
            description="Coached: the agents' own change after the session. Peers: similar uncoached agents over the same weeks. Beyond peers (DiD): the difference — the coaching's effect."
            padding={0}
            testId="co-eff-summary"
          >
            <Table.ScrollContainer minWidth={980}>
              <Table verticalSpacing="xs" data-testid="co-eff-summary-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Issue</Table.Th>
                    <Table.Th>Method</Table.Th>
                    <Table.Th ta="right">n</Table.Th>
                    <Table.Th ta="right">Coached change</Table.Th>
                    <Table.Th ta="right">Peers' change</Table.Th>
                    <Table.Th ta="right">
                      <Tooltip
                        label="Coached change minus the change of similar uncoached agents over the same weeks, in the metric's unit (mean over the measured sessions)"
                        withArrow
                        multiline
                        w={280}
                      >
                        <span>Beyond peers (DiD) ⓘ</span>
                      </Tooltip>
                    </Table.Th>
                    <Table.Th ta="right">
                      <Tooltip label="t-statistic of the DiD effects: 2 or more means the effect is unlikely to be chance" withArrow multiline w={260}>
                        <span>t ⓘ</span>
                      </Tooltip>
                    </Table.Th>
                    <Table.Th ta="right">Kept 30 d</Table.Th>
                    <Table.Th ta="right">Kept 90 d</Table.Th>
                    <Table.Th>Verdict</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.map((row) => {
                    const best = bestByIssue.get(row.issue) === row && (row.meanDid ?? 0) > 0;
                    return (
                      <Table.Tr key={`${row.issue}|${row.method}`} bg={best ? 'teal.0' : undefined} data-testid="co-eff-summary-row">
                        <Table.Td fw={600}>{row.issue}</Table.Td>
                        <Table.Td>
                          <Group gap={6} wrap="nowrap">
                            <Text size="sm" fw={best ? 700 : 400}>
                              {row.method}
                            </Text>
                            {best && (
                              <Text span size="xs" fw={700} c="teal.7">
                                ★ best
                              </Text>
                            )}
                          </Group>
                        </Table.Td>
                        <Table.Td ta="right" className="co-s-num">
                          <Tooltip label={`${row.evaluated} of ${row.n} sessions past the measurement period`} withArrow>
                            <span>{row.evaluated === row.n ? row.n : `${row.evaluated}/${row.n}`}</span>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td ta="right" className="co-s-num" c="dimmed">
                          {formatSignedPct(row.coachedPct ?? row.meanImprovementPct)}
                        </Table.Td>
                        <Table.Td ta="right" className="co-s-num" c="dimmed">
                          {formatSignedPct(row.peersPct)}
                        </Table.Td>
                        <Table.Td ta="right" className="co-s-num" fw={700} c={row.meanDid === null ? 'dimmed' : row.meanDid > 0 ? 'teal.7' : 'red.7'}>
                          {formatSigned(row.meanDid, row.metric === 'csat' ? 2 : 1, unitOf(row.metric))}
                          {row.didPct !== null && (
                            <Text span size="xs" c="dimmed" fw={400}>
                              {' '}
                              ({formatSignedPct(row.didPct)})
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td ta="right" className="co-s-num" c={row.tStat !== null && row.tStat >= 2 ? undefined : 'dimmed'}>
                          {row.tStat === null ? '—' : row.tStat.toFixed(1)}
                        </Table.Td>
                        <Table.Td ta="right" className="co-s-num">
                          {formatRate(row.sustained30Rate)}
                        </Table.Td>
                        <Table.Td ta="right" className="co-s-num">
                          {formatRate(row.sustained90Rate)}
                        </Table.Td>
                        <Table.Td>
                          {row.recommended ? (
                            <Group gap={4} wrap="nowrap">
                              <IconThumbUp size={14} color="var(--mantine-color-teal-7)" />
                              <Text size="xs" fw={700} c="teal.7" style={{ whiteSpace: 'nowrap' }}>
                                recommended
                              </Text>
                            </Group>
                          ) : (
                            <Text size="xs" c="dimmed">
                              {row.didN < 3 ? 'too few yet' : 'no clear effect'}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Panel>
          {shown.some((row) => row.coachedPct !== null) && (
            <Panel
              title="Coached change vs the same weeks for uncoached peers"
              description="Where the grey bar (peers) is as tall as the blue one (coached), the change happened to everybody — season, product, systems — not because of the coaching. The green bar is what is left: the coaching's effect."
              testId="co-eff-chart"
            >
              <BarChart
                h={Math.max(260, shown.length * 44)}
                orientation="vertical"
                data={shown
                  .filter((row) => row.coachedPct !== null)
                  .map((row) => ({
                    label: `${row.issue} · ${row.method}`,
                    coached: round1(row.coachedPct),
                    peers: round1(row.peersPct),
                    did: round1(row.didPct),
                  }))}
                dataKey="label"
                withLegend
                legendProps={{ verticalAlign: 'top', height: 30 }}
                yAxisProps={{ width: 190 }}
                valueFormatter={(value) => formatSignedPct(value)}
                series={[
                  { name: 'coached', color: 'blue.5', label: 'Coached agents' },
                  { name: 'peers', color: 'gray.4', label: 'Uncoached peers, same weeks' },
                  { name: 'did', color: 'teal.6', label: 'Effect beyond peers (DiD)' },
                ]}
              />
            </Panel>
          )}
          <Panel
            title={`Coached sessions (${shownRecords.length})`}
            description="The issue metric in the 14 days before the session and in the period after it; peers over the same windows."
            padding={0}
            testId="co-eff-records"
            actions={
              <SegmentedControl
                size="xs"
                value={recordStatus}
                onChange={(value) => setRecordStatus(value as 'EVALUATED' | 'MEASURING' | 'ALL')}
                data={[
                  { value: 'EVALUATED', label: 'Measured' },
                  { value: 'MEASURING', label: 'Still measuring' },
                  { value: 'ALL', label: 'All' },
                ]}
                data-testid="co-eff-records-status"
              />
            }
          >
            {shownRecords.length === 0 ? (
              <Text size="sm" c="dimmed" p="md">
                No measured sessions for this filter.
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={1000}>
                <Table verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Agent</Table.Th>
                      <Table.Th>Session</Table.Th>
                      <Table.Th>Issue · method</Table.Th>
                      <Table.Th ta="right">Agent before → after</Table.Th>
                      <Table.Th ta="right">Peers before → after</Table.Th>
                      <Table.Th ta="right">Improvement</Table.Th>
                      <Table.Th ta="right">Beyond peers</Table.Th>
                      <Table.Th ta="center">30 d</Table.Th>
                      <Table.Th ta="center">90 d</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shownRecords.slice(0, showAll ? shownRecords.length : RECORDS_SHOWN).map((record) => {
                      const ba = beforeAfter(record);
                      const metric = ba.metric ?? '';
                      return (
                        <Table.Tr key={record.id} data-testid="co-eff-record-row">
                          <Table.Td>
                            <Anchor component={Link} to={`/coaching/agents/${record.agentId}`} size="sm">
                              {record.agentName}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>
                            {record.sessionId ? (
                              <Anchor component={Link} to={`/coaching/sessions/${record.sessionId}`} size="sm">
                                {formatDay(record.coachedOn)}
                              </Anchor>
                            ) : (
                              formatDay(record.coachedOn)
                            )}
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">
                              {record.primaryIssue ?? '—'} · {record.interventionMethod ?? '—'}
                            </Text>
                          </Table.Td>
                          <Table.Td ta="right" className="co-s-num">
                            <Text span size="xs" c="dimmed">
                              {ba.metric ? `${metricLabel(ba.metric)} ` : ''}
                            </Text>
                            {formatMetric(metric, ba.before)} → {ba.after === null ? 'measuring' : formatMetric(metric, ba.after)}
                          </Table.Td>
                          <Table.Td ta="right" className="co-s-num" c="dimmed">
                            {ba.peersBefore === null ? '—' : `${formatMetric(metric, ba.peersBefore)} → ${formatMetric(metric, ba.peersAfter)}`}
                          </Table.Td>
                          <Table.Td
                            ta="right"
                            className="co-s-num"
                            c={record.improvementPercentage === null ? 'dimmed' : record.improvementPercentage > 0 ? 'teal.7' : 'red.7'}
                          >
                            {record.improvementPercentage === null ? 'measuring' : formatSignedPct(record.improvementPercentage)}
                          </Table.Td>
                          <Table.Td
                            ta="right"
                            className="co-s-num"
                            fw={600}
                            c={record.didEffect === null ? 'dimmed' : record.didEffect > 0 ? 'teal.7' : 'red.7'}
                          >
                            {record.didEffect === null ? '—' : formatSigned(record.didEffect, metric === 'csat' ? 2 : 1, unitOf(metric))}
                          </Table.Td>
                          <Table.Td ta="center">
                            <Sustained value={record.sustainedAfter30Days} />
                          </Table.Td>
                          <Table.Td ta="center">
                            <Sustained value={record.sustainedAfter90Days} />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            {shownRecords.length > RECORDS_SHOWN && (
              <Group justify="center" p="xs">
                <Button variant="subtle" size="xs" onClick={() => setShowAll((v) => !v)} data-testid="co-eff-records-more">
                  {showAll ? `Show the latest ${RECORDS_SHOWN}` : `Show all ${shownRecords.length}`}
                </Button>
              </Group>
            )}
          </Panel>
        </>
      )}
    </Stack>
  );
}
