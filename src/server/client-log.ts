import { AsyncLocalStorage } from 'node:async_hooks';
import { Writable } from 'node:stream';
import { LOG_LEVEL_META_KEY, type LoggingLevel, type LoggingMessageNotification, type McpServer, type ProtocolEra, type RequestId, type Transport } from '@modelcontextprotocol/server';
import type { Bindings, ChildLoggerOptions, Level } from 'pino';
import { createLogger, type Logger } from '../infra/logger.js';

/**
 * MCP logging: the logger handed to the tools writes every line to the server's pino logger
 * (stderr, as before) and also to the client as `notifications/message`. A 2025 client chooses
 * its level for the connection with `logging/setLevel` (default: info); a 2026-07-28 request
 * names one in its `_meta` (`io.modelcontextprotocol/logLevel`) and gets no lines without it.
 * Lines reach the client only after pino's own redaction, with every known secret value blanked
 * and without stack traces.
 */

/** MCP levels from least to most severe (RFC 5424 order, as the spec lists them). */
const MCP_LEVELS: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

/** pino's numeric level → the MCP level a client sees. */
function mcpLevelOf(pinoLevel: number): LoggingLevel {
  if (pinoLevel >= 60) return 'critical';
  if (pinoLevel >= 50) return 'error';
  if (pinoLevel >= 40) return 'warning';
  if (pinoLevel >= 30) return 'info';
  return 'debug';
}

const severity = (level: LoggingLevel) => MCP_LEVELS.indexOf(level);

/** The level a client gets before it sends `logging/setLevel`. */
export const DEFAULT_CLIENT_LOG_LEVEL: LoggingLevel = 'info';

/** Fields of a pino line that say nothing to a client (or say too much: the host and pid). */
const DROPPED_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg']);

const LEVEL_METHODS: ReadonlySet<string> = new Set<Level>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** A logger's property is one of its log methods (`info`, `warn`…). */
function isLevelMethod(property: string | symbol): property is Level {
  return typeof property === 'string' && LEVEL_METHODS.has(property);
}

/** Environment variables whose values are secrets wherever they appear in a line. */
const SECRET_NAME = /(?:API_KEY|TOKEN|SECRET|PASSWORD)$/i;

/** Values long enough to be a credential; shorter ones would blank ordinary words. */
const MIN_SECRET_LENGTH = 8;

export function secretValuesOf(env: NodeJS.ProcessEnv, extra: ReadonlyArray<string | undefined> = []): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) if (value && SECRET_NAME.test(name) && value.length >= MIN_SECRET_LENGTH) values.add(value);
  for (const value of extra) if (value && value.length >= MIN_SECRET_LENGTH) values.add(value);
  return [...values];
}

/** Removes stack traces (they name server paths and internals) from error objects pino serialised. */
function withoutStacks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStacks);
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (key !== 'stack') copy[key] = withoutStacks(inner);
    return copy;
  }
  return value;
}

/** pino's level number of a log method's name. */
const PINO_LEVEL_OF_METHOD: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** A logger made on first use: most servers never log a line the client asked for. */
function lazy(make: () => Logger): () => Logger {
  let made: Logger | undefined;
  return () => (made ??= make());
}

/**
 * Calls both loggers for every log method, and tees the children they make. The client side
 * is only built (a pino instance) once a line the client wants is logged.
 */
