import { Alert, Badge, Button, Code, Group, Modal, Paper, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowBackUp } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError, errorMessage, isApiError } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import type { ImportRowError, ImportStatus, RollbackBlockedDetails } from '../api-types';
import { useImport, useRollbackImport } from '../queries';
import { formatBytes, formatCount, formatDay } from '../shared/format';
import { ConfirmDialog } from '../shared/ui';

const STATUS: Record<ImportStatus, { label: string; color: string }> = {
  VALIDATING: { label: 'Validating', color: 'blue' },
  PROCESSING: { label: 'Processing', color: 'blue' },
  SUCCESS: { label: 'Imported', color: 'teal' },
  PARTIAL_SUCCESS: { label: 'Partly imported', color: 'yellow' },
  FAILED: { label: 'Failed', color: 'red' },
  ROLLED_BACK: { label: 'Rolled back', color: 'gray' },
};

export function ImportStatusBadge({ status }: { status: ImportStatus | string }) {
  const meta = STATUS[status as ImportStatus] ?? { label: status, color: 'gray' };
  return (
    <Badge color={meta.color} variant="light" radius="sm" tt="none" data-status={status} data-testid="co-import-status">
      {meta.label}
    </Badge>
  );
}

const SHOWN = 200;

/** Row-level problems: row, column and what to fix. */
export function ImportErrorsTable({ errors, total, title, hint }: { errors: ImportRowError[]; total?: number; title?: string; hint?: string }) {
  const count = Math.max(total ?? 0, errors.length);
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden', borderLeft: '4px solid var(--mantine-color-red-6)' }}>
      <Stack gap={2} p="md">
        <Group gap="sm" wrap="nowrap">
          <IconAlertTriangle size={20} color="var(--mantine-color-red-7)" />
          <Text fw={650}>{title ?? `${formatCount(count)} row${count === 1 ? '' : 's'} with errors`}</Text>
        </Group>
        {hint && (
          <Text size="sm" c="dimmed">
            {hint}
          </Text>
        )}
      </Stack>
      <Table.ScrollContainer minWidth={560} mah={360} type="native">
        <Table stickyHeader verticalSpacing={5} horizontalSpacing="md" striped fz="sm" data-testid="co-import-errors">
          <Table.Thead bg="gray.0">
            <Table.Tr>
              <Table.Th ta="right" w={70}>
                Row
              </Table.Th>
              <Table.Th w={200}>Column</Table.Th>
              <Table.Th>What to fix</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.slice(0, SHOWN).map((error, index) => (
              <Table.Tr key={`${error.row}-${error.column}-${index}`}>
                <Table.Td ta="right" ff="monospace" fw={600}>
                  {error.row ?? '—'}
                </Table.Td>
                <Table.Td>
                  {error.column ? (
                    <Code style={{ whiteSpace: 'nowrap' }}>{error.column}</Code>
                  ) : (
                    <Text size="sm" c="dimmed">
                      whole row
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{error.message || error.error}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {count > Math.min(errors.length, SHOWN) && (
        <Text size="xs" c="dimmed" p="sm">
          Showing {Math.min(errors.length, SHOWN)} of {formatCount(count)} problems.
        </Text>
      )}
    </Paper>
  );
}

function blockedOf(error: unknown): RollbackBlockedDetails | null {
  if (!isApiError(error, 409)) return null;
  const details = (error as ApiError).details as Partial<RollbackBlockedDetails> | undefined;
  return details && typeof details.blockingImportId === 'string' ? (details as RollbackBlockedDetails) : null;
}

/** One import: counts, what it changed, its row errors, and its rollback. */
export function ImportDetailModal({ id, onClose, onOpen }: { id: string | null; onClose: () => void; onOpen: (id: string) => void }) {
  const detail = useImport(id);
  const rollback = useRollbackImport();
  const [confirming, setConfirming] = useState(false);
  const log = detail.data && detail.data.id === id ? detail.data : null;
  const blocked = blockedOf(rollback.error);
  const canRollBack = log && (log.status === 'SUCCESS' || log.status === 'PARTIAL_SUCCESS') && log.rollbackAvailable;

  const close = () => {
    rollback.reset();
    setConfirming(false);
    onClose();
  };

  const open = (next: string) => {
    rollback.reset();
    setConfirming(false);
    onOpen(next);
  };

  return (
    <Modal opened={id !== null} onClose={close} size="xl" title={<Text fw={700}>{log?.fileName ?? 'Import'}</Text>} data-testid="co-import-detail">
      {detail.isError ? (
        <Alert color="red" variant="light">
          {errorMessage(detail.error)}
        </Alert>
      ) : !log ? (
        <Skeleton h={240} />
      ) : (
        <Stack gap="md">
          <Group gap="sm">
            <ImportStatusBadge status={log.status} />
            <Text size="sm" c="dimmed">
              by {log.importedBy?.name ?? '—'} · <DateTimeText value={log.startedAt} size="sm" /> · {formatBytes(log.fileSizeBytes)}
              {log.processingTimeSeconds !== null ? ` · took ${log.processingTimeSeconds} s` : ''}
            </Text>
          </Group>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <Fig label="rows in the file" value={formatCount(log.totalRows)} />
            <Fig label="rows written" value={formatCount(log.successfulRows)} />
            <Fig label="rows failed" value={formatCount(log.failedRows)} />
            <Fig label="rows skipped" value={formatCount(log.skippedRows)} />
          </SimpleGrid>
          {log.rowChanges && (log.rowChanges.inserted > 0 || log.rowChanges.updated > 0) && (
            <Text size="sm" data-testid="co-import-changes">
              Changed {formatCount(log.rowChanges.inserted + log.rowChanges.updated)} agent-days ({formatCount(log.rowChanges.inserted)} new,{' '}
              {formatCount(log.rowChanges.updated)} replaced) of {formatCount(log.rowChanges.agents)} agent{log.rowChanges.agents === 1 ? '' : 's'},{' '}
              {formatDay(log.rowChanges.from)} – {formatDay(log.rowChanges.to)}.
            </Text>
          )}
          {log.errorSummary && (
            <Text size="sm" c={log.status === 'FAILED' ? 'red.8' : 'dimmed'}>
              {log.errorSummary}
            </Text>
          )}
          {log.status === 'ROLLED_BACK' && log.rollbackExecutedAt && (
            <Alert color="gray" variant="light">
              Rolled back <DateTimeText value={log.rollbackExecutedAt} size="sm" />
              {log.rollbackExecutedBy ? ` by ${log.rollbackExecutedBy.name}` : ''}: the values it replaced are back, the rows it added are gone.
            </Alert>
          )}
          {log.errorDetails.length > 0 && <ImportErrorsTable errors={log.errorDetails} total={log.failedRows ?? undefined} />}
          {log.rollbackBlockedBy && canRollBack && (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={16} />} data-testid="co-import-blocked">
              A later import, {log.rollbackBlockedBy.fileName}, changed {formatCount(log.rollbackBlockedBy.rows)} of the same agent-days: roll that one back
              first.{' '}
              <Button size="compact-xs" variant="subtle" onClick={() => open(log.rollbackBlockedBy!.id)}>
                Open it
              </Button>
            </Alert>
          )}
          {canRollBack && (
            <Group justify="flex-end">
              <Button
                color="red"
                variant="light"
                leftSection={<IconArrowBackUp size={16} />}
                onClick={() => setConfirming(true)}
                data-testid="co-import-rollback"
              >
                Roll back this import
              </Button>
            </Group>
          )}
          <ConfirmDialog
            opened={confirming}
            title={`Roll back ${log.fileName}?`}
            confirmLabel="Roll back"
            onClose={() => setConfirming(false)}
            loading={rollback.isPending}
            testId="co-rollback-dialog"
            error={
              rollback.isError ? (
                <Stack gap={4}>
                  <Text size="sm">{errorMessage(rollback.error)}</Text>
                  {blocked && (
                    <Button size="compact-xs" variant="light" color="red" w="fit-content" onClick={() => open(blocked.blockingImportId)}>
                      Open {blocked.fileName}
                    </Button>
                  )}
                </Stack>
              ) : null
            }
            onConfirm={() =>
              rollback.mutate(log.id, {
                onSuccess: () => {
                  setConfirming(false);
                  notifications.show({
                    color: 'green',
                    title: 'Import rolled back',
                    message: `${log.fileName}: the previous values are restored and the history is recomputed.`,
                  });
                },
              })
            }
          >
            Every agent-day this import replaced gets its previous values back, every agent-day it added is deleted, and the weekly, monthly and quarterly
            history is recomputed. The file can be imported again afterwards.
          </ConfirmDialog>
        </Stack>
      )}
    </Modal>
  );
}

function Fig({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text fz={18} fw={750} className="co-num">
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}
