import { Button, Code, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { CreatedToken, TokenRow } from '../../api-types';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { DateTimeText } from '../../components/date-time-text';
import { PageHeader } from '../../components/page-header';
import { RoleBadge } from '../../components/role-badge';
import { useListParams, useListQuery } from '../../components/use-list-params';
import { CreateTokenModal } from './create-token-modal';
import { RevokeTokenModal } from './revoke-token-modal';
import { TokenRevealModal } from './token-reveal-modal';
import { TOKENS_QUERY_KEY } from './use-tokens';
import { TokenStatusBadge, tokenState } from './token-status';

export function TokensPage() {
  const list = useListParams({ defaultSort: '-createdAt' });
  const tokens = useListQuery<TokenRow>(TOKENS_QUERY_KEY, '/api/tokens', list.query);
  const [createOpened, createModal] = useDisclosure(false);
  const [revealed, setRevealed] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<TokenRow | null>(null);

  const columns: DataTableColumn<TokenRow>[] = [
    {
      key: 'name',
      header: 'Name',
      sortField: 'name',
      render: (token) => (
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {token.name}
          </Text>
          <Code fz="xs" w="fit-content">
            {token.prefix}…
          </Code>
        </Stack>
      ),
    },
    { key: 'role', header: 'Role', sortField: 'role', render: (token) => <RoleBadge role={token.role} /> },
    { key: 'status', header: 'Status', render: (token) => <TokenStatusBadge token={token} /> },
    {
      key: 'user',
      header: 'Created by',
      render: (token) => (
        <Text size="sm" c={token.user ? undefined : 'dimmed'} truncate="end" maw={220}>
          {token.user?.email ?? '—'}
        </Text>
      ),
    },
    { key: 'createdAt', header: 'Created', sortField: 'createdAt', render: (token) => <DateTimeText value={token.createdAt} relative /> },
    { key: 'lastUsedAt', header: 'Last used', sortField: 'lastUsedAt', render: (token) => <DateTimeText value={token.lastUsedAt} relative empty="Never" /> },
    {
      key: 'expiresAt',
      header: 'Expires',
      sortField: 'expiresAt',
      render: (token) =>
        token.revokedAt ? <DateTimeText value={token.revokedAt} relative c="red.7" /> : <DateTimeText value={token.expiresAt} relative empty="Never" />,
    },
    {
      key: 'actions',
      header: '',
      align: 'right',
      render: (token) =>
        tokenState(token) === 'active' ? (
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRevoking(token)} data-testid="revoke-token">
            Revoke
          </Button>
        ) : null,
    },
  ];

  return (
    <Stack gap="lg">
      <PageHeader
        title="API tokens"
        description="Tokens let scripts, integrations and the CLI call the RetailOps API on behalf of this organization. Give each integration its own token with the smallest role it needs."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={createModal.open} data-testid="create-token">
            Create token
          </Button>
        }
      />
      <DataTable
        testId="tokens-table"
        columns={columns}
        query={tokens}
        list={list}
        getRowKey={(token) => token.id}
        searchPlaceholder="Search tokens…"
        empty={{
          title: 'No API tokens',
          description: 'Create a token to connect your POS, e-commerce platform or scripts.',
          icon: <IconKey size={22} />,
          action: (
            <Button size="xs" variant="light" onClick={createModal.open}>
              Create token
            </Button>
          ),
        }}
        minWidth={920}
      />
      <CreateTokenModal opened={createOpened} onClose={createModal.close} onCreated={setRevealed} />
      <TokenRevealModal token={revealed} onClose={() => setRevealed(null)} />
      <RevokeTokenModal token={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
