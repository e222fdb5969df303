import { BarChart } from '@mantine/charts';
import { Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconChartAreaLine, IconFileImport, IconTargetArrow } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import type { ImportJob, SalesDaily, SalesDay } from '../api-types';
import { PR_API, PR_KEY, rowsOf, useImportJobs, useSalesDaily, useSalesSummary } from '../queries';
import { addDays, channelLabel, formatDay, formatMoney, formatPct, formatPeriod, formatSignedPct, relativeChange } from '../shared/format';
import { EmptyPanel, Panel, StatTile } from '../shared/ui';
import { promoRuns, SalesChart } from './sales-chart';

type Totals = { sales: number; margin: number; units: number; promoSales: number; baseline: number; promoDays: number; days: number };

export function totalsOf(days: SalesDay[]): Totals {
  const totals: Totals = { sales: 0, margin: 0, units: 0, promoSales: 0, baseline: 0, promoDays: 0, days: days.length };
  for (const day of days) {
    totals.sales += day.salesValue ?? 0;
    totals.margin += day.marginValue ?? 0;
    totals.units += day.units ?? 0;
    totals.baseline += day.baselineSalesValue ?? 0;
    if (day.promo) {
      totals.promoSales += day.salesValue ?? 0;
      totals.promoDays += 1;
    }
  }
  return totals;
}

export function SalesExplorerPage() {
  const summary = useSalesSummary();
  const [params, setParams] = useSearchParams();
  const data = summary.data;
  const lastDay = data?.to ?? null;
  const firstDay = data?.from ?? null;
  const from = params.get('from') ?? (lastDay ? maxDate(addDays(lastDay, -89), firstDay) : null);
  const to = params.get('to') ?? lastDay;
  const department = params.get('department');
  const channel = params.get('channel');
  const hasData = Boolean(data && data.rows > 0 && lastDay);
  const jobs = useImportJobs();
  const lastImport = rowsOf<ImportJob>(jobs.data)
    .filter((job) => job.status === 'completed' && job.kind === 'sales')
    .map((job) => job.completedAt ?? job.createdAt)
    .sort()
    .pop();
  const lastImportAt = lastImport ?? null;

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="lg" data-testid="pr-sales-page">
      <PageHeader
        title="Sales explorer"
        description="Daily sales against the baseline — what would have sold without a promotion — with every promotion shaded. Filter by department and channel to see where promotions lift sales and where they only move them."
        actions={
          <>
            <Button component={Link} to="/promotions/imports" variant="default" leftSection={<IconFileImport size={16} />}>
              Import sales
            </Button>
            <Button component={Link} to="/promotions/opportunities" leftSection={<IconTargetArrow size={16} />}>
              Opportunities
            </Button>
          </>
        }
      />
      {summary.isError && <ErrorState error={summary.error} title="Could not load the sales history" onRetry={() => summary.refetch()} />}
      {summary.isPending && <Skeleton h={420} radius="md" />}
      {summary.isSuccess && !hasData && (
        <EmptyPanel
          icon={IconChartAreaLine}
          title="No sales history yet — import files"
          testId="pr-sales-empty"
          action={
            <Button component={Link} to="/promotions/imports" leftSection={<IconFileImport size={16} />}>
              Import sales files
            </Button>
          }
        >
          Upload daily sales by department and channel (.xlsb, .xlsx or .csv). The explorer, the baseline forecast and the opportunities fill up from them.
        </EmptyPanel>
      )}
      {hasData && data && from && to && (
        <>
          <Paper withBorder radius="md" p="sm">
            <Group gap="md" align="flex-end" wrap="wrap">
              <DatePickerInput
                type="range"
                label="Period"
                w={280}
                value={[from, to]}
                onChange={([start, end]) => start && end && update({ from: start, to: end })}
                minDate={firstDay ?? undefined}
                maxDate={lastDay ?? undefined}
                valueFormat="MMM D, YYYY"
                allowSingleDateInRange
                data-testid="pr-sales-range"
              />
              <Select
                label="Department"
                w={220}
                placeholder="All departments"
                clearable
                data={data.departments}
                value={department}
                onChange={(value) => update({ department: value })}
                data-testid="pr-sales-department"
              />
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  Channel
                </Text>
                <SegmentedControl
                  value={channel ?? 'all'}
                  onChange={(value) => update({ channel: value === 'all' ? null : value })}
                  data={[{ value: 'all', label: 'All' }, ...data.channels.map((value) => ({ value, label: channelLabel(value) }))]}
                  data-testid="pr-sales-channel"
                />
              </Stack>
              <Group gap={6} ml="auto">
                {[30, 90, 365].map((span) => (
                  <Button
                    key={span}
                    size="xs"
                    variant="subtle"
                    onClick={() => update({ from: maxDate(addDays(lastDay ?? to, -(span - 1)), firstDay), to: lastDay })}
                  >
                    Last {span} days
                  </Button>
                ))}
                <Button size="xs" variant="subtle" onClick={() => update({ from: firstDay, to: lastDay })}>
                  All
                </Button>
              </Group>
            </Group>
          </Paper>
          <SalesView
            from={from}
            to={to}
            department={department}
            channel={channel}
            departments={data.departments}
            channels={data.channels}
            lastImportAt={lastImportAt}
            historyFrom={firstDay}
            historyTo={lastDay}
          />
        </>
      )}
    </Stack>
  );
}

