import { Sparkline } from '@mantine/charts';
import {
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconEdit, IconMapPin, IconPhone, IconSparkles, IconUser } from '@tabler/icons-react';
import { type ReactNode, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { useSession } from '../../auth/session';
import type { HealthSnapshot, StoreHealth } from '../api-types';
import { useStoreHealth } from '../queries';
import { addIsoDays, canManage, formatIsoDate, formatProbability, levelName, statusMeta, statusRank } from '../shared/status';
import { HealthRing, LevelBadge, StatusBadge } from '../shared/status-ui';
import { KpiChart } from './kpi-chart';
import { StatusHistory } from './status-history';
import { StoreAlerts } from './store-alerts';
import { StoreCalls } from './store-calls';
import { StorePredictions } from './store-predictions';
import { StoreTasks } from './store-tasks';

const RANGES = ['28', '56', '90'] as const;

export function StorePage() {
  const { id = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const days = (RANGES as readonly string[]).includes(searchParams.get('days') ?? '') ? Number(searchParams.get('days')) : 56;
  const anchor = searchParams.get('to');
  // 56 days back from the latest snapshot is the server's default; ask explicitly only for another window.
  const range = useMemo(
    () => (anchor || days !== 56 ? { from: anchor ? addIsoDays(anchor, -(days - 1)) : undefined, to: anchor ?? undefined } : {}),
    [anchor, days],
  );
  const health = useStoreHealth(id, range);
  const data = health.data;

  const setDays = (value: string) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value === '56') next.delete('days');
        else next.set('days', value);
        // Without an anchor, a custom window ends on the latest snapshot shown now.
        const latest = data?.snapshots.at(-1)?.snapshotDate;
        if (!next.get('to') && latest && value !== '56') next.set('to', latest);
        return next;
      },
      { replace: true },
    );

  if (health.isError && !data) {
    return (
      <Stack gap="lg" data-testid="sh-store-page">
        <BackLinks />
        <ErrorState
          error={health.error}
          title={isApiError(health.error, 404) ? 'This store does not exist in your organization' : 'Could not load this store'}
          onRetry={isApiError(health.error, 404) ? undefined : () => health.refetch()}
        />
      </Stack>
    );
  }

  if (!data) return <StorePageSkeleton />;

  return (
    <Stack gap="lg" data-testid="sh-store-page">
      <StoreHeader data={data} fetching={health.isFetching} />
      <StoreAlerts storeId={id} />
      <Stack gap="sm">
        <Group justify="space-between">
          <Stack gap={0}>
            <Title order={2} fz="lg">
              KPIs
            </Title>
            <Text size="xs" c="dimmed">
              Value (solid) against its baseline (dashed) over the green, yellow and red threshold bands; dots show each day’s status. Worst first.
            </Text>
          </Stack>
          <SegmentedControl size="xs" value={String(days)} onChange={setDays} data={RANGES.map((value) => ({ value, label: `${value} days` }))} />
        </Group>
        {data.kpis.length === 0 ? (
          <Paper withBorder radius="md" p="lg">
            <Text size="sm" c="dimmed" ta="center">
              No KPI values for this store in this period.
            </Text>
          </Paper>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
            {[...data.kpis]
              .sort((a, b) => statusRank(a.currentStatus) - statusRank(b.currentStatus) || a.kpi.name.localeCompare(b.kpi.name))
              .map((kpi) => (
                <KpiChart key={kpi.kpi.id} kpi={kpi} />
              ))}
          </SimpleGrid>
        )}
      </Stack>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <StoreTasks storeId={id} />
            <StoreCalls storeId={id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <StorePredictions storeId={id} from={data.snapshots.at(-1)?.snapshotDate ?? null} kpis={data.kpis} />
            <StatusHistory history={data.statusHistory} kpis={data.kpis} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function BackLinks({ regionName, districtName, storeName }: { regionName?: string | null; districtName?: string | null; storeName?: string }) {
  const items = [
    <Anchor key="overview" component={Link} to="/store-health" size="sm">
      Chain overview
    </Anchor>,
    regionName ? (
      <Text key="region" size="sm" c="dimmed">
        {regionName}
      </Text>
    ) : null,
    districtName ? (
      <Text key="district" size="sm" c="dimmed">
        {districtName}
      </Text>
    ) : null,
    storeName ? (
      <Text key="store" size="sm" c="dimmed">
        {storeName}
      </Text>
    ) : null,
  ].filter(Boolean);
  return <Breadcrumbs separatorMargin={6}>{items}</Breadcrumbs>;
}

function StoreHeader({ data, fetching }: { data: StoreHealth; fetching: boolean }) {
  const me = useSession();
  const { store } = data;
  const snapshots = [...data.snapshots].sort((a, b) => a.snapshotDate.localeCompare(b.snapshotDate));
  const latest = snapshots.at(-1);
  useDocumentTitle(`${store.storeCode} ${store.name} · Store health · RetailOps`);
  const address = [store.address, store.city, [store.state, store.zipCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const meta = statusMeta(latest?.overallStatus);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <BackLinks regionName={store.regionName} districtName={store.districtName} storeName={`${store.storeCode} · ${store.name}`} />
        <Group gap="xs">
          {fetching && <Loader size="xs" type="dots" aria-label="Refreshing" />}
          {canManage(me.role) && (
            <Button component={Link} to={`/store-health/stores?edit=${store.id}`} size="xs" variant="default" leftSection={<IconEdit size={14} />}>
              Edit store
            </Button>
          )}
        </Group>
      </Group>
      <Paper withBorder radius="md" p="lg" style={{ borderLeft: `6px solid ${meta.fill}` }}>
        <Grid gap="lg" align="center">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Group gap="lg" wrap="nowrap" align="center">
              <HealthRing score={latest?.healthScore ?? null} status={latest?.overallStatus} size={96} />
              <Stack gap={6} style={{ minWidth: 0 }}>
                <Group gap="sm" wrap="wrap">
                  <Title order={1} fz={24} fw={750} style={{ letterSpacing: -0.3 }}>
                    {store.storeCode} · {store.name}
                  </Title>
                  <StatusBadge status={latest?.overallStatus} size="lg" />
                  {latest?.actionRequired && (
                    <Badge color="red" variant="outline" radius="sm" tt="none">
                      Action required
                    </Badge>
                  )}
                  {store.status !== 'active' && (
                    <Badge color="gray" variant="default" radius="sm" tt="none">
                      {store.status}
                    </Badge>
                  )}
                </Group>
                <Group gap="md" c="dimmed">
                  {address && (
                    <Group gap={4} wrap="nowrap">
                      <IconMapPin size={14} />
                      <Text size="sm">{address}</Text>
                    </Group>
                  )}
                  {store.managerName && (
                    <Group gap={4} wrap="nowrap">
                      <IconUser size={14} />
                      <Text size="sm">{store.managerName}</Text>
                    </Group>
                  )}
                  {(store.managerPhone || store.phone) && (
                    <Group gap={4} wrap="nowrap">
                      <IconPhone size={14} />
                      <Text size="sm">{store.managerPhone || store.phone}</Text>
                    </Group>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {latest ? `Snapshot of ${formatIsoDate(latest.snapshotDate, 'weekday')}` : 'No snapshot yet'} · {store.timezone}
                </Text>
              </Stack>
            </Group>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <SimpleGrid cols={3} spacing="xs">
              <HeaderStat label="Escalation">
                <LevelBadge level={latest?.escalationLevel ?? 0} compact />
                <Text size="xs" c="dimmed" mt={2}>
                  {levelName(latest?.escalationLevel ?? 0)}
                </Text>
              </HeaderStat>
              <HeaderStat label="Risk (7 days)">
                <Text
                  fz={22}
                  fw={800}
                  lh={1.1}
                  c={(latest?.riskProbability ?? 0) >= 0.5 ? 'orange.7' : undefined}
                  style={{ fontVariantNumeric: 'tabular-nums' }}
                >
                  {formatProbability(latest?.riskProbability)}
                </Text>
                <Text size="xs" c="dimmed">
                  chance of red
                </Text>
              </HeaderStat>
              <HeaderStat label="KPIs">
                <Group gap={6} wrap="nowrap">
                  <KpiCount value={latest?.redKpiCount ?? 0} color="red.7" label="red" />
                  <KpiCount value={latest?.yellowKpiCount ?? 0} color="yellow.8" label="yellow" />
                  <KpiCount value={latest?.greenKpiCount ?? 0} color="green.7" label="green" />
                </Group>
              </HeaderStat>
            </SimpleGrid>
          </Grid.Col>
        </Grid>
        <Grid gap="lg" mt="md">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Paper radius="md" p="sm" bg="indigo.0" data-testid="sh-ai-summary">
              <Group gap={6} mb={4}>
                <IconSparkles size={16} color="var(--mantine-color-indigo-6)" />
                <Text size="xs" fw={700} c="indigo.8" tt="uppercase" style={{ letterSpacing: 0.4 }}>
                  Summary
                </Text>
              </Group>
              <Text size="sm" lh={1.5} style={{ whiteSpace: 'pre-wrap' }}>
                {latest?.summary || 'No summary for this day yet.'}
              </Text>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <HealthTrend snapshots={snapshots} />
          </Grid.Col>
        </Grid>
      </Paper>
    </Stack>
  );
}

function HeaderStat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={4} align="flex-start">
      <Text fz={10} c="dimmed" fw={700} tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      {children}
    </Stack>
  );
}

function KpiCount({ value, color, label }: { value: number; color: string; label: string }) {
  return (
    <Stack gap={0} align="center">
      <Text fz={22} fw={800} lh={1.1} c={value > 0 ? color : 'gray.4'} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      <Text fz={10} c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

/** Health score over the window with one colored cell per day of overall status. */
function HealthTrend({ snapshots }: { snapshots: HealthSnapshot[] }) {
  if (snapshots.length === 0) return null;
  // Closed days have no score; carrying the last one keeps them from reading as a collapse.
  const scores = snapshots.reduce<number[]>((line, snapshot) => [...line, snapshot.healthScore ?? line.at(-1) ?? 0], []);
  const first = snapshots[0];
  const last = snapshots.at(-1);
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text fz={10} c="dimmed" fw={700} tt="uppercase" style={{ letterSpacing: 0.4 }}>
          Health over {snapshots.length} days
        </Text>
        <Text size="xs" c="dimmed">
          {formatIsoDate(first?.snapshotDate, 'short')} – {formatIsoDate(last?.snapshotDate, 'short')}
        </Text>
      </Group>
      <Sparkline
        h={44}
        data={scores}
        curveType="monotone"
        color={statusMeta(last?.overallStatus).color === 'gray' ? 'gray.5' : `${statusMeta(last?.overallStatus).color}.6`}
        fillOpacity={0.25}
        strokeWidth={1.6}
      />
      <Group gap={1} wrap="nowrap" data-testid="sh-status-strip">
        {snapshots.map((snapshot) => (
          <Tooltip
            key={snapshot.snapshotDate}
            label={`${formatIsoDate(snapshot.snapshotDate, 'weekday')}: ${statusMeta(snapshot.overallStatus).label}${snapshot.healthScore === null ? '' : `, score ${Math.round(snapshot.healthScore)}`}`}
            withArrow
          >
            <Box h={12} style={{ flex: 1, borderRadius: 2, background: statusMeta(snapshot.overallStatus).fill }} />
          </Tooltip>
        ))}
      </Group>
    </Stack>
  );
}

function StorePageSkeleton() {
  return (
    <Stack gap="lg" data-testid="sh-store-page-loading">
      <Skeleton h={16} w={260} />
      <Skeleton h={200} radius="md" />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {[0, 1, 2, 3, 4, 5].map((index) => (
          <Skeleton key={index} h={220} radius="md" />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
