import { Box, Center, Group, Paper, Skeleton, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { CSSProperties, ReactNode } from 'react';

const tabularNumbers: CSSProperties = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' };

/** A bordered section with an optional title, description and actions: the building block of the module pages. */
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

/**
 * Green when a change goes the good way, red when it goes the bad way, grey when it is (nearly) none — below 0.05,
 * which the tiles show with one decimal as ±0.0.
 */
function changeColor(value: number | null | undefined, higherIsBetter: boolean): string {
  if (value == null || !Number.isFinite(value) || Math.abs(value) < 0.05) return 'dimmed';
  return value > 0 === higherIsBetter ? 'teal.7' : 'red.7';
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
        <Text fz={26} fw={750} style={tabularNumbers} lh={1.25} mt={4} data-testid={testId ? `${testId}-value` : undefined}>
          {value}
        </Text>
      )}
      <Box mih={18} mt={2}>
        {!loading && deltaLabel !== undefined && (
          <Text size="xs" fw={600} c={changeColor(delta, higherIsBetter)} style={tabularNumbers} span>
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
  color = 'indigo',
}: {
  icon: Icon;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  testId?: string;
  /** The module's accent colour for the icon. */
  color?: string;
}) {
  return (
    <Paper withBorder radius="md" p="xl" data-testid={testId}>
      <Center>
        <Stack align="center" gap="xs" maw={480} ta="center">
          <ThemeIcon size={48} radius="xl" variant="light" color={color}>
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
