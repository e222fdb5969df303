import { Badge, Button, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconArrowRight, IconCircleCheck } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { OverviewStore } from '../api-types';
import { formatProbability, statusRank } from '../shared/status';
import { LevelBadge, Panel, StatusDot } from '../shared/status-ui';

const SHOWN = 8;

/** The first thing a regional manager reads: the worst stores and, in one line each, why. */
export function AttentionList({ stores }: { stores: OverviewStore[] }) {
  const needing = stores
    .filter((store) => store.overallStatus === 'red' || store.actionRequired)
    .sort(
      (a, b) =>
        statusRank(a.overallStatus) - statusRank(b.overallStatus) || b.escalationLevel - a.escalationLevel || (a.healthScore ?? 101) - (b.healthScore ?? 101),
    );

  return (
    <Panel
      title="Needs attention now"
      description={needing.length > 0 ? `${needing.length} store${needing.length === 1 ? '' : 's'} red or flagged for action` : undefined}
      actions={
        <Button component={Link} to="/store-health/alerts?status=active" size="compact-xs" variant="subtle" rightSection={<IconArrowRight size={12} />}>
          Alerts
        </Button>
      }
      testId="sh-attention-list"
    >
      {needing.length === 0 ? (
        <Group gap="xs" c="green.7" py="md" justify="center">
          <IconCircleCheck size={18} />
          <Text size="sm">No store needs action on this day.</Text>
        </Group>
      ) : (
        <Stack gap={2} mx={-8}>
          {needing.slice(0, SHOWN).map((store) => (
            <UnstyledButton
              key={store.id}
              component={Link}
              to={`/store-health/stores/${store.id}`}
              className="sh-clickable-row"
              px={8}
              py={8}
              style={{ borderRadius: 8 }}
              data-testid={`sh-attention-${store.storeCode}`}
            >
              <Group gap={10} wrap="nowrap" align="flex-start">
                <StatusDot status={store.overallStatus} size={12} />
                <Stack gap={2} style={{ minWidth: 0, flex: 1 }} mt={-3}>
                  <Group justify="space-between" wrap="nowrap" gap={6}>
                    <Text size="sm" fw={700} truncate="end">
                      {store.storeCode} · {store.name}
                    </Text>
                    <Text size="sm" fw={800} style={{ fontVariantNumeric: 'tabular-nums', flexShrink: 0 }}>
                      {store.healthScore === null ? '—' : Math.round(store.healthScore)}
                    </Text>
                  </Group>
                  {store.summary && (
                    <Text size="xs" c="dimmed" lineClamp={2} lh={1.4}>
                      {store.summary}
                    </Text>
                  )}
                  <Group gap={6} mt={2}>
                    {store.redKpiCount > 0 && (
                      <Badge size="xs" color="red" variant="light" radius="sm" tt="none">
                        {store.redKpiCount} red KPI{store.redKpiCount === 1 ? '' : 's'}
                      </Badge>
                    )}
                    {store.escalationLevel > 0 && <LevelBadge level={store.escalationLevel} compact />}
                    {store.riskProbability !== null && store.riskProbability >= 0.5 && (
                      <Badge size="xs" color="orange" variant="outline" radius="sm" tt="none">
                        risk {formatProbability(store.riskProbability)}
                      </Badge>
                    )}
                  </Group>
                </Stack>
              </Group>
            </UnstyledButton>
          ))}
          {needing.length > SHOWN && (
            <Text size="xs" c="dimmed" px={8} pt={4}>
              and {needing.length - SHOWN} more in the grid
            </Text>
          )}
        </Stack>
      )}
    </Panel>
  );
}
