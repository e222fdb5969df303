import { LineChart } from '@mantine/charts';
import { Alert, Anchor, Badge, Button, Chip, Group, Progress, SegmentedControl, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconCalendarPlus, IconChartLine, IconFileImport } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import type { HistoryRow, PeriodType, Scorecard } from '../api-types';
import { useScorecard } from '../queries';
import {
  COMPONENT_KEYS,
  deltaColor,
  formatDay,
  formatMetric,
  formatPercentile,
  formatScore,
  formatSigned,
  METRICS,
  metricMeta,
  valueOf,
} from '../shared/format';
import { EmptyPanel, Panel, StatTile, StatusBadge } from '../shared/ui';
import { CompositeMovementPanel } from './composite-movement';
import { AgentSidePanels } from './side-panels';

type Period = 'DAY' | PeriodType;
const PERIODS: { value: Period; label: string }[] = [
  { value: 'DAY', label: 'Day' },
  { value: 'WEEK', label: 'Week' },
  { value: 'MONTH', label: 'Month' },
  { value: 'QUARTER', label: 'Quarter' },
];

const HISTORY_KEYS: Record<string, keyof HistoryRow> = {
  composite_score: 'avgCompositeScore',
  service_score: 'avgServiceScore',
  productivity_score: 'avgProductivityScore',
  quality_score: 'avgQualityScore',
  attendance_rate: 'avgAttendanceRate',
  adherence_score: 'avgAdherenceScore',
};

/** Rows of the chosen period: the daily series, or the weekly / monthly / quarterly history. */
function seriesRows(card: Scorecard, period: Period): Record<string, number | string | null>[] {
  if (period === 'DAY')
    return card.daily.map((row) => {
      const out: Record<string, number | string | null> = { date: row.date };
      for (const metric of METRICS) out[metric.key] = valueOf(row.values, metric.key);
      return out;
    });
  return [...(card.history?.[period] ?? [])]
    .sort((a, b) => a.periodEnding.localeCompare(b.periodEnding))
    .map((row) => {
      const out: Record<string, number | string | null> = { date: row.periodEnding };
      for (const [key, field] of Object.entries(HISTORY_KEYS)) out[key] = (row[field] as number | null) ?? null;
      return out;
    });
}

