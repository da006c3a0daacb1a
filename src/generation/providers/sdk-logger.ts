/**
 * The logger handed to the vendor SDKs (`ANTHROPIC_LOG`, `OPENAI_LOG`). Their default is
 * `console`, whose `info` and `debug` write to stdout: on stdio that is the JSON-RPC channel,
 * and one such line breaks the client. At `debug` they also print whole request and response
 * bodies (prompts, answers) and headers. So every line goes to stderr, keys and authorization
 * values are redacted wherever they appear, and long strings and whole lines are cut short.
 */

/** Longest string value kept whole in a log line; a prompt or an answer is cut to this. */
export const MAX_LOGGED_STRING = 300;
/** Longest log line written. */
export const MAX_LOGGED_LINE = 4000;
const MAX_DEPTH = 6;

const SECRET_KEY = /authorization|api[-_]?key|x-api-key|cookie|secret|password|token$/i;
/** Key shapes of Anthropic (`sk-ant-…`), OpenAI (`sk-…`, `sk-proj-…`) and bearer headers. */
const SECRET_VALUE = /\b(?:sk-[A-Za-z0-9_-]{6,}|Bearer\s+[A-Za-z0-9._~+/=-]{6,})/g;

export function redactSecrets(text: string): string {
  return text.replace(SECRET_VALUE, (match) => (match.startsWith('Bearer') ? 'Bearer [redacted]' : 'sk-[redacted]'));
}

function shorten(text: string, limit = MAX_LOGGED_STRING): string {
  const clean = redactSecrets(text);
  return clean.length > limit ? `${clean.slice(0, limit)}… (${clean.length - limit} more characters)` : clean;
}

/** A copy of `value` safe to log: secrets redacted, strings shortened, deep or cyclic parts elided. */
export function sanitizeForLog(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return shorten(value);
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '[function]' : value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (value instanceof Error) return { name: value.name, message: shorten(value.message) };
  if (typeof Headers !== 'undefined' && value instanceof Headers) return sanitizeForLog(Object.fromEntries(value.entries()), depth, seen);
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((item) => sanitizeForLog(item, depth + 1, seen));
    return value.length > 20 ? [...items, `… ${value.length - 20} more items`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? '[redacted]' : sanitizeForLog(item, depth + 1, seen);
  return out;
}

export type SdkLogFn = (message: string, ...rest: unknown[]) => void;
export interface SdkLogger {
  error: SdkLogFn;
  warn: SdkLogFn;
  info: SdkLogFn;
  debug: SdkLogFn;
}

/** A logger for the SDKs' `logger` option; `write` receives each finished line (stderr by default). */
export function createSdkLogger(write: (line: string) => void = (line) => process.stderr.write(line)): SdkLogger {
  const log =
    (level: string) =>
    (message: string, ...rest: unknown[]) => {
      const details = rest.length === 0 ? '' : ` ${JSON.stringify(rest.length === 1 ? sanitizeForLog(rest[0]) : sanitizeForLog(rest))}`;
      let line = `[sdk ${level}] ${shorten(String(message))}${details}`;
      if (line.length > MAX_LOGGED_LINE) line = `${line.slice(0, MAX_LOGGED_LINE)}… (line cut)`;
      write(`${line}\n`);
    };
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}

export const SDK_LOGGER: SdkLogger = createSdkLogger();
