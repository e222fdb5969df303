import { Grid, Group, Loader, Stack, Text, Timeline } from '@mantine/core';
import { IconArrowUpRight } from '@tabler/icons-react';
import { DateTimeText } from '../../../components/date-time-text';
import { ErrorState } from '../../../components/error-state';
import type { Alert } from '../api-types';
import { useAlert } from '../queries';
import { CallList } from '../shared/call-list';
import { humanize, levelName } from '../shared/status';
import { TaskStatusBadge } from '../shared/status-ui';
import { TaskDue } from '../shared/task-due';

function SectionLabel({ children }: { children: string }) {
  return (
    <Text fz={10} c="dimmed" fw={700} tt="uppercase" mb={6} style={{ letterSpacing: 0.4 }}>
      {children}
    </Text>
  );
}

/** The alert's story: message, escalation steps, the tasks it created and the calls made about it. */
export function AlertDetails({ alert }: { alert: Alert }) {
  const detail = useAlert(alert.id);
  if (detail.isPending) return <Loader size="sm" type="dots" />;
  if (detail.isError) return <ErrorState error={detail.error} title="Could not load this alert" onRetry={() => detail.refetch()} />;
  const { escalations = [], tasks = [], calls = [] } = detail.data;

  return (
    <Grid gap="lg" data-testid="sh-alert-details">
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="md">
          <div>
            <SectionLabel>Message</SectionLabel>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {detail.data.message || alert.title}
            </Text>
            {detail.data.acknowledgedAt && (
              <Text size="xs" c="dimmed" mt={6}>
                Acknowledged by {detail.data.acknowledgedBy ?? 'someone'} <DateTimeText value={detail.data.acknowledgedAt} relative size="xs" c="dimmed" />
              </Text>
            )}
            {detail.data.resolvedAt && (
              <Text size="xs" c="dimmed">
                Resolved <DateTimeText value={detail.data.resolvedAt} relative size="xs" c="dimmed" />
              </Text>
            )}
          </div>
          <div>
            <SectionLabel>Escalations</SectionLabel>
            {escalations.length === 0 ? (
              <Text size="xs" c="dimmed">
                Not escalated: still with the {levelName(alert.escalationLevel).toLowerCase()}.
              </Text>
            ) : (
              <Timeline bulletSize={18} lineWidth={2} active={escalations.length - 1}>
                {[...escalations]
                  .sort((a, b) => a.escalatedAt.localeCompare(b.escalatedAt))
                  .map((escalation) => (
                    <Timeline.Item
                      key={escalation.id}
                      bullet={<IconArrowUpRight size={11} />}
                      title={
                        <Text size="sm" fw={600}>
                          {levelName(escalation.fromLevel)} → {levelName(escalation.toLevel)}
                        </Text>
                      }
                    >
                      <Text size="xs" c="dimmed">
                        {humanize(escalation.triggeredBy)}
                        {escalation.escalatedToName ? ` · ${escalation.escalatedToName}` : ''} ·{' '}
                        <DateTimeText value={escalation.escalatedAt} size="xs" c="dimmed" />
                      </Text>
                      {escalation.escalationReason && <Text size="xs">{escalation.escalationReason}</Text>}
                    </Timeline.Item>
                  ))}
              </Timeline>
            )}
          </div>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="md">
          <div>
            <SectionLabel>Tasks</SectionLabel>
            {tasks.length === 0 ? (
              <Text size="xs" c="dimmed">
                No tasks.
              </Text>
            ) : (
              <Stack gap={6}>
                {tasks.map((task) => (
                  <Group key={task.id} justify="space-between" wrap="nowrap" gap="sm">
                    <Text size="sm" lineClamp={1}>
                      {task.title}
                    </Text>
                    <Group gap={6} wrap="nowrap">
                      <TaskDue task={task} />
                      <TaskStatusBadge status={task.status} />
                    </Group>
                  </Group>
                ))}
              </Stack>
            )}
          </div>
          <div>
            <SectionLabel>Calls</SectionLabel>
            {calls.length === 0 ? (
              <Text size="xs" c="dimmed">
                No calls.
              </Text>
            ) : (
              <CallList calls={calls} />
            )}
          </div>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
