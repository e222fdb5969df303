import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  List,
  NavLink,
  ScrollArea,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
} from '@mantine/core';
import { IconBulb, IconPlayerPlay, IconReportSearch, IconSchool } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useState } from 'react';
import { errorMessage } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import type { PostMortem, Scenario, UpliftCoefficient } from '../api-types';
import { rowsOf, usePostMortem, usePostMortems, useRunPostMortem, useSalesDaily, useSalesSummary, useScenarios, useUpliftCoefficients } from '../queries';
import { SalesChart } from '../sales/sales-chart';
import {
  addDays,
  asNumber,
  canEdit,
  channelLabel,
  formatCount,
  formatMoney,
  formatPct,
  formatPeriod,
  formatSignedMoney,
  formatSignedPct,
} from '../shared/format';
import { EmptyPanel, Panel, StatTile } from '../shared/ui';

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {});
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.map(obj) : []);

export function PostMortemsPage() {
  const { scenarioId } = useParams();
  const navigate = useNavigate();
  const me = useSession();
  const reports = usePostMortems();
  const scenarios = useScenarios();
  const summary = useSalesSummary();
  const run = useRunPostMortem();
  const all = rowsOf<Scenario>(scenarios.data);
  const done = rowsOf<PostMortem>(reports.data);
  const doneIds = new Set(done.map((report) => report.scenarioId));
  const lastSales = summary.data?.to ?? null;
  // A scenario can be analysed once its whole period has sales.
  const ready = all.filter((scenario) => !doneIds.has(scenario.id) && lastSales !== null && scenario.dateRangeEnd <= lastSales);
  const byId = new Map(all.map((scenario) => [scenario.id, scenario]));
  const selected = scenarioId ?? done[0]?.scenarioId ?? null;

  return (
    <Stack gap="lg" data-testid="pr-post-mortems-page">
      <PageHeader
        title="Post-mortems"
        description="Once a promotion's period has actual sales: what it really sold against its forecast, the dip after it, the departments it took sales from, and what the uplift model learned."
      />
      {run.isError && (
        <Alert color="red" variant="light" title="The post-mortem could not run">
          {errorMessage(run.error)}
        </Alert>
      )}
      {(reports.isError || scenarios.isError) && <ErrorState error={reports.error ?? scenarios.error} title="Could not load the post-mortems" />}
      {(reports.isPending || scenarios.isPending) && <Skeleton h={400} radius="md" />}
      {reports.isSuccess && scenarios.isSuccess && done.length === 0 && ready.length === 0 && !scenarioId && (
        <EmptyPanel
          icon={IconReportSearch}
          title="No post-mortems yet"
          testId="pr-post-mortems-empty"
          action={
            <Button component={Link} to="/promotions/scenarios" variant="default">
              Open scenarios
            </Button>
          }
        >
          A post-mortem needs a scenario whose period is over and covered by imported sales
          {lastSales ? ` (sales run to ${formatPeriod(lastSales, lastSales)})` : ''}. The daily job analyses them automatically; you can also run one from here
          once a scenario qualifies.
        </EmptyPanel>
      )}
      {(done.length > 0 || ready.length > 0 || scenarioId) && (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Panel padding="xs">
              <ScrollArea.Autosize mah={640}>
                <Stack gap={2}>
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="xs" pt={4}>
                    Analysed
                  </Text>
                  {done.length === 0 && (
                    <Text size="xs" c="dimmed" px="xs">
                      None yet.
                    </Text>
                  )}
                  {done.map((report) => {
                    const scenario = byId.get(report.scenarioId);
                    return (
                      <NavLink
                        key={report.id}
                        component={Link}
                        to={`/promotions/post-mortems/${report.scenarioId}`}
                        active={report.scenarioId === selected}
                        label={scenario?.label ?? (typeof report.scenarioLabel === 'string' ? report.scenarioLabel : 'Scenario')}
                        description={`${formatPeriod(report.periodStart, report.periodEnd)} · error ${formatSignedPct(report.salesValueErrorPct)}`}
                        style={{ borderRadius: 6 }}
                        data-testid={`pr-pm-link-${report.scenarioId}`}
                      />
                    );
                  })}
                  {ready.length > 0 && (
                    <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="xs" pt="sm">
                      Ready to analyse
                    </Text>
                  )}
                  {ready.map((scenario) => (
                    <Stack key={scenario.id} gap={4} px="xs" py={6} align="flex-start">
                      <Stack gap={0} style={{ minWidth: 0 }}>
                        <Text size="sm">{scenario.label}</Text>
                        <Text size="xs" c="dimmed">
                          {formatPeriod(scenario.dateRangeStart, scenario.dateRangeEnd)}
                        </Text>
                      </Stack>
                      {canEdit(me.role) && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          leftSection={<IconPlayerPlay size={12} />}
                          loading={run.isPending && run.variables === scenario.id}
                          onClick={() => run.mutate(scenario.id, { onSuccess: () => navigate(`/promotions/post-mortems/${scenario.id}`) })}
                          data-testid={`pr-pm-run-${scenario.id}`}
                        >
                          Run post-mortem
                        </Button>
                      )}
                    </Stack>
                  ))}
                </Stack>
              </ScrollArea.Autosize>
            </Panel>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9 }}>
            {selected ? (
              <PostMortemView scenarioId={selected} scenario={byId.get(selected) ?? null} lastSales={lastSales} />
            ) : (
              <EmptyPanel icon={IconReportSearch} title="Pick a scenario">
                Run a post-mortem for one of the scenarios on the left.
              </EmptyPanel>
            )}
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}

