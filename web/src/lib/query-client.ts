import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../api';

export const ME_QUERY_KEY = ['me'] as const;

// A 401 anywhere means the session is gone: clearing `me` makes the auth guard
// redirect to /login?next=<current path>.
function handleUnauthorized(error: unknown) {
  if (isApiError(error, 401) && queryClient.getQueryData(ME_QUERY_KEY)) {
    queryClient.setQueryData(ME_QUERY_KEY, null);
  }
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: handleUnauthorized }),
  mutationCache: new MutationCache({ onError: handleUnauthorized }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (failureCount, error) => {
        if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
        return failureCount < 2;
      },
    },
    mutations: { retry: false },
  },
});
