import { ActionIcon, Alert, Badge, Box, Button, Group, Modal, Paper, Skeleton, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowRight, IconEdit, IconPlus, IconStairsUp, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import type { EscalationRule } from '../api-types';
import { useDeleteEscalationRule, useEscalationRules, useKpis, useSaveEscalationRule } from '../queries';
import { ACTION_LABELS, canManage, LEVEL_NAMES, LEVELS, TRIGGER_LABELS } from '../shared/status';
import { LevelBadge, Panel } from '../shared/status-ui';
import { RuleForm } from './rule-form';

const TRIGGER_COLORS: Record<string, string> = { status_red: 'red', status_yellow: 'yellow', sla_breach: 'orange', predicted_risk: 'grape' };

export function EscalationRulesPage() {
  const me = useSession();
  const editable = canManage(me.role);
  const rules = useEscalationRules();
  const kpis = useKpis();
  const saveRule = useSaveEscalationRule();
  const [editing, setEditing] = useState<EscalationRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<EscalationRule | null>(null);
  const rows = [...(rules.data?.data ?? [])].sort(
    (a, b) => a.fromLevel - b.fromLevel || a.durationHours - b.durationHours || (a.name ?? '').localeCompare(b.name ?? ''),
  );
  const kpiName = (rule: EscalationRule) => {
    if (!rule.kpiDefinitionId) return 'All KPIs';
    return kpis.data?.data.find((kpi) => kpi.id === rule.kpiDefinitionId)?.name ?? rule.kpiCode ?? 'One KPI';
  };

  const toggleActive = (rule: EscalationRule, isActive: boolean) =>
    saveRule.mutate(
      {
        id: rule.id,
        input: {
          name: rule.name,
          kpiDefinitionId: rule.kpiDefinitionId,
          triggerCondition: rule.triggerCondition,
          durationHours: rule.durationHours,
          fromLevel: rule.fromLevel,
          toLevel: rule.toLevel,
          action: rule.action,
          isActive,
        },
      },
      { onError: (error) => notifications.show({ color: 'red', title: 'Could not change the rule', message: errorMessage(error) }) },
    );

  return (
    <Stack gap="lg">
      <PageHeader
        title="Escalation rules"
        description="When an alert stays unresolved, these rules move it up the chain: store manager → district manager → regional manager → head office → executive. Durations count from when the condition started."
        actions={
          editable && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="sh-rule-new">
              New rule
            </Button>
          )
        }
      />
      {rows.length > 0 && <EscalationLadder rules={rows.filter((rule) => rule.isActive)} />}
      <Panel padding={0} title="Rules" description={editable ? undefined : 'Read-only: managers edit escalation rules.'}>
        {rules.isError && (
          <Box p="md">
            <ErrorState error={rules.error} title="Could not load escalation rules" onRetry={() => rules.refetch()} />
          </Box>
        )}
        <Table.ScrollContainer minWidth={860} type="native">
          <Table data-testid="sh-rules-table" verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th w={70}>Active</Table.Th>
                <Table.Th>Rule</Table.Th>
                <Table.Th w={170}>When</Table.Th>
                <Table.Th w={230}>Escalate</Table.Th>
                <Table.Th>Action</Table.Th>
                {editable && <Table.Th w={80} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.isPending &&
                [0, 1, 2].map((index) => (
                  <Table.Tr key={index}>
                    <Table.Td colSpan={editable ? 6 : 5}>
                      <Skeleton h={18} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              {rules.isSuccess && rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={editable ? 6 : 5}>
                    <Text size="sm" c="dimmed" ta="center" py="lg">
                      No escalation rules: alerts stay with the store manager until someone acts.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {rows.map((rule) => (
                <Table.Tr key={rule.id} data-testid={`sh-rule-${rule.id}`} style={{ opacity: rule.isActive ? 1 : 0.55 }}>
                  <Table.Td>
                    <Switch
                      size="sm"
                      checked={rule.isActive}
                      disabled={!editable || saveRule.isPending}
                      onChange={(event) => toggleActive(rule, event.currentTarget.checked)}
                      aria-label={rule.isActive ? 'Deactivate rule' : 'Activate rule'}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {rule.name || `${TRIGGER_LABELS[rule.triggerCondition]} → ${LEVEL_NAMES[rule.toLevel] ?? rule.toLevel}`}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {kpiName(rule)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2} align="flex-start">
                      <Badge color={TRIGGER_COLORS[rule.triggerCondition] ?? 'gray'} variant="light" radius="sm" tt="none" style={{ overflow: 'visible' }}>
                        {TRIGGER_LABELS[rule.triggerCondition] ?? rule.triggerCondition}
                      </Badge>
                      <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {rule.durationHours === 0 ? 'at once' : `for ${rule.durationHours} h`}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <LevelBadge level={rule.fromLevel} compact />
                      <IconArrowRight size={14} color="var(--mantine-color-gray-5)" />
                      <LevelBadge level={rule.toLevel} compact />
                    </Group>
                    <Text size="xs" c="dimmed" mt={2}>
                      {rule.toLevel === rule.fromLevel
                        ? `stays with ${LEVEL_NAMES[rule.toLevel]?.toLowerCase()}`
                        : `to ${LEVEL_NAMES[rule.toLevel]?.toLowerCase() ?? rule.toLevel}`}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{ACTION_LABELS[rule.action] ?? rule.action}</Text>
                  </Table.Td>
                  {editable && (
                    <Table.Td>
                      <Group gap={2} wrap="nowrap" justify="flex-end">
                        <Tooltip label="Edit" withArrow>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            onClick={() => setEditing(rule)}
                            aria-label="Edit rule"
                            data-testid={`sh-rule-edit-${rule.id}`}
                          >
                            <IconEdit size={16} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="Delete" withArrow>
                          <ActionIcon variant="subtle" color="red" onClick={() => setDeleting(rule)} aria-label="Delete rule">
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Panel>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={<Text fw={700}>{editing === 'new' ? 'New escalation rule' : 'Edit escalation rule'}</Text>}
        size="lg"
      >
        {editing !== null && <RuleForm rule={editing === 'new' ? null : editing} kpis={kpis.data?.data ?? []} onDone={() => setEditing(null)} />}
      </Modal>
      {deleting && <DeleteRuleDialog rule={deleting} onClose={() => setDeleting(null)} />}
    </Stack>
  );
}

/** The chain at a glance: each level, and which active rules move an alert on from it. */
function EscalationLadder({ rules }: { rules: EscalationRule[] }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Group gap={6} mb="sm">
        <IconStairsUp size={16} color="var(--mantine-color-indigo-6)" />
        <Text size="sm" fw={650}>
          The chain
        </Text>
      </Group>
      <Group gap={0} wrap="nowrap" align="stretch" style={{ overflowX: 'auto' }}>
        {LEVELS.map((level) => {
          const leaving = rules.filter((rule) => rule.fromLevel === level && rule.toLevel !== level);
          const staying = rules.filter((rule) => rule.fromLevel === level && rule.toLevel === level);
          return (
            <Group key={level} gap={0} wrap="nowrap" align="stretch" style={{ flex: level === 4 ? '0 0 auto' : 1, minWidth: 0 }}>
              <Stack gap={4} align="center" w={112} style={{ flexShrink: 0 }}>
                <Box
                  w={40}
                  h={40}
                  style={{
                    borderRadius: '50%',
                    display: 'grid',
                    placeItems: 'center',
                    background: `var(--mantine-color-${['gray', 'blue', 'violet', 'orange', 'red'][level]}-light)`,
                    color: `var(--mantine-color-${['gray', 'blue', 'violet', 'orange', 'red'][level]}-7)`,
                    fontWeight: 800,
                  }}
                >
                  L{level}
                </Box>
                <Text size="xs" fw={600} ta="center">
                  {LEVEL_NAMES[level]}
                </Text>
                {staying.map((rule) => (
                  <Text key={rule.id} fz={10} c="dimmed" ta="center">
                    {ACTION_LABELS[rule.action]} on {TRIGGER_LABELS[rule.triggerCondition]}
                  </Text>
                ))}
              </Stack>
              {level < 4 && (
                <Stack gap={2} justify="flex-start" pt={8} px={4} style={{ flex: 1, minWidth: 70 }}>
                  <Box h={2} bg="gray.3" mt={10} mb={4} />
                  {leaving.length === 0 ? (
                    <Text fz={10} c="dimmed" ta="center">
                      no rule
                    </Text>
                  ) : (
                    leaving.map((rule) => (
                      <Text key={rule.id} fz={10} ta="center" lh={1.3}>
                        <b>{rule.durationHours === 0 ? 'at once' : `${rule.durationHours} h`}</b> {TRIGGER_LABELS[rule.triggerCondition]}
                        {rule.toLevel !== level + 1 ? ` → L${rule.toLevel}` : ''}
                      </Text>
                    ))
                  )}
                </Stack>
              )}
            </Group>
          );
        })}
      </Group>
    </Paper>
  );
}

function DeleteRuleDialog({ rule, onClose }: { rule: EscalationRule; onClose: () => void }) {
  const deleteRule = useDeleteEscalationRule();
  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>Delete escalation rule?</Text>}>
      <Stack gap="md">
        <Text size="sm">
          “{rule.name || TRIGGER_LABELS[rule.triggerCondition]}” stops escalating alerts. Escalations it already made stay in the history. To pause it instead,
          switch it off.
        </Text>
        {deleteRule.isError && (
          <Alert color="red" variant="light">
            {errorMessage(deleteRule.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={deleteRule.isPending}
            onClick={() =>
              deleteRule.mutate(rule.id, {
                onSuccess: () => {
                  notifications.show({ color: 'gray', message: 'Escalation rule deleted.' });
                  onClose();
                },
              })
            }
          >
            Delete rule
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
