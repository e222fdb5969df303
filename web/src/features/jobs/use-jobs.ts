import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import type { JobDefinition } from '../../api-types';

export const JOBS_QUERY_KEY = 'jobs';

export function useJobDefinitions(enabled = true) {
  return useQuery({
    queryKey: [JOBS_QUERY_KEY, 'definitions'],
    queryFn: ({ signal }) => api.get<{ data: JobDefinition[] }>('/api/jobs/definitions', undefined, signal),
    select: (response) => response.data,
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useRunJobNow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post<{ jobId: string }>(`/api/jobs/${encodeURIComponent(name)}/run`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [JOBS_QUERY_KEY, 'list'] }),
  });
}

export function useRetryJobRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => api.post<unknown>(`/api/jobs/runs/${encodeURIComponent(runId)}/retry`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [JOBS_QUERY_KEY, 'list'] }),
  });
}
