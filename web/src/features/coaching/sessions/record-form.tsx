import {
  ActionIcon,
  Alert,
  Anchor,
  Autocomplete,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Rating,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconCheck, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../../api';
import {
  type ActionItem,
  type CoachingSession,
  itemsOf,
  useActionItems,
  PRIORITIES,
  type Priority,
  type QuickNote,
  useQuickNotes,
  useSessionAction,
} from '../session-queries';
import { formatDay, NoteTypeBadge, Panel } from './session-ui';

export const ISSUES = ['AHT', 'Quality', 'CSAT', 'FCR', 'Attendance', 'Adherence', 'Compliance', 'Productivity', 'Service'];
export const METHODS = ['Role-play', 'Shadowing', 'Call review', 'Side-by-side', 'Training', 'Feedback'];

const SCORES = [
  { key: 'engagementScore', label: 'Engagement' },
  { key: 'receptivenessScore', label: 'Receptiveness' },
  { key: 'understandingScore', label: 'Understanding' },
  { key: 'overallEffectiveness', label: 'Overall effectiveness' },
] as const;
type ScoreKey = (typeof SCORES)[number]['key'];

type NewItem = { title: string; description: string; dueDate: string | null; priority: Priority };

/** What the leader records about the conversation; POST /sessions/:id/complete. */
export function RecordForm({ session }: { session: CoachingSession }) {
  const action = useSessionAction();
  const notes = useQuickNotes({ agentId: session.agentId, addressed: false });
  const openNotes = itemsOf<QuickNote>(notes.data).filter((note) => !note.addressed);
  const [discussionNotes, setDiscussionNotes] = useState(session.discussionNotes ?? '');
  const [topics, setTopics] = useState<string[]>(session.topicsCovered ?? []);
  const [commitments, setCommitments] = useState(session.agentCommitments ?? '');
  const [resources, setResources] = useState<string[]>(session.resourcesShared ?? []);
  const [scores, setScores] = useState<Record<ScoreKey, number>>({ engagementScore: 0, receptivenessScore: 0, understandingScore: 0, overallEffectiveness: 0 });
  const [achievements, setAchievements] = useState('');
  const [concerns, setConcerns] = useState('');
  const [followUp, setFollowUp] = useState(false);
  const [followUpDate, setFollowUpDate] = useState<string | null>(null);
  const [followUpTopics, setFollowUpTopics] = useState<string[]>([]);
  const [issue, setIssue] = useState('');
  const [method, setMethod] = useState('');
  const [items, setItems] = useState<NewItem[]>([]);
  const [addressed, setAddressed] = useState<string[]>([]);

  const ready =
    discussionNotes.trim() !== '' &&
    (issue.trim() === '') === (method.trim() === '') &&
    items.every((item) => item.title.trim() && item.dueDate) &&
    (!followUp || (followUpDate !== null && followUpTopics.length > 0));

  const submit = () => {
    const body: Record<string, unknown> = {
      discussionNotes: discussionNotes.trim(),
      topicsCovered: topics,
      agentCommitments: commitments.trim() || null,
      resourcesShared: resources,
      keyAchievements: achievements.trim() || null,
      areasOfConcern: concerns.trim() || null,
      followUp: followUp ? { required: true, ...(followUpDate ? { date: followUpDate } : {}), topics: followUpTopics } : { required: false },
      ...(issue.trim() && method.trim() ? { primaryIssue: issue.trim(), interventionMethod: method.trim() } : {}),
      actionItems: items.map((item) => ({
        title: item.title.trim(),
        description: item.description.trim() || item.title.trim(),
        dueDate: item.dueDate,
        priority: item.priority,
      })),
      addressedNotes: addressed.map((id) => ({ id })),
    };
    for (const { key } of SCORES) if (scores[key]) body[key] = scores[key];
    action.mutate({ id: session.id, action: 'complete', body });
  };

  const setItem = (index: number, patch: Partial<NewItem>) => setItems((all) => all.map((item, i) => (i === index ? { ...item, ...patch } : item)));

  return (
    <Stack gap="sm" data-testid="co-record-form">
      <Textarea
        label="Discussion notes"
        required
        autosize
        minRows={3}
        value={discussionNotes}
        onChange={(e) => setDiscussionNotes(e.currentTarget.value)}
        data-testid="co-record-notes"
      />
      <TagsInput label="Topics covered" placeholder="Type a topic, Enter" value={topics} onChange={setTopics} data-testid="co-record-topics" />
      <Textarea
        label="What the agent committed to"
        autosize
        minRows={2}
        value={commitments}
        onChange={(e) => setCommitments(e.currentTarget.value)}
        data-testid="co-record-commitments"
      />
      <TagsInput label="Resources shared" placeholder="Links, guides…" value={resources} onChange={setResources} />
      <SimpleGrid cols={2} spacing="xs">
        {SCORES.map(({ key, label }) => (
          <Stack key={key} gap={2}>
            <Text size="sm" fw={500}>
              {label}
            </Text>
            <Rating value={scores[key]} onChange={(value) => setScores((all) => ({ ...all, [key]: value }))} count={5} data-testid={`co-record-${key}`} />
          </Stack>
        ))}
      </SimpleGrid>
      <Textarea label="Key achievements" autosize minRows={1} value={achievements} onChange={(e) => setAchievements(e.currentTarget.value)} />
      <Textarea label="Areas of concern" autosize minRows={1} value={concerns} onChange={(e) => setConcerns(e.currentTarget.value)} />
      <Divider label="Measuring the effect" labelPosition="left" />
      <SimpleGrid cols={2} spacing="xs">
        <Autocomplete label="Primary issue" placeholder="e.g. AHT" data={ISSUES} value={issue} onChange={setIssue} data-testid="co-record-issue" />
        <Autocomplete
          label="Intervention method"
          placeholder="e.g. Role-play"
          data={METHODS}
          value={method}
          onChange={setMethod}
          data-testid="co-record-method"
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        With both, the agent's metric for the issue is compared before and after (and against similar uncoached agents) on the Effectiveness page.
      </Text>
      <Switch label="Follow-up needed" checked={followUp} onChange={(e) => setFollowUp(e.currentTarget.checked)} />
      {followUp && (
        <SimpleGrid cols={2} spacing="xs">
          <TextInput type="date" label="Follow-up by" required value={followUpDate ?? ''} onChange={(e) => setFollowUpDate(e.currentTarget.value || null)} />
          <TagsInput label="Follow-up topics" required placeholder="Type a topic, Enter" value={followUpTopics} onChange={setFollowUpTopics} />
        </SimpleGrid>
      )}
      <Divider label="Action items to create" labelPosition="left" />
      {items.map((item, index) => (
        <Panel key={index} padding="xs">
          <Stack gap={6}>
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput
                label="Title"
                required
                value={item.title}
                onChange={(e) => setItem(index, { title: e.currentTarget.value })}
                style={{ flex: 1 }}
                data-testid="co-record-item-title"
              />
              <ActionIcon variant="subtle" color="red" aria-label="Remove" onClick={() => setItems((all) => all.filter((_, i) => i !== index))} mb={4}>
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
            <Textarea
              placeholder="What exactly, how it will be checked"
              autosize
              minRows={1}
              value={item.description}
              onChange={(e) => setItem(index, { description: e.currentTarget.value })}
            />
            <SimpleGrid cols={2} spacing="xs">
              <TextInput
                type="date"
                aria-label="Due date"
                required
                value={item.dueDate ?? ''}
                onChange={(e) => setItem(index, { dueDate: e.currentTarget.value || null })}
                data-testid="co-record-item-due"
              />
              <Select
                data={PRIORITIES.map((p) => ({ value: p, label: `${p.toLowerCase()} priority` }))}
                value={item.priority}
                onChange={(value) => setItem(index, { priority: (value as Priority) ?? 'MEDIUM' })}
                allowDeselect={false}
              />
            </SimpleGrid>
          </Stack>
        </Panel>
      ))}
      <Button
        variant="light"
        size="xs"
        leftSection={<IconPlus size={14} />}
        onClick={() => setItems((all) => [...all, { title: '', description: '', dueDate: null, priority: 'MEDIUM' }])}
        w="fit-content"
        data-testid="co-record-add-item"
      >
        Add action item
      </Button>
      <Divider label="Quick notes addressed in this session" labelPosition="left" />
      {openNotes.length === 0 ? (
        <Text size="sm" c="dimmed">
          No open notes about {session.agentName}.
        </Text>
      ) : (
        <Checkbox.Group value={addressed} onChange={setAddressed}>
          <Stack gap={6}>
            {openNotes.map((note) => (
              <Checkbox
                key={note.id}
                value={note.id}
                label={
                  <Group gap={6} wrap="nowrap" align="flex-start">
                    <NoteTypeBadge type={note.noteType} />
                    <Text size="sm" lineClamp={2}>
                      {note.content}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {formatDay(note.createdAt)}
                    </Text>
                  </Group>
                }
                data-testid="co-record-note"
              />
            ))}
          </Stack>
        </Checkbox.Group>
      )}
      {(issue.trim() === '') !== (method.trim() === '') && (
        <Text size="xs" c="orange.8">
          Give both the primary issue and the intervention method, or neither.
        </Text>
      )}
      {action.isError && (
        <Alert color="red" variant="light" title="The session could not be completed" data-testid="co-record-error">
          {errorMessage(action.error)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button
          leftSection={<IconCheck size={16} />}
          color="teal"
          disabled={!ready}
          loading={action.isPending && action.variables?.action === 'complete'}
          onClick={submit}
          data-testid="co-record-complete"
        >
          Complete session
        </Button>
      </Group>
    </Stack>
  );
}

/** A completed session's record: notes, commitments, scores, what comes next. */
export function RecordedOutcome({ session }: { session: CoachingSession }) {
  const itemsQuery = useActionItems({ sessionId: session.id });
  const items = itemsOf<ActionItem>(itemsQuery.data);
  const scores = SCORES.map(({ key, label }) => ({ label, value: session[key] as number | null | undefined })).filter((s) => typeof s.value === 'number');
  return (
    <Panel title="What was discussed" description={session.durationMinutes ? `${session.durationMinutes} minutes` : undefined} testId="co-session-outcome">
      <Stack gap="xs">
        {session.discussionNotes && <Text size="sm">{session.discussionNotes}</Text>}
        {(session.topicsCovered ?? []).length > 0 && (
          <Group gap={4}>
            {(session.topicsCovered ?? []).map((topic) => (
              <Badge key={topic} variant="light" radius="sm" tt="none">
                {topic}
              </Badge>
            ))}
          </Group>
        )}
        {session.agentCommitments && (
          <Text size="sm">
            <b>Agreed:</b> {session.agentCommitments}
          </Text>
        )}
        {session.keyAchievements && (
          <Text size="sm">
            <b>Achievements:</b> {session.keyAchievements}
          </Text>
        )}
        {session.areasOfConcern && (
          <Text size="sm">
            <b>Concerns:</b> {session.areasOfConcern}
          </Text>
        )}
        {scores.length > 0 && (
          <Group gap="lg">
            {scores.map((score) => (
              <Group key={score.label} gap={6}>
                <Text size="xs" c="dimmed">
                  {score.label}
                </Text>
                <Rating value={score.value ?? 0} readOnly size="xs" />
              </Group>
            ))}
          </Group>
        )}
        {items.length > 0 && (
          <Stack gap={2} data-testid="co-session-items">
            <Text size="xs" fw={600} c="dimmed" tt="uppercase">
              Action items agreed
            </Text>
            {items.map((item) => (
              <Group key={item.id} gap={6}>
                <Anchor component={Link} to={`/coaching/action-items?itemId=${item.id}&agentId=${item.agentId}`} size="sm">
                  {item.title}
                </Anchor>
                <Text size="xs" c={item.status === 'OVERDUE' || item.overdue ? 'red.7' : 'dimmed'}>
                  {item.status.toLowerCase().replace('_', ' ')} · {item.progressPercentage} % · due {formatDay(item.dueDate)}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
        {session.followUpRequired && (
          <Text size="sm" c="orange.8">
            Follow-up {session.followUpDate ? `by ${formatDay(session.followUpDate)}` : 'needed'}
            {(session.followUpTopics ?? []).length > 0 ? `: ${(session.followUpTopics ?? []).join(', ')}` : ''}
          </Text>
        )}
      </Stack>
    </Panel>
  );
}
