import { BarChart } from '@mantine/charts';
import { Alert, Anchor, Badge, Group, MultiSelect, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconArrowsDiff, IconStar } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import type { ComparisonRow, Scenario, ValidationStatus } from '../api-types';
import { rowsOf, useComparison, useScenarios } from '../queries';
import { asNumber, asString, formatCount, formatMoney, formatPct, formatPeriod, formatSignedMoney, scenarioTypeLabel } from '../shared/format';
import { EmptyPanel, Panel, ValidationBadge } from '../shared/ui';

/** The view's columns arrive camelCased; raw snake_case is read too. */
function field(row: ComparisonRow, camel: string): unknown {
  if (camel in row) return row[camel];
  const snake = camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return row[snake];
}
const num = (row: ComparisonRow, key: string) => asNumber(field(row, key));

type Metric = {
  label: string;
  hint?: string;
  value: (row: ComparisonRow) => number | null;
  format: (value: number | null) => ReactNode;
  /** Which value wins the row; null: no highlight. */
  better: 'high' | 'low' | null;
};

const VALIDATION_RANK: Record<string, number> = { PASS: 3, WARN: 2, BLOCK: 1 };

const METRICS: Metric[] = [
  { label: 'Sales', value: (row) => num(row, 'totalSalesValue'), format: formatMoney, better: 'high' },
  { label: 'Sales vs baseline', value: (row) => num(row, 'salesValueDelta'), format: formatSignedMoney, better: 'high' },
  { label: 'Margin', value: (row) => num(row, 'totalMarginValue'), format: formatMoney, better: 'high' },
  { label: 'Margin vs baseline', value: (row) => num(row, 'marginValueDelta'), format: formatSignedMoney, better: 'high' },
  { label: 'Margin %', value: (row) => num(row, 'totalMarginPct'), format: (value) => formatPct(value), better: 'high' },
  {
    label: 'Margin on extra sales',
    value: (row) => num(row, 'incrementalMarginPct'),
    format: (value) => formatPct(value),
    better: 'high',
  },
  { label: 'EBIT', value: (row) => num(row, 'totalEbit'), format: formatMoney, better: 'high' },
  { label: 'EBIT vs baseline', value: (row) => num(row, 'ebitDelta'), format: formatSignedMoney, better: 'high' },
  { label: 'Units', value: (row) => num(row, 'totalUnits'), format: formatCount, better: 'high' },
  {
    label: 'Units vs baseline',
    value: (row) => num(row, 'unitsDelta'),
    format: (value) => (value === null ? '—' : `${value >= 0 ? '+' : '−'}${formatCount(Math.abs(value))}`),
    better: 'high',
  },
  { label: 'Validation score', value: (row) => num(row, 'overallScore'), format: (value) => (value === null ? '—' : `${value}/100`), better: 'high' },
];

function bestIndex(values: (number | null)[], better: 'high' | 'low' | null): number | null {
  if (!better) return null;
  let best: number | null = null;
  values.forEach((value, index) => {
    if (value === null) return;
    const current = best === null ? null : values[best];
    if (current === null || current === undefined || (better === 'high' ? value > current : value < current)) best = index;
  });
  // No highlight when every value ties.
  if (
    best !== null &&
    values.filter((value) => value !== null && value === values[best as number]).length === values.filter((value) => value !== null).length &&
    values.length > 1
  )
    return null;
  return best;
}

