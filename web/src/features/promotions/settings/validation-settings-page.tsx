import { ActionIcon, Alert, Button, Group, NumberInput, Select, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconLock, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { fieldErrorsFrom } from '../../../lib/field-errors';
import { useSession } from '../../auth/session';
import { useSalesSummary, useSaveValidationSettings, useValidationSettings, type ValidationSettings } from '../queries';
import { canManage } from '../shared/format';
import { Panel } from '../shared/ui';

type NumberField = {
  key: keyof ValidationSettings;
  label: string;
  description: string;
  min: number;
  max: number;
  step?: number;
  suffix?: string;
  decimals?: number;
};

const RULES: { title: string; description: string; fields: NumberField[] }[] = [
  {
    title: 'Margin',
    description: 'A scenario, and each of its department × channel lines, must keep this margin.',
    fields: [
      { key: 'marginFloorPct', label: 'Margin floor', description: 'Below it: BLOCK', min: 0, max: 100, suffix: ' %', decimals: 1 },
      {
        key: 'marginWarnBandPts',
        label: 'Warn band',
        description: 'Points above the floor that still get a note',
        min: 0,
        max: 50,
        suffix: ' pt',
        decimals: 1,
      },
    ],
  },
  {
    title: 'Discounts and overlaps',
    description: 'How deep a discount may go, and how close two promotions on the same department may run.',
    fields: [
      { key: 'maxDiscountPct', label: 'Maximum discount', description: 'Above it: BLOCK', min: 0, max: 100, suffix: ' %', decimals: 1 },
      { key: 'overlapMinGapDays', label: 'Days between promotions', description: '0: only true overlaps count', min: 0, max: 90, suffix: ' d' },
    ],
  },
  {
    title: 'Cannibalisation and target',
    description: 'When neighbouring departments discounted together are a risk, and how much of the gap a plan should close.',
    fields: [
      {
        key: 'cannibalizationMinDiscountPct',
        label: 'Neighbours both discounted from',
        description: 'Discount that makes two neighbours a risk',
        min: 0,
        max: 100,
        suffix: ' %',
        decimals: 1,
      },
      {
        key: 'cannibalizationMaxLearnedPct',
        label: 'Learned cannibalisation above',
        description: '% of incremental sales lost by neighbours',
        min: 0,
        max: 1000,
        suffix: ' %',
        decimals: 1,
      },
      {
        key: 'minGapClosurePct',
        label: 'Target gap to close',
        description: 'Share of the opportunity gap a scenario should close',
        min: 0,
        max: 1000,
        suffix: ' %',
        decimals: 0,
      },
      { key: 'minConfidence', label: 'Minimum confidence', description: 'Uplift coefficients below it are flagged', min: 0, max: 1, step: 0.05, decimals: 2 },
    ],
  },
  {
    title: 'Post-mortems and learning',
    description: 'What counts as a cannibalisation signal after a promotion, and how fast the uplift model learns.',
    fields: [
      {
        key: 'cannibalizationSignalPct',
        label: 'Neighbour drop signal',
        description: '% below baseline during the promotion',
        min: 0,
        max: 100,
        suffix: ' %',
        decimals: 1,
      },
      {
        key: 'learningWeightPerDay',
        label: 'Weight per promo day',
        description: 'Observation weight of each day',
        min: 0.01,
        max: 100,
        step: 0.5,
        decimals: 2,
      },
      { key: 'learningPriorSampleCap', label: 'Prior sample cap', description: 'Most days the previous value counts for', min: 1, max: 10_000 },
    ],
  },
];

type Overrides = { department: string; marginFloor: number | null; maxDiscount: number | null }[];

function overridesOf(settings: ValidationSettings): Overrides {
  const departments = [...new Set([...Object.keys(settings.marginFloorPctByDepartment), ...Object.keys(settings.maxDiscountPctByDepartment)])].sort();
  return departments.map((department) => ({
    department,
    marginFloor: settings.marginFloorPctByDepartment[department] ?? null,
    maxDiscount: settings.maxDiscountPctByDepartment[department] ?? null,
  }));
}

export function ValidationSettingsPage() {
  const me = useSession();
  const editable = canManage(me.role);
  const settings = useValidationSettings();
  const save = useSaveValidationSettings();
  const summary = useSalesSummary();
  const [form, setForm] = useState<ValidationSettings | null>(null);
  const [overrides, setOverrides] = useState<Overrides>([]);

  useEffect(() => {
    if (settings.data) {
      setForm(settings.data);
      setOverrides(overridesOf(settings.data));
    }
  }, [settings.data]);

  const errors = fieldErrorsFrom(
    save.error,
    RULES.flatMap((rule) => rule.fields.map((field) => field.key)),
  );
  const departments = summary.data?.departments ?? [];
  const dirty = Boolean(
    settings.data &&
    form &&
    (JSON.stringify(form) !== JSON.stringify(settings.data) || JSON.stringify(overrides) !== JSON.stringify(overridesOf(settings.data))),
  );

  const handleSave = () => {
    if (!form) return;
    const marginFloorPctByDepartment: Record<string, number> = {};
    const maxDiscountPctByDepartment: Record<string, number> = {};
    for (const row of overrides) {
      if (!row.department) continue;
      if (row.marginFloor !== null) marginFloorPctByDepartment[row.department] = row.marginFloor;
      if (row.maxDiscount !== null) maxDiscountPctByDepartment[row.department] = row.maxDiscount;
    }
    const patch: Partial<ValidationSettings> = { marginFloorPctByDepartment, maxDiscountPctByDepartment };
    for (const rule of RULES) for (const field of rule.fields) (patch as Record<string, unknown>)[field.key] = form[field.key];
    save.mutate(patch, {
      onSuccess: () => notifications.show({ color: 'green', title: 'Validation rules saved', message: 'They apply to the next validation of every scenario.' }),
    });
  };

  return (
    <Stack gap="lg" data-testid="pr-settings-page">
      <PageHeader
        title="Validation rules"
        description="The thresholds behind PASS, WARN and BLOCK, for this organization. Changing them does not touch existing reports: validate a scenario again to apply them."
        actions={
          editable ? (
            <Button leftSection={<IconDeviceFloppy size={16} />} onClick={handleSave} loading={save.isPending} disabled={!dirty} data-testid="pr-settings-save">
              Save rules
            </Button>
          ) : undefined
        }
      />
      {!editable && (
        <Alert color="orange" variant="light" icon={<IconLock size={18} />}>
          Your role ({me.role}) can read the rules; managers and admins change them.
        </Alert>
      )}
      {save.isError && (
        <Alert color="red" variant="light" title="The rules were not saved">
          {errorMessage(save.error)}
          {errors.other.length > 0 ? ` ${errors.other.join('; ')}` : ''}
        </Alert>
      )}
      {settings.isError && <ErrorState error={settings.error} title="Could not load the validation rules" onRetry={() => settings.refetch()} />}
      {(settings.isPending || !form) && !settings.isError && <Skeleton h={480} radius="md" />}
      {form && (
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {RULES.map((rule) => (
              <Panel key={rule.title} title={rule.title} description={rule.description}>
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                  {rule.fields.map((field) => (
                    <NumberInput
                      key={field.key}
                      label={field.label}
                      description={field.description}
                      min={field.min}
                      max={field.max}
                      step={field.step ?? 1}
                      decimalScale={field.decimals ?? 0}
                      suffix={field.suffix}
                      value={form[field.key] as number}
                      onChange={(value) => setForm({ ...form, [field.key]: typeof value === 'number' ? value : Number(value) || 0 })}
                      readOnly={!editable}
                      error={errors.fields[field.key]}
                      data-testid={`pr-setting-${field.key}`}
                    />
                  ))}
                </SimpleGrid>
              </Panel>
            ))}
          </SimpleGrid>
          <Panel
            title="Per-department overrides"
            description="A department with a different margin floor or maximum discount (e.g. a loss leader, or a category the supplier funds). Empty means the general rule."
            actions={
              editable ? (
                <Button
                  size="xs"
                  variant="subtle"
                  leftSection={<IconPlus size={14} />}
                  onClick={() =>
                    setOverrides([
                      ...overrides,
                      { department: departments.find((d) => !overrides.some((row) => row.department === d)) ?? '', marginFloor: null, maxDiscount: null },
                    ])
                  }
                >
                  Add department
                </Button>
              ) : undefined
            }
          >
            {overrides.length === 0 ? (
              <Text size="sm" c="dimmed">
                No overrides: every department follows the general rules.
              </Text>
            ) : (
              <Table verticalSpacing={6}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Department</Table.Th>
                    <Table.Th>Margin floor</Table.Th>
                    <Table.Th>Maximum discount</Table.Th>
                    <Table.Th w={40} />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {overrides.map((row, index) => {
                    const update = (patch: Partial<Overrides[number]>) => setOverrides(overrides.map((r, i) => (i === index ? { ...r, ...patch } : r)));
                    return (
                      <Table.Tr key={index}>
                        <Table.Td>
                          <Select
                            size="xs"
                            data={[...new Set([...departments, row.department].filter(Boolean))]}
                            value={row.department || null}
                            onChange={(value) => update({ department: value ?? '' })}
                            searchable
                            readOnly={!editable}
                            aria-label="Department"
                          />
                        </Table.Td>
                        <Table.Td>
                          <NumberInput
                            size="xs"
                            min={0}
                            max={100}
                            suffix=" %"
                            placeholder={`${form.marginFloorPct} % (general)`}
                            value={row.marginFloor ?? ''}
                            onChange={(value) => update({ marginFloor: typeof value === 'number' ? value : null })}
                            readOnly={!editable}
                            aria-label="Margin floor"
                          />
                        </Table.Td>
                        <Table.Td>
                          <NumberInput
                            size="xs"
                            min={0}
                            max={100}
                            suffix=" %"
                            placeholder={`${form.maxDiscountPct} % (general)`}
                            value={row.maxDiscount ?? ''}
                            onChange={(value) => update({ maxDiscount: typeof value === 'number' ? value : null })}
                            readOnly={!editable}
                            aria-label="Maximum discount"
                          />
                        </Table.Td>
                        <Table.Td>
                          {editable && (
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              aria-label="Remove override"
                              onClick={() => setOverrides(overrides.filter((_, i) => i !== index))}
                            >
                              <IconTrash size={16} />
                            </ActionIcon>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
          </Panel>
          <Group justify="flex-end">
            <Text size="xs" c="dimmed">
              Neighbour groups and the prior's sample size keep their current values ({form.neighbourDepartments.length} group
              {form.neighbourDepartments.length === 1 ? '' : 's'} configured).
            </Text>
          </Group>
        </>
      )}
    </Stack>
  );
}
