import { Alert, Button, Group, Modal, PasswordInput, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api';
import type { Role } from '../../api-types';
import { fieldErrorsFrom } from '../../lib/field-errors';
import { RoleSelect } from './role-select';
import { useCreateUser } from './use-users';

const FIELDS = ['email', 'name', 'password', 'role'] as const;
const EMPTY_FORM = { email: '', name: '', password: '', role: 'staff' as Role };

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const createUser = useCreateUser();
  const [form, setForm] = useState(EMPTY_FORM);
  const { fields, other } = fieldErrorsFrom(createUser.error, FIELDS);
  const hasFieldErrors = Object.keys(fields).length > 0;

  const close = () => {
    setForm(EMPTY_FORM);
    createUser.reset();
    onClose();
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    createUser.mutate(
      { ...form, email: form.email.trim(), name: form.name.trim() },
      {
        onSuccess: (user) => {
          notifications.show({ color: 'teal', title: 'User added', message: `${user.name} can now sign in as ${user.role}.` });
          close();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title="Add user" centered size="md">
      <form onSubmit={handleSubmit} noValidate data-testid="create-user-form">
        <Stack gap="md">
          {createUser.isError && (!hasFieldErrors || other.length > 0) && (
            <Alert color="red" variant="light">
              {other.length > 0 ? other.join(' ') : errorMessage(createUser.error)}
            </Alert>
          )}
          <TextInput
            label="Name"
            required
            data-autofocus
            value={form.name}
            onChange={(event) => setForm({ ...form, name: event.currentTarget.value })}
            error={fields.name}
            data-testid="user-name"
          />
          <TextInput
            label="Email"
            type="email"
            required
            value={form.email}
            onChange={(event) => setForm({ ...form, email: event.currentTarget.value })}
            error={fields.email}
            data-testid="user-email"
          />
          <PasswordInput
            label="Initial password"
            description="Share it securely; the user can change it with “Forgot password?”."
            required
            autoComplete="new-password"
            value={form.password}
            onChange={(event) => setForm({ ...form, password: event.currentTarget.value })}
            error={fields.password}
            data-testid="user-password"
          />
          <RoleSelect value={form.role} onChange={(role) => setForm({ ...form, role })} error={fields.role} data-testid="user-role" />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={createUser.isPending} disabled={!form.email || !form.name || !form.password} data-testid="user-submit">
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
