import { LineChart } from '@mantine/charts';
import { Alert, Button, Grid, Group, Paper, Progress, SegmentedControl, Select, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileImport, IconMathFunction, IconTrendingUp } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import type { UpliftCoefficient } from '../api-types';
import { rowsOf, useFitUplift, useUpliftCoefficients, useUpliftHistory } from '../queries';
import { canEdit, channelLabel, formatCount, formatSignedPct } from '../shared/format';
import { EmptyPanel, Panel } from '../shared/ui';

const SOURCE_META: Record<string, { color: string; label: string; hint: string }> = {
  prior: { color: 'gray', label: 'prior', hint: 'Configured starting value' },
  history: { color: 'blue', label: 'history', hint: 'Fitted from past promo days against the baseline' },
  learned: { color: 'grape', label: 'learned', hint: 'Updated by a post-mortem, shrunk towards the previous value by sample size' },
};

type Key = { department: string; channel: string; discountBand: string };
const keyOf = (row: Key) => `${row.department}|${row.channel}|${row.discountBand}`;
const BAND_ORDER = ['0-10', '10-20', '20-30', '30+'];

export function UpliftPage() {
  const me = useSession();
  const coefficients = useUpliftCoefficients();
  const fit = useFitUplift();
  const rows = rowsOf<UpliftCoefficient>(coefficients.data);
  const [department, setDepartment] = useState<string | null>(null);
  const [channel, setChannel] = useState<string>('all');
  const [selected, setSelected] = useState<Key | null>(null);
  const departments = [...new Set(rows.map((row) => row.department))].sort();
  const shown = rows
    .filter((row) => (!department || row.department === department) && (channel === 'all' || row.channel === channel))
    .sort(
      (a, b) =>
        a.department.localeCompare(b.department) ||
        a.channel.localeCompare(b.channel) ||
        BAND_ORDER.indexOf(a.discountBand) - BAND_ORDER.indexOf(b.discountBand),
    );
  const active = selected ?? (shown[0] ? { department: shown[0].department, channel: shown[0].channel, discountBand: shown[0].discountBand } : null);
  const versions = [...new Set(rows.map((row) => row.modelVersion))];

  const runFit = () =>
    fit.mutate(undefined, {
      onSuccess: (result) => {
        const r = result as { modelVersion?: string | null; coefficients?: unknown[]; promoDays?: number };
        notifications.show({
          color: r.modelVersion ? 'green' : 'orange',
          title: r.modelVersion ? `Fitted ${r.modelVersion}` : 'Nothing to fit',
          message: r.modelVersion
            ? `${r.coefficients?.length ?? 0} coefficients from ${r.promoDays ?? 0} promo days.`
            : 'The history has no promo days against a baseline yet.',
        });
      },
    });

  return (
    <Stack gap="lg" data-testid="pr-uplift-page">
      <PageHeader
        title="Uplift coefficients"
        description="How much a discount lifts sales, per department × channel × discount band: the numbers every scenario forecast uses. Each post-mortem adds a new version, so the history shows what the business has learned."
        actions={
          canEdit(me.role) ? (
            <Button variant="default" leftSection={<IconMathFunction size={16} />} loading={fit.isPending} onClick={runFit} data-testid="pr-uplift-fit">
              Fit from sales history
            </Button>
          ) : undefined
        }
      />
      {fit.isError && (
        <Alert color="red" variant="light" title="Could not fit the coefficients">
          {errorMessage(fit.error)}
        </Alert>
      )}
      {coefficients.isError && <ErrorState error={coefficients.error} title="Could not load the coefficients" onRetry={() => coefficients.refetch()} />}
      {coefficients.isPending && <Skeleton h={420} radius="md" />}
      {coefficients.isSuccess && rows.length === 0 && (
        <EmptyPanel
          icon={IconTrendingUp}
          title="No uplift coefficients yet"
          testId="pr-uplift-empty"
          action={
            <Group gap="sm">
              <Button component={Link} to="/promotions/imports" variant="default" leftSection={<IconFileImport size={16} />}>
                Import sales
              </Button>
              {canEdit(me.role) && (
                <Button leftSection={<IconMathFunction size={16} />} loading={fit.isPending} onClick={runFit}>
                  Fit from sales history
                </Button>
              )}
            </Group>
          }
        >
          Scenarios use built-in priors until coefficients exist. Fit them from the promo days in your sales history; post-mortems refine them afterwards.
        </EmptyPanel>
      )}
      {rows.length > 0 && (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <Panel padding={0}>
              <Group gap="sm" p="sm" justify="space-between">
                <Group gap="sm">
                  <Select
                    size="xs"
                    w={200}
                    placeholder="All departments"
                    clearable
                    data={departments}
                    value={department}
                    onChange={setDepartment}
                    aria-label="Department"
                  />
                  <SegmentedControl
                    size="xs"
                    value={channel}
                    onChange={setChannel}
                    data={[
                      { value: 'all', label: 'All' },
                      { value: 'online', label: 'Online' },
                      { value: 'offline', label: 'Stores' },
                    ]}
                  />
                </Group>
                <Text size="xs" c="dimmed">
                  {shown.length} coefficients · versions {versions.slice(0, 6).join(', ')}
                  {versions.length > 6 ? '…' : ''}
                </Text>
              </Group>
              <Table.ScrollContainer minWidth={640} mah={620} type="native">
                <Table stickyHeader verticalSpacing={6} horizontalSpacing="sm" fz="sm" highlightOnHover data-testid="pr-uplift-table">
                  <Table.Thead bg="white">
                    <Table.Tr>
                      <Table.Th>Line</Table.Th>
                      <Table.Th>Discount</Table.Th>
                      <Table.Th ta="right">Uplift</Table.Th>
                      <Table.Th ta="right">Margin impact</Table.Th>
                      <Table.Th w={110}>Confidence</Table.Th>
                      <Table.Th ta="right">Sample</Table.Th>
                      <Table.Th>Version</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shown.map((row) => {
                      const isActive = active !== null && keyOf(row) === keyOf(active);
                      const source = SOURCE_META[row.source] ?? { color: 'gray', label: row.source, hint: row.source };
                      return (
                        <Table.Tr
                          key={row.id}
                          className="pr-clickable-row"
                          bg={isActive ? 'pink.0' : undefined}
                          onClick={() => setSelected({ department: row.department, channel: row.channel, discountBand: row.discountBand })}
                          data-testid={`pr-uplift-row-${keyOf(row)}`}
                        >
                          <Table.Td>
                            <Text size="sm" fw={600} lh={1.2}>
                              {row.department}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {channelLabel(row.channel)}
                            </Text>
                          </Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>{row.discountBand} %</Table.Td>
                          <Table.Td ta="right" className="pr-num" fw={650} c={row.upliftSalesPct >= 0 ? 'teal.8' : 'red.7'}>
                            {formatSignedPct(row.upliftSalesPct)}
                          </Table.Td>
                          <Table.Td ta="right" className="pr-num" c={row.marginImpactPct >= 0 ? undefined : 'red.7'}>
                            {formatSignedPct(row.marginImpactPct)}
                          </Table.Td>
                          <Table.Td>
                            <Tooltip label={`Confidence ${row.confidence?.toFixed(2) ?? '—'}`} withArrow>
                              <Progress
                                value={(row.confidence ?? 0) * 100}
                                color={(row.confidence ?? 0) >= 0.6 ? 'teal' : (row.confidence ?? 0) >= 0.3 ? 'yellow' : 'red'}
                                size="sm"
                                radius="xl"
                              />
                            </Tooltip>
                          </Table.Td>
                          <Table.Td ta="right" className="pr-num">
                            {formatCount(row.sampleSize)}
                          </Table.Td>
                          <Table.Td>
                            <Group gap={4} wrap="nowrap">
                              <Text size="sm" fw={600}>
                                {row.modelVersion}
                              </Text>
                              <Tooltip label={source.hint} withArrow>
                                <Text size="xs" c={`${source.color}.7`} fw={600}>
                                  {source.label}
                                </Text>
                              </Tooltip>
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Panel>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <div style={{ position: 'sticky', top: 72 }}>{active && <CoefficientHistory coefficientKey={active} />}</div>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}

function CoefficientHistory({ coefficientKey }: { coefficientKey: Key }) {
  const history = useUpliftHistory(coefficientKey);
  const rows = rowsOf<UpliftCoefficient>(history.data);
  const title = `${coefficientKey.department} · ${channelLabel(coefficientKey.channel)} · ${coefficientKey.discountBand} %`;
  return (
    <Panel title="History" description={title} testId="pr-uplift-history">
      {history.isError ? (
        <ErrorState error={history.error} />
      ) : history.isPending ? (
        <Skeleton h={320} />
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No versions.
        </Text>
      ) : (
        <Stack gap="sm">
          {rows.length > 1 ? (
            <LineChart
              h={180}
              data={rows.map((row) => ({ version: row.modelVersion, uplift: row.upliftSalesPct, margin: row.marginImpactPct }))}
              dataKey="version"
              withLegend
              legendProps={{ verticalAlign: 'top', height: 26 }}
              curveType="linear"
              valueFormatter={(value) => `${value.toFixed(1)} %`}
              yAxisProps={{ width: 44, tickFormatter: (value: number) => `${Math.round(value)}%` }}
              series={[
                { name: 'uplift', color: 'pink.6', label: 'Uplift %' },
                { name: 'margin', color: 'gray.6', label: 'Margin impact %' },
              ]}
            />
          ) : (
            <Paper bg="gray.0" p="sm" radius="sm">
              <Text size="xs" c="dimmed">
                One version so far; a post-mortem of a promotion on this line adds the next.
              </Text>
            </Paper>
          )}
          <Table fz="xs" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th ta="right">Uplift</Table.Th>
                <Table.Th ta="right">Conf.</Table.Th>
                <Table.Th ta="right">Sample</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...rows].reverse().map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" title={new Date(row.createdAt).toLocaleString()}>
                      <Text size="xs" fw={650}>
                        {row.modelVersion}
                      </Text>
                      <Text size="xs" c={`${SOURCE_META[row.source]?.color ?? 'gray'}.7`} fw={600}>
                        {row.source}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {formatSignedPct(row.upliftSalesPct)}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {row.confidence?.toFixed(2) ?? '—'}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {formatCount(row.sampleSize)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Panel>
  );
}
