import { Badge } from '@mantine/core';
import type { TokenRow } from '../../api-types';

export type TokenState = 'active' | 'revoked' | 'expired';

export function tokenState(token: TokenRow, now = Date.now()): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

const COLORS: Record<TokenState, string> = { active: 'teal', revoked: 'red', expired: 'gray' };
const LABELS: Record<TokenState, string> = { active: 'Active', revoked: 'Revoked', expired: 'Expired' };

export function TokenStatusBadge({ token }: { token: TokenRow }) {
  const state = tokenState(token);
  return (
    <Badge color={COLORS[state]} variant={state === 'active' ? 'dot' : 'light'} radius="sm" tt="none" data-testid="token-status" data-state={state}>
      {LABELS[state]}
    </Badge>
  );
}
