/** Organization roles, most powerful first. Modules may register their own roles with a rank. */
export const coreRoles = ['admin', 'manager', 'staff', 'viewer'] as const;
export type CoreRole = (typeof coreRoles)[number];
export type Role = string;

const roleRank = new Map<string, number>([
  ['admin', 40],
  ['manager', 30],
  ['staff', 20],
  ['viewer', 10],
]);

export const roleDescriptions: Record<CoreRole, string> = {
  admin: 'Everything, including users, API tokens, integrations and settings.',
  manager: 'Runs operations; reads users and the audit log.',
  staff: 'Day-to-day work in the modules.',
  viewer: 'Read-only access.',
};

/** Lets a module add a role (e.g. coaching's team_leader) at the rank where it sits among the core roles. */
export function registerRole(name: string, rank: number): void {
  roleRank.set(name, rank);
}

export function isKnownRole(role: string): boolean {
  return roleRank.has(role);
}

export function knownRoles(): string[] {
  return [...roleRank.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
}

export function roleAtLeast(role: string, minimum: string): boolean {
  return (roleRank.get(role) ?? 0) >= (roleRank.get(minimum) ?? Number.POSITIVE_INFINITY);
}
