import { BarChart } from '@mantine/charts';
import {
  Alert,
  Badge,
  Box,
  Button,
  Center,
  EmptyState,
  Grid,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Skeleton,
  Spoiler,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconChartLine, IconInfoCircle, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { fieldErrorsFrom } from '../../../lib/field-errors';
import { useSession } from '../../auth/session';
import type { BacktestMetrics, BacktestReport, ConfusionMatrix } from '../api-types';
import { useLatestBacktest, useRunBacktest } from '../queries';
import { formatDuration } from '../../../lib/format';
import { addIsoDays, canManage, formatIsoDate, formatRate, LEVEL_NAMES, STATUS_META, todayIn } from '../shared/status';
import { Panel } from '../shared/status-ui';

const MAX_DAYS = 120;
const MAX_HORIZON = 7;

type MethodKey = 'model' | 'persistence' | 'seasonalNaive';
const METHOD_META: Record<MethodKey, { label: string; color: string; hint: string }> = {
  model: { label: 'Model', color: 'indigo.6', hint: 'The risk model (forecast of each KPI against its thresholds)' },
  persistence: { label: 'Persistence', color: 'gray.5', hint: 'Tomorrow looks like today: the latest evaluated status' },
  seasonalNaive: { label: 'Seasonal naive', color: 'teal.4', hint: 'The status of the same weekday one week earlier' },
};

const METRICS: { key: keyof Omit<BacktestMetrics, 'samples'>; label: string; hint: string }[] = [
  { key: 'accuracy', label: 'Accuracy', hint: 'Share of store × KPI × day samples whose status was predicted right' },
  { key: 'redRecall', label: 'Red recall', hint: 'Of the days that turned red, the share predicted red (missed reds hurt most)' },
  { key: 'redPrecision', label: 'Red precision', hint: 'Of the days predicted red, the share that were red (false alarms)' },
  { key: 'macroF1', label: 'Macro-F1', hint: 'Mean F1 over green, yellow and red: balanced quality across statuses' },
];

export function BacktestPage() {
  const me = useSession();
  const latest = useLatestBacktest();
  const report = latest.data ?? null;

  return (
    <Stack gap="lg">
      <PageHeader
        title="Backtest"
        description="Replays history day by day: what would the risk model have predicted, compared with a naive baseline on the very same samples, and how many alerts, tasks and calls the escalation rules would have produced."
      />
      {canManage(me.role) && <RunBacktestForm lastReport={report} />}
      {latest.isPending && <Skeleton h={360} radius="md" />}
      {latest.isError && <ErrorState error={latest.error} title="Could not load the latest backtest" onRetry={() => latest.refetch()} />}
      {latest.isSuccess && !report && (
        <Paper withBorder radius="md" p="xl">
          <Center>
            <EmptyState
              icon={<IconChartLine size={24} />}
              title="No backtest yet"
              description={canManage(me.role) ? 'Pick a period above and run the first one.' : 'A manager can run one from this page.'}
            />
          </Center>
        </Paper>
      )}
      {report && <BacktestReportView report={report} />}
    </Stack>
  );
}

function RunBacktestForm({ lastReport }: { lastReport: BacktestReport | null }) {
  const me = useSession();
  const yesterday = addIsoDays(todayIn(me.organization.timezone), -1);
  const [range, setRange] = useState<[string | null, string | null]>([lastReport?.from ?? addIsoDays(yesterday, -27), lastReport?.to ?? yesterday]);
  const [horizon, setHorizon] = useState<number>(lastReport?.horizonDays ?? 1);
  const run = useRunBacktest();
  const [from, to] = range;
  const days = from && to ? Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1 : 0;
  const tooLong = days > MAX_DAYS;
  const errors = fieldErrorsFrom(run.error, ['from', 'to', 'horizonDays'] as const);

  const handleRun = () => {
    if (!from || !to) return;
    run.mutate(
      { from, to, horizonDays: horizon },
      {
        onSuccess: (report) =>
          notifications.show({
            color: 'green',
            title: 'Backtest finished',
            message: `${report.samples.toLocaleString()} samples from ${formatIsoDate(report.from)} to ${formatIsoDate(report.to)}.`,
          }),
      },
    );
  };

  return (
    <Paper withBorder radius="md" p="md">
      <Group align="flex-end" gap="md" wrap="wrap">
        <DatePickerInput
          type="range"
          label="Period"
          w={280}
          value={range}
          onChange={setRange}
          maxDate={yesterday}
          valueFormat="MMM D, YYYY"
          error={tooLong ? `At most ${MAX_DAYS} days (this is ${days})` : (errors.fields.from ?? errors.fields.to)}
          data-testid="sh-backtest-range"
        />
        <NumberInput
          label="Horizon (days ahead)"
          w={170}
          min={1}
          max={MAX_HORIZON}
          allowDecimal={false}
          value={horizon}
          onChange={(value) => setHorizon(typeof value === 'number' ? value : 1)}
          error={errors.fields.horizonDays}
        />
        <Button
          leftSection={<IconPlayerPlay size={16} />}
          onClick={handleRun}
          loading={run.isPending}
          disabled={!from || !to || tooLong}
          data-testid="sh-backtest-run"
        >
          Run backtest
        </Button>
        <Text size="xs" c="dimmed" style={{ flex: 1, minWidth: 200 }}>
          {run.isPending ? 'Replaying every store and KPI; this can take a little while for long periods.' : days > 0 ? `${days} days` : ''}
        </Text>
      </Group>
      {run.isError && !errors.fields.from && !errors.fields.to && !errors.fields.horizonDays && (
        <Alert color="red" variant="light" mt="sm" p="xs">
          {errorMessage(run.error)}
        </Alert>
      )}
    </Paper>
  );
}

function BacktestReportView({ report }: { report: BacktestReport }) {
  const methods: MethodKey[] = report.seasonalNaive ? ['model', 'persistence', 'seasonalNaive'] : ['model', 'persistence'];
  return (
    <Stack gap="md" data-testid="sh-backtest-report">
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" gap="md">
          <Stack gap={2}>
            <Title order={2} fz="lg">
              {formatIsoDate(report.from)} – {formatIsoDate(report.to)}
            </Title>
            <Text size="sm" c="dimmed">
              {report.samples.toLocaleString()} samples
              {report.stores !== undefined ? ` · ${report.stores} stores` : ''}
              {report.series !== undefined ? ` · ${report.series.toLocaleString()} store × KPI series` : ''}
              {report.horizonDays !== undefined ? ` · predicting ${report.horizonDays} day${report.horizonDays === 1 ? '' : 's'} ahead` : ''}
            </Text>
          </Stack>
          <Group gap="xs">
            {report.modelVersion && (
              <Badge variant="default" radius="sm" tt="none" fw={500}>
                {report.modelVersion}
              </Badge>
            )}
            {report.ms !== undefined && (
              <Badge variant="default" radius="sm" tt="none" fw={500}>
                ran in {formatDuration(report.ms)}
              </Badge>
            )}
            {report.generatedAt && (
              <Text size="xs" c="dimmed">
                <DateTimeText value={report.generatedAt} relative size="xs" c="dimmed" />
              </Text>
            )}
          </Group>
        </Group>
        {report.skipped && (report.skipped.noActual > 0 || report.skipped.noPrediction > 0) && (
          <Text size="xs" c="dimmed" mt={6}>
            Skipped: {report.skipped.noActual.toLocaleString()} without an evaluated actual, {report.skipped.noPrediction.toLocaleString()} without enough
            history to predict.
          </Text>
        )}
      </Paper>

      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
        {METRICS.map((metric) => (
          <MetricCard key={metric.key} metric={metric} report={report} methods={methods} />
        ))}
      </SimpleGrid>

      <Panel
        title="Confusion matrices"
        description="Rows: what the status really was. Columns: what was predicted. The diagonal is right; red predicted green is the costly miss."
      >
        <SimpleGrid cols={{ base: 1, md: methods.length }} spacing="lg">
          {methods.map((method) => (
            <ConfusionTable key={method} title={METHOD_META[method].label} matrix={report.confusion[method] ?? {}} />
          ))}
        </SimpleGrid>
      </Panel>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Panel
            title="Escalation load per level"
            description={`What the active rules would have produced over the period${report.escalation.alertsOpened !== undefined ? `: ${report.escalation.alertsOpened} alerts opened` : ''}${report.escalation.rulesFired !== undefined ? `, ${report.escalation.rulesFired} rule firings` : ''}.`}
          >
            <BarChart
              h={220}
              data={report.escalation.levels.map((level) => ({
                level: `L${level.level} ${LEVEL_NAMES[level.level] ?? ''}`.trim(),
                alerts: level.alerts,
                tasks: level.tasks,
                calls: level.calls,
              }))}
              dataKey="level"
              series={[
                { name: 'alerts', label: 'Alerts', color: 'red.5' },
                { name: 'tasks', label: 'Tasks', color: 'blue.5' },
                { name: 'calls', label: 'Calls', color: 'violet.5' },
              ]}
              withLegend
              legendProps={{ verticalAlign: 'bottom' }}
              tickLine="none"
              xAxisProps={{ fontSize: 11, interval: 0, tickFormatter: (label: string) => label.split(' ')[0] ?? label }}
              data-testid="sh-backtest-escalation-chart"
            />
          </Panel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Panel title="Per level" padding="md">
            <Table verticalSpacing={6} fz="sm" data-testid="sh-backtest-levels">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Level</Table.Th>
                  <Table.Th ta="right">Alerts</Table.Th>
                  <Table.Th ta="right">Tasks</Table.Th>
                  <Table.Th ta="right">Calls</Table.Th>
                  {report.escalation.levels.some((level) => level.escalations !== undefined) && <Table.Th ta="right">Escalations</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.escalation.levels.map((level) => (
                  <Table.Tr key={level.level}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        L{level.level}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {LEVEL_NAMES[level.level]}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{level.alerts}</Table.Td>
                    <Table.Td ta="right">{level.tasks}</Table.Td>
                    <Table.Td ta="right">{level.calls}</Table.Td>
                    {level.escalations !== undefined && <Table.Td ta="right">{level.escalations}</Table.Td>}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Panel>
        </Grid.Col>
      </Grid>

      {report.protocol && (
        <Paper withBorder radius="md" p="md" bg="gray.0">
          <Group gap={6} mb={6}>
            <IconInfoCircle size={16} color="var(--mantine-color-gray-6)" />
            <Text size="sm" fw={650}>
              How this was measured
            </Text>
            <Text size="xs" c="dimmed">
              training window {report.protocol.trainingWindowDays} days · refit every {report.protocol.refitEveryDays} day
              {report.protocol.refitEveryDays === 1 ? '' : 's'}
            </Text>
          </Group>
          <Spoiler maxHeight={44} showLabel="Show more" hideLabel="Show less">
            <Text size="xs" c="dimmed" lh={1.6}>
              {report.protocol.description}
            </Text>
          </Spoiler>
        </Paper>
      )}
    </Stack>
  );
}

function MetricCard({ metric, report, methods }: { metric: (typeof METRICS)[number]; report: BacktestReport; methods: MethodKey[] }) {
  const model = report.model[metric.key];
  const persistence = report.persistence[metric.key];
  const delta = model !== null && persistence !== null ? (model - persistence) * 100 : null;
  return (
    <Paper withBorder radius="md" p="md" data-testid={`sh-backtest-metric-${metric.key}`}>
      <Tooltip label={metric.hint} withArrow multiline w={240}>
        <Text size="xs" c="dimmed" fw={700} tt="uppercase" style={{ letterSpacing: 0.4, cursor: 'help' }}>
          {metric.label}
        </Text>
      </Tooltip>
      <Group gap={8} align="baseline" mt={4}>
        <Text fz={26} fw={800} lh={1.1} c="indigo.7" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatRate(model)}
        </Text>
        {delta !== null && (
          <Tooltip label="Model minus persistence, in percentage points" withArrow>
            <Badge size="sm" radius="sm" variant="light" color={delta > 0.05 ? 'green' : delta < -0.05 ? 'red' : 'gray'} tt="none">
              {delta > 0 ? '+' : delta < 0 ? '−' : '±'}
              {Math.abs(delta).toFixed(1)} pts vs persistence
            </Badge>
          </Tooltip>
        )}
      </Group>
      <Stack gap={6} mt="sm">
        {methods.map((method) => {
          const value = report[method]?.[metric.key] ?? null;
          return (
            <Tooltip key={method} label={METHOD_META[method].hint} withArrow openDelay={300}>
              <Box>
                <Group justify="space-between" gap={4}>
                  <Text size="xs" c={method === 'model' ? 'dark' : 'dimmed'} fw={method === 'model' ? 600 : 400}>
                    {METHOD_META[method].label}
                  </Text>
                  <Text size="xs" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {formatRate(value)}
                  </Text>
                </Group>
                <Box h={6} bg="gray.1" style={{ borderRadius: 3, overflow: 'hidden' }}>
                  <Box h="100%" w={`${Math.max(0, Math.min(1, value ?? 0)) * 100}%`} bg={METHOD_META[method].color} />
                </Box>
              </Box>
            </Tooltip>
          );
        })}
      </Stack>
    </Paper>
  );
}

const MATRIX_STATUSES = ['green', 'yellow', 'red'] as const;

function ConfusionTable({ title, matrix }: { title: string; matrix: ConfusionMatrix }) {
  const total = MATRIX_STATUSES.reduce((sum, actual) => sum + MATRIX_STATUSES.reduce((row, predicted) => row + (matrix[actual]?.[predicted] ?? 0), 0), 0);
  return (
    <Stack gap={6} data-testid="sh-confusion">
      <Text size="sm" fw={650}>
        {title}
      </Text>
      <Table withTableBorder withColumnBorders fz="sm" verticalSpacing={6} ta="center" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={96} fz={10} c="dimmed" ta="left">
              actual ↓ / predicted →
            </Table.Th>
            {MATRIX_STATUSES.map((status) => (
              <Table.Th key={status} ta="center">
                {STATUS_META[status].label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {MATRIX_STATUSES.map((actual) => {
            const rowTotal = MATRIX_STATUSES.reduce((sum, predicted) => sum + (matrix[actual]?.[predicted] ?? 0), 0);
            return (
              <Table.Tr key={actual}>
                <Table.Th ta="left">{STATUS_META[actual].label}</Table.Th>
                {MATRIX_STATUSES.map((predicted) => {
                  const count = matrix[actual]?.[predicted] ?? 0;
                  const share = rowTotal > 0 ? count / rowTotal : 0;
                  const correct = actual === predicted;
                  // Darker = larger share of the actual row: right answers in indigo, mistakes in red.
                  const tint = correct ? `rgba(76, 110, 245, ${0.08 + share * 0.5})` : `rgba(250, 82, 82, ${share * 0.55})`;
                  return (
                    <Table.Td key={predicted} style={{ background: count > 0 ? tint : undefined }}>
                      <Tooltip label={`${count.toLocaleString()} of ${rowTotal.toLocaleString()} actual ${actual} (${(share * 100).toFixed(1)}%)`} withArrow>
                        <Stack gap={0}>
                          <Text size="sm" fw={correct ? 700 : 500} style={{ fontVariantNumeric: 'tabular-nums' }}>
                            {count.toLocaleString()}
                          </Text>
                          <Text fz={10} c="dimmed">
                            {rowTotal > 0 ? `${Math.round(share * 100)}%` : '—'}
                          </Text>
                        </Stack>
                      </Tooltip>
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {total.toLocaleString()} samples
      </Text>
    </Stack>
  );
}
