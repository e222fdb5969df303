import {
  ActionIcon,
  Box,
  Button,
  Center,
  CloseButton,
  EmptyState,
  Group,
  Loader,
  Pagination,
  Paper,
  Select,
  Skeleton,
  Table,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconChevronUp, IconInbox, IconSearch, IconSelector } from '@tabler/icons-react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Fragment, type ReactNode, useEffect, useState } from 'react';
import type { ListResponse } from '../api-types';
import { formatNumber } from '../lib/format';
import { ErrorState } from './error-state';
import { PAGE_SIZES, type ListController } from './use-list-params';

export type DataTableColumn<T> = {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  /** API sort field; the column is sortable when set. */
  sortField?: string;
  width?: number | string;
  align?: 'left' | 'center' | 'right';
};

type DataTableProps<T, Filter extends string> = {
  testId: string;
  columns: DataTableColumn<T>[];
  query: UseQueryResult<ListResponse<T>>;
  list: ListController<Filter>;
  getRowKey: (row: T) => string;
  searchPlaceholder?: string;
  /** Extra filter controls rendered next to the search box. */
  filters?: ReactNode;
  empty: { title: string; description?: ReactNode; icon?: ReactNode; action?: ReactNode };
  onRowClick?: (row: T) => void;
  expandable?: { isExpandable: (row: T) => boolean; render: (row: T) => ReactNode };
  minWidth?: number;
};

const SKELETON_ROWS = 6;

