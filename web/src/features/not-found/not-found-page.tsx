import { Button, Center, EmptyState, Stack, Text, Title } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router-dom';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Center py={96} data-testid="not-found">
      <Stack align="center" gap="md">
        <Text fz={64} fw={800} c="indigo.2" lh={1}>
          404
        </Text>
        <EmptyState
          icon={<IconMapOff size={24} />}
          title={
            <Title order={1} fz="xl">
              Page not found
            </Title>
          }
          description={
            <>
              Nothing lives at <code>{pathname}</code>. It may have moved, or the link is mistyped.
            </>
          }
        >
          <Button component={Link} to="/">
            Go to overview
          </Button>
        </EmptyState>
      </Stack>
    </Center>
  );
}
