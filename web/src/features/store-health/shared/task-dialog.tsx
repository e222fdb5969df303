import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../api';
import type { Task, TaskPatch, TaskStatus } from '../api-types';
import { useUpdateTask } from '../queries';
import { TASK_STATUS_META, TASK_TRANSITIONS } from './status';

/** Changes a task's status, owner and outcome; completing a task asks what was done. */
export function TaskDialog({ task, initialStatus, onClose }: { task: Task | null; initialStatus?: TaskStatus; onClose: () => void }) {
  const updateTask = useUpdateTask();
  const [status, setStatus] = useState<TaskStatus>('pending');
  const [outcome, setOutcome] = useState('');
  const [assignee, setAssignee] = useState('');

  useEffect(() => {
    if (!task) return;
    setStatus(initialStatus ?? task.status);
    setOutcome(task.outcome ?? '');
    setAssignee(task.assignedToName ?? '');
    updateTask.reset();
    // Reset the form only when another task (or target status) is opened, not on every refetch of the same task.
  }, [task?.id, initialStatus]);

  if (!task) return null;
  const needsOutcome = status === 'completed' && outcome.trim() === '';
  const statuses = [task.status, ...TASK_TRANSITIONS[task.status]];

  const handleSave = () => {
    const patch: TaskPatch = {};
    if (status !== task.status) patch.status = status;
    if (outcome.trim() !== '' && outcome.trim() !== (task.outcome ?? '')) patch.outcome = outcome.trim();
    if (assignee.trim() !== (task.assignedToName ?? '') && assignee.trim() !== '') patch.assignedToName = assignee.trim();
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    updateTask.mutate(
      { id: task.id, patch },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `“${task.title}” is now ${TASK_STATUS_META[status].label.toLowerCase()}.` });
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>Update task</Text>} size="lg" data-testid="sh-task-dialog">
      <Stack gap="md">
        <Stack gap={2}>
          <Text fw={600}>{task.title}</Text>
          <Text size="sm" c="dimmed">
            {task.storeCode} · {task.storeName}
            {task.kpiCode ? ` · ${task.kpiCode}` : ''}
          </Text>
          {task.description && (
            <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
              {task.description}
            </Text>
          )}
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Status
          </Text>
          <SegmentedControl
            value={status}
            onChange={(value) => setStatus(value as TaskStatus)}
            data={statuses.map((value) => ({ value, label: TASK_STATUS_META[value].label }))}
            data-testid="sh-task-status"
          />
        </Stack>
        <TextInput label="Assigned to" value={assignee} onChange={(event) => setAssignee(event.currentTarget.value)} placeholder={task.assignedToRole} />
        <Textarea
          label="Outcome"
          description={status === 'completed' ? 'What was done, and did it fix the KPI? District managers read this.' : 'Notes so far (optional).'}
          autosize
          minRows={3}
          value={outcome}
          onChange={(event) => setOutcome(event.currentTarget.value)}
          withAsterisk={status === 'completed'}
          data-testid="sh-task-outcome"
        />
        {updateTask.isError && (
          <Alert color="red" variant="light">
            {errorMessage(updateTask.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={handleSave} loading={updateTask.isPending} disabled={needsOutcome} data-testid="sh-task-save">
            {status === 'completed' && task.status !== 'completed' ? 'Complete task' : 'Save'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
