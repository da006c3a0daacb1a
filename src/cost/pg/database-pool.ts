import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
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
   * advisory lock `lock` (one of ADVISORY_LOCKS) from the start when given. An `opening`
   * statement is sent with BEGIN and the lock in one round trip (its values inlined as
   * literals, since a multi-statement query takes no parameters); `work` gets its rows.
   */
  transaction<T, Row extends QueryResultRow = QueryResultRow>(
    work: (client: PoolClient, opening: Row[]) => Promise<T>,
    lock?: AdvisoryLock,
    opening?: { sql: string; values: readonly SqlValue[] },
  ): Promise<T>;
  /**
   * Sends the statements as one multi-statement query (one round trip, one implicit
   * transaction: all or none take effect; each statement sees what the earlier ones did),
   * their values inlined as literals. Returns each statement's rows.
   */
  batch(statements: ReadonlyArray<{ sql: string; values: readonly SqlValue[] }>): Promise<QueryResultRow[][]>;
  /** Turns a driver error into a DatabaseError naming the redacted URL; dspec's own errors pass through. */
  explain(error: unknown): unknown;
  close(): Promise<void>;
}

export type SqlValue = string | number | boolean | null;

/**
 * `sql` with each `$n` replaced by values[n - 1] as a literal: strings through the driver's
 * `escapeLiteral`, numbers only when finite. One pass over the template, so a value that
 * contains `$1` is never read as a placeholder.
 */
export function inlineSqlValues(sql: string, values: readonly SqlValue[], escapeLiteral: (text: string) => string): string {
  return sql.replace(/\$(\d+)/g, (_, index: string) => {
    const value = values[Number(index) - 1];
    if (value === undefined) throw new Error(`no value for $${index}`);
    if (value === null) return 'NULL';
    if (typeof value === 'string') return escapeLiteral(value);
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (!Number.isFinite(value)) throw new Error(`$${index} is not a finite number: ${value}`);
    return String(value);
  });
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
  // A connection in use (or being closed) that the server ends (restart, pg_terminate_backend) emits
  // 'error' on its client, where the pool listens only while it is idle: unheard, it would end the
  // process. The query in flight already fails with the same error, so the listener only reports it.
  pool.on('connect', (client) => {
    client.on('error', (error) => options.logger?.warn({ database: redactedUrl, error: scrub(error.message) }, 'a PostgreSQL connection in use failed'));
  });

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
    async transaction<T, Row extends QueryResultRow = QueryResultRow>(
      work: (client: PoolClient, opening: Row[]) => Promise<T>,
      lock?: AdvisoryLock,
      opening?: { sql: string; values: readonly SqlValue[] },
    ): Promise<T> {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw explain(error);
      }
      let broken = false;
      try {
        // One round trip: the lock is taken by the transaction's first statement, so every later
        // statement's snapshot (each statement of a multi-statement query takes its own) sees
        // what the previous holder committed.
        const statements = ['BEGIN'];
        if (lock) statements.push(`SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_NAMESPACE}, ${ADVISORY_LOCKS[lock]})`);
        if (opening) statements.push(inlineSqlValues(opening.sql, opening.values, pg.escapeLiteral));
        const results = rowsOf(await client.query(statements.join('; ')));
        // The caller names the row shape of the statement it wrote; the driver cannot check it.
        const result = await work(client, opening ? ((results.at(-1) ?? []) as Row[]) : []);
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
    async batch(statements) {
      const sql = statements.map((statement) => inlineSqlValues(statement.sql, statement.values, pg.escapeLiteral)).join('; ');
      try {
        return rowsOf(await pool.query(sql));
      } catch (error) {
        throw explain(error);
      }
    },
    close: () => pool.end(),
  };
}

/** The rows of each statement of a query: the driver answers one statement with one result, several with an array. */
function rowsOf(result: QueryResult<QueryResultRow> | Array<QueryResult<QueryResultRow>>): QueryResultRow[][] {
  const results = Array.isArray(result) ? result : [result];
  return results.map((each): QueryResultRow[] => each.rows);
}
