import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { errorMessage, isApiError } from '../api';

type ErrorStateProps = {
  error: unknown;
  title?: string;
  onRetry?: () => void;
};

export function ErrorState({ error, title, onRetry }: ErrorStateProps) {
  const forbidden = isApiError(error, 403);
  return (
    <Alert
      color={forbidden ? 'orange' : 'red'}
      variant="light"
      icon={forbidden ? <IconLock size={18} /> : <IconAlertTriangle size={18} />}
      title={title ?? (forbidden ? 'You do not have access to this' : 'Something went wrong')}
      w="100%"
    >
      <Group justify="space-between" align="center" wrap="nowrap">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && !forbidden && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
