import { Badge, Group, Loader, SimpleGrid, Table, Text } from '@mantine/core';
import type { BreakdownLine, ScenarioKpis } from '../api-types';
import { channelLabel, formatCount, formatMoney, formatPct, formatSignedMoney, formatSignedPct, relativeChange } from '../shared/format';
import { Panel, StatTile } from '../shared/ui';

/** The KPI tiles of a scenario (or a live preview), each with its delta against the no-promotion baseline. */
export function KpiTiles({ kpis, loading }: { kpis: ScenarioKpis | null | undefined; loading: boolean }) {
  const k = kpis ?? null;
  const baselineMarginPct = k && k.baselineSalesValue > 0 ? (k.baselineMarginValue / k.baselineSalesValue) * 100 : null;
  const marginPtDelta = k && baselineMarginPct !== null ? k.totalMarginPct - baselineMarginPct : null;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" data-testid="pr-kpi-tiles">
      <StatTile
        label="Sales"
        value={formatMoney(k?.totalSalesValue)}
        loading={loading && !k}
        delta={k?.salesValueDelta}
        deltaLabel={k ? `${formatSignedMoney(k.salesValueDelta)} (${formatSignedPct(relativeChange(k.totalSalesValue, k.baselineSalesValue))})` : ''}
        note="vs baseline"
        testId="pr-kpi-sales"
      />
      <StatTile
        label="Margin"
        value={formatMoney(k?.totalMarginValue)}
        loading={loading && !k}
        delta={k?.marginValueDelta}
        deltaLabel={k ? formatSignedMoney(k.marginValueDelta) : ''}
        note="vs baseline"
        testId="pr-kpi-margin"
      />
      <StatTile
        label="Margin %"
        value={formatPct(k?.totalMarginPct)}
        loading={loading && !k}
        delta={marginPtDelta}
        deltaLabel={marginPtDelta !== null ? `${marginPtDelta >= 0 ? '+' : '−'}${Math.abs(marginPtDelta).toFixed(1)} pt` : ''}
        note={baselineMarginPct !== null ? `from ${formatPct(baselineMarginPct)}` : undefined}
        testId="pr-kpi-margin-pct"
      />
      <StatTile
        label="EBIT"
        value={formatMoney(k?.totalEbit)}
        loading={loading && !k}
        delta={k?.ebitDelta}
        deltaLabel={k ? formatSignedMoney(k.ebitDelta) : ''}
        note={k && k.promoCosts > 0 ? `after ${formatMoney(k.promoCosts)} promo costs` : 'vs baseline'}
        hint="Margin minus the promotion's costs (see docs/decisions.md for what counts as a promo cost)."
        testId="pr-kpi-ebit"
      />
      <StatTile
        label="Units"
        value={formatCount(k?.totalUnits)}
        loading={loading && !k}
        delta={k?.unitsDelta}
        deltaLabel={k ? `${k.unitsDelta >= 0 ? '+' : '−'}${formatCount(Math.abs(k.unitsDelta))}` : ''}
        note="vs baseline"
        testId="pr-kpi-units"
      />
    </SimpleGrid>
  );
}

export function ComputationNote({ kpis, fetching }: { kpis: ScenarioKpis | null | undefined; fetching: boolean }) {
  return (
    <Group gap="xs" h={22}>
      {fetching ? <Loader size={12} /> : null}
      {kpis?.ms !== undefined && (
        <Badge variant="default" radius="sm" tt="none" fw={500} data-testid="pr-kpi-ms">
          computed in {kpis.ms < 10 ? kpis.ms.toFixed(1) : Math.round(kpis.ms)} ms
        </Badge>
      )}
      {kpis && (
        <Text size="xs" c="dimmed">
          baseline {kpis.baselineModel} · uplift {kpis.upliftModelVersion}
        </Text>
      )}
    </Group>
  );
}

type Line = BreakdownLine & { key: string };

function BreakdownTable({ lines, label }: { lines: Line[]; label: string }) {
  if (lines.length === 0)
    return (
      <Text size="sm" c="dimmed" p="sm">
        No {label.toLowerCase()} breakdown yet.
      </Text>
    );
  return (
    <Table verticalSpacing={4} fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{label}</Table.Th>
          <Table.Th ta="right">Sales</Table.Th>
          <Table.Th ta="right">vs baseline</Table.Th>
          <Table.Th ta="right">Margin</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((line) => {
          const change = relativeChange(line.sales_value, line.baseline_sales_value ?? null);
          return (
            <Table.Tr key={line.key}>
              <Table.Td fw={600}>{line.key}</Table.Td>
              <Table.Td ta="right" className="pr-num">
                {formatMoney(line.sales_value)}
              </Table.Td>
              <Table.Td ta="right" className="pr-num" c={change === null ? 'dimmed' : change >= 0 ? 'teal.7' : 'red.7'}>
                {formatSignedPct(change)}
              </Table.Td>
              <Table.Td ta="right" className="pr-num">
                {formatPct(line.margin_pct)}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

export function BreakdownPanel({ kpis }: { kpis: ScenarioKpis | null | undefined }) {
  const breakdown = kpis?.kpiBreakdown;
  const byChannel = (breakdown?.by_channel ?? []).map((line) => ({ ...line, key: channelLabel(line.channel) }));
  const byDepartment = (breakdown?.by_department ?? []).map((line) => ({ ...line, key: line.department }));
  const bySegment = (breakdown?.by_segment ?? []).map((line) => ({ ...line, key: line.segment_id }));
  return (
    <Panel title="Breakdown" description="Forecast sales and margin by department, channel and customer segment, against the baseline." testId="pr-breakdown">
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="lg" mih={120}>
        <div>
          <BreakdownTable lines={byDepartment} label="Department" />
        </div>
        <div>
          <BreakdownTable lines={byChannel} label="Channel" />
        </div>
        <div>
          <BreakdownTable lines={bySegment} label="Segment" />
        </div>
      </SimpleGrid>
    </Panel>
  );
}
