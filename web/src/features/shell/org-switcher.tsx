import { Badge, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBuildingStore, IconCheck, IconSelector } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { errorMessage } from '../../api';
import { RoleBadge } from '../../components/role-badge';
import { useSession, useSwitchOrganization } from '../auth/session';

export function OrgSwitcher() {
  const me = useSession();
  const navigate = useNavigate();
  const switchOrganization = useSwitchOrganization();

  const handleSelect = (organizationId: string) => {
    if (organizationId === me.organization.id) return;
    switchOrganization.mutate(organizationId, {
      onSuccess: (next) => {
        notifications.show({
          color: 'indigo',
          title: 'Organization switched',
          message: `You are now working in ${next.organization.name}.`,
        });
        navigate('/');
      },
      onError: (error) => notifications.show({ color: 'red', title: 'Could not switch organization', message: errorMessage(error) }),
    });
  };

  return (
    <Menu position="bottom-start" width={300} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton
          data-testid="org-switcher"
          aria-label="Switch organization"
          px={10}
          py={6}
          style={{ borderRadius: 8, border: '1px solid var(--mantine-color-gray-3)', maxWidth: 320, minWidth: 0 }}
          disabled={switchOrganization.isPending}
        >
          <Group gap={10} wrap="nowrap" style={{ minWidth: 0 }}>
            <IconBuildingStore size={18} color="var(--mantine-color-gray-6)" style={{ flexShrink: 0 }} />
            <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
              <Text size="sm" fw={600} truncate="end" data-testid="current-org-name">
                {me.organization.name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2} data-testid="current-org-role">
                {me.role.charAt(0).toUpperCase() + me.role.slice(1)}
              </Text>
            </Stack>
            <IconSelector size={16} color="var(--mantine-color-gray-5)" style={{ flexShrink: 0 }} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown data-testid="org-switcher-menu">
        <Menu.Label>Organizations</Menu.Label>
        {me.organizations.map((organization) => {
          const current = organization.id === me.organization.id;
          return (
            <Menu.Item
              key={organization.id}
              data-testid={`org-option-${organization.slug}`}
              onClick={() => handleSelect(organization.id)}
              leftSection={current ? <IconCheck size={16} color="var(--mantine-color-indigo-6)" /> : <span style={{ width: 16 }} />}
              rightSection={<RoleBadge role={organization.role} size="xs" />}
              aria-current={current ? 'true' : undefined}
            >
              <Text size="sm" fw={current ? 600 : 400} truncate="end">
                {organization.name}
              </Text>
            </Menu.Item>
          );
        })}
        {me.organizations.length <= 1 && (
          <Text size="xs" c="dimmed" px="sm" py={6}>
            You belong to one organization.
          </Text>
        )}
        {switchOrganization.isPending && (
          <Badge m="xs" variant="light" size="xs">
            Switching…
          </Badge>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
