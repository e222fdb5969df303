import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, waitForExit } from './process-harness.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'retailops-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function signIn(baseUrl: string) {
  const login = JSON.parse(readFileSync(path.join(dataDir, 'demo-login.json'), 'utf8')) as { email: string; password: string };
  const response = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
  expect(response.status).toBe(200);
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = ((await response.json()) as { csrfToken: string }).csrfToken;
  return { cookie: cookies.join('; '), 'x-csrf-token': csrf, 'content-type': 'application/json' };
}

describe('embedded database under SIGKILL', () => {
  it('keeps every acknowledged write and opens again after the process is killed mid-write', async () => {
    const first = await startServerProcess(dataDir);
    const headers = await signIn(first.baseUrl);
    const acknowledged: string[] = [];
    let stop = false;
    // Four writers in parallel; the process is killed while they are in flight.
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const key = `crash.w${w}.k${i}`;
        const response = await fetch(`${first.baseUrl}/api/config/${key}`, { method: 'PUT', headers, body: JSON.stringify({ value: { w, i } }) }).catch(
          () => null,
        );
        if (response?.status === 200) acknowledged.push(key);
        else if (response) throw new Error(`write failed: ${response.status} ${await response.text()}`);
        else return;
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.allSettled(writers);
    await waitForExit(first.child);

    const second = await startServerProcess(dataDir);
    try {
      const after = await signIn(second.baseUrl);
      const response = await fetch(`${second.baseUrl}/api/config`, { headers: after });
      const stored = new Set(((await response.json()) as { data: { configKey: string }[] }).data.map((c) => c.configKey));
      const lost = acknowledged.filter((key) => !stored.has(key));
      expect(acknowledged.length).toBeGreaterThanOrEqual(200);
      expect(lost).toEqual([]);
    } finally {
      second.child.kill('SIGTERM');
      await waitForExit(second.child);
    }
  }, 120_000);
});
