import { Badge, Button, Checkbox, Group, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconArrowsDiff, IconPlus, IconWand } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import type { Scenario } from '../api-types';
import { rowsOf, useScenarios, useValidations } from '../queries';
import { canEdit, deltaColor, formatMoney, formatPct, formatPeriod, formatSignedMoney, scenarioTypeLabel } from '../shared/format';
import { EmptyPanel, Panel, ValidationBadge } from '../shared/ui';

export function ScenariosPage() {
  const me = useSession();
  const navigate = useNavigate();
  const scenarios = useScenarios();
  const rows = rowsOf<Scenario>(scenarios.data);
  const validations = useValidations(rows.map((scenario) => scenario.id));
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) => setSelected((current) => (current.includes(id) ? current.filter((value) => value !== id) : [...current, id].slice(-4)));

  return (
    <Stack gap="lg" data-testid="pr-scenarios-page">
      <PageHeader
        title="Scenarios"
        description="Promotion plans with their forecast KPIs and go/no-go status. Open one to edit its mechanics and watch the KPIs move; tick two to four to compare them side by side."
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconArrowsDiff size={16} />}
              disabled={selected.length < 2}
              onClick={() => navigate(`/promotions/comparison?ids=${selected.join(',')}`)}
              data-testid="pr-compare-selected"
            >
              Compare {selected.length >= 2 ? selected.length : ''}
            </Button>
            {canEdit(me.role) && (
              <Button component={Link} to="/promotions/scenarios/new" leftSection={<IconPlus size={16} />} data-testid="pr-new-scenario">
                New scenario
              </Button>
            )}
          </>
        }
      />
      {scenarios.isError && <ErrorState error={scenarios.error} title="Could not load the scenarios" onRetry={() => scenarios.refetch()} />}
      {scenarios.isPending && <Skeleton h={300} radius="md" />}
      {scenarios.isSuccess && rows.length === 0 && (
        <EmptyPanel
          icon={IconWand}
          title="No scenarios yet"
          testId="pr-scenarios-empty"
          action={
            <Group gap="sm">
              <Button component={Link} to="/promotions/opportunities" variant="default">
                Plan from an opportunity
              </Button>
              {canEdit(me.role) && (
                <Button component={Link} to="/promotions/scenarios/new" leftSection={<IconPlus size={16} />}>
                  New scenario
                </Button>
              )}
            </Group>
          }
        >
          Start from an opportunity (a month and department that falls short of its target) or build a scenario from scratch.
        </EmptyPanel>
      )}
      {rows.length > 0 && (
        <Panel padding={0}>
          <Table.ScrollContainer minWidth={900} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="pr-scenarios-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40} />
                  <Table.Th>Scenario</Table.Th>
                  <Table.Th>Period</Table.Th>
                  <Table.Th ta="right">Sales</Table.Th>
                  <Table.Th ta="right">vs baseline</Table.Th>
                  <Table.Th ta="right">Margin</Table.Th>
                  <Table.Th ta="right">EBIT Δ</Table.Th>
                  <Table.Th>Validation</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((scenario, index) => {
                  const kpis = scenario.currentKpis;
                  const validation = validations[index]?.data ?? null;
                  return (
                    <Table.Tr
                      key={scenario.id}
                      className="pr-clickable-row"
                      onClick={() => navigate(`/promotions/scenarios/${scenario.id}`)}
                      data-testid={`pr-scenario-row-${scenario.id}`}
                    >
                      <Table.Td onClick={(event) => event.stopPropagation()}>
                        <Tooltip label="Select to compare" withArrow openDelay={400}>
                          <Checkbox aria-label={`Select ${scenario.label}`} checked={selected.includes(scenario.id)} onChange={() => toggle(scenario.id)} />
                        </Tooltip>
                      </Table.Td>
                      <Table.Td>
                        <Text fw={600} size="sm">
                          {scenario.label}
                        </Text>
                        <Group gap={6} mt={2}>
                          <Badge size="xs" variant="light" color="pink" radius="sm" tt="none">
                            {scenarioTypeLabel(scenario.scenarioType)}
                          </Badge>
                          <Text size="xs" c="dimmed">
                            {scenario.mechanics.length} mechanic{scenario.mechanics.length === 1 ? '' : 's'}
                            {scenario.mechanics.length > 0
                              ? ` · ${[...new Set(scenario.mechanics.map((mechanic) => mechanic.department))].slice(0, 3).join(', ')}`
                              : ''}
                          </Text>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatPeriod(scenario.dateRangeStart, scenario.dateRangeEnd)}</Text>
                      </Table.Td>
                      {kpis ? (
                        <>
                          <Table.Td ta="right" className="pr-num">
                            {formatMoney(kpis.totalSalesValue)}
                          </Table.Td>
                          <Table.Td ta="right" className="pr-num" c={deltaColor(kpis.salesValueDelta)}>
                            {formatSignedMoney(kpis.salesValueDelta)}
                          </Table.Td>
                          <Table.Td ta="right" className="pr-num">
                            {formatPct(kpis.totalMarginPct)}
                          </Table.Td>
                          <Table.Td ta="right" className="pr-num" c={deltaColor(kpis.ebitDelta)}>
                            {formatSignedMoney(kpis.ebitDelta)}
                          </Table.Td>
                        </>
                      ) : (
                        <Table.Td colSpan={4} ta="center">
                          <Text size="xs" c="dimmed">
                            KPIs not computed yet — open the scenario to see them live, save to keep them
                          </Text>
                        </Table.Td>
                      )}
                      <Table.Td>
                        <Group gap={6}>
                          <ValidationBadge status={validation?.status} />
                          {validation?.overallScore !== null && validation?.overallScore !== undefined && (
                            <Text size="xs" c="dimmed">
                              {validation.overallScore}/100
                            </Text>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Panel>
      )}
    </Stack>
  );
}
