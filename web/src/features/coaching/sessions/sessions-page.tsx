import { ActionIcon, Badge, Box, Button, Drawer, Grid, Group, Paper, SegmentedControl, SimpleGrid, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconCalendarEvent, IconCalendarPlus, IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { type CoachingSession, itemsOf, useCoachingMe, useSessions } from '../session-queries';
import { ScheduleForm } from './schedule-form';
import { addDaysIso, AgentSelect, EmptyPanel, formatInZone, localDate, Panel, SESSION_TYPE_LABELS, SessionStatusBadge, zoneAbbreviation } from './session-ui';

const OPEN = new Set(['SCHEDULED', 'IN_PROGRESS']);
const PAST_SHOWN = 12;

/** Monday of the week holding `date`. */
function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDaysIso(date, -((day + 6) % 7));
}

export function SessionsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const agentId = params.get('agentId');
  const view = params.get('view') === 'week' ? 'week' : 'list';
  const [scheduling, setScheduling] = useState(params.get('schedule') === '1');
  const [showAllPast, setShowAllPast] = useState(false);
  const me = useCoachingMe();
  const zone = me.data?.person?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const sessions = useSessions({ agentId });
  const all = itemsOf<CoachingSession>(sessions.data);
  // Open sessions (scheduled or running) are the ones to prepare or record, whatever the clock says; the rest is history.
  const upcoming = all.filter((s) => OPEN.has(s.status)).sort((a, b) => a.scheduledDate.localeCompare(b.scheduledDate));
  const past = all.filter((s) => !OPEN.has(s.status)).sort((a, b) => b.scheduledDate.localeCompare(a.scheduledDate));

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="lg" data-testid="co-sessions-page">
      <PageHeader
        title="Coaching sessions"
        description="Your one-to-ones: open the next one for its prep (what to talk about, with the evidence), record it afterwards, or schedule a new one."
        actions={
          <Button leftSection={<IconCalendarPlus size={16} />} onClick={() => setScheduling(true)} data-testid="co-schedule-open">
            Schedule a session
          </Button>
        }
      />
      <Group gap="sm" align="flex-end">
        <AgentSelect
          label="Agent"
          placeholder="All my agents"
          value={agentId}
          onChange={(value) => setParam('agentId', value)}
          clearable
          w={320}
          data-testid="co-sessions-agent"
        />
        <SegmentedControl
          value={view}
          onChange={(value) => setParam('view', value === 'week' ? 'week' : null)}
          data={[
            { value: 'list', label: 'List' },
            { value: 'week', label: 'Week' },
          ]}
          data-testid="co-sessions-view"
        />
        <Text size="xs" c="dimmed" ml="auto">
          Times in your zone ({zone})
        </Text>
      </Group>

      {sessions.isError && <ErrorState error={sessions.error} title="Could not load the sessions" onRetry={() => sessions.refetch()} />}
      {sessions.isPending && <Skeleton h={320} radius="md" />}
      {sessions.isSuccess && all.length === 0 && (
        <EmptyPanel
          icon={IconCalendarEvent}
          title={agentId ? 'No sessions with this agent yet' : 'No coaching sessions yet'}
          testId="co-sessions-empty"
          action={
            <Button leftSection={<IconCalendarPlus size={16} />} onClick={() => setScheduling(true)}>
              Schedule the first one
            </Button>
          }
        >
          Schedule a one-to-one; the day before, its prep is generated from the agent's metrics, notes and open action items.
        </EmptyPanel>
      )}
      {sessions.isSuccess && all.length > 0 && view === 'list' && (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Panel
              title={`Upcoming (${upcoming.length})`}
              description="Scheduled and running sessions, next first: open one for its prep."
              padding={0}
              testId="co-sessions-upcoming"
            >
              <SessionTable
                sessions={upcoming}
                zone={zone}
                onOpen={(id) => navigate(`/coaching/sessions/${id}`)}
                empty="Nothing scheduled. Schedule the next one-to-one."
              />
            </Panel>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Panel title={`Past (${past.length})`} description="Completed, cancelled and missed sessions, latest first." padding={0} testId="co-sessions-past">
              <SessionTable
                sessions={showAllPast ? past : past.slice(0, PAST_SHOWN)}
                zone={zone}
                onOpen={(id) => navigate(`/coaching/sessions/${id}`)}
                empty="No past sessions."
              />
              {past.length > PAST_SHOWN && (
                <Group justify="center" p="xs">
                  <Button variant="subtle" size="xs" onClick={() => setShowAllPast((v) => !v)} data-testid="co-sessions-past-more">
                    {showAllPast ? 'Show fewer' : `Show all ${past.length}`}
                  </Button>
                </Group>
              )}
            </Panel>
          </Grid.Col>
        </Grid>
      )}
      {sessions.isSuccess && all.length > 0 && view === 'week' && <WeekCalendar sessions={all} zone={zone} />}

      <Drawer opened={scheduling} onClose={() => setScheduling(false)} title="Schedule a coaching session" position="right" size="md">
        <ScheduleForm initialAgentId={agentId} onDone={() => setScheduling(false)} />
      </Drawer>
    </Stack>
  );
}