export function DataTable<T, Filter extends string = never>({
  testId,
  columns,
  query,
  list,
  getRowKey,
  searchPlaceholder = 'Search…',
  filters,
  empty,
  onRowClick,
  expandable,
  minWidth = 760,
}: DataTableProps<T, Filter>) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const rows = query.data?.data ?? [];
  const page = query.data?.page;
  const total = page?.total ?? 0;
  const columnCount = columns.length + (expandable ? 1 : 0);

  const toggleExpanded = (key: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const handleRowClick = (row: T) => {
    if (onRowClick) onRowClick(row);
    else if (expandable?.isExpandable(row)) toggleExpanded(getRowKey(row));
  };
  const rowsAreClickable = Boolean(onRowClick || expandable);

  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Group justify="space-between" gap="sm" p="sm" wrap="wrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
        <Group gap="sm" wrap="wrap" style={{ flex: 1 }}>
          <SearchBox value={list.params.q} placeholder={searchPlaceholder} onSearch={(q) => list.update({ q })} testId={`${testId}-search`} />
          {filters}
        </Group>
        <Group gap="xs">
          {query.isFetching && !query.isPending && <Loader size="xs" type="dots" aria-label="Refreshing" />}
          {list.hasActiveFilters && (
            <Button variant="subtle" size="xs" color="gray" onClick={list.reset}>
              Clear filters
            </Button>
          )}
        </Group>
      </Group>

      <Table.ScrollContainer minWidth={minWidth} type="native">
        <Table
          data-testid={testId}
          verticalSpacing="sm"
          horizontalSpacing="md"
          highlightOnHover={rowsAreClickable && rows.length > 0}
          style={{ opacity: query.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}
        >
          <Table.Thead bg="gray.0">
            <Table.Tr>
              {expandable && <Table.Th w={40} />}
              {columns.map((column) => (
                <HeaderCell key={column.key} column={column} sort={list.params.sort} onSort={(sort) => list.update({ sort })} />
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {query.isPending &&
              Array.from({ length: SKELETON_ROWS }, (_, index) => (
                <Table.Tr key={`skeleton-${index}`} data-testid={`${testId}-skeleton`}>
                  {Array.from({ length: columnCount }, (_, cell) => (
                    <Table.Td key={cell}>
                      <Skeleton h={14} radius="sm" w={cell === 0 ? '70%' : '55%'} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}

            {query.isError && !query.data && (
              <Table.Tr>
                <Table.Td colSpan={columnCount} p="md">
                  <ErrorState error={query.error} title="Could not load this list" onRetry={() => query.refetch()} />
                </Table.Td>
              </Table.Tr>
            )}

            {query.isSuccess && rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={columnCount}>
                  <Center py={48} data-testid={`${testId}-empty`}>
                    {list.hasActiveFilters ? (
                      <EmptyState icon={<IconSearch size={22} />} title="No matches" description="Nothing matches the current search and filters." size="sm">
                        <Button variant="light" size="xs" onClick={list.reset}>
                          Clear filters
                        </Button>
                      </EmptyState>
                    ) : (
                      <EmptyState icon={empty.icon ?? <IconInbox size={22} />} title={empty.title} description={empty.description} size="sm">
                        {empty.action}
                      </EmptyState>
                    )}
                  </Center>
                </Table.Td>
              </Table.Tr>
            )}

            {rows.map((row) => {
              const key = getRowKey(row);
              const canExpand = expandable?.isExpandable(row) ?? false;
              const isExpanded = canExpand && expanded.has(key);
              return (
                <Fragment key={key}>
                  <Table.Tr
                    data-testid={`${testId}-row`}
                    data-row-id={key}
                    onClick={rowsAreClickable ? () => handleRowClick(row) : undefined}
                    style={{ cursor: onRowClick || canExpand ? 'pointer' : undefined }}
                  >
                    {expandable && (
                      <Table.Td w={40} pr={0}>
                        {canExpand && (
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            size="sm"
                            aria-label={isExpanded ? 'Collapse row' : 'Expand row'}
                            aria-expanded={isExpanded}
                            onClick={(event) => {
                              event.stopPropagation();
                              toggleExpanded(key);
                            }}
                          >
                            {isExpanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                          </ActionIcon>
                        )}
                      </Table.Td>
                    )}
                    {columns.map((column) => (
                      <Table.Td key={column.key} ta={column.align} w={column.width}>
                        {column.render(row)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                  {isExpanded && expandable && (
                    <Table.Tr data-testid={`${testId}-expanded`}>
                      <Table.Td colSpan={columnCount} bg="gray.0" p="md">
                        {expandable.render(row)}
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <PaginationBar list={list} total={total} shown={rows.length} loading={query.isPending} testId={testId} />
    </Paper>
  );
}

function HeaderCell<T>({ column, sort, onSort }: { column: DataTableColumn<T>; sort: string; onSort: (sort: string) => void }) {
  const field = column.sortField;
  if (!field) {
    return (
      <Table.Th ta={column.align} w={column.width}>
        <HeaderLabel>{column.header}</HeaderLabel>
      </Table.Th>
    );
  }
  const direction = sort === field ? 'asc' : sort === `-${field}` ? 'desc' : null;
  const Icon = direction === 'asc' ? IconChevronUp : direction === 'desc' ? IconChevronDown : IconSelector;
  // First click sorts ascending, second descending.
  const nextSort = direction === 'asc' ? `-${field}` : field;
  return (
    <Table.Th ta={column.align} w={column.width} aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'}>
      <UnstyledButton onClick={() => onSort(nextSort)} data-testid={`sort-${field}`}>
        <Group gap={4} wrap="nowrap" justify={column.align === 'right' ? 'flex-end' : 'flex-start'}>
          <HeaderLabel active={direction !== null}>{column.header}</HeaderLabel>
          <Icon size={14} stroke={1.8} color={direction ? 'var(--mantine-color-indigo-6)' : 'var(--mantine-color-gray-5)'} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

function HeaderLabel({ children, active = false }: { children: ReactNode; active?: boolean }) {
  return (
    <Text span fz={12} fw={600} tt="uppercase" c={active ? 'indigo.7' : 'gray.6'} style={{ letterSpacing: 0.4, whiteSpace: 'nowrap' }}>
      {children}
    </Text>
  );
}

function SearchBox({ value, placeholder, onSearch, testId }: { value: string; placeholder: string; onSearch: (q: string) => void; testId: string }) {
  const [draft, setDraft] = useState(value);
  const debouncedSearch = useDebouncedCallback((q: string) => onSearch(q.trim()), 300);

  // Keep the box in sync when the URL changes from elsewhere (e.g. "Clear filters").
  useEffect(() => setDraft(value), [value]);

  return (
    <TextInput
      aria-label="Search"
      placeholder={placeholder}
      leftSection={<IconSearch size={16} />}
      value={draft}
      w={{ base: '100%', sm: 280 }}
      onChange={(event) => {
        setDraft(event.currentTarget.value);
        debouncedSearch(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onSearch(draft.trim());
      }}
      rightSection={
        draft ? (
          <CloseButton
            size="sm"
            aria-label="Clear search"
            onClick={() => {
              setDraft('');
              onSearch('');
            }}
          />
        ) : null
      }
      data-testid={testId}
    />
  );
}

function PaginationBar<Filter extends string>({
  list,
  total,
  shown,
  loading,
  testId,
}: {
  list: ListController<Filter>;
  total: number;
  shown: number;
  loading: boolean;
  testId: string;
}) {
  const { limit, offset } = list.params;
  const pageCount = Math.max(1, Math.ceil(total / limit));
  const currentPage = Math.min(pageCount, Math.floor(offset / limit) + 1);
  const from = shown === 0 ? 0 : offset + 1;
  const to = offset + shown;

  return (
    <Group justify="space-between" p="sm" gap="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} data-testid={`${testId}-pagination`}>
      <Group gap="sm">
        <Text size="sm" c="dimmed">
          {loading ? 'Loading…' : total === 0 ? 'No results' : `${formatNumber(from)}–${formatNumber(to)} of ${formatNumber(total)}`}
        </Text>
        <Box visibleFrom="sm">
          <Select
            aria-label="Rows per page"
            size="xs"
            w={110}
            allowDeselect={false}
            value={String(limit)}
            data={PAGE_SIZES.map((size) => ({ value: String(size), label: `${size} / page` }))}
            onChange={(value) => value && list.update({ limit: Number(value) })}
          />
        </Box>
      </Group>
      <Pagination
        size="sm"
        total={pageCount}
        value={currentPage}
        onChange={(pageNumber) => list.update({ offset: (pageNumber - 1) * limit })}
        hideWithOnePage
      />
    </Group>
  );
}
