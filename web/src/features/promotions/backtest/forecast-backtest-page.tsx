import { BarChart } from '@mantine/charts';
import { Alert, Badge, Button, ColorSwatch, Group, NumberInput, Paper, Progress, SimpleGrid, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChartDots3, IconPlayerPlay } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { formatDuration } from '../../../lib/format';
import { useSession } from '../../auth/session';
import type { Backtest, BacktestProgress, BacktestSummary, ModelScore, SeriesBacktestResult } from '../api-types';
import { backtestInFlight, useBacktest, useLatestBacktest, useRunBacktest, useRunningBacktest } from '../queries';
import { canManage, channelLabel } from '../shared/format';
import { EmptyPanel, Panel, StatTile } from '../shared/ui';

export const MODEL_META: Record<string, { label: string; color: string; hint: string }> = {
  seasonal_naive: { label: 'Seasonal naive', color: 'gray.5', hint: 'The value 7 days earlier, stepping back over promo and dip days' },
  dow_average: {
    label: 'Weekday average',
    color: 'teal.5',
    hint: 'Weekday average of non-promo days up to the training end (the seed rule, without look-ahead)',
  },
  mstl: { label: 'MSTL', color: 'indigo.6', hint: 'MSTL (augurs): weekly and yearly seasonality with an AutoETS trend, on promo-imputed sales' },
  mstl_log: { label: 'MSTL (log)', color: 'violet.6', hint: 'MSTL on log sales (multiplicative seasonality)' },
  prophet: { label: 'Prophet', color: 'orange.7', hint: 'Prophet with holidays and promo regressors' },
  seed_dow_sql: {
    label: 'Seed SQL baseline',
    color: 'orange.5',
    hint: 'promotions.calculate_baseline_forecast as written (weekday average of every non-promo row, no training end)',
  },
};

const modelLabel = (model: string | null | undefined) => (model ? (MODEL_META[model]?.label ?? model) : '—');

const fmtWape = (value: number | null | undefined) => (typeof value === 'number' ? `${(value * 100).toFixed(1)} %` : '—');
const fmtMase = (value: number | null | undefined) => (typeof value === 'number' ? value.toFixed(2) : '—');

function hasSummary(summary: Backtest['summary']): summary is BacktestSummary {
  return typeof summary === 'object' && summary !== null && 'models' in summary;
}

export function ForecastBacktestPage() {
  const me = useSession();
  const latest = useLatestBacktest();
  const run = useRunBacktest();
  const runningElsewhere = useRunningBacktest();
  const [startedId, setStartedId] = useState<string | null>(null);
  const [horizon, setHorizon] = useState<number>(28);
  const [folds, setFolds] = useState<number>(4);
  // The run this page follows: the one it started, else one already running when it opened (e.g. after a reload).
  const followedId = startedId ?? runningElsewhere.data?.id ?? null;
  const followed = useBacktest(followedId);
  const current = followed.data ?? null;
  const inFlight = backtestInFlight(current);
  const report = current && current.status === 'completed' ? current : (latest.data ?? null);

  // Tell once when the run this page started ends.
  const told = useRef<string | null>(null);
  useEffect(() => {
    if (!current || current.id !== startedId || inFlight || told.current === current.id) return;
    told.current = current.id;
    if (current.status === 'completed') {
      notifications.show({
        color: 'green',
        title: 'Backtest finished',
        message: `${current.results.length} series scored${hasSummary(current.summary) ? ` in ${formatDuration(current.summary.ms)}` : ''}.`,
      });
    } else {
      notifications.show({ color: 'red', title: 'Backtest failed', message: current.errorMessage ?? `The backtest ended as ${current.status}.` });
    }
  }, [current, inFlight, startedId]);

  const handleRun = () => run.mutate({ horizon, folds }, { onSuccess: (started) => setStartedId(started.id) });
  const busy = run.isPending || inFlight;

  return (
    <Stack gap="lg" data-testid="pr-backtest-page">
      <PageHeader
        title="Forecast backtest"
        description="How well does the baseline predict sales without a promotion? A rolling-origin backtest trains each model on the past, forecasts the next weeks and scores the clean (non-promo) days. The best model per department × channel becomes its baseline."
      />
      <Paper withBorder radius="md" p="md">
        <Group align="flex-end" gap="md">
          <NumberInput
            label="Horizon (days)"
            w={150}
            min={7}
            max={91}
            value={horizon}
            onChange={(value) => setHorizon(typeof value === 'number' ? value : 28)}
          />
          <NumberInput label="Folds (origins)" w={150} min={1} max={12} value={folds} onChange={(value) => setFolds(typeof value === 'number' ? value : 4)} />
          <Tooltip label="Staff, managers and admins run backtests" disabled={canManage(me.role) || me.role === 'staff'} withArrow>
            <Button leftSection={<IconPlayerPlay size={16} />} onClick={handleRun} loading={busy} disabled={me.role === 'viewer'} data-testid="pr-backtest-run">
              Run backtest
            </Button>
          </Tooltip>
          <Text size="xs" c="dimmed" style={{ flex: 1, minWidth: 200 }}>
            {busy
              ? 'Fitting every model on every department × channel for each origin; this takes a little while — you may leave the page and come back.'
              : `Scores ${folds} origin${folds === 1 ? '' : 's'} × ${horizon} days per series.`}
          </Text>
        </Group>
        {run.isError && (
          <Alert color="red" variant="light" mt="sm" data-testid="pr-backtest-start-error">
            {errorMessage(run.error)}
          </Alert>
        )}
        {current && inFlight && <RunProgress run={current} />}
        {current && !inFlight && current.status !== 'completed' && (
          <Alert color="red" variant="light" mt="sm" title="The backtest failed" data-testid="pr-backtest-failed">
            {current.errorMessage ?? `It ended as ${current.status}.`}
          </Alert>
        )}
        {followed.isError && (
          <Alert color="red" variant="light" mt="sm">
            Could not follow the running backtest: {errorMessage(followed.error)}
          </Alert>
        )}
      </Paper>
      {latest.isError && <ErrorState error={latest.error} title="Could not load the latest backtest" onRetry={() => latest.refetch()} />}
      {latest.isPending && !report && <Skeleton h={360} radius="md" />}
      {latest.isSuccess && !report && !inFlight && (
        <EmptyPanel icon={IconChartDots3} title="No backtest yet" testId="pr-backtest-empty">
          Run the first one above. It needs at least eight weeks of sales history per department and channel — import sales first if the explorer is empty.
        </EmptyPanel>
      )}
      {report && <BacktestReport report={report} />}
    </Stack>
  );
}

