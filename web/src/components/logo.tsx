import { Box, Group, Text } from '@mantine/core';

export function LogoMark({ size = 28 }: { size?: number }) {
  return (
    <Box
      aria-hidden
      w={size}
      h={size}
      style={{
        borderRadius: size / 4,
        background: 'linear-gradient(135deg, var(--mantine-color-indigo-5), var(--mantine-color-violet-6))',
        display: 'grid',
        placeItems: 'center',
        color: 'white',
        fontWeight: 800,
        fontSize: size * 0.5,
        letterSpacing: -0.5,
        boxShadow: '0 1px 2px rgba(0,0,0,0.12)',
      }}
    >
      R
    </Box>
  );
}

export function Logo({ size = 28, compactOnMobile = false }: { size?: number; compactOnMobile?: boolean }) {
  return (
    <Group gap={10} wrap="nowrap">
      <LogoMark size={size} />
      <Text fw={700} fz={size * 0.62} style={{ letterSpacing: -0.3 }} visibleFrom={compactOnMobile ? 'sm' : undefined}>
        RetailOps
      </Text>
    </Group>
  );
}
