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
  usage:
    'dspec serve [--http] [--port 3939] [--host 127.0.0.1] [--stateless] [--max-sessions 100] [--session-idle-timeout 1800] [--allow-unauthenticated]',
  summary:
    'Start the MCP server: stdio by default, Streamable HTTP (/mcp, with sessions unless --stateless) and legacy SSE (/sse) with --http. ' +
    'Beyond loopback, --http needs DSPEC_HTTP_TOKEN (or --allow-unauthenticated).',
  options: {
    http: { type: 'boolean' },
    port: { type: 'string' },
    host: { type: 'string' },
    stateless: { type: 'boolean' },
    'max-sessions': { type: 'string' },
    'session-idle-timeout': { type: 'string' },
    'allow-unauthenticated': { type: 'boolean' },
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
    if (values['allow-unauthenticated']) http.allowUnauthenticated = true;
    if (values['max-sessions'] !== undefined) http.maxSessions = positiveInteger('--max-sessions', values['max-sessions']);
    if (values['session-idle-timeout'] !== undefined) http.sessionIdleTimeoutMs = positiveInteger('--session-idle-timeout', values['session-idle-timeout']) * 1000;
    // One runtime for the process: every server the transport builds (stateless HTTP: one per request) shares its parts.
    const deps = serverDepsOf(await openRuntime({ flags: { http }, logs: 'server' }), VERSION);
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
