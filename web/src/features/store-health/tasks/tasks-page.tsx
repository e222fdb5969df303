import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Chip,
  CloseButton,
  Group,
  Menu,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconDots, IconPlayerPlay, IconSearch } from '@tabler/icons-react';
import { type DragEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useNow } from '../../../lib/use-now';
import { useSession } from '../../auth/session';
import type { Task, TaskStatus } from '../api-types';
import { useStore, useTasks, useUpdateTask } from '../queries';
import { canAct, canMoveTask, humanize, TASK_STATUS_META, TASK_TRANSITIONS } from '../shared/status';
import { TaskDialog } from '../shared/task-dialog';
import { isTaskOpen, isTaskOverdue, TaskDue } from '../shared/task-due';

const COLUMNS: { status: TaskStatus; color: string; hint: string }[] = [
  { status: 'pending', color: 'var(--mantine-color-gray-5)', hint: 'Not started' },
  { status: 'in_progress', color: 'var(--mantine-color-blue-5)', hint: 'Someone is on it' },
  { status: 'completed', color: 'var(--mantine-color-green-6)', hint: 'Most recent first' },
];

const ROLES = ['store_manager', 'shift_lead', 'district_manager', 'regional_manager', 'head_office'];
const DRAG_TYPE = 'application/x-retailops-task';

