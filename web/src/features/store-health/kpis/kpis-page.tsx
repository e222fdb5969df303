import { ActionIcon, Badge, Box, Button, Drawer, Group, Modal, SegmentedControl, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAdjustmentsHorizontal, IconEdit, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import type { KpiDefinition } from '../api-types';
import { useKpis } from '../queries';
import { canManage, humanize } from '../shared/status';
import { Panel } from '../shared/status-ui';
import { KpiForm } from './kpi-form';
import { describeThreshold, KpiThresholdsEditor } from './kpi-thresholds';

export function KpisPage() {
  const me = useSession();
  const editable = canManage(me.role);
  const kpis = useKpis();
  const [category, setCategory] = useState('all');
  const [editing, setEditing] = useState<KpiDefinition | 'new' | null>(null);
  const [thresholdsOf, setThresholdsOf] = useState<KpiDefinition | null>(null);
  const all = kpis.data?.data ?? [];
  const categories = [...new Set(all.map((kpi) => kpi.category))].sort();
  const rows = all
    .filter((kpi) => category === 'all' || kpi.category === category)
    .sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name));

  return (
    <Stack gap="lg">
      <PageHeader
        title="KPIs & thresholds"
        description="What every store is measured on, and where green ends and red begins. Relative thresholds compare a day with its baseline in % (95 = 95 % of the same weekday over the last 4 weeks); absolute ones compare the value itself. A store override replaces the organization default for that store."
        actions={
          editable && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              New KPI
            </Button>
          )
        }
      />
      <Panel
        padding={0}
        title={`${all.length} KPIs`}
        actions={
          categories.length > 1 && (
            <SegmentedControl
              size="xs"
              value={category}
              onChange={setCategory}
              data={[{ value: 'all', label: 'All' }, ...categories.map((value) => ({ value, label: humanize(value) }))]}
            />
          )
        }
      >
        {kpis.isError && (
          <Box p="md">
            <ErrorState error={kpis.error} title="Could not load KPIs" onRetry={() => kpis.refetch()} />
          </Box>
        )}
        <Table.ScrollContainer minWidth={880} type="native">
          <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="sh-kpis-table">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>KPI</Table.Th>
                <Table.Th>Category</Table.Th>
                <Table.Th>Unit</Table.Th>
                <Table.Th>Direction</Table.Th>
                <Table.Th>Organization threshold</Table.Th>
                <Table.Th w={70} ta="center">
                  Priority
                </Table.Th>
                <Table.Th w={90} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {kpis.isPending &&
                [0, 1, 2, 3].map((index) => (
                  <Table.Tr key={index}>
                    <Table.Td colSpan={7}>
                      <Skeleton h={18} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              {kpis.isSuccess && rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text size="sm" c="dimmed" ta="center" py="lg">
                      No KPIs yet. Import metrics or add a KPI.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {rows.map((kpi) => (
                <Table.Tr
                  key={kpi.id}
                  style={{ opacity: kpi.isActive ? 1 : 0.55, cursor: 'pointer' }}
                  onClick={() => setThresholdsOf(kpi)}
                  data-testid={`sh-kpi-${kpi.kpiCode}`}
                >
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={600}>
                        {kpi.name}
                      </Text>
                      {!kpi.isActive && (
                        <Badge size="xs" variant="default" radius="sm" tt="none">
                          inactive
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {kpi.kpiCode}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{humanize(kpi.category)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{kpi.unit}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {kpi.direction === 'lower_is_better' ? '↓ lower is better' : '↑ higher is better'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {kpi.threshold ? (
                      <Text size="sm">{describeThreshold(kpi.threshold, kpi.direction, kpi.unit)}</Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        Not rated
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="center">
                    {kpi.threshold ? (
                      <Badge variant={kpi.threshold.priority <= 2 ? 'light' : 'default'} color={kpi.threshold.priority <= 2 ? 'indigo' : 'gray'} radius="sm">
                        P{kpi.threshold.priority}
                      </Badge>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={2} justify="flex-end" wrap="nowrap">
                      <Tooltip label="Thresholds" withArrow>
                        <ActionIcon variant="subtle" color="gray" aria-label="Thresholds" onClick={() => setThresholdsOf(kpi)}>
                          <IconAdjustmentsHorizontal size={16} />
                        </ActionIcon>
                      </Tooltip>
                      {editable && (
                        <Tooltip label="Edit KPI" withArrow>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label="Edit KPI"
                            onClick={(event) => {
                              event.stopPropagation();
                              setEditing(kpi);
                            }}
                          >
                            <IconEdit size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Panel>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={<Text fw={700}>{editing === 'new' ? 'New KPI' : 'Edit KPI'}</Text>} size="lg">
        {editing !== null && <KpiForm kpi={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      </Modal>
      <Drawer
        opened={thresholdsOf !== null}
        onClose={() => setThresholdsOf(null)}
        position="right"
        size={560}
        title={
          <Stack gap={0}>
            <Text fw={700}>{thresholdsOf?.name}</Text>
            <Text size="xs" c="dimmed">
              Thresholds · {thresholdsOf?.direction === 'lower_is_better' ? 'lower is better' : 'higher is better'} · {thresholdsOf?.unit}
            </Text>
          </Stack>
        }
      >
        {thresholdsOf && <KpiThresholdsEditor kpi={all.find((kpi) => kpi.id === thresholdsOf.id) ?? thresholdsOf} editable={editable} />}
      </Drawer>
    </Stack>
  );
}