function seriesLabel(series: string | null): string {
  if (!series) return '';
  const [department, channel] = series.split('|');
  return `${department} · ${channelLabel(channel ?? '')}`;
}

/** Where a running backtest is: series done of total, and the one being fitted. */
function RunProgress({ run }: { run: Backtest }) {
  const progress = run.parameters.progress as BacktestProgress | undefined;
  const total = progress?.total ?? 0;
  const done = Math.min(progress?.current ?? 0, total);
  const value = progress?.step === 'forecasts' ? 100 : total > 0 ? (done / total) * 100 : 0;
  const label =
    progress?.step === 'forecasts'
      ? 'All series scored; storing the forecasts of the chosen models…'
      : !progress || progress.step === 'starting'
        ? 'Loading the sales history and the models…'
        : progress && total > 0 && done < total
          ? `Fitting ${seriesLabel(progress.series) || 'the next series'} (${done + 1} of ${total})`
          : 'Loading the sales history…';
  return (
    <Stack gap={6} mt="md" data-testid="pr-backtest-progress" data-step={progress?.step ?? 'starting'}>
      <Group justify="space-between">
        <Text size="sm" fw={600} data-testid="pr-backtest-progress-label">
          {label}
        </Text>
        <Text size="xs" c="dimmed" className="pr-num">
          {done} / {total || '?'} series · started <DateTimeText value={run.startedAt} relative size="xs" c="dimmed" span />
        </Text>
      </Group>
      <Progress value={value} size="lg" radius="sm" animated striped aria-label="Backtest progress" />
    </Stack>
  );
}

