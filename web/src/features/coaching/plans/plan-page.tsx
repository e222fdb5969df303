import { LineChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  List,
  Modal,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Textarea,
  ThemeIcon,
  Timeline,
  Tooltip,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconArrowLeft, IconCalendarPlus, IconCheck, IconCircleCheck, IconCircleX, IconFlag, IconPlayerPlay, IconX } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { type ActionPlan, type CheckInRecord, useCoachingMe, usePlan, usePlanAction } from '../session-queries';
import { addDaysIso, formatDay, formatMetric, formatScore, metricLabel, Panel, PlanStatusBadge } from '../sessions/session-ui';
import { checkInsOf, meetsTarget, planProgress, updatesOf } from './plan-math';

type Dialog = 'extend' | 'close' | 'cancel' | null;

export function PlanPage() {
  const { id } = useParams();
  const plan = usePlan(id);
  const me = useCoachingMe();
  const action = usePlanAction();
  const [dialog, setDialog] = useState<Dialog>(null);
  const p = plan.data;

  if (plan.isError) {
    return (
      <Stack gap="lg">
        <BackLink />
        <ErrorState error={plan.error} title="Could not open this plan" onRetry={() => plan.refetch()} />
      </Stack>
    );
  }
  if (!p) {
    return (
      <Stack gap="lg">
        <BackLink />
        <Skeleton h={60} radius="md" />
        <Skeleton h={420} radius="md" />
      </Stack>
    );
  }

  const running = p.status === 'ACTIVE' || p.status === 'EXTENDED';
  const checkIns = checkInsOf(p);
  const last = checkIns.at(-1) ?? null;
  const progress = planProgress(p);
  const canApprove = me.data?.seesEverything || me.data?.role === 'MANAGER' || me.data?.role === 'ADMIN';
  const run = (name: 'approve' | 'check-ins' | 'extend' | 'close' | 'cancel', body?: unknown) =>
    id && action.mutate({ id, action: name, body }, { onSuccess: () => setDialog(null) });

  return (
    <Stack gap="lg" data-testid="co-plan-page" data-status={p.status}>
      <BackLink />
      <PageHeader
        title={`Improvement plan · ${p.agentName ?? 'Agent'}`}
        documentTitle={`Plan · ${p.agentName ?? 'Agent'}`}
        badge={
          <Group gap={6}>
            <PlanStatusBadge status={p.status} size="lg" data-testid="co-plan-status" />
            {p.extensionCount > 0 && (
              <Badge color="orange" variant="outline" radius="sm" data-testid="co-plan-extensions">
                extended {p.extensionCount}×
              </Badge>
            )}
          </Group>
        }
        description={p.reasonForPlan}
        actions={
          <>
            {p.status === 'DRAFT' && (
              <Tooltip label={canApprove ? 'Starts the plan on its start date' : 'A manager approves plans'} withArrow>
                <Button
                  leftSection={<IconCheck size={16} />}
                  onClick={() => run('approve')}
                  loading={action.isPending && action.variables?.action === 'approve'}
                  data-testid="co-plan-approve"
                >
                  Approve
                </Button>
              </Tooltip>
            )}
            {running && (
              <>
                <Button
                  leftSection={<IconPlayerPlay size={16} />}
                  onClick={() => run('check-ins')}
                  loading={action.isPending && action.variables?.action === 'check-ins'}
                  data-testid="co-plan-check-in"
                >
                  Check in now
                </Button>
                <Button variant="default" leftSection={<IconCalendarPlus size={16} />} onClick={() => setDialog('extend')} data-testid="co-plan-extend">
                  Extend
                </Button>
                <Button variant="default" leftSection={<IconFlag size={16} />} onClick={() => setDialog('close')} data-testid="co-plan-close">
                  Close
                </Button>
              </>
            )}
            {(p.status === 'DRAFT' || running) && (
              <Button variant="subtle" color="gray" leftSection={<IconX size={16} />} onClick={() => setDialog('cancel')} data-testid="co-plan-cancel">
                Cancel plan
              </Button>
            )}
          </>
        }
      />
      {p.status === 'DRAFT' && (
        <Alert color="yellow" variant="light" title="Proposed draft — not running yet" data-testid="co-plan-draft">
          {p.createdByName ? `Created by ${p.createdByName}. ` : ''}Review the targets and criteria below; once approved it starts on {formatDay(p.startDate)}{' '}
          with {p.checkInFrequency.toLowerCase().replace('_', ' ')} check-ins.
        </Alert>
      )}
      {action.isError && !dialog && (
        <Alert color="red" variant="light" title="That did not work" data-testid="co-plan-error">
          {errorMessage(action.error)}
        </Alert>
      )}
      {p.outcome && (
        <Alert
          color={p.outcome === 'SUCCESS' ? 'teal' : p.outcome === 'FAILURE' ? 'red' : 'gray'}
          variant="light"
          title={`Outcome: ${p.outcome.toLowerCase()}`}
        >
          {p.outcomeNotes ?? ''}
          {p.lessonsLearned ? ` Lessons: ${p.lessonsLearned}` : ''}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm">
        <Tile label="Period" value={`${formatDay(p.startDate)} – ${formatDay(p.actualEndDate ?? p.targetEndDate)}`} small />
        <Tile
          label="Next check-in"
          value={running ? formatDay(p.nextCheckInDate) : '—'}
          note={running ? p.checkInFrequency.toLowerCase().replace('_', ' ') : undefined}
          testId="co-plan-next"
        />
        <Tile
          label="Targets met"
          value={`${progress.met} / ${progress.total}`}
          note={last ? `at the check-in of ${formatDay(last.date)}` : 'no check-in yet'}
          testId="co-plan-targets-met"
        />
        <Tile
          label="Progress score"
          value={p.currentScore === null || p.currentScore === undefined ? '—' : `${formatScore(p.currentScore, 0)} %`}
          note="share of the gaps closed"
        />
        <Tile label="Check-ins" value={String(checkIns.length)} note={`${p.extensionCount} extension${p.extensionCount === 1 ? '' : 's'}`} />
      </SimpleGrid>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <TargetsPanel plan={p} last={last} />
            <CriteriaPanel plan={p} checkIns={checkIns} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            {checkIns.length > 1 && (
              <Panel title="Score over check-ins" description="Mean share of each target's gap closed">
                <LineChart
                  h={180}
                  data={checkIns.map((c) => ({ date: formatDay(c.date), score: c.score }))}
                  dataKey="date"
                  series={[{ name: 'score', color: 'indigo.6', label: 'Progress %' }]}
                  curveType="linear"
                  yAxisProps={{ domain: [0, 100], width: 44, tickFormatter: (value: number) => `${value}%` }}
                  valueFormatter={(value) => `${Math.round(value)} %`}
                  referenceLines={[{ y: 100, label: 'all targets met', color: 'teal.6' }]}
                />
              </Panel>
            )}
            <TimelinePanel plan={p} />
          </Stack>
        </Grid.Col>
      </Grid>

      {dialog === 'extend' && (
        <ExtendDialog
          plan={p}
          pending={action.isPending}
          error={action.isError ? errorMessage(action.error) : null}
          onClose={() => setDialog(null)}
          onSubmit={(body) => run('extend', body)}
        />
      )}
      {dialog === 'close' && (
        <CloseDialog
          pending={action.isPending}
          error={action.isError ? errorMessage(action.error) : null}
          onClose={() => setDialog(null)}
          onSubmit={(body) => run('close', body)}
        />
      )}
      {dialog === 'cancel' && (
        <ReasonDialog
          title="Cancel this plan"
          label="Why?"
          pending={action.isPending}
          error={action.isError ? errorMessage(action.error) : null}
          onClose={() => setDialog(null)}
          onSubmit={(reason) => run('cancel', reason ? { reason } : {})}
        />
      )}
    </Stack>
  );
}

/** A criterion's value in its metric's unit ("aht <= 400" → seconds). */
function criterionValue(criterion: string, value: number): string {
  const metric = /^\s*([a-z_]+)/i.exec(criterion)?.[1] ?? '';
  if (/^no[_\s-]?absences?$/i.test(criterion.trim())) return `${value} day${value === 1 ? '' : 's'} absent`;
  return formatMetric(metric, value);
}

function BackLink() {
  return (
    <Anchor component={Link} to="/coaching/plans" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} /> All plans
      </Group>
    </Anchor>
  );
}

function Tile({ label, value, note, small, testId }: { label: string; value: ReactNode; note?: ReactNode; small?: boolean; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text fz={small ? 'sm' : 22} fw={700} className="co-s-num" mt={small ? 6 : 0}>
        {value}
      </Text>
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </Paper>
  );
}

function TargetsPanel({ plan, last }: { plan: ActionPlan; last: CheckInRecord | null }) {
  const keys = Object.keys(plan.targetMetrics ?? {});
  return (
    <Panel
      title="Targets vs current"
      description={
        last
          ? `Averages over ${formatDay(last.window.from)} – ${formatDay(last.window.to)} (${last.window.days} days)`
          : 'Current values appear after the first check-in.'
      }
      padding={0}
      testId="co-plan-targets"
    >
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Metric</Table.Th>
            <Table.Th ta="right">Start</Table.Th>
            <Table.Th ta="right">Current</Table.Th>
            <Table.Th ta="right">Target</Table.Th>
            <Table.Th w={170}>Gap closed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => {
            const t = plan.targetMetrics[key];
            const m = last?.metrics?.[key];
            const current = m?.value ?? t.current ?? null;
            const start = m?.start ?? t.start ?? null;
            const met = m ? m.met : meetsTarget(key, current, t.target, start);
            const share = m?.progress ?? null;
            return (
              <Table.Tr key={key} data-testid="co-plan-target-row">
                <Table.Td>
                  <Anchor component={Link} to={`/coaching/agents/${plan.agentId}?metric=${key}`} size="sm">
                    {metricLabel(key)}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right" className="co-s-num">
                  {formatMetric(key, start)}
                </Table.Td>
                <Table.Td ta="right" className="co-s-num" fw={700} c={current === null ? 'dimmed' : met ? 'teal.7' : 'red.7'}>
                  {formatMetric(key, current)}
                </Table.Td>
                <Table.Td ta="right" className="co-s-num">
                  {formatMetric(key, t.target)}
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Progress value={met ? 100 : (share ?? 0) * 100} color={met ? 'teal' : 'orange'} size="sm" style={{ flex: 1 }} />
                    {met ? (
                      <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" />
                    ) : (
                      <Text size="xs" c="dimmed" className="co-s-num">
                        {share === null ? '—' : `${Math.round(share * 100)} %`}
                      </Text>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Panel>
  );
}

function CriteriaPanel({ plan, checkIns }: { plan: ActionPlan; checkIns: CheckInRecord[] }) {
  const mandatory = plan.successCriteria?.mandatory ?? [];
  const recommended = plan.successCriteria?.recommended ?? [];
  const shown = checkIns.slice(-6);
  return (
    <Panel
      title="Mandatory criteria at each check-in"
      description="Every one must be met at the last check-in for the plan to close as a success."
      padding={0}
      testId="co-plan-criteria"
    >
      {mandatory.length === 0 ? (
        <Text size="sm" c="dimmed" p="md">
          No mandatory criteria.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={400}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Criterion</Table.Th>
                {shown.map((c) => (
                  <Table.Th key={c.at} ta="center">
                    {formatDay(c.date)}
                  </Table.Th>
                ))}
                {shown.length === 0 && <Table.Th>Not checked yet</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {mandatory.map((criterion) => (
                <Table.Tr key={criterion}>
                  <Table.Td miw={150}>
                    <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {criterion}
                    </Text>
                  </Table.Td>
                  {shown.map((c) => {
                    const result = c.criteria.find((r) => r.criterion.trim() === criterion.trim());
                    return (
                      <Table.Td key={c.at} ta="center" data-testid="co-plan-criterion-cell" data-met={result ? String(result.met) : 'unknown'}>
                        {result ? (
                          <Tooltip
                            label={
                              result.value === null ? 'No metrics in the check-in window' : `Mean over the check-in window: ${formatScore(result.value, 2)}`
                            }
                          >
                            <Group gap={2} justify="center" wrap="nowrap">
                              {result.met ? (
                                <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" />
                              ) : (
                                <IconCircleX size={16} color="var(--mantine-color-red-6)" />
                              )}
                              <Text size="xs" c={result.met ? 'teal.8' : 'red.8'} className="co-s-num">
                                {result.value === null ? 'no data' : criterionValue(criterion, result.value)}
                              </Text>
                            </Group>
                          </Tooltip>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    );
                  })}
                  {shown.length === 0 && <Table.Td>—</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {recommended.length > 0 && (
        <Stack gap={4} p="md" pt="xs">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            Recommended (not checked automatically)
          </Text>
          <List size="sm">
            {recommended.map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
        </Stack>
      )}
    </Panel>
  );
}

function TimelinePanel({ plan }: { plan: ActionPlan }) {
  const updates = updatesOf(plan);
  return (
    <Panel title="Timeline" testId="co-plan-timeline">
      <Timeline active={updates.length} bulletSize={22} lineWidth={2}>
        <Timeline.Item bullet={<IconFlag size={12} />} title={`Plan ${plan.status === 'DRAFT' ? 'proposed' : 'started'}`}>
          <Text size="xs" c="dimmed">
            {formatDay(plan.startDate)}
            {plan.approvedByName ? ` · approved by ${plan.approvedByName}` : ''}
          </Text>
        </Timeline.Item>
        {updates.map((update) =>
          update.type === 'CHECK_IN' ? (
            <Timeline.Item
              key={update.at}
              color={update.mandatoryMet ? 'teal' : 'red'}
              bullet={update.mandatoryMet ? <IconCheck size={12} /> : <IconX size={12} />}
              title={`Check-in ${formatDay(update.date)}`}
              data-testid="co-plan-timeline-check-in"
            >
              <Text size="xs" c="dimmed">
                {update.criteria.filter((c) => c.met).length}/{update.criteria.length} mandatory met · score{' '}
                {update.score === null ? '—' : `${Math.round(update.score)} %`} · {update.window.days} days of data
              </Text>
              {update.criteria
                .filter((c) => !c.met)
                .map((c) => (
                  <Text key={c.criterion} size="xs" c="red.8">
                    unmet: {c.criterion} ({c.value === null ? 'no data' : criterionValue(c.criterion, c.value)})
                  </Text>
                ))}
            </Timeline.Item>
          ) : (
            <Timeline.Item key={update.at} color="orange" bullet={<IconCalendarPlus size={12} />} title={`Extended ${formatDay(update.date)}`}>
              <Text size="xs" c="dimmed">
                {formatDay(update.from)} → {formatDay(update.to)}
                {update.reason ? ` · ${update.reason}` : ''}
              </Text>
            </Timeline.Item>
          ),
        )}
        {(plan.status === 'ACTIVE' || plan.status === 'EXTENDED') && (
          <Timeline.Item bullet={<ThemeIcon size={22} radius="xl" variant="light" />} title="Next check-in" lineVariant="dashed">
            <Text size="xs" c="dimmed">
              {plan.nextCheckInDate ? formatDay(plan.nextCheckInDate) : 'End date reached: close or extend the plan'}
            </Text>
          </Timeline.Item>
        )}
        <Timeline.Item bullet={<IconFlag size={12} />} title={plan.actualEndDate ? 'Ended' : 'Target end'}>
          <Text size="xs" c="dimmed">
            {formatDay(plan.actualEndDate ?? plan.targetEndDate)}
          </Text>
        </Timeline.Item>
      </Timeline>
    </Panel>
  );
}

function ExtendDialog({
  plan,
  pending,
  error,
  onClose,
  onSubmit,
}: {
  plan: ActionPlan;
  pending: boolean;
  error: string | null;
  onClose: () => void;
  onSubmit: (body: unknown) => void;
}) {
  const [date, setDate] = useState<string | null>(addDaysIso(plan.targetEndDate, 14));
  const [reason, setReason] = useState('');
  return (
    <Modal opened onClose={onClose} title="Extend the plan">
      <Stack gap="sm">
        <DatePickerInput
          label="New target end date"
          value={date}
          onChange={setDate}
          minDate={addDaysIso(plan.targetEndDate, 1)}
          data-testid="co-plan-extend-date"
        />
        <Textarea label="Reason" autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        {error && (
          <Text size="sm" c="red">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button
            disabled={!date}
            loading={pending}
            onClick={() => onSubmit({ newTargetEndDate: date, ...(reason.trim() ? { reason: reason.trim() } : {}) })}
            data-testid="co-plan-extend-submit"
          >
            Extend
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CloseDialog({
  pending,
  error,
  onClose,
  onSubmit,
}: {
  pending: boolean;
  error: string | null;
  onClose: () => void;
  onSubmit: (body: unknown) => void;
}) {
  const [outcome, setOutcome] = useState('SUCCESS');
  const [notes, setNotes] = useState('');
  const [lessons, setLessons] = useState('');
  return (
    <Modal opened onClose={onClose} title="Close the plan">
      <Stack gap="sm">
        <SegmentedControl
          value={outcome}
          onChange={setOutcome}
          data={[
            { value: 'SUCCESS', label: 'Success' },
            { value: 'FAILURE', label: 'Failure' },
            { value: 'RESIGNED', label: 'Resigned' },
          ]}
        />
        <Text size="xs" c="dimmed">
          Success needs every mandatory criterion met at the last check-in; success and failure are decided from the target end date.
        </Text>
        <Textarea label="Outcome notes" autosize minRows={2} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
        <Textarea label="Lessons learned" autosize minRows={2} value={lessons} onChange={(e) => setLessons(e.currentTarget.value)} />
        {error && (
          <Alert color="red" variant="light">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button
            loading={pending}
            onClick={() =>
              onSubmit({ outcome, ...(notes.trim() ? { outcomeNotes: notes.trim() } : {}), ...(lessons.trim() ? { lessonsLearned: lessons.trim() } : {}) })
            }
            data-testid="co-plan-close-submit"
          >
            Close plan
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ReasonDialog({
  title,
  label,
  pending,
  error,
  onClose,
  onSubmit,
}: {
  title: string;
  label: string;
  pending: boolean;
  error: string | null;
  onClose: () => void;
  onSubmit: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <Modal opened onClose={onClose} title={title}>
      <Stack gap="sm">
        <Textarea label={label} autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        {error && (
          <Text size="sm" c="red">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button color="red" loading={pending} onClick={() => onSubmit(reason.trim())} data-testid="co-plan-cancel-submit">
            Cancel plan
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
