import { Alert, Button, Group, Loader, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { IconAlertTriangle, IconCalendarPlus, IconClock } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { errorMessage, isApiError } from '../../../api';
import { SESSION_TYPES, type SessionType, useAvailability, useCoachingMe, useScheduleSession } from '../session-queries';
import { AgentSelect, formatInZone, localDate, SESSION_TYPE_LABELS, useAgentMap, zonedToInstant, zoneAbbreviation } from './session-ui';

const LENGTHS = ['15', '30', '45', '60', '90'];

/**
 * Schedules a one-to-one: agent, day and time (typed in the leader's or the agent's zone, both shown), length and type.
 * Free slots of the day come from GET /availability; a double booking comes back as the API's 409 and is shown as is.
 */
export function ScheduleForm({ initialAgentId, onDone }: { initialAgentId: string | null; onDone?: () => void }) {
  const navigate = useNavigate();
  const me = useCoachingMe();
  const agents = useAgentMap();
  const schedule = useScheduleSession();
  const [agentId, setAgentId] = useState<string | null>(initialAgentId);
  const [date, setDate] = useState<string | null>(null);
  const [time, setTime] = useState('10:00');
  const [length, setLength] = useState<string | number>(30);
  const [type, setType] = useState<SessionType>('REGULAR');
  const [zoneOf, setZoneOf] = useState<'leader' | 'agent'>('leader');

  const availability = useAvailability(agentId, date, Number(length) || 30);
  const leaderZone = availability.data?.teamLeader.timezone ?? me.data?.person?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const agent = agentId ? agents.get(agentId) : undefined;
  const agentZone = availability.data?.agent.timezone ?? agent?.timezone ?? leaderZone;
  const inputZone = zoneOf === 'leader' ? leaderZone : agentZone;
  const instant = date && /^\d{2}:\d{2}$/.test(time) ? zonedToInstant(`${date}T${time}`, inputZone) : null;
  const slots = availability.data?.slots ?? [];
  const conflict = schedule.isError && isApiError(schedule.error, 409);

  const submit = () => {
    if (!agentId || !date || !instant) return;
    schedule.mutate(
      { agentId, start: `${date}T${time}`, timezone: inputZone, plannedMinutes: Number(length) || 30, sessionType: type },
      {
        onSuccess: (session) => {
          onDone?.();
          if (session?.id) navigate(`/coaching/sessions/${session.id}`);
        },
      },
    );
  };

  const pickSlot = (iso: string) => {
    setTime(formatInZone(iso, inputZone, 'time'));
    setDate(localDate(iso, inputZone));
  };

  return (
    <Stack gap="sm" data-testid="co-schedule-form">
      <AgentSelect label="Agent" value={agentId} onChange={setAgentId} required data-testid="co-schedule-agent" />
      <SimpleGrid cols={2} spacing="sm">
        <TextInput
          type="date"
          label="Day"
          value={date ?? ''}
          onChange={(event) => setDate(event.currentTarget.value || null)}
          required
          data-testid="co-schedule-date"
        />
        <TimeInput
          label="Start"
          value={time}
          onChange={(event) => setTime(event.currentTarget.value)}
          leftSection={<IconClock size={16} />}
          required
          data-testid="co-schedule-time"
        />
      </SimpleGrid>
      {leaderZone === agentZone ? (
        <Text size="xs" c="dimmed">
          You and {availability.data?.agent.name ?? agent?.name ?? 'the agent'} are both on {leaderZone} time.
        </Text>
      ) : (
        <Stack gap={4}>
          <Text size="xs" c="dimmed">
            The start above is in
          </Text>
          <SegmentedControl
            size="xs"
            value={zoneOf}
            onChange={(value) => setZoneOf(value as 'leader' | 'agent')}
            data={[
              { value: 'leader', label: `your zone (${leaderZone})` },
              { value: 'agent', label: `the agent's (${agentZone})` },
            ]}
            data-testid="co-schedule-zone"
          />
        </Stack>
      )}
      <SimpleGrid cols={2} spacing="sm">
        <Select
          label="Length"
          data={LENGTHS.map((value) => ({ value, label: `${value} minutes` }))}
          value={String(length)}
          onChange={(value) => setLength(value ?? 30)}
          allowDeselect={false}
          data-testid="co-schedule-length"
        />
        <Select
          label="Type"
          data={SESSION_TYPES.map((value) => ({ value, label: SESSION_TYPE_LABELS[value] }))}
          value={type}
          onChange={(value) => setType((value as SessionType) ?? 'REGULAR')}
          allowDeselect={false}
          data-testid="co-schedule-type"
        />
      </SimpleGrid>
      {instant && (
        <Alert variant="light" color="blue" p="xs" data-testid="co-schedule-preview">
          <Text size="sm">
            <b>You:</b> {formatInZone(instant.toISOString(), leaderZone)} {zoneAbbreviation(instant.toISOString(), leaderZone)}
          </Text>
          <Text size="sm">
            <b>{availability.data?.agent.name ?? agent?.name ?? 'Agent'}:</b> {formatInZone(instant.toISOString(), agentZone)}{' '}
            {zoneAbbreviation(instant.toISOString(), agentZone)}
          </Text>
        </Alert>
      )}
      {schedule.isError && (
        <Alert
          color={conflict ? 'orange' : 'red'}
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title={conflict ? 'That time is already booked' : 'The session could not be scheduled'}
          data-testid="co-schedule-error"
        >
          {errorMessage(schedule.error)}
        </Alert>
      )}
      {agentId && date && (
        <Stack gap={4} data-testid="co-schedule-slots">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            {leaderZone === agentZone ? 'Free slots of you both that day' : 'Free slots that day (you / agent)'}
          </Text>
          {availability.isPending && <Loader size="xs" />}
          {availability.isError && (
            <Text size="xs" c="red">
              Could not load free slots: {errorMessage(availability.error)}
            </Text>
          )}
          {availability.isSuccess && slots.length === 0 && (
            <Text size="xs" c="dimmed">
              {availability.data.message ?? 'No common free slot that day — pick another day.'}
            </Text>
          )}
          {availability.isSuccess && slots.length > 0 && (
            <Text size="xs" c="dimmed">
              Working hours: you {availability.data.teamLeader.workingHours} ({leaderZone}), {availability.data.agent.name}{' '}
              {availability.data.agent.workingHours} ({agentZone}). Click a slot to use it.
            </Text>
          )}
          <Group gap={6}>
            {slots.slice(0, 24).map((slot) => {
              const start = slot.start;
              return (
                <UnstyledButton
                  key={start}
                  onClick={() => pickSlot(start)}
                  px={8}
                  py={3}
                  style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6 }}
                  data-testid="co-schedule-slot"
                >
                  <Text size="xs" className="co-s-num">
                    {slot.teamLeader?.time ?? formatInZone(start, leaderZone, 'time')}
                    {leaderZone !== agentZone ? ` / ${slot.agent?.time ?? formatInZone(start, agentZone, 'time')}` : ''}
                  </Text>
                </UnstyledButton>
              );
            })}
          </Group>
        </Stack>
      )}
      <Group justify="flex-end">
        <Button
          leftSection={<IconCalendarPlus size={16} />}
          onClick={submit}
          loading={schedule.isPending}
          disabled={!agentId || !instant}
          data-testid="co-schedule-submit"
        >
          Schedule
        </Button>
      </Group>
    </Stack>
  );
}
