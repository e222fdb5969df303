import { ActionIcon, Alert as MantineAlert, Button, Group, Modal, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCircleCheck } from '@tabler/icons-react';
import { type MouseEvent, useState } from 'react';
import { errorMessage } from '../../../api';
import type { Alert } from '../api-types';
import { useAcknowledgeAlerts, useResolveAlert } from '../queries';

export function isOpenAlert(alert: Alert): boolean {
  return alert.status === 'active' || alert.status === 'acknowledged';
}

/** Acknowledging stops the SLA clock from escalating silently: someone owns the alert now. */
export function AcknowledgeButton({ alert, size = 'compact-sm' }: { alert: Alert; size?: 'compact-xs' | 'compact-sm' | 'xs' }) {
  const acknowledge = useAcknowledgeAlerts();
  if (alert.status !== 'active') return null;
  return (
    <Button
      size={size}
      variant="light"
      leftSection={<IconCheck size={14} />}
      loading={acknowledge.isPending}
      data-testid={`sh-ack-${alert.id}`}
      onClick={(event) => {
        event.stopPropagation();
        acknowledge.mutate(
          { ids: [alert.id] },
          {
            onSuccess: ({ failures }) => {
              if (failures.length > 0) notifications.show({ color: 'red', title: 'Could not acknowledge', message: errorMessage(failures[0]) });
              else notifications.show({ color: 'blue', message: `Acknowledged: ${alert.title}` });
            },
          },
        );
      }}
    >
      Acknowledge
    </Button>
  );
}

export function ResolveButton({
  alert,
  size = 'compact-sm',
  iconOnly = false,
}: {
  alert: Alert;
  size?: 'compact-xs' | 'compact-sm' | 'xs';
  iconOnly?: boolean;
}) {
  const [opened, setOpened] = useState(false);
  if (!isOpenAlert(alert)) return null;
  const open = (event: MouseEvent) => {
    event.stopPropagation();
    setOpened(true);
  };
  return (
    <>
      {iconOnly ? (
        <Tooltip label="Resolve…" withArrow>
          <ActionIcon variant="subtle" color="green" aria-label="Resolve alert" onClick={open} data-testid={`sh-resolve-${alert.id}`}>
            <IconCircleCheck size={18} />
          </ActionIcon>
        </Tooltip>
      ) : (
        <Button size={size} variant="subtle" color="green" leftSection={<IconCircleCheck size={14} />} data-testid={`sh-resolve-${alert.id}`} onClick={open}>
          Resolve
        </Button>
      )}
      {opened && <ResolveDialog alert={alert} onClose={() => setOpened(false)} />}
    </>
  );
}

function ResolveDialog({ alert, onClose }: { alert: Alert; onClose: () => void }) {
  const resolve = useResolveAlert();
  const [resolution, setResolution] = useState('');
  const handleResolve = () =>
    resolve.mutate(
      { id: alert.id, resolution: resolution.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `Resolved: ${alert.title}` });
          onClose();
        },
      },
    );
  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>Resolve alert</Text>} onClick={(event) => event.stopPropagation()}>
      <Stack gap="md">
        <Text size="sm">{alert.title}</Text>
        <Textarea
          label="Resolution"
          description="What fixed it? This closes the alert and its escalation chain."
          autosize
          minRows={3}
          value={resolution}
          onChange={(event) => setResolution(event.currentTarget.value)}
          data-autofocus
          data-testid="sh-resolution"
        />
        {resolve.isError && (
          <MantineAlert color="red" variant="light">
            {errorMessage(resolve.error)}
          </MantineAlert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="green" onClick={handleResolve} loading={resolve.isPending} disabled={resolution.trim() === ''} data-testid="sh-resolve-confirm">
            Resolve alert
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
