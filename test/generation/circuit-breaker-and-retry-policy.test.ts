import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { CircuitBreaker } from '../../src/generation/providers/circuit-breaker.js';
import { generateTier2Component } from '../../src/generation/pipeline/generate-component.js';
import { ProviderCallError, retryAfterFromHeaders, type GenerationProvider, type ProviderAnswer } from '../../src/generation/providers/provider.js';
import { backoffDelay, decideRetry, DEFAULT_RETRY_POLICY } from '../../src/generation/providers/transport-retry.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';
import { generationConfig, harness, STAT_CARD_REQUEST } from './support.js';

describe('backoff and retry decisions', () => {
  it('doubles from 0.5 s up to 8 s, minus at most 25 % jitter', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, DEFAULT_RETRY_POLICY, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffDelay(0, DEFAULT_RETRY_POLICY, () => 0.999)).toBe(375);
  });

  it('prefers retry-after-ms, then retry-after in seconds or as a date', () => {
    const headers = (entries: Record<string, string>) => new Headers(entries);
    expect(retryAfterFromHeaders(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterFromHeaders(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterFromHeaders(headers({ 'retry-after': new Date(10_000).toUTCString() }), 4000)).toBe(6000);
    expect(retryAfterFromHeaders(headers({}))).toBeUndefined();
  });

  it('caps the total wait and gives up early before a deadline', () => {
    const error = new ProviderCallError('x', { category: 'rate_limit', retryable: true, retryAfterMs: 5000 });
    const state = { retry: 0, waitedMs: 0, now: 0, deadline: 100_000 };
    expect(decideRetry(error, state, DEFAULT_RETRY_POLICY, () => 0)).toEqual({ retry: true, delayMs: 5000 });
    expect(decideRetry(error, { ...state, waitedMs: 58_000 }, DEFAULT_RETRY_POLICY, () => 0)).toEqual({ retry: false, reason: 'total-wait-cap' });
    expect(decideRetry(error, { ...state, deadline: 4000 }, DEFAULT_RETRY_POLICY, () => 0)).toEqual({ retry: false, reason: 'deadline' });
    expect(decideRetry(error, { ...state, retry: 4 }, DEFAULT_RETRY_POLICY, () => 0)).toEqual({ retry: false, reason: 'retries-exhausted' });
    expect(decideRetry(new ProviderCallError('x', { category: 'auth', retryable: false }), state, DEFAULT_RETRY_POLICY, () => 0)).toEqual({ retry: false, reason: 'not-retryable' });
  });
});

describe('the circuit breaker', () => {
  it('opens after the threshold, lets one probe through after the cool-down, and closes on its success', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('anthropic:m', { failureThreshold: 2, coolDownMs: 1000 }, clock);
    breaker.tryAcquire();
    breaker.onFailure();
    expect(breaker.snapshot().state).toBe('closed');
    breaker.tryAcquire();
    breaker.onFailure();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', consecutiveFailures: 2 });
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(1000);
    expect(breaker.snapshot().state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.onFailure();
    expect(breaker.snapshot().state).toBe('open');
    clock.advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onSuccess();
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('fails fast without a call while open, and its state is visible', async () => {
    let calls = 0;
    const flaky: GenerationProvider = {
      id: 'flaky',
      model: 'm',
      health: () => ({ provider: 'flaky', model: 'm', configured: true, detail: '' }),
      async generate(): Promise<ProviderAnswer> {
        calls++;
        throw new ProviderCallError('down', { category: 'server', retryable: true, status: 500 });
      },
    };
    const h = harness([flaky], { config: generationConfig({ breaker: { failureThreshold: 3, coolDownMs: 60_000 }, retry: { maxRetries: 5, baseDelayMs: 1, maxDelayMs: 1 } }) });
    const error = await generateTier2Component(STAT_CARD_REQUEST, h.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).context).toMatchObject({ category: 'circuit_open' });
    expect(calls).toBe(3);
    expect(h.costs.attemptLines).toHaveLength(3);
    expect(h.breakers.states()).toEqual([expect.objectContaining({ key: 'flaky:m', state: 'open', consecutiveFailures: 3 })]);

    await generateTier2Component(STAT_CARD_REQUEST, h.deps).catch(() => undefined);
    expect(calls).toBe(3);

    // After the cool-down one probe goes out; its success closes the circuit.
    h.clock.advance(60_000);
    flaky.generate = async () => {
      calls++;
      return {
        output: VALID_STAT_CARD_OUTPUT,
        answer: { kind: 'tool', toolCallId: 't', input: VALID_STAT_CARD_OUTPUT },
        stop: 'complete',
        usage: { inputTokens: 1, outputTokens: 1, cacheWriteTokens: 0, cacheReadTokens: 0 },
        requestId: null,
      };
    };
    await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(h.breakers.states()[0]!.state).toBe('closed');
  });
});
