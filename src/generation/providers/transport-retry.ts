import type { ProviderCallError } from './provider.js';

/** Our own transport retries (the SDKs' are turned off): how often and how long to wait. */
export interface RetryPolicy {
  /** Retries after the first try of one attempt. */
  maxRetries: number;
  /** First backoff; doubled per retry. */
  baseDelayMs: number;
  /** Ceiling of one computed backoff (a server-requested wait may be longer, up to the total cap). */
  maxDelayMs: number;
  /** Cap on the sum of all waits of one generation. */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 8000, maxTotalWaitMs: 60_000 };

/** `min(base·2ⁿ, max)` minus up to 25 % jitter, as the vendors' SDKs do, so clients do not retry in lockstep. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.baseDelayMs * 2 ** retry, policy.maxDelayMs);
  return Math.round(ceiling * (1 - 0.25 * random()));
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'not-retryable' | 'retries-exhausted' | 'total-wait-cap' | 'deadline' };

/**
 * Whether to try again after `error` on the `retry`-th retry (0-based): never for errors
 * classified as not retryable, a server-requested wait (`retry-after-ms`, `retry-after`) wins
 * over the backoff, and we give up at once when the wait would pass the total-wait cap or
 * the generation's deadline rather than sleep and then fail.
 */
export function decideRetry(error: ProviderCallError, state: { retry: number; waitedMs: number; now: number; deadline: number }, policy: RetryPolicy, random: () => number): RetryDecision {
  if (!error.retryable) return { retry: false, reason: 'not-retryable' };
  if (state.retry >= policy.maxRetries) return { retry: false, reason: 'retries-exhausted' };
  const delayMs = error.retryAfterMs ?? backoffDelay(state.retry, policy, random);
  if (state.waitedMs + delayMs > policy.maxTotalWaitMs) return { retry: false, reason: 'total-wait-cap' };
  if (state.now + delayMs >= state.deadline) return { retry: false, reason: 'deadline' };
  return { retry: true, delayMs };
}
