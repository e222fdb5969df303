import { ActionIcon, Alert, Avatar, Badge, Button, Group, Menu, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDots, IconEye, IconLock, IconPencil, IconUserMinus, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import type { UserRow } from '../../api-types';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { DateTimeText } from '../../components/date-time-text';
import { PageHeader } from '../../components/page-header';
import { RoleBadge } from '../../components/role-badge';
import { useListParams, useListQuery } from '../../components/use-list-params';
import { formatDateTime, initials } from '../../lib/format';
import { permissions, ROLE_LABELS, ROLES } from '../../lib/permissions';
import { useSession } from '../auth/session';
import { CreateUserModal } from './create-user-modal';
import { EditUserModal } from './edit-user-modal';
import { RemoveUserModal } from './remove-user-modal';
import { RolesExplainer } from './roles-explainer';
import { USERS_QUERY_KEY } from './use-users';

const FILTERS = ['role'] as const;

function isLocked(user: UserRow): boolean {
  return user.lockedUntil !== null && new Date(user.lockedUntil).getTime() > Date.now();
}

export function UsersPage() {
  const me = useSession();
  const canManage = permissions.manageUsers(me.role);
  const list = useListParams({ defaultSort: 'name', filterKeys: FILTERS });
  const users = useListQuery<UserRow>(USERS_QUERY_KEY, '/api/users', list.query);
  const [createOpened, createModal] = useDisclosure(false);
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [removing, setRemoving] = useState<UserRow | null>(null);

  const columns: DataTableColumn<UserRow>[] = [
    {
      key: 'name',
      header: 'User',
      sortField: 'name',
      render: (user) => (
        <Group gap="sm" wrap="nowrap">
          <Avatar size={32} radius="xl" color={user.active ? 'indigo' : 'gray'}>
            {initials(user.name || user.email)}
          </Avatar>
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Group gap={6} wrap="nowrap">
              <Text size="sm" fw={500} truncate="end">
                {user.name}
              </Text>
              {user.id === me.user.id && (
                <Badge size="xs" variant="default" tt="none">
                  You
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed" truncate="end">
              {user.email}
            </Text>
          </Stack>
        </Group>
      ),
    },
    { key: 'role', header: 'Role', sortField: 'role', render: (user) => <RoleBadge role={user.role} /> },
    { key: 'status', header: 'Status', render: (user) => <UserStatus user={user} timeZone={me.organization.timezone} /> },
    {
      key: 'lastLoginAt',
      header: 'Last sign-in',
      sortField: 'lastLoginAt',
      render: (user) => <DateTimeText value={user.lastLoginAt} relative empty="Never" />,
    },
    { key: 'createdAt', header: 'Added', sortField: 'createdAt', render: (user) => <DateTimeText value={user.createdAt} relative /> },
  ];

  if (canManage) {
    columns.push({
      key: 'actions',
      header: '',
      align: 'right',
      width: 56,
      render: (user) => (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${user.name}`} data-testid="user-actions">
              <IconDots size={16} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setEditing(user)} data-testid="edit-user">
              Edit
            </Menu.Item>
            <Menu.Item
              color="red"
              leftSection={<IconUserMinus size={14} />}
              disabled={user.id === me.user.id}
              onClick={() => setRemoving(user)}
              data-testid="remove-user"
            >
              Remove from organization
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      ),
    });
  }

  return (
    <Stack gap="lg">
      <PageHeader
        title="Users & roles"
        description={`People who can sign in to ${me.organization.name} and what they are allowed to do.`}
        actions={
          canManage ? (
            <Button leftSection={<IconUserPlus size={16} />} onClick={createModal.open} data-testid="add-user">
              Add user
            </Button>
          ) : undefined
        }
      />
      {!canManage && (
        <Alert color="gray" variant="light" icon={<IconEye size={18} />} data-testid="users-read-only">
          You can see who has access, but only admins can add, change or remove users.
        </Alert>
      )}
      <RolesExplainer />
      <DataTable
        testId="users-table"
        columns={columns}
        query={users}
        list={list}
        getRowKey={(user) => user.id}
        searchPlaceholder="Search name or email…"
        filters={
          <Select
            aria-label="Filter by role"
            placeholder="All roles"
            clearable
            w={150}
            value={list.params.filters.role || null}
            data={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
            onChange={(role) => list.update({ filters: { role } })}
            data-testid="users-filter-role"
          />
        }
        onRowClick={canManage ? setEditing : undefined}
        empty={{
          title: 'No users yet',
          description: 'Add the people who run your stores so they can sign in.',
          icon: <IconUsers size={22} />,
        }}
      />
      {canManage && (
        <>
          <CreateUserModal opened={createOpened} onClose={createModal.close} />
          <EditUserModal user={editing} isSelf={editing?.id === me.user.id} onClose={() => setEditing(null)} />
          <RemoveUserModal user={removing} organizationName={me.organization.name} onClose={() => setRemoving(null)} />
        </>
      )}
    </Stack>
  );
}

function UserStatus({ user, timeZone }: { user: UserRow; timeZone: string }) {
  if (isLocked(user)) {
    return (
      <Tooltip label={`Too many failed sign-ins. Locked until ${formatDateTime(user.lockedUntil, timeZone)}.`} withArrow>
        <Badge color="orange" variant="light" radius="sm" tt="none" leftSection={<IconLock size={11} />}>
          Locked
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge color={user.active ? 'teal' : 'gray'} variant={user.active ? 'dot' : 'outline'} radius="sm" tt="none">
      {user.active ? 'Active' : 'Inactive'}
    </Badge>
  );
}
