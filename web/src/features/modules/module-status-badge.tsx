import { Badge } from '@mantine/core';

export function ModuleStatusBadge({ ready, size = 'sm' }: { ready: boolean | undefined; size?: 'xs' | 'sm' | 'md' }) {
  if (ready === undefined) return null;
  return (
    <Badge size={size} variant={ready ? 'light' : 'outline'} color={ready ? 'teal' : 'gray'} radius="sm" tt="none" data-testid="module-status">
      {ready ? 'Ready' : 'Coming soon'}
    </Badge>
  );
}
