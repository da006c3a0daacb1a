import { mkdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { BusyError } from '../errors.js';

export interface FileLockOptions {
  /** Give up (BusyError) after waiting this long. */
  timeoutMs?: number;
  /**
   * A lock whose holder has not refreshed it for this long is taken to be abandoned (its process
   * died). A live holder refreshes it every `staleMs / 2`, so only a crash (or an event loop blocked
   * for this long) lets another process take it. At least 2000 (proper-lockfile's floor).
   */
  staleMs?: number;
}

/**
 * Runs `fn` while holding a lock shared by every process on this machine. The lock is
 * proper-lockfile's: a directory at `lockFile` (mkdir is atomic), whose mtime the holder
 * refreshes while it holds it; a lock not refreshed for `staleMs` belongs to a dead process and
 * is taken over. After a SIGKILL the next caller therefore waits at most `staleMs`, which is
 * why the default wait (15 s) is longer than the default staleness (10 s).
 * Locks are held for milliseconds (a ledger tail read and a few small files).
 */
export async function withFileLock<T>(lockFile: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = Math.max(options.staleMs ?? 10_000, 2000);
  const deadline = Date.now() + timeoutMs;
  await mkdir(path.dirname(lockFile), { recursive: true });
  await removeAbandonedLegacyLock(lockFile, staleMs);
  // Loaded on the first lock, i.e. only once a budget is set: with graceful-fs and signal-exit it
  // costs ~20 ms to load, which calls without a budget never pay.
  const { lock } = await import('proper-lockfile');
  let release: () => Promise<void>;
  for (let attempt = 0; ; attempt++) {
    try {
      release = await lock(lockFile, {
        lockfilePath: lockFile,
        // The lock names no real file: there is nothing to resolve.
        realpath: false,
        stale: staleMs,
        retries: 0,
        // Reported only once another process has already taken the lock over (this one stalled
        // past `staleMs`): nothing is left to undo, and the default would throw from a timer and
        // end the process.
        onCompromised: () => undefined,
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    }
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
    // Fails only when the lock was taken over (see onCompromised): it is no longer ours to remove.
    await release().catch(() => undefined);
  }
}

/**
 * Earlier dspec versions locked with a plain file holding `{ pid }`. One left by a crash would sit where
 * the lock directory goes for ever (proper-lockfile can only remove directories), so it is
 * removed once its process is dead or it is older than `staleMs`. A live one is waited for as usual.
 */
async function removeAbandonedLegacyLock(lockFile: string, staleMs: number): Promise<void> {
  const info = await stat(lockFile).catch(() => undefined);
  if (!info?.isFile()) return;
  const pid = await readFile(lockFile, 'utf8')
    .then((text) => (JSON.parse(text) as { pid?: unknown }).pid)
    .catch(() => undefined);
  const abandoned = typeof pid === 'number' ? !isProcessAlive(pid) : false;
  if (abandoned || Date.now() - info.mtimeMs > staleMs) await unlink(lockFile).catch(() => undefined);
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
