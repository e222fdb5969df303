import { Alert, Code, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { JobRun } from '../../api-types';

export function hasJobData(run: JobRun): boolean {
  if (run.data === null || run.data === undefined) return false;
  return !(typeof run.data === 'object' && Object.keys(run.data as object).length === 0);
}

export function JobRunDetails({ run }: { run: JobRun }) {
  const hasData = hasJobData(run);
  return (
    <Stack gap="sm">
      {run.error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Error" p="sm">
          <Code block fz="xs" bg="transparent" p={0} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="job-error">
            {run.error}
          </Code>
        </Alert>
      )}
      <Group gap="xl">
        <Text size="xs" c="dimmed">
          Run ID <Code fz="xs">{run.id}</Code>
        </Text>
        {run.organizationId && (
          <Text size="xs" c="dimmed">
            Organization <Code fz="xs">{run.organizationId}</Code>
          </Text>
        )}
      </Group>
      {hasData && (
        <div>
          <Text size="xs" fw={600} c="dimmed" mb={4}>
            Input data
          </Text>
          <Code block fz="xs" mah={240} style={{ overflow: 'auto' }}>
            {JSON.stringify(run.data, null, 2)}
          </Code>
        </div>
      )}
    </Stack>
  );
}