function PostMortemView({ scenarioId, scenario, lastSales }: { scenarioId: string; scenario: Scenario | null; lastSales: string | null }) {
  const me = useSession();
  const report = usePostMortem(scenarioId);
  const run = useRunPostMortem();
  if (report.isPending) return <Skeleton h={500} radius="md" />;
  if (report.isError) return <ErrorState error={report.error} title="Could not load this post-mortem" onRetry={() => report.refetch()} />;
  const data = report.data;
  if (!data) {
    const ended = scenario && lastSales !== null && scenario.dateRangeEnd <= lastSales;
    return (
      <EmptyPanel
        icon={IconReportSearch}
        title={`No post-mortem for ${scenario?.label ?? 'this scenario'} yet`}
        action={
          ended && canEdit(me.role) ? (
            <Button leftSection={<IconPlayerPlay size={16} />} loading={run.isPending} onClick={() => run.mutate(scenarioId)} data-testid="pr-pm-run">
              Run post-mortem
            </Button>
          ) : undefined
        }
      >
        {run.isError
          ? errorMessage(run.error)
          : ended
            ? 'Its period is over and has sales: run the analysis.'
            : `Its period (${formatPeriod(scenario?.dateRangeStart, scenario?.dateRangeEnd)}) is not fully covered by imported sales yet${lastSales ? ` — sales run to ${formatPeriod(lastSales, lastSales)}` : ''}.`}
      </EmptyPanel>
    );
  }
  return <PostMortemReport report={data} scenario={scenario} />;
}

