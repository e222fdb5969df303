import { Button, Center, EmptyState } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '../features/auth/session';
import { type Permission, permissions } from '../lib/permissions';

export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const me = useSession();
  if (permissions[permission](me.role)) return children;
  return (
    <Center py={96} data-testid="forbidden">
      <EmptyState
        icon={<IconLock size={24} />}
        color="orange"
        title="You don't have access to this page"
        description={`Your role in ${me.organization.name} is ${me.role}. Ask an admin if you need access.`}
      >
        <Button component={Link} to="/" variant="light">
          Back to overview
        </Button>
      </EmptyState>
    </Center>
  );
}
