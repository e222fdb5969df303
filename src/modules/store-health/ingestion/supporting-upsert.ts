import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import type { UpsertCounts } from './ingest-result.js';

/** A labor or inventory table as the generic upsert sees it; names are fixed in code, never taken from input. */
export interface SupportingTable {
  table: string;
  /** Columns the JSON rows carry, with their SQL types (store_id included). */
  columns: { name: string; type: string }[];
  /** The natural key: the table's unique index. */
  key: string[];
  /** Column expressions computed from `i` (the input row) instead of taken as given. */
  computed?: Record<string, string>;
  /** Input columns that feed computed ones but are not stored. */
  inputOnly?: string[];
  hasUpdatedAt: boolean;
}

const chunkSize = 10_000;

/**
 * Inserts new rows and updates changed ones by natural key, leaving identical rows untouched; counts each kind
 * from the pre-write snapshot the statement sees (see metric-writer.ts).
 */
export async function upsertSupportingRows(ctx: ServiceContext, spec: SupportingTable, rows: Record<string, unknown>[]): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const inputColumns = spec.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const computedNames = Object.keys(spec.computed ?? {});
  const targetColumns = [...spec.columns.map((c) => c.name).filter((n) => !computedNames.includes(n) && !spec.inputOnly?.includes(n)), ...computedNames];
  const selectExpressions = targetColumns.map((name) => spec.computed?.[name] ?? `i.${name}`);
  const valueColumns = targetColumns.filter((c) => !spec.key.includes(c));
  const keyJoin = spec.key.map((k) => `t.${k} = i.${k}`).join(' and ');
  const nowIso = ctx.clock.now().toISOString();
  const stamps = spec.hasUpdatedAt ? ['created_at', 'updated_at'] : ['created_at'];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const payload = JSON.stringify(rows.slice(start, start + chunkSize));
    const result = (await ctx.db.execute(sql`
      with i as (select * from json_to_recordset(${payload}::json) as x(${sql.raw(inputColumns)})),
      prior as (
        select (t.id is not null) as existed from i
        left join ${sql.raw(spec.table)} t on ${sql.raw(keyJoin)}
      ),
      written as (
        insert into ${sql.raw(spec.table)} as t (organization_id, ${sql.raw(targetColumns.join(', '))}, ${sql.raw(stamps.join(', '))})
        select ${ctx.organization.id}::uuid, ${sql.raw(selectExpressions.join(', '))}, ${sql.join(
          stamps.map(() => sql`${nowIso}::timestamptz`),
          sql`, `,
        )}
        from i
        on conflict (${sql.raw(spec.key.join(', '))}) do update set
          ${sql.raw([...valueColumns.map((c) => `${c} = excluded.${c}`), ...(spec.hasUpdatedAt ? ['updated_at = excluded.updated_at'] : [])].join(', '))}
        where (${sql.raw(valueColumns.map((c) => `t.${c}`).join(', '))}, true)
          is distinct from (${sql.raw(valueColumns.map((c) => `excluded.${c}`).join(', '))}, true)
        returning t.id
      )
      select (select count(*) from prior)::int as total, (select count(*) from prior where not existed)::int as inserted,
        (select count(*) from written)::int as written
    `)) as unknown as { rows: { total: number; inserted: number; written: number }[] };
    const { total, inserted, written } = result.rows[0];
    counts.inserted += inserted;
    counts.updated += written - inserted;
    counts.unchanged += total - written;
  }
  return counts;
}
