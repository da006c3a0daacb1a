import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { createSilentLogger } from '../../src/infra/logger.js';
import { ConcurrencyGate, runGuarded } from '../../src/server/tool-guard.js';

function depsWith(limits: { toolTimeoutMs?: number; maxConcurrentExpensiveCalls?: number }) {
  const config = loadConfig({ cwd: process.cwd(), env: {}, flags: { limits } });
  return { config, logger: createSilentLogger(), cwd: process.cwd(), version: 'test', expensiveCalls: new ConcurrencyGate(config.limits.maxConcurrentExpensiveCalls) };
}

const ok = { content: [{ type: 'text' as const, text: 'ok' }] };
const textOf = (result: { content: unknown }) => (result.content as Array<{ text: string }>)[0]!.text;

describe('tool guards', () => {
  it('answers "busy" past the limit of expensive calls instead of queueing, and frees the slot afterwards', async () => {
    const deps = depsWith({ maxConcurrentExpensiveCalls: 2 });
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    const slow = () => runGuarded(deps, 'slow', undefined, { expensive: true }, async () => (await blocker, ok));
    const first = slow();
    const second = slow();
    const third = await runGuarded(deps, 'slow', undefined, { expensive: true }, async () => ok);
    expect(third.isError).toBe(true);
    expect(textOf(third)).toMatch(/busy: 2 expensive calls/);
    const cheap = await runGuarded(deps, 'cheap', undefined, {}, async () => ok);
    expect(cheap.isError).toBeFalsy();
    release();
    await Promise.all([first, second]);
    expect(deps.expensiveCalls.active).toBe(0);
    expect((await runGuarded(deps, 'slow', undefined, { expensive: true }, async () => ok)).isError).toBeFalsy();
  });

  it('stops a call at its time limit with an error naming the limit, and aborts its signal', async () => {
    const deps = depsWith({ toolTimeoutMs: 50 });
    let aborted = false;
    const result = await runGuarded(deps, 'hang', undefined, { expensive: true }, (signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise(() => {});
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/hang took longer than its 0 s time limit|time limit/);
    expect(aborted).toBe(true);
    expect(deps.expensiveCalls.active).toBe(0);
  });

  it('passes client cancellation on to the handler', async () => {
    const deps = depsWith({});
    const client = new AbortController();
    const pending = runGuarded(deps, 'cancel', client.signal, {}, (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(ok))));
    client.abort();
    expect((await pending).isError).toBeFalsy();
  });

  it('turns a thrown error into an isError result', async () => {
    const result = await runGuarded(depsWith({}), 'boom', undefined, {}, async () => {
      throw new Error('secret internals');
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).not.toContain('secret internals');
  });
});
