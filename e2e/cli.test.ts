import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, startServerProcess, waitForExit, withScratchPostgresDatabase } from './process-harness.js';

const run = promisify(execFile);
const bin = path.join(repoRoot, 'bin/retailops.mjs');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDataDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retailops-cli-'));
  dirs.push(dir);
  return dir;
}

async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function loginStatus(baseUrl: string, email: string, password: string) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return response.status;
}

describe('retailops CLI on the embedded database', () => {
  it('prints help with every command', async () => {
    const help = await cli(['--help'], {});
    for (const command of ['start', 'serve', 'worker', 'migrate', 'demo', 'user', 'token', 'org', 'db']) expect(help.stdout).toContain(command);
  });

  it('works while `start` holds the database (through the server), and a second server is refused clearly', async () => {
    const dataDir = tempDataDir();
    const server = await startServerProcess(dataDir);
    try {
      const env = { RETAILOPS_DATA_DIR: dataDir };
      const org = await cli(['org', 'create', '--slug', 'acme', '--name', 'Acme Stores', '--timezone', 'Europe/Paris'], env);
      expect(org.code, org.stderr).toBe(0);
      expect(org.stderr).toContain('running through it');
      const user = await cli(['user', 'create', '--email', 'ops@acme.test', '--password', 'acme-password-1', '--org', 'acme', '--role', 'manager'], env);
      expect(user.code, user.stderr).toBe(0);
      expect(await loginStatus(server.baseUrl, 'ops@acme.test', 'acme-password-1')).toBe(200);

      const token = await cli(['token', 'create', '--org', 'acme', '--email', 'ops@acme.test', '--name', 'pos sync', '--json'], env);
      expect(token.code, token.stderr).toBe(0);
      const { token: secret } = JSON.parse(token.stdout);
      const me = await fetch(`${server.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
      expect(((await me.json()) as { organization: { slug: string } }).organization.slug).toBe('acme');

      const reset = await cli(['user', 'reset-password', '--email', 'ops@acme.test', '--password', 'another-password-2'], env);
      expect(reset.code, reset.stderr).toBe(0);
      expect(await loginStatus(server.baseUrl, 'ops@acme.test', 'another-password-2')).toBe(200);

      const info = await cli(['db', 'info', '--json'], env);
      expect(JSON.parse(info.stdout).organizations.map((o: { slug: string }) => o.slug)).toEqual(['acme', 'demo', 'northwind']);
      const demo = await cli(['demo', '--only', 'core'], env);
      expect(demo.code, demo.stderr).toBe(0);
      const again = await cli(['db', 'info', '--json'], env);
      expect(JSON.parse(again.stdout).users).toBe(JSON.parse(info.stdout).users);

      const bad = await cli(['user', 'create', '--email', 'x@acme.test', '--password', 'short', '--org', 'acme'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('at least 8 characters');

      const second = await cli(['serve'], { ...env, PORT: '0' });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/in use by `retailops start` \(pid \d+, serving on port \d+\)/);
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
    // After the server stopped, commands open the database themselves.
    const info = await cli(['db', 'info'], { RETAILOPS_DATA_DIR: dataDir });
    expect(info.code, info.stderr).toBe(0);
    expect(info.stderr).not.toContain('running through it');
    expect(info.stdout).toContain('acme');
  }, 120_000);
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)('retailops CLI with DATABASE_URL', () => {
  it('migrates an empty database, changes nothing the second time, then serves on it', async () => {
    await withScratchPostgresDatabase(postgresUrl!, 'cli', async (databaseUrl) => {
      const env = { DATABASE_URL: databaseUrl, RETAILOPS_DATA_DIR: tempDataDir() };
      const first = await cli(['migrate'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/Applied \d+ migration/);
      const schemaShape = async () => {
        const client = new pg.Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        const { rows } = await client.query(
          `select table_schema, table_name, column_name, data_type from information_schema.columns where table_schema not in ('pg_catalog','information_schema') order by 1, 2, 3`,
        );
        await client.end();
        return rows;
      };
      const before = await schemaShape();
      const second = await cli(['migrate', '--json'], env);
      expect(JSON.parse(second.stdout)).toMatchObject({ newlyApplied: 0, pending: 0 });
      expect(await schemaShape()).toEqual(before);

      const server = await startServerProcess(env.RETAILOPS_DATA_DIR, env, 'start');
      try {
        const health = (await (await fetch(`${server.baseUrl}/api/health`)).json()) as { database: { kind: string } };
        expect(health.database.kind).toBe('postgres');
        expect(server.output()).toContain('Login:');
        // The embedded database is not involved, so CLI commands run beside the server.
        const info = await cli(['db', 'info', '--json'], env);
        expect(JSON.parse(info.stdout)).toMatchObject({ kind: 'postgres', organizations: expect.arrayContaining([expect.objectContaining({ slug: 'demo' })]) });
      } finally {
        server.child.kill('SIGTERM');
        await waitForExit(server.child);
      }
    });
  }, 120_000);
});
