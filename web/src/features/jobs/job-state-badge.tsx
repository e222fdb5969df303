import { Badge, Loader } from '@mantine/core';
import type { JobState } from '../../api-types';

const STATE_COLORS: Record<JobState, string> = {
  created: 'gray',
  active: 'blue',
  retry: 'yellow',
  completed: 'green',
  failed: 'red',
  cancelled: 'dark',
};

const STATE_LABELS: Record<JobState, string> = {
  created: 'Queued',
  active: 'Running',
  retry: 'Retrying',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function jobStateLabel(state: JobState): string {
  return STATE_LABELS[state] ?? state;
}

export function JobStateBadge({ state }: { state: JobState }) {
  return (
    <Badge
      color={STATE_COLORS[state] ?? 'gray'}
      variant={state === 'cancelled' ? 'outline' : 'light'}
      radius="sm"
      tt="none"
      fw={600}
      leftSection={state === 'active' ? <Loader size={8} color="blue" type="oval" /> : undefined}
      data-testid="job-state"
      data-state={state}
    >
      {jobStateLabel(state)}
    </Badge>
  );
}
