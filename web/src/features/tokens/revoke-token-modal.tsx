import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../api';
import type { TokenRow } from '../../api-types';
import { useRevokeToken } from './use-tokens';

export function RevokeTokenModal({ token, onClose }: { token: TokenRow | null; onClose: () => void }) {
  const revokeToken = useRevokeToken();

  const handleRevoke = () => {
    if (!token) return;
    revokeToken.mutate(token.id, {
      onSuccess: () => {
        notifications.show({ color: 'teal', title: 'Token revoked', message: `“${token.name}” can no longer be used.` });
        onClose();
      },
      onError: (error) => notifications.show({ color: 'red', title: 'Could not revoke token', message: errorMessage(error) }),
    });
  };

  return (
    <Modal opened={token !== null} onClose={onClose} title="Revoke API token" centered>
      <Stack>
        <Text size="sm">
          Revoke <strong>{token?.name}</strong> (<Code>{token?.prefix}…</Code>)? Anything using it will start getting 401 errors right away. This cannot be
          undone.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" onClick={handleRevoke} loading={revokeToken.isPending} data-testid="confirm-revoke-token">
            Revoke token
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
