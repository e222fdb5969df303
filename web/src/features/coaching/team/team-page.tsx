import { Alert, Anchor, Box, Button, Group, Select, SimpleGrid, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconFileImport, IconUsersGroup } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import type { TeamAgent, TeamSummaryRow } from '../api-types';
import { useCoachingMe, useTeam, useTeamSummaries } from '../queries';
import { deltaColor, formatDay, formatMetric, formatPercentile, formatScore, formatSigned, metricMeta } from '../shared/format';
import { EmptyPanel, Panel, StatTile, StatusBadge, TrendChange, TrendSparkline } from '../shared/ui';
import { NotificationsPanel } from './notifications-panel';

/** A colour for each of the API's reasons, by what it is about. */
function reasonColor(reason: string): string {
  if (/overdue|down|bottom quartile|below the team/i.test(reason)) return 'red';
  if (/up .* recognise/i.test(reason)) return 'teal';
  if (/note/i.test(reason)) return 'yellow';
  if (/plan/i.test(reason)) return 'orange';
  if (/session/i.test(reason)) return 'grape';
  return 'gray';
}

const mean = (values: (number | null | undefined)[]): number | null => {
  const numbers = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  return numbers.length > 0 ? numbers.reduce((sum, value) => sum + value, 0) / numbers.length : null;
};

export function TeamPage() {
  const me = useCoachingMe();
  const [params, setParams] = useSearchParams();
  const chosen = params.get('teamLeaderId');
  const isLeader = me.data?.role === 'TEAM_LEADER';
  const canChoose = Boolean(me.data && (me.data.seesEverything || me.data.role === 'MANAGER'));
  const team = useTeam(chosen, Boolean(me.data) && me.data?.role !== 'AGENT');
  const summaries = useTeamSummaries(canChoose);
  const data = team.data;
  // The API sorts by attention (most pressing first).
  const agents = data?.agents ?? [];
  const teams = data?.teams ?? [];

  if (me.isError)
    return (
      <Stack gap="lg">
        <PageHeader title="My team" />
        <ErrorState error={me.error} title={isApiError(me.error, 403) ? 'You are not in the coaching hierarchy' : 'Could not load your coaching role'} />
      </Stack>
    );

  if (me.data?.role === 'AGENT' && me.data.person)
    return (
      <Stack gap="lg">
        <PageHeader title="My coaching" />
        <Alert color="blue" variant="light" title="Your scorecard">
          You see your own metrics, sessions and action items.{' '}
          <Link to={`/coaching/agents/${me.data.person.id}`} data-testid="co-my-scorecard">
            Open your scorecard
          </Link>
          .
        </Alert>
      </Stack>
    );

  const summary = data?.summary ?? null;
  const leaderName = data?.teamLeader?.name ?? null;
  const title = isLeader || !leaderName ? 'My team' : `Team of ${leaderName}`;
  const lastWeek = mean(agents.map((agent) => agent.compositeWeeks[agent.compositeWeeks.length - 1]));
  const weekBefore = mean(agents.map((agent) => agent.compositeWeeks[agent.compositeWeeks.length - 2]));
  const weekChange = lastWeek !== null && weekBefore !== null ? lastWeek - weekBefore : null;
  const pips = summary?.activePips ?? agents.filter((agent) => agent.status === 'PIP').length;
  const activePlans = agents.filter((agent) => agent.flags.activePlan).length;

  return (
    <Stack gap="lg" data-testid="co-team-page">
      <PageHeader
        title={title}
        documentTitle="My team"
        description="Who needs attention before the next one-to-one: agents with falling composites, overdue items, open notes or no recent session come first. Open an agent for the scorecard and what moved it."
        actions={
          canChoose && teams.length > 0 ? (
            <Select
              w={260}
              aria-label="Team"
              placeholder="Choose a team"
              data-testid="co-team-select"
              data={teams.map((row) => ({ value: row.id, label: row.name }))}
              value={chosen ?? data?.teamLeader?.id ?? null}
              allowDeselect={false}
              onChange={(value) => value && setParams({ teamLeaderId: value }, { replace: true })}
              searchable
            />
          ) : undefined
        }
      />

      {team.isError && <ErrorState error={team.error} title="Could not load the team" onRetry={() => void team.refetch()} />}

      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
        <StatTile
          label="Agents"
          value={data ? agents.length : '—'}
          note={summary && summary.agentCount !== agents.length ? `${summary.agentCount} active in the nightly summary` : 'in this team'}
          loading={team.isPending}
          testId="co-tile-agents"
        />
        <StatTile
          label="Avg composite, last 7 days"
          value={formatScore(lastWeek)}
          delta={weekChange}
          deltaLabel={weekChange !== null ? `${formatSigned(weekChange)} vs the week before` : undefined}
          loading={team.isPending}
          testId="co-tile-composite"
          hint="Average of the agents' composite scores over the last 7 days with metrics (service 25 %, productivity 20 %, quality 20 %, attendance 20 %, adherence 15 %)."
        />
        <StatTile
          label="Active PIPs"
          value={pips}
          note={activePlans !== pips ? `${activePlans} plans running` : 'agents on an improvement plan'}
          loading={team.isPending}
          testId="co-tile-pips"
        />
        <StatTile
          label="Sessions last week"
          value={summary ? summary.sessionsLastWeek : '—'}
          note={summary ? `team summary of ${formatDay(summary.calculatedDate)}` : 'summary refreshed nightly'}
          loading={team.isPending}
          testId="co-tile-sessions"
        />
      </SimpleGrid>

      <NotificationsPanel />

      {team.isPending ? (
        <Skeleton h={360} radius="md" />
      ) : data && !data.teamLeader ? (
        <EmptyPanel icon={IconUsersGroup} title="No team to show" testId="co-team-none">
          There is no team leader you can see yet. Add team leaders and agents under <Link to="/coaching/people">People</Link>.
        </EmptyPanel>
      ) : data && agents.length === 0 ? (
        <EmptyPanel icon={IconUsersGroup} title="No agents in this team yet" testId="co-team-empty">
          Add agents under <Link to="/coaching/people">People</Link> and link them to their team leader, then import their metrics.
        </EmptyPanel>
      ) : data ? (
        <AgentTable agents={agents} />
      ) : null}

      {canChoose && summaries.data && summaries.data.items.length > 1 && (
        <TeamsCompared
          teams={summaries.data.items}
          calculatedDate={summaries.data.calculatedDate}
          current={data?.teamLeader?.id ?? null}
          onPick={(id) => setParams({ teamLeaderId: id })}
        />
      )}
    </Stack>
  );
}

