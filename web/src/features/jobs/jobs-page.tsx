import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerPlay, IconRotateClockwise } from '@tabler/icons-react';
import { errorMessage } from '../../api';
import { JOB_STATES, type JobRun } from '../../api-types';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { DateTimeText } from '../../components/date-time-text';
import { PageHeader } from '../../components/page-header';
import { useListParams, useListQuery } from '../../components/use-list-params';
import { formatDuration } from '../../lib/format';
import { permissions } from '../../lib/permissions';
import { useSession } from '../auth/session';
import { JobDefinitionsPanel } from './job-definitions-panel';
import { hasJobData, JobRunDetails } from './job-run-details';
import { JobStateBadge, jobStateLabel } from './job-state-badge';
import { JOBS_QUERY_KEY, useJobDefinitions, useRetryJobRun } from './use-jobs';

const FILTERS = ['state', 'name'] as const;
const REFRESH_INTERVAL_MS = 5_000;

export function JobsPage() {
  const me = useSession();
  const list = useListParams({ defaultSort: '-createdAt', filterKeys: FILTERS });
  const runs = useListQuery<JobRun>(JOBS_QUERY_KEY, '/api/jobs', list.query, { refetchInterval: REFRESH_INTERVAL_MS });
  const definitions = useJobDefinitions();
  const retry = useRetryJobRun();
  const canRetry = permissions.retryJobs(me.role);

  const handleRetry = (run: JobRun) =>
    retry.mutate(run.id, {
      onSuccess: () => notifications.show({ color: 'indigo', title: 'Retry queued', message: `${run.name} will run again shortly.` }),
      onError: (error) => notifications.show({ color: 'red', title: 'Could not retry', message: errorMessage(error) }),
    });

  const columns: DataTableColumn<JobRun>[] = [
    {
      key: 'name',
      header: 'Job',
      sortField: 'name',
      render: (run) => (
        <Text size="sm" ff="monospace" fw={500}>
          {run.name}
        </Text>
      ),
    },
    { key: 'state', header: 'State', sortField: 'state', render: (run) => <JobStateBadge state={run.state} /> },
    {
      key: 'attempt',
      header: 'Attempt',
      align: 'right',
      render: (run) => (
        <Text size="sm" c={run.attempt > 1 ? 'yellow.8' : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {run.attempt}/{run.maxAttempts}
        </Text>
      ),
    },
    { key: 'createdAt', header: 'Queued', sortField: 'createdAt', render: (run) => <DateTimeText value={run.createdAt} relative /> },
    { key: 'startedAt', header: 'Started', sortField: 'startedAt', render: (run) => <DateTimeText value={run.startedAt} relative /> },
    {
      key: 'duration',
      header: 'Duration',
      sortField: 'durationMs',
      align: 'right',
      render: (run) => (
        <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatDuration(run.durationMs)}
        </Text>
      ),
    },
    {
      key: 'actions',
      header: '',
      align: 'right',
      render: (run) =>
        canRetry && run.state === 'failed' ? (
          <Button
            size="compact-xs"
            variant="light"
            color="red"
            leftSection={<IconRotateClockwise size={12} />}
            loading={retry.isPending && retry.variables === run.id}
            onClick={(event) => {
              event.stopPropagation();
              handleRetry(run);
            }}
            data-testid="retry-job"
          >
            Retry
          </Button>
        ) : null,
    },
  ];

  const nameOptions = (definitions.data ?? []).map((definition) => definition.name);

  return (
    <Stack gap="xl">
      <PageHeader
        title="Job runs"
        description="Background jobs for this organization: scheduled imports, snapshots and on-demand runs. The list refreshes every 5 seconds; expand a row to see its error and input."
      />
      <JobDefinitionsPanel canRun={permissions.runJobs(me.role)} />
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} fz="lg">
            Recent runs
          </Title>
          <Text size="xs" c="dimmed">
            Auto-refresh every {REFRESH_INTERVAL_MS / 1000} s
          </Text>
        </Group>
        <DataTable
          testId="jobs-table"
          columns={columns}
          query={runs}
          list={list}
          getRowKey={(run) => run.id}
          searchPlaceholder="Search runs…"
          filters={
            <>
              <Select
                aria-label="Filter by state"
                placeholder="Any state"
                clearable
                w={150}
                value={list.params.filters.state || null}
                data={JOB_STATES.map((state) => ({ value: state, label: jobStateLabel(state) }))}
                onChange={(state) => list.update({ filters: { state } })}
                data-testid="jobs-filter-state"
              />
              <Select
                aria-label="Filter by job"
                placeholder="Any job"
                clearable
                searchable
                w={220}
                value={list.params.filters.name || null}
                data={list.params.filters.name && !nameOptions.includes(list.params.filters.name) ? [...nameOptions, list.params.filters.name] : nameOptions}
                onChange={(name) => list.update({ filters: { name } })}
                data-testid="jobs-filter-name"
              />
            </>
          }
          empty={{
            title: 'No job runs yet',
            description: 'Runs appear here when a scheduled job fires or someone starts one with “Run now”.',
            icon: <IconPlayerPlay size={22} />,
          }}
          expandable={{
            isExpandable: (run) => Boolean(run.error) || hasJobData(run),
            render: (run) => <JobRunDetails run={run} />,
          }}
          minWidth={860}
        />
      </Stack>
    </Stack>
  );
}
