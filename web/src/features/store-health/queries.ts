import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, apiRequest, type QueryParams } from '../../api';
import type {
  Alert,
  AlertDetail,
  BacktestInput,
  BacktestReport,
  Call,
  CallScript,
  CallScriptInput,
  CallScriptPreview,
  CallScriptsResponse,
  Closure,
  ClosureInput,
  District,
  Escalation,
  EscalationRule,
  EscalationRuleInput,
  ImportKind,
  ImportResult,
  KpiDefinition,
  KpiDefinitionInput,
  KpiThresholds,
  ListResponse,
  Overview,
  Prediction,
  Region,
  Store,
  StoreHealth,
  StoreInput,
  Task,
  TaskPatch,
  ThresholdInput,
} from './api-types';

export const SH_API = '/api/store-health';
/** Every store-health query key starts with this, so one invalidation refreshes the module after a change. */
export const SH_KEY = 'store-health';
/** The API's largest page: lookups (regions, districts, KPIs, rules) fit in one page. */
const ALL = { limit: 200 } as const;

const path = (...parts: string[]) => `${SH_API}/${parts.map((part) => encodeURIComponent(part)).join('/')}`;

function useInvalidateStoreHealth() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [SH_KEY] });
}

function useList<T>(resource: string, query: QueryParams, options: { enabled?: boolean; refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: [SH_KEY, resource, 'list', query],
    queryFn: ({ signal }) => api.get<ListResponse<T>>(path(resource), query, signal),
    placeholderData: keepPreviousData,
    ...options,
  });
}

// ---------------------------------------------------------------- overview & store health

export function useOverview(date: string | null) {
  return useQuery({
    queryKey: [SH_KEY, 'overview', date],
    queryFn: ({ signal }) => api.get<Overview>(path('overview'), { date }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 5 * 60_000,
  });
}

export function useStoreHealth(storeId: string, range: { from?: string; to?: string } = {}) {
  return useQuery({
    queryKey: [SH_KEY, 'store-health', storeId, range],
    queryFn: ({ signal }) => api.get<StoreHealth>(path('stores', storeId, 'health'), range, signal),
    placeholderData: keepPreviousData,
  });
}

export function useEvaluate() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({
    mutationFn: (input: { from: string; to: string }) => api.post<{ jobId: string }>(path('evaluate'), input),
    onSuccess: invalidate,
  });
}

// ---------------------------------------------------------------- org structure

export function useRegions() {
  return useList<Region>('regions', ALL);
}

export function useDistricts() {
  return useList<District>('districts', ALL);
}

export function useStores(query: QueryParams) {
  return useList<Store>('stores', query);
}

export function useStore(storeId: string | undefined) {
  return useQuery({
    queryKey: [SH_KEY, 'stores', 'one', storeId],
    queryFn: ({ signal }) => api.get<Store>(path('stores', storeId ?? ''), undefined, signal),
    enabled: Boolean(storeId),
  });
}

export function useSaveStore() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: StoreInput }) =>
      id ? api.patch<Store>(path('stores', id), input) : api.post<Store>(path('stores'), input),
    onSuccess: invalidate,
  });
}

export function useDeleteStore() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({ mutationFn: (id: string) => api.delete(path('stores', id)), onSuccess: invalidate });
}

export function useClosures(query: QueryParams, enabled = true) {
  return useList<Closure>('closures', query, { enabled });
}

export function useCreateClosure() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({ mutationFn: (input: ClosureInput) => api.post<Closure>(path('closures'), input), onSuccess: invalidate });
}

export function useDeleteClosure() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({ mutationFn: (id: string) => api.delete(path('closures', id)), onSuccess: invalidate });
}

// ---------------------------------------------------------------- KPIs & thresholds

export function useKpis() {
  return useList<KpiDefinition>('kpis', ALL);
}

export function useSaveKpi() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: KpiDefinitionInput }) =>
      id ? api.patch<KpiDefinition>(path('kpis', id), input) : api.post<KpiDefinition>(path('kpis'), input),
    onSuccess: invalidate,
  });
}

export function useKpiThresholds(kpiId: string | null) {
  return useQuery({
    queryKey: [SH_KEY, 'kpis', 'thresholds', kpiId],
    queryFn: ({ signal }) => api.get<KpiThresholds>(path('kpis', kpiId ?? '', 'thresholds'), undefined, signal),
    enabled: Boolean(kpiId),
  });
}

export function useSaveThreshold() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({
    mutationFn: ({ kpiId, input }: { kpiId: string; input: ThresholdInput }) =>
      apiRequest<unknown>(path('kpis', kpiId, 'thresholds'), { method: 'PUT', body: input }),
    onSuccess: invalidate,
  });
}

export function useDeleteThreshold() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({
    mutationFn: ({ kpiId, thresholdId }: { kpiId: string; thresholdId: string }) => api.delete(path('kpis', kpiId, 'thresholds', thresholdId)),
    onSuccess: invalidate,
  });
}

