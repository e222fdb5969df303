import { ActionIcon, Alert, Badge, Button, Group, Select, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { fieldErrorsFrom } from '../../../lib/field-errors';
import type { ClosureKind } from '../api-types';
import { useClosures, useCreateClosure, useDeleteClosure } from '../queries';
import { formatIsoDate } from '../shared/status';

/** Holidays and one-off closed days: of one store, or (storeId null) every closure of the organization. */
export function ClosuresPanel({ storeId, editable }: { storeId: string | null; editable: boolean }) {
  const closures = useClosures({ limit: 200, ...(storeId ? { storeId } : {}) });
  const create = useCreateClosure();
  const remove = useDeleteClosure();
  const [date, setDate] = useState<string | null>(null);
  const [kind, setKind] = useState<ClosureKind>('holiday');
  const [reason, setReason] = useState('');
  const errors = fieldErrorsFrom(create.error, ['closureDate', 'kind', 'reason', 'storeId'] as const);
  const rows = [...(closures.data?.data ?? [])].sort((a, b) => b.closureDate.localeCompare(a.closureDate));

  const handleAdd = () =>
    date &&
    create.mutate(
      { storeId, closureDate: date, kind, reason: reason.trim() || null },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${formatIsoDate(date)} marked ${kind === 'holiday' ? 'as a holiday' : 'closed'}.` });
          setDate(null);
          setReason('');
        },
      },
    );

  return (
    <Stack gap="sm" data-testid="sh-closures">
      <Stack gap={0}>
        <Text size="sm" fw={650}>
          {storeId ? 'Closures of this store' : 'Holidays and closures'}
        </Text>
        <Text size="xs" c="dimmed">
          {storeId
            ? 'One-off closed days of this store. Organization-wide holidays apply too.'
            : 'A day without a store closes every store of the organization. Closed days are never red and stop SLA clocks.'}
        </Text>
      </Stack>
      {editable && (
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <DatePickerInput
            aria-label="Date"
            placeholder="Date"
            w={150}
            value={date}
            onChange={setDate}
            error={errors.fields.closureDate}
            valueFormat="MMM D, YYYY"
          />
          <Select
            aria-label="Kind"
            w={120}
            allowDeselect={false}
            value={kind}
            data={[
              { value: 'holiday', label: 'Holiday' },
              { value: 'closed', label: 'Closed' },
            ]}
            onChange={(value) => value && setKind(value as ClosureKind)}
          />
          <TextInput
            aria-label="Reason"
            placeholder="Reason (optional)"
            style={{ flex: 1 }}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={errors.fields.reason}
          />
          <Button leftSection={<IconPlus size={14} />} variant="light" disabled={!date} loading={create.isPending} onClick={handleAdd}>
            Add
          </Button>
        </Group>
      )}
      {create.isError && Object.keys(errors.fields).length === 0 && (
        <Alert color="red" variant="light" p="xs">
          {errorMessage(create.error)}
        </Alert>
      )}
      {closures.isPending && <Skeleton h={60} />}
      {closures.isError && <ErrorState error={closures.error} title="Could not load closures" onRetry={() => closures.refetch()} />}
      {closures.isSuccess && rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No closures.
        </Text>
      )}
      {rows.length > 0 && (
        <Table verticalSpacing={4} fz="sm" highlightOnHover>
          <Table.Tbody>
            {rows.map((closure) => (
              <Table.Tr key={closure.id}>
                <Table.Td w={130} fw={600}>
                  {formatIsoDate(closure.closureDate, 'medium')}
                </Table.Td>
                <Table.Td w={90}>
                  <Badge size="sm" variant="light" color={closure.kind === 'holiday' ? 'grape' : 'gray'} radius="sm" tt="none">
                    {closure.kind === 'holiday' ? 'Holiday' : 'Closed'}
                  </Badge>
                </Table.Td>
                {!storeId && (
                  <Table.Td w={110}>
                    {closure.storeId ? (
                      (closure.storeCode ?? 'One store')
                    ) : (
                      <Text size="sm" c="dimmed">
                        All stores
                      </Text>
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  <Text size="sm" c={closure.reason ? undefined : 'dimmed'}>
                    {closure.reason ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td w={40}>
                  {editable && (
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      size="sm"
                      aria-label="Delete closure"
                      loading={remove.isPending && remove.variables === closure.id}
                      onClick={() =>
                        remove.mutate(closure.id, {
                          onError: (error) => notifications.show({ color: 'red', title: 'Could not delete', message: errorMessage(error) }),
                        })
                      }
                    >
                      <IconTrash size={14} />
                    </ActionIcon>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
