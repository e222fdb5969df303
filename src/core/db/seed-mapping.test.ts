import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

type MappingValue = string | { table: string; renamed?: Record<string, string>; dropped?: Record<string, string> };

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const seedTables = JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/seeds/seed-tables.json'), 'utf8')) as Record<string, Record<string, string[]>>;
const mapping = JSON.parse(readFileSync(path.join(repoRoot, 'docs/seed-mapping.json'), 'utf8')) as Record<string, Record<string, MappingValue>>;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.destroy());

describe('docs/seed-mapping.json', () => {
  it('names only seed tables that exist, and every column of each mapped table exists in the database', async () => {
    const columns = await database.query<{ table_schema: string; table_name: string; column_name: string }>(
      `select table_schema, table_name, column_name from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const present = new Set(columns.map((c) => `${c.table_schema}.${c.table_name}.${c.column_name}`));
    const missing: string[] = [];
    let checked = 0;
    for (const [seedFile, tables] of Object.entries(mapping)) {
      for (const [seedTable, value] of Object.entries(tables)) {
        const seedColumns = seedTables[seedFile]?.[seedTable];
        expect(seedColumns, `${seedFile} has no table ${seedTable}`).toBeDefined();
        const spec = typeof value === 'string' ? { table: value } : value;
        for (const column of seedColumns) {
          if (spec.dropped?.[column]) continue;
          const target = spec.renamed?.[column] ?? column;
          checked++;
          if (!present.has(`${spec.table}.${target}`)) missing.push(`${seedFile} ${seedTable}.${column} → ${spec.table}.${target}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});
