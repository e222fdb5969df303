import { Button, Group, Text, Timeline } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useState } from 'react';
import type { StatusChange, StoreKpiHealth } from '../api-types';
import { formatIsoDate, formatKpiValue, formatVariance, statusMeta } from '../shared/status';
import { Panel, StatusDot } from '../shared/status-ui';

const SHOWN = 8;

/** Status changes of every KPI, newest first: when did what turn red, and how long was it in the previous status. */
export function StatusHistory({ history, kpis }: { history: StatusChange[]; kpis: StoreKpiHealth[] }) {
  const [showAll, setShowAll] = useState(false);
  const kpiByCode = new Map(kpis.map((kpi) => [kpi.kpi.kpiCode, kpi.kpi]));
  const changes = [...history].sort((a, b) => b.date.localeCompare(a.date) || a.kpiCode.localeCompare(b.kpiCode));
  const shown = showAll ? changes : changes.slice(0, SHOWN);

  return (
    <Panel title="Status history" description="KPI status changes in this period, newest first." testId="sh-status-history">
      {changes.length === 0 ? (
        <Text size="sm" c="dimmed">
          No status changes in this period.
        </Text>
      ) : (
        <>
          <Timeline bulletSize={14} lineWidth={2} color="gray">
            {shown.map((change) => {
              const kpi = kpiByCode.get(change.kpiCode);
              const meta = statusMeta(change.currentStatus);
              return (
                <Timeline.Item
                  key={`${change.date}-${change.kpiCode}`}
                  bullet={<StatusDot status={change.currentStatus} size={14} />}
                  title={
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={600} truncate="end">
                        {kpi?.name ?? change.kpiCode}
                      </Text>
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {formatIsoDate(change.date, 'short')}
                      </Text>
                    </Group>
                  }
                >
                  <Group gap={4} wrap="nowrap">
                    <Text size="xs" c="dimmed">
                      {statusMeta(change.previousStatus).label}
                    </Text>
                    <IconArrowRight size={12} color="var(--mantine-color-gray-5)" />
                    <Text size="xs" fw={700} c={meta.color === 'gray' ? 'dimmed' : `${meta.color}.${meta.color === 'yellow' ? 8 : 7}`}>
                      {meta.label}
                    </Text>
                    <Text size="xs" c="dimmed" truncate="end">
                      · {formatKpiValue(change.value, kpi?.unit)}
                      {change.variancePct === null ? '' : ` (${formatVariance(change.variancePct)})`}
                      {change.durationInStatus > 1 ? ` · ${change.durationInStatus} days in status` : ''}
                    </Text>
                  </Group>
                </Timeline.Item>
              );
            })}
          </Timeline>
          {changes.length > SHOWN && (
            <Button variant="subtle" size="compact-xs" mt="sm" onClick={() => setShowAll((value) => !value)}>
              {showAll ? 'Show fewer' : `Show all ${changes.length} changes`}
            </Button>
          )}
        </>
      )}
    </Panel>
  );
}
