import { Badge, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { IconHistory, IconKey, IconLayoutDashboard, IconPlayerPlay, IconUsers, type Icon } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router-dom';
import type { Role } from '../../api-types';
import { type Permission, permissions } from '../../lib/permissions';
import { useSession } from '../auth/session';
import { COACHING_LINKS } from '../coaching/navigation-links';
import { PROMOTIONS_LINKS } from '../promotions/navigation-links';
import { STORE_HEALTH_LINKS } from '../store-health/navigation-links';
import { MODULE_CATALOG } from '../modules/module-catalog';
import { useModules } from '../modules/use-modules';

type SubLink = { to: string; label: string; icon: Icon; testId: string; exact?: boolean };

/** Modules with sub-pages: they unfold under the module's entry while one of them is open. */
const MODULE_SUB_LINKS: Partial<Record<string, SubLink[]>> = {
  'store-health': STORE_HEALTH_LINKS,
  promotions: PROMOTIONS_LINKS,
  coaching: COACHING_LINKS,
};

function isSubLinkActive(pathname: string, link: SubLink): boolean {
  if (link.exact) return pathname === link.to || pathname === `${link.to}/`;
  return pathname === link.to || pathname.startsWith(`${link.to}/`);
}

type AdminLink = { to: string; label: string; icon: Icon; testId: string; permission: Permission };

const ADMIN_LINKS: AdminLink[] = [
  { to: '/admin/users', label: 'Users & roles', icon: IconUsers, testId: 'nav-admin-users', permission: 'viewUsers' },
  { to: '/admin/tokens', label: 'API tokens', icon: IconKey, testId: 'nav-admin-tokens', permission: 'manageTokens' },
  { to: '/admin/audit-log', label: 'Audit log', icon: IconHistory, testId: 'nav-admin-audit', permission: 'viewAuditLog' },
  { to: '/admin/jobs', label: 'Job runs', icon: IconPlayerPlay, testId: 'nav-admin-jobs', permission: 'viewJobs' },
];

export function visibleAdminLinks(role: Role): AdminLink[] {
  return ADMIN_LINKS.filter((link) => permissions[link.permission](role));
}

function SectionLabel({ children }: { children: string }) {
  return (
    <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="md" pb={6} style={{ letterSpacing: 0.6 }}>
      {children}
    </Text>
  );
}

function isActive(pathname: string, to: string) {
  return to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
}

export function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  const me = useSession();
  const modules = useModules();
  const adminLinks = visibleAdminLinks(me.role);

  const linkProps = (to: string) => ({
    component: Link,
    to,
    active: isActive(pathname, to),
    onClick: onNavigate,
    variant: 'light' as const,
    style: { borderRadius: 8 },
  });

  return (
    <ScrollArea type="scroll" style={{ flex: 1 }} px="sm" py="sm">
      <Stack gap={2} component="nav" aria-label="Main">
        <NavLink {...linkProps('/')} label="Overview" leftSection={<IconLayoutDashboard size={18} stroke={1.6} />} data-testid="nav-overview" />

        <SectionLabel>Modules</SectionLabel>
        {MODULE_CATALOG.map((module) => {
          const ModuleIcon = module.icon;
          const ready = modules.data?.find((info) => info.key === module.key)?.ready;
          const subLinks = MODULE_SUB_LINKS[module.key] ?? [];
          const unfolded = subLinks.length > 0 && isActive(pathname, module.path);
          return (
            <NavLink
              key={module.key}
              {...linkProps(module.path)}
              active={unfolded ? false : isActive(pathname, module.path)}
              opened={unfolded}
              childrenOffset={20}
              label={module.name}
              leftSection={<ModuleIcon size={18} stroke={1.6} />}
              rightSection={
                ready === false ? (
                  <Badge size="xs" variant="default" radius="sm" fw={500} tt="none">
                    Soon
                  </Badge>
                ) : undefined
              }
              data-testid={`nav-${module.key}`}
            >
              {unfolded
                ? subLinks.map((link) => {
                    const LinkIcon = link.icon;
                    return (
                      <NavLink
                        key={link.to}
                        {...linkProps(link.to)}
                        active={isSubLinkActive(pathname, link)}
                        label={link.label}
                        leftSection={<LinkIcon size={16} stroke={1.6} />}
                        data-testid={link.testId}
                      />
                    );
                  })
                : undefined}
            </NavLink>
          );
        })}

        {adminLinks.length > 0 && (
          <>
            <SectionLabel>Administration</SectionLabel>
            {adminLinks.map((link) => {
              const LinkIcon = link.icon;
              return (
                <NavLink key={link.to} {...linkProps(link.to)} label={link.label} leftSection={<LinkIcon size={18} stroke={1.6} />} data-testid={link.testId} />
              );
            })}
          </>
        )}
      </Stack>
    </ScrollArea>
  );
}
