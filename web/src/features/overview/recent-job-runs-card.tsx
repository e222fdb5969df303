import { Anchor, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import type { JobRun, ListResponse } from '../../api-types';
import { DateTimeText } from '../../components/date-time-text';
import { ErrorState } from '../../components/error-state';
import { formatDuration } from '../../lib/format';
import { JobStateBadge } from '../jobs/job-state-badge';
import { JOBS_QUERY_KEY } from '../jobs/use-jobs';

const RECENT_QUERY = { limit: 6, offset: 0, sort: '-createdAt' };

export function RecentJobRunsCard() {
  const runs = useQuery({
    queryKey: [JOBS_QUERY_KEY, 'list', RECENT_QUERY],
    queryFn: ({ signal }) => api.get<ListResponse<JobRun>>('/api/jobs', RECENT_QUERY, signal),
    refetchInterval: 15_000,
  });

  return (
    <Card withBorder radius="md" p="lg" h="100%" data-testid="recent-job-runs">
      <Group justify="space-between" mb="md">
        <Title order={2} fz="md">
          Recent job runs
        </Title>
        <Anchor component={Link} to="/admin/jobs" size="sm">
          View all
        </Anchor>
      </Group>
      {runs.isPending && (
        <Stack gap="sm">
          {[0, 1, 2, 3].map((index) => (
            <Skeleton key={index} h={20} radius="sm" />
          ))}
        </Stack>
      )}
      {runs.isError && <ErrorState error={runs.error} title="Could not load job runs" onRetry={() => runs.refetch()} />}
      {runs.data?.data.length === 0 && (
        <Text size="sm" c="dimmed">
          No jobs have run yet.
        </Text>
      )}
      {runs.data && runs.data.data.length > 0 && (
        <Stack gap={0}>
          {runs.data.data.map((run, index) => (
            <Group
              key={run.id}
              justify="space-between"
              wrap="nowrap"
              py={8}
              style={{ borderTop: index === 0 ? undefined : '1px solid var(--mantine-color-gray-2)' }}
            >
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" ff="monospace" fw={500} truncate="end">
                  {run.name}
                </Text>
                <Text size="xs" c="dimmed">
                  <DateTimeText value={run.createdAt} relative size="xs" c="dimmed" />
                  {run.durationMs !== null && ` · ${formatDuration(run.durationMs)}`}
                </Text>
              </Stack>
              <JobStateBadge state={run.state} />
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}