// ---------------------------------------------------------------- alerts & tasks

export function useAlerts(query: QueryParams, options: { enabled?: boolean } = {}) {
  return useList<Alert>('alerts', query, { refetchInterval: 60_000, ...options });
}

export function useAlert(alertId: string | null) {
  return useQuery({
    queryKey: [SH_KEY, 'alerts', 'one', alertId],
    queryFn: ({ signal }) => api.get<AlertDetail>(path('alerts', alertId ?? ''), undefined, signal),
    enabled: Boolean(alertId),
  });
}

export function useAcknowledgeAlerts() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({
    // One request per alert: the contract has no bulk endpoint. Settled so one failure does not hide the others.
    mutationFn: async ({ ids, note }: { ids: string[]; note?: string }) => {
      const results = await Promise.allSettled(ids.map((id) => api.post<Alert>(path('alerts', id, 'acknowledge'), note ? { note } : {})));
      const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      return { acknowledged: ids.length - failures.length, failures: failures.map((failure) => failure.reason as unknown) };
    },
    onSettled: invalidate,
  });
}

export function useResolveAlert() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({
    mutationFn: ({ id, resolution }: { id: string; resolution: string }) => api.post<Alert>(path('alerts', id, 'resolve'), { resolution }),
    onSuccess: invalidate,
  });
}

export function useTasks(query: QueryParams, options: { enabled?: boolean } = {}) {
  return useList<Task>('tasks', query, { refetchInterval: 60_000, ...options });
}

export function useUpdateTask() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: TaskPatch }) => api.patch<Task>(path('tasks', id), patch),
    onSuccess: invalidate,
  });
}

// ---------------------------------------------------------------- escalations & calls

export function useEscalationRules() {
  return useList<EscalationRule>('escalation-rules', ALL);
}

export function useSaveEscalationRule() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: EscalationRuleInput }) =>
      id ? api.patch<EscalationRule>(path('escalation-rules', id), input) : api.post<EscalationRule>(path('escalation-rules'), input),
    onSuccess: invalidate,
  });
}

export function useDeleteEscalationRule() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({ mutationFn: (id: string) => api.delete(path('escalation-rules', id)), onSuccess: invalidate });
}

export function useEscalations(query: QueryParams, enabled = true) {
  return useList<Escalation>('escalations', query, { enabled });
}

export function useCallScripts() {
  return useQuery({
    queryKey: [SH_KEY, 'call-scripts'],
    queryFn: ({ signal }) => api.get<CallScriptsResponse>(path('call-scripts'), undefined, signal),
  });
}

export function useCreateCallScript() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({ mutationFn: (input: CallScriptInput) => api.post<CallScript>(path('call-scripts'), input), onSuccess: invalidate });
}

export function usePreviewCallScript() {
  return useMutation({
    mutationFn: ({ scriptId, storeId, alertId }: { scriptId: string; storeId?: string | null; alertId?: string | null }) =>
      api.post<CallScriptPreview>(path('call-scripts', scriptId, 'preview'), { ...(storeId ? { storeId } : {}), ...(alertId ? { alertId } : {}) }),
  });
}

export function useCalls(query: QueryParams, enabled = true) {
  return useList<Call>('calls', query, { enabled });
}

export function useCall(callId: string | null) {
  return useQuery({
    queryKey: [SH_KEY, 'calls', 'one', callId],
    queryFn: ({ signal }) => api.get<Call>(path('calls', callId ?? ''), undefined, signal),
    enabled: Boolean(callId),
    staleTime: 5 * 60_000,
  });
}

// ---------------------------------------------------------------- prediction

export function usePredictions(query: { storeId: string; from?: string; to?: string; limit?: number }) {
  return useList<Prediction>('predictions', { limit: 200, ...query });
}

export function useLatestBacktest() {
  return useQuery({
    queryKey: [SH_KEY, 'backtests', 'latest'],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<BacktestReport>(path('backtests', 'latest'), undefined, signal);
      } catch (error) {
        // No backtest has run yet: an empty report, not an error.
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

export function useRunBacktest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: BacktestInput) => api.post<BacktestReport>(path('backtest'), input),
    onSuccess: (report) => queryClient.setQueryData([SH_KEY, 'backtests', 'latest'], report),
  });
}

// ---------------------------------------------------------------- imports

/** Multipart upload in the field `file`. */
function uploadImport(kind: ImportKind, file: File): Promise<ImportResult> {
  const body = new FormData();
  body.append('file', file, file.name);
  return api.upload<ImportResult>(path('imports', kind), body);
}

export function useImportFile() {
  const invalidate = useInvalidateStoreHealth();
  return useMutation({
    mutationFn: ({ kind, file }: { kind: ImportKind; file: File }) => uploadImport(kind, file),
    onSuccess: invalidate,
  });
}
