import pino, { type Logger } from 'pino';

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
  const destination = options.destination ?? (process.stderr.isTTY ? readableTerminalStream() : 2);
  return pino(
    {
      name: 'dspec',
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      serializers: { err: serializeError },
    },
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination,
  );
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
  return pino({ level: 'silent' });
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

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
