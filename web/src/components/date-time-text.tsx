import { Text, type TextProps, Tooltip } from '@mantine/core';
import { useOrgTimeZone } from '../features/auth/session';
import { formatDateTime, formatRelative, toDate } from '../lib/format';
import { useNow } from '../lib/use-now';

type DateTimeTextProps = TextProps & {
  value: string | null | undefined;
  /** Show "3 min ago" with the absolute time in a tooltip. */
  relative?: boolean;
  empty?: string;
};

export function DateTimeText({ value, relative = false, empty = '—', ...textProps }: DateTimeTextProps) {
  const timeZone = useOrgTimeZone();
  const now = useNow();
  const date = toDate(value);
  if (!date) {
    return (
      <Text span size="sm" c="dimmed" {...textProps}>
        {empty}
      </Text>
    );
  }
  const absolute = formatDateTime(date, timeZone, relative ? 'full' : 'datetime');
  if (!relative) {
    return (
      <Text span size="sm" style={{ whiteSpace: 'nowrap' }} {...textProps}>
        <time dateTime={date.toISOString()}>{absolute}</time>
      </Text>
    );
  }
  return (
    <Tooltip label={absolute} openDelay={300} withArrow>
      <Text span size="sm" style={{ whiteSpace: 'nowrap' }} {...textProps}>
        <time dateTime={date.toISOString()}>{formatRelative(date, now)}</time>
      </Text>
    </Tooltip>
  );
}
