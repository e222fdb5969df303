import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';

/**
 * PGlite admits one process per data folder. This lock file says which process holds it and, when that
 * process is a server, how the CLI can reach it (port + bridge token). Mode 0600: the token is a secret.
 */
export interface EmbeddedLockInfo {
  pid: number;
  command: string;
  startedAt: string;
  port?: number;
  bridgeToken?: string;
}

export const lockFileName = 'retailops.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readEmbeddedLock(dataDir: string): EmbeddedLockInfo | null {
  try {
    const info = JSON.parse(readFileSync(path.join(dataDir, lockFileName), 'utf8')) as EmbeddedLockInfo;
    return isAlive(info.pid) && info.pid !== process.pid ? info : null;
  } catch {
    return null;
  }
}

export interface EmbeddedLock {
  update(info: Partial<EmbeddedLockInfo>): void;
  release(): void;
}

export function acquireEmbeddedLock(dataDir: string, command: string): EmbeddedLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, lockFileName);
  let info: EmbeddedLockInfo = { pid: process.pid, command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const current = JSON.parse(readFileSync(file, 'utf8')) as EmbeddedLockInfo;
          if (current.pid === process.pid) rmSync(file, { force: true });
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return {
        update: (patch) => {
          info = { ...info, ...patch };
          const fd2 = openSync(file, 'w', 0o600);
          writeSync(fd2, JSON.stringify(info));
          closeSync(fd2);
        },
        release,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readEmbeddedLock(dataDir);
      if (holder) throw embeddedBusyError(dataDir, holder);
      // The holder died without cleaning up (e.g. SIGKILL): the lock is stale.
      rmSync(file, { force: true });
    }
  }
  throw new AppError('DATABASE_BUSY', `Could not lock the embedded database in ${dataDir}.`, { status: 409 });
}

export function embeddedBusyError(dataDir: string, holder: EmbeddedLockInfo): AppError {
  const who = holder.port
    ? `\`retailops ${holder.command}\` (pid ${holder.pid}, serving on port ${holder.port})`
    : `\`retailops ${holder.command}\` (pid ${holder.pid})`;
  return new AppError(
    'DATABASE_BUSY',
    `The embedded database in ${dataDir} is in use by ${who}. PGlite admits one process at a time: stop that process first, ` +
      `run this command while a server is running (it goes through the server), or use PostgreSQL by setting DATABASE_URL.`,
    { status: 409, details: holder.port ? { pid: holder.pid, port: holder.port } : { pid: holder.pid } },
  );
}
