import { ActionIcon, Button, Group, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { IconCopy, IconPlus, IconX } from '@tabler/icons-react';
import { type OpeningHours, type OpeningInterval, type Weekday, WEEKDAYS } from '../api-types';

const DAY_NAMES: Record<Weekday, string> = { '1': 'Monday', '2': 'Tuesday', '3': 'Wednesday', '4': 'Thursday', '5': 'Friday', '6': 'Saturday', '7': 'Sunday' };
const DEFAULT_INTERVAL: OpeningInterval = { open: '09:00', close: '18:00' };

/** Weekly hours: a day without intervals is a regular closed day; a close before the open runs past midnight. */
export function OpeningHoursEditor({
  value,
  onChange,
  error,
  readOnly = false,
}: {
  value: OpeningHours;
  onChange: (next: OpeningHours) => void;
  error?: string;
  readOnly?: boolean;
}) {
  const setDay = (day: Weekday, intervals: OpeningInterval[]) => {
    const next: OpeningHours = { ...value };
    if (intervals.length === 0) delete next[day];
    else next[day] = intervals;
    onChange(next);
  };
  const copyMondayToWeekdays = () => {
    const monday = value['1'] ?? [];
    const next: OpeningHours = { ...value };
    for (const day of ['2', '3', '4', '5'] as Weekday[]) {
      if (monday.length === 0) delete next[day];
      else next[day] = monday.map((interval) => ({ ...interval }));
    }
    onChange(next);
  };

  return (
    <Stack gap={6}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          Opening hours
        </Text>
        {!readOnly && (
          <Button size="compact-xs" variant="subtle" leftSection={<IconCopy size={12} />} onClick={copyMondayToWeekdays}>
            Copy Monday to Tue–Fri
          </Button>
        )}
      </Group>
      <Table verticalSpacing={4} withRowBorders={false} data-testid="sh-opening-hours">
        <Table.Tbody>
          {WEEKDAYS.map((day) => {
            const intervals = value[day] ?? [];
            const open = intervals.length > 0;
            return (
              <Table.Tr key={day}>
                <Table.Td w={130} style={{ verticalAlign: 'top', paddingTop: 10 }}>
                  <Switch
                    size="xs"
                    label={DAY_NAMES[day]}
                    checked={open}
                    disabled={readOnly}
                    onChange={(event) => setDay(day, event.currentTarget.checked ? [{ ...DEFAULT_INTERVAL }] : [])}
                  />
                </Table.Td>
                <Table.Td>
                  {open ? (
                    <Stack gap={4}>
                      {intervals.map((interval, index) => (
                        <Group key={index} gap={6} wrap="nowrap">
                          <TimeInput
                            size="xs"
                            w={100}
                            aria-label={`${DAY_NAMES[day]} opens`}
                            value={interval.open}
                            readOnly={readOnly}
                            onChange={(event) =>
                              setDay(
                                day,
                                intervals.map((item, i) => (i === index ? { ...item, open: event.currentTarget.value } : item)),
                              )
                            }
                          />
                          <Text size="xs" c="dimmed">
                            to
                          </Text>
                          <TimeInput
                            size="xs"
                            w={100}
                            aria-label={`${DAY_NAMES[day]} closes`}
                            value={interval.close}
                            readOnly={readOnly}
                            onChange={(event) =>
                              setDay(
                                day,
                                intervals.map((item, i) => (i === index ? { ...item, close: event.currentTarget.value } : item)),
                              )
                            }
                          />
                          {interval.close && interval.open && interval.close < interval.open && (
                            <Text size="xs" c="dimmed">
                              next day
                            </Text>
                          )}
                          {!readOnly && intervals.length > 1 && (
                            <ActionIcon
                              size="sm"
                              variant="subtle"
                              color="gray"
                              aria-label="Remove interval"
                              onClick={() =>
                                setDay(
                                  day,
                                  intervals.filter((_, i) => i !== index),
                                )
                              }
                            >
                              <IconX size={12} />
                            </ActionIcon>
                          )}
                          {!readOnly && index === intervals.length - 1 && intervals.length < 4 && (
                            <Tooltip label="Add a split shift (e.g. a lunch closure)" withArrow>
                              <ActionIcon
                                size="sm"
                                variant="subtle"
                                color="gray"
                                aria-label="Add interval"
                                onClick={() => setDay(day, [...intervals, { open: '', close: '' }])}
                              >
                                <IconPlus size={12} />
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </Group>
                      ))}
                    </Stack>
                  ) : (
                    <Text size="xs" c="dimmed" pt={6}>
                      Closed
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}
