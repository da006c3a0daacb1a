import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { awaitTurn } from '../../src/generation/claims/await-turn.js';
import type { GenerationClaims } from '../../src/generation/claims/generation-claims.js';
import { InProcessClaims } from '../../src/generation/claims/in-process-claims.js';
import type { GenerationProgress } from '../../src/generation/pipeline/generation-request.js';
import { generateTier2Component } from '../../src/generation/pipeline/generate-component.js';
import { routeComponentRequest } from '../../src/generation/pipeline/route-component-request.js';
import { loadConfig } from '../../src/infra/config.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { testRuntime } from '../helpers/test-runtime.js';
import { ClaimRace, ContendedClaims, withClaims } from './claims-contention.js';
import { ScriptedProvider } from './scripted-provider.js';
import { generationConfig, harness, STAT_CARD_REQUEST } from './support.js';
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';

const DESCRIPTION = 'A card showing one key figure with its label and its change against the previous period.';
const REQUEST = { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME, format: 'tsx' as const };

function runtimeAgainst(fake: FakeAnthropicServer): Runtime {
  const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-claims-'));
  const env = { ANTHROPIC_API_KEY: 'sk-ant-test-claims', ANTHROPIC_BASE_URL: fake.baseURL, DSPEC_PROVIDER: 'anthropic', DSPEC_MODEL: 'claude-sonnet-4-5' };
  return testRuntime({ cwd, env, config: loadConfig({ cwd, env }) });
}

function ledgerOutcomes(runtime: Runtime): string[] {
  return readFileSync(path.join(runtime.home, 'costs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { outcome: string }).outcome);
}

describe('concurrent identical requests in one process pay once', () => {
  let fake: FakeAnthropicServer;
  beforeAll(async () => {
    fake = await startFakeAnthropicServer();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('20 concurrent requests for one spec: one vendor call, 19 cache hits, 19 ledger lines at no cost', async () => {
    fake.reset();
    // A second call would find the queue empty and fail with a 500.
    fake.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const runtime = runtimeAgainst(fake);
    const race = new ClaimRace(19);
    const racing = withClaims(runtime, (own) => new ContendedClaims(own, race));
    const stages: GenerationProgress['stage'][][] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => {
        stages[index] = [];
        return routeComponentRequest(REQUEST, { runtime: racing, logger: runtime.logger, onProgress: (progress) => stages[index]!.push(progress.stage) });
      }),
    );
    expect(fake.messageCount).toBe(1);
    expect(results.filter((result) => result.cacheHit)).toHaveLength(19);
    expect(new Set(results.map((result) => result.hash)).size).toBe(1);
    expect(race).toMatchObject({ wins: 1, losses: 19 });
    expect(new Set(race.keys).size).toBe(1);
    expect(stages.filter((seen) => seen.includes('waiting') && seen.includes('cache-hit'))).toHaveLength(19);
    const outcomes = ledgerOutcomes(runtime);
    expect(outcomes.filter((outcome) => outcome === 'success')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'cache_hit')).toHaveLength(19);
    expect(outcomes).toHaveLength(20);
    await runtime.close();
  });

  it('a failed generation releases its claim, and the waiting request generates itself', async () => {
    fake.reset();
    // The first call is refused for good (a 400 is not retried); the waiter's call succeeds.
    fake.enqueue({ kind: 'error', status: 400, type: 'invalid_request_error', message: 'scripted refusal' }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const runtime = runtimeAgainst(fake);
    const race = new ClaimRace(1);
    const racing = withClaims(runtime, (own) => new ContendedClaims(own, race));
    const [first, second] = await Promise.allSettled([
      routeComponentRequest(REQUEST, { runtime: racing, logger: runtime.logger }),
      routeComponentRequest(REQUEST, { runtime: racing, logger: runtime.logger }),
    ]);
    const settled = [first, second];
    const failed = settled.filter((outcome) => outcome.status === 'rejected');
    const passed = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(failed).toHaveLength(1);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(/scripted refusal/);
    expect(passed).toHaveLength(1);
    expect(passed[0]!.cacheHit).toBe(false);
    expect(fake.messageCount).toBe(2);
    expect(race).toMatchObject({ wins: 2, losses: 1 });
    const { claims } = await runtime.generation();
    expect(claims).toBeInstanceOf(InProcessClaims);
    expect((claims as InProcessClaims).size).toBe(0);
    await runtime.close();
  });
});

describe('a request waiting for another to generate its spec', () => {
  it('stops waiting when it is cancelled: a ProviderError that says so, no vendor call, no ledger line', async () => {
    const fake = await startFakeAnthropicServer();
    const runtime = runtimeAgainst(fake);
    // Another replica holds the key for as long as this test runs.
    const heldElsewhere: GenerationClaims = {
      holder: 'here',
      tryClaim: async () => ({ won: false, holder: 'replica-b' }),
      waitForChange: (_key, _round, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error(String(signal.reason))))),
      close: async () => {},
    };
    const controller = new AbortController();
    const waiting = routeComponentRequest(REQUEST, {
      runtime: withClaims(runtime, () => heldElsewhere),
      logger: runtime.logger,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.stage === 'waiting') controller.abort('client cancelled');
      },
    });
    await expect(waiting).rejects.toThrow(ProviderError);
    await expect(waiting).rejects.toThrow(/StatCard was cancelled while another request was generating the same spec/);
    expect(fake.messageCount).toBe(0);
    expect(existsSync(path.join(runtime.home, 'costs.jsonl'))).toBe(false);
    await runtime.close();
    await fake.close();
  });
});