function SessionTable({ sessions, zone, onOpen, empty }: { sessions: CoachingSession[]; zone: string; onOpen: (id: string) => void; empty: string }) {
  const now = Date.now();
  if (sessions.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="md">
        {empty}
      </Text>
    );
  }
  return (
    <Table verticalSpacing={6} highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When (you)</Table.Th>
          <Table.Th>Agent</Table.Th>
          <Table.Th w={120}>Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sessions.map((session) => {
          const agentTime = session.times?.agent;
          const otherZone = agentTime && agentTime.timezone !== zone;
          const passed = session.status === 'SCHEDULED' && Date.parse(session.endsAt ?? session.scheduledDate) < now;
          return (
            <Table.Tr key={session.id} className="co-s-row" onClick={() => onOpen(session.id)} data-testid="co-session-row" data-session-id={session.id}>
              <Table.Td>
                <Text size="sm" fw={600} className="co-s-num">
                  {formatInZone(session.scheduledDate, zone)}
                </Text>
                <Text size="xs" c="dimmed">
                  {session.plannedMinutes} min
                  {otherZone ? ` · ${agentTime.time} ${zoneAbbreviation(session.scheduledDate, agentTime.timezone)} for the agent` : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" component={Link} to={`/coaching/sessions/${session.id}`} onClick={(event) => event.stopPropagation()} c="inherit" fw={500}>
                  {session.agentName}
                </Text>
                <Text size="xs" c={session.sessionType === 'URGENT' ? 'red.7' : session.sessionType === 'PIP_CHECK' ? 'orange.8' : 'dimmed'}>
                  {SESSION_TYPE_LABELS[session.sessionType]}
                  {session.hasPrep === false && session.status === 'SCHEDULED' ? ' · no prep yet' : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <SessionStatusBadge status={session.status} />
                {passed && (
                  <Text size="xs" c="orange.8">
                    time passed: record it
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function WeekCalendar({ sessions, zone }: { sessions: CoachingSession[]; zone: string }) {
  const today = localDate(Date.now(), zone);
  const [monday, setMonday] = useState(() => mondayOf(today));
  const days = useMemo(() => Array.from({ length: 7 }, (_, i) => addDaysIso(monday, i)), [monday]);
  const byDay = new Map<string, CoachingSession[]>();
  for (const session of sessions) {
    const day = localDate(session.scheduledDate, zone);
    byDay.set(day, [...(byDay.get(day) ?? []), session]);
  }
  return (
    <Panel
      title={`Week of ${formatInZone(`${monday}T12:00:00Z`, 'UTC', 'date')}`}
      testId="co-sessions-week"
      actions={
        <>
          <ActionIcon variant="default" aria-label="Previous week" onClick={() => setMonday(addDaysIso(monday, -7))}>
            <IconChevronLeft size={16} />
          </ActionIcon>
          <Button variant="default" size="xs" onClick={() => setMonday(mondayOf(today))}>
            This week
          </Button>
          <ActionIcon variant="default" aria-label="Next week" onClick={() => setMonday(addDaysIso(monday, 7))}>
            <IconChevronRight size={16} />
          </ActionIcon>
        </>
      }
    >
      <SimpleGrid cols={7} spacing={6}>
        {days.map((day) => (
          <Paper key={day} withBorder radius="sm" p={6} mih={220} bg={day === today ? 'blue.0' : undefined}>
            <Text size="xs" fw={700} c={day === today ? 'blue.8' : 'dimmed'} mb={4}>
              {formatInZone(`${day}T12:00:00Z`, 'UTC', 'date')}
            </Text>
            <Stack gap={4}>
              {(byDay.get(day) ?? [])
                .sort((a, b) => a.scheduledDate.localeCompare(b.scheduledDate))
                .map((session) => (
                  <Tooltip key={session.id} label={`${session.agentName} · ${session.plannedMinutes} min · ${session.status}`} openDelay={300}>
                    <Box
                      component={Link}
                      to={`/coaching/sessions/${session.id}`}
                      p={4}
                      style={{
                        borderRadius: 4,
                        textDecoration: 'none',
                        color: 'inherit',
                        borderLeft: `3px solid var(--mantine-color-${session.status === 'COMPLETED' ? 'teal' : session.status === 'SCHEDULED' ? 'blue' : session.status === 'NO_SHOW' ? 'red' : 'gray'}-6)`,
                        background: 'var(--mantine-color-gray-0)',
                      }}
                      data-testid="co-week-session"
                    >
                      <Text size="xs" fw={600} className="co-s-num">
                        {formatInZone(session.scheduledDate, zone, 'time')}
                      </Text>
                      <Text size="xs" lineClamp={1}>
                        {session.agentName}
                      </Text>
                      {session.status !== 'SCHEDULED' && (
                        <Badge size="xs" variant="light" color="gray">
                          {session.status.replace('_', ' ').toLowerCase()}
                        </Badge>
                      )}
                    </Box>
                  </Tooltip>
                ))}
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
    </Panel>
  );
}
