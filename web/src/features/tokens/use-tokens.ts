import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import type { CreatedToken, Role } from '../../api-types';

export const TOKENS_QUERY_KEY = 'tokens';

export type CreateTokenInput = { name: string; role: Role; expiresInDays?: number };

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTokenInput) => api.post<CreatedToken>('/api/tokens', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [TOKENS_QUERY_KEY] }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [TOKENS_QUERY_KEY] }),
  });
}
