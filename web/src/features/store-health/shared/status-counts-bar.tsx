import { Group, Progress, Text, Tooltip } from '@mantine/core';
import type { KpiStatus, StatusCounts } from '../api-types';
import { STATUS_META } from './status';

const ORDER: KpiStatus[] = ['red', 'yellow', 'green', 'no_data', 'closed'];

/** A stacked bar of store counts per status, worst on the left. */
export function StatusCountsBar({ counts, size = 8, withLabels = false }: { counts: StatusCounts; size?: number; withLabels?: boolean }) {
  const total = ORDER.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
  if (total === 0) return <Progress value={0} size={size} radius="xl" />;
  return (
    <Group gap={8} wrap="nowrap" w="100%">
      <Progress.Root size={size} radius="xl" style={{ flex: 1 }}>
        {ORDER.map((status) => {
          const count = counts[status] ?? 0;
          if (count === 0) return null;
          return (
            <Tooltip key={status} label={`${count} ${STATUS_META[status].label.toLowerCase()}`} withArrow>
              <Progress.Section
                value={(count / total) * 100}
                color={status === 'no_data' ? 'gray.3' : status === 'closed' ? 'gray.5' : `${STATUS_META[status].color}.${status === 'yellow' ? 5 : 6}`}
              />
            </Tooltip>
          );
        })}
      </Progress.Root>
      {withLabels && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
          <Text span c="red.7" fw={700} inherit>
            {counts.red ?? 0}
          </Text>
          {' · '}
          <Text span c="yellow.8" fw={700} inherit>
            {counts.yellow ?? 0}
          </Text>
          {' · '}
          <Text span c="green.7" fw={700} inherit>
            {counts.green ?? 0}
          </Text>
        </Text>
      )}
    </Group>
  );
}
