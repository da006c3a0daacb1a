import type { Pool, PoolClient } from 'pg';
import { DatabaseError, DspecError, InputError } from '../../errors.js';

export interface DatabaseLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * Transaction-scoped advisory locks, under dspec's own first key ('dspc') so they cannot meet
 * another application's. `budget` serialises reservations and budget changes across replicas;
 * `migration` lets one replica migrate while the others wait.
 */
export const ADVISORY_LOCK_NAMESPACE = 0x64737063;
export const ADVISORY_LOCKS = { migration: 1, budget: 2 } as const;
export type AdvisoryLock = keyof typeof ADVISORY_LOCKS;

/** A pool over one database, and the URL to name it by in messages (password replaced). */
export interface DatabasePool {
  readonly pool: Pool;
  readonly redactedUrl: string;
  /**
   * Runs `work` on one connection inside BEGIN … COMMIT (ROLLBACK when it throws), holding the
   * advisory lock `lock` (one of ADVISORY_LOCKS) from the start when given.
   */
  transaction<T>(work: (client: PoolClient) => Promise<T>, lock?: AdvisoryLock): Promise<T>;
  /** Turns a driver error into a DatabaseError naming the redacted URL; dspec's own errors pass through. */
  explain(error: unknown): unknown;
  close(): Promise<void>;
}

/** The URL with its password (and any `password=` parameter) replaced by `***`: safe for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@').replace(/(password=)[^&\s]*/gi, '$1***');
  }
}

function passwordOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const password = decodeURIComponent(parsed.password) || parsed.searchParams.get('password') || undefined;
    return password && password.length >= 3 ? password : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A pool for `url` (postgres:// or postgresql://). The driver is loaded here, on the first
 * database use: a process without DSPEC_DATABASE_URL never loads it. Connections are opened on
 * the first query, so an unreachable server is reported by the first cost call, not at start.
 */
export async function openDatabasePool(url: string, options: { logger?: DatabaseLogger; maxConnections?: number } = {}): Promise<DatabasePool> {
  const redactedUrl = redactDatabaseUrl(url);
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new InputError(`DSPEC_DATABASE_URL must be a postgres:// or postgresql:// URL, got "${redactedUrl}"`, {
      suggestion: 'Set it like postgres://user:password@host:5432/dspec, or unset it to keep the ledger in files under .dspec/.',
    });
  }
  const password = passwordOf(url);
  const scrub = (text: string) => (password ? text.split(password).join('***') : text);
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  // An idle connection that breaks (server restart) is reported here; unhandled, it would end the process.
  pool.on('error', (error) => options.logger?.warn({ database: redactedUrl, error: scrub(error.message) }, 'an idle PostgreSQL connection failed; the pool replaces it'));

  const explain = (error: unknown): unknown => {
    if (error instanceof DspecError) return error;
    const message = scrub(error instanceof Error ? error.message : String(error));
    const code = (error as { code?: unknown }).code;
    return new DatabaseError(`PostgreSQL at ${redactedUrl}: ${message}`, {
      suggestion: 'Check that the server is up and DSPEC_DATABASE_URL is right (unset it to keep the ledger in files under .dspec/).',
      context: typeof code === 'string' ? { sqlState: code } : undefined,
    });
  };

  return {
    pool,
    redactedUrl,
    explain,
    async transaction(work, lock) {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw explain(error);
      }
      let broken = false;
      try {
        // One round trip: the lock is taken by the transaction's first statement, so every later
        // statement's snapshot sees what the previous holder committed.
        await client.query(lock ? `BEGIN; SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_NAMESPACE}, ${ADVISORY_LOCKS[lock]})` : 'BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A failed ROLLBACK means the connection itself is gone: it must not go back to the pool.
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw explain(error);
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
