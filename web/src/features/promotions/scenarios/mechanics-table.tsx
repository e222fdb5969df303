import { ActionIcon, Button, Group, MultiSelect, NumberInput, Select, Slider, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { Channel, Mechanic, MechanicForecast } from '../api-types';
import { formatMoney, formatSignedPct } from '../shared/format';

export function MechanicsTable({
  mechanics,
  onChange,
  departments,
  segments,
  forecasts,
  readOnly,
}: {
  mechanics: Mechanic[];
  onChange: (next: Mechanic[]) => void;
  departments: string[];
  segments: { value: string; label: string }[];
  forecasts: MechanicForecast[] | undefined;
  readOnly: boolean;
}) {
  const update = (index: number, patch: Partial<Mechanic>) => onChange(mechanics.map((mechanic, i) => (i === index ? { ...mechanic, ...patch } : mechanic)));
  const remove = (index: number) => onChange(mechanics.filter((_, i) => i !== index));
  const add = () => {
    const last = mechanics[mechanics.length - 1];
    onChange([
      ...mechanics,
      {
        department: last?.department ?? departments[0] ?? '',
        channel: last?.channel === 'online' ? 'offline' : 'online',
        discount_pct: last?.discount_pct ?? 15,
        segments: ['ALL'],
        notes: '',
      },
    ]);
  };
  const departmentOptions = [...new Set([...departments, ...mechanics.map((mechanic) => mechanic.department).filter(Boolean)])];
  const segmentOptions = [{ value: 'ALL', label: 'All customers' }, ...segments.filter((segment) => segment.value !== 'ALL')];

  return (
    <>
      <Table.ScrollContainer minWidth={1000} type="native">
        <Table verticalSpacing={6} horizontalSpacing="xs" data-testid="pr-mechanics-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={160}>Department</Table.Th>
              <Table.Th w={105}>Channel</Table.Th>
              <Table.Th w={230}>Discount</Table.Th>
              <Table.Th w={200}>Segments</Table.Th>
              <Table.Th miw={140}>Notes</Table.Th>
              <Table.Th w={130} ta="right">
                Forecast
              </Table.Th>
              <Table.Th w={36} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mechanics.map((mechanic, index) => {
              const forecast = forecasts?.find((line) => line.index === index);
              return (
                <Table.Tr key={index} data-testid={`pr-mechanic-${index}`}>
                  <Table.Td>
                    <Select
                      size="xs"
                      data={departmentOptions}
                      value={mechanic.department || null}
                      onChange={(value) => update(index, { department: value ?? '' })}
                      searchable
                      allowDeselect={false}
                      placeholder="Department"
                      error={!mechanic.department}
                      disabled={readOnly}
                      aria-label="Department"
                    />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      data={[
                        { value: 'online', label: 'Online' },
                        { value: 'offline', label: 'Stores' },
                      ]}
                      value={mechanic.channel}
                      onChange={(value) => update(index, { channel: (value ?? 'online') as Channel })}
                      allowDeselect={false}
                      disabled={readOnly}
                      aria-label="Channel"
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Slider
                        style={{ flex: 1 }}
                        min={0}
                        max={60}
                        step={1}
                        value={mechanic.discount_pct}
                        onChange={(value) => update(index, { discount_pct: value })}
                        label={(value) => `${value}%`}
                        color="pink"
                        size="sm"
                        disabled={readOnly}
                        marks={[{ value: 10 }, { value: 20 }, { value: 30 }]}
                        aria-label="Discount slider"
                      />
                      <NumberInput
                        size="xs"
                        w={72}
                        min={0}
                        max={90}
                        step={1}
                        decimalScale={1}
                        suffix="%"
                        value={mechanic.discount_pct}
                        onChange={(value) => update(index, { discount_pct: typeof value === 'number' ? value : Number(value) || 0 })}
                        disabled={readOnly}
                        aria-label="Discount %"
                        data-testid={`pr-discount-${index}`}
                      />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <MultiSelect
                      size="xs"
                      data={segmentOptions}
                      value={mechanic.segments}
                      onChange={(value) =>
                        update(index, {
                          segments: value.length === 0 ? ['ALL'] : value.includes('ALL') && value.length > 1 ? value.filter((v) => v !== 'ALL') : value,
                        })
                      }
                      disabled={readOnly}
                      aria-label="Segments"
                      maxDropdownHeight={220}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      value={mechanic.notes ?? ''}
                      onChange={(event) => update(index, { notes: event.currentTarget.value })}
                      placeholder="e.g. hero offer"
                      disabled={readOnly}
                      aria-label="Notes"
                    />
                  </Table.Td>
                  <Table.Td ta="right">
                    {forecast ? (
                      <Tooltip
                        withArrow
                        multiline
                        w={260}
                        label={`Baseline ${formatMoney(forecast.baselineSalesValue)} → ${formatMoney(forecast.salesValue)}. Uplift ${formatSignedPct(forecast.coefficient.upliftSalesPct)} for band ${forecast.coefficient.discountBand} (coefficient ${forecast.coefficient.modelVersion}).`}
                      >
                        <div>
                          <Text size="sm" fw={600} className="pr-num">
                            {formatMoney(forecast.salesValue)}
                          </Text>
                          <Text size="xs" c="dimmed" className="pr-num">
                            {formatSignedPct(forecast.coefficient.upliftSalesPct)} · {forecast.coefficient.discountBand}
                          </Text>
                        </div>
                      </Tooltip>
                    ) : (
                      <Text size="xs" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {!readOnly && (
                      <ActionIcon variant="subtle" color="gray" aria-label="Remove mechanic" onClick={() => remove(index)} disabled={mechanics.length <= 1}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!readOnly && (
        <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} onClick={add} mt="xs" data-testid="pr-add-mechanic">
          Add mechanic
        </Button>
      )}
    </>
  );
}
