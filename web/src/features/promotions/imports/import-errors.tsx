import { Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ApiError } from '../../../api';
import type { ImportJob, ImportRowError } from '../api-types';

const SHOWN = 500;

function toRowError(item: unknown): ImportRowError[] {
  if (typeof item !== 'object' || item === null) return [];
  const record = item as Record<string, unknown>;
  if (typeof record.message !== 'string') return [];
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null);
  return [
    {
      file: text(record.file),
      sheet: text(record.sheet),
      row: typeof record.row === 'number' ? record.row : null,
      column: text(record.column),
      message: record.message,
    },
  ];
}

/** The column letter of an error's column ("units (H)" → H, "H" → H), for highlighting it in a preview. */
export function columnLetterOf(column: string | null | undefined): string | null {
  if (!column) return null;
  const inParentheses = /\(([A-Z]{1,3})\)\s*$/.exec(column);
  if (inParentheses) return inParentheses[1] ?? null;
  return /^[A-Z]{1,3}$/.test(column) ? column : null;
}

/** Row-level problems of a rejected upload (`details` of a 400) or of a failed job (its result's errors). */
export function importErrorsOf(source: unknown): ImportRowError[] {
  if (source instanceof ApiError) return Array.isArray(source.details) ? source.details.flatMap(toRowError) : [];
  const job = source as ImportJob | null | undefined;
  if (!job || typeof job !== 'object') return [];
  const result = job.result ?? {};
  for (const key of ['errors', 'details', 'problems']) {
    const list = (result as Record<string, unknown>)[key];
    if (Array.isArray(list)) return list.flatMap(toRowError);
  }
  return [];
}

export function ImportErrorsTable({ errors, message }: { errors: ImportRowError[]; message: string }) {
  const rows = new Set(errors.map((error) => `${error.file}|${error.sheet}|${error.row}`));
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden', borderLeft: '4px solid var(--mantine-color-red-6)' }}>
      <Stack gap={4} p="md">
        <Group gap="sm" wrap="nowrap">
          <IconAlertTriangle size={20} color="var(--mantine-color-red-7)" />
          <Text fw={650}>
            Nothing was imported: {errors.length} problem{errors.length === 1 ? '' : 's'} in {rows.size} row{rows.size === 1 ? '' : 's'}
          </Text>
        </Group>
        <Text size="sm" c="dimmed">
          {/[.!?]$/.test(message.trim()) ? message : `${message}.`} Fix the cells listed below (or change the column mapping) and start the import again — the
          whole job is checked before anything is written.
        </Text>
      </Stack>
      <Table.ScrollContainer minWidth={640} mah={420} type="native">
        <Table data-testid="pr-import-errors" stickyHeader verticalSpacing={6} horizontalSpacing="md" striped>
          <Table.Thead bg="gray.0">
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th>Sheet</Table.Th>
              <Table.Th ta="right" w={70}>
                Row
              </Table.Th>
              <Table.Th>Column</Table.Th>
              <Table.Th>What to fix</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.slice(0, SHOWN).map((error, index) => (
              <Table.Tr key={`${error.file}-${error.row}-${error.column}-${index}`}>
                <Table.Td>
                  <Text size="sm" ff="monospace" truncate maw={220}>
                    {error.file ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{error.sheet ?? '—'}</Text>
                </Table.Td>
                <Table.Td ta="right" ff="monospace" fw={600}>
                  {error.row ?? '—'}
                </Table.Td>
                <Table.Td>
                  {error.column ? (
                    <Code>{error.column}</Code>
                  ) : (
                    <Text size="sm" c="dimmed">
                      whole row
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{error.message}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {errors.length > SHOWN && (
        <Text size="xs" c="dimmed" p="sm">
          Showing the first {SHOWN} of {errors.length} problems.
        </Text>
      )}
    </Paper>
  );
}
