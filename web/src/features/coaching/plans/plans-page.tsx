import { Alert, Anchor, Badge, Group, Paper, Progress, Select, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconStairsUp } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { type ActionPlan, itemsOf, PLAN_STATUSES, type PlanStatus, usePlans } from '../session-queries';
import { AgentSelect, EmptyPanel, formatDay, formatScore, PLAN_STATUS_META, PlanStatusBadge } from '../sessions/session-ui';
import { planProgress } from './plan-math';

const ORDER: Record<PlanStatus, number> = { DRAFT: 0, ACTIVE: 1, EXTENDED: 2, COMPLETED: 3, FAILED: 4, CANCELLED: 5 };

export function PlansPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const agentId = params.get('agentId');
  const status = params.get('status');
  const plans = usePlans({ agentId, status });
  const rows = itemsOf<ActionPlan>(plans.data).sort((a, b) => ORDER[a.status] - ORDER[b.status] || b.startDate.localeCompare(a.startDate));
  const drafts = rows.filter((plan) => plan.status === 'DRAFT');

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="lg" data-testid="co-plans-page">
      <PageHeader
        title="Improvement plans"
        description="Performance improvement plans: targets per metric, mandatory criteria checked at every check-in, and the outcome. Drafts proposed by the daily trend check wait for approval."
      />
      <Group gap="sm" align="flex-end">
        <AgentSelect label="Agent" placeholder="All my agents" value={agentId} onChange={(value) => setParam('agentId', value)} clearable w={300} />
        <Select
          label="Status"
          placeholder="Any status"
          data={PLAN_STATUSES.map((value) => ({ value, label: PLAN_STATUS_META[value].label }))}
          value={status}
          onChange={(value) => setParam('status', value)}
          clearable
          w={200}
        />
      </Group>
      {drafts.length > 0 && (
        <Alert
          color="yellow"
          variant="light"
          title={`${drafts.length} proposed plan${drafts.length === 1 ? '' : 's'} waiting for a decision`}
          data-testid="co-plans-drafts"
        >
          A sustained drop in an agent's metrics proposed {drafts.length === 1 ? 'a draft' : 'drafts'}: open {drafts.length === 1 ? 'it' : 'them'} to review the
          targets and approve or cancel.
        </Alert>
      )}
      {plans.isError && <ErrorState error={plans.error} title="Could not load the plans" onRetry={() => plans.refetch()} />}
      {plans.isPending && <Skeleton h={300} radius="md" />}
      {plans.isSuccess && rows.length === 0 && (
        <EmptyPanel icon={IconStairsUp} title="No improvement plans" testId="co-plans-empty">
          When an agent's metrics fall below the plan triggers, a draft is proposed here. Nothing needs a plan right now.
        </EmptyPanel>
      )}
      {plans.isSuccess && rows.length > 0 && (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="co-plans-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Agent</Table.Th>
                  <Table.Th w={150}>Status</Table.Th>
                  <Table.Th w={200}>Period</Table.Th>
                  <Table.Th>Reason</Table.Th>
                  <Table.Th w={200}>Targets met</Table.Th>
                  <Table.Th w={120}>Next check-in</Table.Th>
                  <Table.Th w={110}>Outcome</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((plan) => {
                  const progress = planProgress(plan);
                  return (
                    <Table.Tr
                      key={plan.id}
                      className="co-s-row"
                      onClick={() => navigate(`/coaching/plans/${plan.id}`)}
                      bg={plan.status === 'DRAFT' ? 'yellow.0' : undefined}
                      data-testid="co-plan-row"
                      data-status={plan.status}
                    >
                      <Table.Td>
                        <Anchor component={Link} to={`/coaching/plans/${plan.id}`} size="sm" fw={600} onClick={(event) => event.stopPropagation()}>
                          {plan.agentName ?? 'Agent'}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <PlanStatusBadge status={plan.status} />
                          {plan.extensionCount > 0 && (
                            <Badge size="xs" variant="outline" color="orange">
                              extended ×{plan.extensionCount}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {formatDay(plan.startDate)} – {formatDay(plan.actualEndDate ?? plan.targetEndDate)}
                        </Text>
                      </Table.Td>
                      <Table.Td maw={280}>
                        <Text size="sm" lineClamp={2}>
                          {plan.reasonForPlan}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {progress.total > 0 ? (
                          <Group gap={6} wrap="nowrap">
                            <Progress
                              value={(progress.met / progress.total) * 100}
                              color={progress.met === progress.total ? 'teal' : 'blue'}
                              size="sm"
                              style={{ flex: 1 }}
                            />
                            <Text size="xs" className="co-s-num">
                              {progress.met}/{progress.total}
                            </Text>
                          </Group>
                        ) : (
                          <Text size="xs" c="dimmed">
                            —
                          </Text>
                        )}
                        {plan.currentScore !== null && plan.currentScore !== undefined && (
                          <Text size="xs" c="dimmed">
                            {formatScore(plan.currentScore, 0)} % of the gaps closed
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" className="co-s-num">
                          {plan.status === 'ACTIVE' || plan.status === 'EXTENDED' ? formatDay(plan.nextCheckInDate) : '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {plan.outcome ? (
                          <Badge
                            color={plan.outcome === 'SUCCESS' ? 'teal' : plan.outcome === 'FAILURE' ? 'red' : 'gray'}
                            variant="light"
                            radius="sm"
                            style={{ overflow: 'visible' }}
                          >
                            {plan.outcome.toLowerCase()}
                          </Badge>
                        ) : (
                          <Text size="xs" c="dimmed">
                            open
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}
