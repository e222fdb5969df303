import { Alert, Button, Group, Modal, Stack, Switch, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useEffect, useState } from 'react';
import { errorMessage } from '../../api';
import type { UserRow } from '../../api-types';
import { fieldErrorsFrom } from '../../lib/field-errors';
import { RoleSelect } from './role-select';
import { useUpdateUser } from './use-users';

const FIELDS = ['name', 'role', 'active'] as const;

export function EditUserModal({ user, isSelf, onClose }: { user: UserRow | null; isSelf: boolean; onClose: () => void }) {
  const updateUser = useUpdateUser();
  const [form, setForm] = useState({ name: '', role: user?.role ?? 'staff', active: true });
  const { fields, other } = fieldErrorsFrom(updateUser.error, FIELDS);

  useEffect(() => {
    if (user) setForm({ name: user.name, role: user.role, active: user.active });
  }, [user]);

  const close = () => {
    updateUser.reset();
    onClose();
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!user) return;
    // Only send what changed, so the audit log records intent precisely.
    const changes: { name?: string; role?: UserRow['role']; active?: boolean } = {};
    if (form.name.trim() !== user.name) changes.name = form.name.trim();
    if (form.role !== user.role) changes.role = form.role;
    if (form.active !== user.active) changes.active = form.active;
    if (Object.keys(changes).length === 0) return close();
    updateUser.mutate(
      { id: user.id, ...changes },
      {
        onSuccess: (updated) => {
          notifications.show({ color: 'teal', title: 'User updated', message: `Saved changes to ${updated.name}.` });
          close();
        },
      },
    );
  };

  return (
    <Modal opened={user !== null} onClose={close} title={user ? `Edit ${user.name}` : 'Edit user'} centered>
      <form onSubmit={handleSubmit} noValidate data-testid="edit-user-form">
        <Stack gap="md">
          {updateUser.isError && Object.keys(fields).length === 0 && (
            <Alert color="red" variant="light">
              {other.length > 0 ? other.join(' ') : errorMessage(updateUser.error)}
            </Alert>
          )}
          <TextInput label="Email" value={user?.email ?? ''} disabled />
          <TextInput
            label="Name"
            required
            value={form.name}
            onChange={(event) => setForm({ ...form, name: event.currentTarget.value })}
            error={fields.name}
            data-testid="edit-user-name"
          />
          <RoleSelect value={form.role} onChange={(role) => setForm({ ...form, role })} error={fields.role} disabled={isSelf} data-testid="edit-user-role" />
          <Switch
            label="Active"
            description={isSelf ? 'You cannot deactivate yourself.' : 'Inactive users cannot sign in; their history is kept.'}
            checked={form.active}
            disabled={isSelf}
            onChange={(event) => setForm({ ...form, active: event.currentTarget.checked })}
            error={fields.active}
            data-testid="edit-user-active"
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={updateUser.isPending} disabled={!form.name.trim()} data-testid="edit-user-submit">
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
