import { Box, Divider, Group, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { HealthDetails } from './health-details';
import { HEALTH_COLORS, HEALTH_LABELS, useHealth } from './use-health';

export function StatusDot({ color, pulse = false, size = 10 }: { color: string; pulse?: boolean; size?: number }) {
  return (
    <Box
      component="span"
      w={size}
      h={size}
      style={{
        display: 'inline-block',
        borderRadius: '50%',
        background: `var(--mantine-color-${color}-6)`,
        boxShadow: `0 0 0 3px var(--mantine-color-${color}-1)`,
        animation: pulse ? 'retailops-pulse 1.6s ease-in-out infinite' : undefined,
        flexShrink: 0,
      }}
    />
  );
}

export function HealthIndicator() {
  const health = useHealth();
  const status = health.data?.status ?? (health.isError ? 'down' : 'unknown');
  const color = HEALTH_COLORS[status];

  const label = (
    <Stack gap={8} p={4}>
      <Group justify="space-between" gap="lg">
        <Text size="sm" fw={700} c="inherit">
          {HEALTH_LABELS[status]}
        </Text>
        {health.data?.version && (
          <Text size="xs" c="inherit" opacity={0.7}>
            v{health.data.version}
          </Text>
        )}
      </Group>
      {health.data ? (
        <>
          <Divider opacity={0.3} />
          <HealthDetails health={health.data} />
        </>
      ) : (
        <Text size="sm" c="inherit" opacity={0.8}>
          {health.isError ? 'The health endpoint did not answer.' : 'Checking…'}
        </Text>
      )}
    </Stack>
  );

  return (
    <Tooltip label={label} withArrow position="bottom-end" multiline>
      <UnstyledButton
        aria-label={`System status: ${HEALTH_LABELS[status]}`}
        data-testid="health-indicator"
        data-status={status}
        px={8}
        py={6}
        style={{ borderRadius: 8 }}
      >
        <Group gap={8} wrap="nowrap">
          <StatusDot color={color} pulse={status !== 'ok' && status !== 'unknown'} />
          <Text size="sm" c="dimmed" visibleFrom="md">
            {status === 'ok' ? 'Healthy' : HEALTH_LABELS[status]}
          </Text>
        </Group>
      </UnstyledButton>
    </Tooltip>
  );
}
