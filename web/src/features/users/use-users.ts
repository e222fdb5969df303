import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import type { Role, UserRow } from '../../api-types';

export const USERS_QUERY_KEY = 'users';

export type CreateUserInput = { email: string; name: string; password: string; role: Role };
export type UpdateUserInput = { name?: string; role?: Role; active?: boolean };

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [USERS_QUERY_KEY] });
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (input: CreateUserInput) => api.post<UserRow>('/api/users', input),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, ...input }: UpdateUserInput & { id: string }) => api.patch<UserRow>(`/api/users/${encodeURIComponent(id)}`, input),
    onSuccess: invalidate,
  });
}

export function useRemoveUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/users/${encodeURIComponent(id)}`),
    onSuccess: invalidate,
  });
}