function maxDate(a: string, b: string | null): string {
  return b && b > a ? b : a;
}

function SalesView(props: {
  from: string;
  to: string;
  department: string | null;
  channel: string | null;
  departments: string[];
  channels: string[];
  lastImportAt: string | null;
  historyFrom: string | null;
  historyTo: string | null;
}) {
  const { from, to, department, channel } = props;
  const daily = useSalesDaily({ from, to, department, channel });
  const days = daily.data?.days ?? [];
  const totals = totalsOf(days);
  const marginPct = totals.sales > 0 ? (totals.margin / totals.sales) * 100 : null;
  const promoShare = totals.sales > 0 ? (totals.promoSales / totals.sales) * 100 : null;
  const vsBaseline = relativeChange(totals.sales, totals.baseline);
  const loading = daily.isPending;

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <StatTile
          label="Sales"
          value={formatMoney(totals.sales)}
          loading={loading}
          delta={vsBaseline}
          deltaLabel={vsBaseline !== null ? formatSignedPct(vsBaseline) : undefined}
          note="vs baseline"
          testId="pr-tile-sales"
        />
        <StatTile label="Margin" value={formatPct(marginPct)} loading={loading} note={`${formatMoney(totals.margin)} margin`} testId="pr-tile-margin" />
        <StatTile
          label="Promo share"
          value={formatPct(promoShare)}
          loading={loading}
          note={`of sales, on ${totals.promoDays} promo day${totals.promoDays === 1 ? '' : 's'}`}
          testId="pr-tile-promo"
        />
        <StatTile
          label="Last import"
          value={props.lastImportAt ? <DateTimeText value={props.lastImportAt} relative fz={26} fw={750} /> : formatDay(props.historyTo)}
          loading={false}
          note={
            props.lastImportAt
              ? `history ${formatPeriod(props.historyFrom, props.historyTo)}`
              : `latest sales day · history from ${formatDay(props.historyFrom)}`
          }
          testId="pr-tile-import"
        />
      </SimpleGrid>

      <Panel
        title={`Sales ${department ? `· ${department}` : '· all departments'}${channel ? ` · ${channelLabel(channel)}` : ''}`}
        description={
          daily.data
            ? `${formatPeriod(from, to)} · ${days.length} days · baseline model: ${daily.data.baselineModel.replace(/_/g, ' ')}`
            : formatPeriod(from, to)
        }
        testId="pr-sales-chart-panel"
      >
        {daily.isError ? (
          <ErrorState error={daily.error} title="Could not load daily sales" onRetry={() => daily.refetch()} />
        ) : loading ? (
          <Skeleton h={350} />
        ) : days.length === 0 ? (
          <Text c="dimmed" size="sm" py={140} ta="center">
            No sales in this period for this filter. Widen the period or clear the filters.
          </Text>
        ) : (
          <>
            <SalesChart days={days} />
            {daily.data?.baselineNote && (
              <Text size="xs" c="dimmed" mt={6}>
                {daily.data.baselineNote}
              </Text>
            )}
          </>
        )}
      </Panel>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Breakdown
          title="By department"
          dimension="department"
          values={department ? [department] : props.departments}
          from={from}
          to={to}
          fixed={{ channel }}
          testId="pr-breakdown-department"
        />
        <Stack gap="md">
          <Breakdown
            title="By channel"
            dimension="channel"
            values={channel ? [channel] : props.channels}
            from={from}
            to={to}
            fixed={{ department }}
            testId="pr-breakdown-channel"
          />
          <PromotionsInPeriod days={days} loading={loading} />
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

/** Totals per department (or channel) over the same period, one daily series each, read in parallel. */
function Breakdown({
  title,
  dimension,
  values,
  from,
  to,
  fixed,
  testId,
}: {
  title: string;
  dimension: 'department' | 'channel';
  values: string[];
  from: string;
  to: string;
  fixed: Record<string, string | null>;
  testId: string;
}) {
  const results = useQueries({
    queries: values.map((value) => {
      const query = { from, to, ...fixed, [dimension]: value };
      return {
        queryKey: [PR_KEY, 'sales', 'daily', query],
        queryFn: ({ signal }: { signal: AbortSignal }) => api.get<SalesDaily>(`${PR_API}/sales/daily`, query, signal),
      };
    }),
  });
  const loading = results.some((result) => result.isPending);
  const failed = results.find((result) => result.isError);
  const rows = values
    .map((value, index) => {
      const totals = totalsOf(results[index]?.data?.days ?? []);
      return {
        name: dimension === 'channel' ? channelLabel(value) : value,
        sales: Math.round(totals.sales),
        baseline: Math.round(totals.baseline),
        marginPct: totals.sales > 0 ? (totals.margin / totals.sales) * 100 : null,
        promoShare: totals.sales > 0 ? (totals.promoSales / totals.sales) * 100 : null,
        vsBaseline: relativeChange(totals.sales, totals.baseline),
      };
    })
    .sort((a, b) => b.sales - a.sales);

  return (
    <Panel title={title} description="Sales against baseline over the period; margin and the share sold on promotion." testId={testId}>
      {failed ? (
        <ErrorState error={failed.error} title="Could not load the breakdown" />
      ) : loading ? (
        <Skeleton h={Math.max(160, values.length * 34 + 60)} />
      ) : (
        <Stack gap="sm">
          <BarChart
            h={Math.max(120, rows.length * 30 + 40)}
            data={rows}
            dataKey="name"
            orientation="vertical"
            gridAxis="none"
            withLegend
            legendProps={{ verticalAlign: 'top', height: 28 }}
            valueFormatter={(value) => formatMoney(value)}
            yAxisProps={{ width: 100, fontSize: 11 }}
            xAxisProps={{ fontSize: 10 }}
            barProps={{ radius: 2 }}
            series={[
              { name: 'sales', color: 'indigo.6', label: 'Sales' },
              { name: 'baseline', color: 'gray.4', label: 'Baseline' },
            ]}
          />
          <Table verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{dimension === 'channel' ? 'Channel' : 'Department'}</Table.Th>
                <Table.Th ta="right">Sales</Table.Th>
                <Table.Th ta="right">vs baseline</Table.Th>
                <Table.Th ta="right">Margin</Table.Th>
                <Table.Th ta="right">Promo share</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.name}>
                  <Table.Td fw={600}>{row.name}</Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {formatMoney(row.sales)}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num" c={row.vsBaseline === null ? 'dimmed' : row.vsBaseline >= 0 ? 'teal.7' : 'red.7'}>
                    {formatSignedPct(row.vsBaseline)}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {formatPct(row.marginPct)}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {formatPct(row.promoShare)}
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

/** The promotions of the chart as a list: what each sold against the baseline, and the week after it. */
function PromotionsInPeriod({ days, loading }: { days: SalesDay[]; loading: boolean }) {
  const runs = promoRuns(days)
    .map((run) => {
      const sum = (from: string, to: string) => {
        let sales = 0;
        let baseline = 0;
        let n = 0;
        for (const day of days) {
          if (day.date < from || day.date > to || day.salesValue === null) continue;
          sales += day.salesValue;
          baseline += day.baselineSalesValue;
          n += 1;
        }
        return { sales, baseline, n };
      };
      const during = sum(run.from, run.to);
      const after = sum(addDays(run.to, 1), addDays(run.to, 7));
      return {
        ...run,
        sales: during.sales,
        uplift: relativeChange(during.sales, during.baseline),
        dip: after.n >= 3 ? relativeChange(after.sales, after.baseline) : null,
      };
    })
    .reverse();
  return (
    <Panel
      title="Promotions in the period"
      description="Sales against the baseline during each promotion, and in the 7 days after it."
      testId="pr-sales-promotions"
    >
      {loading ? (
        <Skeleton h={160} />
      ) : runs.length === 0 ? (
        <Text size="sm" c="dimmed">
          No promotion in this period.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={400} mah={320} type="native">
          <Table verticalSpacing={4} fz="sm" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Dates</Table.Th>
                <Table.Th ta="right">Discount</Table.Th>
                <Table.Th ta="right">Sales</Table.Th>
                <Table.Th ta="right">vs baseline</Table.Th>
                <Table.Th ta="right">Week after</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.map((run) => (
                <Table.Tr key={run.from}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {run.from === run.to ? formatDay(run.from, 'short') : `${formatDay(run.from, 'short')} – ${formatDay(run.to, 'short')}`}
                    <Text span size="xs" c="dimmed" ml={6}>
                      {run.days} d
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {run.discountPct !== null ? `−${Math.round(run.discountPct)} %` : '—'}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {formatMoney(run.sales)}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num" c={run.uplift === null ? 'dimmed' : run.uplift >= 0 ? 'teal.7' : 'red.7'}>
                    {formatSignedPct(run.uplift)}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num" c={run.dip === null ? 'dimmed' : run.dip >= 0 ? 'teal.7' : 'red.7'}>
                    {formatSignedPct(run.dip)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Panel>
  );
}
