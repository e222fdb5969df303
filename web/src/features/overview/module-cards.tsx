import { Anchor, Card, Group, SimpleGrid, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { MODULE_CATALOG } from '../modules/module-catalog';
import { ModuleStatusBadge } from '../modules/module-status-badge';
import { useModules } from '../modules/use-modules';

export function ModuleCards() {
  const modules = useModules();

  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" data-testid="module-cards">
      {MODULE_CATALOG.map((entry) => {
        const info = modules.data?.find((module) => module.key === entry.key);
        const ModuleIcon = entry.icon;
        return (
          <Card
            key={entry.key}
            withBorder
            radius="md"
            p="lg"
            component={Link}
            to={entry.path}
            data-testid={`module-card-${entry.key}`}
            style={{ textDecoration: 'none', color: 'inherit', display: 'flex', flexDirection: 'column' }}
            className="retailops-hover-card"
          >
            <Group justify="space-between" align="flex-start" mb="sm">
              <ThemeIcon size={40} radius="md" variant="light" color={entry.color}>
                <ModuleIcon size={22} />
              </ThemeIcon>
              {modules.isPending ? <Skeleton h={20} w={80} radius="sm" /> : <ModuleStatusBadge ready={info?.ready ?? false} />}
            </Group>
            <Stack gap={4} style={{ flex: 1 }}>
              <Text fw={600}>{info?.name ?? entry.name}</Text>
              <Text size="sm" c="dimmed" lh={1.5} lineClamp={3}>
                {info?.description || entry.tagline}
              </Text>
            </Stack>
            <Anchor component="span" size="sm" mt="md" fw={500}>
              <Group gap={4}>
                Open {entry.name.toLowerCase()}
                <IconArrowRight size={14} />
              </Group>
            </Anchor>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
