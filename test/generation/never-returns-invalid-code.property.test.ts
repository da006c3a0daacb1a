import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DspecError } from '../../src/errors.js';
import { AnthropicProvider } from '../../src/generation/providers/anthropic-provider.js';
import { generateTier2Component } from '../../src/generation/pipeline/generate-component.js';
import { ProviderCallError, type ErrorCategory, type GenerationProvider, type ProviderAnswer } from '../../src/generation/providers/provider.js';
import { startFakeAnthropicServer, type AnthropicStep, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { INVALID_STAT_CARD_OUTPUT, VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';
import { generationConfig, harness, STAT_CARD_REQUEST, stubValidate } from './support.js';

type Fault =
  | { kind: 'valid' }
  | { kind: 'invalid' }
  | { kind: 'wrong-type' }
  | { kind: 'no-json' }
  | { kind: 'truncated' }
  | { kind: 'refused' }
  | { kind: 'error'; category: ErrorCategory; retryable: boolean; retryAfterMs?: number };

const faultArbitrary: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant<Fault>({ kind: 'valid' }),
  fc.constant<Fault>({ kind: 'invalid' }),
  fc.constant<Fault>({ kind: 'wrong-type' }),
  fc.constant<Fault>({ kind: 'no-json' }),
  fc.constant<Fault>({ kind: 'truncated' }),
  fc.constant<Fault>({ kind: 'refused' }),
  fc.record({
    kind: fc.constant('error' as const),
    category: fc.constantFrom<ErrorCategory>('rate_limit', 'overloaded', 'server', 'timeout', 'connection', 'auth', 'bad_request', 'spend_limit'),
    retryable: fc.boolean(),
    retryAfterMs: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
  }),
);

/** A provider that plays a fault schedule, one step per call, then answers validly. */
class ScheduledProvider implements GenerationProvider {
  readonly id = 'scripted';
  calls = 0;
  constructor(
    readonly model: string,
    private readonly schedule: Fault[],
  ) {}
  health() {
    return { provider: this.id, model: this.model, configured: true, detail: 'test' };
  }
  async generate(): Promise<ProviderAnswer> {
    const fault = this.schedule[this.calls++] ?? { kind: 'valid' };
    const usage = { inputTokens: 10, outputTokens: 10, cacheWriteTokens: 0, cacheReadTokens: 0 };
    const tool = (input: unknown, stop: ProviderAnswer['stop'] = 'complete'): ProviderAnswer => ({
      output: input,
      answer: { kind: 'tool', toolCallId: `t${this.calls}`, input },
      stop,
      usage,
      requestId: `r${this.calls}`,
    });
    switch (fault.kind) {
      case 'valid':
        return tool(VALID_STAT_CARD_OUTPUT);
      case 'invalid':
        return tool(INVALID_STAT_CARD_OUTPUT);
      case 'wrong-type':
        return tool({ ...VALID_STAT_CARD_OUTPUT, component: 7 });
      case 'no-json':
        return { output: undefined, answer: { kind: 'text', text: 'I cannot' }, stop: 'complete', usage, requestId: null };
      case 'truncated':
        return tool({ component: 'export' }, 'truncated');
      case 'refused':
        return tool(undefined, 'refused');
      case 'error':
        throw new ProviderCallError('scripted failure', { category: fault.category, retryable: fault.retryable, ...(fault.retryAfterMs !== undefined ? { retryAfterMs: fault.retryAfterMs } : {}) });
    }
  }
}

function assertNeverInvalid(outcome: unknown, expectations: { invalidMarker: string }) {
  if (outcome instanceof DspecError) {
    // Findings may quote the offending value; the code itself must not travel with the error.
    const answer = JSON.stringify({ ...outcome.toJSON(), context: outcome.context });
    expect(answer).not.toContain('export function StatCard');
    expect(answer).not.toContain('color: #123456;');
    return 'error';
  }
  const result = outcome as Awaited<ReturnType<typeof generateTier2Component>>;
  const styles = result.bundle.files.find((f) => f.path === 'StatCard.module.css')!.contents;
  expect(styles).not.toContain(expectations.invalidMarker);
  expect(result.bundle.files.find((f) => f.path === 'StatCard.tsx')!.contents).toBe(VALID_STAT_CARD_OUTPUT.component);
  return 'ok';
}

describe('whatever the faults, the answer is validated code or an error, never invalid code', () => {
  it('holds for 600 random fault schedules across two fallback providers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(faultArbitrary, { maxLength: 14 }), fc.array(faultArbitrary, { maxLength: 14 }), fc.boolean(), async (first, second, withFallback) => {
        const providers = [new ScheduledProvider('a', first), ...(withFallback ? [new ScheduledProvider('b', second)] : [])];
        const h = harness(providers, { config: generationConfig({ retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 4, maxTotalWaitMs: 30_000 }, cacheStrategy: 'never' }) });
        const outcome = await generateTier2Component(STAT_CARD_REQUEST, h.deps).catch((error: unknown) => error);
        expect(outcome instanceof DspecError || (outcome as { bundle?: unknown }).bundle !== undefined).toBe(true);
        assertNeverInvalid(outcome, { invalidMarker: '#123456' });
        // Ledger lines equal provider attempts; every reservation is settled.
        const calls = providers.reduce((sum, p) => sum + p.calls, 0);
        expect(h.costs.attemptLines).toHaveLength(calls);
        expect(h.costs.reservations).toHaveLength(calls);
        expect(h.costs.openReservations).toBe(0);
        // A repair loop never exceeds its attempts, and each answer was judged at most once.
        for (const line of h.costs.attemptLines) expect(line.attempt).toBeLessThanOrEqual(3);
      }),
      { numRuns: 600 },
    );
  }, 240_000);
});

