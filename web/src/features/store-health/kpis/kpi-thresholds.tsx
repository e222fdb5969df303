import { ActionIcon, Alert, Box, Button, Divider, Group, NumberInput, Paper, Select, SimpleGrid, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { fieldErrorsFrom } from '../../../lib/field-errors';
import { COMPARISON_BASES, type ComparisonBasis, type KpiDefinition, type KpiDirection, type KpiThreshold, type ThresholdRecord } from '../api-types';
import { useDeleteThreshold, useKpiThresholds, useSaveThreshold, useStores } from '../queries';
import { COMPARISON_LABELS, formatKpiValue } from '../shared/status';

const FIELDS = ['greenMin', 'yellowMin', 'redThreshold', 'comparisonBasis', 'priority', 'storeId'] as const;

function showLevel(value: number | null, basis: ComparisonBasis, unit: string): string {
  if (value === null) return '—';
  return basis === 'absolute' ? formatKpiValue(value, unit) : `${formatKpiValue(value, '%')}`;
}

/** "green ≥ 95% · red < 85% of baseline" — the yellow/red edge is yellowMin, as the evaluation reads it. */
export function describeThreshold(threshold: KpiThreshold, direction: KpiDirection, unit: string): string {
  const better = direction === 'lower_is_better' ? '≤' : '≥';
  const worse = direction === 'lower_is_better' ? '>' : '<';
  const redEdge = threshold.yellowMin ?? threshold.redThreshold;
  const suffix = threshold.comparisonBasis === 'absolute' ? '' : threshold.comparisonBasis === 'same_period_ly' ? ' of last year' : ' of 4-week baseline';
  return `green ${better} ${showLevel(threshold.greenMin, threshold.comparisonBasis, unit)} · red ${worse} ${showLevel(redEdge, threshold.comparisonBasis, unit)}${suffix}`;
}

export function KpiThresholdsEditor({ kpi, editable }: { kpi: KpiDefinition; editable: boolean }) {
  const thresholds = useKpiThresholds(kpi.id);
  const deleteThreshold = useDeleteThreshold();
  const [adding, setAdding] = useState(false);

  if (thresholds.isPending) return <Skeleton h={300} radius="md" />;
  if (thresholds.isError) return <ErrorState error={thresholds.error} title="Could not load thresholds" onRetry={() => thresholds.refetch()} />;
  const { organizationDefault, storeOverrides } = thresholds.data;

  return (
    <Stack gap="lg" data-testid="sh-thresholds-editor">
      {kpi.description && (
        <Text size="sm" c="dimmed">
          {kpi.description}
        </Text>
      )}
      <Stack gap="xs">
        <Text fw={650} size="sm">
          Organization default
        </Text>
        <ThresholdForm key={organizationDefault?.id ?? 'none'} kpi={kpi} initial={organizationDefault} storeId={null} editable={editable} />
      </Stack>
      <Divider />
      <Stack gap="xs">
        <Group justify="space-between">
          <Stack gap={0}>
            <Text fw={650} size="sm">
              Store overrides ({storeOverrides.length})
            </Text>
            <Text size="xs" c="dimmed">
              For stores that trade differently (a flagship, a store under renovation).
            </Text>
          </Stack>
          {editable && !adding && (
            <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)}>
              Add override
            </Button>
          )}
        </Group>
        {adding && (
          <Paper withBorder radius="md" p="sm">
            <ThresholdForm kpi={kpi} initial={organizationDefault} storeId="" editable onDone={() => setAdding(false)} />
          </Paper>
        )}
        {storeOverrides.length === 0 && !adding && (
          <Text size="sm" c="dimmed">
            Every store uses the organization default.
          </Text>
        )}
        {storeOverrides.length > 0 && (
          <Table verticalSpacing={6} fz="sm" data-testid="sh-threshold-overrides">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Store</Table.Th>
                <Table.Th>Threshold</Table.Th>
                <Table.Th w={40} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {storeOverrides.map((override) => (
                <Table.Tr key={override.id}>
                  <Table.Td fw={600}>{override.storeCode}</Table.Td>
                  <Table.Td>
                    {describeThreshold(override, kpi.direction, kpi.unit)} · P{override.priority}
                  </Table.Td>
                  <Table.Td>
                    {editable && (
                      <Tooltip label="Remove override (back to the default)" withArrow>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          loading={deleteThreshold.isPending && deleteThreshold.variables?.thresholdId === override.id}
                          onClick={() =>
                            deleteThreshold.mutate(
                              { kpiId: kpi.id, thresholdId: override.id },
                              {
                                onSuccess: () => notifications.show({ color: 'gray', message: `${override.storeCode} uses the organization default again.` }),
                                onError: (error) => notifications.show({ color: 'red', title: 'Could not remove the override', message: errorMessage(error) }),
                              },
                            )
                          }
                          aria-label={`Remove override for ${override.storeCode}`}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Stack>
  );
}

type Draft = { greenMin: number | ''; yellowMin: number | ''; redThreshold: number | ''; comparisonBasis: ComparisonBasis; priority: number };

/** storeId: null = organization default, '' = a new override whose store is still to be picked. */
function ThresholdForm({
  kpi,
  initial,
  storeId,
  editable,
  onDone,
}: {
  kpi: KpiDefinition;
  initial: ThresholdRecord | null;
  storeId: string | null;
  editable: boolean;
  onDone?: () => void;
}) {
  const save = useSaveThreshold();
  const [draft, setDraft] = useState<Draft>(() => ({
    greenMin: initial?.greenMin ?? '',
    yellowMin: initial?.yellowMin ?? '',
    redThreshold: initial?.redThreshold ?? initial?.yellowMin ?? '',
    comparisonBasis: initial?.comparisonBasis ?? 'rolling_4w',
    priority: initial?.priority ?? 3,
  }));
  const [store, setStore] = useState<string | null>(storeId || null);
  const [storeSearch, setStoreSearch] = useState('');
  const [q] = useDebouncedValue(storeSearch.trim(), 250);
  const stores = useStores({ q: q || undefined, limit: 50 });
  const errors = fieldErrorsFrom(save.error, FIELDS);
  const isOverride = storeId !== null;
  const relative = draft.comparisonBasis !== 'absolute';
  const lower = kpi.direction === 'lower_is_better';
  const complete = draft.greenMin !== '' && draft.yellowMin !== '' && draft.redThreshold !== '' && (!isOverride || store);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const suffix = relative ? ' %' : '';

  const handleSave = () => {
    if (!complete) return;
    save.mutate(
      {
        kpiId: kpi.id,
        input: {
          storeId: isOverride ? store : null,
          greenMin: Number(draft.greenMin),
          yellowMin: Number(draft.yellowMin),
          redThreshold: Number(draft.redThreshold),
          comparisonBasis: draft.comparisonBasis,
          priority: draft.priority,
        },
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: isOverride ? 'Store override saved.' : 'Organization threshold saved; the next evaluation uses it.' });
          onDone?.();
        },
      },
    );
  };

  return (
    <Stack gap="sm">
      {isOverride && (
        <Select
          label="Store"
          placeholder="Search a store"
          searchable
          data={(stores.data?.data ?? []).map((option) => ({ value: option.id, label: `${option.storeCode} · ${option.name}` }))}
          value={store}
          onChange={setStore}
          searchValue={storeSearch}
          onSearchChange={setStoreSearch}
          error={errors.fields.storeId}
        />
      )}
      <SimpleGrid cols={2}>
        <Select
          label="Compare"
          allowDeselect={false}
          disabled={!editable}
          value={draft.comparisonBasis}
          data={COMPARISON_BASES.map((value) => ({ value, label: COMPARISON_LABELS[value] }))}
          onChange={(value) => value && set('comparisonBasis', value as ComparisonBasis)}
          error={errors.fields.comparisonBasis}
        />
        <Select
          label="Priority"
          description="1 = most important"
          allowDeselect={false}
          disabled={!editable}
          value={String(draft.priority)}
          data={['1', '2', '3', '4', '5']}
          onChange={(value) => value && set('priority', Number(value))}
          error={errors.fields.priority}
        />
      </SimpleGrid>
      <SimpleGrid cols={3}>
        <NumberInput
          label={lower ? 'Green at most' : 'Green from'}
          suffix={suffix}
          disabled={!editable}
          value={draft.greenMin}
          onChange={(value) => set('greenMin', typeof value === 'number' ? value : '')}
          error={errors.fields.greenMin}
          decimalScale={4}
        />
        <NumberInput
          label={lower ? 'Yellow at most' : 'Yellow from'}
          description="Past this: red"
          suffix={suffix}
          disabled={!editable}
          value={draft.yellowMin}
          onChange={(value) => set('yellowMin', typeof value === 'number' ? value : '')}
          error={errors.fields.yellowMin}
          decimalScale={4}
        />
        <NumberInput
          label="Red threshold"
          description="Usually = yellow edge"
          suffix={suffix}
          disabled={!editable}
          value={draft.redThreshold}
          onChange={(value) => set('redThreshold', typeof value === 'number' ? value : '')}
          error={errors.fields.redThreshold}
          decimalScale={4}
        />
      </SimpleGrid>
      {draft.greenMin !== '' && draft.yellowMin !== '' && (
        <BandPreview green={Number(draft.greenMin)} yellow={Number(draft.yellowMin)} lower={lower} relative={relative} unit={kpi.unit} />
      )}
      {save.isError && errors.other.length + Object.keys(errors.fields).length === 0 && (
        <Alert color="red" variant="light" p="xs">
          {errorMessage(save.error)}
        </Alert>
      )}
      {errors.other.length > 0 && (
        <Alert color="red" variant="light" p="xs">
          {errors.other.join(' · ')}
        </Alert>
      )}
      {editable && (
        <Group justify="flex-end" gap="xs">
          {onDone && (
            <Button variant="default" size="xs" onClick={onDone}>
              Cancel
            </Button>
          )}
          <Button
            size="xs"
            onClick={handleSave}
            disabled={!complete}
            loading={save.isPending}
            data-testid={isOverride ? 'sh-override-save' : 'sh-threshold-save'}
          >
            {isOverride ? 'Save override' : initial ? 'Save default' : 'Set default threshold'}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The three bands on one line, so a manager sees what the numbers mean before saving. */
function BandPreview({ green, yellow, lower, relative, unit }: { green: number; yellow: number; lower: boolean; relative: boolean; unit: string }) {
  const show = (value: number) => (relative ? `${formatKpiValue(value, '%')}` : formatKpiValue(value, unit));
  const bands = lower
    ? [
        { color: 'green', label: `≤ ${show(green)}` },
        { color: 'yellow', label: `≤ ${show(yellow)}` },
        { color: 'red', label: `> ${show(yellow)}` },
      ]
    : [
        { color: 'red', label: `< ${show(yellow)}` },
        { color: 'yellow', label: `≥ ${show(yellow)}` },
        { color: 'green', label: `≥ ${show(green)}` },
      ];
  return (
    <Stack gap={4}>
      <Group gap={2} wrap="nowrap">
        {bands.map((band) => (
          <Box
            key={band.color}
            style={{
              flex: 1,
              borderRadius: 4,
              padding: '4px 6px',
              textAlign: 'center',
              background: `var(--mantine-color-${band.color}-light)`,
              color: `var(--mantine-color-${band.color}-9)`,
            }}
          >
            <Text size="xs" fw={700} inherit>
              {band.label}
            </Text>
          </Box>
        ))}
      </Group>
      <Text size="xs" c="dimmed">
        {relative ? 'Day value as % of its baseline (100 = same as the baseline).' : 'The day’s value itself.'}
        {lower ? ' Lower is better.' : ' Higher is better.'}
      </Text>
    </Stack>
  );
}
