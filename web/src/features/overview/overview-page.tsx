import { Badge, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { IconClock, IconWorld } from '@tabler/icons-react';
import { RoleBadge } from '../../components/role-badge';
import { formatDateTime, hourInTimeZone } from '../../lib/format';
import { permissions } from '../../lib/permissions';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/session';
import { HealthSummaryCard } from './health-summary-card';
import { ModuleCards } from './module-cards';
import { RecentJobRunsCard } from './recent-job-runs-card';

function greetingFor(hour: number): string {
  if (hour < 5) return 'Good evening';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

export function OverviewPage() {
  const me = useSession();
  const now = useNow();
  const timeZone = me.organization.timezone;
  const firstName = (me.user.name || me.user.email).split(/\s+/)[0];
  const canSeeJobs = permissions.viewJobs(me.role);

  return (
    <Stack gap="xl">
      <Stack gap={6}>
        <Title order={1} fz={28} fw={700} style={{ letterSpacing: -0.5 }} data-testid="greeting">
          {greetingFor(hourInTimeZone(new Date(now), timeZone))}, {firstName}
        </Title>
        <Group gap="md" c="dimmed">
          <Group gap={6}>
            <Text size="sm" fw={600} c="dark">
              {me.organization.name}
            </Text>
            <RoleBadge role={me.role} size="sm" />
          </Group>
          <Group gap={4}>
            <IconWorld size={15} />
            <Text size="sm" data-testid="org-timezone">
              {timeZone}
            </Text>
          </Group>
          <Group gap={4}>
            <IconClock size={15} />
            <Text size="sm">{formatDateTime(new Date(now), timeZone, 'datetime')} local time</Text>
          </Group>
        </Group>
      </Stack>

      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} fz="lg">
            Modules
          </Title>
          <Badge variant="default" radius="sm" tt="none" fw={500}>
            5 modules
          </Badge>
        </Group>
        <ModuleCards />
      </Stack>

      <Grid gap="md">
        {canSeeJobs && (
          <Grid.Col span={{ base: 12, md: 7 }}>
            <RecentJobRunsCard />
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 12, md: canSeeJobs ? 5 : 6 }}>
          <HealthSummaryCard />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
