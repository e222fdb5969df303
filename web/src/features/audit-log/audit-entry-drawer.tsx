import { Badge, Code, Drawer, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AuditEntry } from '../../api-types';
import { formatDateTime } from '../../lib/format';
import { useOrgTimeZone } from '../auth/session';
import { ActorLabel } from './actor-label';
import { AuditDiff } from './audit-diff';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

export function AuditEntryDrawer({ entry, onClose }: { entry: AuditEntry | null; onClose: () => void }) {
  const timeZone = useOrgTimeZone();
  return (
    <Drawer
      opened={entry !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        <Title order={2} fz="lg">
          Audit event
        </Title>
      }
      data-testid="audit-drawer"
    >
      {entry && (
        <Stack gap="lg">
          <Group gap="sm">
            <Badge variant="light" radius="sm" tt="none" size="lg" ff="monospace">
              {entry.action}
            </Badge>
            <Text size="sm" c="dimmed">
              {formatDateTime(entry.at, timeZone, 'full')}
            </Text>
          </Group>
          <SimpleGrid cols={2} spacing="md" verticalSpacing="md">
            <Field label="Actor">
              <ActorLabel actor={entry.actor} />
            </Field>
            <Field label="Entity">
              <Text size="sm">
                {entry.entityType}
                {entry.entityId && (
                  <>
                    {' '}
                    <Code fz="xs">{entry.entityId}</Code>
                  </>
                )}
              </Text>
            </Field>
            <Field label="IP address">
              <Text size="sm" ff="monospace">
                {entry.ip ?? '—'}
              </Text>
            </Field>
            <Field label="Request ID">{entry.requestId ? <Code fz="xs">{entry.requestId}</Code> : <Text size="sm">—</Text>}</Field>
          </SimpleGrid>
          <AuditDiff before={entry.before} after={entry.after} />
        </Stack>
      )}
    </Drawer>
  );
}
