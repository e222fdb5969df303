import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest, type QueryParams } from '../../api';
import type {
  ActionItemSummary,
  CoachingMe,
  Hierarchy,
  ImportDetail,
  ImportLog,
  ImportOptions,
  ImportPreview,
  ImportResult,
  Notification,
  PersonDetail,
  PersonInput,
  PersonSummary,
  PlanSummary,
  ProfileInput,
  QuickNote,
  QuickNoteInput,
  Scorecard,
  SessionSummary,
  TeamSummaryList,
  TeamView,
} from './api-types';

export const CO_API = '/api/coaching';
/** Every coaching query key starts with this, so one invalidation refreshes the module after a change. */
export const CO_KEY = 'coaching';

export const coPath = (...parts: string[]) => `${CO_API}/${parts.map((part) => encodeURIComponent(part)).join('/')}`;

/** Lists answer `{ items }` (or a plain array, or `{ data }`); pages read all three. */
export function itemsOf<T>(payload: { items?: T[]; data?: T[] } | T[] | undefined | null): T[] {
  if (!payload) return [];
  if (Array.isArray(payload)) return payload;
  return payload.items ?? payload.data ?? [];
}

type List<T> = { items?: T[]; data?: T[] } | T[];

export function useInvalidateCoaching() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [CO_KEY] });
}

function useRead<T>(
  key: unknown[],
  url: string,
  query?: QueryParams,
  options: { enabled?: boolean; refetchInterval?: number | false; retry?: boolean | number } = {},
) {
  return useQuery({
    queryKey: [CO_KEY, ...key, query ?? null],
    queryFn: ({ signal }) => api.get<T>(url, query, signal),
    placeholderData: keepPreviousData,
    ...options,
  });
}

// ---------------------------------------------------------------- people

export function useCoachingMe() {
  return useRead<CoachingMe>(['me'], coPath('me'), undefined, { retry: false });
}

export function usePeople(
  query: { role?: string | null; status?: string | null; teamLeaderId?: string | null; q?: string | null; includeDeleted?: boolean },
  enabled = true,
) {
  return useRead<List<PersonSummary>>(['people', 'list'], coPath('people'), query, { enabled });
}

export function usePerson(id: string | null) {
  return useRead<PersonDetail>(['people', 'one', id], coPath('people', id ?? ''), undefined, { enabled: Boolean(id) });
}

export function useHierarchy(enabled = true) {
  return useRead<Hierarchy>(['hierarchy'], coPath('hierarchy'), undefined, { enabled });
}

export function useCreatePerson() {
  const invalidate = useInvalidateCoaching();
  return useMutation({ mutationFn: (input: PersonInput) => api.post<PersonSummary>(coPath('people'), input), onSuccess: invalidate });
}

export function useUpdatePerson() {
  const invalidate = useInvalidateCoaching();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: Partial<PersonInput> }) => api.patch<PersonSummary>(coPath('people', id), input),
    onSuccess: invalidate,
  });
}

export function useDeletePerson() {
  const invalidate = useInvalidateCoaching();
  return useMutation({ mutationFn: (id: string) => api.delete<unknown>(coPath('people', id)), onSuccess: invalidate });
}

export function useSaveProfile() {
  const invalidate = useInvalidateCoaching();
  return useMutation({
    // api.ts has no put helper: PUT goes through the request function.
    mutationFn: ({ id, input }: { id: string; input: ProfileInput }) => apiRequest<unknown>(coPath('people', id, 'profile'), { method: 'PUT', body: input }),
    onSuccess: invalidate,
  });
}

// ---------------------------------------------------------------- analytics

export function useTeam(teamLeaderId: string | null, enabled = true) {
  return useRead<TeamView>(['team'], coPath('team'), { teamLeaderId }, { enabled });
}

export function useTeamSummaries(enabled = true) {
  return useRead<TeamSummaryList>(['team-summary'], coPath('team-summary'), undefined, { enabled });
}

export function useScorecard(agentId: string | undefined, range: { from?: string | null; to?: string | null } = {}) {
  return useRead<Scorecard>(['scorecard', agentId], coPath('agents', agentId ?? '', 'scorecard'), range, { enabled: Boolean(agentId) });
}

// ---------------------------------------------------------------- sessions, notes, items, plans (read for the scorecard)

export function useAgentSessions(agentId: string | undefined) {
  return useRead<List<SessionSummary>>(['sessions', 'agent', agentId], coPath('sessions'), { agentId }, { enabled: Boolean(agentId), retry: false });
}

export function useAgentActionItems(agentId: string | undefined) {
  return useRead<List<ActionItemSummary>>(['action-items', 'agent', agentId], coPath('action-items'), { agentId }, { enabled: Boolean(agentId), retry: false });
}

export function useAgentPlans(agentId: string | undefined) {
  return useRead<List<PlanSummary>>(['plans', 'agent', agentId], coPath('plans'), { agentId }, { enabled: Boolean(agentId), retry: false });
}

export function useAgentNotes(agentId: string | undefined) {
  return useRead<List<QuickNote>>(['notes', 'agent', agentId], coPath('notes'), { agentId, addressed: false }, { enabled: Boolean(agentId), retry: false });
}

export function useCreateNote() {
  const invalidate = useInvalidateCoaching();
  return useMutation({ mutationFn: (input: QuickNoteInput) => api.post<QuickNote>(coPath('notes'), input), onSuccess: invalidate });
}

export function useNotifications(enabled = true) {
  return useRead<List<Notification>>(['notifications'], coPath('notifications'), undefined, { enabled, retry: false });
}

export function useMarkNotificationRead() {
  const invalidate = useInvalidateCoaching();
  return useMutation({ mutationFn: (id: string) => api.post<unknown>(coPath('notifications', id, 'read'), {}), onSuccess: invalidate });
}

// ---------------------------------------------------------------- imports

export function useImportPreview() {
  return useMutation({
    mutationFn: ({ file, options }: { file: File; options?: ImportOptions }) => {
      const body = new FormData();
      if (options && Object.keys(options).length > 0) body.append('options', JSON.stringify(options));
      body.append('file', file, file.name);
      return api.upload<ImportPreview>(coPath('imports', 'preview'), body);
    },
  });
}

export function useStartImport() {
  const invalidate = useInvalidateCoaching();
  return useMutation({
    mutationFn: ({ file, options }: { file: File; options: ImportOptions }) => {
      const body = new FormData();
      body.append('options', JSON.stringify(options));
      body.append('file', file, file.name);
      return api.upload<ImportResult>(coPath('imports'), body);
    },
    onSuccess: invalidate,
  });
}

export function useImports() {
  return useRead<List<ImportLog>>(['imports', 'list'], coPath('imports'));
}

export function useImport(id: string | null) {
  return useRead<ImportDetail>(['imports', 'one', id], coPath('imports', id ?? ''), undefined, { enabled: Boolean(id) });
}

export function useRollbackImport() {
  const invalidate = useInvalidateCoaching();
  return useMutation({ mutationFn: (id: string) => api.post<ImportLog>(coPath('imports', id, 'rollback'), {}), onSuccess: invalidate });
}
