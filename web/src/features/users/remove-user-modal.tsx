import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../api';
import type { UserRow } from '../../api-types';
import { useRemoveUser } from './use-users';

export function RemoveUserModal({ user, organizationName, onClose }: { user: UserRow | null; organizationName: string; onClose: () => void }) {
  const removeUser = useRemoveUser();

  const handleRemove = () => {
    if (!user) return;
    removeUser.mutate(user.id, {
      onSuccess: () => {
        notifications.show({ color: 'teal', title: 'User removed', message: `${user.name} no longer has access to ${organizationName}.` });
        onClose();
      },
      onError: (error) => notifications.show({ color: 'red', title: 'Could not remove user', message: errorMessage(error) }),
    });
  };

  return (
    <Modal opened={user !== null} onClose={onClose} title="Remove user from organization" centered>
      <Stack>
        <Text size="sm">
          Remove <strong>{user?.name}</strong> ({user?.email}) from <strong>{organizationName}</strong>? They lose access immediately. Their account and access
          to other organizations are not affected, and the audit log keeps their history.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" onClick={handleRemove} loading={removeUser.isPending} data-testid="confirm-remove-user">
            Remove user
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
