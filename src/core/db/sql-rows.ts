import type { SQL } from 'drizzle-orm';
import type { Db } from './connection.js';

/** Rows of a raw SQL statement; both drivers answer `{ rows }`, the generic Db type just does not say so. */
export async function sqlRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
