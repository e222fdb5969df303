import { Group, Text, Tooltip } from '@mantine/core';
import { IconClockExclamation, IconClock } from '@tabler/icons-react';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import { useOrgTimeZone } from '../../auth/session';
import type { Task } from '../api-types';

export function isTaskOpen(task: Task): boolean {
  return task.status === 'pending' || task.status === 'in_progress';
}

export function isTaskOverdue(task: Task, now: number): boolean {
  return isTaskOpen(task) && task.dueDate !== null && new Date(task.dueDate).getTime() < now;
}

/** Due date, relative; red and flagged once an open task is past it. */
export function TaskDue({ task }: { task: Task }) {
  const now = useNow();
  const timeZone = useOrgTimeZone();
  if (!task.dueDate) {
    return (
      <Text size="xs" c="dimmed">
        No due date
      </Text>
    );
  }
  const overdue = isTaskOverdue(task, now);
  const Icon = overdue ? IconClockExclamation : IconClock;
  return (
    <Tooltip label={`Due ${formatDateTime(task.dueDate, timeZone)}`} withArrow openDelay={200}>
      <Group gap={4} wrap="nowrap" c={overdue ? 'red.7' : 'dimmed'} data-overdue={overdue}>
        <Icon size={14} />
        <Text size="xs" fw={overdue ? 700 : 400} style={{ whiteSpace: 'nowrap' }}>
          {overdue
            ? `Overdue ${formatRelative(task.dueDate, now).replace(/ ago$/, '')}`
            : isTaskOpen(task)
              ? `Due ${formatRelative(task.dueDate, now)}`
              : formatDateTime(task.dueDate, timeZone, 'date')}
        </Text>
      </Group>
    </Tooltip>
  );
}
