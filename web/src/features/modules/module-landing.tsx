import { Badge, Button, Card, Code, EmptyState, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconDatabaseImport, type Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ModuleKey } from '../../api-types';
import { PageHeader } from '../../components/page-header';
import { moduleByKey } from './module-catalog';
import { ModuleStatusBadge } from './module-status-badge';
import { useModuleInfo } from './use-modules';

export type ModuleCapability = {
  icon: Icon;
  title: string;
  description: string;
};

type ModuleLandingProps = {
  moduleKey: ModuleKey;
  summary: ReactNode;
  capabilities: ModuleCapability[];
  audience: string[];
  /** Where the module's data comes from, shown in the empty state. */
  dataSources: string;
};

export function ModuleLanding({ moduleKey, summary, capabilities, audience, dataSources }: ModuleLandingProps) {
  const catalog = moduleByKey(moduleKey);
  const info = useModuleInfo(moduleKey);
  const ModuleIcon = catalog.icon;

  return (
    <Stack gap="xl" data-testid={`module-page-${moduleKey}`}>
      <PageHeader
        title={
          <Group gap="sm" component="span">
            <ThemeIcon size={36} radius="md" variant="light" color={catalog.color} component="span">
              <ModuleIcon size={22} />
            </ThemeIcon>
            {info?.name ?? catalog.name}
          </Group>
        }
        documentTitle={catalog.name}
        badge={<ModuleStatusBadge ready={info?.ready} />}
        description={summary}
      />

      <Group gap={6}>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase">
          Built for
        </Text>
        {audience.map((who) => (
          <Badge key={who} variant="default" radius="sm" tt="none" fw={500}>
            {who}
          </Badge>
        ))}
      </Group>

      <div>
        <Title order={2} fz="lg" mb="sm">
          What it does
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {capabilities.map((capability) => (
            <CapabilityCard key={capability.title} capability={capability} color={catalog.color} />
          ))}
        </SimpleGrid>
      </div>

      <Card withBorder radius="md" p="xl" data-testid="module-empty-state">
        <EmptyState
          icon={<IconDatabaseImport size={24} />}
          title={`No ${catalog.name.toLowerCase()} data yet`}
          description={
            <>
              {dataSources} To explore with sample data right away, load the demo data set with <Code>retailops demo</Code> and refresh this page.
            </>
          }
        >
          <Button variant="light" onClick={() => window.location.reload()}>
            Refresh
          </Button>
        </EmptyState>
      </Card>
    </Stack>
  );
}

function CapabilityCard({ capability, color }: { capability: ModuleCapability; color: string }) {
  const CapabilityIcon = capability.icon;
  return (
    <Card withBorder radius="md" p="lg">
      <Group gap="sm" mb={8} wrap="nowrap" align="center">
        <ThemeIcon variant="light" color={color} radius="md" size={32}>
          <CapabilityIcon size={18} />
        </ThemeIcon>
        <Text fw={600}>{capability.title}</Text>
      </Group>
      <Text size="sm" c="dimmed" lh={1.55}>
        {capability.description}
      </Text>
    </Card>
  );
}
