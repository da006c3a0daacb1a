import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { liveReservations, reservationsDirOf } from '../../src/cost/reservations.js';
import { BIN } from '../reliability/support/built-server.js';

const run = promisify(execFile);

/**
 * Where the replicas of a team test keep their shared state, and how the test reads it back.
 * Every read goes through the built CLI (`dspec cost summary`, `dspec cache verify`), as an
 * operator would read it, so the same checks hold whichever backend the environment selects;
 * only the reservation sweep is backend-specific, since no command lists held reservations.
 */
export interface TeamBackend {
  /** e.g. `shared DSPEC_HOME` or `S3 + PostgreSQL`. */
  readonly name: string;
  /** Environment every replica and every CLI command gets (on top of the base environment). */
  readonly env: Record<string, string>;
  /** Runs the sweep of expired or orphaned reservations, then counts those still held. */
  heldReservationsAfterSweep(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Today's embedded default stretched over one machine: every replica on one `DSPEC_HOME`
 * (file cache, file ledger, reservations as files under a cross-process lock). The team
 * deployment replaces it with S3 and PostgreSQL; until those backends are in the tree the
 * team tests run on this one.
 */
export function sharedHomeBackend(home: string): TeamBackend {
  return {
    name: 'shared DSPEC_HOME',
    env: { DSPEC_HOME: home },
    async heldReservationsAfterSweep() {
      // The sweep the next reservation would run: dead holders and lapsed holds are removed.
      await liveReservations(home, new Date());
      const names = await readdir(reservationsDirOf(home)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      return names.filter((name) => name.endsWith('.json') && !name.startsWith('.')).length;
    },
    close: () => Promise.resolve(),
  };
}

/** Runs the built CLI with `--json` and parses its answer; a non-zero exit keeps its stdout (exit 1 = findings). */
export async function dspecJson<T>(args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<{ exitCode: number; value: T }> {
  try {
    const { stdout } = await run(process.execPath, [BIN, ...args, '--json'], { cwd: options.cwd, env: options.env, maxBuffer: 64 * 1024 * 1024 });
    return { exitCode: 0, value: JSON.parse(stdout) as T };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (failed.code === 1 && failed.stdout) return { exitCode: 1, value: JSON.parse(failed.stdout) as T };
    throw new Error(`dspec ${args.join(' ')} failed (exit ${failed.code}): ${failed.stderr ?? String(error)}`);
  }
}

/** What the checks read from `dspec cost summary --period all --json`. */
export interface LedgerTotals {
  totals: { records: number; llmCalls: number; cacheHits: number; cost: number; failures: number };
  ledger: { lines: number; corruptLines: number; pendingTailBytes: number };
}

/** What the checks read from `dspec cache verify --json`. */
export interface CacheVerifyReport {
  checked: number;
  passed: number;
  failed: Array<{ key: string; reason: string }>;
}

export function ledgerTotals(options: { cwd: string; env: Record<string, string> }): Promise<{ exitCode: number; value: LedgerTotals }> {
  return dspecJson<LedgerTotals>(['cost', 'summary', '--period', 'all'], options);
}

export function verifyCache(options: { cwd: string; env: Record<string, string> }): Promise<{ exitCode: number; value: CacheVerifyReport }> {
  return dspecJson<CacheVerifyReport>(['cache', 'verify'], options);
}

export const homeOf = (cwd: string) => path.join(cwd, '.dspec');
