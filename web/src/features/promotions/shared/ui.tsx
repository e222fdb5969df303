import { Badge, type BadgeProps, Box, Group, Text } from '@mantine/core';
import { IconAlertOctagon, IconAlertTriangle, IconCircleCheck, type Icon } from '@tabler/icons-react';
import type { ValidationStatus } from '../api-types';
import { EmptyPanel as BaseEmptyPanel, Panel, StatTile } from '../../../components/panels';

export { Panel, StatTile };

/** The shared empty panel in the promotions accent colour. */
export function EmptyPanel(props: Omit<Parameters<typeof BaseEmptyPanel>[0], 'color'>) {
  return <BaseEmptyPanel color="pink" {...props} />;
}

export const VALIDATION_META: Record<ValidationStatus, { color: string; label: string; icon: Icon; hint: string }> = {
  PASS: { color: 'teal', label: 'PASS', icon: IconCircleCheck, hint: 'Ready to launch: no rule is broken.' },
  WARN: { color: 'yellow', label: 'WARN', icon: IconAlertTriangle, hint: 'Can launch, but some checks need a look.' },
  BLOCK: { color: 'red', label: 'BLOCK', icon: IconAlertOctagon, hint: 'Must not launch as planned: fix the blocking issues.' },
};

export function ValidationBadge({ status, ...props }: BadgeProps & { status: ValidationStatus | null | undefined }) {
  if (!status) {
    return (
      <Badge variant="default" radius="sm" tt="none" fw={500} data-validation="none" {...props}>
        Not validated
      </Badge>
    );
  }
  const meta = VALIDATION_META[status];
  const StatusIcon = meta.icon;
  return (
    <Badge color={meta.color} variant="filled" radius="sm" fw={700} leftSection={<StatusIcon size={12} />} data-validation={status} {...props}>
      {meta.label}
    </Badge>
  );
}

export const SEVERITY_COLORS: Record<string, string> = { blocker: 'red', high: 'orange', medium: 'yellow', low: 'gray' };

export function LegendSwatch({ color, label, dashed = false }: { color: string; label: string; dashed?: boolean }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Box
        w={16}
        h={dashed ? 0 : 10}
        style={{
          borderRadius: 2,
          background: dashed ? undefined : color,
          borderTop: dashed ? `2px dashed ${color}` : undefined,
        }}
      />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
