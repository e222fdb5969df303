import { CompositeChart } from '@mantine/charts';
import { Group, Paper, Stack, Text } from '@mantine/core';
import { ReferenceArea } from 'recharts';
import type { SalesDay } from '../api-types';
import { formatDay, formatMoney, formatMoneyFull, formatPct, formatSignedPct, relativeChange } from '../shared/format';
import { LegendSwatch } from '../shared/ui';

type Row = { date: string; sales: number | null; baseline: number | null; promo: boolean; discountPct: number | null };
type PromoRun = { from: string; to: string; discountPct: number | null; days: number };

/** Consecutive promo days become one shaded band, labelled with its (largest) discount. */
export function promoRuns(days: SalesDay[]): PromoRun[] {
  const runs: PromoRun[] = [];
  let current: PromoRun | null = null;
  let previous: string | null = null;
  for (const day of days) {
    if (day.promo) {
      const contiguous = current !== null && previous !== null && Date.parse(day.date) - Date.parse(previous) <= 86_400_000;
      if (current && contiguous) {
        current.to = day.date;
        current.days += 1;
        if (day.discountPct !== null && (current.discountPct === null || day.discountPct > current.discountPct)) current.discountPct = day.discountPct;
      } else {
        current = { from: day.date, to: day.date, discountPct: day.discountPct, days: 1 };
        runs.push(current);
      }
    } else {
      current = null;
    }
    previous = day.date;
  }
  return runs;
}

function TooltipContent({ active, payload }: { active?: boolean; payload?: readonly { payload?: Row }[] }) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  const vsBaseline = relativeChange(row.sales, row.baseline);
  return (
    <Paper shadow="md" p="xs" radius="sm" withBorder>
      <Stack gap={2}>
        <Text size="xs" fw={700}>
          {formatDay(row.date, 'weekday')}
        </Text>
        <Text size="xs">
          Sales <b>{formatMoneyFull(row.sales)}</b>
        </Text>
        <Text size="xs" c="dimmed">
          Baseline {formatMoneyFull(row.baseline)}
          {vsBaseline !== null ? ` · ${formatSignedPct(vsBaseline)}` : ''}
        </Text>
        {row.promo && (
          <Text size="xs" c="pink.7" fw={600}>
            Promotion{row.discountPct !== null ? ` · ${formatPct(row.discountPct, 0)} off` : ''}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

export function SalesChart({ days, height = 320 }: { days: SalesDay[]; height?: number }) {
  const rows: Row[] = days.map((day) => ({
    date: day.date,
    sales: day.salesValue,
    baseline: day.baselineSalesValue ?? null,
    promo: day.promo,
    discountPct: day.discountPct,
  }));
  const runs = promoRuns(days);
  // Labels only fit when the bands are few and wide enough.
  const labelRuns = runs.length <= 24;
  return (
    <Stack gap={6}>
      <CompositeChart
        h={height}
        data={rows}
        dataKey="date"
        withLegend={false}
        curveType="monotone"
        gridAxis="y"
        tickLine="none"
        strokeWidth={1.6}
        valueFormatter={(value) => formatMoney(value)}
        xAxisProps={{ tickFormatter: (value: string) => formatDay(value, 'short'), minTickGap: 32, fontSize: 11 }}
        yAxisProps={{ width: 52, fontSize: 11 }}
        tooltipProps={{ content: ({ active, payload }) => <TooltipContent active={active} payload={payload as readonly { payload?: Row }[]} /> }}
        series={[
          { name: 'sales', type: 'area', color: 'indigo.6', label: 'Sales' },
          { name: 'baseline', type: 'line', color: 'gray.7', label: 'Baseline', strokeDasharray: '5 4' },
        ]}
        areaProps={{ fillOpacity: 0.18, dot: false, activeDot: { r: 3 } }}
        lineProps={{ dot: false, activeDot: false, strokeWidth: 1.6, connectNulls: true }}
        data-testid="pr-sales-chart"
      >
        {runs.map((run) => (
          <ReferenceArea
            key={run.from}
            x1={run.from}
            x2={run.to}
            ifOverflow="extendDomain"
            fill="var(--mantine-color-pink-4)"
            fillOpacity={0.16}
            strokeOpacity={0}
            label={
              labelRuns && run.discountPct !== null
                ? { value: `−${Math.round(run.discountPct)}%`, position: 'insideTop', fontSize: 10, fill: 'var(--mantine-color-pink-8)', fontWeight: 700 }
                : undefined
            }
          />
        ))}
      </CompositeChart>
      <Group gap="lg">
        <LegendSwatch color="var(--mantine-color-indigo-6)" label="Sales" />
        <LegendSwatch color="var(--mantine-color-gray-7)" label="Baseline (no-promo forecast)" dashed />
        <LegendSwatch color="var(--mantine-color-pink-2)" label={`Promo days (${runs.length} promotion${runs.length === 1 ? '' : 's'}, discount on top)`} />
      </Group>
    </Stack>
  );
}
