import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../testing/test-database.js';
import { migrationsFolder } from './migrate.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** Runs drizzle-kit generate against a copy of a migrations folder; returns the SQL files it added and its output. */
function generateInto(seed: string | null) {
  // drizzle-kit resolves `out` relative to the working directory.
  const dir = mkdtempSync(path.join(repoRoot, 'node_modules', '.drift-'));
  try {
    if (seed) cpSync(seed, dir, { recursive: true });
    const before = readdirSync(dir).filter((f) => f.endsWith('.sql'));
    const output = execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/drizzle-kit/bin.cjs'), 'generate', '--name', 'drift_check'], {
      cwd: repoRoot,
      env: { ...process.env, DRIZZLE_OUT: path.relative(repoRoot, dir) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const added = readdirSync(dir).filter((f) => f.endsWith('.sql') && !before.includes(f));
    return { added, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(testDatabaseKind !== 'pglite')('committed migrations', () => {
  it('match the schema in code (drizzle-kit generate finds nothing to add)', () => {
    const { added, output } = generateInto(migrationsFolder);
    expect(added, `schema drift — run \`npm run db:generate\` and commit the migration.\n${output}`).toEqual([]);
    expect(output).toContain('No schema changes');
  });

  it('the check notices a difference (without migrations, generate writes one)', () => {
    const { added } = generateInto(null);
    expect(added).toHaveLength(1);
  });
});
