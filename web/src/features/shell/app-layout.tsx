import { AppShell, Burger, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { Link, Outlet } from 'react-router-dom';
import { Logo } from '../../components/logo';
import { PageLoader } from '../../components/page-loader';
import { useHealth } from '../health/use-health';
import { HealthIndicator } from '../health/health-indicator';
import { OrgSwitcher } from './org-switcher';
import { Navigation } from './navigation';
import { UserMenu } from './user-menu';

export function AppLayout() {
  const [navbarOpened, { toggle, close }] = useDisclosure(false);

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 252, breakpoint: 'sm', collapsed: { mobile: !navbarOpened } }} padding={{ base: 'md', md: 'xl' }}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
            <Burger opened={navbarOpened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Link to="/" style={{ textDecoration: 'none', color: 'inherit' }} aria-label="RetailOps home">
              <Logo size={26} compactOnMobile />
            </Link>
            <Text c="gray.4" visibleFrom="sm" fz="lg">
              /
            </Text>
            <OrgSwitcher />
          </Group>
          <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
            <HealthIndicator />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar>
        <Navigation onNavigate={close} />
        <NavbarFooter />
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">
        <Suspense fallback={<PageLoader />}>
          <div style={{ maxWidth: 1280, margin: '0 auto' }}>
            <Outlet />
          </div>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

function NavbarFooter() {
  const health = useHealth();
  return (
    <AppShell.Section px="md" py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
      <Text size="xs" c="dimmed">
        RetailOps{health.data?.version ? ` v${health.data.version}` : ''}
      </Text>
    </AppShell.Section>
  );
}
