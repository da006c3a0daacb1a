import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCache } from '../../src/cache/file-cache.js';
import { createCostTracker } from '../../src/cost/create-cost-tracker.js';
import { AnthropicProvider } from '../../src/generation/providers/anthropic-provider.js';
import { generateTier2Component } from '../../src/generation/pipeline/generate-component.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';
import { harness, STAT_CARD_REQUEST } from './support.js';

let server: FakeAnthropicServer;
beforeAll(async () => {
  server = await startFakeAnthropicServer();
});
afterAll(() => server.close());

describe('with the real file cache and the real ledger', () => {
  it('stores an entry the file cache verifies, serves it from a fresh process-like cache, and writes one ledger line per attempt', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'dspec-home-'));
    const provider = new AnthropicProvider({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'claude-sonnet-4-6', timeoutMs: 5000 });
    const h = harness([provider]);
    const deps = { ...h.deps, cache: new FileCache({ home }), costs: createCostTracker({ home, fsync: false }) };
    server.enqueue({ kind: 'error', status: 529, type: 'overloaded_error' }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });

    const first = await generateTier2Component(STAT_CARD_REQUEST, deps);
    expect(first.cost).toBeGreaterThan(0);
    // A new FileCache has an empty L1: the hit comes from disk, verified.
    const second = await generateTier2Component(STAT_CARD_REQUEST, { ...deps, cache: new FileCache({ home }) });
    expect(second.cacheHit).toBe(true);
    expect(second.bundle).toEqual(first.bundle);
    expect(server.messageCount).toBe(2);

    const lines = readFileSync(path.join(home, 'costs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.outcome)).toEqual(['error', 'success', 'cache_hit']);
    expect(lines[2].costSaved).toBeGreaterThan(0);
  });
});
