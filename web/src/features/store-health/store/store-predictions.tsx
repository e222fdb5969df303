import { Box, Group, Progress, SimpleGrid, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconMinus, IconTrendingDown, IconTrendingUp } from '@tabler/icons-react';
import { ErrorState } from '../../../components/error-state';
import type { KpiStatus, Prediction, StoreKpiHealth } from '../api-types';
import { usePredictions } from '../queries';
import { formatIsoDate, formatKpiValue, statusMeta, statusRank } from '../shared/status';
import { Panel, StatusBadge } from '../shared/status-ui';

type DayForecast = { targetDate: string; status: KpiStatus; confidence: number | null; source: 'overall' | 'kpis' };

/** The newest prediction per (KPI or overall, target date): older runs for the same day are superseded. */
function latestPredictions(rows: Prediction[]): Prediction[] {
  const byKey = new Map<string, Prediction>();
  for (const row of rows) {
    const key = `${row.kpiCode ?? 'overall'}|${row.predictionType}|${row.targetDate}`;
    const current = byKey.get(key);
    if (!current || current.predictionDate < row.predictionDate) byKey.set(key, row);
  }
  return [...byKey.values()];
}

const isOverall = (row: Prediction) => row.kpiCode === null || row.predictionType === 'overall';

function dayForecasts(rows: Prediction[]): DayForecast[] {
  const overall = rows.filter(isOverall);
  if (overall.length > 0) {
    return overall
      .map((row) => ({ targetDate: row.targetDate, status: row.predictedStatus, confidence: row.confidenceScore, source: 'overall' as const }))
      .sort((a, b) => a.targetDate.localeCompare(b.targetDate));
  }
  // Without a store-level prediction, a day is as bad as its worst predicted KPI.
  const byDate = new Map<string, DayForecast>();
  for (const row of rows) {
    const current = byDate.get(row.targetDate);
    if (!current || statusRank(row.predictedStatus) < statusRank(current.status)) {
      byDate.set(row.targetDate, { targetDate: row.targetDate, status: row.predictedStatus, confidence: row.confidenceScore, source: 'kpis' });
    }
  }
  return [...byDate.values()].sort((a, b) => a.targetDate.localeCompare(b.targetDate));
}