describe('a request waiting past its own deadline', () => {
  it('gives up with a ProviderError that names no machine, having called no provider', async () => {
    const provider = new ScriptedProvider('anthropic', 'claude-test', []);
    const h = harness([provider], { config: generationConfig({ deadlineMs: 3_000 }) });
    let rounds = 0;
    // Held by a replica that never finishes; each wait is a second of the fake clock.
    h.deps.claims = {
      holder: 'here',
      tryClaim: async () => ({ won: false, holder: 'replica-b.internal:4242:0f0f0f0f' }),
      waitForChange: async () => {
        rounds++;
        h.clock.advance(1_000);
      },
      close: async () => {},
    };
    const failure = await generateTier2Component(STAT_CARD_REQUEST, h.deps).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).message).toBe("Generating StatCard timed out: another request was still generating the same spec at this request's deadline.");
    expect(JSON.stringify(failure)).not.toContain('replica-b');
    expect((failure as ProviderError).context).toEqual({ component: 'StatCard', category: 'timeout' });
    expect(rounds).toBe(3);
    expect(provider.calls).toHaveLength(0);
    expect(h.telemetry.snapshot()).toMatchObject({ failures: 1, byErrorCategory: { timeout: 1 } });
  });
});

describe('waiting for a claim in one process', () => {
  it('a waiter whose request is cancelled stops waiting, and the holder keeps its claim', async () => {
    const claims = new InProcessClaims('holder-a');
    const held = await claims.tryClaim('key-1');
    expect(held.won).toBe(true);
    const controller = new AbortController();
    const seen: string[] = [];
    const waiting = awaitTurn(claims, 'key-1', { lookAgain: async () => undefined, signal: controller.signal, now: () => 0, giveUpAt: 1, onWaiting: (holder) => seen.push(holder) });
    await Promise.resolve();
    controller.abort('client cancelled');
    await expect(waiting).rejects.toThrow('client cancelled');
    expect(seen).toEqual(['holder-a']);
    expect(claims.size).toBe(1);
  });

  it('a waiter is served what the holder made once the holder releases', async () => {
    const claims = new InProcessClaims('holder-a');
    const held = await claims.tryClaim('key-1');
    const cache = new Map<string, string>();
    const waiting = awaitTurn(claims, 'key-1', { lookAgain: async () => cache.get('key-1'), now: () => 0, giveUpAt: 1 });
    cache.set('key-1', 'the holder’s bundle');
    if (held.won) await held.claim.release();
    await expect(waiting).resolves.toEqual({ kind: 'served', value: 'the holder’s bundle' });
    expect(claims.size).toBe(0);
  });

  it('a request that wins the claim after the entry appeared is served it and releases the claim', async () => {
    const claims = new InProcessClaims();
    await expect(awaitTurn(claims, 'key-1', { lookAgain: async () => 'written meanwhile', now: () => 0, giveUpAt: 1 })).resolves.toEqual({ kind: 'served', value: 'written meanwhile' });
    expect(claims.size).toBe(0);
  });

  it('a waiter past its deadline gives up and names the holder', async () => {
    const claims = new InProcessClaims('holder-a');
    await claims.tryClaim('key-1');
    await expect(awaitTurn(claims, 'key-1', { lookAgain: async () => undefined, now: () => 5, giveUpAt: 5 })).resolves.toEqual({ kind: 'gave-up', holder: 'holder-a' });
  });
});
