import { Badge, Box, Group, SegmentedControl, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { type DiffKind, type DiffRow, diffSnapshots, formatJsonValue } from './json-diff';

const KIND_STYLES: Record<DiffKind, { color: string; label: string; background?: string }> = {
  added: { color: 'teal', label: 'added', background: 'var(--mantine-color-teal-0)' },
  removed: { color: 'red', label: 'removed', background: 'var(--mantine-color-red-0)' },
  changed: { color: 'yellow', label: 'changed', background: 'var(--mantine-color-yellow-0)' },
  unchanged: { color: 'gray', label: 'same' },
};

function ValueCell({ value, present, strike }: { value: unknown; present: boolean; strike?: boolean }) {
  if (!present) {
    return (
      <Text size="xs" c="dimmed" fs="italic">
        —
      </Text>
    );
  }
  return (
    <Box
      component="pre"
      m={0}
      fz={12}
      ff="monospace"
      style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', textDecoration: strike ? 'line-through' : undefined, opacity: strike ? 0.75 : 1 }}
    >
      {formatJsonValue(value)}
    </Box>
  );
}

export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const rows = diffSnapshots(before, after);
  const changedCount = rows.filter((row) => row.kind !== 'unchanged').length;
  const [view, setView] = useState<'changes' | 'all'>('changes');
  const visibleRows = view === 'changes' ? rows.filter((row) => row.kind !== 'unchanged') : rows;

  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This event recorded no before/after snapshot.
      </Text>
    );
  }

  return (
    <Box data-testid="audit-diff">
      <Group justify="space-between" mb="xs">
        <Text size="sm" fw={600}>
          {changedCount === 0 ? 'No fields changed' : `${changedCount} field${changedCount === 1 ? '' : 's'} changed`}
        </Text>
        <SegmentedControl
          size="xs"
          value={view}
          onChange={(value) => setView(value as 'changes' | 'all')}
          data={[
            { value: 'changes', label: 'Changes' },
            { value: 'all', label: `All fields (${rows.length})` },
          ]}
        />
      </Group>
      <Table withTableBorder withColumnBorders verticalSpacing={6} fz="xs" layout="fixed">
        <Table.Thead bg="gray.0">
          <Table.Tr>
            <Table.Th w="24%">Field</Table.Th>
            <Table.Th>Before</Table.Th>
            <Table.Th>After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {visibleRows.map((row) => (
            <DiffTableRow key={row.key} row={row} />
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}

function DiffTableRow({ row }: { row: DiffRow }) {
  const style = KIND_STYLES[row.kind];
  return (
    <Table.Tr style={{ background: style.background }} data-kind={row.kind} data-testid="audit-diff-row">
      <Table.Td style={{ verticalAlign: 'top' }}>
        <Group gap={6} wrap="nowrap">
          <Text size="xs" ff="monospace" fw={row.kind === 'unchanged' ? 400 : 700} style={{ wordBreak: 'break-all' }}>
            {row.key}
          </Text>
          {row.kind !== 'unchanged' && (
            <Badge size="xs" color={style.color} variant="light" radius="sm" tt="none">
              {style.label}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        <ValueCell value={row.before} present={row.kind !== 'added'} strike={row.kind === 'changed' || row.kind === 'removed'} />
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        <ValueCell value={row.after} present={row.kind !== 'removed'} />
      </Table.Td>
    </Table.Tr>
  );
}