function PostMortemReport({ report, scenario }: { report: PostMortem; scenario: Scenario | null }) {
  const details = obj(report.details);
  const forecast = obj(details.forecast);
  const lines = list(details.lines);
  const dip = obj(report.postPromoDip);
  const dipLines = list(dip.lines);
  const signals = list(report.cannibalizationSignals);
  const promoted = [
    ...new Map(lines.map((line) => [`${line.department}|${line.channel}`, { department: String(line.department), channel: String(line.channel) }])).values(),
  ];
  const tiles: { label: string; actual: number; forecast: number | null; error: number; money: boolean }[] = [
    { label: 'Sales', actual: report.actualSalesValue, forecast: asNumber(forecast.salesValue), error: report.salesValueErrorPct, money: true },
    { label: 'Margin', actual: report.actualMarginValue, forecast: asNumber(forecast.marginValue), error: report.marginValueErrorPct, money: true },
    { label: 'EBIT', actual: report.actualEbit, forecast: asNumber(forecast.ebit), error: report.ebitErrorPct, money: true },
    { label: 'Units', actual: report.actualUnits, forecast: asNumber(forecast.units), error: report.unitsErrorPct, money: false },
  ];
  return (
    <Stack gap="md" data-testid="pr-post-mortem">
      <Group justify="space-between">
        <Stack gap={0}>
          <Anchor component={Link} to={`/promotions/scenarios/${report.scenarioId}`} fw={700} fz="lg">
            {scenario?.label ?? 'Scenario'}
          </Anchor>
          <Text size="sm" c="dimmed">
            {formatPeriod(report.periodStart, report.periodEnd)} · analysed <DateTimeText value={report.createdAt} relative size="sm" c="dimmed" span /> ·
            margin {formatPct(report.actualMarginPct)}
          </Text>
        </Stack>
        {report.learnedModelVersion && (
          <Badge size="lg" variant="light" color="grape" radius="sm" tt="none" leftSection={<IconSchool size={14} />}>
            learned uplift {report.learnedModelVersion}
          </Badge>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
        {tiles.map((tile) => (
          <StatTile
            key={tile.label}
            label={`${tile.label} · actual`}
            value={tile.money ? formatMoney(tile.actual) : formatCount(tile.actual)}
            deltaLabel={`error ${formatSignedPct(tile.error)}`}
            delta={Math.abs(tile.error) <= 10 ? 1 : -1}
            note={`forecast ${tile.money ? formatMoney(tile.forecast) : formatCount(tile.forecast)}`}
            testId={`pr-pm-${tile.label.toLowerCase()}`}
          />
        ))}
      </SimpleGrid>
      <DipChart
        report={report}
        promoted={promoted}
        dipDays={Math.max(14, ...(Array.isArray(dip.windows) ? dip.windows.filter((w): w is number => typeof w === 'number') : []))}
      />
      <Panel
        title="Promoted lines"
        description="What each promoted line sold against its baseline over the promo days, and the dip in the 7 and 14 days after."
      >
        <Table fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th ta="right">Actual</Table.Th>
              <Table.Th ta="right">Baseline</Table.Th>
              <Table.Th ta="right">Discount</Table.Th>
              <Table.Th ta="right">Uplift</Table.Th>
              <Table.Th ta="right">Margin Δ</Table.Th>
              <Table.Th ta="right">Dip after</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((line) => {
              const dipLine = dipLines.find((candidate) => candidate.department === line.department && candidate.channel === line.channel);
              const windows = list(dipLine?.windows).filter((w) => asNumber(w.changePct) !== null);
              return (
                <Table.Tr key={`${line.department}-${line.channel}`}>
                  <Table.Td fw={600}>
                    {String(line.department)} · {channelLabel(String(line.channel))}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {formatMoney(asNumber(obj(line.actual).salesValue))}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {formatMoney(asNumber(obj(line.baseline).salesValue))}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {formatPct(asNumber(line.discountPct), 0)}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num" c="teal.7">
                    {formatSignedPct(asNumber(line.observedSalesUpliftPct))}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num">
                    {formatSignedPct(asNumber(line.observedMarginImpactPts)).replace('%', 'pt')}
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num" c="red.7">
                    {windows.length > 0 ? windows.map((w) => `${formatSignedPct(asNumber(w.changePct), 0)} (${asNumber(w.days)}d)`).join(' · ') : '—'}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Panel>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Panel
            title="Cannibalisation signals"
            description="Departments not on promotion, on the same channels, against their baseline during the promotion."
            testId="pr-pm-cannibalisation"
          >
            {signals.length === 0 ? (
              <Text size="sm" c="dimmed">
                No neighbouring department was measured.
              </Text>
            ) : (
              <Table fz="sm" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Department</Table.Th>
                    <Table.Th ta="right">vs baseline</Table.Th>
                    <Table.Th ta="right">Change</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {[...signals]
                    .sort((a, b) => (asNumber(a.changePct) ?? 0) - (asNumber(b.changePct) ?? 0))
                    .map((signal) => (
                      <Table.Tr key={`${signal.department}-${signal.channel}`}>
                        <Table.Td>
                          {String(signal.department)} · {channelLabel(String(signal.channel))}
                        </Table.Td>
                        <Table.Td ta="right" className="pr-num" c={(asNumber(signal.changePct) ?? 0) < 0 ? 'red.7' : 'teal.7'}>
                          {formatSignedPct(asNumber(signal.changePct))}
                        </Table.Td>
                        <Table.Td ta="right" className="pr-num">
                          {formatSignedMoney((asNumber(signal.actualSalesValue) ?? 0) - (asNumber(signal.baselineSalesValue) ?? 0))}
                        </Table.Td>
                        <Table.Td ta="right">
                          {signal.significant === true && (
                            <Badge color="red" variant="light" size="sm" radius="sm" tt="none">
                              signal
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                </Table.Tbody>
              </Table>
            )}
          </Panel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Panel title="Insights" testId="pr-pm-insights">
              <List
                spacing={6}
                size="sm"
                icon={
                  <ThemeIcon size={18} radius="xl" variant="light" color="indigo">
                    <IconBulb size={12} />
                  </ThemeIcon>
                }
              >
                {(report.insights ?? []).map((text, index) => (
                  <List.Item key={index}>{text}</List.Item>
                ))}
              </List>
            </Panel>
            <Panel title="Learning points" testId="pr-pm-learning">
              <List
                spacing={6}
                size="sm"
                icon={
                  <ThemeIcon size={18} radius="xl" variant="light" color="grape">
                    <IconSchool size={12} />
                  </ThemeIcon>
                }
              >
                {(report.learningPoints ?? []).map((text, index) => (
                  <List.Item key={index}>{text}</List.Item>
                ))}
              </List>
            </Panel>
          </Stack>
        </Grid.Col>
      </Grid>
      <LearnedCoefficients report={report} />
    </Stack>
  );
}

function DipChart({ report, promoted, dipDays }: { report: PostMortem; promoted: { department: string; channel: string }[]; dipDays: number }) {
  const [choice, setChoice] = useState<string | null>(null);
  const key = choice ?? (promoted[0] ? `${promoted[0].department}|${promoted[0].channel}` : null);
  const [department, channel] = key ? key.split('|') : [null, null];
  const from = addDays(report.periodStart, -14);
  const to = addDays(report.periodEnd, Math.max(14, dipDays));
  const daily = useSalesDaily({ from, to, department, channel }, Boolean(key));
  return (
    <Panel
      title="The promotion and the days after"
      description={`Sales against the baseline two weeks before, during (shaded) and after ${formatPeriod(report.periodStart, report.periodEnd)}: the dip is where sales fall under the dashed line after the promotion.`}
      actions={
        promoted.length > 1 ? (
          <Select
            size="xs"
            w={220}
            data={promoted.map((line) => ({ value: `${line.department}|${line.channel}`, label: `${line.department} · ${channelLabel(line.channel)}` }))}
            value={key}
            onChange={setChoice}
            allowDeselect={false}
          />
        ) : undefined
      }
      testId="pr-pm-dip"
    >
      {daily.isError ? <ErrorState error={daily.error} /> : daily.isPending ? <Skeleton h={280} /> : <SalesChart days={daily.data?.days ?? []} height={260} />}
    </Panel>
  );
}

function LearnedCoefficients({ report }: { report: PostMortem }) {
  const coefficients = useUpliftCoefficients();
  const learned = obj(report.details).learning;
  const rows = rowsOf<UpliftCoefficient>(coefficients.data).filter(
    (row) => row.postMortemId === report.id || (report.learnedModelVersion && row.modelVersion === report.learnedModelVersion && row.source === 'learned'),
  );
  const fromDetails = list(learned);
  const shown: Obj[] = rows.length > 0 ? rows : fromDetails;
  return (
    <Panel
      title="Coefficients this post-mortem produced"
      description={
        report.learnedModelVersion
          ? `Version ${report.learnedModelVersion}, shrunk towards the previous value by sample size.`
          : 'Nothing was learned from this promotion.'
      }
      actions={
        <Button component={Link} to="/promotions/uplift" size="xs" variant="subtle">
          All coefficients
        </Button>
      }
      testId="pr-pm-coefficients"
    >
      {shown.length === 0 ? (
        <Text size="sm" c="dimmed">
          No coefficient version came from this post-mortem.
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Band</Table.Th>
              <Table.Th ta="right">Uplift</Table.Th>
              <Table.Th ta="right">Margin impact</Table.Th>
              <Table.Th ta="right">Confidence</Table.Th>
              <Table.Th ta="right">Sample</Table.Th>
              <Table.Th>Version</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((row, index) => (
              <Table.Tr key={index}>
                <Table.Td fw={600}>
                  {String(row.department)} · {channelLabel(String(row.channel))}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{String(row.discountBand)} %</Table.Td>
                <Table.Td ta="right" className="pr-num">
                  {formatSignedPct(asNumber(row.upliftSalesPct))}
                </Table.Td>
                <Table.Td ta="right" className="pr-num">
                  {formatSignedPct(asNumber(row.marginImpactPct))}
                </Table.Td>
                <Table.Td ta="right" className="pr-num">
                  {asNumber(row.confidence)?.toFixed(2) ?? '—'}
                </Table.Td>
                <Table.Td ta="right" className="pr-num">
                  {formatCount(asNumber(row.sampleSize))}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color="grape" radius="sm" tt="none">
                    {String(row.modelVersion ?? report.learnedModelVersion ?? '')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Panel>
  );
}
