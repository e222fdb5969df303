import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  Paper,
  Progress,
  ScrollArea,
  Select,
  SimpleGrid,
  Skeleton,
  Slider,
  Stack,
  Switch,
  Text,
  Textarea,
  ThemeIcon,
} from '@mantine/core';
import { IconArrowsMove, IconChecklist, IconCircleCheck, IconClockExclamation, IconPencil, IconShieldCheck } from '@tabler/icons-react';
import { type DragEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useOrgTimeZone } from '../../auth/session';
import { type ActionItem, type ActionItemStatus, itemsOf, useActionItems, usePatchActionItem, useVerifyActionItem } from '../session-queries';
import { ACTION_STATUS_META, AgentSelect, daysBetween, EmptyPanel, formatDay, localDate, PriorityBadge } from '../sessions/session-ui';

const COLUMNS: ActionItemStatus[] = ['PENDING', 'IN_PROGRESS', 'OVERDUE', 'COMPLETED'];

function daysLate(item: ActionItem, today: string): number {
  return Math.max(0, daysBetween(item.dueDate, today));
}

/** The column a card sits in: an open item past its due date is overdue even before the nightly job marks it. */
function columnOf(item: ActionItem): ActionItemStatus {
  if (item.status === 'PENDING' || item.status === 'IN_PROGRESS') return item.overdue ? 'OVERDUE' : item.status;
  return item.status;
}

