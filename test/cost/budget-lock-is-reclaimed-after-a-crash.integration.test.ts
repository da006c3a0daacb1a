import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BusyError } from '../../src/errors.js';
import { withFileLock } from '../../src/cost/file-lock.js';
import { tempHome } from '../cache/entry-fixture.js';
import { buildCostModules, writeChildScript } from './build-child-modules.js';

describe('the cross-process file lock (proper-lockfile)', () => {
  let holderScript: string;

  beforeAll(async () => {
    const modules = await buildCostModules();
    // Takes the lock, says so, and never lets go: only a kill ends it.
    holderScript = writeChildScript(
      modules.dir,
      'hold-lock.mjs',
      `import { withFileLock } from ${JSON.stringify(modules.module)};
const [lockFile] = process.argv.slice(2);
await withFileLock(lockFile, async () => {
  process.stdout.write('held\\n');
  await new Promise(() => setInterval(() => undefined, 60_000));
}, { staleMs: 2000 });
`,
    );
  });

  it('excludes others while its holder lives, and is taken over once the holder is SIGKILLed', async () => {
    const lockFile = path.join(tempHome('dspec-lock-'), 'locks', 'budget.lock');
    const holder = spawn(process.execPath, [holderScript, lockFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
      holder.on('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
    });

    const whileHeld = await withFileLock(lockFile, async () => 'entered', { staleMs: 2000, timeoutMs: 300 }).catch((error: unknown) => error);
    expect(whileHeld).toBeInstanceOf(BusyError);
    expect((whileHeld as BusyError).message).toContain('could not take budget.lock within 300 ms');

    const exited = new Promise((resolve) => holder.on('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    expect(existsSync(lockFile)).toBe(true); // a SIGKILL runs no clean-up: the lock is left behind

    // Generous: the dead holder's lock goes stale 2 s after its last refresh.
    const afterCrash = await withFileLock(lockFile, async () => 'entered', { staleMs: 2000, timeoutMs: 30_000 });
    expect(afterCrash).toBe('entered');
    expect(existsSync(lockFile)).toBe(false);
  }, 60_000);

  it('lets one caller at a time in, and removes the lock when the last leaves', async () => {
    const lockFile = path.join(tempHome('dspec-lock-'), 'locks', 'budget.lock');
    let inside = 0;
    let mostInside = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        withFileLock(lockFile, async () => {
          inside++;
          mostInside = Math.max(mostInside, inside);
          await new Promise((resolve) => setTimeout(resolve, 3));
          order.push(index);
          inside--;
        }),
      ),
    );
    expect(mostInside).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('waits for a lock file of an earlier dspec whose process lives, and removes one whose process is dead', async () => {
    const lockFile = path.join(tempHome('dspec-lock-'), 'locks', 'budget.lock');
    mkdirSync(path.dirname(lockFile), { recursive: true });
    writeFileSync(lockFile, JSON.stringify({ pid: process.pid, token: 't', acquiredAt: Date.now() }));
    await expect(withFileLock(lockFile, async () => 'entered', { timeoutMs: 200 })).rejects.toBeInstanceOf(BusyError);

    writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 4242, token: 't', acquiredAt: Date.now() }));
    await expect(withFileLock(lockFile, async () => 'entered', { timeoutMs: 200 })).resolves.toBe('entered');
    expect(existsSync(lockFile)).toBe(false);
  });

  it('passes on an error other than "held" at once, and the error of the work inside', async () => {
    const home = tempHome('dspec-lock-');
    writeFileSync(path.join(home, 'locks'), 'a file where the lock folder should be');
    await expect(withFileLock(path.join(home, 'locks', 'budget.lock'), async () => 'entered')).rejects.toMatchObject({ code: 'EEXIST' });

    const lockFile = path.join(tempHome('dspec-lock-'), 'locks', 'budget.lock');
    await expect(withFileLock(lockFile, async () => Promise.reject(new Error('work failed')))).rejects.toThrow('work failed');
    expect(existsSync(lockFile)).toBe(false);
  });
});
