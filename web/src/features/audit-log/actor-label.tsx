import { Badge, Group, Text } from '@mantine/core';
import { IconKey, IconRobot, IconTerminal2, IconUser, type Icon } from '@tabler/icons-react';
import type { ActorType, AuditEntry } from '../../api-types';

const ACTOR_ICONS: Record<ActorType, Icon> = { user: IconUser, token: IconKey, cli: IconTerminal2, system: IconRobot };
const ACTOR_COLORS: Record<ActorType, string> = { user: 'indigo', token: 'grape', cli: 'cyan', system: 'gray' };

export function ActorLabel({ actor }: { actor: AuditEntry['actor'] }) {
  const ActorIcon = ACTOR_ICONS[actor.type] ?? IconUser;
  const label = actor.label ?? (actor.type === 'system' ? 'System' : actor.type === 'cli' ? 'Command line' : (actor.id ?? 'Unknown'));
  return (
    <Group gap={8} wrap="nowrap">
      <Badge size="sm" variant="light" color={ACTOR_COLORS[actor.type] ?? 'gray'} radius="sm" px={6} aria-label={actor.type}>
        <ActorIcon size={12} style={{ display: 'block' }} />
      </Badge>
      <Text size="sm" truncate="end" maw={220}>
        {label}
      </Text>
    </Group>
  );
}
