import { Box, Divider, Group, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { OverviewStore } from '../api-types';
import { formatProbability, levelName, statusMeta } from '../shared/status';
import { StatusBadge } from '../shared/status-ui';

/** One store in the chain heat-map: colored by status, store code on top, health score below. */
export function StoreTile({ store }: { store: OverviewStore }) {
  const meta = statusMeta(store.overallStatus);
  const noData = store.overallStatus === 'no_data';
  return (
    <Tooltip label={<StoreTileDetails store={store} />} multiline w={280} withArrow openDelay={150} color="white" styles={{ tooltip: tooltipStyle }}>
      <UnstyledButton
        component={Link}
        to={`/store-health/stores/${store.id}`}
        data-testid={`sh-store-tile-${store.storeCode}`}
        data-status={store.overallStatus}
        aria-label={`${store.storeCode} ${store.name}: ${meta.label}${store.healthScore === null ? '' : `, score ${Math.round(store.healthScore)}`}`}
        className="sh-store-tile"
        style={{
          position: 'relative',
          width: 64,
          height: 46,
          borderRadius: 6,
          background: meta.fill,
          color: meta.text,
          border: noData ? '1px dashed var(--mantine-color-gray-5)' : '1px solid rgba(0,0,0,0.06)',
          display: 'flex',
          flexDirection: 'column',
          alignItems: 'center',
          justifyContent: 'center',
          lineHeight: 1.1,
        }}
      >
        <Text span fz={11} fw={700} inherit style={{ letterSpacing: 0.2, maxWidth: 58, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {store.storeCode}
        </Text>
        <Text span fz={15} fw={800} inherit style={{ fontVariantNumeric: 'tabular-nums' }}>
          {store.healthScore === null ? '–' : Math.round(store.healthScore)}
        </Text>
        {store.escalationLevel > 0 && (
          <Box
            component="span"
            style={{
              position: 'absolute',
              top: -6,
              right: -6,
              minWidth: 18,
              height: 16,
              padding: '0 3px',
              borderRadius: 8,
              background: 'var(--mantine-color-dark-6)',
              color: 'white',
              fontSize: 9,
              fontWeight: 700,
              lineHeight: '16px',
              textAlign: 'center',
              boxShadow: '0 0 0 2px white',
            }}
          >
            L{store.escalationLevel}
          </Box>
        )}
        {store.actionRequired && (
          <Box
            component="span"
            aria-hidden
            style={{
              position: 'absolute',
              bottom: 3,
              right: 3,
              width: 7,
              height: 7,
              borderRadius: '50%',
              background: 'white',
              boxShadow: '0 0 0 1.5px var(--mantine-color-dark-6)',
            }}
          />
        )}
      </UnstyledButton>
    </Tooltip>
  );
}

const tooltipStyle = {
  color: 'var(--mantine-color-dark-7)',
  border: '1px solid var(--mantine-color-gray-3)',
  boxShadow: 'var(--mantine-shadow-md)',
  padding: 12,
};

function StoreTileDetails({ store }: { store: OverviewStore }) {
  return (
    <Stack gap={6}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={700} lineClamp={1}>
          {store.storeCode} · {store.name}
        </Text>
        <StatusBadge status={store.overallStatus} size="sm" />
      </Group>
      <Group gap="md">
        <Metric label="Score" value={store.healthScore === null ? '—' : String(Math.round(store.healthScore))} />
        <Metric label="Red KPIs" value={String(store.redKpiCount)} color={store.redKpiCount > 0 ? 'red.7' : undefined} />
        <Metric label="Yellow" value={String(store.yellowKpiCount)} color={store.yellowKpiCount > 0 ? 'yellow.8' : undefined} />
        <Metric label="Risk" value={formatProbability(store.riskProbability)} />
      </Group>
      {store.escalationLevel > 0 && (
        <Text size="xs" c="dimmed">
          Escalated to {levelName(store.escalationLevel).toLowerCase()} (L{store.escalationLevel})
        </Text>
      )}
      {store.summary && (
        <>
          <Divider />
          <Text size="xs" lh={1.45}>
            {store.summary}
          </Text>
        </>
      )}
      {store.actionRequired && (
        <Text size="xs" fw={700} c="red.7">
          Action required
        </Text>
      )}
    </Stack>
  );
}

function Metric({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <Stack gap={0}>
      <Text fz={10} c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" fw={700} c={color} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </Stack>
  );
}
