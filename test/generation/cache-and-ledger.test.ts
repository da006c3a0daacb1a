import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cacheKeyOf } from '../../src/cache/canonical-json.js';
import { ProviderUnavailableError } from '../../src/errors.js';
import { AnthropicProvider } from '../../src/generation/providers/anthropic-provider.js';
import { generateTier2Component } from '../../src/generation/pipeline/generate-component.js';
import { UnavailableProvider } from '../../src/generation/providers/select-providers.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';
import { generationConfig, harness, STAT_CARD_REQUEST } from './support.js';

let server: FakeAnthropicServer;
beforeAll(async () => {
  server = await startFakeAnthropicServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const provider = () => new AnthropicProvider({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'claude-sonnet-4-6', timeoutMs: 5000 });

describe('the content-addressed cache', () => {
  it('answers a second identical request with zero HTTP calls, recorded as a cache hit with the cost saved', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const first = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    const second = await generateTier2Component(STAT_CARD_REQUEST, h.deps);

    expect(server.messageCount).toBe(1);
    expect(second.cacheHit).toBe(true);
    expect(second.bundle).toEqual(first.bundle);
    expect(second.provenance).toEqual(first.provenance);
    expect(second.cost).toBe(0);
    expect(second.costSaved).toBeCloseTo((1200 * 3 + 900 * 15) / 1e6, 10);
    expect(h.costs.records.map((r) => r.outcome)).toEqual(['success', 'cache_hit']);
    expect(h.costs.records[1]).toMatchObject({ cacheHit: true, cacheKey: first.cacheKey, inputTokens: 0 });
    expect(h.telemetry.snapshot().cacheHits).toBe(1);
  });

  it('keys on spec, prompt, provider, model, parameters, validator, catalog and theme, and stores the key material', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const first = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    const entry = [...h.cache.entries.values()][0] as { keyMaterial: Record<string, unknown>; key: string };
    expect(cacheKeyOf(entry.keyMaterial)).toBe(entry.key);
    expect(Object.keys(entry.keyMaterial).sort()).toEqual(['gateFingerprint', 'kind', 'model', 'parameters', 'prompt', 'provider', 'spec', 'themeHash']);

    const otherTheme = await generateTier2Component({ ...STAT_CARD_REQUEST, theme: { ...STAT_CARD_REQUEST.theme!, hash: 'another-theme' } }, h.deps);
    expect(otherTheme.cacheHit).toBe(false);
    expect(otherTheme.cacheKey).not.toBe(first.cacheKey);
    expect(server.messageCount).toBe(2);
  });

  it('caches only validated results', async () => {
    const h = harness([provider()], { config: generationConfig({ maxAttempts: 1 }) });
    server.enqueue({ kind: 'tool', input: { ...VALID_STAT_CARD_OUTPUT, styles: '.root { color: #fff; }' } });
    await expect(generateTier2Component(STAT_CARD_REQUEST, h.deps)).rejects.toThrow(/failed validation/);
    expect(h.cache.sets).toBe(0);
  });

  it('in cache-only mode turns a miss into an error instead of a call, and still serves hits', async () => {
    const h = harness([provider()]);
    await expect(generateTier2Component({ ...STAT_CARD_REQUEST, cacheOnly: true }, h.deps)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(server.messageCount).toBe(0);
    expect(h.costs.records).toHaveLength(0);

    server.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    const cached = await generateTier2Component({ ...STAT_CARD_REQUEST, cacheOnly: true }, h.deps);
    expect(cached.cacheHit).toBe(true);
    expect(server.messageCount).toBe(1);
  });

  it('with cacheStrategy "never" neither reads nor writes', async () => {
    const h = harness([provider()], { config: generationConfig({ cacheStrategy: 'never' }) });
    server.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(server.messageCount).toBe(2);
    expect(h.cache.gets + h.cache.sets).toBe(0);
  });

  it('treats a failing cache read as a miss when "if-available", and as an error when "always"', async () => {
    const h = harness([provider()]);
    h.cache.get = async () => {
      throw new Error('disk on fire');
    };
    server.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    expect((await generateTier2Component(STAT_CARD_REQUEST, h.deps)).cacheHit).toBe(false);
    await expect(generateTier2Component({ ...STAT_CARD_REQUEST, cacheStrategy: 'always' }, h.deps)).rejects.toThrow('disk on fire');
  });

  it('with no usable provider answers how to configure one, but still returns what an unavailable provider cached', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    await generateTier2Component(STAT_CARD_REQUEST, h.deps);

    const keyless = harness([new UnavailableProvider('anthropic', 'claude-sonnet-4-6', 'ANTHROPIC_API_KEY is not set.')]);
    for (const [key, value] of h.cache.entries) keyless.cache.entries.set(key, value);
    expect((await generateTier2Component(STAT_CARD_REQUEST, keyless.deps)).cacheHit).toBe(true);

    const error = await generateTier2Component({ ...STAT_CARD_REQUEST, name: 'OtherCard' }, keyless.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).message).toContain('ANTHROPIC_API_KEY is not set');
    expect((error as ProviderUnavailableError).suggestion).toMatch(/ANTHROPIC_API_KEY.*OPENAI_BASE_URL.*sampling/s);
    expect(server.messageCount).toBe(1);
  });
});

describe('the ledger', () => {
  it('has exactly one line per HTTP attempt, retries and repairs included, and settles every reservation', async () => {
    const h = harness([provider()]);
    server.enqueue(
      { kind: 'error', status: 529, type: 'overloaded_error' },
      { kind: 'tool', input: { ...VALID_STAT_CARD_OUTPUT, styles: '.root { color: #fff; }' } },
      { kind: 'drop' },
      { kind: 'tool', input: VALID_STAT_CARD_OUTPUT },
    );
    await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(server.messageCount).toBe(4);
    expect(h.costs.reservations).toHaveLength(4);
    expect(h.costs.attemptLines.map((r) => [r.attempt, r.retry, r.outcome])).toEqual([
      [1, 0, 'error'],
      [1, 1, 'invalid'],
      [2, 0, 'error'],
      [2, 1, 'success'],
    ]);
    expect(h.costs.openReservations).toBe(0);
  });
});
