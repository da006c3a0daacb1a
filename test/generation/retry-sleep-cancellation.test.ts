import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/generation/clock.js';

// A minute-long sleep: each test aborts it at once, so none waits on the clock.
const LONG_SLEEP_MS = 60_000;

describe('the wait between retries, cancelled', () => {
  it('rejects with the abort reason itself when that is an Error', async () => {
    const controller = new AbortController();
    const reason = new Error('time limit');
    const sleeping = systemClock.sleep(LONG_SLEEP_MS, controller.signal);
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
  });

  it('rejects with an Error carrying a bare string reason (as an MCP client cancels) as its message and cause', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(LONG_SLEEP_MS, controller.signal);
    controller.abort('user pressed stop');
    const error: unknown = await sleeping.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('user pressed stop');
    expect((error as Error).cause).toBe('user pressed stop');
  });

  it('rejects at once for a signal that was already aborted, with the platform AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    const error: unknown = await systemClock.sleep(LONG_SLEEP_MS, controller.signal).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AbortError');
  });
});