export function ActionItemsPage() {
  const [params, setParams] = useSearchParams();
  const agentId = params.get('agentId');
  const highlighted = params.get('itemId');
  const [showVerified, setShowVerified] = useState(false);
  const items = useActionItems({ agentId });
  const patch = usePatchActionItem();
  const [editing, setEditing] = useState<ActionItem | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const today = localDate(Date.now(), useOrgTimeZone());
  const all = itemsOf<ActionItem>(items.data).filter((item) => item.status !== 'CANCELLED');
  const visible = all.filter((item) => showVerified || !(item.status === 'COMPLETED' && item.verificationDate));

  const move = (item: ActionItem, status: ActionItemStatus) => {
    if (item.status === status) return;
    patch.mutate({ id: item.id, body: { status, ...(status === 'COMPLETED' ? { progressPercentage: 100 } : {}) } });
  };
  const onDrop = (status: ActionItemStatus) => (event: DragEvent) => {
    event.preventDefault();
    const item = all.find((candidate) => candidate.id === event.dataTransfer.getData('text/plain'));
    setDragging(null);
    if (item) move(item, status);
  };

  return (
    <Stack gap="lg" data-testid="co-action-items-page">
      <PageHeader
        title="Action items"
        description="What your agents agreed to do, by status. Overdue items are red with how late they are; drag a card (or use its menu) to move it, and verify completed ones."
      />
      <Group gap="sm" align="flex-end">
        <AgentSelect
          label="Agent"
          placeholder="All my agents"
          value={agentId}
          onChange={(value) => setParams(value ? { agentId: value } : {}, { replace: true })}
          clearable
          w={300}
          data-testid="co-items-agent"
        />
        <Switch label="Show verified" checked={showVerified} onChange={(event) => setShowVerified(event.currentTarget.checked)} mb={6} />
      </Group>
      {patch.isError && (
        <Alert color="red" variant="light" title="The item could not be moved" data-testid="co-items-error">
          {errorMessage(patch.error)}
        </Alert>
      )}
      {items.isError && <ErrorState error={items.error} title="Could not load the action items" onRetry={() => items.refetch()} />}
      {items.isPending && (
        <SimpleGrid cols={4}>
          {COLUMNS.map((c) => (
            <Skeleton key={c} h={360} radius="md" />
          ))}
        </SimpleGrid>
      )}
      {items.isSuccess && all.length === 0 && (
        <EmptyPanel icon={IconChecklist} title="No action items" testId="co-items-empty">
          Action items are created when you complete a session and record what the agent agreed to do.
        </EmptyPanel>
      )}
      {items.isSuccess && all.length > 0 && (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" data-testid="co-items-board">
          {COLUMNS.map((status) => {
            // Open work by due date (most urgent first); completed work latest first.
            const column = visible
              .filter((item) => columnOf(item) === status)
              .sort((a, b) =>
                status === 'COMPLETED' ? (b.completedDate ?? b.dueDate).localeCompare(a.completedDate ?? a.dueDate) : a.dueDate.localeCompare(b.dueDate),
              );
            const meta = ACTION_STATUS_META[status];
            return (
              <Paper
                key={status}
                withBorder
                radius="md"
                p="xs"
                bg={status === 'OVERDUE' ? 'red.0' : 'gray.0'}
                onDragOver={(event) => event.preventDefault()}
                onDrop={onDrop(status)}
                style={{ outline: dragging ? '1px dashed var(--mantine-color-gray-5)' : undefined }}
                data-testid={`co-items-column-${status}`}
              >
                <Group justify="space-between" mb="xs" px={4}>
                  <Text fw={700} size="sm" c={status === 'OVERDUE' ? 'red.8' : undefined}>
                    {meta.label}
                  </Text>
                  <Badge color={meta.color} variant="light" radius="sm">
                    {column.length}
                  </Badge>
                </Group>
                <ScrollArea.Autosize mah={640}>
                  <Stack gap={6}>
                    {column.length === 0 && (
                      <Text size="xs" c="dimmed" ta="center" py="md">
                        {status === 'OVERDUE' ? 'Nothing overdue.' : 'None.'}
                      </Text>
                    )}
                    {column.map((item) => (
                      <ItemCard
                        key={item.id}
                        item={item}
                        today={today}
                        highlighted={item.id === highlighted}
                        onEdit={() => setEditing(item)}
                        onMove={(next) => move(item, next)}
                        onDragStart={() => setDragging(item.id)}
                        onDragEnd={() => setDragging(null)}
                      />
                    ))}
                  </Stack>
                </ScrollArea.Autosize>
              </Paper>
            );
          })}
        </SimpleGrid>
      )}
      {editing && <EditItem item={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function ItemCard({
  item,
  today,
  highlighted,
  onEdit,
  onMove,
  onDragStart,
  onDragEnd,
}: {
  item: ActionItem;
  today: string;
  highlighted: boolean;
  onEdit: () => void;
  onMove: (status: ActionItemStatus) => void;
  onDragStart: () => void;
  onDragEnd: () => void;
}) {
  const verify = useVerifyActionItem();
  const late = columnOf(item) === 'OVERDUE' ? daysLate(item, today) : 0;
  return (
    <Paper
      withBorder
      radius="sm"
      p="xs"
      draggable
      onDragStart={(event) => {
        event.dataTransfer.setData('text/plain', item.id);
        onDragStart();
      }}
      onDragEnd={onDragEnd}
      className={highlighted ? 'co-s-highlight' : undefined}
      style={{ cursor: 'grab', borderLeft: late > 0 ? '3px solid var(--mantine-color-red-6)' : undefined }}
      data-testid="co-item-card"
      data-item-id={item.id}
      data-status={item.status}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap={4}>
        <Text size="sm" fw={600} lh={1.3}>
          {item.title}
        </Text>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button size="compact-xs" variant="subtle" color="gray" aria-label="Move" data-testid="co-item-move">
              <IconArrowsMove size={14} />
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>Move to</Menu.Label>
            {(['PENDING', 'IN_PROGRESS', 'COMPLETED'] as ActionItemStatus[])
              .filter((status) => status !== item.status)
              .map((status) => (
                <Menu.Item key={status} onClick={() => onMove(status)} data-testid={`co-item-move-${status}`}>
                  {ACTION_STATUS_META[status].label}
                </Menu.Item>
              ))}
            <Menu.Divider />
            <Menu.Item leftSection={<IconPencil size={14} />} onClick={onEdit} data-testid="co-item-edit">
              Update progress / blockers…
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <Group gap={6} mt={2}>
        <Anchor component={Link} to={`/coaching/agents/${item.agentId}`} size="xs">
          {item.agentName ?? 'Agent'}
        </Anchor>
        <PriorityBadge priority={item.priority} />
      </Group>
      <Group gap={4} mt={4}>
        {late > 0 ? (
          <Badge color="red" variant="filled" size="sm" radius="sm" tt="none" leftSection={<IconClockExclamation size={12} />} data-testid="co-item-late">
            {late} day{late === 1 ? '' : 's'} late
          </Badge>
        ) : (
          <Text size="xs" c="dimmed">
            Due {formatDay(item.dueDate)}
          </Text>
        )}
        {late > 0 && (
          <Text size="xs" c="red.8">
            was due {formatDay(item.dueDate)}
          </Text>
        )}
      </Group>
      <Group gap={6} mt={6} wrap="nowrap">
        <Progress value={item.progressPercentage} color={late > 0 ? 'red' : item.progressPercentage >= 100 ? 'teal' : 'blue'} size="sm" style={{ flex: 1 }} />
        <Text size="xs" className="co-s-num" data-testid="co-item-progress">
          {item.progressPercentage} %
        </Text>
      </Group>
      {item.blockers && (
        <Text size="xs" c="orange.8" mt={4}>
          Blocked: {item.blockers}
        </Text>
      )}
      {item.progressNotes && (
        <Text size="xs" c="dimmed" mt={2} lineClamp={2}>
          {item.progressNotes}
        </Text>
      )}
      {item.status === 'COMPLETED' &&
        (item.verificationDate ? (
          <Group gap={4} mt={6}>
            <ThemeIcon size={16} color="teal" variant="light">
              <IconShieldCheck size={12} />
            </ThemeIcon>
            <Text size="xs" c="teal.8">
              Verified {formatDay(item.verificationDate)}
            </Text>
          </Group>
        ) : (
          <Button
            size="compact-xs"
            mt={6}
            variant="light"
            color="teal"
            leftSection={<IconCircleCheck size={12} />}
            loading={verify.isPending}
            onClick={() => verify.mutate({ id: item.id })}
            data-testid="co-item-verify"
          >
            Verify
          </Button>
        ))}
      {verify.isError && (
        <Text size="xs" c="red">
          {errorMessage(verify.error)}
        </Text>
      )}
    </Paper>
  );
}

function EditItem({ item, onClose }: { item: ActionItem; onClose: () => void }) {
  const patch = usePatchActionItem();
  const [progress, setProgress] = useState(item.progressPercentage);
  const [notes, setNotes] = useState(item.progressNotes ?? '');
  const [blockers, setBlockers] = useState(item.blockers ?? '');
  const [status, setStatus] = useState<ActionItemStatus>(item.status);
  const save = () =>
    patch.mutate(
      {
        id: item.id,
        body: {
          progressPercentage: progress,
          progressNotes: notes.trim() || null,
          blockers: blockers.trim() || null,
          ...(status !== item.status ? { status } : {}),
        },
      },
      { onSuccess: onClose },
    );
  return (
    <Modal opened onClose={onClose} title={item.title}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {item.description}
        </Text>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Progress: {progress} %
          </Text>
          <Slider
            value={progress}
            onChange={setProgress}
            step={5}
            marks={[{ value: 0 }, { value: 50 }, { value: 100 }]}
            data-testid="co-item-progress-slider"
          />
        </Stack>
        <Textarea
          label="Progress notes"
          autosize
          minRows={2}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          data-testid="co-item-progress-notes"
        />
        <Textarea
          label="Blockers"
          placeholder="What stands in the way?"
          autosize
          minRows={1}
          value={blockers}
          onChange={(e) => setBlockers(e.currentTarget.value)}
          data-testid="co-item-blockers"
        />
        <Select
          label="Status"
          data={(['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as ActionItemStatus[])
            .concat(item.status === 'OVERDUE' ? ['OVERDUE'] : [])
            .map((value) => ({ value, label: ACTION_STATUS_META[value].label }))}
          value={status}
          onChange={(value) => setStatus((value as ActionItemStatus) ?? item.status)}
          allowDeselect={false}
        />
        {patch.isError && (
          <Alert color="red" variant="light">
            {errorMessage(patch.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button onClick={save} loading={patch.isPending} data-testid="co-item-save">
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