/** A metric's percentile (0–100) from the stored ranking, or null. */
function percentileOf(card: Scorecard, key: string): number | null {
  const value = card.percentiles?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function AgentScorecardPage() {
  const { id } = useParams<{ id: string }>();
  const card = useScorecard(id);
  const data = card.data;

  if (card.isError)
    return (
      <div data-testid="co-scorecard-error">
        <ErrorState error={card.error} title="Could not load the scorecard" onRetry={() => void card.refetch()} />
      </div>
    );
  if (!data)
    return (
      <Stack gap="lg">
        <Skeleton h={40} w={320} />
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          {[0, 1, 2, 3].map((key) => (
            <Skeleton key={key} h={96} radius="md" />
          ))}
        </SimpleGrid>
        <Skeleton h={360} radius="md" />
      </Stack>
    );

  const agent = data.agent;
  const daily = [...data.daily].sort((a, b) => a.date.localeCompare(b.date));
  const latest = daily[daily.length - 1] ?? null;
  const weekMove = data.moved?.week ?? null;
  const compositePct = percentileOf(data, 'composite_score');

  return (
    <Stack gap="lg" data-testid="co-scorecard-page">
      <PageHeader
        title={agent.name}
        documentTitle={`${agent.name} · scorecard`}
        badge={<StatusBadge status={agent.status} />}
        description={
          <>
            Agent{agent.teamLeaderName ? ` in the team of ${agent.teamLeaderName}` : ''}
            {agent.department ? ` · ${agent.department}` : ''} · metrics {formatDay(data.from)} – {formatDay(data.to)}
          </>
        }
        actions={
          <Button component={Link} to={`/coaching/sessions?agentId=${agent.id}`} leftSection={<IconCalendarPlus size={16} />} data-testid="co-schedule-session">
            Schedule session
          </Button>
        }
      />

      {daily.length === 0 ? (
        <EmptyPanel
          icon={IconFileImport}
          title="No metrics yet — import a file"
          testId="co-scorecard-empty"
          action={
            <Button component={Link} to="/coaching/imports" variant="light">
              Go to imports
            </Button>
          }
        >
          {agent.name} has no daily metrics in this period. Import calls or daily metrics; the composite, trends and percentiles follow.
        </EmptyPanel>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
            <StatTile
              label="Composite"
              value={formatScore(valueOf(latest?.values, 'composite_score'))}
              note={`on ${formatDay(latest?.date, 'short')}`}
              testId="co-sc-composite"
            />
            <StatTile
              label="This week vs last week"
              value={formatScore(weekMove?.current.composite)}
              delta={weekMove?.compositeChange ?? null}
              deltaLabel={weekMove ? formatSigned(weekMove.compositeChange) : undefined}
              note={weekMove ? `average since ${formatDay(weekMove.current.from, 'short')}` : 'not enough days yet'}
              testId="co-sc-week"
            />
            <StatTile
              label="Percentile among peers"
              value={data.percentilesHidden ? 'hidden' : formatPercentile(compositePct)}
              note={
                data.percentilesHidden
                  ? 'peer comparison opted out'
                  : typeof data.percentiles?.peerCount === 'number'
                    ? `composite, among ${data.percentiles.peerCount} peers`
                    : 'composite, nightly ranking'
              }
              testId="co-sc-percentile"
            />
            <StatTile
              label="Days with metrics"
              value={daily.length}
              note={`${formatDay(daily[0]?.date, 'short')} – ${formatDay(latest?.date, 'short')}`}
              testId="co-sc-days"
            />
          </SimpleGrid>

          <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 2fr) minmax(300px, 1fr)', gap: 'var(--mantine-spacing-md)', alignItems: 'start' }}>
            <Stack gap="md" style={{ minWidth: 0 }}>
              <OverTime card={data} />
              <CompositeMovementPanel movements={data.moved} />
              <EachMetric card={data} />
            </Stack>
            <Stack gap="md">
              <PercentilePanel card={data} />
              <AgentSidePanels agentId={agent.id} agentName={agent.name} />
            </Stack>
          </div>
        </>
      )}
      {daily.length === 0 && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <AgentSidePanels agentId={agent.id} agentName={agent.name} />
        </SimpleGrid>
      )}
    </Stack>
  );
}

function OverTime({ card }: { card: Scorecard }) {
  const [period, setPeriod] = useState<Period>('DAY');
  const [shown, setShown] = useState<string[]>(['composite_score']);
  const rows = useMemo(() => seriesRows(card, period), [card, period]);
  const options = ['composite_score', ...COMPONENT_KEYS];
  return (
    <Panel
      title="Composite and its components over time"
      description={
        period === 'DAY'
          ? 'Daily values. Switch to weeks, months or quarters for the recomputed history (averages per period).'
          : `Average per ${period.toLowerCase()} from the performance history.`
      }
      testId="co-sc-over-time"
      actions={<SegmentedControl size="xs" data={PERIODS} value={period} onChange={(value) => setPeriod(value as Period)} data-testid="co-sc-period" />}
    >
      <Chip.Group multiple value={shown} onChange={(value) => setShown(value.length > 0 ? value : ['composite_score'])}>
        <Group gap={6} mb="sm">
          {options.map((key) => (
            <Chip key={key} value={key} size="xs" color={metricMeta(key).color.split('.')[0]} variant="light">
              {metricMeta(key).label}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" py="xl" ta="center" data-testid="co-sc-no-history">
          No {period.toLowerCase()} history yet: it is recomputed after every import and nightly.
        </Text>
      ) : (
        <LineChart
          h={280}
          data={rows}
          dataKey="date"
          withDots={rows.length <= 16}
          curveType="monotone"
          gridAxis="x"
          tickLine="none"
          strokeWidth={1.8}
          connectNulls
          valueFormatter={(value) => formatScore(value)}
          xAxisProps={{ tickFormatter: (value: string) => formatDay(value, 'short'), minTickGap: 28, fontSize: 11 }}
          yAxisProps={{ width: 40, fontSize: 11, domain: ['auto', 'auto'] }}
          series={shown.map((key) => ({ name: key, label: metricMeta(key).label, color: metricMeta(key).color }))}
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 30 }}
          data-testid="co-sc-chart"
        />
      )}
    </Panel>
  );
}

