import { Box, Button, Grid, Group, Loader, Paper, SegmentedControl, Select, SimpleGrid, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconCalendar, IconRefresh, IconSearch } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import type { KpiStatus, Overview, OverviewDistrict, OverviewRegion, OverviewStore } from '../api-types';
import { useEvaluate, useOverview } from '../queries';
import { canManage, formatIsoDate, STATUS_META, statusRank, todayIn } from '../shared/status';
import { StatusCountsBar } from '../shared/status-counts-bar';
import { StatusDot } from '../shared/status-ui';
import { StoreHealthPage } from '../store-health-page';
import { AttentionList } from './attention-list';
import { StoreTile } from './store-tile';

type Focus = 'all' | 'attention' | 'red';

const FOCUS_STATUSES: Record<Focus, KpiStatus[] | null> = {
  all: null,
  attention: ['red', 'yellow'],
  red: ['red'],
};

const byWorstStore = (a: OverviewStore, b: OverviewStore) =>
  statusRank(a.overallStatus) - statusRank(b.overallStatus) || (a.healthScore ?? 101) - (b.healthScore ?? 101) || a.storeCode.localeCompare(b.storeCode);
const byWorstGroup = (a: { worstStatus: KpiStatus; counts: { red: number; yellow: number } }, b: typeof a) =>
  statusRank(a.worstStatus) - statusRank(b.worstStatus) || b.counts.red - a.counts.red || b.counts.yellow - a.counts.yellow;

/** Regions and districts worst first, stores filtered by the focus; empty groups disappear. */
function arrange(overview: Overview, focus: Focus): OverviewRegion[] {
  const keep = FOCUS_STATUSES[focus];
  return [...overview.regions].sort(byWorstGroup).flatMap((region) => {
    const districts = [...region.districts].sort(byWorstGroup).flatMap((district): OverviewDistrict[] => {
      const stores = district.stores.filter((store) => !keep || keep.includes(store.overallStatus)).sort(byWorstStore);
      return stores.length > 0 ? [{ ...district, stores }] : [];
    });
    return districts.length > 0 ? [{ ...region, districts }] : [];
  });
}