export function TasksPage() {
  const me = useSession();
  const allowed = canAct(me.role);
  const [searchParams, setSearchParams] = useSearchParams();
  const storeId = searchParams.get('storeId');
  const role = searchParams.get('assignedToRole');
  const overdueOnly = searchParams.get('overdue') === 'true';
  const [search, setSearch] = useState(searchParams.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [editing, setEditing] = useState<{ task: Task; status?: TaskStatus } | null>(null);
  const store = useStore(storeId ?? undefined);

  const setParam = (key: string, value: string | null) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const baseQuery = { storeId, assignedToRole: role, q: q || undefined, overdue: overdueOnly ? 'true' : undefined };

  return (
    <Stack gap="lg">
      <PageHeader
        title="Tasks"
        description="Work created by alerts and escalations. Drag a card to another column, or use its buttons; completing a task asks what was done."
      />
      <Group gap="sm">
        <TextInput
          aria-label="Search tasks"
          placeholder="Search tasks…"
          leftSection={<IconSearch size={16} />}
          w={240}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          rightSection={search ? <CloseButton size="sm" aria-label="Clear search" onClick={() => setSearch('')} /> : null}
        />
        <Select
          aria-label="Assigned role"
          placeholder="Any role"
          clearable
          w={180}
          value={role}
          data={ROLES.map((value) => ({ value, label: humanize(value) }))}
          onChange={(value) => setParam('assignedToRole', value)}
        />
        <Chip
          checked={overdueOnly}
          onChange={(checked) => setParam('overdue', checked ? 'true' : null)}
          color="red"
          variant="outline"
          data-testid="sh-tasks-overdue"
        >
          Overdue only
        </Chip>
        {storeId && (
          <Badge
            size="lg"
            variant="light"
            radius="sm"
            tt="none"
            fw={500}
            rightSection={<CloseButton size="xs" aria-label="Clear store filter" onClick={() => setParam('storeId', null)} />}
          >
            Store {store.data ? `${store.data.storeCode} · ${store.data.name}` : ''}
          </Badge>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md" data-testid="sh-tasks-board">
        {COLUMNS.map((column) => (
          <BoardColumn
            key={column.status}
            column={column}
            // Overdue only concerns open work; completed tasks cannot be overdue.
            query={{ ...baseQuery, status: column.status, overdue: column.status === 'completed' ? undefined : baseQuery.overdue }}
            hidden={overdueOnly && column.status === 'completed'}
            allowed={allowed}
            onEdit={(task, status) => setEditing({ task, status })}
          />
        ))}
      </SimpleGrid>
      <TaskDialog task={editing?.task ?? null} initialStatus={editing?.status} onClose={() => setEditing(null)} />
    </Stack>
  );
}

function BoardColumn({
  column,
  query,
  hidden,
  allowed,
  onEdit,
}: {
  column: (typeof COLUMNS)[number];
  query: Record<string, string | null | undefined>;
  hidden: boolean;
  allowed: boolean;
  onEdit: (task: Task, status?: TaskStatus) => void;
}) {
  const tasks = useTasks({ ...query, limit: column.status === 'completed' ? 50 : 200 }, { enabled: !hidden });
  const updateTask = useUpdateTask();
  const now = useNow();
  const [dragOver, setDragOver] = useState(false);
  const rows = [...(tasks.data?.data ?? [])].sort((a, b) =>
    column.status === 'completed'
      ? (b.completedAt ?? '').localeCompare(a.completedAt ?? '')
      : Number(isTaskOverdue(b, now)) - Number(isTaskOverdue(a, now)) || a.priority - b.priority || (a.dueDate ?? '9').localeCompare(b.dueDate ?? '9'),
  );
  const overdueCount = rows.filter((task) => isTaskOverdue(task, now)).length;
  const total = tasks.data?.page.total ?? rows.length;

  const move = (task: Task, status: TaskStatus) => {
    if (task.status === status) return;
    if (!canMoveTask(task.status, status)) {
      notifications.show({
        color: 'orange',
        message: `A ${TASK_STATUS_META[task.status].label.toLowerCase()} task cannot go back to ${TASK_STATUS_META[status].label.toLowerCase()}.`,
      });
      return;
    }
    // Completion needs an outcome, so it goes through the dialog.
    if (status === 'completed') {
      onEdit(task, 'completed');
      return;
    }
    updateTask.mutate(
      { id: task.id, patch: { status } },
      {
        onSuccess: () => notifications.show({ color: 'blue', message: `“${task.title}” moved to ${TASK_STATUS_META[status].label.toLowerCase()}.` }),
        onError: (error) => notifications.show({ color: 'red', title: 'Could not move the task', message: errorMessage(error) }),
      },
    );
  };

  const handleDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragOver(false);
    const raw = event.dataTransfer.getData(DRAG_TYPE);
    if (!raw) return;
    move(JSON.parse(raw) as Task, column.status);
  };

  return (
    <Paper
      radius="md"
      bg={dragOver ? 'indigo.0' : 'gray.1'}
      p="sm"
      style={{ borderTop: `3px solid ${column.color}`, minHeight: 320, outline: dragOver ? '2px dashed var(--mantine-color-indigo-4)' : undefined }}
      data-testid={`sh-tasks-column-${column.status}`}
      onDragOver={
        allowed
          ? (event) => {
              if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
              event.preventDefault();
              setDragOver(true);
            }
          : undefined
      }
      onDragLeave={() => setDragOver(false)}
      onDrop={allowed ? handleDrop : undefined}
    >
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Group gap={6} wrap="nowrap">
          <Tooltip label={column.hint} withArrow>
            <Text fw={700} size="sm" style={{ whiteSpace: 'nowrap' }}>
              {TASK_STATUS_META[column.status].label}
            </Text>
          </Tooltip>
          <Badge size="sm" variant="white" color="dark" radius="sm">
            {hidden ? '—' : total}
          </Badge>
          {overdueCount > 0 && (
            <Badge size="sm" color="red" variant="filled" radius="sm" tt="none">
              {overdueCount} overdue
            </Badge>
          )}
        </Group>
      </Group>
      {hidden ? (
        <Text size="xs" c="dimmed" ta="center" py="xl">
          Completed tasks are never overdue.
        </Text>
      ) : tasks.isPending ? (
        <Stack gap="xs">
          <Skeleton h={96} radius="md" />
          <Skeleton h={96} radius="md" />
        </Stack>
      ) : tasks.isError ? (
        <ErrorState error={tasks.error} title="Could not load tasks" onRetry={() => tasks.refetch()} />
      ) : rows.length === 0 ? (
        <Text size="xs" c="dimmed" ta="center" py="xl">
          Nothing here.
        </Text>
      ) : (
        <Stack gap="xs">
          {rows.map((task) => (
            <TaskCard key={task.id} task={task} allowed={allowed} onMove={(status) => move(task, status)} onEdit={() => onEdit(task)} />
          ))}
          {total > rows.length && (
            <Text size="xs" c="dimmed" ta="center">
              Showing {rows.length} of {total}
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}

function TaskCard({ task, allowed, onMove, onEdit }: { task: Task; allowed: boolean; onMove: (status: TaskStatus) => void; onEdit: () => void }) {
  const now = useNow();
  const overdue = isTaskOverdue(task, now);
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      className="sh-kanban-card"
      draggable={allowed && isTaskOpen(task)}
      onDragStart={(event) => {
        event.dataTransfer.setData(DRAG_TYPE, JSON.stringify(task));
        event.dataTransfer.effectAllowed = 'move';
      }}
      style={{
        borderLeft: overdue ? '4px solid var(--mantine-color-red-6)' : undefined,
        background: overdue ? 'var(--mantine-color-red-0)' : undefined,
        cursor: allowed && isTaskOpen(task) ? 'grab' : undefined,
      }}
      data-testid={`sh-task-card-${task.id}`}
      data-overdue={overdue}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <Badge size="xs" variant={task.priority <= 1 ? 'filled' : 'light'} color={task.priority <= 2 ? 'red' : 'gray'} radius="sm" style={{ flexShrink: 0 }}>
            P{task.priority}
          </Badge>
          <Anchor component={Link} to={`/store-health/stores/${task.storeId}`} size="xs" fw={600} truncate="end">
            {task.storeCode} · {task.storeName}
          </Anchor>
        </Group>
        {allowed && isTaskOpen(task) && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" size="sm" aria-label="Task actions">
                <IconDots size={14} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={onEdit}>Edit, assign or add outcome…</Menu.Item>
              <Menu.Divider />
              {TASK_TRANSITIONS[task.status].map((status) => (
                <Menu.Item key={status} onClick={() => onMove(status)}>
                  Move to {TASK_STATUS_META[status].label.toLowerCase()}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      <Text size="sm" fw={600} mt={6} lh={1.35}>
        {task.title}
      </Text>
      {task.description && task.status !== 'completed' && (
        <Text size="xs" c="dimmed" lineClamp={2} mt={2}>
          {task.description}
        </Text>
      )}
      {task.outcome && (
        <Text size="xs" mt={4} lineClamp={3} fs="italic">
          {task.outcome}
        </Text>
      )}
      <Group justify="space-between" mt={8} gap="xs" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text size="xs" c="dimmed" truncate="end">
            {task.assignedToName ?? humanize(task.assignedToRole)}
            {task.kpiCode ? ` · ${task.kpiCode}` : ''}
          </Text>
          {task.status === 'completed' ? (
            <Text size="xs" c="dimmed">
              Done{task.completedBy ? ` by ${task.completedBy}` : ''}
            </Text>
          ) : (
            <TaskDue task={task} />
          )}
        </Stack>
        {allowed && task.status === 'pending' && (
          <Button
            size="compact-xs"
            variant="default"
            leftSection={<IconPlayerPlay size={11} />}
            onClick={() => onMove('in_progress')}
            style={{ flexShrink: 0 }}
          >
            Start
          </Button>
        )}
        {allowed && task.status === 'in_progress' && (
          <Button
            size="compact-xs"
            color="green"
            variant={overdue ? 'filled' : 'light'}
            leftSection={<IconCheck size={11} />}
            onClick={() => onMove('completed')}
            style={{ flexShrink: 0 }}
          >
            Complete
          </Button>
        )}
      </Group>
    </Paper>
  );
}
