import { Anchor, Badge, Button, Collapse, Group, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconChevronRight, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { useNow } from '../../../lib/use-now';
import { useSession } from '../../auth/session';
import type { Task, TaskStatus } from '../api-types';
import { useTasks, useUpdateTask } from '../queries';
import { canAct, humanize } from '../shared/status';
import { Panel, TaskStatusBadge } from '../shared/status-ui';
import { TaskDialog } from '../shared/task-dialog';
import { isTaskOpen, isTaskOverdue, TaskDue } from '../shared/task-due';

export function StoreTasks({ storeId }: { storeId: string }) {
  const me = useSession();
  const now = useNow();
  const tasks = useTasks({ storeId, limit: 100 });
  const [editing, setEditing] = useState<{ task: Task; status?: TaskStatus } | null>(null);
  const [showDone, setShowDone] = useState(false);
  const rows = tasks.data?.data ?? [];
  const open = rows.filter(isTaskOpen).sort((a, b) => Number(isTaskOverdue(b, now)) - Number(isTaskOverdue(a, now)) || a.priority - b.priority);
  const done = rows.filter((task) => !isTaskOpen(task));
  const allowed = canAct(me.role);

  return (
    <Panel
      title={`Tasks${open.length > 0 ? ` (${open.length} open)` : ''}`}
      actions={
        <Anchor component={Link} to={`/store-health/tasks?storeId=${storeId}`} size="xs">
          Tasks board
        </Anchor>
      }
      testId="sh-store-tasks"
    >
      {tasks.isPending && <Skeleton h={56} radius="sm" />}
      {tasks.isError && <ErrorState error={tasks.error} title="Could not load tasks" onRetry={() => tasks.refetch()} />}
      {tasks.isSuccess && rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No tasks for this store.
        </Text>
      )}
      <Stack gap={0}>
        {open.map((task, index) => (
          <TaskRow key={task.id} task={task} first={index === 0} allowed={allowed} onEdit={(status) => setEditing({ task, status })} />
        ))}
      </Stack>
      {done.length > 0 && (
        <>
          <UnstyledButton onClick={() => setShowDone((value) => !value)} mt={open.length > 0 ? 'sm' : 0}>
            <Group gap={4} c="dimmed">
              {showDone ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
              <Text size="xs" fw={600}>
                {done.length} completed or cancelled
              </Text>
            </Group>
          </UnstyledButton>
          <Collapse expanded={showDone}>
            <Stack gap={0} mt={4}>
              {done.map((task, index) => (
                <TaskRow key={task.id} task={task} first={index === 0} allowed={allowed} onEdit={(status) => setEditing({ task, status })} />
              ))}
            </Stack>
          </Collapse>
        </>
      )}
      <TaskDialog task={editing?.task ?? null} initialStatus={editing?.status} onClose={() => setEditing(null)} />
    </Panel>
  );
}

function TaskRow({ task, first, allowed, onEdit }: { task: Task; first: boolean; allowed: boolean; onEdit: (status?: TaskStatus) => void }) {
  const updateTask = useUpdateTask();
  const now = useNow();
  const overdue = isTaskOverdue(task, now);
  const start = () =>
    updateTask.mutate(
      { id: task.id, patch: { status: 'in_progress' } },
      { onError: (error) => notifications.show({ color: 'red', title: 'Could not start the task', message: errorMessage(error) }) },
    );
  return (
    <Group
      justify="space-between"
      wrap="nowrap"
      align="flex-start"
      gap="sm"
      py="sm"
      style={{ borderTop: first ? undefined : '1px solid var(--mantine-color-gray-2)' }}
      data-testid="sh-store-task"
    >
      <Stack gap={3} style={{ minWidth: 0, flex: 1 }}>
        <Group gap={6} wrap="nowrap">
          <Badge size="xs" variant={task.priority <= 1 ? 'filled' : 'light'} color={task.priority <= 2 ? 'red' : 'gray'} radius="sm" style={{ flexShrink: 0 }}>
            P{task.priority}
          </Badge>
          <Text
            size="sm"
            fw={600}
            lineClamp={1}
            c={task.status === 'cancelled' ? 'dimmed' : undefined}
            td={task.status === 'cancelled' ? 'line-through' : undefined}
          >
            {task.title}
          </Text>
        </Group>
        <Group gap="xs">
          <TaskStatusBadge status={task.status} />
          <Text size="xs" c="dimmed">
            {humanize(task.taskType)} · {task.assignedToName ?? humanize(task.assignedToRole)}
          </Text>
          <TaskDue task={task} />
        </Group>
        {task.outcome && (
          <Text size="xs" c="dimmed" fs="italic" lineClamp={2}>
            Outcome: {task.outcome}
          </Text>
        )}
      </Stack>
      {allowed && isTaskOpen(task) && (
        <Group gap={4} wrap="nowrap">
          {task.status === 'pending' && (
            <Button size="compact-sm" variant="default" leftSection={<IconPlayerPlay size={12} />} loading={updateTask.isPending} onClick={start}>
              Start
            </Button>
          )}
          <Button
            size="compact-sm"
            variant={overdue ? 'filled' : 'light'}
            color="green"
            onClick={() => onEdit('completed')}
            data-testid={`sh-complete-${task.id}`}
          >
            Complete
          </Button>
        </Group>
      )}
    </Group>
  );
}
