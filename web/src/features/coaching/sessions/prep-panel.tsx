import { Alert, Badge, Box, Group, Paper, SimpleGrid, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { IconBulb, IconChecklist, IconHistory, IconNote, IconStairsUp, IconTrendingDown, IconTrendingUp, type Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Citation } from '../session-queries';
import { CitationChip, formatDay, formatInZone, Panel } from './session-ui';

/** The prep as src/modules/coaching/sessions/prep-service.ts builds it (version 1). */
type MetricUnit = 'score' | 'percent' | 'csat' | 'seconds' | 'count' | 'hours' | 'minutes';
type SnapshotRow = {
  metric: string;
  label: string;
  unit: MetricUnit;
  higherIsBetter: boolean;
  agent14: number | null;
  agent30: number | null;
  team14: number | null;
  team30: number | null;
  citations: Citation[];
};
type Weak = {
  metric: string;
  label: string;
  unit: MetricUnit;
  value: number | null;
  teamAverage: number | null;
  gapPct: number;
  belowTeam: boolean;
  trend: { source: string; change: number | null; direction: 'improving' | 'declining' | 'steady' | 'unknown'; detail: string };
  citations: Citation[];
};
type PrepNote = { id: string; noteType: string; priority: string; category: string | null; content: string; occurredAt: string | null; citation: Citation };
type PrepItem = { id: string; title: string; dueDate: string; daysOverdue: number; progressPercentage: number; blockers: string | null; citation: Citation };
type LastSession = {
  id: string;
  date: string;
  sessionType: string;
  agentCommitments: string | null;
  followUpTopics: string[];
  followUpDate: string | null;
  topicsCovered: string[];
  overallEffectiveness: number | null;
  actionItems: { id: string; title: string; status: string; progressPercentage: number; dueDate: string; citation: Citation }[];
  citation: Citation;
};
type ActivePlan = {
  id: string;
  status: string;
  startDate: string;
  targetEndDate: string;
  nextCheckInDate: string | null;
  targets: { metric: string; label: string; target: number; current: number | null }[];
  mandatoryCriteria: string[];
  citation: Citation;
};
type Topic = { topic: string; approach: string; citations: Citation[] };
export type Prep = {
  generatedAt?: string;
  asOf?: string;
  windows?: { last14: { from: string; to: string }; last30: { from: string; to: string } };
  daysWithData?: { last14: number; last30: number };
  learningStyle?: string | null;
  learningStyleNote?: string | null;
  snapshot?: SnapshotRow[];
  weakest?: Weak[];
  unaddressedNotes?: PrepNote[];
  overdueActionItems?: PrepItem[];
  lastSession?: LastSession | null;
  activePlan?: ActivePlan | null;
  suggestedTopics?: Topic[];
  agenda?: { text: string; citations: Citation[] } | null;
  generation?: { mode: string; note?: string } | null;
  hiddenFromAgent?: string[];
};

export function formatMetricValue(unit: MetricUnit | string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'seconds') return `${Math.round(value)} s`;
  if (unit === 'percent') return `${value.toFixed(1)} %`;
  if (unit === 'csat') return value.toFixed(2);
  if (unit === 'count') return String(Math.round(value));
  return value.toFixed(1);
}

function Chips({ citations, agentId }: { citations: Citation[]; agentId: string }) {
  if (citations.length === 0) return null;
  return (
    <Group gap={4} mt={4}>
      {citations.map((citation, i) => (
        <CitationChip key={`${citation.type}-${citation.id}-${i}`} citation={citation} agentId={agentId} />
      ))}
    </Group>
  );
}

