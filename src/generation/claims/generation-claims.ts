/**
 * Who is generating which cache key right now, so that each distinct spec is paid for once:
 * in one process (concurrent identical requests) and across replicas sharing one cache.
 *
 * Before calling a provider for key K, a request claims K. Exactly one holder wins; the others
 * wait (`waitForChange`) and then look in the cache again. The winner releases its claim when
 * it is done, whether it succeeded (the entry is in the cache) or failed (a waiter takes over).
 * A claim held across processes carries a lease the live holder renews, so the claim of a
 * holder that died (SIGKILL) expires and is taken over.
 */
export interface GenerationClaims {
  /** This process's holder id (`host:pid:random`), recorded with each claim it wins. */
  readonly holder: string;
  /** Claims `key`: won at once when nobody holds it (or its holder's lease expired), otherwise who holds it. */
  tryClaim(key: string): Promise<ClaimAttempt>;
  /**
   * Resolves when the claim on `key` may have changed (released, expired, or simply a poll
   * interval later: callers look again); rejects with the signal's reason when it aborts.
   * `round` counts the waits of one caller from 0, for backoff.
   */
  waitForChange(key: string, round: number, signal?: AbortSignal): Promise<void>;
  /** Stops renewing the leases this process holds (they expire) and lets go of any connection. */
  close(): Promise<void>;
}

export type ClaimAttempt = { won: true; claim: HeldClaim } | { won: false; holder: string };

/** A claim this process won. */
export interface HeldClaim {
  readonly key: string;
  /** Lets go of the claim, once; a later call does nothing. Never throws: a claim that cannot be released expires. */
  release(): Promise<void>;
}
