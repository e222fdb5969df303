import { Alert, Autocomplete, Button, Group, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../../api';
import { fieldErrorsFrom } from '../../../lib/field-errors';
import type { KpiDefinition, KpiDefinitionInput, KpiDirection } from '../api-types';
import { useSaveKpi } from '../queries';
import { humanize } from '../shared/status';

const FIELDS = ['kpiCode', 'name', 'description', 'unit', 'calculationMethod', 'category', 'direction', 'isActive'] as const;
const CATEGORIES = ['sales', 'labor', 'inventory', 'hr', 'customer', 'operations'];
const METHODS = ['sum', 'average', 'ratio', 'count', 'latest', 'derived'];
const UNITS = ['%', '$', 'count', 'ratio', 'hours', 'days'];

export function KpiForm({ kpi, onDone }: { kpi: KpiDefinition | null; onDone: () => void }) {
  const save = useSaveKpi();
  const [form, setForm] = useState<KpiDefinitionInput>(() => ({
    kpiCode: kpi?.kpiCode ?? '',
    name: kpi?.name ?? '',
    description: kpi?.description ?? '',
    unit: kpi?.unit ?? '',
    calculationMethod: kpi?.calculationMethod ?? 'sum',
    category: kpi?.category ?? 'sales',
    direction: kpi?.direction ?? 'higher_is_better',
    isActive: kpi?.isActive ?? true,
  }));
  const set = <K extends keyof KpiDefinitionInput>(key: K, value: KpiDefinitionInput[K]) => setForm((current) => ({ ...current, [key]: value }));
  const errors = fieldErrorsFrom(save.error, FIELDS);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const input = { ...form, kpiCode: form.kpiCode.trim(), name: form.name.trim(), unit: form.unit.trim(), description: form.description?.trim() || null };
    save.mutate(
      { id: kpi?.id ?? null, input },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: kpi ? `${input.name} saved.` : `${input.name} created. Set its threshold to rate stores on it.` });
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="md">
        <SimpleGrid cols={2}>
          <TextInput
            label="Code"
            description="Used in imports (kpi_code)"
            required
            ff="monospace"
            value={form.kpiCode}
            onChange={(event) => set('kpiCode', event.currentTarget.value)}
            error={errors.fields.kpiCode}
            placeholder="conversion_rate"
          />
          <TextInput
            label="Name"
            required
            value={form.name}
            onChange={(event) => set('name', event.currentTarget.value)}
            error={errors.fields.name}
            placeholder="Conversion rate"
          />
        </SimpleGrid>
        <Textarea
          label="Description"
          autosize
          minRows={2}
          value={form.description ?? ''}
          onChange={(event) => set('description', event.currentTarget.value)}
          error={errors.fields.description}
        />
        <SimpleGrid cols={3}>
          <Autocomplete label="Unit" required data={UNITS} value={form.unit} onChange={(value) => set('unit', value)} error={errors.fields.unit} />
          <Select
            label="Category"
            allowDeselect={false}
            data={CATEGORIES.map((value) => ({ value, label: humanize(value) }))}
            value={form.category}
            onChange={(value) => value && set('category', value)}
            error={errors.fields.category}
          />
          <Select
            label="Calculation"
            allowDeselect={false}
            data={METHODS.map((value) => ({ value, label: humanize(value) }))}
            value={form.calculationMethod}
            onChange={(value) => value && set('calculationMethod', value)}
            error={errors.fields.calculationMethod}
          />
        </SimpleGrid>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Direction
          </Text>
          <SegmentedControl
            value={form.direction}
            onChange={(value) => set('direction', value as KpiDirection)}
            data={[
              { value: 'higher_is_better', label: '↑ Higher is better (sales)' },
              { value: 'lower_is_better', label: '↓ Lower is better (shrink)' },
            ]}
          />
          {kpi && kpi.direction !== form.direction && (
            <Text size="xs" c="orange.8">
              Flipping the direction reverses what its thresholds mean; the server refuses while thresholds would read backwards.
            </Text>
          )}
        </Stack>
        <Switch label="Active (evaluated every day)" checked={form.isActive} onChange={(event) => set('isActive', event.currentTarget.checked)} />
        {save.isError && (errors.other.length > 0 || Object.keys(errors.fields).length === 0) && (
          <Alert color="red" variant="light" p="xs">
            {errors.other.length > 0 ? errors.other.join(' · ') : errorMessage(save.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {kpi ? 'Save KPI' : 'Create KPI'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
