import pino, { type Bindings, type ChildLoggerOptions, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear, so a key or token never reaches a log line. */
const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'env.ANTHROPIC_API_KEY',
  'env.OPENAI_API_KEY',
  'env.DSPEC_HTTP_TOKEN',
];

/**
 * The logger writes to stderr (fd 2) synchronously and never to stdout: on stdio, stdout
 * carries JSON-RPC only and a single stray byte breaks the client.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream | number } = {}): Logger {
  const level = options.level ?? 'info';
  if (LEVEL_VALUES[level] === undefined) throw new Error(`unknown log level "${level}": use one of ${Object.keys(LEVEL_VALUES).join(', ')}`);
  return deferredLogger(() => {
    const destination = options.destination ?? (process.stderr.isTTY ? readableTerminalStream() : 2);
    return pino(
      {
        name: 'dspec',
        level,
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        base: { pid: process.pid },
        serializers: { err: serializeError },
      },
      typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination,
    );
  }, level);
}

/** pino's numeric level of each level name; a logger writes the lines at or above its own. */
const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Number.POSITIVE_INFINITY };

/**
 * A logger whose pino instance is made on the first line it writes (or on any other use): making
 * one costs milliseconds at start, and a server at level warn may never write a line. Lines below
 * the level are dropped without it, exactly as pino drops them.
 */
function deferredLogger(make: () => Logger, level: string): Logger {
  let made: Logger | undefined;
  const real = (): Logger => (made ??= make());
  const threshold = (): number => LEVEL_VALUES[made?.level ?? level] ?? 0;
  const ignore = () => {};
  const placeholder = Object.create(null) as Logger; // only the Proxy's target: every read goes through `get`
  return new Proxy(placeholder, {
    get(_target, property) {
      if (!made) {
        if (typeof property === 'string' && property in LEVEL_VALUES && property !== 'silent') {
          if (LEVEL_VALUES[property]! < threshold()) return ignore;
        } else if (property === 'level') {
          return level;
        } else if (property === 'isLevelEnabled') {
          return (name: string) => (LEVEL_VALUES[name] ?? Number.POSITIVE_INFINITY) >= threshold();
        } else if (property === 'child') {
          return (bindings: Bindings, childOptions?: ChildLoggerOptions<never>) => deferredLogger(() => real().child(bindings, childOptions), childOptions?.level ?? level);
        }
      }
      const logger = real();
      const value: unknown = Reflect.get(logger, property, logger);
      if (typeof value !== 'function') return value;
      // Bound, so pino's methods see the pino instance as `this`.
      const bound: unknown = value.bind(logger);
      return bound;
    },
    set(_target, property, value) {
      return Reflect.set(real(), property, value);
    },
  });
}

/**
 * pino's error serializer types an error by its class name, which the minified bundle renames;
 * the error's own `name` (set by hand on dspec's errors) says the same thing and survives.
 */
function serializeError(error: Error): ReturnType<typeof pino.stdSerializers.err> {
  const serialized = pino.stdSerializers.err(error);
  return typeof error?.name === 'string' ? { ...serialized, type: error.name } : serialized;
}

/** A logger that discards everything: for tests and library use. */
export function createSilentLogger(): Logger {
  return deferredLogger(() => pino({ level: 'silent' }), 'silent');
}

/** Level name by pino's number, for the terminal's readable lines. */
const LEVEL_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(LEVEL_VALUES)
    .filter(([name]) => name !== 'silent')
    .map(([name, value]) => [value, name]),
);

/**
 * A person who starts `dspec` by hand in a terminal reads plain lines ("info  dspec … ready");
 * pipes and clients get pino's JSON lines, which log tools parse.
 */
function readableTerminalStream(): NodeJS.WritableStream {
  return {
    write(line: string) {
      try {
        const { level, msg, err } = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
        process.stderr.write(`${(LEVEL_NAMES[level] ?? 'log').padEnd(5)} ${msg ?? ''}${err?.message ? `: ${err.message}` : ''}\n`);
      } catch {
        process.stderr.write(line);
      }
      return true;
    },
  } as unknown as NodeJS.WritableStream;
}
