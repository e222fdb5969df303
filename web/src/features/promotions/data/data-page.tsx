import { Accordion, Badge, Box, Button, Group, Paper, Progress, Select, SimpleGrid, Skeleton, Stack, Table, Tabs, Text, Tooltip } from '@mantine/core';
import { IconCalendarEvent, IconFileImport, IconTarget, IconUsersGroup, type Icon } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { channelLabel, daysBetween, formatCount, formatMoney, formatMoneyFull, formatMonth, formatPct, formatPeriod, todayIso } from '../shared/format';
import { EmptyPanel, Panel } from '../shared/ui';
import { usePromoCatalog, useSegmentList, useTargets, type PromoCatalogRow, type SegmentRow, type TargetRow } from './data-queries';

const TABS = ['calendar', 'targets', 'segments'] as const;
type Tab = (typeof TABS)[number];
const ALL = 'all';

function ImportButton({ kind, label }: { kind: string; label: string }) {
  return (
    <Button
      component={Link}
      to={`/promotions/imports?kind=${kind}`}
      variant="default"
      leftSection={<IconFileImport size={16} />}
      data-testid={`pr-data-import-${kind}`}
    >
      {label}
    </Button>
  );
}

/** "Calendar, targets & segments": what planners imported, read back from the database. */
export function PromotionsDataPage() {
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'calendar';
  const catalog = usePromoCatalog();
  const targets = useTargets();
  const segments = useSegmentList();

  const setParam = (key: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null || value === ALL) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );

  const tabLabel = (icon: Icon, label: string, total: number | undefined) => {
    const TabIcon = icon;
    return { icon: <TabIcon size={16} />, label: total === undefined ? label : `${label} · ${formatCount(total)}` };
  };
  const tabs = [
    { value: 'calendar', ...tabLabel(IconCalendarEvent, 'Promo calendar', catalog.data?.total) },
    { value: 'targets', ...tabLabel(IconTarget, 'Targets', targets.data?.total) },
    { value: 'segments', ...tabLabel(IconUsersGroup, 'Segments', segments.data?.length) },
  ];

  return (
    <Stack gap="lg" data-testid="pr-data-page">
      <PageHeader
        title="Calendar, targets & segments"
        description="What the planners imported: past promotions from the promo calendar, the monthly sales and margin targets, and the CDP customer segments. Import new files to add or update them."
        actions={<ImportButton kind={tab === 'calendar' ? 'promo-catalog' : tab} label="Import files" />}
      />
      <Tabs value={tab} onChange={(value) => value && setParam('tab', value === 'calendar' ? null : value)} keepMounted={false}>
        <Tabs.List mb="md">
          {tabs.map((item) => (
            <Tabs.Tab key={item.value} value={item.value} leftSection={item.icon} data-testid={`pr-data-tab-${item.value}`}>
              {item.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="calendar">
          {catalog.isError && <ErrorState error={catalog.error} title="Could not load the promo calendar" onRetry={() => catalog.refetch()} />}
          {catalog.isPending && <Skeleton h={360} radius="md" />}
          {catalog.isSuccess && <CalendarTab rows={catalog.data.rows} year={params.get('year')} department={params.get('department')} onFilter={setParam} />}
        </Tabs.Panel>
        <Tabs.Panel value="targets">
          {targets.isError && <ErrorState error={targets.error} title="Could not load the targets" onRetry={() => targets.refetch()} />}
          {targets.isPending && <Skeleton h={360} radius="md" />}
          {targets.isSuccess && <TargetsTab rows={targets.data.rows} />}
        </Tabs.Panel>
        <Tabs.Panel value="segments">
          {segments.isError && <ErrorState error={segments.error} title="Could not load the segments" onRetry={() => segments.refetch()} />}
          {segments.isPending && <Skeleton h={360} radius="md" />}
          {segments.isSuccess && <SegmentsTab rows={segments.data} />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

// ---------------------------------------------------------------- promo calendar

const MONTH_NAMES = Array.from({ length: 12 }, (_, index) =>
  new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, index, 1))),
);

/** Days of `month` (1–12 of `year`) that at least one of the promotions covers. */
function coveredDays(rows: PromoCatalogRow[], year: number, month: number): number {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  let covered = 0;
  for (let day = 1; day <= days; day++) {
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (rows.some((row) => row.dateStart <= date && row.dateEnd >= date)) covered += 1;
  }
  return covered;
}

function CalendarTab({
  rows,
  year,
  department,
  onFilter,
}: {
  rows: PromoCatalogRow[];
  year: string | null;
  department: string | null;
  onFilter: (key: string, value: string | null) => void;
}) {
  const years = useMemo(() => [...new Set(rows.flatMap((row) => [row.dateStart.slice(0, 4), row.dateEnd.slice(0, 4)]))].sort().reverse(), [rows]);
  const departments = useMemo(() => [...new Set(rows.flatMap((row) => row.departments ?? []))].sort((a, b) => a.localeCompare(b)), [rows]);
  const shown = rows.filter(
    (row) => (!year || (row.dateStart.slice(0, 4) <= year && row.dateEnd.slice(0, 4) >= year)) && (!department || (row.departments ?? []).includes(department)),
  );
  // The month grid shows the chosen year, else the latest year with promotions.
  const gridYear = Number(year ?? years[0] ?? todayIso().slice(0, 4));
  const months = MONTH_NAMES.map((name, index) => {
    const month = `${gridYear}-${String(index + 1).padStart(2, '0')}`;
    const running = shown.filter((row) => row.dateStart.slice(0, 7) <= month && row.dateEnd.slice(0, 7) >= month);
    const days = new Date(Date.UTC(gridYear, index + 1, 0)).getUTCDate();
    return { name, month, running, coverage: running.length ? coveredDays(running, gridYear, index + 1) / days : 0 };
  });

  if (rows.length === 0) {
    return (
      <EmptyPanel
        icon={IconCalendarEvent}
        title="No promo calendar imported yet"
        testId="pr-data-calendar-empty"
        action={<ImportButton kind="promo-catalog" label="Import the promo calendar" />}
      >
        Import the promo calendar workbooks (Promo_October-September_FY….xlsb or a CSV with name, start, end, departments, channels and discount) to see past
        promotions here and let the uplift model learn from them.
      </EmptyPanel>
    );
  }

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end">
        <Select
          label="Year"
          data={[{ value: ALL, label: 'All years' }, ...years.map((value) => ({ value, label: value }))]}
          value={year ?? ALL}
          onChange={(value) => onFilter('year', value)}
          allowDeselect={false}
          w={140}
          data-testid="pr-data-year"
        />
        <Select
          label="Department"
          data={[{ value: ALL, label: 'All departments' }, ...departments]}
          value={department ?? ALL}
          onChange={(value) => onFilter('department', value)}
          allowDeselect={false}
          searchable
          w={220}
          data-testid="pr-data-department"
        />
        <Text size="sm" c="dimmed" pb={6} data-testid="pr-data-calendar-summary">
          {shown.length === rows.length ? `${formatCount(rows.length)} promotions` : `${formatCount(shown.length)} of ${formatCount(rows.length)} promotions`}
        </Text>
      </Group>
      <Panel title={`Promotions by month · ${gridYear}`} description="Promotions running in each month and the share of its days with at least one promotion.">
        <SimpleGrid cols={{ base: 4, sm: 6, lg: 12 }} spacing="xs" data-testid="pr-data-month-grid">
          {months.map((month) => (
            <Tooltip
              key={month.month}
              label={month.running.length ? month.running.map((row) => row.promoName ?? 'Unnamed').join(', ') : 'No promotion'}
              multiline
              w={260}
              withArrow
              openDelay={200}
            >
              <Paper withBorder radius="sm" p="xs" bg={month.running.length ? 'pink.0' : undefined}>
                <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                  {month.name}
                </Text>
                <Text fw={700} className="pr-num">
                  {month.running.length}
                </Text>
                <Progress
                  value={month.coverage * 100}
                  color="pink"
                  size="xs"
                  mt={4}
                  aria-label={`${month.name}: ${Math.round(month.coverage * 100)} % of days`}
                />
              </Paper>
            </Tooltip>
          ))}
        </SimpleGrid>
      </Panel>
      <Panel padding={0} testId="pr-data-calendar">
        <Table.ScrollContainer minWidth={960} type="native">
          <Table verticalSpacing="sm" horizontalSpacing="md" striped data-testid="pr-data-calendar-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th miw={170}>Promotion</Table.Th>
                <Table.Th miw={170}>Dates</Table.Th>
                <Table.Th miw={230}>Departments</Table.Th>
                <Table.Th>Channels</Table.Th>
                <Table.Th ta="right">Avg. discount</Table.Th>
                <Table.Th>Source file</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text size="sm" c="dimmed" ta="center" py="md">
                      No promotion matches the filters.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {shown.map((row) => (
                <Table.Tr key={row.id} data-testid="pr-data-calendar-row">
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {row.promoName ?? 'Unnamed promotion'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatPeriod(row.dateStart, row.dateEnd)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {daysBetween(row.dateStart, row.dateEnd)} days
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {(row.departments ?? []).slice(0, 4).map((name) => (
                        <Badge
                          key={name}
                          size="sm"
                          variant="light"
                          color={name === department ? 'pink' : 'gray'}
                          tt="none"
                          style={{ flexShrink: 0, maxWidth: 'none' }}
                        >
                          {name}
                        </Badge>
                      ))}
                      {(row.departments ?? []).length > 4 && (
                        <Tooltip label={(row.departments ?? []).slice(4).join(', ')} withArrow multiline w={240}>
                          <Badge size="sm" variant="outline" color="gray" tt="none">
                            +{(row.departments ?? []).length - 4}
                          </Badge>
                        </Tooltip>
                      )}
                      {(row.departments ?? []).length === 0 && (
                        <Text size="xs" c="dimmed">
                          All
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{(row.channels ?? []).length ? (row.channels ?? []).map(channelLabel).join(', ') : 'All'}</Text>
                  </Table.Td>
                  <Table.Td ta="right" className="pr-num" fw={600}>
                    {row.avgDiscountPct === null ? '—' : `−${formatPct(row.avgDiscountPct)}`}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed" maw={170} truncate="end" title={row.sourceFile ?? undefined}>
                      {row.sourceFile ?? '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Panel>
    </Stack>
  );
}

// ---------------------------------------------------------------- targets

function scopeLabel(row: TargetRow): string {
  if (!row.department && !row.channel) return 'Whole business';
  return [row.department ?? 'All departments', row.channel ? channelLabel(row.channel) : 'all channels'].join(' · ');
}

function TargetsTab({ rows }: { rows: TargetRow[] }) {
  const thisMonth = todayIso().slice(0, 7);
  const groups = useMemo(() => {
    const byMonth = new Map<string, TargetRow[]>();
    for (const row of rows) byMonth.set(row.month, [...(byMonth.get(row.month) ?? []), row]);
    const months = [...byMonth.keys()];
    // The coming months first (nearest first), then the past ones (latest first).
    const upcoming = months.filter((month) => month >= thisMonth).sort();
    const past = months.filter((month) => month < thisMonth).sort((a, b) => b.localeCompare(a));
    return [...upcoming, ...past].map((month) => {
      const lines = (byMonth.get(month) ?? []).sort(
        (a, b) =>
          a.geo.localeCompare(b.geo) ||
          Number(Boolean(a.department || a.channel)) - Number(Boolean(b.department || b.channel)) ||
          (a.department ?? '').localeCompare(b.department ?? '') ||
          (a.channel ?? '').localeCompare(b.channel ?? ''),
      );
      const whole = lines.filter((row) => !row.department && !row.channel);
      const total = whole.length ? whole.reduce((sum, row) => sum + row.salesValueTarget, 0) : null;
      return { month, lines, total, upcoming: month >= thisMonth };
    });
  }, [rows, thisMonth]);

  if (rows.length === 0) {
    return (
      <EmptyPanel
        icon={IconTarget}
        title="No targets imported yet"
        testId="pr-data-targets-empty"
        action={<ImportButton kind="targets" label="Import targets" />}
      >
        Import the monthly targets (month, geography, sales value and margin % target, optionally by department and channel) to compare the forecast with them
        in Opportunities.
      </EmptyPanel>
    );
  }

  const opened = groups.filter((group) => group.upcoming).slice(0, 3);
  return (
    <Accordion
      multiple
      variant="separated"
      radius="md"
      defaultValue={(opened.length ? opened : groups.slice(0, 1)).map((group) => group.month)}
      data-testid="pr-data-targets"
    >
      {groups.map((group) => (
        <Accordion.Item key={group.month} value={group.month} data-testid={`pr-data-target-month-${group.month}`}>
          <Accordion.Control>
            <Group justify="space-between" pr="md">
              <Group gap="sm">
                <Text fw={650}>{formatMonth(group.month)}</Text>
                {group.month === thisMonth ? (
                  <Badge size="sm" color="pink" variant="light">
                    This month
                  </Badge>
                ) : group.upcoming ? (
                  <Badge size="sm" color="indigo" variant="light">
                    Upcoming
                  </Badge>
                ) : (
                  <Badge size="sm" color="gray" variant="light">
                    Past
                  </Badge>
                )}
              </Group>
              <Text size="sm" c="dimmed">
                {group.lines.length} target{group.lines.length === 1 ? '' : 's'}
                {group.total !== null ? ` · whole business ${formatMoney(group.total)}` : ''}
              </Text>
            </Group>
          </Accordion.Control>
          <Accordion.Panel>
            <Table.ScrollContainer minWidth={720} type="native">
              <Table verticalSpacing="xs" horizontalSpacing="md" data-testid="pr-data-targets-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Geography</Table.Th>
                    <Table.Th>Department · channel</Table.Th>
                    <Table.Th ta="right">Sales target</Table.Th>
                    <Table.Th ta="right">Margin target</Table.Th>
                    <Table.Th ta="right">Units</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {group.lines.map((row) => {
                    const whole = !row.department && !row.channel;
                    return (
                      <Table.Tr key={row.id} data-testid="pr-data-target-row">
                        <Table.Td>{row.geo}</Table.Td>
                        <Table.Td fw={whole ? 700 : undefined}>{scopeLabel(row)}</Table.Td>
                        <Table.Td ta="right" className="pr-num" fw={whole ? 700 : 500}>
                          {formatMoneyFull(row.salesValueTarget)}
                        </Table.Td>
                        <Table.Td ta="right" className="pr-num">
                          {formatPct(row.marginPctTarget)}
                        </Table.Td>
                        <Table.Td ta="right" className="pr-num" c={row.unitsTarget === null ? 'dimmed' : undefined}>
                          {formatCount(row.unitsTarget)}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

// ---------------------------------------------------------------- segments

const SENSITIVITY_COLORS: Record<string, string> = { low: 'teal', medium: 'yellow', high: 'red' };

/** A share as a bar scaled to the largest share in the table (`scale`), with the share itself beside it. */
function ShareBar({ value, scale, color, label }: { value: number; scale: number; color: string; label: string }) {
  return (
    <Group gap={8} wrap="nowrap">
      <Progress value={(value / scale) * 100} color={color} size="md" radius="xl" w={64} aria-label={label} />
      <Text size="sm" className="pr-num" w={52} ta="right">
        {formatPct(value * 100)}
      </Text>
    </Group>
  );
}

function SegmentsTab({ rows }: { rows: SegmentRow[] }) {
  if (rows.length === 0) {
    return (
      <EmptyPanel
        icon={IconUsersGroup}
        title="No customer segments imported yet"
        testId="pr-data-segments-empty"
        action={<ImportButton kind="segments" label="Import CDP segments" />}
      >
        Import the CDP segment export (segment id, name, share of customers and revenue, basket value, favourite categories, discount sensitivity) to target
        promotions at them.
      </EmptyPanel>
    );
  }
  const scale = Math.max(0.01, ...rows.flatMap((row) => [row.shareOfCustomers, row.shareOfRevenue]));
  return (
    <Panel
      title="CDP customer segments"
      description="Share of customers and of revenue per segment; bars are scaled to the largest share. A segment that brings more revenue than customers spends more per head."
      padding={0}
      testId="pr-data-segments"
    >
      <Table.ScrollContainer minWidth={960} type="native">
        <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="pr-data-segments-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th miw={170}>Segment</Table.Th>
              <Table.Th>Customers</Table.Th>
              <Table.Th>Revenue</Table.Th>
              <Table.Th ta="right">Avg. basket</Table.Th>
              <Table.Th miw={190}>Favourite categories</Table.Th>
              <Table.Th>Sensitivity</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.segmentId} data-testid="pr-data-segment-row">
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {row.name}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {row.segmentId}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <ShareBar value={row.shareOfCustomers} scale={scale} color="indigo" label={`${row.name}: share of customers`} />
                </Table.Td>
                <Table.Td>
                  <ShareBar value={row.shareOfRevenue} scale={scale} color="pink" label={`${row.name}: share of revenue`} />
                </Table.Td>
                <Table.Td ta="right" className="pr-num">
                  <Text size="sm" fw={600} className="pr-num">
                    {formatMoneyFull(row.avgBasketValue)}
                  </Text>
                  {row.purchaseFrequency !== null && (
                    <Text size="xs" c="dimmed">
                      purchase frequency {row.purchaseFrequency.toLocaleString(undefined, { maximumFractionDigits: 1 })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {(row.favCategories ?? []).map((category) => (
                      <Badge key={category} size="sm" variant="light" color="gray" tt="none" style={{ flexShrink: 0, maxWidth: 'none' }}>
                        {category}
                      </Badge>
                    ))}
                    {(row.favCategories ?? []).length === 0 && (
                      <Text size="xs" c="dimmed">
                        —
                      </Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {row.discountSensitivity ? (
                    <Badge variant="light" color={SENSITIVITY_COLORS[row.discountSensitivity] ?? 'gray'} data-testid="pr-data-sensitivity">
                      {row.discountSensitivity}
                    </Badge>
                  ) : (
                    <Text size="xs" c="dimmed">
                      Unknown
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Box h={4} />
    </Panel>
  );
}
