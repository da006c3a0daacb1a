import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import { serverDepsOf } from '../../src/server/context.js';
import { createServer } from '../../src/server/create-server.js';
import { STATUS_URI } from '../../src/server/resources/status.js';
import { makeEntry, tempHome } from '../cache/entry-fixture.js';
import { testRuntime } from '../helpers/test-runtime.js';

const opened: Runtime[] = [];
const homes: string[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((runtime) => runtime.close()));
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A runtime whose state directory is a fresh temp dir (relative `home` resolves against `cwd`). */
function runtimeInFreshHome(options: { ownGate?: boolean } = {}): Runtime {
  const home = tempHome('dspec-runtime-');
  homes.push(home);
  const runtime = testRuntime({ cwd: home, flags: { home: '.' }, ...options });
  opened.push(runtime);
  return runtime;
}

const attempt: Parameters<Awaited<ReturnType<Runtime['costs']>>['tracker']['record']>[0] = {
  operation: 'generate_component',
  component: 'Button',
  provider: 'anthropic',
  model: 'claude-sonnet-4-6',
  requestId: 'req',
  attempt: 1,
  retry: 0,
  outcome: 'success',
  inputTokens: 1_000,
  outputTokens: 200,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  cacheHit: false,
  costSaved: 0,
  promptVersion: 'v1',
};

