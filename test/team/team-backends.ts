import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { Ledger, ledgerFileOf } from '../../src/cost/ledger.js';
import { createCostTracker } from '../../src/cost/create-cost-tracker.js';
import { openPgCostStore } from '../../src/cost/pg/open-pg-cost-store.js';
import { liveReservations, reservationsDirOf } from '../../src/cost/reservations.js';
import type { LedgerRecord } from '../../src/shapes/ledger-record.js';
import { startPostgresServer } from '../helpers/postgres-server.js';
import { openTestS3 } from '../helpers/s3-server.js';
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
  /**
   * Runs the product's own sweep of lapsed holds as a replica would once `afterMs` has passed (a
   * file hold of a dead process lapses at once; a database hold at its expiry, since the database
   * cannot see processes): each lapsed hold becomes an abandoned ledger line at its worst case.
   * The sweeper's clock is moved forward instead of the test waiting. Returns how many holds were
   * charged and the holds left, with the process holding each.
   */
  sweepReservations(afterMs: number): Promise<{ charged: number; held: HeldReservation[] }>;
  /** Ledger lines of attempts that did not succeed, whole: what a failing count is explained by. */
  unsuccessfulAttempts(): Promise<LedgerRecord[]>;
  close(): Promise<void>;
}

export interface HeldReservation {
  holderPid: number | undefined;
  expiresAt: Date;
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
    async sweepReservations(afterMs: number) {
      const later = () => new Date(Date.now() + afterMs);
      const charged = await createCostTracker({ home, clock: later }).sweepExpiredReservations();
      const live = await liveReservations(home, later());
      const names = await readdir(reservationsDirOf(home)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      const files = names.filter((name) => name.endsWith('.json') && !name.startsWith('.'));
      if (files.length !== live.length) throw new Error(`${files.length} reservation files but ${live.length} readable live holds: the sweep left unreadable files`);
      return { charged, held: live.map((hold) => ({ holderPid: hold.pid, expiresAt: new Date(hold.expiresAt) })) };
    },
    async unsuccessfulAttempts() {
      const lines: LedgerRecord[] = [];
      await new Ledger(ledgerFileOf(home)).scan((record) => {
        if (record.outcome !== 'success' && record.outcome !== 'cache_hit') lines.push(record);
      });
      return lines;
    },
    close: () => Promise.resolve(),
  };
}

/**
 * The team deployment's engines, for real, on loopback: a bucket of its own on the S3 test
 * server (s3rver behind the conditional-write front) and a database of its own on PostgreSQL
 * (the servers `.ci/run` started, or ones started for this file). Migrated with the CLI, as an
 * operator does, before any replica starts.
 */
export async function realEnginesBackend(options: { cwd: string; baseEnv: Record<string, string> }): Promise<TeamBackend> {
  const s3 = await openTestS3();
  const postgres = await startPostgresServer();
  try {
    const bucket = await s3.createBucket();
    const databaseUrl = await postgres.createDatabase();
    const env: Record<string, string> = { DSPEC_DATABASE_URL: databaseUrl };
    for (const [name, value] of Object.entries(s3.envFor(bucket, 'team'))) if (value !== undefined) env[name] = value;
    await run(process.execPath, [BIN, 'db', 'migrate'], { cwd: options.cwd, env: { ...options.baseEnv, ...env } });
    const database = new pg.Client({ connectionString: databaseUrl });
    await database.connect();
    return {
      name: 'S3 (s3rver) + PostgreSQL',
      env,
      async sweepReservations(afterMs: number) {
        // The sweep every reserve runs first (src/cost/pg/pg-cost-tracker.ts), by a clock moved forward.
        const store = await openPgCostStore({ url: databaseUrl, config: {}, clock: () => new Date(Date.now() + afterMs) });
        try {
          const charged = await store.sweepExpiredReservations();
          const { rows } = await database.query<{ holder: string; expires_at: Date }>('SELECT holder, expires_at FROM dspec_reservations');
          return { charged, held: rows.map((row) => ({ holderPid: Number(/:(\d+)$/.exec(row.holder)?.[1]) || undefined, expiresAt: row.expires_at })) };
        } finally {
          await store.close();
        }
      },
      async unsuccessfulAttempts() {
        const { rows } = await database.query<{ record: LedgerRecord }>("SELECT record FROM dspec_ledger WHERE NOT cache_hit AND outcome <> 'success' ORDER BY seq");
        return rows.map((row) => row.record);
      },
      async close() {
        await database.end();
        await postgres.stop();
        await s3.close();
      },
    };
  } catch (error) {
    await postgres.stop();
    await s3.close();
    throw error;
  }
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
