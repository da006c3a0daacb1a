import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BusyError } from '../errors.js';

export interface FileLockOptions {
  /** Give up (BusyError) after waiting this long. */
  timeoutMs?: number;
  /** A lock older than this is taken to be abandoned even if its pid is alive (pids are reused). */
  staleMs?: number;
}

interface LockOwner {
  pid: number;
  token: string;
  acquiredAt: number;
}

/**
 * Runs `fn` while holding a lock shared by every process on this machine: the lock is a file
 * that exactly one process can create, holding the holder's pid, a random token and the time
 * from the instant it exists. A lock whose pid is dead, or which is older than `staleMs`, is
 * broken by renaming it aside (one breaker wins the rename) and checking that what was moved
 * is the lock that was judged stale; release removes the file only if it still holds our token.
 * Locks are held for milliseconds (a ledger tail read and a few small files).
 */
export async function withFileLock<T>(lockFile: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 30_000;
  const token = randomUUID();
  const deadline = Date.now() + timeoutMs;
  await mkdir(path.dirname(lockFile), { recursive: true });
  // The owner is written to a file of our own and then hard-linked to the lock name: link(2)
  // fails if the lock exists, and a process killed at any instant leaves either no lock or a
  // complete one, never an empty lock file that others could only judge stale by its age.
  const claim = `${lockFile}.${token}.claim`;
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(claim, JSON.stringify({ pid: process.pid, token, acquiredAt: Date.now() } satisfies LockOwner), { mode: 0o644 });
      await link(claim, lockFile);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(claim).catch(() => undefined);
    }
    await breakIfStale(lockFile, staleMs);
    if (Date.now() > deadline) {
      throw new BusyError(`could not take ${path.basename(lockFile)} within ${timeoutMs} ms: another dspec process holds it`, {
        suggestion: `Retry; if no other dspec process is running, delete ${lockFile}.`,
      });
    }
    await sleep(Math.min(40, 2 + attempt) * (0.5 + Math.random()));
  }
  try {
    return await fn();
  } finally {
    await releaseLock(lockFile, token);
  }
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.token === 'string' && typeof owner.acquiredAt === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function breakIfStale(lockFile: string, staleMs: number): Promise<void> {
  const owner = await readOwner(lockFile);
  let stale: boolean;
  if (owner) {
    stale = !isProcessAlive(owner.pid) || Date.now() - owner.acquiredAt > staleMs;
  } else {
    // Unreadable: either just created and not yet written, or left half-written by a crash.
    const info = await stat(lockFile).catch(() => undefined);
    stale = info !== undefined && Date.now() - info.mtimeMs > staleMs;
  }
  if (!stale) return;
  const aside = `${lockFile}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockFile, aside);
  } catch {
    return; // someone else broke or released it first
  }
  const moved = await readOwner(aside);
  if (owner && moved?.token !== owner.token) {
    // We moved a fresh lock taken after our check: put it back unless another was taken since.
    await link(aside, lockFile).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

async function releaseLock(lockFile: string, token: string): Promise<void> {
  const owner = await readOwner(lockFile);
  if (owner?.token === token) await unlink(lockFile).catch(() => undefined);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

