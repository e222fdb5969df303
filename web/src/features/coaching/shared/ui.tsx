import { Alert, Badge, type BadgeProps, Box, Button, Modal, Group, Stack, Text } from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { CoachingRole, PersonStatus } from '../api-types';
import { deltaColor, formatSigned, ROLE_COLORS, ROLE_LABELS, STATUS_META } from './format';
import './coaching.css';
import { EmptyPanel, Panel, StatTile } from '../../../components/panels';

export { EmptyPanel, Panel, StatTile };

export function StatusBadge({ status, ...props }: BadgeProps & { status: PersonStatus | string }) {
  const meta = STATUS_META[status as PersonStatus] ?? { label: status, color: 'gray' };
  return (
    <Badge color={meta.color} variant="light" radius="sm" tt="none" fw={600} data-status={status} {...props}>
      {meta.label}
    </Badge>
  );
}

export function RoleBadge({ role, ...props }: BadgeProps & { role: CoachingRole | string }) {
  return (
    <Badge color={ROLE_COLORS[role as CoachingRole] ?? 'gray'} variant="outline" radius="sm" tt="none" fw={600} {...props}>
      {ROLE_LABELS[role as CoachingRole] ?? role}
    </Badge>
  );
}

/** An arrow and a signed change in points: up green, down red (for metrics where higher is better). */
export function TrendChange({
  change,
  higherIsBetter = true,
  suffix = '',
  testId,
}: {
  change: number | null | undefined;
  higherIsBetter?: boolean;
  suffix?: string;
  testId?: string;
}) {
  if (change === null || change === undefined || !Number.isFinite(change))
    return (
      <Text size="xs" c="dimmed" span>
        —
      </Text>
    );
  const ArrowIcon = Math.abs(change) < 0.05 ? IconArrowRight : change > 0 ? IconArrowUpRight : IconArrowDownRight;
  const color = deltaColor(change, higherIsBetter);
  return (
    <Group gap={2} wrap="nowrap" c={color} data-testid={testId} style={{ display: 'inline-flex' }}>
      <ArrowIcon size={14} stroke={2.2} />
      <Text size="xs" fw={650} className="co-num" span c={color}>
        {formatSigned(change)}
        {suffix}
      </Text>
    </Group>
  );
}

/**
 * A small line of the last weeks' values, scaled to their own range (at least `minSpan` points, so noise stays flat);
 * the colour follows the direction from first to last.
 */
export function TrendSparkline({ values, w = 90, h = 28, minSpan = 4 }: { values: (number | null)[]; w?: number; h?: number; minSpan?: number }) {
  const points = values
    .map((value, index) => ({ index, value }))
    .filter((p): p is { index: number; value: number } => typeof p.value === 'number' && Number.isFinite(p.value));
  if (points.length < 2) return <Box w={w} h={h} />;
  const numbers = points.map((p) => p.value);
  const mid = (Math.max(...numbers) + Math.min(...numbers)) / 2;
  const span = Math.max(minSpan, Math.max(...numbers) - Math.min(...numbers));
  const low = mid - span / 2;
  const x = (index: number) => 3 + (index / Math.max(1, values.length - 1)) * (w - 6);
  const y = (value: number) => h - 3 - ((value - low) / span) * (h - 6);
  const change = numbers[numbers.length - 1]! - numbers[0]!;
  const color = Math.abs(change) < 0.5 ? 'var(--mantine-color-gray-6)' : change > 0 ? 'var(--mantine-color-teal-6)' : 'var(--mantine-color-red-6)';
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.index).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const last = points[points.length - 1]!;
  return (
    <svg width={w} height={h} role="img" aria-label={`weekly composite ${numbers.map((n) => n.toFixed(1)).join(', ')}`} data-testid="co-sparkline">
      <line x1={0} x2={w} y1={y(mid)} y2={y(mid)} stroke="var(--mantine-color-gray-2)" strokeDasharray="2 3" />
      <path d={path} fill="none" stroke={color} strokeWidth={1.8} strokeLinejoin="round" strokeLinecap="round" />
      {points.map((p) => (
        <circle key={p.index} cx={x(p.index)} cy={y(p.value)} r={p === last ? 2.6 : 1.6} fill={color} />
      ))}
    </svg>
  );
}

export function LegendSwatch({ color, label }: { color: string; label: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Box w={14} h={10} style={{ borderRadius: 2, background: color }} />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}

/** A confirm dialog: what will happen, then the action (with its error, if the API refuses). */
export function ConfirmDialog({
  opened,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  loading = false,
  error,
  color = 'red',
  testId,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  loading?: boolean;
  error?: ReactNode;
  color?: string;
  testId?: string;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>{title}</Text>} centered data-testid={testId}>
      <Stack gap="md">
        <Text size="sm" component="div">
          {children}
        </Text>
        {error && (
          <Alert color="red" variant="light" data-testid={testId ? `${testId}-error` : undefined}>
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={color} onClick={onConfirm} loading={loading} data-testid={testId ? `${testId}-confirm` : undefined}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
