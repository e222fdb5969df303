import { Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { ErrorState } from '../../components/error-state';
import { HealthDetails } from '../health/health-details';
import { StatusDot } from '../health/health-indicator';
import { HEALTH_COLORS, HEALTH_LABELS, useHealth } from '../health/use-health';

export function HealthSummaryCard() {
  const health = useHealth();
  return (
    <Card withBorder radius="md" p="lg" h="100%" data-testid="health-summary">
      <Group justify="space-between" mb="md">
        <Title order={2} fz="md">
          System health
        </Title>
        {health.data && (
          <Text size="xs" c="dimmed">
            v{health.data.version}
          </Text>
        )}
      </Group>
      {health.isPending && <Skeleton h={96} radius="md" />}
      {health.isError && <ErrorState error={health.error} title="Health check unavailable" onRetry={() => health.refetch()} />}
      {health.data && (
        <Stack gap="md">
          <Group gap="sm">
            <StatusDot color={HEALTH_COLORS[health.data.status]} size={12} />
            <Text fw={600}>{HEALTH_LABELS[health.data.status]}</Text>
          </Group>
          <HealthDetails health={health.data} />
        </Stack>
      )}
    </Card>
  );
}