function Section({
  icon: SectionIcon,
  color,
  title,
  count,
  children,
  testId,
}: {
  icon: Icon;
  color: string;
  title: string;
  count?: number;
  children: ReactNode;
  testId: string;
}) {
  return (
    <Panel testId={testId}>
      <Group gap="xs" mb="xs">
        <ThemeIcon size={26} radius="md" variant="light" color={color}>
          <SectionIcon size={16} />
        </ThemeIcon>
        <Text fw={650} size="sm">
          {title}
        </Text>
        {count !== undefined && count > 0 && (
          <Badge size="sm" variant="light" color={color} radius="sm">
            {count}
          </Badge>
        )}
      </Group>
      {children}
    </Panel>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

const TREND_COLOR = { improving: 'teal.7', declining: 'red.7', steady: 'dimmed', unknown: 'dimmed' } as const;

/**
 * The session prep, generated before the one-to-one: what to talk about, every point with chips that open its source
 * (metric chart, weekly history, note, action item, previous session, plan).
 */
export function PrepPanel({ prep: raw, agentId, zone }: { prep: Record<string, unknown> | null | undefined; agentId: string; zone: string }) {
  if (!raw || Object.keys(raw).length === 0) {
    return (
      <Alert color="gray" variant="light" title="No prep yet" data-testid="co-prep-missing">
        The prep is generated when the session is scheduled and again the day before. Use “Regenerate prep” to build it now from the agent's latest metrics,
        notes and action items.
      </Alert>
    );
  }
  const prep = raw as Prep;
  const snapshot = prep.snapshot ?? [];
  const weakest = prep.weakest ?? [];
  const notes = prep.unaddressedNotes ?? [];
  const overdue = prep.overdueActionItems ?? [];
  const last = prep.lastSession ?? null;
  const plan = prep.activePlan ?? null;
  const topics = prep.suggestedTopics ?? [];
  const style = prep.learningStyle ? prep.learningStyle.toLowerCase() : null;

  return (
    <Stack gap="md" data-testid="co-prep">
      <Text size="xs" c="dimmed">
        {prep.generatedAt ? `Generated ${formatInZone(prep.generatedAt, zone)}` : 'Prep'}
        {prep.windows ? ` from metrics up to ${formatDay(prep.windows.last14.to)}` : ''}
        {prep.daysWithData ? ` (${prep.daysWithData.last30} days with data in the last 30)` : ''}
        {prep.generation?.mode === 'model' ? ' · agenda phrased by a language model from the cited facts' : ''}
      </Text>

      <Section
        icon={IconBulb}
        color="grape"
        title={`Talk about${style ? ` — approach for a ${style} learner` : ''}`}
        count={topics.length}
        testId="co-prep-topics"
      >
        {prep.learningStyleNote && (
          <Text size="xs" c="dimmed" mb={6}>
            {prep.learningStyleNote}
          </Text>
        )}
        {topics.length === 0 ? (
          <Empty>No open points: metrics at or above the team, nothing overdue, no open notes. Ask what they want to work on.</Empty>
        ) : (
          <Stack gap="sm">
            {topics.map((topic, i) => (
              <Box key={i} data-testid="co-prep-topic">
                <Text size="sm" fw={600}>
                  {i + 1}. {topic.topic}
                </Text>
                <Text size="sm" c="dimmed">
                  {topic.approach}
                </Text>
                <Chips citations={topic.citations} agentId={agentId} />
              </Box>
            ))}
          </Stack>
        )}
      </Section>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section icon={IconTrendingDown} color="red" title="Weakest metrics (30 days)" count={weakest.length} testId="co-prep-weakest">
          {weakest.length === 0 ? (
            <Empty>Not enough data to compare with the team.</Empty>
          ) : (
            <Stack gap="sm">
              {weakest.map((w) => (
                <Box key={w.metric} data-testid="co-prep-weak">
                  <Group gap={6}>
                    <Text size="sm" fw={600}>
                      {w.label}
                    </Text>
                    <Badge size="xs" color={w.belowTeam ? 'red' : 'gray'} variant="light" style={{ overflow: 'visible' }}>
                      {w.gapPct < 0 ? `${Math.abs(w.gapPct)} % worse than the team` : `${w.gapPct} % better than the team`}
                    </Badge>
                  </Group>
                  <Text size="sm" className="co-s-num">
                    {formatMetricValue(w.unit, w.value)} vs team {formatMetricValue(w.unit, w.teamAverage)}
                  </Text>
                  <Group gap={4}>
                    {w.trend.direction === 'improving' ? (
                      <IconTrendingUp size={14} color="var(--mantine-color-teal-7)" />
                    ) : w.trend.direction === 'declining' ? (
                      <IconTrendingDown size={14} color="var(--mantine-color-red-7)" />
                    ) : null}
                    <Text size="xs" c={TREND_COLOR[w.trend.direction]}>
                      {w.trend.direction}: {w.trend.detail}
                    </Text>
                  </Group>
                  <Chips citations={w.citations} agentId={agentId} />
                </Box>
              ))}
            </Stack>
          )}
        </Section>

        <Section icon={IconHistory} color="blue" title="Last time you agreed…" testId="co-prep-last-time">
          {!last ? (
            <Empty>No earlier completed session with this agent.</Empty>
          ) : (
            <Stack gap={6}>
              <Text size="sm">
                <b>{formatDay(last.date)}</b> ({last.sessionType.toLowerCase().replace('_', '-')}
                {last.overallEffectiveness ? `, rated ${last.overallEffectiveness}/5` : ''})
              </Text>
              {last.agentCommitments && <Text size="sm">“{last.agentCommitments}”</Text>}
              {last.followUpTopics.length > 0 && (
                <Text size="sm" c="dimmed">
                  Follow up on: {last.followUpTopics.join(', ')}
                  {last.followUpDate ? ` by ${formatDay(last.followUpDate)}` : ''}
                </Text>
              )}
              {last.actionItems.length > 0 && (
                <Stack gap={2}>
                  {last.actionItems.map((item) => (
                    <Text key={item.id} size="xs">
                      • {item.title} — <b>{item.status.toLowerCase().replace('_', ' ')}</b>, {item.progressPercentage} %
                    </Text>
                  ))}
                </Stack>
              )}
              <Chips citations={[last.citation, ...last.actionItems.map((i) => i.citation)]} agentId={agentId} />
            </Stack>
          )}
        </Section>

        <Section icon={IconNote} color="yellow" title="Unaddressed notes" count={notes.length} testId="co-prep-notes">
          {notes.length === 0 ? (
            <Empty>No open quick notes about this agent.</Empty>
          ) : (
            <Stack gap="xs">
              {notes.map((note) => (
                <Box key={note.id}>
                  <Group gap={6} wrap="nowrap" align="flex-start">
                    <Badge
                      size="xs"
                      variant="light"
                      color={note.noteType === 'POSITIVE' ? 'teal' : note.noteType === 'URGENT' ? 'red' : 'yellow'}
                      style={{ flexShrink: 0 }}
                    >
                      {note.noteType.toLowerCase()}
                    </Badge>
                    <Text size="sm">{note.content}</Text>
                  </Group>
                  <Chips citations={[note.citation]} agentId={agentId} />
                </Box>
              ))}
            </Stack>
          )}
        </Section>

        <Section icon={IconChecklist} color="orange" title="Overdue action items" count={overdue.length} testId="co-prep-overdue">
          {overdue.length === 0 ? (
            <Empty>Nothing overdue.</Empty>
          ) : (
            <Stack gap="xs">
              {overdue.map((item) => (
                <Box key={item.id}>
                  <Group gap={6}>
                    <Text size="sm" fw={600}>
                      {item.title}
                    </Text>
                    <Badge size="xs" color="red" variant="filled">
                      {item.daysOverdue} day{item.daysOverdue === 1 ? '' : 's'} late
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {item.progressPercentage} % done
                    </Text>
                  </Group>
                  {item.blockers && (
                    <Text size="xs" c="orange.8">
                      Blocked: {item.blockers}
                    </Text>
                  )}
                  <Chips citations={[item.citation]} agentId={agentId} />
                </Box>
              ))}
            </Stack>
          )}
        </Section>
      </SimpleGrid>

      {plan && (
        <Section icon={IconStairsUp} color="grape" title="Improvement plan running" testId="co-prep-plan">
          <Text size="sm">
            {formatDay(plan.startDate)} – {formatDay(plan.targetEndDate)}
            {plan.nextCheckInDate ? ` · next check-in ${formatDay(plan.nextCheckInDate)}` : ''}
          </Text>
          <Group gap="md" mt={4}>
            {plan.targets.map((t) => (
              <Text key={t.metric} size="sm" className="co-s-num">
                {t.label}: {t.current === null ? 'n/a' : t.current.toFixed(1)} → <b>{t.target}</b>
              </Text>
            ))}
          </Group>
          <Chips citations={[plan.citation]} agentId={agentId} />
        </Section>
      )}

      {snapshot.length > 0 && (
        <Panel
          title="Metrics snapshot"
          description={
            prep.windows ? `Agent vs team, last 14 days (${formatDay(prep.windows.last14.from)} – ${formatDay(prep.windows.last14.to)}) and 30 days` : undefined
          }
          padding={0}
          testId="co-prep-snapshot"
        >
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing={4} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Metric</Table.Th>
                  <Table.Th ta="right">Agent 14 d</Table.Th>
                  <Table.Th ta="right">Agent 30 d</Table.Th>
                  <Table.Th ta="right">Team 30 d</Table.Th>
                  <Table.Th>Source</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {snapshot.map((row) => {
                  const worse = row.agent30 !== null && row.team30 !== null && (row.higherIsBetter ? row.agent30 < row.team30 : row.agent30 > row.team30);
                  return (
                    <Table.Tr key={row.metric}>
                      <Table.Td>{row.label}</Table.Td>
                      <Table.Td ta="right" className="co-s-num">
                        {formatMetricValue(row.unit, row.agent14)}
                      </Table.Td>
                      <Table.Td ta="right" className="co-s-num" c={worse ? 'red.7' : undefined} fw={worse ? 700 : undefined}>
                        {formatMetricValue(row.unit, row.agent30)}
                      </Table.Td>
                      <Table.Td ta="right" className="co-s-num" c="dimmed">
                        {formatMetricValue(row.unit, row.team30)}
                      </Table.Td>
                      <Table.Td>{row.citations[0] && <CitationChip citation={{ ...row.citations[0], label: 'chart' }} agentId={agentId} />}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Panel>
      )}

      {prep.agenda?.text && (
        <Paper withBorder radius="md" p="md" data-testid="co-prep-agenda">
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4}>
            Agenda ({prep.generation?.mode === 'model' ? 'language model' : 'from the data'}) — [n] refers to the facts below
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {prep.agenda.text}
          </Text>
          <Stack gap={2} mt={6}>
            {prep.agenda.citations.map((c, i) => (
              <Group key={i} gap={4} wrap="nowrap">
                <Text size="xs" c="dimmed" w={24}>
                  [{i + 1}]
                </Text>
                <CitationChip citation={c} agentId={agentId} />
              </Group>
            ))}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