function BacktestReport({ report }: { report: Backtest }) {
  const summary = hasSummary(report.summary) ? report.summary : null;
  const models = summary ? Object.keys(summary.models).sort((a, b) => order(a) - order(b)) : [];
  const naive = summary?.models.seasonal_naive;
  const seed = summary?.models.seed_dow_sql;
  const chartRows = summary
    ? [
        { model: 'Chosen per series', wape: pct(summary.chosen.wape) },
        ...models.map((model) => ({ model: modelLabel(model), wape: pct(summary.models[model]?.wape) })),
      ]
    : [];
  return (
    <Stack gap="md" data-testid="pr-backtest-report">
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between">
          <Stack gap={2}>
            <Text fw={650}>
              {report.results.length} series · {String(report.parameters.folds ?? '?')} folds × {String(report.parameters.horizon ?? '?')} days
            </Text>
            <Text size="xs" c="dimmed">
              {report.status === 'completed' ? 'Completed' : report.status}{' '}
              <DateTimeText value={report.completedAt ?? report.startedAt} relative size="xs" c="dimmed" span />
              {summary ? ` · ran in ${formatDuration(summary.ms)}` : ''}
            </Text>
          </Stack>
          {summary && (
            <Group gap={6}>
              {Object.entries(summary.chosenCounts).map(([model, count]) => (
                <Badge key={model} variant="light" color={(MODEL_META[model]?.color ?? 'gray').split('.')[0]} radius="sm" tt="none">
                  {modelLabel(model)} chosen for {count}
                </Badge>
              ))}
            </Group>
          )}
        </Group>
        {report.errorMessage && (
          <Alert color="red" variant="light" mt="sm">
            {report.errorMessage}
          </Alert>
        )}
      </Paper>
      {summary && (
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <StatTile
            label="Chosen models · WAPE"
            value={fmtWape(summary.chosen.wape)}
            note={`MASE ${fmtMase(summary.chosen.mase)} · ${summary.chosen.days.toLocaleString()} days`}
            testId="pr-bt-chosen"
            hint="Weighted absolute percentage error over every scored day: lower is better."
          />
          <StatTile label="Seasonal naive · WAPE" value={fmtWape(naive?.wape)} note={`MASE ${fmtMase(naive?.mase)}`} testId="pr-bt-naive" />
          <StatTile label="Seed weekday baseline · WAPE" value={fmtWape(seed?.wape)} note={`MASE ${fmtMase(seed?.mase)}`} testId="pr-bt-seed" />
        </SimpleGrid>
      )}
      {summary && (
        <Panel title="Error by model (WAPE, all series)" description="Lower is better. “Chosen per series” pools each series' best model.">
          <BarChart
            h={Math.max(140, chartRows.length * 32 + 30)}
            data={chartRows}
            dataKey="model"
            orientation="vertical"
            gridAxis="none"
            yAxisProps={{ width: 140, fontSize: 12 }}
            valueFormatter={(value) => `${value.toFixed(1)} %`}
            withBarValueLabel
            series={[{ name: 'wape', color: 'indigo.6', label: 'WAPE' }]}
          />
        </Panel>
      )}
      <Panel
        title="Per series"
        description="Each department × channel: the model chosen and every model's WAPE / MASE on the same days. Best WAPE in bold."
        padding={0}
      >
        <SeriesTable results={report.results} models={models.length > 0 ? models : ['seasonal_naive', 'dow_average', 'mstl', 'mstl_log', 'seed_dow_sql']} />
      </Panel>
    </Stack>
  );
}

const ORDER = ['seasonal_naive', 'dow_average', 'mstl', 'mstl_log', 'prophet', 'seed_dow_sql'];
const order = (model: string) => (ORDER.includes(model) ? ORDER.indexOf(model) : 99);
const pct = (value: number | null | undefined) => (typeof value === 'number' ? Math.round(value * 1000) / 10 : 0);

function SeriesTable({ results, models }: { results: SeriesBacktestResult[]; models: string[] }) {
  return (
    <Table.ScrollContainer minWidth={900} type="native">
      <Table verticalSpacing={6} horizontalSpacing="md" fz="sm" striped data-testid="pr-backtest-series">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Series</Table.Th>
            <Table.Th>Chosen</Table.Th>
            {models.map((model) => (
              <Table.Th key={model} ta="right">
                <Tooltip label={MODEL_META[model]?.hint ?? model} withArrow multiline w={260}>
                  <span>{modelLabel(model)}</span>
                </Tooltip>
              </Table.Th>
            ))}
            <Table.Th ta="right">Days</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {results.map((result) => {
            const best = bestModel(result.models);
            return (
              <Table.Tr key={`${result.department}-${result.channel}`}>
                <Table.Td>
                  <Text size="sm" fw={600} lh={1.2}>
                    {result.department}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {channelLabel(result.channel)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <ColorSwatch
                      size={10}
                      color={`var(--mantine-color-${(MODEL_META[result.chosen ?? '']?.color ?? 'gray.5').replace('.', '-')})`}
                      withShadow={false}
                    />
                    <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                      {modelLabel(result.chosen)}
                    </Text>
                  </Group>
                </Table.Td>
                {models.map((model) => {
                  const score: ModelScore | null | undefined = result.models[model];
                  return (
                    <Table.Td key={model} ta="right" className="pr-num" fw={model === best ? 750 : 400}>
                      {score ? (
                        <>
                          {fmtWape(score.wape)}
                          <Text span size="xs" c="dimmed" ml={6}>
                            {fmtMase(score.mase)}
                          </Text>
                        </>
                      ) : (
                        <Text span size="xs" c="dimmed">
                          not fitted
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
                <Table.Td ta="right" className="pr-num">
                  {result.scoredDays}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function bestModel(models: Record<string, ModelScore | null>): string | null {
  let best: string | null = null;
  let bestWape = Infinity;
  for (const [model, score] of Object.entries(models)) {
    if (score?.wape !== null && score?.wape !== undefined && score.wape < bestWape) {
      best = model;
      bestWape = score.wape;
    }
  }
  return best;
}