function AgentTable({ agents }: { agents: TeamAgent[] }) {
  const navigate = useNavigate();
  const noMetrics = agents.every((agent) => agent.latestComposite === null);
  return (
    <Panel
      title="Agents, who needs attention first"
      description="Composite of the latest day with its change over 4 weeks and the weekly averages; the weakest composite component against the team's 28-day average; why a one-to-one is due, most pressing first."
      padding={0}
      testId="co-team-agents"
    >
      {noMetrics && (
        <Alert color="blue" variant="light" mx="md" mb="sm" icon={<IconFileImport size={18} />} data-testid="co-team-no-metrics">
          No metrics yet — <Link to="/coaching/imports">import a file</Link> of calls or daily agent metrics to see composites and trends.
        </Alert>
      )}
      <Table.ScrollContainer minWidth={1040} type="native">
        <Table verticalSpacing={8} horizontalSpacing="sm" fz="sm" highlightOnHover data-testid="co-team-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Agent</Table.Th>
              <Table.Th ta="right">Composite</Table.Th>
              <Table.Th>Last weeks</Table.Th>
              <Table.Th>Weakest vs team</Table.Th>
              <Table.Th ta="right">Percentile</Table.Th>
              <Table.Th miw={250}>Needs attention</Table.Th>
              <Table.Th>Last session</Table.Th>
              <Table.Th>Next session</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {agents.map((agent) => {
              const reasons = agent.reasons;
              const weakest = agent.weakestMetric;
              const weakestMeta = weakest ? metricMeta(weakest.key) : null;
              return (
                <Table.Tr
                  key={agent.id}
                  className="co-clickable-row"
                  onClick={() => navigate(`/coaching/agents/${agent.id}`)}
                  data-testid="co-team-row"
                  data-agent-id={agent.id}
                >
                  <Table.Td>
                    <Stack gap={2}>
                      <Anchor
                        component={Link}
                        to={`/coaching/agents/${agent.id}`}
                        onClick={(event) => event.stopPropagation()}
                        fw={650}
                        c="dark"
                        underline="hover"
                        size="sm"
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        {agent.name}
                      </Anchor>
                      {agent.status !== 'ACTIVE' && <StatusBadge status={agent.status} size="xs" w="fit-content" />}
                    </Stack>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Stack gap={0} align="flex-end">
                      <Text fw={700} className="co-num" data-testid="co-team-composite">
                        {formatScore(agent.latestComposite)}
                      </Text>
                      <TrendChange change={agent.compositeTrend4w} suffix=" 4 wk" />
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <TrendSparkline values={agent.compositeWeeks} />
                  </Table.Td>
                  <Table.Td>
                    {weakest && weakestMeta ? (
                      <Stack gap={0}>
                        <Text size="sm" fw={600}>
                          {weakest.label || weakestMeta.label}
                        </Text>
                        <Text size="xs" c="dimmed" className="co-num">
                          {formatMetric(weakest.key, weakest.value)} vs team {formatMetric(weakest.key, weakest.teamAverage)}
                        </Text>
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" className="co-num">
                    {formatPercentile(agent.percentile)}
                  </Table.Td>
                  <Table.Td>
                    {reasons.length === 0 ? (
                      <Text size="xs" c="dimmed">
                        On track
                      </Text>
                    ) : (
                      <Stack gap={2} miw={240} maw={360}>
                        {reasons.slice(0, 3).map((reason) => (
                          <Group key={reason} gap={6} wrap="nowrap" align="flex-start" data-testid="co-team-flag">
                            <Box w={7} h={7} mt={6} style={{ borderRadius: 7, flexShrink: 0, background: `var(--mantine-color-${reasonColor(reason)}-6)` }} />
                            <Text size="xs" lh={1.45}>
                              {reason}
                            </Text>
                          </Group>
                        ))}
                        {reasons.length > 3 && (
                          <Tooltip label={reasons.slice(3).join(' · ')} withArrow multiline w={280}>
                            <Text size="xs" c="dimmed" ml={13} w="fit-content">
                              and {reasons.length - 3} more
                            </Text>
                          </Tooltip>
                        )}
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text
                      size="sm"
                      style={{ whiteSpace: 'nowrap' }}
                      c={agent.flags.daysSinceLastSession === null || agent.flags.daysSinceLastSession > 30 ? 'red.7' : undefined}
                    >
                      {agent.flags.daysSinceLastSession === null
                        ? 'never'
                        : agent.flags.daysSinceLastSession === 0
                          ? 'today'
                          : agent.flags.daysSinceLastSession === 1
                            ? 'yesterday'
                            : `${agent.flags.daysSinceLastSession} days ago`}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {agent.flags.nextSession ? (
                      <Anchor
                        component={Link}
                        to={`/coaching/sessions/${agent.flags.nextSession.id}`}
                        onClick={(event) => event.stopPropagation()}
                        size="sm"
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        {formatDay(agent.flags.nextSession.scheduledDate, 'weekday')}
                      </Anchor>
                    ) : (
                      <Button
                        component={Link}
                        to={`/coaching/sessions?agentId=${agent.id}`}
                        onClick={(event) => event.stopPropagation()}
                        size="compact-xs"
                        variant="subtle"
                      >
                        Schedule
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Panel>
  );
}

function TeamsCompared({
  teams,
  calculatedDate,
  current,
  onPick,
}: {
  teams: TeamSummaryRow[];
  calculatedDate: string | null;
  current: string | null;
  onPick: (id: string) => void;
}) {
  const sorted = [...teams].sort((a, b) => (b.avgTeamScore ?? -1) - (a.avgTeamScore ?? -1));
  const best = sorted[0]?.avgTeamScore ?? null;
  return (
    <Panel
      title="Teams compared"
      description={`Every team you can see, best average composite first — from the team summary${calculatedDate ? ` of ${formatDay(calculatedDate)}` : ''} (refreshed nightly). Click a team to open it above.`}
      padding={0}
      testId="co-teams-compared"
    >
      <Table.ScrollContainer minWidth={720} type="native">
        <Table verticalSpacing={6} horizontalSpacing="md" fz="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Team leader</Table.Th>
              <Table.Th ta="right">Agents</Table.Th>
              <Table.Th ta="right">Avg composite</Table.Th>
              <Table.Th ta="right">vs best</Table.Th>
              <Table.Th ta="right">Service</Table.Th>
              <Table.Th ta="right">Quality</Table.Th>
              <Table.Th ta="right">On a PIP</Table.Th>
              <Table.Th ta="right">Sessions last week</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((team) => (
              <Table.Tr
                key={team.teamLeaderId}
                className="co-clickable-row"
                onClick={() => onPick(team.teamLeaderId)}
                data-testid="co-teams-row"
                bg={team.teamLeaderId === current ? 'indigo.0' : undefined}
              >
                <Table.Td fw={600}>{team.teamLeaderName}</Table.Td>
                <Table.Td ta="right" className="co-num">
                  {team.agentCount}
                </Table.Td>
                <Table.Td ta="right" className="co-num" fw={650}>
                  {formatScore(team.avgTeamScore)}
                </Table.Td>
                <Table.Td ta="right" className="co-num" c={deltaColor(best !== null && team.avgTeamScore !== null ? team.avgTeamScore - best : null)}>
                  {best !== null && team.avgTeamScore !== null && team.avgTeamScore !== best ? formatSigned(team.avgTeamScore - best) : '—'}
                </Table.Td>
                <Table.Td ta="right" className="co-num">
                  {formatScore(team.avgServiceScore)}
                </Table.Td>
                <Table.Td ta="right" className="co-num">
                  {formatScore(team.avgQualityScore)}
                </Table.Td>
                <Table.Td ta="right" className="co-num" c={team.activePips > 0 ? 'orange.8' : undefined}>
                  {team.activePips}
                </Table.Td>
                <Table.Td ta="right" className="co-num">
                  {team.sessionsLastWeek}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {sorted.every((team) => team.avgTeamScore === null) && (
        <Text size="xs" c="dimmed" px="md" pb="sm" data-testid="co-teams-no-scores">
          No averages yet: the summary counts the 7 days before it was computed, and no team has metrics in that window. Import recent metrics; the nightly job
          refreshes it.
        </Text>
      )}
    </Panel>
  );
}
