import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import type { ModuleInfo, ModuleKey } from '../../api-types';

export function useModules() {
  return useQuery({
    queryKey: ['modules'],
    queryFn: ({ signal }) => api.get<{ data: ModuleInfo[] }>('/api/modules', undefined, signal),
    staleTime: 5 * 60_000,
    select: (response) => response.data,
  });
}

export function useModuleInfo(key: ModuleKey): ModuleInfo | undefined {
  return useModules().data?.find((module) => module.key === key);
}
