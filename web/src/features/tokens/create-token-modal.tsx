import { Alert, Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api';
import type { CreatedToken, Role } from '../../api-types';
import { fieldErrorsFrom } from '../../lib/field-errors';
import { RoleSelect } from '../users/role-select';
import { useCreateToken } from './use-tokens';

const FIELDS = ['name', 'role', 'expiresInDays'] as const;
const EXPIRY_OPTIONS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never expires' },
];
const EMPTY_FORM = { name: '', role: 'viewer' as Role, expiry: '90' };

export function CreateTokenModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (token: CreatedToken) => void }) {
  const createToken = useCreateToken();
  const [form, setForm] = useState(EMPTY_FORM);
  const { fields, other } = fieldErrorsFrom(createToken.error, FIELDS);

  const close = () => {
    setForm(EMPTY_FORM);
    createToken.reset();
    onClose();
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    createToken.mutate(
      { name: form.name.trim(), role: form.role, ...(form.expiry === 'never' ? {} : { expiresInDays: Number(form.expiry) }) },
      {
        onSuccess: (token) => {
          close();
          onCreated(token);
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title="Create API token" centered>
      <form onSubmit={handleSubmit} noValidate data-testid="create-token-form">
        <Stack gap="md">
          {createToken.isError && Object.keys(fields).length === 0 && (
            <Alert color="red" variant="light">
              {other.length > 0 ? other.join(' ') : errorMessage(createToken.error)}
            </Alert>
          )}
          <TextInput
            label="Name"
            description="What uses this token, e.g. “POS nightly import”."
            required
            data-autofocus
            value={form.name}
            onChange={(event) => setForm({ ...form, name: event.currentTarget.value })}
            error={fields.name}
            data-testid="token-name"
          />
          <RoleSelect value={form.role} onChange={(role) => setForm({ ...form, role })} error={fields.role} data-testid="token-role" />
          <Select
            label="Expires"
            allowDeselect={false}
            data={EXPIRY_OPTIONS}
            value={form.expiry}
            onChange={(expiry) => expiry && setForm({ ...form, expiry })}
            error={fields.expiresInDays}
            data-testid="token-expiry"
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={createToken.isPending} disabled={!form.name.trim()} data-testid="token-submit">
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
