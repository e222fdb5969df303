import { Button, Card, Code, Group, Skeleton, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCalendarTime, IconHandClick, IconPlayerPlayFilled } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../api';
import type { JobDefinition } from '../../api-types';
import { ErrorState } from '../../components/error-state';
import { useJobDefinitions, useRunJobNow } from './use-jobs';

export function JobDefinitionsPanel({ canRun }: { canRun: boolean }) {
  const definitions = useJobDefinitions();
  const runNow = useRunJobNow();
  const [runningName, setRunningName] = useState<string | null>(null);

  const handleRun = (definition: JobDefinition) => {
    setRunningName(definition.name);
    runNow.mutate(definition.name, {
      onSuccess: ({ jobId }) =>
        notifications.show({ color: 'indigo', title: `Started ${definition.name}`, message: `Job ${jobId} was queued. It shows up in the runs below.` }),
      onError: (error) => notifications.show({ color: 'red', title: `Could not start ${definition.name}`, message: errorMessage(error) }),
      onSettled: () => setRunningName(null),
    });
  };

  return (
    <Stack gap="sm">
      <Title order={2} fz="lg">
        Scheduled and on-demand jobs
      </Title>
      {definitions.isPending && <Skeleton h={88} radius="md" />}
      {definitions.isError && <ErrorState error={definitions.error} title="Could not load job definitions" onRetry={() => definitions.refetch()} />}
      {definitions.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          No jobs are registered.
        </Text>
      )}
      {definitions.data && definitions.data.length > 0 && (
        <Card withBorder radius="md" p={0} data-testid="job-definitions">
          {definitions.data.map((definition, index) => (
            <Group
              key={definition.name}
              justify="space-between"
              wrap="nowrap"
              px="md"
              py="sm"
              style={{ borderTop: index === 0 ? undefined : '1px solid var(--mantine-color-gray-2)' }}
              data-testid={`job-definition-${definition.name}`}
            >
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Group gap="xs">
                  <Code fw={600}>{definition.name}</Code>
                  <ScheduleLabel definition={definition} />
                </Group>
                <Text size="sm" c="dimmed" lineClamp={2}>
                  {definition.description}
                </Text>
              </Stack>
              {canRun && (
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<IconPlayerPlayFilled size={12} />}
                  loading={runningName === definition.name}
                  disabled={runNow.isPending && runningName !== definition.name}
                  onClick={() => handleRun(definition)}
                  data-testid={`run-job-${definition.name}`}
                >
                  Run now
                </Button>
              )}
            </Group>
          ))}
        </Card>
      )}
    </Stack>
  );
}

function ScheduleLabel({ definition }: { definition: JobDefinition }) {
  if (!definition.schedule) {
    return (
      <Group gap={4} c="dimmed">
        <IconHandClick size={14} />
        <Text size="xs">On demand</Text>
      </Group>
    );
  }
  return (
    <Tooltip label={`Cron schedule${definition.timezone ? `, ${definition.timezone}` : ''}`} withArrow>
      <Group gap={4} c="dimmed">
        <IconCalendarTime size={14} />
        <Text size="xs" ff="monospace">
          {definition.schedule}
        </Text>
        {definition.timezone && <Text size="xs">({definition.timezone})</Text>}
      </Group>
    </Tooltip>
  );
}
