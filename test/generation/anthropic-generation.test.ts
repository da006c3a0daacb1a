import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BudgetExceededError, ProviderError, ValidationFailedError } from '../../src/errors.js';
import { AnthropicProvider } from '../../src/generation/providers/anthropic-provider.js';
import { generateTier2Component, type GenerationProgress } from '../../src/generation/pipeline/generate-component.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { INVALID_STAT_CARD_OUTPUT, VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';
import { generationConfig, harness, STAT_CARD_REQUEST } from './support.js';

let server: FakeAnthropicServer;
beforeAll(async () => {
  server = await startFakeAnthropicServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function provider(timeoutMs = 5000) {
  return new AnthropicProvider({ apiKey: 'sk-test-secret', baseURL: server.baseURL, model: 'claude-sonnet-4-6', timeoutMs });
}

async function expectRejection<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

describe('Tier 2 with the Anthropic provider, against the real gate', () => {
  it('returns a bundle that was valid at once, with provenance, usage and one ledger line', async () => {
    const h = harness([provider()], { validate: 'real' });
    server.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT, usage: { cache_creation_input_tokens: 3000, cache_read_input_tokens: 0 } });
    const progress: GenerationProgress[] = [];
    const result = await generateTier2Component({ ...STAT_CARD_REQUEST, onProgress: (p) => progress.push(p) }, h.deps);

    expect(result.cacheHit).toBe(false);
    expect(result.attempts).toBe(1);
    expect(result.bundle.files.map((f) => f.path).sort()).toEqual(['StatCard.module.css', 'StatCard.stories.tsx', 'StatCard.test.tsx', 'StatCard.tsx', 'StatCard.types.ts', 'index.ts']);
    expect(result.provenance).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-6', attempts: 1, promptId: 'component-generation', themeHash: 'theme-hash-stat-card' });
    expect(result.bundle.provenance).toEqual(result.provenance);
    expect(result.usage).toEqual({ inputTokens: 1200, outputTokens: 900, cacheWriteTokens: 3000, cacheReadTokens: 0 });
    expect(h.costs.records).toHaveLength(1);
    expect(h.costs.records[0]).toMatchObject({ outcome: 'success', attempt: 1, retry: 0, requestId: 'req_fake_0001', cacheWriteTokens: 3000 });
    expect(h.costs.openReservations).toBe(0);
    // Streaming reports tokens as they arrive, between the call and validation.
    const stages = progress.map((p) => p.stage).filter((stage, i, all) => stage !== all[i - 1]);
    expect(stages).toEqual(['calling', 'streaming', 'validating', 'done']);
    const streamed = progress.filter((p) => p.stage === 'streaming').map((p) => (p as { outputTokens?: number }).outputTokens ?? 0);
    expect(streamed.every((tokens, i) => i === 0 || tokens >= streamed[i - 1]!)).toBe(true);
    expect(streamed.at(-1)).toBeGreaterThan(0);
    expect(h.telemetry.snapshot().firstAttemptSuccesses).toBe(1);

    // The wire request: forced strict tool, prompt caching, the full theme, examples absent, SDK retries off.
    const body = server.requests[0]!.body;
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test-secret');
    expect(server.requests[0]!.headers['x-stainless-retry-count']).toBe('0');
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'submit_component' });
    expect(body.tools[0]).toMatchObject({ name: 'submit_component', strict: true, input_schema: { type: 'object', additionalProperties: false } });
    expect(body.system[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(body.messages[0].content[0].cache_control).toEqual({ type: 'ephemeral' });
    const userText = body.messages[0].content.map((c: { text: string }) => c.text).join('\n');
    for (const variable of ['--color-success', '--font-size-xl', '--radius-md']) expect(userText).toContain(variable);
    expect(body).not.toHaveProperty('temperature');
  });

  it('repairs an invalid answer with the findings as an is_error tool result, keeping only the last attempt', async () => {
    const h = harness([provider()], { validate: 'real' });
    server.enqueue({ kind: 'tool', input: INVALID_STAT_CARD_OUTPUT }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);

    expect(result.attempts).toBe(2);
    expect(result.bundle.files.find((f) => f.path === 'StatCard.module.css')!.contents).not.toContain('#123456');
    const repairTurn = server.requests[1]!.body.messages;
    expect(repairTurn).toHaveLength(3);
    expect(repairTurn[1].content[0]).toMatchObject({ type: 'tool_use', id: 'toolu_1', name: 'submit_component' });
    expect(repairTurn[2].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true });
    expect(repairTurn[2].content[0].content).toContain('colour-literal');
    expect(h.costs.records.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, 'invalid'],
      [2, 'success'],
    ]);
    expect(h.telemetry.snapshot()).toMatchObject({ successesAfterRepair: 1, byErrorCategory: { invalid: 1 } });
  });

  it('never returns code that failed three times: a ValidationFailedError with findings, attempts and cost, the output kept on disk', async () => {
    const h = harness([provider()], { validate: 'real' });
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'tool' as const, input: INVALID_STAT_CARD_OUTPUT })));
    const error = await expectRejection(generateTier2Component(STAT_CARD_REQUEST, h.deps), ValidationFailedError);

    expect(error.context).toMatchObject({ attempts: 3, component: 'StatCard' });
    expect(error.context!.costUsd).toBeCloseTo(3 * ((1200 * 3 + 900 * 15) / 1e6), 8);
    expect(error.issues.some((issue) => issue.code === 'colour-literal')).toBe(true);
    expect(JSON.stringify(error.toJSON())).not.toContain('export function StatCard');
    // The third repair turn still carries one previous answer only.
    expect(server.requests[2]!.body.messages).toHaveLength(3);
    expect(server.messageCount).toBe(3);
    expect(h.costs.attemptLines).toHaveLength(3);
    expect(h.cache.sets).toBe(0);
    const kept = readdirSync(h.failedDir);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^2026-11-24T12-00-00-000Z-StatCard-anthropic\.json$/);
    const saved = JSON.parse(readFileSync(path.join(h.failedDir, kept[0]!), 'utf8'));
    expect(saved.attempts).toHaveLength(3);
    expect(saved.attempts[2].output.styles).toContain('#123456');
    expect(h.telemetry.snapshot()).toMatchObject({ failures: 1, byErrorCategory: { invalid: 3, validation: 1 } });
  });
});

