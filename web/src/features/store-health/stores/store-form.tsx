import { Alert, Button, Divider, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../../../api';
import { fieldErrorsFrom } from '../../../lib/field-errors';
import { useSession } from '../../auth/session';
import { type Store, type StoreInput, STORE_STATUSES, type StoreStatus } from '../api-types';
import { useDistricts, useRegions, useSaveStore } from '../queries';
import { humanize } from '../shared/status';
import { ClosuresPanel } from './closures-panel';
import { OpeningHoursEditor } from './opening-hours-editor';

const FIELDS = [
  'storeCode',
  'name',
  'address',
  'city',
  'state',
  'zipCode',
  'timezone',
  'phone',
  'managerName',
  'managerPhone',
  'managerEmail',
  'regionId',
  'districtId',
  'status',
] as const;

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

const blankToNull = (value: string | null) => (value === null || value.trim() === '' ? null : value.trim());

export function StoreForm({ store, onDone }: { store: Store | null; onDone: (saved?: Store) => void }) {
  const me = useSession();
  const save = useSaveStore();
  const regions = useRegions();
  const districts = useDistricts();
  const zones = useMemo(timeZones, []);
  const [form, setForm] = useState<StoreInput>(() => ({
    storeCode: store?.storeCode ?? '',
    name: store?.name ?? '',
    address: store?.address ?? '',
    city: store?.city ?? '',
    state: store?.state ?? '',
    zipCode: store?.zipCode ?? '',
    timezone: store?.timezone ?? me.organization.timezone,
    phone: store?.phone ?? '',
    managerName: store?.managerName ?? '',
    managerPhone: store?.managerPhone ?? '',
    managerEmail: store?.managerEmail ?? '',
    regionId: store?.regionId ?? null,
    districtId: store?.districtId ?? null,
    status: store?.status ?? 'active',
    openingHours: store?.openingHours ?? {},
  }));
  const set = <K extends keyof StoreInput>(key: K, value: StoreInput[K]) => setForm((current) => ({ ...current, [key]: value }));
  const errors = fieldErrorsFrom(save.error, FIELDS);
  const hoursIssues = save.error instanceof ApiError ? save.error.validationIssues.filter((issue) => issue.path.includes('openingHours')) : [];
  const otherErrors = errors.other.filter((message) => !message.includes('openingHours'));
  const districtOptions = (districts.data?.data ?? [])
    .filter((district) => !form.regionId || district.regionId === form.regionId)
    .map((district) => ({ value: district.id, label: district.name }));

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const input: StoreInput = {
      ...form,
      storeCode: form.storeCode.trim(),
      name: form.name.trim(),
      address: blankToNull(form.address),
      city: blankToNull(form.city),
      state: blankToNull(form.state),
      zipCode: blankToNull(form.zipCode),
      phone: blankToNull(form.phone),
      managerName: blankToNull(form.managerName),
      managerPhone: blankToNull(form.managerPhone),
      managerEmail: blankToNull(form.managerEmail),
    };
    save.mutate(
      { id: store?.id ?? null, input },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: store ? `${input.storeCode} saved.` : `${input.storeCode} created.` });
          onDone(saved);
        },
      },
    );
  };

  const text = (
    key: Exclude<(typeof FIELDS)[number], 'regionId' | 'districtId' | 'status' | 'timezone'>,
    label: string,
    props: { required?: boolean; placeholder?: string } = {},
  ) => (
    <TextInput
      label={label}
      value={(form[key] as string | null) ?? ''}
      onChange={(event) => set(key, event.currentTarget.value)}
      error={errors.fields[key]}
      {...props}
    />
  );

  return (
    <Stack gap="lg">
      <form onSubmit={handleSubmit} data-testid="sh-store-form">
        <Stack gap="md">
          <SimpleGrid cols={3}>
            {text('storeCode', 'Store code', { required: true, placeholder: 'S001' })}
            <div style={{ gridColumn: 'span 2' }}>{text('name', 'Name', { required: true, placeholder: 'Downtown Seattle' })}</div>
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <Select
              label="Status"
              allowDeselect={false}
              value={form.status}
              data={STORE_STATUSES.map((value) => ({ value, label: humanize(value) }))}
              onChange={(value) => value && set('status', value as StoreStatus)}
              error={errors.fields.status}
            />
            <Select
              label="Time zone"
              searchable
              allowDeselect={false}
              value={form.timezone}
              data={zones.length > 0 ? zones : [form.timezone]}
              onChange={(value) => value && set('timezone', value)}
              error={errors.fields.timezone}
            />
          </SimpleGrid>
          <Divider label="Place in the chain" labelPosition="left" />
          <SimpleGrid cols={2}>
            <Select
              label="Region"
              clearable
              searchable
              value={form.regionId}
              data={(regions.data?.data ?? []).map((region) => ({ value: region.id, label: region.name }))}
              onChange={(value) => setForm((current) => ({ ...current, regionId: value, districtId: null }))}
              error={errors.fields.regionId}
            />
            <Select
              label="District"
              description="Decides who gets escalations at level 1"
              clearable
              searchable
              value={form.districtId}
              data={districtOptions}
              onChange={(value) => {
                const district = districts.data?.data.find((item) => item.id === value);
                setForm((current) => ({ ...current, districtId: value, regionId: district?.regionId ?? current.regionId }));
              }}
              error={errors.fields.districtId}
            />
          </SimpleGrid>
          <Divider label="Address" labelPosition="left" />
          {text('address', 'Street')}
          <SimpleGrid cols={3}>
            {text('city', 'City')}
            {text('state', 'State')}
            {text('zipCode', 'ZIP')}
          </SimpleGrid>
          <Divider label="Contacts (called by the AI assistant)" labelPosition="left" />
          <SimpleGrid cols={2}>
            {text('phone', 'Store phone')}
            {text('managerName', 'Store manager')}
            {text('managerPhone', 'Manager phone')}
            {text('managerEmail', 'Manager email')}
          </SimpleGrid>
          <Divider />
          <OpeningHoursEditor
            value={form.openingHours}
            onChange={(hours) => set('openingHours', hours)}
            error={hoursIssues.map((issue) => issue.message).join(' ') || undefined}
          />
          <Text size="xs" c="dimmed">
            SLA clocks and call windows count only opening hours, and closed days are never red.
          </Text>
          {save.isError && (otherErrors.length > 0 || (Object.keys(errors.fields).length === 0 && hoursIssues.length === 0)) && (
            <Alert color="red" variant="light" p="xs">
              {otherErrors.length > 0 ? otherErrors.join(' · ') : errorMessage(save.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onDone()}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="sh-store-save">
              {store ? 'Save store' : 'Create store'}
            </Button>
          </Group>
        </Stack>
      </form>
      {store && (
        <>
          <Divider />
          <ClosuresPanel storeId={store.id} editable />
        </>
      )}
    </Stack>
  );
}
