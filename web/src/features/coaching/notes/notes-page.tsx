import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  Kbd,
  Menu,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconCalendarEvent, IconCheck, IconDots, IconLink, IconNotes, IconSend } from '@tabler/icons-react';
import { type KeyboardEvent, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import {
  type CoachingSession,
  itemsOf,
  NOTE_TYPES,
  type NoteType,
  type QuickNote,
  useCreateNote,
  usePatchNote,
  useQuickNotes,
  useSessions,
} from '../session-queries';
import { AgentSelect, EmptyPanel, formatDay, formatInZone, NOTE_TYPE_META, NoteTypeBadge, PriorityBadge } from '../sessions/session-ui';

export function NotesPage() {
  const [params, setParams] = useSearchParams();
  const agentId = params.get('agentId');
  const type = params.get('type');
  const show = params.get('show') ?? 'open';
  const highlighted = params.get('noteId');
  const notes = useQuickNotes({ agentId, type, addressed: show === 'open' ? false : show === 'addressed' ? true : null });
  const rows = itemsOf<QuickNote>(notes.data)
    .filter((note) => !type || note.noteType === type)
    .filter((note) => (show === 'open' ? !note.addressed : show === 'addressed' ? note.addressed : true));

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="lg" data-testid="co-notes-page">
      <PageHeader
        title="Quick notes"
        description="Jot down what you notice on the floor, in seconds. Open notes show up in the agent's next session prep until they are addressed."
      />
      <QuickCapture defaultAgentId={agentId} />
      <Group gap="sm" align="flex-end">
        <AgentSelect
          label="Agent"
          placeholder="All my agents"
          value={agentId}
          onChange={(value) => setParam('agentId', value)}
          clearable
          w={300}
          data-testid="co-notes-filter-agent"
        />
        <Select
          label="Type"
          placeholder="All types"
          data={NOTE_TYPES.map((value) => ({ value, label: NOTE_TYPE_META[value].label }))}
          value={type}
          onChange={(value) => setParam('type', value)}
          clearable
          w={180}
          data-testid="co-notes-filter-type"
        />
        <SegmentedControl
          value={show}
          onChange={(value) => setParam('show', value === 'open' ? null : value)}
          data={[
            { value: 'open', label: 'Unaddressed' },
            { value: 'addressed', label: 'Addressed' },
            { value: 'all', label: 'All' },
          ]}
          data-testid="co-notes-filter-addressed"
        />
      </Group>
      {notes.isError && <ErrorState error={notes.error} title="Could not load the notes" onRetry={() => notes.refetch()} />}
      {notes.isPending && <Skeleton h={300} radius="md" />}
      {notes.isSuccess && rows.length === 0 && (
        <EmptyPanel icon={IconNotes} title={show === 'open' ? 'No unaddressed notes' : 'No notes match'} testId="co-notes-empty">
          {show === 'open' ? 'Everything you noted has been talked through. Capture a new observation above.' : 'Change the filters or capture a note above.'}
        </EmptyPanel>
      )}
      {notes.isSuccess && rows.length > 0 && (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" data-testid="co-notes-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={110}>When</Table.Th>
                  <Table.Th w={180}>Agent</Table.Th>
                  <Table.Th>Note</Table.Th>
                  <Table.Th w={170}>Status</Table.Th>
                  <Table.Th w={60} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((note) => (
                  <NoteRow key={note.id} note={note} highlighted={note.id === highlighted} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}

/** Agent, type, text, Enter: the agent and type stay for the next note. */
function QuickCapture({ defaultAgentId }: { defaultAgentId: string | null }) {
  const create = useCreateNote();
  const [agentId, setAgentId] = useState<string | null>(defaultAgentId);
  const [type, setType] = useState<NoteType>('COACHING');
  const [content, setContent] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const save = () => {
    if (!agentId || content.trim() === '') return;
    create.mutate(
      { agentId, noteType: type, content: content.trim(), priority: type === 'URGENT' || type === 'COMPLIANCE' ? 'HIGH' : 'MEDIUM' },
      {
        onSuccess: () => {
          setSaved(content.trim());
          setContent('');
          input.current?.focus();
        },
      },
    );
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    }
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="co-note-capture">
      <Stack gap="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <AgentSelect label="Agent" value={agentId} onChange={setAgentId} w={280} data-testid="co-note-agent" />
          <SegmentedControl
            value={type}
            onChange={(value) => setType(value as NoteType)}
            data={NOTE_TYPES.map((value) => ({ value, label: NOTE_TYPE_META[value].label }))}
            color={NOTE_TYPE_META[type].color}
            data-testid="co-note-type"
          />
        </Group>
        <Group gap="sm" align="flex-end" wrap="nowrap">
          <TextInput
            ref={input}
            label={
              <span>
                Observation <Kbd size="xs">Enter</Kbd> saves
              </span>
            }
            placeholder={agentId ? 'e.g. Great de-escalation on the 10:40 call' : 'Pick an agent first'}
            value={content}
            onChange={(event) => setContent(event.currentTarget.value)}
            onKeyDown={onKey}
            style={{ flex: 1 }}
            data-testid="co-note-content"
          />
          <Button
            leftSection={<IconSend size={16} />}
            onClick={save}
            loading={create.isPending}
            disabled={!agentId || content.trim() === ''}
            data-testid="co-note-save"
          >
            Save
          </Button>
        </Group>
      </Stack>
      {create.isError && (
        <Alert color="red" variant="light" mt="sm" title="The note was not saved" data-testid="co-note-error">
          {errorMessage(create.error)}
        </Alert>
      )}
      {saved && !create.isError && (
        <Text size="xs" c="teal.7" mt={6} data-testid="co-note-saved">
          Saved: “{saved}”
        </Text>
      )}
    </Paper>
  );
}

function NoteRow({ note, highlighted }: { note: QuickNote; highlighted: boolean }) {
  const patch = usePatchNote();
  const [linking, setLinking] = useState(false);
  return (
    <Table.Tr data-testid="co-note-row" data-note-id={note.id} className={highlighted ? 'co-s-highlight' : undefined} bg={highlighted ? 'blue.0' : undefined}>
      <Table.Td>
        <Text size="sm" className="co-s-num">
          {formatDay(note.timestampOccurred ?? note.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/coaching/agents/${note.agentId}`} size="sm">
          {note.agentName ?? 'Agent'}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Group gap={6} mb={2}>
          <NoteTypeBadge type={note.noteType} />
          <PriorityBadge priority={note.priority} />
          {note.linkedSessionId && (
            <Anchor component={Link} to={`/coaching/sessions/${note.linkedSessionId}`} size="xs">
              <IconLink size={12} /> linked session
            </Anchor>
          )}
        </Group>
        <Text size="sm">{note.content}</Text>
        {note.addressedNotes && (
          <Text size="xs" c="dimmed">
            Addressed: {note.addressedNotes}
          </Text>
        )}
        {linking && <LinkSession note={note} onDone={() => setLinking(false)} />}
        {patch.isError && (
          <Text size="xs" c="red">
            {errorMessage(patch.error)}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {note.addressed ? (
          <Text size="sm" c="teal.7">
            Addressed {note.addressedDate ? formatDay(note.addressedDate) : ''}
          </Text>
        ) : (
          <Button
            size="xs"
            variant="light"
            color="teal"
            leftSection={<IconCheck size={14} />}
            loading={patch.isPending}
            onClick={() => patch.mutate({ id: note.id, body: { addressed: true } })}
            data-testid="co-note-mark-addressed"
          >
            Mark addressed
          </Button>
        )}
      </Table.Td>
      <Table.Td>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" aria-label="More">
              <IconDots size={16} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconCalendarEvent size={14} />} onClick={() => setLinking(true)}>
              Link to a session…
            </Menu.Item>
            {note.addressed && <Menu.Item onClick={() => patch.mutate({ id: note.id, body: { addressed: false } })}>Mark unaddressed</Menu.Item>}
          </Menu.Dropdown>
        </Menu>
      </Table.Td>
    </Table.Tr>
  );
}

function LinkSession({ note, onDone }: { note: QuickNote; onDone: () => void }) {
  const sessions = useSessions({ agentId: note.agentId });
  const patch = usePatchNote();
  const options = itemsOf<CoachingSession>(sessions.data)
    .sort((a, b) => b.scheduledDate.localeCompare(a.scheduledDate))
    .map((s) => ({ value: s.id, label: `${formatInZone(s.scheduledDate, null)} · ${s.status.toLowerCase().replace('_', ' ')}` }));
  return (
    <Group gap="xs" mt={6}>
      <Tooltip label="The note then shows in that session's prep and record.">
        <Select
          size="xs"
          placeholder={sessions.isPending ? 'Loading sessions…' : options.length ? 'Choose a session' : 'No sessions with this agent'}
          data={options}
          w={260}
          onChange={(value) => value && patch.mutate({ id: note.id, body: { linkedSessionId: value } }, { onSuccess: onDone })}
          data-testid="co-note-link-session"
        />
      </Tooltip>
      <Button size="xs" variant="subtle" onClick={onDone}>
        Close
      </Button>
    </Group>
  );
}
