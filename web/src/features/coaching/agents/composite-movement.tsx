import { BarChart } from '@mantine/charts';
import { Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { CompositeMovement } from '../api-types';
import { deltaColor, formatDay, formatScore, formatSigned, metricMeta } from '../shared/format';
import { Panel } from '../shared/ui';

/**
 * "What moved the composite": each component's weight × its change between two periods; the contributions add up
 * to the composite's change.
 */
export function CompositeMovementPanel({ movements }: { movements: { week: CompositeMovement | null; month: CompositeMovement | null } | null | undefined }) {
  const [span, setSpan] = useState<'week' | 'month'>('week');
  const movement = movements?.[span] ?? null;
  const rows = (movement?.contributions ?? []).map((component) => ({
    key: component.component,
    label: component.label || metricMeta(component.component).label,
    contribution: Math.round(component.contribution * 100) / 100,
    raw: component,
  }));
  const period = (range: { from: string; to: string }) => `${formatDay(range.from, 'short')} – ${formatDay(range.to, 'short')}`;
  return (
    <Panel
      title="What moved the composite"
      description="Each component's contribution = its weight × its change. Green pushed the composite up, red pulled it down; together they make the composite's change."
      testId="co-sc-movement"
      actions={
        <SegmentedControl
          size="xs"
          value={span}
          onChange={(value) => setSpan(value as 'week' | 'month')}
          data={[
            { value: 'week', label: 'This week vs last' },
            { value: 'month', label: 'This month vs last' },
          ]}
          data-testid="co-sc-movement-span"
        />
      }
    >
      {!movement || rows.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="lg">
          Not enough metrics in this {span} and the one before yet.
        </Text>
      ) : (
        <Stack gap="sm">
          <Group gap="lg">
            <Text size="sm">
              Composite {formatScore(movement.previous.composite)} → <b>{formatScore(movement.current.composite)}</b>{' '}
              <Text span fw={700} c={deltaColor(movement.compositeChange)} data-testid="co-sc-movement-change">
                ({formatSigned(movement.compositeChange, 2)})
              </Text>
            </Text>
            <Text size="xs" c="dimmed">
              {period(movement.current)} vs {period(movement.previous)}
            </Text>
          </Group>
          <BarChart
            h={200}
            data={rows}
            dataKey="label"
            series={[{ name: 'contribution', label: 'Contribution (points)', color: 'indigo.6' }]}
            getBarColor={(value) => (value >= 0 ? 'teal.6' : 'red.6')}
            gridAxis="x"
            tickLine="none"
            valueFormatter={(value) => formatSigned(value, 2)}
            yAxisProps={{ width: 44, fontSize: 11 }}
            xAxisProps={{ fontSize: 11 }}
            withBarValueLabel
            valueLabelProps={{ fontSize: 10 }}
            data-testid="co-sc-movement-chart"
          />
          <Table fz="xs" verticalSpacing={4} data-testid="co-sc-movement-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Component</Table.Th>
                <Table.Th ta="right">Weight</Table.Th>
                <Table.Th ta="right">Before</Table.Th>
                <Table.Th ta="right">After</Table.Th>
                <Table.Th ta="right">Change</Table.Th>
                <Table.Th ta="right">Contribution</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ key, label, raw }) => (
                <Table.Tr key={key}>
                  <Table.Td>{label}</Table.Td>
                  <Table.Td ta="right" className="co-num">
                    {Math.round(raw.weight * 100)} %
                  </Table.Td>
                  <Table.Td ta="right" className="co-num">
                    {formatScore(raw.previous)}
                  </Table.Td>
                  <Table.Td ta="right" className="co-num">
                    {formatScore(raw.current)}
                  </Table.Td>
                  <Table.Td ta="right" className="co-num" c={deltaColor(raw.change)}>
                    {formatSigned(raw.change)}
                  </Table.Td>
                  <Table.Td ta="right" className="co-num" fw={650} c={deltaColor(raw.contribution, true, 0.005)}>
                    {formatSigned(raw.contribution, 2)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Panel>
  );
}