describe('the same property over real HTTP (Anthropic SDK against the fake server)', () => {
  let server: FakeAnthropicServer;
  beforeAll(async () => {
    server = await startFakeAnthropicServer();
  });
  afterAll(() => server.close());

  const stepArbitrary: fc.Arbitrary<AnthropicStep> = fc.oneof(
    fc.constant<AnthropicStep>({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT }),
    fc.constant<AnthropicStep>({ kind: 'tool', input: INVALID_STAT_CARD_OUTPUT }),
    fc.constant<AnthropicStep>({ kind: 'tool', input: { component: 'x' }, stopReason: 'max_tokens' }),
    fc.constant<AnthropicStep>({ kind: 'text', text: 'no tool today' }),
    fc.constant<AnthropicStep>({ kind: 'drop' }),
    fc.constantFrom(429, 500, 503, 529, 400, 401).map((status): AnthropicStep => ({ kind: 'error', status, type: status === 529 ? 'overloaded_error' : 'api_error' })),
    fc.constant<AnthropicStep>({ kind: 'error', status: 429, type: 'rate_limit_error', errorCode: 'enforced_spend_limit_reached', headers: { 'x-should-retry': 'false' } }),
  );

  it('holds for 80 random schedules, with ledger lines equal to HTTP requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { maxLength: 10 }), async (steps) => {
        server.reset();
        server.enqueue(...steps);
        const provider = new AnthropicProvider({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'claude-sonnet-4-6', timeoutMs: 2000 });
        const h = harness([provider], { validate: stubValidate, config: generationConfig({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 }, cacheStrategy: 'never' }) });
        const outcome = await generateTier2Component(STAT_CARD_REQUEST, h.deps).catch((error: unknown) => error);
        assertNeverInvalid(outcome, { invalidMarker: '#123456' });
        expect(h.costs.attemptLines).toHaveLength(server.messageCount);
        expect(h.costs.openReservations).toBe(0);
      }),
      { numRuns: 80 },
    );
  }, 240_000);
});
