import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { api, isApiError, rememberCsrfToken } from '../../api';
import type { Me } from '../../api-types';
import { ME_QUERY_KEY } from '../../lib/query-client';

async function fetchMe(signal: AbortSignal): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me', undefined, signal);
    rememberCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (isApiError(error, 401)) return null;
    throw error;
  }
}

export function useMeQuery() {
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 5 * 60_000,
  });
}

export const SessionContext = createContext<Me | null>(null);

/** The signed-in session; only usable below <RequireAuth>. */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession() must be used inside <RequireAuth>.');
  return me;
}

export function useOrgTimeZone(): string | undefined {
  return useContext(SessionContext)?.organization.timezone;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { email: string; password: string }) => api.post<Me>('/api/auth/login', credentials),
    onSuccess: (me) => {
      rememberCsrfToken(me.csrfToken);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_QUERY_KEY[0] });
      queryClient.setQueryData(ME_QUERY_KEY, me);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/auth/logout'),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(ME_QUERY_KEY, null);
    },
  });
}

export function useSwitchOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (organizationId: string) => api.post<Me>('/api/auth/switch-organization', { organizationId }),
    onSuccess: async (me) => {
      rememberCsrfToken(me.csrfToken);
      // Drop the previous organization's data first so it can never flash under the new org's name.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_QUERY_KEY[0] });
      queryClient.setQueryData(ME_QUERY_KEY, me);
      await queryClient.invalidateQueries();
    },
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => api.post<{ ok: true }>('/api/auth/password-reset/request', { email }),
  });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (input: { token: string; password: string }) => api.post<{ ok: true }>('/api/auth/password-reset/confirm', input),
  });
}
