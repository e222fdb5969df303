import { Badge, Button, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { isApiError } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import type { Notification } from '../api-types';
import { itemsOf, useMarkNotificationRead, useNotifications } from '../queries';
import { Panel } from '../shared/ui';

/** Where a notification leads: the session, plan or import it is about. */
function linkOf(notification: Notification): string | null {
  if (!notification.subjectId) return null;
  switch (notification.subjectType) {
    case 'coaching_session':
      return `/coaching/sessions/${notification.subjectId}`;
    case 'action_plan':
      return `/coaching/plans/${notification.subjectId}`;
    case 'action_item':
      return '/coaching/action-items';
    case 'import_log':
      return '/coaching/imports';
    default:
      return null;
  }
}

/** The signed-in person's unread reminders and proposals; hidden when there are none (or the inbox is not there). */
export function NotificationsPanel() {
  const inbox = useNotifications();
  const markRead = useMarkNotificationRead();
  if (inbox.isError && isApiError(inbox.error, 404)) return null;
  const unread = itemsOf<Notification>(inbox.data).filter((item) => !item.readAt);
  if (inbox.isPending || unread.length === 0) return null;
  return (
    <Panel
      title={
        <Group gap="xs">
          <IconBell size={16} />
          Inbox
          <Badge size="sm" color="red" variant="filled" circle={unread.length < 10}>
            {unread.length}
          </Badge>
        </Group>
      }
      description="Reminders, overdue items and plan proposals for you."
      testId="co-notifications"
    >
      <Stack gap={6}>
        {unread.slice(0, 5).map((item) => {
          const to = linkOf(item);
          return (
            <Group key={item.id} justify="space-between" wrap="nowrap" gap="sm" data-testid="co-notification">
              <Stack gap={0} style={{ minWidth: 0 }}>
                {to ? (
                  <UnstyledButton component={Link} to={to} onClick={() => markRead.mutate(item.id)}>
                    <Text size="sm" fw={600} truncate>
                      {item.title}
                    </Text>
                  </UnstyledButton>
                ) : (
                  <Text size="sm" fw={600} truncate>
                    {item.title}
                  </Text>
                )}
                {item.body && (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {item.body}
                  </Text>
                )}
              </Stack>
              <Group gap="xs" wrap="nowrap">
                <DateTimeText value={item.createdAt} relative size="xs" c="dimmed" />
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => markRead.mutate(item.id)}
                  loading={markRead.isPending && markRead.variables === item.id}
                >
                  Mark read
                </Button>
              </Group>
            </Group>
          );
        })}
        {unread.length > 5 && (
          <Text size="xs" c="dimmed">
            and {unread.length - 5} more
          </Text>
        )}
      </Stack>
    </Panel>
  );
}
