import type { Role } from '../api-types';

const isAdmin = (role: Role | undefined) => role === 'admin';
const isAdminOrManager = (role: Role | undefined) => role === 'admin' || role === 'manager';

export const permissions = {
  viewUsers: isAdminOrManager,
  manageUsers: isAdmin,
  manageTokens: isAdmin,
  viewAuditLog: isAdminOrManager,
  viewJobs: isAdminOrManager,
  runJobs: isAdmin,
  retryJobs: isAdmin,
} satisfies Record<string, (role: Role | undefined) => boolean>;

export type Permission = keyof typeof permissions;

export const ROLES: Role[] = ['admin', 'manager', 'staff', 'viewer'];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  staff: 'Staff',
  viewer: 'Viewer',
};

export const ROLE_COLORS: Record<Role, string> = {
  admin: 'grape',
  manager: 'indigo',
  staff: 'teal',
  viewer: 'gray',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Everything, including users, API tokens and organization settings.',
  manager: 'Manages day-to-day operations and jobs; can read the audit log and see users.',
  staff: 'Does the day-to-day work: tasks, orders, cases and follow-ups.',
  viewer: 'Read-only access to dashboards and records.',
};