export function ComparisonPage() {
  const [params, setParams] = useSearchParams();
  const ids = (params.get('ids') ?? '').split(',').filter(Boolean).slice(0, 4);
  const scenarios = useScenarios();
  const all = rowsOf<Scenario>(scenarios.data);
  const comparison = useComparison(ids);
  const byId = new Map((comparison.data?.data ?? []).map((row) => [asString(field(row, 'scenarioId')) ?? asString(row.id) ?? '', row]));
  const rows = ids.map((id) => byId.get(id)).filter((row): row is ComparisonRow => Boolean(row));

  return (
    <Stack gap="lg" data-testid="pr-comparison-page">
      <PageHeader
        title="Comparison"
        description="Two to four scenarios side by side: their forecast KPIs, the change against the baseline, and their validation. The best value of each row is highlighted."
      />
      <Paper withBorder radius="md" p="md">
        <MultiSelect
          label="Scenarios to compare"
          placeholder={ids.length >= 4 ? undefined : 'Pick scenarios'}
          data={all.map((scenario) => ({ value: scenario.id, label: `${scenario.label} · ${formatPeriod(scenario.dateRangeStart, scenario.dateRangeEnd)}` }))}
          value={ids}
          onChange={(value) => setParams(value.length > 0 ? { ids: value.slice(0, 4).join(',') } : {}, { replace: true })}
          maxValues={4}
          searchable
          clearable
          nothingFoundMessage={scenarios.isPending ? 'Loading…' : 'No scenario matches'}
          data-testid="pr-comparison-pick"
        />
      </Paper>
      {ids.length < 2 && (
        <EmptyPanel icon={IconArrowsDiff} title="Pick at least two scenarios" testId="pr-comparison-empty">
          {all.length < 2 ? (
            <>
              There {all.length === 1 ? 'is one scenario' : 'are no scenarios'} yet.{' '}
              <Anchor component={Link} to="/promotions/opportunities">
                Plan scenarios from an opportunity
              </Anchor>{' '}
              or{' '}
              <Anchor component={Link} to="/promotions/scenarios/new">
                build one
              </Anchor>
              .
            </>
          ) : (
            'Choose them above, or tick them in the scenario list.'
          )}
        </EmptyPanel>
      )}
      {ids.length >= 2 && comparison.isError && (
        <ErrorState error={comparison.error} title="Could not compare these scenarios" onRetry={() => comparison.refetch()} />
      )}
      {ids.length >= 2 && comparison.isPending && <Skeleton h={420} radius="md" />}
      {ids.length >= 2 && comparison.isSuccess && rows.length < ids.length && (
        <Text size="sm" c="orange.8">
          {ids.length - rows.length} of the chosen scenarios no longer exist{rows.length > 0 ? ' and are left out' : ''}.
        </Text>
      )}
      {rows.length >= 2 && comparison.data?.reason && (
        <Alert
          color={comparison.data.recommendedScenarioId ? 'teal' : 'gray'}
          variant="light"
          icon={<IconStar size={18} />}
          title={
            comparison.data.recommendedScenarioId
              ? `Recommended: ${asString(field(byId.get(comparison.data.recommendedScenarioId) ?? {}, 'label')) ?? 'one of them'}`
              : 'No recommendation'
          }
          data-testid="pr-comparison-recommendation"
        >
          {comparison.data.reason}
        </Alert>
      )}
      {rows.length >= 1 && <ComparisonTable rows={rows} recommended={comparison.data?.recommendedScenarioId ?? null} />}
      {rows.length >= 2 && (
        <Panel title="Change against the baseline" description="What each scenario adds over not running a promotion.">
          <BarChart
            h={260}
            data={rows.map((row) => ({
              scenario: asString(field(row, 'label')) ?? '?',
              sales: Math.round(num(row, 'salesValueDelta') ?? 0),
              margin: Math.round(num(row, 'marginValueDelta') ?? 0),
              ebit: Math.round(num(row, 'ebitDelta') ?? 0),
            }))}
            dataKey="scenario"
            withLegend
            legendProps={{ verticalAlign: 'top', height: 30 }}
            valueFormatter={(value) => formatSignedMoney(value)}
            yAxisProps={{ width: 60 }}
            series={[
              { name: 'sales', color: 'indigo.6', label: 'Sales Δ' },
              { name: 'margin', color: 'teal.5', label: 'Margin Δ' },
              { name: 'ebit', color: 'pink.5', label: 'EBIT Δ' },
            ]}
          />
        </Panel>
      )}
    </Stack>
  );
}

function ComparisonTable({ rows, recommended }: { rows: ComparisonRow[]; recommended: string | null }) {
  const statuses = rows.map((row) => asString(field(row, 'validationStatus')) as ValidationStatus | null);
  const statusBest = bestIndex(
    statuses.map((status) => (status ? (VALIDATION_RANK[status] ?? null) : null)),
    'high',
  );
  return (
    <Panel padding={0}>
      <Table.ScrollContainer minWidth={200 + rows.length * 200} type="native">
        <Table verticalSpacing="sm" horizontalSpacing="md" withColumnBorders data-testid="pr-comparison-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={190} />
              {rows.map((row) => {
                const id = asString(field(row, 'scenarioId')) ?? '';
                return (
                  <Table.Th key={id} ta="right">
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {id === recommended && <IconStar size={14} color="var(--mantine-color-teal-7)" fill="var(--mantine-color-teal-2)" />}
                      <Anchor component={Link} to={`/promotions/scenarios/${id}`} fw={700} size="sm">
                        {asString(field(row, 'label'))}
                      </Anchor>
                    </Group>
                    <Text size="xs" c="dimmed" fw={400}>
                      {scenarioTypeLabel(asString(field(row, 'scenarioType')))} ·{' '}
                      {formatPeriod(asString(field(row, 'dateRangeStart')), asString(field(row, 'dateRangeEnd')))}
                    </Text>
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td fw={600}>Validation</Table.Td>
              {rows.map((_row, index) => (
                <Table.Td key={index} ta="right" className={statusBest === index ? 'pr-best-cell' : undefined}>
                  <ValidationBadge status={statuses[index]} />
                </Table.Td>
              ))}
            </Table.Tr>
            {METRICS.map((metric) => {
              const values = rows.map(metric.value);
              const best = bestIndex(values, metric.better);
              return (
                <Table.Tr key={metric.label}>
                  <Table.Td fw={600}>{metric.label}</Table.Td>
                  {values.map((value, index) => (
                    <Table.Td
                      key={index}
                      ta="right"
                      className={`pr-num${best === index ? ' pr-best-cell' : ''}`}
                      data-best={best === index ? 'true' : undefined}
                    >
                      {metric.format(value)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
            <Table.Tr>
              <Table.Td fw={600}>Uplift coefficients</Table.Td>
              {rows.map((row, index) => (
                <Table.Td key={index} ta="right">
                  <Badge variant="default" radius="sm" tt="none" fw={500}>
                    {asString(field(row, 'upliftModelVersion')) ?? 'not computed'}
                  </Badge>
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Panel>
  );
}
