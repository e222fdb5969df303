import { useQuery } from '@tanstack/react-query';
import type { Health } from '../../api-types';

// Health may answer 503 with the same body when degraded/down, so read the body regardless of status.
async function fetchHealth(signal: AbortSignal): Promise<Health> {
  const response = await fetch('/api/health', { credentials: 'same-origin', headers: { accept: 'application/json' }, signal });
  const body = (await response.json().catch(() => null)) as Partial<Health> | null;
  if (body && typeof body.status === 'string') return body as Health;
  throw new Error(`Health check failed (${response.status}).`);
}

export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => fetchHealth(signal),
    refetchInterval: 30_000,
    staleTime: 10_000,
    retry: false,
  });
}

export const HEALTH_COLORS = { ok: 'teal', degraded: 'yellow', down: 'red', unknown: 'gray' } as const;
export const HEALTH_LABELS = { ok: 'All systems operational', degraded: 'Degraded', down: 'Down', unknown: 'Status unknown' } as const;
