import { Anchor, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../../components/error-state';
import { DateTimeText } from '../../../components/date-time-text';
import { useSession } from '../../auth/session';
import type { Alert } from '../api-types';
import { useAlerts } from '../queries';
import { AcknowledgeButton, isOpenAlert, ResolveButton } from '../shared/alert-actions';
import { canAct } from '../shared/status';
import { AlertStatusBadge, LevelBadge, Panel, SeverityBadge, SlaCountdown } from '../shared/status-ui';

const SEVERITY_ORDER = { critical: 0, red: 1, yellow: 2 } as const;

export function StoreAlerts({ storeId }: { storeId: string }) {
  const me = useSession();
  const alerts = useAlerts({ storeId, limit: 100 });
  const rows = alerts.data?.data ?? [];
  const open = rows
    .filter(isOpenAlert)
    .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3) || (a.expiresAt ?? '').localeCompare(b.expiresAt ?? ''));
  const closedCount = rows.length - open.length;

  return (
    <Panel
      title={open.length > 0 ? `Open alerts (${open.length})` : 'Alerts'}
      description={open.length > 0 ? 'Acknowledge to take ownership; the SLA clock runs in store opening hours.' : undefined}
      actions={
        <Anchor component={Link} to={`/store-health/alerts?storeId=${storeId}`} size="xs">
          All alerts of this store{closedCount > 0 ? ` (${rows.length})` : ''}
        </Anchor>
      }
      testId="sh-store-alerts"
    >
      {alerts.isPending && <Skeleton h={56} radius="sm" />}
      {alerts.isError && <ErrorState error={alerts.error} title="Could not load alerts" onRetry={() => alerts.refetch()} />}
      {alerts.isSuccess && open.length === 0 && (
        <Group gap="xs" c="green.7">
          <IconCircleCheck size={18} />
          <Text size="sm">No open alerts for this store.</Text>
        </Group>
      )}
      {open.length > 0 && (
        <Stack gap={0}>
          {open.map((alert, index) => (
            <AlertRow key={alert.id} alert={alert} first={index === 0} canAct={canAct(me.role)} />
          ))}
        </Stack>
      )}
    </Panel>
  );
}

function AlertRow({ alert, first, canAct }: { alert: Alert; first: boolean; canAct: boolean }) {
  return (
    <Group
      justify="space-between"
      align="center"
      wrap="nowrap"
      gap="md"
      py="sm"
      style={{ borderTop: first ? undefined : '1px solid var(--mantine-color-gray-2)' }}
      data-testid="sh-store-alert"
    >
      <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0, flex: 1 }}>
        <SeverityBadge severity={alert.severity} miw={76} style={{ flexShrink: 0 }} />
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} lineClamp={1}>
            {alert.title}
          </Text>
          {alert.message && (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {alert.message}
            </Text>
          )}
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              {alert.kpiName ?? alert.kpiCode ?? 'Store'} · day {alert.daysInCondition} · raised{' '}
              <DateTimeText value={alert.alertDate} relative size="xs" c="dimmed" />
            </Text>
            <LevelBadge level={alert.escalationLevel} compact />
            <AlertStatusBadge status={alert.status} />
          </Group>
        </Stack>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <SlaCountdown expiresAt={alert.expiresAt} />
        {canAct && (
          <Group gap={4} wrap="nowrap">
            <AcknowledgeButton alert={alert} />
            <ResolveButton alert={alert} />
          </Group>
        )}
      </Group>
    </Group>
  );
}
