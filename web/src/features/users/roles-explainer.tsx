import { Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { RoleBadge } from '../../components/role-badge';
import { ROLE_DESCRIPTIONS, ROLES } from '../../lib/permissions';

export function RolesExplainer() {
  return (
    <Card withBorder radius="md" p="md" data-testid="roles-explainer">
      <Text fw={600} size="sm" mb="sm">
        What each role can do
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        {ROLES.map((role) => (
          <Stack key={role} gap={6}>
            <Group>
              <RoleBadge role={role} />
            </Group>
            <Text size="sm" c="dimmed" lh={1.5}>
              {ROLE_DESCRIPTIONS[role]}
            </Text>
          </Stack>
        ))}
      </SimpleGrid>
    </Card>
  );
}
