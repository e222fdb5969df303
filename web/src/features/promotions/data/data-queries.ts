import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../api';
import { PR_API, PR_KEY } from '../queries';

/** One row of the imported promo calendar (GET /api/promotions/promo-catalog). */
export type PromoCatalogRow = {
  id: string;
  promoName: string | null;
  dateStart: string;
  dateEnd: string;
  departments: string[] | null;
  channels: string[] | null;
  avgDiscountPct: number | null;
  mechanics: Record<string, unknown> | null;
  sourceFile: string | null;
  importJobId: string | null;
  createdAt: string;
};

/** One monthly target (GET /api/promotions/targets); department and channel null = the whole business. */
export type TargetRow = {
  id: string;
  month: string;
  geo: string;
  salesValueTarget: number;
  marginPctTarget: number;
  unitsTarget: number | null;
  department: string | null;
  channel: string | null;
  importJobId: string | null;
  createdAt: string;
  updatedAt: string;
};

/** One CDP segment (GET /api/promotions/segments); shares are fractions 0–1. */
export type SegmentRow = {
  segmentId: string;
  name: string;
  shareOfCustomers: number;
  shareOfRevenue: number;
  avgBasketValue: number;
  favCategories: string[] | null;
  discountSensitivity: string | null;
  purchaseFrequency: number | null;
  lastPurchaseDaysAgo: number | null;
  importJobId: string | null;
  updatedAt: string;
};

type Page<T> = { data: T[]; page: { limit: number; offset: number; total: number } };

/** The routes page at most 200 rows at a time; these lists are small (a calendar, a year of targets), so read them whole. */
const pageSize = 200;
const maxRows = 20_000;

async function readAll<T>(url: string, signal: AbortSignal): Promise<{ rows: T[]; total: number }> {
  const rows: T[] = [];
  let total = 0;
  do {
    const page = await api.get<Page<T>>(url, { limit: pageSize, offset: rows.length }, signal);
    total = page.page.total;
    rows.push(...page.data);
    if (page.data.length === 0) break;
  } while (rows.length < total && rows.length < maxRows);
  return { rows, total };
}

export function usePromoCatalog() {
  return useQuery({
    queryKey: [PR_KEY, 'data', 'promo-catalog'],
    queryFn: ({ signal }) => readAll<PromoCatalogRow>(`${PR_API}/promo-catalog`, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTargets() {
  return useQuery({
    queryKey: [PR_KEY, 'data', 'targets'],
    queryFn: ({ signal }) => readAll<TargetRow>(`${PR_API}/targets`, signal),
    placeholderData: keepPreviousData,
  });
}

export function useSegmentList() {
  return useQuery({
    queryKey: [PR_KEY, 'data', 'segments'],
    queryFn: ({ signal }) => api.get<SegmentRow[]>(`${PR_API}/segments`, undefined, signal),
    placeholderData: keepPreviousData,
  });
}