function EachMetric({ card }: { card: Scorecard }) {
  const daily = [...card.daily].sort((a, b) => a.date.localeCompare(b.date));
  const metrics = METRICS.filter((metric) => metric.key !== 'composite_score' && daily.some((row) => valueOf(row.values, metric.key) !== null));
  const half = Math.floor(daily.length / 2);
  return (
    <Panel
      title="Each metric"
      description="Daily values in the period; the change compares the second half of the period with the first."
      testId="co-sc-metrics"
    >
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {metrics.map((metric) => {
          const values = daily.map((row) => ({ date: row.date, value: valueOf(row.values, metric.key) }));
          const mean = (list: typeof values) => {
            const numbers = list.map((point) => point.value).filter((value): value is number => value !== null);
            return numbers.length > 0 ? numbers.reduce((sum, value) => sum + value, 0) / numbers.length : null;
          };
          const first = mean(values.slice(0, half));
          const second = mean(values.slice(half));
          const change = first !== null && second !== null ? second - first : null;
          const latestValue = [...values].reverse().find((point) => point.value !== null)?.value ?? null;
          return (
            <Stack
              key={metric.key}
              gap={2}
              p="xs"
              style={{ border: '1px solid var(--mantine-color-gray-2)', borderRadius: 8 }}
              data-testid={`co-sc-metric-${metric.key}`}
            >
              <Group justify="space-between" gap={4} wrap="nowrap">
                <Text size="xs" fw={600} c="dimmed" truncate>
                  {metric.label}
                </Text>
                <Text size="xs" fw={650} c={deltaColor(change, metric.higherIsBetter, 0.005)} className="co-num">
                  {change === null ? '' : formatSigned(change, metric.unit === 'csat' ? 2 : 1)}
                </Text>
              </Group>
              <Text fw={700} className="co-num">
                {formatMetric(metric.key, latestValue)}
              </Text>
              <LineChart
                h={56}
                data={values}
                dataKey="date"
                series={[{ name: 'value', color: metric.color, label: metric.label }]}
                withXAxis={false}
                withYAxis={false}
                gridAxis="none"
                withDots={false}
                curveType="monotone"
                strokeWidth={1.4}
                connectNulls
                withTooltip={false}
                yAxisProps={{ domain: ['auto', 'auto'] }}
              />
            </Stack>
          );
        })}
      </SimpleGrid>
    </Panel>
  );
}

function PercentilePanel({ card }: { card: Scorecard }) {
  if (card.percentilesHidden)
    return (
      <Panel title="Percentile among peers" testId="co-sc-percentiles">
        <Text size="sm" c="dimmed">
          Hidden: you opted out of peer comparison in your profile.
        </Text>
      </Panel>
    );
  const entries = METRICS.map((meta) => ({ meta, value: percentileOf(card, meta.key) })).filter(
    (entry): entry is { meta: (typeof METRICS)[number]; value: number } => entry.value !== null,
  );
  const peerCount = typeof card.percentiles?.peerCount === 'number' ? card.percentiles.peerCount : null;
  const asOf = typeof card.percentiles?.asOf === 'string' ? card.percentiles.asOf : null;
  return (
    <Panel
      title="Percentile among peers"
      description={`Where the agent stands among ${peerCount !== null ? `${peerCount} peers` : 'the peers'} over the 30 days before ${asOf ? formatDay(asOf) : 'the ranking'} (100th = best; for handle time, shorter ranks higher).`}
      testId="co-sc-percentiles"
    >
      {entries.length === 0 ? (
        <Alert variant="light" color="gray" icon={<IconChartLine size={16} />}>
          No ranking yet: percentiles are computed nightly once peers have metrics.
        </Alert>
      ) : (
        <Stack gap={8}>
          {entries.map(({ meta, value }) => (
            <Stack key={meta.key} gap={2}>
              <Group justify="space-between">
                <Text size="xs" fw={600}>
                  {meta.label}
                </Text>
                <Badge size="xs" variant="light" tt="none" color={value >= 75 ? 'teal' : value < 25 ? 'red' : 'gray'} className="co-num">
                  {formatPercentile(value)}
                </Badge>
              </Group>
              <Progress value={value} size="sm" color={value >= 75 ? 'teal' : value < 25 ? 'red' : 'indigo'} />
            </Stack>
          ))}
        </Stack>
      )}
      <Text size="xs" c="dimmed" mt="sm">
        <Anchor component={Link} to="/coaching" size="xs">
          Back to the team
        </Anchor>
      </Text>
    </Panel>
  );
}
