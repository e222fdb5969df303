import { Badge, Box, Collapse, Group, Loader, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconPhoneCall, IconPhoneOff, IconPhoneX } from '@tabler/icons-react';
import { useState } from 'react';
import { DateTimeText } from '../../../components/date-time-text';
import { ErrorState } from '../../../components/error-state';
import type { Call } from '../api-types';
import { useCall } from '../queries';
import { humanize, SCRIPT_TYPE_META } from './status';

const STATUS_COLORS: Record<string, string> = { completed: 'green', in_progress: 'blue', scheduled: 'gray', failed: 'red', no_answer: 'orange' };
const RESPONSE_COLORS: Record<string, string> = { yes: 'green', later: 'yellow', no_answer: 'orange', other: 'gray' };

function formatSeconds(seconds: number | null): string | null {
  if (seconds === null || seconds === undefined) return null;
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m ${seconds % 60}s` : `${seconds}s`;
}

/** AI voice calls, newest first; a row opens to its transcript. */
export function CallList({ calls, showStore = false }: { calls: Call[]; showStore?: boolean }) {
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <Stack gap={0}>
      {calls.map((call, index) => {
        const opened = openId === call.id;
        const StatusIcon = call.callStatus === 'failed' ? IconPhoneX : call.callStatus === 'no_answer' ? IconPhoneOff : IconPhoneCall;
        const duration = formatSeconds(call.callDurationSeconds);
        return (
          <Box key={call.id} style={{ borderTop: index === 0 ? undefined : '1px solid var(--mantine-color-gray-2)' }} data-testid="sh-call">
            <UnstyledButton
              onClick={() => setOpenId(opened ? null : call.id)}
              w="100%"
              py="sm"
              aria-expanded={opened}
              data-testid={`sh-call-toggle-${call.id}`}
            >
              <Group justify="space-between" wrap="nowrap" gap="sm">
                <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                  {opened ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
                  <StatusIcon size={16} color={`var(--mantine-color-${STATUS_COLORS[call.callStatus] ?? 'gray'}-6)`} />
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600} truncate="end">
                      {showStore && call.storeCode ? `${call.storeCode} · ` : ''}
                      {call.recipientName ?? call.recipientPhone ?? 'Store'}
                    </Text>
                    <Text size="xs" c="dimmed">
                      <DateTimeText value={call.callInitiatedAt} size="xs" c="dimmed" />
                      {duration ? ` · ${duration}` : ''}
                      {call.attempt && call.attempt > 1 ? ` · attempt ${call.attempt}` : ''}
                    </Text>
                  </Stack>
                </Group>
                <Group gap={6} wrap="nowrap">
                  <Badge size="sm" variant="light" color={SCRIPT_TYPE_META[call.callType]?.color ?? 'gray'} radius="sm" tt="none">
                    {SCRIPT_TYPE_META[call.callType]?.label ?? call.callType} call
                  </Badge>
                  <Badge size="sm" variant="dot" color={STATUS_COLORS[call.callStatus] ?? 'gray'} radius="sm" tt="none">
                    {humanize(call.callStatus)}
                  </Badge>
                  {call.response && !(call.response === 'no_answer' && call.callStatus === 'no_answer') && (
                    <Badge size="sm" variant="outline" color={RESPONSE_COLORS[call.response] ?? 'gray'} radius="sm" tt="none">
                      {call.response === 'yes' ? 'Will act' : humanize(call.response)}
                    </Badge>
                  )}
                </Group>
              </Group>
            </UnstyledButton>
            <Collapse expanded={opened}>{opened && <CallDetails call={call} />}</Collapse>
          </Box>
        );
      })}
    </Stack>
  );
}

function CallDetails({ call }: { call: Call }) {
  // Lists may leave the transcript out; the single-call endpoint always has it.
  const needsFetch = call.transcript === undefined;
  const detail = useCall(needsFetch ? call.id : null);
  const transcript = needsFetch ? detail.data?.transcript : call.transcript;
  const sentiment = (needsFetch ? detail.data?.sentiment : call.sentiment) ?? null;
  return (
    <Box pb="sm" pl={30}>
      <Group gap="md" mb={6}>
        {sentiment && (
          <Text size="xs" c="dimmed">
            Sentiment: <b>{humanize(sentiment)}</b>
          </Text>
        )}
        {call.followUpRequired && (
          <Badge size="xs" color="orange" variant="light" radius="sm" tt="none">
            Follow-up required
          </Badge>
        )}
      </Group>
      {needsFetch && detail.isPending && <Loader size="xs" type="dots" />}
      {needsFetch && detail.isError && <ErrorState error={detail.error} title="Could not load the transcript" />}
      {(!needsFetch || detail.isSuccess) && <Transcript text={transcript ?? null} />}
    </Box>
  );
}

/** "Speaker: words" lines become a dialogue; anything else is shown as written. */
function Transcript({ text }: { text: string | null }) {
  if (!text) {
    return (
      <Text size="xs" c="dimmed">
        No transcript for this call.
      </Text>
    );
  }
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return (
    <Stack gap={6} p="sm" bg="gray.0" style={{ borderRadius: 8, maxHeight: 320, overflowY: 'auto' }} data-testid="sh-transcript">
      {lines.map((line, index) => {
        const match = /^\s*([A-Za-z][\w .'()-]{0,40}):\s+(.*)$/.exec(line);
        if (!match) {
          return (
            <Text key={index} size="sm">
              {line}
            </Text>
          );
        }
        const speaker = match[1] ?? '';
        const isAgent = /^(ai|agent|assistant|bot|retailops)/i.test(speaker);
        return (
          <Group key={index} gap={8} wrap="nowrap" align="flex-start">
            <Text size="xs" fw={700} c={isAgent ? 'indigo.7' : 'dark.6'} w={92} style={{ flexShrink: 0 }} pt={2} truncate="end">
              {speaker}
            </Text>
            <Text size="sm" style={{ flex: 1 }}>
              {match[2]}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}
