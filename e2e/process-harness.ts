import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  msToHealthy: number;
}

/** Starts `retailops <command>` as a real process on a data folder and waits until /api/health answers ok. */
export async function startServerProcess(dataDir: string, env: Record<string, string> = {}, command = 'start', timeoutMs = 60_000): Promise<RunningServer> {
  const started = performance.now();
  let output = '';
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/retailops.mjs'), command], {
    cwd: repoRoot,
    env: { ...process.env, RETAILOPS_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', RETAILOPS_DEMO: 'core', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`retailops ${command} exited with ${child.exitCode}:\n${output}`);
    // The banner names the address actually listened on (PORT=0 picks a free one).
    const listening = /Web app:\s+(http:\/\/\S+)/.exec(output);
    if (listening) {
      const baseUrl = listening[1].replace('localhost', '127.0.0.1');
      const health = await fetch(`${baseUrl}/api/health`).catch(() => null);
      if (health?.ok && ((await health.json()) as { status: string }).status === 'ok')
        return { child, baseUrl, output: () => output, msToHealthy: performance.now() - started };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`retailops ${command} not healthy within ${timeoutMs} ms:\n${output}`);
}

export function waitForExit(child: ChildProcess): Promise<number | null> {
  const exited = child.exitCode !== null || child.signalCode !== null;
  return new Promise((resolve) => (exited ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

/** Creates an empty PostgreSQL database on the TEST_DATABASE_URL server for one test and drops it afterwards. */
export async function withScratchPostgresDatabase<T>(serverUrl: string, label: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `retailops_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
