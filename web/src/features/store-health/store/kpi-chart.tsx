import { CompositeChart } from '@mantine/charts';
import { Badge, Box, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import type { KpiDirection, KpiSeriesPoint, KpiStatus, KpiThreshold, StoreKpiHealth } from '../api-types';
import { formatIsoDate, formatKpiValue, formatVariance, isMoneyUnit, statusMeta } from '../shared/status';
import { StatusBadge } from '../shared/status-ui';

type ChartRow = {
  date: string;
  label: string;
  value: number | null;
  baseline: number | null;
  variancePct: number | null;
  status: KpiStatus | null;
  bandBase: number | null;
  bandLow: number | null;
  bandMid: number | null;
  bandHigh: number | null;
};

const BAND_SERIES = new Set(['bandBase', 'bandLow', 'bandMid', 'bandHigh']);

/**
 * Where a threshold sits in value units on one day. Relative bases (rolling 4 weeks, same period last year) compare
 * the value as a percentage of its baseline (95 = 95 % of the baseline); `absolute` thresholds are plain values.
 */
function thresholdLevel(point: KpiSeriesPoint, threshold: number | null, basis: KpiThreshold['comparisonBasis']): number | null {
  if (threshold === null) return null;
  if (basis === 'absolute') return threshold;
  if (point.comparisonValue === null || !(point.comparisonValue > 0)) return null;
  return (point.comparisonValue * threshold) / 100;
}

/** The green edge, and the yellow/red edge: yellowMin, else redThreshold, else greenMin (a two-colour KPI). */
export function thresholdEdges(threshold: Pick<KpiThreshold, 'greenMin' | 'yellowMin' | 'redThreshold'>) {
  return { green: threshold.greenMin, red: threshold.yellowMin ?? threshold.redThreshold ?? threshold.greenMin };
}

/** A round step (1, 2, 2.5 or 5 × 10^n) so axis ticks read as 0 / 5k / 10k rather than 483.7. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  const nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 2.5 ? 2.5 : normalized <= 5 ? 5 : 10;
  return nice * magnitude;
}

/** Closed days and days without a baseline keep the neighbouring band, so the bands do not flicker. */
function fillGaps<T>(values: (T | null)[]): (T | null)[] {
  const filled = [...values];
  for (let i = 1; i < filled.length; i++) if (filled[i] === null) filled[i] = filled[i - 1] ?? null;
  for (let i = filled.length - 2; i >= 0; i--) if (filled[i] === null) filled[i] = filled[i + 1] ?? null;
  return filled;
}

function buildRows(kpi: StoreKpiHealth): { rows: ChartRow[]; domain: [number, number]; ticks: number[] } {
  const threshold = kpi.threshold;
  const edges = threshold ? thresholdEdges(threshold) : null;
  const greenLine = fillGaps(kpi.series.map((point) => (threshold && edges ? thresholdLevel(point, edges.green, threshold.comparisonBasis) : null)));
  const redLine = fillGaps(kpi.series.map((point) => (threshold && edges ? thresholdLevel(point, edges.red, threshold.comparisonBasis) : null)));

  const numbers = [...kpi.series.flatMap((point) => [point.value, point.comparisonValue]), ...greenLine, ...redLine];
  const present = numbers.filter((value): value is number => value !== null && Number.isFinite(value));
  let low = present.length > 0 ? Math.min(...present) : 0;
  let high = present.length > 0 ? Math.max(...present) : 1;
  if (high === low) {
    high += Math.abs(high) * 0.1 || 1;
    low -= Math.abs(low) * 0.1 || 1;
  }
  const step = niceStep((high - low) * 1.1, 3);
  const allPositive = present.every((value) => value >= 0);
  let domainLow = Math.floor(low / step) * step;
  if (domainLow === low && low !== 0) domainLow -= step;
  if (allPositive) domainLow = Math.max(0, domainLow);
  let domainHigh = Math.ceil(high / step) * step;
  if (domainHigh === high) domainHigh += step;
  const ticks: number[] = [];
  for (let tick = domainLow; tick <= domainHigh + step / 2; tick += step) ticks.push(Math.round(tick * 1e6) / 1e6);
  const clamp = (value: number) => Math.min(domainHigh, Math.max(domainLow, value));

  const rows = kpi.series.map((point, index): ChartRow => {
    const green = greenLine[index] ?? null;
    const red = redLine[index] ?? null;
    const base: ChartRow = {
      date: point.date,
      label: formatIsoDate(point.date, 'short'),
      value: point.value,
      baseline: point.comparisonValue,
      variancePct: point.variancePct,
      status: point.status,
      bandBase: null,
      bandLow: null,
      bandMid: null,
      bandHigh: null,
    };
    if (green === null || red === null) return base;
    // Bands stack bottom to top: red, yellow, green when higher is better; green, yellow, red otherwise.
    const lower = clamp(Math.min(red, green));
    const upper = clamp(Math.max(red, green));
    return { ...base, bandBase: domainLow, bandLow: lower - domainLow, bandMid: upper - lower, bandHigh: domainHigh - upper };
  });
  return { rows, domain: [domainLow, domainHigh], ticks };
}

const compactNumber = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** Axis labels stay short: money and percentages keep their symbol, everything else is a compact number. */
function formatAxis(value: number, unit: string): string {
  if (unit === '%' || isMoneyUnit(unit)) return formatKpiValue(value, unit, true);
  return compactNumber.format(value);
}

function thresholdCaption(threshold: KpiThreshold | null, direction: KpiDirection, unit: string): string {
  if (!threshold) return 'Not rated: no threshold';
  const { green, red } = thresholdEdges(threshold);
  const relative = threshold.comparisonBasis !== 'absolute';
  const show = (value: number | null) => (value === null ? '—' : relative ? `${formatKpiValue(value, '%')}` : formatKpiValue(value, unit));
  const better = direction === 'lower_is_better' ? '≤' : '≥';
  const worse = direction === 'lower_is_better' ? '>' : '<';
  return `Green ${better} ${show(green)} · red ${worse} ${show(red)}${relative ? ` of ${threshold.comparisonBasis === 'same_period_ly' ? 'last year' : 'baseline'}` : ''}`;
}

function StatusPointDot(props: { cx?: number; cy?: number; index: number; payload: ChartRow }) {
  const { cx, cy, index, payload } = props;
  if (cx === undefined || cy === undefined || payload.value === null) return <g key={index} />;
  const red = payload.status === 'red';
  return <circle key={index} cx={cx} cy={cy} r={red ? 3.2 : 2.4} fill={statusMeta(payload.status).fill} stroke="white" strokeWidth={1} />;
}

function ChartTooltipContent({ active, payload, unit }: { active?: boolean; payload?: readonly { payload?: ChartRow }[]; unit: string }) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  return (
    <Paper shadow="md" p="xs" radius="sm" withBorder>
      <Stack gap={2}>
        <Group justify="space-between" gap="md">
          <Text size="xs" fw={700}>
            {formatIsoDate(row.date, 'weekday')}
          </Text>
          <StatusBadge status={row.status} size="xs" />
        </Group>
        <Text size="xs">
          Value <b>{formatKpiValue(row.value, unit)}</b>
        </Text>
        <Text size="xs" c="dimmed">
          Baseline {formatKpiValue(row.baseline, unit)} · {formatVariance(row.variancePct)}
        </Text>
      </Stack>
    </Paper>
  );
}

