import { abortReasonOf } from '../clock.js';
import type { GenerationClaims, HeldClaim } from './generation-claims.js';

/** How waiting for a key ended: this caller holds the claim and generates, or what the holder made was found, or the wait ran out. */
export type Turn<T> = { kind: 'held'; claim: HeldClaim } | { kind: 'served'; value: T } | { kind: 'gave-up'; holder: string };

export interface AwaitTurnOptions<T> {
  /** Looks for what a holder makes (the cache entry); `undefined` while there is none. */
  lookAgain: () => Promise<T | undefined>;
  /** Stops the wait: the returned promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called once, when the key is first found claimed by someone else. */
  onWaiting?: ((holder: string) => void) | undefined;
  /** Gives up waiting once `now()` passes `giveUpAt` (the request's own deadline). */
  now: () => number;
  giveUpAt: number;
}

/**
 * Waits for this caller's turn to generate `key`: claims it, or waits while someone else holds
 * it and looks for their result after every change. The holder writes its entry before it
 * releases, so a caller that wins the claim looks once more: the entry may have appeared
 * between its own cache miss and its claim, and then nobody pays twice.
 */
export async function awaitTurn<T>(claims: GenerationClaims, key: string, options: AwaitTurnOptions<T>): Promise<Turn<T>> {
  let holder: string | undefined;
  for (let round = 0; ; round++) {
    const attempt = await claims.tryClaim(key);
    if (attempt.won) {
      const value = await lookAgainHolding(attempt.claim, options.lookAgain);
      return value === undefined ? { kind: 'held', claim: attempt.claim } : { kind: 'served', value };
    }
    if (holder === undefined) options.onWaiting?.(attempt.holder);
    holder = attempt.holder;
    if (options.now() >= options.giveUpAt) return { kind: 'gave-up', holder };
    // Cancelled already (say, by a progress listener): no claims store need notice it.
    if (options.signal?.aborted) throw abortReasonOf(options.signal);
    await claims.waitForChange(key, round, options.signal);
    const value = await options.lookAgain();
    if (value !== undefined) return { kind: 'served', value };
  }
}

/** The second look, made while holding the claim: released if it finds the entry or fails. */
async function lookAgainHolding<T>(claim: HeldClaim, lookAgain: () => Promise<T | undefined>): Promise<T | undefined> {
  let value: T | undefined;
  try {
    value = await lookAgain();
  } catch (error) {
    await claim.release();
    throw error;
  }
  if (value !== undefined) await claim.release();
  return value;
}
