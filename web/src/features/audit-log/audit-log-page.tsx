import { ActionIcon, Badge, CloseButton, Code, Group, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconCalendar, IconFilter, IconHistory } from '@tabler/icons-react';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../api-types';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { DateTimeText } from '../../components/date-time-text';
import { PageHeader } from '../../components/page-header';
import { useListParams, useListQuery } from '../../components/use-list-params';
import { useSession } from '../auth/session';
import { ActorLabel } from './actor-label';
import { AuditEntryDrawer } from './audit-entry-drawer';

dayjs.extend(utc);
dayjs.extend(timezone);

const FILTERS = ['action', 'entityType', 'actorId', 'from', 'to'] as const;

function toDayInZone(iso: string, timeZone: string): string | null {
  if (!iso) return null;
  const parsed = dayjs(iso);
  return parsed.isValid() ? parsed.tz(timeZone).format('YYYY-MM-DD') : null;
}

// Date filters mean calendar days in the organization's time zone, not the browser's.
function dayBoundary(day: string | null, timeZone: string, edge: 'start' | 'end'): string | null {
  if (!day) return null;
  const inZone = dayjs.tz(day, timeZone);
  return (edge === 'start' ? inZone.startOf('day') : inZone.endOf('day')).toISOString();
}

export function AuditLogPage() {
  const me = useSession();
  const timeZone = me.organization.timezone;
  const list = useListParams({ defaultSort: '-at', filterKeys: FILTERS });
  const entries = useListQuery<AuditEntry>('audit-log', '/api/audit-log', list.query);
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const { filters } = list.params;

  const columns: DataTableColumn<AuditEntry>[] = [
    { key: 'at', header: 'When', sortField: 'at', width: 150, render: (entry) => <DateTimeText value={entry.at} relative /> },
    {
      key: 'actor',
      header: 'Actor',
      render: (entry) => (
        <Group gap={4} wrap="nowrap">
          <ActorLabel actor={entry.actor} />
          {entry.actor.id && filters.actorId !== entry.actor.id && (
            <Tooltip label="Show only this actor" withArrow openDelay={200}>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                aria-label="Show only this actor"
                onClick={(event) => {
                  event.stopPropagation();
                  list.update({ filters: { actorId: entry.actor.id } });
                }}
                data-testid="filter-by-actor"
              >
                <IconFilter size={14} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      ),
    },
    {
      key: 'action',
      header: 'Action',
      sortField: 'action',
      render: (entry) => (
        <Badge variant="light" color="gray" radius="sm" tt="none" ff="monospace" fw={500}>
          {entry.action}
        </Badge>
      ),
    },
    {
      key: 'entity',
      header: 'Entity',
      sortField: 'entityType',
      render: (entry) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm">{entry.entityType}</Text>
          {entry.entityId && (
            <Code fz="xs" style={{ maxWidth: 160, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {entry.entityId}
            </Code>
          )}
        </Group>
      ),
    },
    {
      key: 'ip',
      header: 'IP',
      render: (entry) => (
        <Text size="xs" c="dimmed" ff="monospace">
          {entry.ip ?? '—'}
        </Text>
      ),
    },
  ];

  return (
    <Stack gap="lg">
      <PageHeader
        title="Audit log"
        description="Every change made in this organization — by people, API tokens, the command line or the system — with a before/after snapshot. Click an event to see exactly what changed."
      />
      <DataTable
        testId="audit-table"
        columns={columns}
        query={entries}
        list={list}
        getRowKey={(entry) => entry.id}
        searchPlaceholder="Search events…"
        onRowClick={setSelected}
        filters={
          <>
            <DebouncedTextFilter
              label="Action"
              placeholder="Action"
              value={filters.action}
              onChange={(action) => list.update({ filters: { action } })}
              testId="audit-filter-action"
            />
            <DebouncedTextFilter
              label="Entity type"
              placeholder="Entity type"
              value={filters.entityType}
              onChange={(entityType) => list.update({ filters: { entityType } })}
              testId="audit-filter-entity"
            />
            <DatePickerInput
              type="range"
              aria-label="Date range"
              placeholder="Any date"
              leftSection={<IconCalendar size={16} />}
              clearable
              allowSingleDateInRange
              valueFormat="MMM D, YYYY"
              w={250}
              value={[toDayInZone(filters.from, timeZone), toDayInZone(filters.to, timeZone)]}
              onChange={([start, end]) => {
                if (start && !end) return;
                list.update({ filters: { from: dayBoundary(start, timeZone, 'start'), to: dayBoundary(end, timeZone, 'end') } });
              }}
              data-testid="audit-filter-dates"
            />
            {filters.actorId && (
              <Badge
                size="lg"
                variant="light"
                radius="sm"
                tt="none"
                rightSection={<CloseButton size="xs" aria-label="Clear actor filter" onClick={() => list.update({ filters: { actorId: null } })} />}
              >
                Actor {filters.actorId.length > 12 ? `${filters.actorId.slice(0, 12)}…` : filters.actorId}
              </Badge>
            )}
          </>
        }
        empty={{
          title: 'No audit events yet',
          description: 'Changes to users, tokens, settings and data will be recorded here.',
          icon: <IconHistory size={22} />,
        }}
        minWidth={880}
      />
      <AuditEntryDrawer entry={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}

function DebouncedTextFilter({
  label,
  placeholder,
  value,
  onChange,
  testId,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  const [draft, setDraft] = useState(value);
  const debouncedChange = useDebouncedCallback((next: string) => onChange(next.trim()), 400);
  useEffect(() => setDraft(value), [value]);
  return (
    <TextInput
      aria-label={label}
      placeholder={placeholder}
      w={170}
      value={draft}
      onChange={(event) => {
        setDraft(event.currentTarget.value);
        debouncedChange(event.currentTarget.value);
      }}
      data-testid={testId}
    />
  );
}
