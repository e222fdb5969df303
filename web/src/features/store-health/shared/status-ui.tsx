import { Badge, type BadgeProps, Box, Group, Paper, RingProgress, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconAlarm, IconHourglassHigh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import { useOrgTimeZone } from '../../auth/session';
import type { AlertSeverity, AlertStatus, KpiStatus, TaskStatus } from '../api-types';
import { ALERT_STATUS_META, formatDurationShort, levelName, SEVERITY_META, statusMeta, TASK_STATUS_META } from './status';

export function StatusDot({ status, size = 10 }: { status: KpiStatus | null | undefined; size?: number }) {
  const meta = statusMeta(status);
  return (
    <Box
      component="span"
      aria-label={meta.label}
      style={{
        display: 'inline-block',
        width: size,
        height: size,
        borderRadius: '50%',
        background: meta.fill,
        border: status === 'no_data' || !status ? '1px dashed var(--mantine-color-gray-5)' : undefined,
        flexShrink: 0,
      }}
    />
  );
}

export function StatusBadge({ status, ...props }: BadgeProps & { status: KpiStatus | null | undefined }) {
  const meta = statusMeta(status);
  const strong = status === 'red' || status === 'yellow' || status === 'green';
  return (
    <Badge
      color={meta.color}
      variant={strong ? 'light' : 'default'}
      radius="sm"
      tt="none"
      fw={600}
      leftSection={<StatusDot status={status} size={8} />}
      data-status={status ?? 'no_data'}
      {...props}
    >
      {meta.label}
    </Badge>
  );
}

export function SeverityBadge({ severity, ...props }: BadgeProps & { severity: AlertSeverity }) {
  const meta = SEVERITY_META[severity] ?? SEVERITY_META.yellow;
  return (
    <Badge color={meta.color} variant={meta.variant} radius="sm" tt="none" fw={700} data-severity={severity} {...props}>
      {meta.label}
    </Badge>
  );
}

export function AlertStatusBadge({ status }: { status: AlertStatus }) {
  const meta = ALERT_STATUS_META[status] ?? { label: status, color: 'gray' };
  return (
    <Badge color={meta.color} variant="dot" radius="sm" tt="none" fw={500}>
      {meta.label}
    </Badge>
  );
}

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  const meta = TASK_STATUS_META[status] ?? { label: status, color: 'gray' };
  return (
    <Badge color={meta.color} variant="light" radius="sm" tt="none" fw={500}>
      {meta.label}
    </Badge>
  );
}

const LEVEL_COLORS = ['gray', 'blue', 'violet', 'orange', 'red'];

export function LevelBadge({ level, compact = false }: { level: number; compact?: boolean }) {
  return (
    <Tooltip label={`Escalation level ${level}: ${levelName(level)}`} withArrow openDelay={200}>
      <Badge color={LEVEL_COLORS[level] ?? 'gray'} variant={level === 0 ? 'default' : 'light'} radius="sm" tt="none" fw={600}>
        {compact ? `L${level}` : `L${level} · ${levelName(level)}`}
      </Badge>
    </Tooltip>
  );
}

/** Health score 0–100 as a ring colored by the store's status. */
export function HealthRing({ score, status, size = 88 }: { score: number | null; status: KpiStatus | null | undefined; size?: number }) {
  const meta = statusMeta(status);
  const value = score === null ? 0 : Math.max(0, Math.min(100, score));
  return (
    <RingProgress
      size={size}
      thickness={size / 10}
      roundCaps
      rootColor="gray.2"
      sections={[{ value, color: meta.color === 'gray' ? 'gray.5' : `${meta.color}.6` }]}
      label={
        <Stack gap={0} align="center">
          <Text fw={800} fz={size / 3.6} lh={1} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {score === null ? '—' : Math.round(score)}
          </Text>
          <Text fz={10} c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.4 }}>
            score
          </Text>
        </Stack>
      }
    />
  );
}

/** Time left until the SLA deadline, ticking; red once breached. */
export function SlaCountdown({ expiresAt, done = false }: { expiresAt: string | null; done?: boolean }) {
  const now = useNow();
  const timeZone = useOrgTimeZone();
  if (!expiresAt) {
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const deadline = new Date(expiresAt).getTime();
  const left = deadline - now;
  const absolute = formatDateTime(expiresAt, timeZone);
  if (done) {
    return (
      <Text span size="sm" c="dimmed">
        {absolute}
      </Text>
    );
  }
  const breached = left <= 0;
  const urgent = !breached && left < 2 * 3600_000;
  return (
    <Tooltip label={`SLA deadline ${absolute} (counted in store opening hours)`} withArrow openDelay={200}>
      <Group gap={4} wrap="nowrap" c={breached ? 'red.7' : urgent ? 'orange.7' : 'dark.4'} data-testid="sla-countdown" data-breached={breached}>
        {breached ? <IconAlarm size={15} /> : <IconHourglassHigh size={15} />}
        <Text span size="sm" fw={breached || urgent ? 700 : 500} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
          {breached ? `${formatDurationShort(left)} over` : `${formatDurationShort(left)} left`}
        </Text>
      </Group>
    </Tooltip>
  );
}

/** A titled white panel, the building block of the module's pages. */
export function Panel({
  title,
  description,
  actions,
  children,
  padding = 'md',
  testId,
}: {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  padding?: 'xs' | 'sm' | 'md' | 'lg' | 0;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p={padding} data-testid={testId}>
      {(title || actions) && (
        <Group justify="space-between" align="flex-start" mb="sm" gap="sm" wrap="nowrap" px={padding === 0 ? 'md' : 0} pt={padding === 0 ? 'md' : 0}>
          <Stack gap={2} style={{ minWidth: 0 }}>
            {title && (
              <Title order={2} fz="md" fw={650}>
                {title}
              </Title>
            )}
            {description && (
              <Text size="xs" c="dimmed">
                {description}
              </Text>
            )}
          </Stack>
          {actions && (
            <Group gap="xs" wrap="nowrap">
              {actions}
            </Group>
          )}
        </Group>
      )}
      {children}
    </Paper>
  );
}
