import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, apiRequest, type QueryParams } from '../../api';
import type {
  Backtest,
  BacktestProgress,
  ComparisonRow,
  CreativeBrief,
  ImportJob,
  ImportKind,
  ImportOptions,
  ImportPreview,
  ListResponse,
  Opportunity,
  PostMortem,
  SalesDaily,
  SalesSummary,
  Scenario,
  ScenarioInput,
  ScenarioKpis,
  Segment,
  UpliftCoefficient,
  ValidationReport,
} from './api-types';

export const PR_API = '/api/promotions';
/** Every promotions query key starts with this, so one invalidation refreshes the module after a change. */
export const PR_KEY = 'promotions';

const path = (...parts: string[]) => `${PR_API}/${parts.map((part) => encodeURIComponent(part)).join('/')}`;

/** Lists answer `{ data, page }` or a plain array; pages read both. */
export function rowsOf<T>(payload: ListResponse<T> | T[] | undefined | null): T[] {
  if (!payload) return [];
  return Array.isArray(payload) ? payload : (payload.data ?? []);
}

function useInvalidatePromotions() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [PR_KEY] });
}

function useRead<T>(key: unknown[], url: string, query?: QueryParams, options: { enabled?: boolean; refetchInterval?: number | false } = {}) {
  return useQuery({
    queryKey: [PR_KEY, ...key, query ?? null],
    queryFn: ({ signal }) => api.get<T>(url, query, signal),
    placeholderData: keepPreviousData,
    ...options,
  });
}

/** A 404 means "nothing yet" for one-per-scenario reads (validation, brief, post-mortem). */
async function getOrNull<T>(url: string, signal: AbortSignal): Promise<T | null> {
  try {
    return await api.get<T>(url, undefined, signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

// ---------------------------------------------------------------- sales

export function useSalesSummary() {
  return useRead<SalesSummary>(['sales', 'summary'], path('sales', 'summary'));
}

export function useSalesDaily(query: { from?: string | null; to?: string | null; department?: string | null; channel?: string | null }, enabled = true) {
  return useRead<SalesDaily>(['sales', 'daily'], path('sales', 'daily'), query, { enabled });
}

// ---------------------------------------------------------------- imports

export function useImportPreview() {
  return useMutation({
    mutationFn: ({ kind, file, sheet }: { kind: ImportKind; file: File; sheet?: string | null }) => {
      const body = new FormData();
      body.append('kind', kind);
      if (sheet) body.append('options', JSON.stringify({ sheet }));
      body.append('files', file, file.name);
      return api.upload<ImportPreview>(path('imports', 'preview'), body);
    },
  });
}

export function useStartImport() {
  const invalidate = useInvalidatePromotions();
  return useMutation({
    mutationFn: ({ kind, files, options }: { kind: ImportKind; files: File[]; options?: ImportOptions }) => {
      const body = new FormData();
      body.append('kind', kind);
      if (options && Object.keys(options).length > 0) body.append('options', JSON.stringify(options));
      for (const file of files) body.append('files', file, file.name);
      return api.upload<ImportJob>(path('imports'), body);
    },
    onSuccess: invalidate,
  });
}

export function useImportJobs() {
  return useRead<ListResponse<ImportJob> | ImportJob[]>(['imports', 'list'], path('imports'), { limit: 20 });
}

/** Polls a job while it runs. */
export function useImportJob(id: string | null) {
  const invalidate = useInvalidatePromotions();
  return useQuery({
    queryKey: [PR_KEY, 'imports', 'one', id],
    queryFn: async ({ signal }) => {
      const job = await api.get<ImportJob>(path('imports', id ?? ''), undefined, signal);
      if (job.status === 'completed' || job.status === 'failed') void invalidate();
      return job;
    },
    enabled: Boolean(id),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'completed' || status === 'failed' ? false : 700;
    },
  });
}

// ---------------------------------------------------------------- planning

export function useSegments() {
  return useRead<ListResponse<Segment> | Segment[]>(['segments'], path('segments'));
}

export function useOpportunities(month: string | null) {
  return useRead<Opportunity[]>(['opportunities'], path('opportunities'), { month }, { enabled: Boolean(month) });
}

export function useComputeOpportunities() {
  const invalidate = useInvalidatePromotions();
  return useMutation({ mutationFn: (month: string) => api.post<unknown>(path('opportunities', 'compute'), { month }), onSuccess: invalidate });
}

export function usePlanFromOpportunity() {
  const invalidate = useInvalidatePromotions();
  return useMutation({
    mutationFn: (id: string) => api.post<{ opportunity: Opportunity; scenarios: Scenario[] }>(path('opportunities', id, 'scenarios'), {}),
    onSuccess: invalidate,
  });
}

export function useScenarios() {
  return useRead<ListResponse<Scenario>>(['scenarios', 'list'], path('scenarios'), { limit: 200, sort: '-updatedAt' });
}

export function useScenario(id: string | undefined) {
  return useRead<Scenario>(['scenarios', 'one', id], path('scenarios', id ?? ''), undefined, { enabled: Boolean(id) });
}

export function useScenarioKpis(id: string | undefined) {
  return useRead<{ current: ScenarioKpis | null; history: ScenarioKpis[] }>(['scenarios', 'kpis', id], path('scenarios', id ?? '', 'kpis'), undefined, {
    enabled: Boolean(id),
  });
}

export function useSaveScenario() {
  const invalidate = useInvalidatePromotions();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: ScenarioInput }) =>
      id ? api.patch<Scenario>(path('scenarios', id), input) : api.post<Scenario>(path('scenarios'), input),
    onSuccess: invalidate,
  });
}

