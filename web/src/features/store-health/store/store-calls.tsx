import { Skeleton, Text } from '@mantine/core';
import { ErrorState } from '../../../components/error-state';
import { useCalls } from '../queries';
import { CallList } from '../shared/call-list';
import { Panel } from '../shared/status-ui';

export function StoreCalls({ storeId }: { storeId: string }) {
  const calls = useCalls({ storeId, limit: 20 });
  const rows = [...(calls.data?.data ?? [])].sort((a, b) => (b.callInitiatedAt ?? '').localeCompare(a.callInitiatedAt ?? ''));
  return (
    <Panel title="AI calls" description="Calls the AI assistant made to this store; open one for its transcript." testId="sh-store-calls">
      {calls.isPending && <Skeleton h={56} radius="sm" />}
      {calls.isError && <ErrorState error={calls.error} title="Could not load calls" onRetry={() => calls.refetch()} />}
      {calls.isSuccess && rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No calls to this store yet.
        </Text>
      )}
      {rows.length > 0 && <CallList calls={rows} />}
    </Panel>
  );
}
