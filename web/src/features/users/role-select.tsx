import { Select, type SelectProps } from '@mantine/core';
import type { Role } from '../../api-types';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from '../../lib/permissions';

type RoleSelectProps = Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value: Role;
  onChange: (role: Role) => void;
};

export function RoleSelect({ value, onChange, ...props }: RoleSelectProps) {
  return (
    <Select
      label="Role"
      allowDeselect={false}
      data={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
      value={value}
      onChange={(next) => next && onChange(next as Role)}
      description={ROLE_DESCRIPTIONS[value]}
      {...props}
    />
  );
}