export function ChainOverviewPage() {
  const me = useSession();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const requestedDate = searchParams.get('date');
  const focus = (['all', 'attention', 'red'].includes(searchParams.get('focus') ?? '') ? searchParams.get('focus') : 'all') as Focus;
  const overview = useOverview(requestedDate);
  const evaluate = useEvaluate();
  const data = overview.data;
  const shownDate = data?.date ?? requestedDate;

  const setParam = (key: string, value: string | null) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const regions = useMemo(() => (data ? arrange(data, focus) : []), [data, focus]);
  const allStores = useMemo(() => data?.regions.flatMap((region) => region.districts.flatMap((district) => district.stores)) ?? [], [data]);

  if (overview.isError && !data) {
    return (
      <Stack gap="xl" data-testid="sh-overview">
        <PageHeader title="Chain health" />
        <ErrorState error={overview.error} title="Could not load the chain overview" onRetry={() => overview.refetch()} />
      </Stack>
    );
  }

  if (data && data.totals.stores === 0 && !requestedDate) {
    return (
      <Stack gap="xl" data-testid="sh-overview">
        <Paper withBorder radius="md" p="md" bg="indigo.0">
          <Group justify="space-between" gap="sm">
            <Text size="sm">
              No health snapshot yet: import your stores and their daily KPI values, and the chain grid appears here after the first evaluation.
            </Text>
            <Group gap="xs">
              <Button component={Link} to="/store-health/imports?kind=stores" variant="default" size="xs">
                Import stores
              </Button>
              <Button component={Link} to="/store-health/imports?kind=metrics" size="xs">
                Import metrics
              </Button>
            </Group>
          </Group>
        </Paper>
        <StoreHealthPage />
      </Stack>
    );
  }

  const handleEvaluate = () => {
    if (!shownDate) return;
    evaluate.mutate(
      { from: shownDate, to: shownDate },
      {
        onSuccess: ({ jobId }) =>
          notifications.show({
            color: 'indigo',
            title: 'Evaluation queued',
            message: `Job ${jobId} re-scores ${formatIsoDate(shownDate)}; the grid refreshes when it is done.`,
          }),
        onError: (error) => notifications.show({ color: 'red', title: 'Could not start the evaluation', message: errorMessage(error) }),
      },
    );
  };

  return (
    <Stack gap="lg" data-testid="sh-overview">
      <PageHeader
        title="Chain health"
        documentTitle="Chain health"
        description={
          shownDate
            ? `Every store’s status on ${formatIsoDate(shownDate, 'weekday')}, grouped by region and district, worst first. Hover a tile for the reason, click it for the store.`
            : 'Every store’s status, grouped by region and district, worst first.'
        }
        actions={
          <>
            {overview.isFetching && !overview.isPending && <Loader size="xs" type="dots" aria-label="Refreshing" />}
            <Select
              aria-label="Jump to store"
              placeholder="Jump to store…"
              w={200}
              searchable
              leftSection={<IconSearch size={16} />}
              data={allStores.map((store) => ({ value: store.id, label: `${store.storeCode} · ${store.name}` }))}
              value={null}
              onChange={(id) => id && navigate(`/store-health/stores/${id}`)}
              nothingFoundMessage="No store matches"
              data-testid="sh-jump-to-store"
            />
            {canManage(me.role) && shownDate && (
              <Button variant="default" leftSection={<IconRefresh size={16} />} loading={evaluate.isPending} onClick={handleEvaluate}>
                Re-evaluate day
              </Button>
            )}
            <DatePickerInput
              aria-label="Snapshot date"
              data-testid="sh-date-picker"
              leftSection={<IconCalendar size={16} />}
              placeholder="Latest"
              value={shownDate}
              maxDate={todayIn(me.organization.timezone)}
              valueFormat="ddd, MMM D, YYYY"
              clearable={Boolean(requestedDate)}
              onChange={(value) => setParam('date', value)}
              w={210}
            />
          </>
        }
      />

      {!data ? (
        <OverviewSkeleton />
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <CountCard
              status="red"
              count={data.totals.red}
              total={data.totals.stores}
              active={focus === 'red'}
              onClick={() => setParam('focus', focus === 'red' ? null : 'red')}
            />
            <CountCard
              status="yellow"
              count={data.totals.yellow}
              total={data.totals.stores}
              active={focus === 'attention'}
              onClick={() => setParam('focus', focus === 'attention' ? null : 'attention')}
            />
            <CountCard status="green" count={data.totals.green} total={data.totals.stores} active={false} onClick={() => setParam('focus', null)} />
            <Paper withBorder radius="md" p="md">
              <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
                Stores
              </Text>
              <Text fz={28} fw={800} lh={1.2} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {data.totals.stores}
              </Text>
              <Text size="xs" c="dimmed">
                {data.totals.closed} closed · {data.totals.no_data} without data
              </Text>
            </Paper>
          </SimpleGrid>

          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <Stack gap="sm">
                <Group justify="space-between" gap="sm">
                  <SegmentedControl
                    size="xs"
                    value={focus}
                    onChange={(value) => setParam('focus', value === 'all' ? null : value)}
                    data={[
                      { value: 'all', label: 'All stores' },
                      { value: 'attention', label: 'Red & yellow' },
                      { value: 'red', label: 'Red only' },
                    ]}
                    data-testid="sh-overview-focus"
                  />
                  <Legend />
                </Group>
                {regions.length === 0 ? (
                  <Paper withBorder radius="md" p="xl">
                    <Text ta="center" c="dimmed" size="sm">
                      {focus === 'red'
                        ? 'No store is red on this day.'
                        : focus === 'attention'
                          ? 'Every store is green on this day.'
                          : 'No stores on this day.'}
                    </Text>
                  </Paper>
                ) : (
                  regions.map((region) => <RegionBlock key={region.id} region={region} />)
                )}
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <AttentionList stores={allStores} />
            </Grid.Col>
          </Grid>
        </>
      )}
    </Stack>
  );
}