describe('transport retries, with the SDK retries off', () => {
  it('retries a 429 after the retry-after-ms the server asked for', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'error', status: 429, type: 'rate_limit_error', headers: { 'retry-after-ms': '1500' } }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(result.attempts).toBe(1);
    expect(h.clock.sleeps).toEqual([1500]);
    expect(h.costs.records.map((r) => [r.outcome, r.errorCategory, r.retry, r.requestId])).toEqual([
      ['error', 'rate_limit', 0, 'req_fake_0001'],
      ['success', undefined, 1, 'req_fake_0002'],
    ]);
  });

  it('retries 529 overloaded twice with exponential backoff, then succeeds', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'error', status: 529, type: 'overloaded_error' }, { kind: 'error', status: 529, type: 'overloaded_error' }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    // base 10 ms, doubled, minus 12.5 % jitter (the fake clock's random() is 0.5)
    expect(h.clock.sleeps).toEqual([9, 18]);
    expect(server.messageCount).toBe(3);
    expect(h.costs.attemptLines).toHaveLength(3);
  });

  it('gives up on a persistent 500 after the configured retries, with a ProviderError', async () => {
    const h = harness([provider()], { config: generationConfig({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 } }) });
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'error' as const, status: 500, type: 'api_error' })));
    const error = await expectRejection(generateTier2Component(STAT_CARD_REQUEST, h.deps), ProviderError);
    expect(error.context).toMatchObject({ category: 'server', status: 500, requestId: 'req_fake_0003' });
    expect(server.messageCount).toBe(3);
    expect(h.costs.attemptLines).toHaveLength(3);
    expect(h.costs.openReservations).toBe(0);
  });

  it('treats a hang past the timeout as a retryable timeout', async () => {
    const h = harness([provider(300)], { config: generationConfig({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } }) });
    server.enqueue({ kind: 'hang' }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(result.attempts).toBe(1);
    expect(h.costs.records.map((r) => r.errorCategory ?? r.outcome)).toEqual(['timeout', 'success']);
  });

  it('treats a dropped connection as a retryable connection error', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'drop' }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(h.costs.records.map((r) => r.errorCategory ?? r.outcome)).toEqual(['connection', 'success']);
  });

  it('never retries a spend-limit 429 sent with x-should-retry: false', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'error', status: 429, type: 'rate_limit_error', errorCode: 'enforced_spend_limit_reached', headers: { 'x-should-retry': 'false', 'retry-after': '1' } });
    const error = await expectRejection(generateTier2Component(STAT_CARD_REQUEST, h.deps), ProviderError);
    expect(error.context).toMatchObject({ category: 'spend_limit' });
    expect(error.suggestion).toMatch(/spend limit/);
    expect(server.messageCount).toBe(1);
    expect(h.clock.sleeps).toEqual([]);
  });

  it('gives up at once when the requested wait passes the deadline', async () => {
    const h = harness([provider()], { config: generationConfig({ deadlineMs: 10_000 }) });
    server.enqueue({ kind: 'error', status: 429, type: 'rate_limit_error', headers: { 'retry-after': '30' } });
    await expectRejection(generateTier2Component(STAT_CARD_REQUEST, h.deps), ProviderError);
    expect(server.messageCount).toBe(1);
    expect(h.clock.sleeps).toEqual([]);
  });

  it('repairs a wrong-typed tool input as a schema failure', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'tool', input: { ...VALID_STAT_CARD_OUTPUT, dependencies: 'react', test: 42 } }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(result.attempts).toBe(2);
    const feedback = server.requests[1]!.body.messages[2].content[0].content as string;
    expect(feedback).toContain('dependencies');
    expect(feedback).toContain('test');
  });

  it('treats max_tokens truncation as truncation: a note, a doubled budget, no partial answer resent', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'tool', input: { component: 'export function Stat' }, stopReason: 'max_tokens' }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(result.attempts).toBe(2);
    expect(server.requests[0]!.body.max_tokens).toBe(8192);
    expect(server.requests[1]!.body.max_tokens).toBe(16384);
    const retryMessages = server.requests[1]!.body.messages;
    expect(retryMessages).toHaveLength(1);
    expect(JSON.stringify(retryMessages)).toContain('cut off after 8192 output tokens');
    expect(h.costs.records.map((r) => r.outcome)).toEqual(['truncated', 'success']);
  });

  it('makes no call when the budget would be exceeded', async () => {
    const h = harness([provider()], { budgetUsd: 0.0001 });
    await expectRejection(generateTier2Component(STAT_CARD_REQUEST, h.deps), BudgetExceededError);
    expect(server.messageCount).toBe(0);
    expect(h.costs.records).toHaveLength(0);
  });

  it('aborts the HTTP request in flight when the signal fires', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = generateTier2Component({ ...STAT_CARD_REQUEST, signal: controller.signal, onProgress: (p) => p.stage === 'calling' && setTimeout(() => controller.abort(), 50) }, h.deps);
    const error = await expectRejection(pending, ProviderError);
    expect(error.context).toMatchObject({ category: 'aborted' });
    expect(h.costs.records.map((r) => r.errorCategory)).toEqual(['aborted']);
    expect(h.costs.openReservations).toBe(0);
  });
});
