import { ActionIcon, Alert, Badge, Button, Drawer, Group, Modal, Select, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBuildingStore, IconCalendarOff, IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { DataTable, type DataTableColumn } from '../../../components/data-table';
import { PageHeader } from '../../../components/page-header';
import { useListParams } from '../../../components/use-list-params';
import { useSession } from '../../auth/session';
import { type Store, STORE_STATUSES } from '../api-types';
import { useDeleteStore, useDistricts, useRegions, useStore, useStores } from '../queries';
import { canManage, humanize } from '../shared/status';
import { ClosuresPanel } from './closures-panel';
import { StoreForm } from './store-form';

const FILTERS = ['regionId', 'districtId', 'status', 'edit'] as const;
const STATUS_COLORS: Record<string, string> = { active: 'green', inactive: 'gray', closed: 'dark' };

export function StoresPage() {
  const me = useSession();
  const editable = canManage(me.role);
  const navigate = useNavigate();
  const [, setSearchParams] = useSearchParams();
  const list = useListParams({ defaultSort: '', filterKeys: FILTERS });
  const { edit, ...filters } = list.params.filters;
  const stores = useStores({ limit: list.params.limit, offset: list.params.offset, sort: list.params.sort, q: list.params.q, ...filters });
  const regions = useRegions();
  const districts = useDistricts();
  const editedStore = useStore(edit && edit !== 'new' ? edit : undefined);
  const [closuresOpen, setClosuresOpen] = useState(false);
  const [deleting, setDeleting] = useState<Store | null>(null);

  const openEditor = (value: string | null) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set('edit', value);
        else next.delete('edit');
        return next;
      },
      { replace: true },
    );

  const columns: DataTableColumn<Store>[] = [
    {
      key: 'code',
      header: 'Code',
      width: 90,
      sortField: 'storeCode',
      render: (store) => (
        <Text size="sm" fw={700} ff="monospace">
          {store.storeCode}
        </Text>
      ),
    },
    {
      key: 'name',
      header: 'Store',
      sortField: 'name',
      render: (store) => (
        <Stack gap={0}>
          <Text size="sm" fw={600}>
            {store.name}
          </Text>
          <Text size="xs" c="dimmed">
            {[store.city, store.state].filter(Boolean).join(', ') || '—'}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'place',
      header: 'Region / district',
      render: (store) => (
        <Stack gap={0}>
          <Text size="sm">{store.regionName ?? '—'}</Text>
          <Text size="xs" c="dimmed">
            {store.districtName ?? 'No district'}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'manager',
      header: 'Manager',
      render: (store) => (
        <Stack gap={0}>
          <Text size="sm">{store.managerName ?? '—'}</Text>
          <Text size="xs" c="dimmed">
            {store.managerPhone ?? store.phone ?? ''}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'hours',
      header: 'Open days',
      render: (store) => {
        const days = Object.values(store.openingHours ?? {}).filter((intervals) => intervals && intervals.length > 0).length;
        return (
          <Text size="sm" c={days === 0 ? 'dimmed' : undefined}>
            {days === 0 ? 'No hours set' : `${days} days / week`}
          </Text>
        );
      },
    },
    {
      key: 'status',
      header: 'Status',
      width: 100,
      sortField: 'status',
      render: (store) => (
        <Badge size="sm" variant="light" color={STATUS_COLORS[store.status] ?? 'gray'} radius="sm" tt="none">
          {humanize(store.status)}
        </Badge>
      ),
    },
    ...(editable
      ? [
          {
            key: 'actions',
            header: '',
            width: 80,
            align: 'right',
            render: (store: Store) => (
              <Group gap={2} justify="flex-end" wrap="nowrap">
                <Tooltip label="Edit" withArrow>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`Edit ${store.storeCode}`}
                    onClick={(event) => {
                      event.stopPropagation();
                      openEditor(store.id);
                    }}
                  >
                    <IconEdit size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label="Delete" withArrow>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Delete ${store.storeCode}`}
                    onClick={(event) => {
                      event.stopPropagation();
                      setDeleting(store);
                    }}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ),
          } satisfies DataTableColumn<Store>,
        ]
      : []),
  ];

  const districtOptions = (districts.data?.data ?? [])
    .filter((district) => !filters.regionId || district.regionId === filters.regionId)
    .map((district) => ({ value: district.id, label: district.name }));
  const editing = edit === 'new' ? null : (editedStore.data ?? null);

  return (
    <Stack gap="lg">
      <PageHeader
        title="Stores"
        description="Every store with its place in the chain, contacts and opening hours. Click a store for its health page."
        actions={
          <>
            <Button variant="default" leftSection={<IconCalendarOff size={16} />} onClick={() => setClosuresOpen(true)}>
              Holidays & closures
            </Button>
            {editable && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => openEditor('new')} data-testid="sh-store-new">
                New store
              </Button>
            )}
          </>
        }
      />
      <DataTable
        testId="sh-stores-table"
        columns={columns}
        query={stores}
        list={list}
        getRowKey={(store) => store.id}
        searchPlaceholder="Search code, name, city…"
        onRowClick={(store) => navigate(`/store-health/stores/${store.id}`)}
        filters={
          <>
            <Select
              aria-label="Region"
              placeholder="Any region"
              clearable
              w={170}
              value={filters.regionId || null}
              data={(regions.data?.data ?? []).map((region) => ({ value: region.id, label: region.name }))}
              onChange={(regionId) => list.update({ filters: { regionId, districtId: null } })}
            />
            <Select
              aria-label="District"
              placeholder="Any district"
              clearable
              searchable
              w={170}
              value={filters.districtId || null}
              data={districtOptions}
              onChange={(districtId) => list.update({ filters: { districtId } })}
            />
            <Select
              aria-label="Status"
              placeholder="Any status"
              clearable
              w={140}
              value={filters.status || null}
              data={STORE_STATUSES.map((value) => ({ value, label: humanize(value) }))}
              onChange={(status) => list.update({ filters: { status } })}
            />
          </>
        }
        empty={{ title: 'No stores yet', description: 'Import a stores file or add one.', icon: <IconBuildingStore size={22} /> }}
      />

      <Drawer
        opened={Boolean(edit) && editable}
        onClose={() => openEditor(null)}
        position="right"
        size={640}
        title={<Text fw={700}>{edit === 'new' ? 'New store' : editing ? `Edit ${editing.storeCode} · ${editing.name}` : 'Edit store'}</Text>}
      >
        {edit === 'new' || editing ? (
          <StoreForm key={editing?.id ?? 'new'} store={editing} onDone={() => openEditor(null)} />
        ) : editedStore.isError ? (
          <Alert color="red" variant="light">
            {errorMessage(editedStore.error)}
          </Alert>
        ) : (
          <Skeleton h={400} />
        )}
      </Drawer>

      <Drawer opened={closuresOpen} onClose={() => setClosuresOpen(false)} position="right" size={620} title={<Text fw={700}>Holidays & closures</Text>}>
        <ClosuresPanel storeId={null} editable={editable} />
      </Drawer>

      {deleting && <DeleteStoreDialog store={deleting} onClose={() => setDeleting(null)} />}
    </Stack>
  );
}

function DeleteStoreDialog({ store, onClose }: { store: Store; onClose: () => void }) {
  const deleteStore = useDeleteStore();
  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>Delete {store.storeCode}?</Text>}>
      <Stack gap="md">
        <Text size="sm">
          Deleting {store.name} removes its metrics, snapshots, alerts, tasks and calls. To stop rating a store but keep its history, set its status to inactive
          or closed instead.
        </Text>
        {deleteStore.isError && (
          <Alert color="red" variant="light">
            {errorMessage(deleteStore.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={deleteStore.isPending}
            onClick={() =>
              deleteStore.mutate(store.id, {
                onSuccess: () => {
                  notifications.show({ color: 'gray', message: `${store.storeCode} deleted.` });
                  onClose();
                },
              })
            }
          >
            Delete store
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
