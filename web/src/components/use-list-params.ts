import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type QueryParams } from '../api';
import type { ListResponse } from '../api-types';

export const PAGE_SIZES = [25, 50, 100, 200] as const;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

export type ListParams<Filter extends string = string> = {
  limit: number;
  offset: number;
  sort: string;
  q: string;
  filters: Record<Filter, string>;
};

export type ListParamsUpdate<Filter extends string = string> = Partial<Omit<ListParams<Filter>, 'filters'>> & {
  filters?: Partial<Record<Filter, string | null>>;
};

export type ListController<Filter extends string = string> = {
  params: ListParams<Filter>;
  update: (patch: ListParamsUpdate<Filter>) => void;
  reset: () => void;
  hasActiveFilters: boolean;
  /** Query parameters for the API, in the shared list convention. */
  query: QueryParams;
};

function parseNonNegativeInt(value: string | null, fallback: number): number {
  const parsed = value === null ? Number.NaN : Number.parseInt(value, 10);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

/** List state (paging, sorting, search, filters) kept in the URL so views are shareable and survive reloads. */
export function useListParams<Filter extends string = never>(options: {
  defaultSort: string;
  filterKeys?: readonly Filter[];
  defaultLimit?: number;
}): ListController<Filter> {
  const { defaultSort, defaultLimit = DEFAULT_LIMIT } = options;
  const filterKeys = useMemo(() => options.filterKeys ?? [], [options.filterKeys]);
  const [searchParams, setSearchParams] = useSearchParams();

  const params = useMemo<ListParams<Filter>>(() => {
    const filters = {} as Record<Filter, string>;
    for (const key of filterKeys) filters[key] = searchParams.get(key) ?? '';
    return {
      limit: Math.min(MAX_LIMIT, Math.max(1, parseNonNegativeInt(searchParams.get('limit'), defaultLimit))),
      offset: parseNonNegativeInt(searchParams.get('offset'), 0),
      sort: searchParams.get('sort') ?? defaultSort,
      q: searchParams.get('q') ?? '',
      filters,
    };
  }, [searchParams, filterKeys, defaultSort, defaultLimit]);

  const update = useCallback(
    (patch: ListParamsUpdate<Filter>) => {
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          const set = (key: string, value: string | number | null | undefined, defaultValue?: string | number) => {
            if (value === undefined) return;
            if (value === null || value === '' || value === defaultValue) next.delete(key);
            else next.set(key, String(value));
          };
          set('limit', patch.limit, defaultLimit);
          set('sort', patch.sort, defaultSort);
          set('q', patch.q);
          for (const [key, value] of Object.entries(patch.filters ?? {}) as [string, string | null | undefined][]) {
            set(key, value);
          }
          // Any change other than paging sends the user back to the first page.
          if (patch.offset !== undefined) set('offset', patch.offset, 0);
          else next.delete('offset');
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams, defaultLimit, defaultSort],
  );

  const reset = useCallback(() => {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const key of ['q', 'offset', ...filterKeys]) next.delete(key);
        return next;
      },
      { replace: true },
    );
  }, [setSearchParams, filterKeys]);

  const hasActiveFilters = params.q !== '' || filterKeys.some((key) => params.filters[key] !== '');

  const query = useMemo<QueryParams>(() => ({ limit: params.limit, offset: params.offset, sort: params.sort, q: params.q, ...params.filters }), [params]);

  return { params, update, reset, hasActiveFilters, query };
}

export function useListQuery<T>(key: string, path: string, query: QueryParams, options: { refetchInterval?: number; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [key, 'list', query],
    queryFn: ({ signal }) => api.get<ListResponse<T>>(path, query, signal),
    placeholderData: keepPreviousData,
    ...options,
  });
}
