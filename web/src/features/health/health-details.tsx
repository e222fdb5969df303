import { Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Health } from '../../api-types';
import { formatRelative } from '../../lib/format';
import { useNow } from '../../lib/use-now';

function CheckRow({ ok, label, detail }: { ok: boolean; label: string; detail: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between">
      <Group gap={6} wrap="nowrap">
        <ThemeIcon size={16} radius="xl" color={ok ? 'teal' : 'red'} variant="filled">
          {ok ? <IconCheck size={11} stroke={3} /> : <IconX size={11} stroke={3} />}
        </ThemeIcon>
        <Text size="sm" fw={500} c="inherit">
          {label}
        </Text>
      </Group>
      <Text size="sm" c="inherit" opacity={0.75} ta="right">
        {detail}
      </Text>
    </Group>
  );
}

export function HealthDetails({ health }: { health: Health }) {
  const now = useNow();
  return (
    <Stack gap={6} miw={260}>
      <CheckRow
        ok={health.database.ok}
        label="Database"
        detail={`${health.database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL'}${health.database.latencyMs !== null ? ` · ${Math.round(health.database.latencyMs)} ms` : ''}`}
      />
      <CheckRow
        ok={health.migrations.ok}
        label="Migrations"
        detail={health.migrations.pending > 0 ? `${health.migrations.pending} pending` : `${health.migrations.applied} applied`}
      />
      <CheckRow
        ok={health.worker.ok}
        label="Worker"
        detail={health.worker.lastHeartbeatAt ? `seen ${formatRelative(health.worker.lastHeartbeatAt, now)}` : 'no heartbeat'}
      />
    </Stack>
  );
}
