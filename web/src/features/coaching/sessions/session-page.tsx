import { Alert, Anchor, Badge, Button, Grid, Group, Modal, Skeleton, Stack, Text, Textarea } from '@mantine/core';
import { IconArrowLeft, IconCalendarOff, IconPlayerPlay, IconRefresh, IconUserX } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { type CoachingSession, useCoachingMe, useCoachingSession, useSessionAction } from '../session-queries';
import { PrepPanel } from './prep-panel';
import { RecordForm, RecordedOutcome } from './record-form';
import { formatInZone, Panel, SessionStatusBadge, SessionTypeBadge, zoneAbbreviation } from './session-ui';

type ReasonAction = 'cancel' | 'no-show';

export function SessionPage() {
  const { id } = useParams();
  const session = useCoachingSession(id);
  const me = useCoachingMe();
  const action = useSessionAction();
  const [reasonFor, setReasonFor] = useState<ReasonAction | null>(null);
  const [reason, setReason] = useState('');
  const s = session.data;
  const leaderZone = s?.times?.teamLeader.timezone ?? me.data?.person?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const agentZone = s?.times?.agent.timezone ?? leaderZone;
  const open = s?.status === 'SCHEDULED' || s?.status === 'IN_PROGRESS';

  const run = (name: 'start' | 'prep' | ReasonAction, body?: unknown) => {
    if (!id) return;
    action.mutate({ id, action: name, body }, { onSuccess: () => setReasonFor(null) });
  };

  if (session.isError) {
    return (
      <Stack gap="lg">
        <BackLink />
        <ErrorState error={session.error} title="Could not open this session" onRetry={() => session.refetch()} />
      </Stack>
    );
  }
  if (!s) {
    return (
      <Stack gap="lg">
        <BackLink />
        <Skeleton h={60} radius="md" />
        <Skeleton h={420} radius="md" />
      </Stack>
    );
  }

  return (
    <Stack gap="lg" data-testid="co-session-page" data-status={s.status}>
      <BackLink />
      <PageHeader
        title={`One-to-one with ${s.agentName}`}
        documentTitle={`Session · ${s.agentName}`}
        badge={
          <Group gap={6}>
            <SessionStatusBadge status={s.status} size="lg" data-testid="co-session-status" />
            <SessionTypeBadge type={s.sessionType} />
          </Group>
        }
        description={<When session={s} leaderZone={leaderZone} agentZone={agentZone} />}
        actions={
          open && (
            <>
              <Button
                variant="default"
                leftSection={<IconRefresh size={16} />}
                loading={action.isPending && action.variables?.action === 'prep'}
                onClick={() => run('prep')}
                data-testid="co-session-regenerate"
              >
                Regenerate prep
              </Button>
              {s.status === 'SCHEDULED' && (
                <Button
                  leftSection={<IconPlayerPlay size={16} />}
                  loading={action.isPending && action.variables?.action === 'start'}
                  onClick={() => run('start')}
                  data-testid="co-session-start"
                >
                  Start
                </Button>
              )}
              <Button
                variant="light"
                color="gray"
                leftSection={<IconCalendarOff size={16} />}
                onClick={() => setReasonFor('cancel')}
                data-testid="co-session-cancel"
              >
                Cancel
              </Button>
              <Button
                variant="light"
                color="red"
                leftSection={<IconUserX size={16} />}
                onClick={() => setReasonFor('no-show')}
                data-testid="co-session-no-show"
              >
                No-show
              </Button>
            </>
          )
        }
      />
      {action.isError && !reasonFor && (
        <Alert color="red" variant="light" title="That did not work" data-testid="co-session-action-error">
          {errorMessage(action.error)}
        </Alert>
      )}
      {s.status === 'CANCELLED' && (
        <Alert color="gray" variant="light" title="Cancelled">
          {s.cancelledReason ?? 'No reason given.'}
        </Alert>
      )}
      {s.status === 'NO_SHOW' && (
        <Alert color="red" variant="light" title="The agent did not show up">
          {s.noShowReason ?? 'No reason given.'}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, xl: open ? 7 : 12 }}>
          <Stack gap="md">
            {s.status === 'COMPLETED' && <RecordedOutcome session={s} />}
            <Text fw={700} size="lg">
              {s.status === 'COMPLETED' ? 'The prep it started from' : 'Prep: what to talk about'}
            </Text>
            <PrepPanel prep={s.prepData} agentId={s.agentId} zone={leaderZone} />
          </Stack>
        </Grid.Col>
        {open && (
          <Grid.Col span={{ base: 12, xl: 5 }}>
            <Panel
              title="Record the session"
              description="Fill in during or right after the conversation; completing it creates the action items and starts measuring whether the coaching worked."
              testId="co-record-panel"
            >
              <RecordForm session={s} />
            </Panel>
          </Grid.Col>
        )}
      </Grid>

      <Modal opened={reasonFor !== null} onClose={() => setReasonFor(null)} title={reasonFor === 'cancel' ? 'Cancel this session' : 'Record a no-show'}>
        <Stack gap="sm">
          <Textarea
            label="Reason"
            placeholder={reasonFor === 'cancel' ? 'e.g. agent on sick leave; rescheduled to next week' : 'e.g. did not come to the meeting room, no message'}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            autosize
            minRows={2}
            required
            data-testid="co-session-reason"
          />
          {action.isError && (
            <Text size="sm" c="red">
              {errorMessage(action.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setReasonFor(null)}>
              Back
            </Button>
            <Button
              color={reasonFor === 'cancel' ? 'gray' : 'red'}
              disabled={reason.trim() === ''}
              loading={action.isPending}
              onClick={() => reasonFor && run(reasonFor, { reason: reason.trim() })}
              data-testid="co-session-reason-submit"
            >
              {reasonFor === 'cancel' ? 'Cancel session' : 'Record no-show'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function BackLink() {
  return (
    <Anchor component={Link} to="/coaching/sessions" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} /> All sessions
      </Group>
    </Anchor>
  );
}

function When({ session, leaderZone, agentZone }: { session: CoachingSession; leaderZone: string; agentZone: string }) {
  return (
    <Group gap="md" component="span">
      <span>
        {formatInZone(session.scheduledDate, leaderZone)} {zoneAbbreviation(session.scheduledDate, leaderZone)} (you)
        {agentZone !== leaderZone &&
          ` · ${formatInZone(session.scheduledDate, agentZone, 'time')} ${zoneAbbreviation(session.scheduledDate, agentZone)} for ${session.agentName}`}
        {` · ${session.plannedMinutes} min`}
      </span>
      <Anchor component={Link} to={`/coaching/agents/${session.agentId}`} size="sm">
        Scorecard
      </Anchor>
      {session.teamLeaderName && (
        <Badge variant="default" radius="sm" tt="none" fw={500}>
          with {session.teamLeaderName}
        </Badge>
      )}
    </Group>
  );
}
