import { Badge, type BadgeProps, Box, Center, Group, Paper, Skeleton, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconAlertOctagon, IconAlertTriangle, IconCircleCheck, type Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ValidationStatus } from '../api-types';
import { deltaColor } from './format';

export function Panel({
  title,
  description,
  actions,
  children,
  testId,
  padding = 'md',
}: {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  padding?: 'xs' | 'sm' | 'md' | 'lg' | 0;
}) {
  return (
    <Paper withBorder radius="md" p={padding} data-testid={testId}>
      {(title || actions) && (
        <Group justify="space-between" align="flex-start" mb="sm" gap="sm" px={padding === 0 ? 'md' : 0} pt={padding === 0 ? 'md' : 0}>
          <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
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
          {actions && <Group gap="xs">{actions}</Group>}
        </Group>
      )}
      {children}
    </Paper>
  );
}

/** A tile with one figure: label above, value, and an optional delta or note below. */
export function StatTile({
  label,
  value,
  note,
  delta,
  deltaLabel,
  higherIsBetter = true,
  loading = false,
  testId,
  hint,
}: {
  label: string;
  value: ReactNode;
  note?: ReactNode;
  delta?: number | null;
  deltaLabel?: ReactNode;
  higherIsBetter?: boolean;
  loading?: boolean;
  testId?: string;
  hint?: string;
}) {
  const body = (
    <Paper withBorder radius="md" p="md" data-testid={testId} h="100%">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.5 }}>
        {label}
      </Text>
      {loading ? (
        <Skeleton h={30} mt={6} w="70%" />
      ) : (
        <Text fz={26} fw={750} className="pr-num" lh={1.25} mt={4} data-testid={testId ? `${testId}-value` : undefined}>
          {value}
        </Text>
      )}
      <Box mih={18} mt={2}>
        {!loading && deltaLabel !== undefined && (
          <Text size="xs" fw={600} c={deltaColor(delta ?? null, higherIsBetter)} className="pr-num" span>
            {deltaLabel}
          </Text>
        )}
        {!loading && note && (
          <Text size="xs" c="dimmed" span ml={deltaLabel !== undefined ? 6 : 0}>
            {note}
          </Text>
        )}
      </Box>
    </Paper>
  );
  return hint ? (
    <Tooltip label={hint} withArrow openDelay={300} multiline w={260}>
      {body}
    </Tooltip>
  ) : (
    body
  );
}

/** An empty panel that says what is missing and what to do next. */
export function EmptyPanel({
  icon: IconComponent,
  title,
  children,
  action,
  testId,
}: {
  icon: Icon;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p="xl" data-testid={testId}>
      <Center>
        <Stack align="center" gap="xs" maw={460} ta="center">
          <ThemeIcon size={48} radius="xl" variant="light" color="pink">
            <IconComponent size={26} stroke={1.6} />
          </ThemeIcon>
          <Text fw={650}>{title}</Text>
          {children && (
            <Text size="sm" c="dimmed">
              {children}
            </Text>
          )}
          {action && <Box mt="xs">{action}</Box>}
        </Stack>
      </Center>
    </Paper>
  );
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
