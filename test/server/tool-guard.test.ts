import type { CallToolResult } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { runGuarded } from '../../src/server/tool-guard.js';
import { LogLines, type LogLine } from '../helpers/log-lines.js';
import { testServerDeps } from '../helpers/test-runtime.js';

function depsWith(limits: { toolTimeoutMs?: number; maxConcurrentExpensiveCalls?: number }, log?: LogLines) {
  return testServerDeps({ flags: { limits }, ...(log ? { logger: log.logger } : {}) });
}

/** The guard's own word that an aborted call's work has stopped and its slot is free. */
const slotFreed = (tool: string) => (line: LogLine) => line.msg === 'aborted tool call has stopped; its slot is free' && line.tool === tool;

const ok: CallToolResult = { content: [{ type: 'text', text: 'ok' }] };
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
    expect(deps.runtime.expensiveCalls.active).toBe(0);
    expect((await runGuarded(deps, 'slow', undefined, { expensive: true }, async () => ok)).isError).toBeFalsy();
  });

  it('stops a call at its time limit with an error naming the limit, and aborts its signal', async () => {
    const log = new LogLines();
    const deps = depsWith({ toolTimeoutMs: 50 }, log);
    let aborted = false;
    let stopped!: () => void;
    const hasStopped = new Promise<void>((resolve) => (stopped = resolve));
    const result = await runGuarded(deps, 'hang', undefined, { expensive: true }, (signal) => {
      return new Promise<CallToolResult>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          // The work notices the abort a little later, as real work does.
          setImmediate(() => {
            reject(signal.reason);
            stopped();
          });
        });
      });
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/hang took longer than its 0 s time limit|time limit/);
    expect(aborted).toBe(true);
    await hasStopped;
    await log.lineMatching(slotFreed('hang'));
    expect(deps.runtime.expensiveCalls.active).toBe(0);
  });

  it('keeps the slot of a timed-out call until its work has actually stopped', async () => {
    const log = new LogLines();
    const deps = depsWith({ toolTimeoutMs: 50, maxConcurrentExpensiveCalls: 1 }, log);
    let finish!: () => void;
    const workDone = new Promise<void>((resolve) => (finish = resolve));
    let settled = false;
    // Work that ignores the abort (a synchronous layer, a provider call without a signal).
    const result = await runGuarded(deps, 'stubborn', undefined, { expensive: true }, async () => {
      await workDone;
      settled = true;
      return ok;
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/time limit/);
    // The time limit has answered, but the work still runs: it keeps its slot.
    expect(settled).toBe(false);
    expect(deps.runtime.expensiveCalls.active).toBe(1);
    const refused = await runGuarded(deps, 'next', undefined, { expensive: true }, async () => ok);
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/busy: 1 expensive calls/);
    finish();
    await log.lineMatching(slotFreed('stubborn'));
    expect(deps.runtime.expensiveCalls.active).toBe(0);
    expect((await runGuarded(deps, 'next', undefined, { expensive: true }, async () => ok)).isError).toBeFalsy();
  });

  it('keeps the slot of a cancelled call until its work has actually stopped', async () => {
    const log = new LogLines();
    const deps = depsWith({ maxConcurrentExpensiveCalls: 1 }, log);
    const client = new AbortController();
    let finish!: () => void;
    const workDone = new Promise<void>((resolve) => (finish = resolve));
    let sawAbort = false;
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => (started = resolve));
    const pending = runGuarded(deps, 'cancelled', { signal: client.signal }, { expensive: true }, async (signal) => {
      signal.addEventListener('abort', () => (sawAbort = true));
      started();
      await workDone;
      return ok;
    });
    await hasStarted;
    expect(deps.runtime.expensiveCalls.active).toBe(1);
    client.abort();
    expect(sawAbort).toBe(true);
    expect(deps.runtime.expensiveCalls.active).toBe(1);
    finish();
    await pending;
    await log.lineMatching(slotFreed('cancelled'));
    expect(deps.runtime.expensiveCalls.active).toBe(0);
  });

  it('passes client cancellation on to the handler', async () => {
    const deps = depsWith({});
    const client = new AbortController();
    const pending = runGuarded(deps, 'cancel', { signal: client.signal }, {}, (signal) => new Promise<CallToolResult>((resolve) => signal.addEventListener('abort', () => resolve(ok))));
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
