import { BarChart } from '@mantine/charts';
import { Alert, Button, Group, Paper, Progress, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { MonthPickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconCalculator, IconFileImport, IconTargetArrow, IconWand } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import type { Opportunity } from '../api-types';
import { rowsOf, useComputeOpportunities, useOpportunities, usePlanFromOpportunity, useSalesSummary } from '../queries';
import { addMonths, canEdit, channelLabel, formatMoney, formatMoneyFull, formatMonth, formatPct, todayIso } from '../shared/format';
import { EmptyPanel, Panel, StatTile } from '../shared/ui';

export function OpportunitiesPage() {
  const me = useSession();
  const navigate = useNavigate();
  const summary = useSalesSummary();
  const [params, setParams] = useSearchParams();
  // Next month after the sales history ends: the first month the forecast has to cover in full.
  const defaultMonth = addMonths((summary.data?.to ?? todayIso()).slice(0, 7), 1);
  const month = params.get('month') ?? (summary.isPending ? null : defaultMonth);
  const opportunities = useOpportunities(month);
  const compute = useComputeOpportunities();
  const plan = usePlanFromOpportunity();
  const rows = rowsOf<Opportunity>(opportunities.data).sort((a, b) => a.rank - b.rank);
  const shortfalls = rows.filter((row) => row.gapValue > 0);
  const totalGap = shortfalls.reduce((sum, row) => sum + row.gapValue, 0);
  const totalTarget = rows.reduce((sum, row) => sum + row.targetSalesValue, 0);
  const totalForecast = rows.reduce((sum, row) => sum + row.forecastSalesValue, 0);
  const maxGap = Math.max(1, ...rows.map((row) => Math.abs(row.gapValue)));
  const computedAt = rows[0]?.computedAt ?? null;

  const runCompute = () =>
    month &&
    compute.mutate(month, {
      onSuccess: () =>
        notifications.show({
          color: 'green',
          title: 'Opportunities updated',
          message: `${formatMonth(month)} recomputed from the latest forecast and targets.`,
        }),
    });

  const planScenarios = (opportunity: Opportunity) =>
    plan.mutate(opportunity.id, {
      onSuccess: (payload) => {
        const created = payload.scenarios;
        notifications.show({
          color: 'green',
          title: `${created.length} scenario${created.length === 1 ? '' : 's'} planned`,
          message: `${opportunity.department} ${channelLabel(opportunity.channel)}, ${formatMonth(opportunity.month)}.`,
        });
        if (created.length >= 2)
          navigate(
            `/promotions/comparison?ids=${created
              .slice(0, 4)
              .map((scenario) => scenario.id)
              .join(',')}`,
          );
        else if (created[0]) navigate(`/promotions/scenarios/${created[0].id}`);
      },
    });

  return (
    <Stack gap="lg" data-testid="pr-opportunities-page">
      <PageHeader
        title="Opportunities"
        description="Where the month will fall short: the baseline forecast of each department and channel against its target, ranked by the money missing. Plan scenarios from a gap to close it."
        actions={
          <Group gap="sm" align="flex-end">
            <MonthPickerInput
              value={month ? `${month}-01` : null}
              onChange={(value) => value && setParams({ month: value.slice(0, 7) }, { replace: true })}
              valueFormat="MMMM YYYY"
              w={180}
              aria-label="Month"
              data-testid="pr-opportunities-month"
            />
            {canEdit(me.role) && (
              <Button
                variant="default"
                leftSection={<IconCalculator size={16} />}
                onClick={runCompute}
                loading={compute.isPending}
                disabled={!month}
                data-testid="pr-opportunities-compute"
              >
                Recompute
              </Button>
            )}
          </Group>
        }
      />
      {compute.isError && (
        <Alert color="red" variant="light" title="Could not compute the opportunities">
          {errorMessage(compute.error)}
        </Alert>
      )}
      {plan.isError && (
        <Alert color="red" variant="light" title="Could not plan scenarios">
          {errorMessage(plan.error)}
        </Alert>
      )}
      {opportunities.isError && <ErrorState error={opportunities.error} title="Could not load the opportunities" onRetry={() => opportunities.refetch()} />}
      {(opportunities.isPending || !month) && <Skeleton h={360} radius="md" />}
      {opportunities.isSuccess && rows.length === 0 && (
        <EmptyPanel
          icon={IconTargetArrow}
          title={`No opportunities for ${formatMonth(month)} yet`}
          testId="pr-opportunities-empty"
          action={
            <Group gap="sm">
              <Button component={Link} to="/promotions/imports?kind=targets" variant="default" leftSection={<IconFileImport size={16} />}>
                Import targets
              </Button>
              {canEdit(me.role) && (
                <Button leftSection={<IconCalculator size={16} />} onClick={runCompute} loading={compute.isPending}>
                  Compute {formatMonth(month)}
                </Button>
              )}
            </Group>
          }
        >
          Opportunities compare the baseline forecast with the month's targets. They need sales history and targets for {formatMonth(month)}; compute them once
          both are imported.
        </EmptyPanel>
      )}
      {rows.length > 0 && (
        <>
          <Group grow align="stretch" gap="sm">
            <StatTile label="Target" value={formatMoney(totalTarget)} note={formatMonth(month)} testId="pr-opp-target" />
            <StatTile
              label="Forecast without promotions"
              value={formatMoney(totalForecast)}
              note={`${formatPct(totalTarget > 0 ? (totalForecast / totalTarget) * 100 : null)} of target`}
              testId="pr-opp-forecast"
            />
            <StatTile
              label="Gap to close"
              value={formatMoney(totalGap)}
              note={`in ${shortfalls.length} of ${rows.length} lines`}
              testId="pr-opp-gap"
              higherIsBetter={false}
            />
          </Group>
          <Panel
            title={`Ranked by gap · ${formatMonth(month)}`}
            description={
              computedAt ? (
                <>
                  Computed <DateTimeText value={computedAt} relative size="xs" c="dimmed" span /> with the {rows[0]?.forecastModel ?? ''} baseline.
                </>
              ) : undefined
            }
            padding={0}
          >
            <Table.ScrollContainer minWidth={900} type="native">
              <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="pr-opportunities-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={50}>#</Table.Th>
                    <Table.Th miw={190}>Department · channel</Table.Th>
                    <Table.Th ta="right">Forecast</Table.Th>
                    <Table.Th ta="right">Target</Table.Th>
                    <Table.Th ta="right">Gap</Table.Th>
                    <Table.Th w={150}>Gap %</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((row) => (
                    <Table.Tr key={row.id} data-testid={`pr-opportunity-${row.id}`}>
                      <Table.Td fw={700} c="dimmed">
                        {row.rank}
                      </Table.Td>
                      <Table.Td>
                        <Text fw={600} size="sm">
                          {row.department}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {channelLabel(row.channel)}
                          {row.targetMarginPct !== null ? ` · margin target ${formatPct(row.targetMarginPct)}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right" className="pr-num">
                        {formatMoneyFull(row.forecastSalesValue)}
                      </Table.Td>
                      <Table.Td ta="right" className="pr-num">
                        {formatMoneyFull(row.targetSalesValue)}
                      </Table.Td>
                      <Table.Td ta="right" className="pr-num" fw={700} c={row.gapValue > 0 ? 'red.7' : 'teal.7'}>
                        {row.gapValue > 0 ? formatMoneyFull(row.gapValue) : `+${formatMoneyFull(-row.gapValue)} ahead`}
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label={`${formatPct(row.gapPct)} of the target is missing`} withArrow>
                          <Group gap={6} wrap="nowrap">
                            <Progress value={(Math.abs(row.gapValue) / maxGap) * 100} color={row.gapValue > 0 ? 'red' : 'teal'} size="sm" w={70} radius="xl" />
                            <Text size="xs" className="pr-num" c={row.gapValue > 0 ? 'red.7' : 'teal.7'}>
                              {formatPct(row.gapPct)}
                            </Text>
                          </Group>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" fw={600} c={row.status === 'planned' ? 'pink.7' : 'dimmed'} tt="capitalize">
                          {row.status}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        {canEdit(me.role) && row.gapValue > 0 && (
                          <Button
                            size="compact-sm"
                            variant="light"
                            color="pink"
                            leftSection={<IconWand size={14} />}
                            loading={plan.isPending && plan.variables === row.id}
                            onClick={() => planScenarios(row)}
                            data-testid={`pr-plan-${row.id}`}
                          >
                            Plan scenarios
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Panel>
          {shortfalls.length > 0 && (
            <Paper withBorder radius="md" p="md">
              <Text fw={650} mb="xs">
                Forecast vs target, largest gaps
              </Text>
              <BarChart
                h={Math.max(160, Math.min(12, shortfalls.length) * 30 + 40)}
                data={shortfalls.slice(0, 12).map((row) => ({
                  line: `${row.department} · ${channelLabel(row.channel)}`,
                  forecast: Math.round(row.forecastSalesValue),
                  gap: Math.round(row.gapValue),
                }))}
                dataKey="line"
                type="stacked"
                orientation="vertical"
                gridAxis="none"
                withLegend
                legendProps={{ verticalAlign: 'top', height: 28 }}
                yAxisProps={{ width: 150, fontSize: 11 }}
                valueFormatter={(value) => formatMoney(value)}
                series={[
                  { name: 'forecast', color: 'indigo.5', label: 'Forecast' },
                  { name: 'gap', color: 'red.4', label: 'Gap to target' },
                ]}
              />
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