function tee(primary: Logger, secondary: () => Logger, wanted: (pinoLevel: number) => boolean): Logger {
  return new Proxy(primary, {
    get(target, property) {
      if (isLevelMethod(property)) {
        return (...args: unknown[]) => {
          Reflect.apply(target[property], target, args);
          if (wanted(PINO_LEVEL_OF_METHOD[property]!)) {
            const client = secondary();
            Reflect.apply(client[property], client, args);
          }
        };
      }
      if (property === 'child') {
        return (bindings: Bindings, options?: ChildLoggerOptions<never>) =>
          tee(
            target.child(bindings, options),
            lazy(() => secondary().child(bindings, options)),
            wanted,
          );
      }
      if (property === 'isLevelEnabled') {
        return (level: string) => target.isLevelEnabled(level) || wanted(PINO_LEVEL_OF_METHOD[level] ?? Number.POSITIVE_INFINITY);
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const bound: unknown = value.bind(target);
      return bound;
    },
  });
}

/** The request whose handler is running, so its log lines travel with its answer. */
const currentRequest = new AsyncLocalStorage<RequestId>();

/** The parts of a handler's `ctx.mcpReq` the client log reads: its signal, its level and its stream. */
export interface ClientRequest {
  signal: AbortSignal;
  /** Sends a notification on this request's own response stream. */
  notify?: (notification: LoggingMessageNotification) => Promise<void>;
  /** The 2026-07-28 request envelope (`_meta` keys under `io.modelcontextprotocol/`). */
  envelope?: Readonly<Record<string, unknown>>;
}

/** The tool call whose handler is running (tool-guard.ts sets it), for its level and stream. */
const currentClientRequest = new AsyncLocalStorage<ClientRequest>();

/** Runs a tool call's work so that the client log sends its lines with that call. */
export function runInClientRequest<T>(request: ClientRequest | undefined, run: () => T): T {
  return request ? currentClientRequest.run(request, run) : run();
}

/** The level a 2026-07-28 request asked for, or undefined: then it gets no log lines at all. */
export function requestedLogLevel(request: ClientRequest | undefined): LoggingLevel | undefined {
  const level = request?.envelope?.[LOG_LEVEL_META_KEY];
  return MCP_LEVELS.find((known) => known === level);
}

/**
 * Over Streamable HTTP a notification that names no request goes to the session's GET stream,
 * which a client may not have open (and a stateless server never has): log lines of a tool call
 * are therefore sent on that call's own response stream. Call after `server.connect(transport)`.
 */
export function relateLogsToRequests(transport: Transport): void {
  const dispatch = transport.onmessage;
  if (!dispatch) return;
  transport.onmessage = (message, extra) => {
    if ('method' in message && 'id' in message) currentRequest.run(message.id, () => dispatch(message, extra));
    else dispatch(message, extra);
  };
}

export interface ClientLog {
  /** The logger for tools: stderr as before, plus the client. */
  logger: Logger;
  /** The level the client set (or the default). */
  level(): LoggingLevel;
}

/**
 * Wires MCP logging into one server: answers `logging/setLevel` and returns the teed logger.
 * The server must declare `capabilities.logging`. `era` is the protocol generation the server
 * serves (the SDK's factories say which): a 2025 server keeps a level for its connection, a 2026
 * one takes each tool call's level from its request and logs nothing outside a call.
 */
export function attachClientLog(server: McpServer, base: Logger, secrets: readonly string[], era: ProtocolEra = 'legacy'): ClientLog {
  let threshold: LoggingLevel = DEFAULT_CLIENT_LOG_LEVEL;
  /** The level lines are sent from right now, or undefined for none. */
  const levelNow = (): LoggingLevel | undefined => (era === 'modern' ? requestedLogLevel(currentClientRequest.getStore()) : threshold);
  // Replaces the SDK's own handler, which keeps no default and would send every debug line.
  server.server.setRequestHandler('logging/setLevel', (request) => {
    threshold = request.params.level;
    return {};
  });
  const scrub = (line: string) => {
    let text = line;
    for (const secret of secrets) {
      text = text.split(secret).join('[redacted]');
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret) text = text.split(escaped).join('[redacted]');
    }
    return text;
  };
  // Never through the teed logger: a failed send must not log itself into a loop.
  const send = (notification: LoggingMessageNotification, relatedRequestId: RequestId | undefined) => {
    // A tool call's lines go on its own stream (the only one a 2026 request has).
    const notify = currentClientRequest.getStore()?.notify;
    if (notify) {
      void notify(notification).catch((error: unknown) => base.trace({ err: error }, 'log notification not sent'));
      return;
    }
    const unrelated = () => server.server.notification(notification).catch((error: unknown) => base.trace({ err: error }, 'log notification not sent'));
    if (relatedRequestId === undefined) void unrelated();
    // The request may have been answered already (its stream is gone): then the session stream.
    else void server.server.notification(notification, { relatedRequestId }).catch(unrelated);
  };
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      try {
        const record = JSON.parse(scrub(chunk.toString())) as Record<string, unknown>;
        const level = mcpLevelOf(typeof record.level === 'number' ? record.level : 30);
        const from = levelNow();
        if (from !== undefined && severity(level) >= severity(from) && server.isConnected()) {
          const data: Record<string, unknown> = { message: typeof record.msg === 'string' ? record.msg : '' };
          for (const [key, value] of Object.entries(record)) if (!DROPPED_FIELDS.has(key)) data[key] = withoutStacks(value);
          send({ method: 'notifications/message', params: { level, logger: 'dspec', data } }, currentRequest.getStore());
        }
      } catch (error) {
        base.trace({ err: error }, 'log line not forwarded to the client');
      }
      callback();
    },
  });
  // pino's redaction (keys, tokens, authorization headers) applies here as on stderr; the
  // client's threshold is checked per line, so it may change after children were made.
  const clientLogger = lazy(() => createLogger({ level: 'debug', destination: sink }));
  // pino's trace lines stay on stderr: MCP's lowest level is debug.
  const wanted = (pinoLevel: number) => {
    const from = levelNow();
    return from !== undefined && pinoLevel >= 20 && severity(mcpLevelOf(pinoLevel)) >= severity(from) && server.isConnected();
  };
  return { logger: tee(base, clientLogger, wanted), level: () => threshold };
}
