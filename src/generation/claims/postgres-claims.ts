import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { systemClock } from '../clock.js';
import type { ClaimAttempt, GenerationClaims, HeldClaim } from './generation-claims.js';
import { holderId } from './holder-id.js';

export interface ClaimsLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface PostgresClaimsOptions {
  /** The replicas' shared database, with the `dspec_generation_claims` table (migration 004). */
  pool: Pick<Pool, 'query'>;
  holder?: string;
  /** How long a claim lives without renewal: a holder that dies is taken over this long after its last renewal. */
  leaseMs?: number;
  /** Waits between polls of a held claim: the first, doubled each round up to the last. */
  poll?: { firstMs: number; maxMs: number };
  /** Waits (with the signal); injected so tests poll without real delays. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Runs `renew` every `ms` until the returned stop is called; injected so tests renew by hand. `renew` never rejects. */
  every?: (ms: number, renew: () => Promise<void>) => () => void;
  logger?: ClaimsLogger;
  /** Resolves once the schema is there (checked or migrated); awaited before each claim. */
  ready?: () => Promise<void>;
  /** Turns a driver error into one that names the database (its password hidden). */
  explain?: (error: unknown) => unknown;
  /** Ends the pool after `close()` has released the claims, when these claims own it. */
  endPool?: () => Promise<void>;
}

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_POLL = { firstMs: 50, maxMs: 1_000 };

/*
 * One statement decides who holds a key: the insert wins when nobody holds it, the update
 * takes over a claim whose lease has run out, and a live claim is left alone (no row
 * returned). Concurrent claimants serialise on the row, so exactly one of them wins.
 * Times are the database's own, so replicas' clocks need not agree.
 */
const CLAIM = `INSERT INTO dspec_generation_claims AS claim (cache_key, holder, token, claimed_at, expires_at)
VALUES ($1, $2, $3, now(), now() + make_interval(secs => $4::double precision / 1000))
ON CONFLICT (cache_key) DO UPDATE
  SET holder = EXCLUDED.holder, token = EXCLUDED.token, claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
  WHERE claim.expires_at <= now()
RETURNING token`;
const HOLDER_OF = 'SELECT holder FROM dspec_generation_claims WHERE cache_key = $1';
const RENEW = `UPDATE dspec_generation_claims SET expires_at = now() + make_interval(secs => $3::double precision / 1000) WHERE cache_key = $1 AND token = $2`;
// By token: a holder whose lease ran out and was taken over must not delete its successor's claim.
const RELEASE = 'DELETE FROM dspec_generation_claims WHERE cache_key = $1 AND token = $2';

/**
 * Claims shared by every replica of one PostgreSQL database. A winner renews its lease every
 * third of it while it generates; a waiter polls with backoff (the holder's entry appears in
 * the shared cache, or the claim goes: released, or expired after its holder died).
 */
export class PostgresClaims implements GenerationClaims {
  readonly holder: string;
  private readonly pool: Pick<Pool, 'query'>;
  private readonly leaseMs: number;
  private readonly poll: { firstMs: number; maxMs: number };
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly every: (ms: number, renew: () => Promise<void>) => () => void;
  private readonly logger: ClaimsLogger | undefined;
  private readonly held = new Set<HeldClaim>();
  private readonly ready: () => Promise<void>;
  private readonly explain: (error: unknown) => unknown;
  private readonly endPool: (() => Promise<void>) | undefined;

  constructor(options: PostgresClaimsOptions) {
    this.pool = options.pool;
    this.holder = options.holder ?? holderId();
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.poll = options.poll ?? DEFAULT_POLL;
    this.sleep = options.sleep ?? ((ms, signal) => systemClock.sleep(ms, signal));
    this.every = options.every ?? everyInterval;
    this.logger = options.logger;
    this.ready = options.ready ?? (() => Promise.resolve());
    this.explain = options.explain ?? ((error) => error);
    this.endPool = options.endPool;
  }

  async tryClaim(key: string): Promise<ClaimAttempt> {
    await this.ready();
    const token = randomUUID();
    try {
      const won = await this.pool.query(CLAIM, [key, this.holder, token, this.leaseMs]);
      if (won.rowCount === 1) return { won: true, claim: this.hold(key, token) };
      const current = await this.pool.query<{ holder: string }>(HOLDER_OF, [key]);
      // Released between the two statements: the caller waits a round and claims again.
      return { won: false, holder: current.rows[0]?.holder ?? 'a holder that has just finished' };
    } catch (error) {
      throw this.explain(error);
    }
  }

  waitForChange(_key: string, round: number, signal?: AbortSignal): Promise<void> {
    return this.sleep(Math.min(this.poll.firstMs * 2 ** Math.min(round, 20), this.poll.maxMs), signal);
  }

  /** Stops renewing and lets go of every claim still held, so other replicas need not wait for the leases to run out. */
  async close(): Promise<void> {
    await Promise.all([...this.held].map((claim) => claim.release()));
    await this.endPool?.();
  }

  private hold(key: string, token: string): HeldClaim {
    let released = false;
    const stop = this.every(Math.max(1, Math.floor(this.leaseMs / 3)), () =>
      this.pool.query(RENEW, [key, token, this.leaseMs]).then(
        (result) => {
          if (result.rowCount === 0 && !released) {
            stop();
            this.logger?.warn({ key, holder: this.holder }, 'a generation claim expired before it was renewed; another replica may generate the same spec');
          }
        },
        (error: unknown) => this.logger?.warn({ key, err: error }, 'renewing a generation claim failed; it expires unless a later renewal succeeds'),
      ),
    );
    const claim: HeldClaim = {
      key,
      release: async () => {
        if (released) return;
        released = true;
        stop();
        this.held.delete(claim);
        try {
          await this.pool.query(RELEASE, [key, token]);
        } catch (error) {
          this.logger?.warn({ key, err: error }, 'releasing a generation claim failed; it expires with its lease');
        }
      },
    };
    this.held.add(claim);
    return claim;
  }
}

function everyInterval(ms: number, renew: () => Promise<void>): () => void {
  const timer = setInterval(() => void renew(), ms);
  // A renewal alone must not keep the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
