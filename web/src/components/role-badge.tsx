import { Badge, type BadgeProps } from '@mantine/core';
import type { Role } from '../api-types';
import { ROLE_COLORS, ROLE_LABELS } from '../lib/permissions';

export function RoleBadge({ role, ...props }: BadgeProps & { role: Role }) {
  return (
    <Badge variant="light" color={ROLE_COLORS[role] ?? 'gray'} radius="sm" tt="none" fw={600} {...props}>
      {ROLE_LABELS[role] ?? role}
    </Badge>
  );
}
