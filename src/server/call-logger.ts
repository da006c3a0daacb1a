import { AsyncLocalStorage } from 'node:async_hooks';
import type { Bindings, ChildLoggerOptions } from 'pino';
import type { Logger } from '../infra/logger.js';

/**
 * The runtime's long-lived parts (cache, cost tracker, preview browser) are built once and shared
 * by every server and session of a process, so they cannot be handed the logger of one tool call.
 * A line such a part logs while a call runs (an unpriced model, a quarantined cache entry) still
 * belongs to that call: tools run inside `runWithCallLogger`, and the parts log through
 * `followCallLogger`, which writes each line with the logger of the call in whose async context
 * it is logged (a tee to that call's client and stderr), and with the runtime's outside any call.
 */

const callLogger = new AsyncLocalStorage<Logger>();

/** Runs one tool call's work with `logger` as the logger shared parts write to. */
export function runWithCallLogger<T>(logger: Logger, run: () => T): T {
  return callLogger.run(logger, run);
}

/**
 * A logger for shared parts: each line goes to the running call's logger, or to `base` outside
 * any call. Never use it as the base of a call's logger: the call's lines would loop back to it.
 */
export function followCallLogger(base: Logger): Logger {
  return following(base, (logger) => logger);
}

/** `derive` turns the logger in charge (the call's or `base`) into this one, e.g. a child with its bindings. */
function following(base: Logger, derive: (inCharge: Logger) => Logger): Logger {
  return new Proxy(base, {
    get(target, property) {
      if (property === 'child') {
        return (bindings: Bindings, options?: ChildLoggerOptions<never>) => following(target, (inCharge) => derive(inCharge).child(bindings, options));
      }
      const current = derive(callLogger.getStore() ?? target);
      const value: unknown = Reflect.get(current, property, current);
      if (typeof value !== 'function') return value;
      // Bound, so pino's methods see the logger in charge as `this`.
      const bound: unknown = value.bind(current);
      return bound;
    },
  });
}
