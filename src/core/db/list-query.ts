import { asc, desc, type AnyColumn, type SQL } from 'drizzle-orm';
import { z } from 'zod';

/**
 * The one listing convention of the API: `limit` (1–200, default 50), `offset`, `sort` (a field, `-` prefix for
 * descending), `q` (free text) and named filters; answers `{ data, page: { limit, offset, total } }`.
 */
export function listQuerySchema<const S extends readonly [string, ...string[]], F extends z.ZodRawShape>(sortFields: S, defaultSort: string, filters: F) {
  const sortValues = sortFields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
  return z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
    sort: z.enum(sortValues).default(defaultSort),
    q: z.string().trim().min(1).max(200).optional(),
    ...filters,
  });
}

export interface Page<T> {
  data: T[];
  page: { limit: number; offset: number; total: number };
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), page: z.object({ limit: z.number(), offset: z.number(), total: z.number() }) });

/** Turns `-createdAt` into ORDER BY created_at DESC, with a tiebreaker so pages never overlap. */
export function orderBy(sort: string, columns: Record<string, AnyColumn | SQL>, tiebreaker: AnyColumn): SQL[] {
  const descending = sort.startsWith('-');
  const column = columns[descending ? sort.slice(1) : sort];
  if (!column) throw new Error(`No column registered for sort field ${sort}`);
  return [descending ? desc(column) : asc(column), asc(tiebreaker)];
}

/** Escapes LIKE wildcards so a search for "50%" means the text 50%. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
