import { Avatar, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconLogout } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { RoleBadge } from '../../components/role-badge';
import { initials } from '../../lib/format';
import { useLogout, useSession } from '../auth/session';

export function UserMenu() {
  const me = useSession();
  const navigate = useNavigate();
  const logout = useLogout();

  const handleLogout = () =>
    logout.mutate(undefined, {
      onSettled: () => {
        notifications.show({ color: 'gray', message: 'You have been signed out.' });
        navigate('/login', { replace: true });
      },
    });

  return (
    <Menu position="bottom-end" width={260} shadow="md">
      <Menu.Target>
        <UnstyledButton data-testid="user-menu" aria-label="Account menu" px={6} py={4} style={{ borderRadius: 8 }}>
          <Group gap={8} wrap="nowrap">
            <Avatar color="indigo" radius="xl" size={32}>
              {initials(me.user.name || me.user.email)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" maw={160} truncate="end">
              {me.user.name || me.user.email}
            </Text>
            <IconChevronDown size={14} color="var(--mantine-color-gray-6)" />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Stack gap={2} px="sm" py={8}>
          <Text size="sm" fw={600} truncate="end">
            {me.user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate="end">
            {me.user.email}
          </Text>
          <Group gap={6} mt={6}>
            <RoleBadge role={me.role} size="xs" />
            <Text size="xs" c="dimmed" truncate="end">
              in {me.organization.name}
            </Text>
          </Group>
        </Stack>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={handleLogout} data-testid="logout" disabled={logout.isPending}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