export function StorePredictions({ storeId, from, kpis }: { storeId: string; from: string | null; kpis: StoreKpiHealth[] }) {
  const predictions = usePredictions({ storeId, ...(from ? { from } : {}) });
  const rows = latestPredictions(predictions.data?.data ?? []).filter((row) => !from || row.targetDate > from);
  const days = dayForecasts(rows).slice(0, 7);
  const atRisk = rows
    .filter((row) => !isOverall(row) && (row.predictedStatus === 'red' || row.predictedStatus === 'yellow'))
    .sort(
      (a, b) =>
        statusRank(a.predictedStatus) - statusRank(b.predictedStatus) ||
        a.targetDate.localeCompare(b.targetDate) ||
        (b.confidenceScore ?? 0) - (a.confidenceScore ?? 0),
    );
  // One line per KPI: its earliest worst day.
  const firstPerKpi = atRisk.filter((row, index) => atRisk.findIndex((other) => other.kpiCode === row.kpiCode) === index).slice(0, 5);
  const kpiByCode = new Map(kpis.map((kpi) => [kpi.kpi.kpiCode, kpi.kpi]));
  const modelVersion = rows[0]?.modelVersion;

  return (
    <Panel title="Predictions" description={modelVersion ? `Next days, model ${modelVersion}` : 'Next days'} testId="sh-store-predictions">
      {predictions.isPending && <Skeleton h={80} radius="sm" />}
      {predictions.isError && <ErrorState error={predictions.error} title="Could not load predictions" onRetry={() => predictions.refetch()} />}
      {predictions.isSuccess && rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No predictions for the coming days yet.
        </Text>
      )}
      {days.length > 0 && (
        <SimpleGrid cols={Math.min(7, days.length)} spacing={4} mb="md">
          {days.map((day) => {
            const meta = statusMeta(day.status);
            return (
              <Tooltip
                key={day.targetDate}
                label={`${formatIsoDate(day.targetDate, 'weekday')}: ${meta.label}${day.confidence === null ? '' : ` (${Math.round(day.confidence)}% confidence)`}${day.source === 'kpis' ? ', worst KPI' : ''}`}
                withArrow
              >
                <Stack gap={2} align="center" data-testid="sh-prediction-day">
                  <Text fz={10} c="dimmed" fw={600} tt="uppercase">
                    {formatIsoDate(day.targetDate, 'weekday').split(/[ ,]/)[0]}
                  </Text>
                  <Box
                    w="100%"
                    h={30}
                    style={{
                      borderRadius: 6,
                      background: meta.fill,
                      color: meta.text,
                      display: 'grid',
                      placeItems: 'center',
                      opacity: day.confidence === null ? 0.85 : 0.45 + (Math.min(100, day.confidence) / 100) * 0.55,
                    }}
                  >
                    <Text fz={11} fw={700} inherit>
                      {day.confidence === null ? '' : `${Math.round(day.confidence)}%`}
                    </Text>
                  </Box>
                  <Text fz={10} c="dimmed">
                    {formatIsoDate(day.targetDate, 'short')}
                  </Text>
                </Stack>
              </Tooltip>
            );
          })}
        </SimpleGrid>
      )}
      {firstPerKpi.length > 0 && (
        <Stack gap="sm">
          <Text fz={10} c="dimmed" fw={700} tt="uppercase" style={{ letterSpacing: 0.4 }}>
            KPIs at risk
          </Text>
          {firstPerKpi.map((row) => {
            const kpi = row.kpiCode ? kpiByCode.get(row.kpiCode) : undefined;
            return (
              <Stack key={`${row.kpiCode}-${row.targetDate}`} gap={4} data-testid="sh-prediction">
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                    <StatusBadge status={row.predictedStatus} size="sm" />
                    <Text size="sm" fw={600} truncate="end">
                      {kpi?.name ?? row.kpiCode}
                    </Text>
                  </Group>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {formatIsoDate(row.targetDate, 'weekday')}
                    {row.predictedValue !== null ? ` · ${formatKpiValue(row.predictedValue, kpi?.unit)}` : ''}
                  </Text>
                </Group>
                {row.confidenceScore !== null && (
                  <Group gap={6} wrap="nowrap">
                    <Progress value={row.confidenceScore} size="sm" color={statusMeta(row.predictedStatus).color} style={{ flex: 1 }} aria-label="Confidence" />
                    <Text size="xs" c="dimmed" ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {Math.round(row.confidenceScore)}% confidence
                    </Text>
                  </Group>
                )}
                <ContributingFactors factors={row.contributingFactors} />
              </Stack>
            );
          })}
        </Stack>
      )}
    </Panel>
  );
}

const LABEL_KEYS = ['label', 'factor', 'name', 'signal', 'feature', 'description', 'detail', 'reason'];

function factorLabel(factor: unknown): string {
  if (typeof factor !== 'object' || factor === null) return String(factor);
  const record = factor as Record<string, unknown>;
  for (const key of LABEL_KEYS) if (typeof record[key] === 'string' && record[key] !== '') return record[key];
  return JSON.stringify(factor);
}

/** Factors are JSON with at least a `label` and an `impact` (raises_risk / lowers_risk / neutral). */
export function ContributingFactors({ factors, max = 3 }: { factors: Record<string, unknown>[]; max?: number }) {
  if (!Array.isArray(factors) || factors.length === 0) return null;
  return (
    <Stack gap={2}>
      {factors.slice(0, max).map((factor, index) => {
        const impact = typeof factor === 'object' && factor !== null ? factor.impact : undefined;
        const Icon = impact === 'raises_risk' ? IconTrendingUp : impact === 'lowers_risk' ? IconTrendingDown : IconMinus;
        const color =
          impact === 'raises_risk' ? 'var(--mantine-color-red-6)' : impact === 'lowers_risk' ? 'var(--mantine-color-green-7)' : 'var(--mantine-color-gray-5)';
        return (
          <Group key={index} gap={6} wrap="nowrap" align="flex-start">
            <Icon size={13} color={color} style={{ flexShrink: 0, marginTop: 2 }} />
            <Text size="xs" c="dimmed" lh={1.4}>
              {factorLabel(factor)}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}