/** One KPI as a small multiple: value against its baseline over the threshold bands, dots colored by the day's status. */
export function KpiChart({ kpi }: { kpi: StoreKpiHealth }) {
  const { rows, domain, ticks } = buildRows(kpi);
  const hasBaseline = kpi.series.some((point) => point.comparisonValue !== null);
  const unit = kpi.kpi.unit;
  const latest = [...kpi.series].reverse().find((point) => point.value !== null);
  const showsVariance = hasBaseline && latest?.variancePct !== null && latest?.variancePct !== undefined;
  // Absolute KPIs have no baseline to compare with: show where green starts instead.
  const greenTarget =
    kpi.threshold && kpi.threshold.greenMin !== null
      ? `green ${kpi.kpi.direction === 'lower_is_better' ? '≤' : '≥'} ${formatKpiValue(kpi.threshold.greenMin, kpi.threshold.comparisonBasis === 'absolute' ? unit : '%')}`
      : 'not rated';
  const higherIsBetter = kpi.kpi.direction !== 'lower_is_better';
  const status = kpi.currentStatus;
  const meta = statusMeta(status);
  const colors = higherIsBetter ? ['red.6', 'yellow.5', 'green.6'] : ['green.6', 'yellow.5', 'red.6'];

  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      data-testid={`sh-kpi-chart-${kpi.kpi.kpiCode}`}
      data-status={status ?? 'no_data'}
      style={{ borderTop: `3px solid ${meta.fill}` }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={700} truncate="end" title={kpi.kpi.name}>
            {kpi.kpi.name}
          </Text>
          <Text size="xs" c="dimmed" truncate="end">
            {kpi.kpi.category} · {higherIsBetter ? 'higher is better' : 'lower is better'}
          </Text>
        </Stack>
        <StatusBadge status={status} size="sm" />
      </Group>
      <Group gap="xs" align="baseline" mt={4} wrap="nowrap">
        <Text fz={20} fw={800} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatKpiValue(latest?.value ?? null, unit, true)}
        </Text>
        {showsVariance ? (
          <Text size="xs" c={status === 'red' ? 'red.7' : status === 'yellow' ? 'yellow.8' : 'dimmed'} fw={600} style={{ whiteSpace: 'nowrap' }}>
            {formatVariance(latest?.variancePct ?? null)} vs baseline
          </Text>
        ) : (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {greenTarget}
          </Text>
        )}
        {kpi.daysInStatus !== null && (status === 'red' || status === 'yellow') && (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            · {kpi.daysInStatus} day{kpi.daysInStatus === 1 ? '' : 's'}
          </Text>
        )}
      </Group>
      <CompositeChart
        h={130}
        mt={6}
        data={rows}
        dataKey="label"
        withDots
        connectNulls={false}
        strokeWidth={1.8}
        curveType="linear"
        gridAxis="none"
        tickLine="none"
        valueFormatter={(value) => formatAxis(value, unit)}
        yAxisProps={{ domain, ticks, allowDataOverflow: true, width: 44, fontSize: 10, interval: 0 }}
        xAxisProps={{ fontSize: 10, minTickGap: 24 }}
        tooltipProps={{
          content: ({ active, payload }) => <ChartTooltipContent active={active} payload={payload as readonly { payload?: ChartRow }[]} unit={unit} />,
        }}
        series={[
          { name: 'bandBase', type: 'area', color: 'transparent' },
          { name: 'bandLow', type: 'area', color: colors[0] },
          { name: 'bandMid', type: 'area', color: colors[1] },
          { name: 'bandHigh', type: 'area', color: colors[2] },
          { name: 'baseline', type: 'line', color: 'gray.6', strokeDasharray: '4 3', label: 'Baseline' },
          { name: 'value', type: 'line', color: 'dark.5', label: 'Value' },
        ]}
        areaProps={(series) =>
          BAND_SERIES.has(series.name)
            ? { stackId: 'bands', fillOpacity: series.name === 'bandBase' ? 0 : 0.13, strokeWidth: 0, dot: false, activeDot: false, connectNulls: false }
            : {}
        }
        lineProps={(series) =>
          series.name === 'value'
            ? {
                dot: (props) => <StatusPointDot key={props.index} cx={props.cx} cy={props.cy} index={props.index} payload={props.payload as ChartRow} />,
                activeDot: { r: 4 },
              }
            : { dot: false, activeDot: false, strokeWidth: 1.2 }
        }
      />
      <StatusStrip series={kpi.series} />
      <Group justify="space-between" mt={6} gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed" truncate="end">
          {thresholdCaption(kpi.threshold, kpi.kpi.direction, unit)}
        </Text>
        {kpi.threshold?.source === 'store' && (
          <Tooltip label="This store has its own threshold for this KPI" withArrow>
            <Badge size="xs" variant="outline" color="violet" radius="sm" tt="none" style={{ flexShrink: 0 }}>
              store override
            </Badge>
          </Tooltip>
        )}
      </Group>
    </Paper>
  );
}

/** One cell per day, so closed days and missing values show even where the line has a gap. */
function StatusStrip({ series }: { series: KpiSeriesPoint[] }) {
  return (
    <Group gap={1} wrap="nowrap" mt={2} ml={44} aria-hidden>
      {series.map((point) => (
        <Box key={point.date} h={5} style={{ flex: 1, borderRadius: 1, background: statusMeta(point.status).fill }} />
      ))}
    </Group>
  );
}