describe('two runtimes in one process', () => {
  it('built for two homes share no cache, ledger or circuit breaker', async () => {
    const a = runtimeInFreshHome();
    const b = runtimeInFreshHome();
    expect(a.home).not.toBe(b.home);

    // A breaker opened in A stays closed in B.
    const threshold = a.config.generation.breaker.failureThreshold;
    for (let failure = 0; failure < threshold; failure++) a.breakers.for('anthropic', 'claude-sonnet-4-6').onFailure();
    expect(a.breakers.for('anthropic', 'claude-sonnet-4-6').tryAcquire()).toBe(false);
    expect(b.breakers.for('anthropic', 'claude-sonnet-4-6').tryAcquire()).toBe(true);
    expect(b.breakers.states()).toEqual([expect.objectContaining({ key: 'anthropic:claude-sonnet-4-6', state: 'closed', consecutiveFailures: 0 })]);

    // An entry written through A is served by A and unknown to B, in memory and on disk.
    const entry = makeEntry({ seed: 'runtime-a' });
    await (await a.cache()).set(entry);
    expect((await (await a.cache()).get(entry.key))?.key).toBe(entry.key);
    expect(await (await b.cache()).get(entry.key)).toBeUndefined();
    expect((await (await a.cache()).stats()).entries).toBe(1);
    expect((await (await b.cache()).stats()).entries).toBe(0);

    // A ledger line recorded through A is in A's reports only.
    await (await a.costs()).tracker.record(attempt);
    expect((await (await a.costs()).reports.summary({ period: 'all' })).totals.records).toBe(1);
    expect((await (await b.costs()).reports.summary({ period: 'all' })).totals.records).toBe(0);

    // Telemetry and the expensive-call gate are per runtime too.
    const leave = a.expensiveCalls.tryEnter();
    expect(a.expensiveCalls.active).toBe(1);
    expect(b.expensiveCalls.active).toBe(0);
    leave?.();
  });

  it('built twice for the same home still keep their own breakers and gate (only the files are shared)', async () => {
    const a = runtimeInFreshHome();
    const b = testRuntime({ cwd: a.cwd, flags: { home: '.' } });
    opened.push(b);
    for (let failure = 0; failure < a.config.generation.breaker.failureThreshold; failure++) a.breakers.for('p', 'm').onFailure();
    expect(b.breakers.for('p', 'm').tryAcquire()).toBe(true);
    const entry = makeEntry({ seed: 'same-home' });
    await (await a.cache()).set(entry);
    // The files are the shared truth: B reads A's entry from disk.
    expect((await (await b.cache()).get(entry.key))?.key).toBe(entry.key);
  });

  it('gives every server built on it (stateless HTTP: one per request) the same parts, each built once', async () => {
    const runtime = runtimeInFreshHome();
    const first = serverDepsOf(runtime, 'test');
    const second = serverDepsOf(runtime, 'test');
    expect(second.runtime.exports).toBe(first.runtime.exports);
    expect(second.runtime.expensiveCalls).toBe(first.runtime.expensiveCalls);
    expect(await second.runtime.cache()).toBe(await first.runtime.cache());
    expect(await second.runtime.costs()).toBe(await first.runtime.costs());
    const generation = await runtime.generation();
    expect(generation.cache).toBe(await runtime.cache());
    expect(generation.costs).toBe((await runtime.costs()).tracker);
    expect(generation.breakers).toBe(runtime.breakers);
    expect(generation.telemetry).toBe(runtime.telemetry);
    expect(generation.providers).toBe(await runtime.providers());
  });

  it("answers dspec://status from the server's runtime: its breakers and telemetry, not another's", async () => {
    const mine = runtimeInFreshHome();
    const other = runtimeInFreshHome();
    for (let failure = 0; failure < other.config.generation.breaker.failureThreshold; failure++) other.breakers.for('anthropic', 'm-other').onFailure();
    mine.breakers.for('anthropic', 'm-mine').onFailure();
    mine.telemetry.cacheHit();
    const { server, cleanup } = createServer(serverDepsOf(mine, 'test'));
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    const client = new Client({ name: 'status-test', version: '1.0.0' });
    await client.connect(clientTransport);
    try {
      const read = await client.readResource({ uri: STATUS_URI });
      const status = JSON.parse((read.contents[0] as { text: string }).text) as { circuitBreakers: Array<{ key: string; state: string }>; telemetry: { cacheHits: number } };
      expect(status.circuitBreakers).toEqual([expect.objectContaining({ key: 'anthropic:m-mine', state: 'closed', consecutiveFailures: 1 })]);
      expect(status.telemetry.cacheHits).toBe(1);
    } finally {
      await client.close();
      await cleanup();
    }
  });

  it('each own a validation gate with its own warm checker, closed with the runtime', async () => {
    const a = runtimeInFreshHome({ ownGate: true });
    const b = runtimeInFreshHome({ ownGate: true });
    const gateA = await a.gate();
    const gateB = await b.gate();
    expect(await a.gate()).toBe(gateA);
    expect(gateB).not.toBe(gateA);
    expect(gateB.tools.typeChecker).not.toBe(gateA.tools.typeChecker);
    expect(gateB.tools.accessibility).not.toBe(gateA.tools.accessibility);
    expect(gateB.tools.stylesheets).not.toBe(gateA.tools.stylesheets);

    // A malformed bundle stops in the schema layer: the gate answers without loading TypeScript.
    expect((await gateA.validate({ name: 'Card' })).layersRun).toEqual(['schema']);
    await a.close();
    expect(gateA.closed).toBe(true);
    await expect(gateA.validate({ name: 'Card' })).rejects.toThrow(/gate is closed/);
    await expect(a.gate()).rejects.toThrow(/runtime is closed/);
    // B's gate is untouched.
    expect(gateB.closed).toBe(false);
    expect((await gateB.validate({ name: 'Card' })).valid).toBe(false);
  });

  it("leaves open a gate it was handed (the test run's warm one), and keeps its own preview screens", async () => {
    const a = runtimeInFreshHome();
    const b = runtimeInFreshHome();
    const shared = await a.gate();
    expect(await b.gate()).toBe(shared);
    await a.close();
    expect(shared.closed).toBe(false);
    expect(await b.gate()).toBe(shared);

    // A screen resolved for A's previews is resolved again for B's.
    expect(b.resolvedScreens).not.toBe(a.resolvedScreens);
    let resolutions = 0;
    const resolve = async () => {
      resolutions++;
      return { target: { kind: 'screen' as const, name: 'S', files: [] }, themeCss: '', packageRoot: '/', warnings: [] };
    };
    await a.resolvedScreens.get({ id: 's' }, undefined, resolve);
    await a.resolvedScreens.get({ id: 's' }, undefined, resolve);
    expect(resolutions).toBe(1);
    await b.resolvedScreens.get({ id: 's' }, undefined, resolve);
    expect(resolutions).toBe(2);
    expect(a.resolvedScreens.size).toBe(1);
    expect(b.resolvedScreens.size).toBe(1);
  });

  it('closes what it started and hands out no browser afterwards', async () => {
    const runtime = runtimeInFreshHome();
    const browser = await runtime.previewBrowser();
    expect(await runtime.previewBrowser()).toBe(browser);
    expect(browser.status().running).toBe(false);
    await runtime.close();
    await expect(runtime.previewBrowser()).rejects.toThrow(/runtime is closed/);
    await runtime.close(); // idempotent
  });
});