export function useCopyScenario() {
  const invalidate = useInvalidatePromotions();
  return useMutation({ mutationFn: (id: string) => api.post<Scenario>(path('scenarios', id, 'copy'), {}), onSuccess: invalidate });
}

export function useDeleteScenario() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(path('scenarios', id)),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: [PR_KEY, 'scenarios', 'one', id] });
      void queryClient.invalidateQueries({ queryKey: [PR_KEY, 'scenarios', 'list'] });
    },
  });
}

export function previewScenario(draft: Pick<ScenarioInput, 'dateRangeStart' | 'dateRangeEnd' | 'mechanics' | 'scenarioType'>, signal?: AbortSignal) {
  return fetchJsonPost<ScenarioKpis>(path('scenarios', 'preview'), draft, signal);
}

/** POST with an abort signal (the shared `api.post` has none): stale previews are cancelled while typing. */
function fetchJsonPost<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>(url, { method: 'POST', body, signal });
}

export function useUpliftCoefficients() {
  return useRead<UpliftCoefficient[]>(['uplift', 'current'], path('uplift-coefficients'));
}

export function useUpliftHistory(key: { department: string; channel: string; discountBand: string } | null) {
  return useRead<UpliftCoefficient[]>(['uplift', 'history'], path('uplift-coefficients', 'history'), key ?? undefined, {
    enabled: Boolean(key),
  });
}

export function useFitUplift() {
  const invalidate = useInvalidatePromotions();
  return useMutation({ mutationFn: () => api.post<unknown>(path('uplift-coefficients', 'fit'), {}), onSuccess: invalidate });
}

// ---------------------------------------------------------------- learning

/** Validation reports of several scenarios (lists): one request each, a 404 meaning "not validated". */
export function useValidations(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: [PR_KEY, 'scenarios', 'validation', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => getOrNull<ValidationReport>(path('scenarios', id, 'validation'), signal),
    })),
  });
}

export function useValidation(id: string | undefined) {
  return useQuery({
    queryKey: [PR_KEY, 'scenarios', 'validation', id],
    queryFn: ({ signal }) => getOrNull<ValidationReport>(path('scenarios', id ?? '', 'validation'), signal),
    enabled: Boolean(id),
  });
}

export function useValidate() {
  const invalidate = useInvalidatePromotions();
  return useMutation({ mutationFn: (id: string) => api.post<ValidationReport>(path('scenarios', id, 'validate'), {}), onSuccess: invalidate });
}

export function useComparison(ids: string[]) {
  return useRead<{ data: ComparisonRow[]; recommendedScenarioId: string | null; reason: string }>(
    ['comparison'],
    path('comparison'),
    { ids: ids.join(',') },
    { enabled: ids.length >= 2 },
  );
}

export function usePostMortems() {
  return useRead<ListResponse<PostMortem> | PostMortem[]>(['post-mortems', 'list'], path('post-mortems'), { limit: 200 });
}

export function usePostMortem(scenarioId: string | undefined) {
  return useQuery({
    queryKey: [PR_KEY, 'post-mortems', 'one', scenarioId],
    queryFn: ({ signal }) => getOrNull<PostMortem>(path('scenarios', scenarioId ?? '', 'post-mortem'), signal),
    enabled: Boolean(scenarioId),
  });
}

export function useRunPostMortem() {
  const invalidate = useInvalidatePromotions();
  return useMutation({
    mutationFn: (scenarioId: string) => api.post<{ report: PostMortem; coefficients: UpliftCoefficient[] }>(path('scenarios', scenarioId, 'post-mortem'), {}),
    onSuccess: invalidate,
  });
}

