import { Anchor, Badge, Button, Group, Progress, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconNotes } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage, isApiError } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import { NOTE_TYPES, type ActionItemSummary, type NoteType, type PlanSummary, type QuickNote, type SessionSummary } from '../api-types';
import { itemsOf, useAgentActionItems, useAgentNotes, useAgentPlans, useAgentSessions, useCreateNote } from '../queries';
import { formatDay, formatScore, titleCase } from '../shared/format';
import { Panel } from '../shared/ui';

const OPEN_ITEM = new Set(['PENDING', 'IN_PROGRESS', 'OVERDUE']);
const SESSION_COLORS: Record<string, string> = { SCHEDULED: 'blue', IN_PROGRESS: 'indigo', COMPLETED: 'teal', CANCELLED: 'gray', NO_SHOW: 'red' };

/** "not available" when the route is not there (404) or not allowed (403); the panel says so instead of failing. */
function Unavailable({ error }: { error: unknown }) {
  return (
    <Text size="xs" c="dimmed">
      {isApiError(error, 404) ? 'Not available yet.' : errorMessage(error)}
    </Text>
  );
}

/** Plan, action items, sessions, open notes and quick-note capture next to the scorecard. */
export function AgentSidePanels({ agentId, agentName }: { agentId: string; agentName: string }) {
  const plans = useAgentPlans(agentId);
  const items = useAgentActionItems(agentId);
  const sessions = useAgentSessions(agentId);
  const notes = useAgentNotes(agentId);
  const activePlan = itemsOf<PlanSummary>(plans.data).find((plan) => plan.status === 'ACTIVE' || plan.status === 'EXTENDED') ?? null;
  const draftPlan = itemsOf<PlanSummary>(plans.data).find((plan) => plan.status === 'DRAFT') ?? null;
  const openItems = itemsOf<ActionItemSummary>(items.data)
    .filter((item) => OPEN_ITEM.has(item.status))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const allSessions = [...itemsOf<SessionSummary>(sessions.data)].sort((a, b) => b.scheduledDate.localeCompare(a.scheduledDate));
  const unaddressed = itemsOf<QuickNote>(notes.data).filter((note) => !note.addressed);

  return (
    <>
      <QuickNoteForm agentId={agentId} agentName={agentName} />
      <Panel title="Improvement plan" testId="co-sc-plan">
        {plans.isError ? (
          <Unavailable error={plans.error} />
        ) : activePlan ? (
          <Stack gap={4}>
            <Group justify="space-between">
              <Anchor component={Link} to={`/coaching/plans/${activePlan.id}`} fw={600} size="sm">
                {titleCase(activePlan.status)} plan until {formatDay(activePlan.targetEndDate)}
              </Anchor>
              {activePlan.currentScore !== null && (
                <Badge variant="light" className="co-num">
                  score {formatScore(activePlan.currentScore)}
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed" lineClamp={2}>
              {activePlan.reasonForPlan}
            </Text>
            {activePlan.nextCheckInDate && <Text size="xs">Next check-in {formatDay(activePlan.nextCheckInDate, 'weekday')}</Text>}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            No active plan.
            {draftPlan && (
              <>
                {' '}
                A{' '}
                <Anchor component={Link} to={`/coaching/plans/${draftPlan.id}`} size="sm">
                  draft plan
                </Anchor>{' '}
                waits for approval.
              </>
            )}
          </Text>
        )}
      </Panel>
      <Panel title={`Open action items (${openItems.length})`} testId="co-sc-items">
        {items.isError ? (
          <Unavailable error={items.error} />
        ) : openItems.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing open.
          </Text>
        ) : (
          <Stack gap={8}>
            {openItems.slice(0, 6).map((item) => (
              <Stack key={item.id} gap={2}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={600} truncate>
                    {item.title}
                  </Text>
                  <Badge size="xs" color={item.status === 'OVERDUE' ? 'red' : 'gray'} variant="light">
                    {item.status === 'OVERDUE' ? 'overdue' : `due ${formatDay(item.dueDate, 'short')}`}
                  </Badge>
                </Group>
                <Progress value={item.progressPercentage} size="xs" color={item.status === 'OVERDUE' ? 'red' : 'indigo'} />
              </Stack>
            ))}
            <Anchor component={Link} to={`/coaching/action-items?agentId=${agentId}`} size="xs">
              All action items
            </Anchor>
          </Stack>
        )}
      </Panel>
      <Panel title="Sessions" testId="co-sc-sessions">
        {sessions.isError ? (
          <Unavailable error={sessions.error} />
        ) : allSessions.length === 0 ? (
          <Text size="sm" c="dimmed">
            No sessions yet.{' '}
            <Anchor component={Link} to={`/coaching/sessions?agentId=${agentId}`} size="sm">
              Schedule the first one
            </Anchor>
            .
          </Text>
        ) : (
          <Stack gap={6}>
            {allSessions.slice(0, 5).map((session) => (
              <Group key={session.id} justify="space-between" wrap="nowrap" gap="xs">
                <Anchor component={Link} to={`/coaching/sessions/${session.id}`} size="sm">
                  <DateTimeText value={session.scheduledDate} size="sm" />
                </Anchor>
                <Group gap={4} wrap="nowrap">
                  {session.overallEffectiveness ? (
                    <Text size="xs" c="dimmed">
                      {session.overallEffectiveness}/5
                    </Text>
                  ) : null}
                  <Badge size="xs" variant="light" color={SESSION_COLORS[session.status] ?? 'gray'}>
                    {titleCase(session.status)}
                  </Badge>
                </Group>
              </Group>
            ))}
          </Stack>
        )}
      </Panel>
      <Panel title={`Unaddressed notes (${unaddressed.length})`} testId="co-sc-notes">
        {notes.isError ? (
          <Unavailable error={notes.error} />
        ) : unaddressed.length === 0 ? (
          <Text size="sm" c="dimmed">
            None open.
          </Text>
        ) : (
          <Stack gap={6}>
            {unaddressed.slice(0, 5).map((note) => (
              <Stack key={note.id} gap={0} data-testid="co-sc-note">
                <Group gap={6}>
                  <Badge
                    size="xs"
                    variant="light"
                    color={note.noteType === 'URGENT' || note.noteType === 'COMPLIANCE' ? 'red' : note.noteType === 'POSITIVE' ? 'teal' : 'gray'}
                  >
                    {titleCase(note.noteType)}
                  </Badge>
                  <DateTimeText value={note.createdAt} relative size="xs" c="dimmed" />
                </Group>
                <Text size="sm" lineClamp={2}>
                  {note.content}
                </Text>
              </Stack>
            ))}
          </Stack>
        )}
      </Panel>
    </>
  );
}

function QuickNoteForm({ agentId, agentName }: { agentId: string; agentName: string }) {
  const create = useCreateNote();
  const [content, setContent] = useState('');
  const [noteType, setNoteType] = useState<NoteType>('COACHING');
  const save = () =>
    create.mutate(
      { agentId, noteType, content: content.trim() },
      {
        onSuccess: () => {
          setContent('');
          notifications.show({ color: 'green', title: 'Note saved', message: `It shows in ${agentName}'s next session prep.` });
        },
      },
    );
  return (
    <Panel
      title={
        <Group gap={6}>
          <IconNotes size={16} />
          Quick note
        </Group>
      }
      description="Something you heard on a call: it goes into the next session's prep."
      testId="co-sc-quick-note"
    >
      <Stack gap="xs">
        <Textarea
          placeholder={`What did ${agentName.split(' ')[0]} do well or need help with?`}
          autosize
          minRows={2}
          value={content}
          onChange={(event) => setContent(event.currentTarget.value)}
          data-testid="co-note-content"
        />
        <Group justify="space-between" gap="xs">
          <Select
            size="xs"
            w={150}
            aria-label="Note type"
            data={NOTE_TYPES.map((value) => ({ value, label: titleCase(value) }))}
            value={noteType}
            allowDeselect={false}
            onChange={(value) => value && setNoteType(value as NoteType)}
            data-testid="co-note-type"
          />
          <Button size="xs" onClick={save} disabled={content.trim() === ''} loading={create.isPending} data-testid="co-note-save">
            Save note
          </Button>
        </Group>
        {create.isError && (
          <Text size="xs" c="red.7">
            {errorMessage(create.error)}
          </Text>
        )}
      </Stack>
    </Panel>
  );
}
