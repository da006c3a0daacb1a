import { InputError } from '../../errors.js';
import type { ConfigOverrides } from '../../infra/config.js';
import { serverDepsOf } from '../../server/context.js';
import { VERSION } from '../../version.js';
import type { CliCommand } from '../run-cli.js';

function positiveInteger(flag: string, value: unknown): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InputError(`${flag} must be a positive integer (got "${String(value)}")`);
  return number;
}

export const serveCommand: CliCommand = {
  words: ['serve'],
  summary:
    'Start the MCP server for MCP 2026-07-28 and 2025 clients alike: stdio by default, Streamable HTTP on /mcp with --http (stateless: any replica answers any request). ' +
    'Beyond loopback, --http needs DSPEC_HTTP_TOKEN (or --allow-unauthenticated).',
  options: {
    http: { type: 'boolean', description: 'serve Streamable HTTP (/mcp) instead of stdio' },
    port: { type: 'string', value: '3939', description: 'HTTP port (0: any free port); default 3939 or DSPEC_HTTP_PORT' },
    host: { type: 'string', value: '127.0.0.1', description: 'HTTP interface; default 127.0.0.1 or DSPEC_HTTP_HOST' },
    sessions: { type: 'boolean', description: 'legacy: stateful HTTP sessions (Mcp-Session-Id) for 2025 clients; 2026 clients stay stateless' },
    'legacy-sse': { type: 'boolean', description: 'deprecated: also serve the HTTP+SSE transport on /sse + /messages (2024 clients)' },
    stateless: { type: 'boolean', description: 'deprecated, the default: HTTP without sessions' },
    'max-sessions': { type: 'string', value: '100', description: 'with --sessions: open sessions at most; one more initialize gets 503 (default 100)' },
    'session-idle-timeout': { type: 'string', value: '1800', description: 'with --sessions: seconds an idle session lives (default 1800)' },
    'allow-unauthenticated': { type: 'boolean', description: 'serve HTTP beyond loopback without DSPEC_HTTP_TOKEN' },
  },
  async run({ values, positionals }, _io, openRuntime) {
    if (positionals.length) throw new InputError(`serve takes no positional arguments (got "${positionals[0]}")`);
    const http: NonNullable<ConfigOverrides['http']> = {};
    if (values.port !== undefined) {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port must be an integer 0–65535 (got "${String(values.port)}")`);
      http.port = port;
    }
    if (values.host !== undefined) http.host = String(values.host);
    if (values.stateless) http.stateless = true;
    if (values.sessions) http.sessions = true;
    if (values['legacy-sse']) http.legacySse = true;
    if (values.stateless && values.sessions) throw new InputError('--stateless and --sessions contradict each other: leave out --stateless (stateless is the default)');
    if (values['allow-unauthenticated']) http.allowUnauthenticated = true;
    if (values['max-sessions'] !== undefined) http.maxSessions = positiveInteger('--max-sessions', values['max-sessions']);
    if (values['session-idle-timeout'] !== undefined) http.sessionIdleTimeoutMs = positiveInteger('--session-idle-timeout', values['session-idle-timeout']) * 1000;
    // One runtime for the process: every server the transport builds (stateless HTTP: one per request) shares its parts.
    const deps = serverDepsOf(await openRuntime({ flags: { http }, logs: 'server' }), VERSION);
    // DSPEC_DATABASE_MIGRATE=1: the schema is brought up to date before the first request, so a
    // replica that cannot migrate fails at start (exit ≠ 0, one line) instead of on a paid call.
    if (deps.config.database.url && deps.config.database.migrateOnStart) await (await deps.runtime.costs()).prepare?.();
    if (values.http) {
      // The HTTP stack loads only when asked for, so a stdio start does not pay for it.
      const { serveHttp } = await import('../../server/transports/http.js');
      await serveHttp(deps);
    } else {
      const { serveStdio } = await import('../../server/transports/stdio.js');
      await serveStdio(deps);
    }
    // Keep the process alive: the transport owns the lifetime from here.
    return new Promise<number>(() => {});
  },
};