export function useBrief(id: string | undefined) {
  return useQuery({
    queryKey: [PR_KEY, 'scenarios', 'brief', id],
    queryFn: ({ signal }) => getOrNull<CreativeBrief>(path('scenarios', id ?? '', 'brief'), signal),
    enabled: Boolean(id),
  });
}

export function useGenerateBrief() {
  const invalidate = useInvalidatePromotions();
  return useMutation({ mutationFn: (id: string) => api.post<CreativeBrief>(path('scenarios', id, 'brief'), {}), onSuccess: invalidate });
}

export function useSaveBrief() {
  const invalidate = useInvalidatePromotions();
  return useMutation({
    mutationFn: ({ id, brief, assets }: { id: string; brief: Record<string, unknown>; assets: Record<string, unknown>[] | null }) =>
      fetchJsonPut<CreativeBrief>(path('scenarios', id, 'brief'), { brief, assets }),
    onSuccess: invalidate,
  });
}

function fetchJsonPut<T>(url: string, body: unknown): Promise<T> {
  return apiRequest<T>(url, { method: 'PUT', body });
}

// ---------------------------------------------------------------- forecasting

export function useLatestBacktest() {
  return useQuery({
    queryKey: [PR_KEY, 'backtests', 'latest'],
    queryFn: ({ signal }) => getOrNull<Backtest>(path('backtests', 'latest'), signal),
  });
}

/** Starts a backtest: the answer (202) is the running run; follow it with useBacktest(id). */
export function useRunBacktest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Record<string, unknown>) => api.post<Backtest>(path('backtests'), input),
    onSuccess: (run) => {
      queryClient.setQueryData([PR_KEY, 'backtests', 'one', run.id], run);
      void queryClient.invalidateQueries({ queryKey: [PR_KEY, 'backtests', 'list'] });
    },
  });
}

/** A run still being fitted, or completed with its stored forecasts not yet refreshed. */
export function backtestInFlight(run: Backtest | null | undefined): boolean {
  if (!run) return false;
  const step = (run.parameters.progress as BacktestProgress | undefined)?.step;
  return run.status === 'running' || (run.status === 'completed' && step !== undefined && step !== 'done');
}

/** One run, polled while it is in flight; when it ends, the rest of the module (latest run, forecasts) is refreshed. */
export function useBacktest(id: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: [PR_KEY, 'backtests', 'one', id],
    queryFn: async ({ signal }) => {
      const before = queryClient.getQueryData<Backtest>([PR_KEY, 'backtests', 'one', id]);
      const run = await api.get<Backtest>(path('backtests', id ?? ''), undefined, signal);
      if (backtestInFlight(before) && !backtestInFlight(run)) {
        void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === PR_KEY && !(q.queryKey[1] === 'backtests' && q.queryKey[2] === 'one') });
      }
      return run;
    },
    enabled: Boolean(id),
    refetchInterval: (query) => (backtestInFlight(query.state.data) ? 1000 : false),
  });
}

/** The newest run when it is still running (so a reloaded page follows it), else null. */
export function useRunningBacktest() {
  return useQuery({
    queryKey: [PR_KEY, 'backtests', 'list', 'running'],
    queryFn: async ({ signal }) => {
      const page = await api.get<ListResponse<Backtest>>(path('backtests'), { limit: 1 }, signal);
      const newest = rowsOf(page)[0];
      return newest && newest.status === 'running' ? newest : null;
    },
  });
}

// ---------------------------------------------------------------- settings

export type ValidationSettings = {
  marginFloorPct: number;
  marginFloorPctByDepartment: Record<string, number>;
  marginWarnBandPts: number;
  maxDiscountPct: number;
  maxDiscountPctByDepartment: Record<string, number>;
  overlapMinGapDays: number;
  neighbourDepartments: string[][];
  cannibalizationMinDiscountPct: number;
  cannibalizationMaxLearnedPct: number;
  minGapClosurePct: number;
  minConfidence: number;
  cannibalizationSignalPct: number;
  learningWeightPerDay: number;
  learningPriorSampleCap: number;
  learningDefaultPriorSample: number;
};

export function useValidationSettings() {
  return useQuery({
    queryKey: [PR_KEY, 'settings', 'validation'],
    queryFn: ({ signal }) => api.get<ValidationSettings>(path('settings', 'validation'), undefined, signal),
  });
}

export function useSaveValidationSettings() {
  const invalidate = useInvalidatePromotions();
  return useMutation({
    mutationFn: (patch: Partial<ValidationSettings>) => fetchJsonPut<ValidationSettings>(path('settings', 'validation'), patch),
    onSuccess: invalidate,
  });
}