function CountCard({ status, count, total, active, onClick }: { status: KpiStatus; count: number; total: number; active: boolean; onClick: () => void }) {
  const meta = STATUS_META[status];
  const share = total > 0 ? Math.round((count / total) * 100) : 0;
  return (
    <UnstyledButton onClick={onClick} data-testid={`sh-count-${status}`} aria-pressed={active}>
      <Paper
        withBorder
        radius="md"
        p="md"
        className="retailops-hover-card"
        style={{
          borderLeft: `4px solid ${meta.fill}`,
          borderColor: active ? meta.fill : undefined,
          background: active ? `var(--mantine-color-${meta.color}-light)` : undefined,
        }}
      >
        <Group gap={6}>
          <StatusDot status={status} />
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
            {meta.label}
          </Text>
        </Group>
        <Group gap={6} align="baseline">
          <Text fz={28} fw={800} lh={1.2} c={status === 'red' && count > 0 ? 'red.7' : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {count}
          </Text>
          <Text size="sm" c="dimmed">
            {share}%
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          {status === 'red' ? 'stores failing — act today' : status === 'yellow' ? 'stores slipping — watch' : 'stores on track'}
        </Text>
      </Paper>
    </UnstyledButton>
  );
}

function Legend() {
  const items: KpiStatus[] = ['red', 'yellow', 'green', 'closed', 'no_data'];
  return (
    <Group gap={10} visibleFrom="md">
      {items.map((status) => (
        <Group key={status} gap={4} wrap="nowrap">
          <StatusDot status={status} size={9} />
          <Text size="xs" c="dimmed">
            {STATUS_META[status].label}
          </Text>
        </Group>
      ))}
    </Group>
  );
}

function RegionBlock({ region }: { region: OverviewRegion }) {
  return (
    <Paper withBorder radius="md" data-testid="sh-region" data-region={region.name}>
      <Group justify="space-between" px="md" py="sm" gap="md" wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
        <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
          <StatusDot status={region.worstStatus} size={12} />
          <Text fw={700} truncate="end">
            {region.name}
          </Text>
        </Group>
        <Box w={220} style={{ flexShrink: 0 }}>
          <StatusCountsBar counts={region.counts} withLabels />
        </Box>
      </Group>
      <Stack gap={0}>
        {region.districts.map((district, index) => (
          <Group
            key={district.id}
            align="flex-start"
            wrap="nowrap"
            gap="md"
            px="md"
            py={10}
            style={{ borderTop: index === 0 ? undefined : '1px solid var(--mantine-color-gray-1)' }}
          >
            <Stack gap={2} w={150} pt={4} style={{ flexShrink: 0 }}>
              <Text size="sm" fw={600} lineClamp={2} lh={1.3} title={district.name}>
                {district.name}
              </Text>
              <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {district.counts.red > 0 && (
                  <Text span c="red.7" fw={700} inherit>
                    {district.counts.red} red{' '}
                  </Text>
                )}
                {district.counts.yellow > 0 && (
                  <Text span c="yellow.8" fw={700} inherit>
                    {district.counts.yellow} yellow{' '}
                  </Text>
                )}
                {district.counts.red === 0 && district.counts.yellow === 0 && 'all clear'}
              </Text>
            </Stack>
            <Group gap={8} style={{ flex: 1, rowGap: 10 }} pt={4} pb={2}>
              {district.stores.map((store) => (
                <StoreTile key={store.id} store={store} />
              ))}
            </Group>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

function OverviewSkeleton() {
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {[0, 1, 2, 3].map((index) => (
          <Skeleton key={index} h={104} radius="md" />
        ))}
      </SimpleGrid>
      <Skeleton h={220} radius="md" />
      <Skeleton h={220} radius="md" />
    </Stack>
  );
}
