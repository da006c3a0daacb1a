import { createServer as createNodeHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { InputError } from '../../errors.js';
import type { ServerDeps } from '../context.js';
import { createServer, TOOL_NAMES } from '../create-server.js';
import { mountLegacySse, SSE_MESSAGES_PATH, SSE_PATH, type LegacySse } from './http-legacy-sse.js';
import { StreamableSessions } from './http-sessions.js';
import { createBearerGuard, createHostGuard, createOriginGuard, isLoopbackHost, isWildcardHost, normalizeHostname, RpcErrorCode, sendRpcError } from './http-security.js';

export { SSE_MESSAGES_PATH, SSE_PATH };
export const MCP_PATH = '/mcp';
export const HEALTH_PATH = '/healthz';

/** How long shutdown waits for in-flight requests before cutting their connections. */
const SHUTDOWN_GRACE_MS = 3_000;

const SESSION_HEADER = 'mcp-session-id';

export interface HttpAppOptions {
  /** Bind address the Host check is based on; defaults to `config.http.host`. */
  host?: string;
  /** Extra Host names to accept, e.g. a reverse proxy's public name. */
  allowedHosts?: readonly string[];
}

export interface HttpApp {
  app: Express;
  // Function properties, not methods: they use no `this`, so callers may take them out of the object.
  /** Number of open legacy SSE sessions (always 0 without `http.legacySse`). */
  sseSessionCount: () => number;
  /** Number of open Streamable HTTP sessions (always 0 without `http.sessions`). */
  mcpSessionCount: () => number;
  /** Ends every in-flight exchange, SSE stream and Streamable HTTP session and closes their MCP servers. */
  closeSessions: () => Promise<void>;
}

function methodNotAllowed(allow: string) {
  return (_req: Request, res: Response) => {
    res.setHeader('Allow', allow);
    sendRpcError(res, 405, RpcErrorCode.ServerError, `Method not allowed: use ${allow}`);
  };
}

/**
 * The Express app behind `dspec serve --http`. `/mcp` is the SDK's `createMcpHandler`: every POST
 * is served on its own by a server from our factory, for 2026-07-28 clients natively and for 2025
 * clients through the SDK's stateless legacy path, so replicas need no affinity. Two legacy
 * options, off by default: `http.sessions` routes 2025 traffic (`isLegacyRequest`, a session id,
 * GET streams, DELETE) to stateful 2025 sessions instead; `http.legacySse` mounts the deprecated
 * HTTP+SSE transport on `/sse` + `/messages`. Guards run in this order, all before the body is
 * read: Host, Origin, (health check), bearer token, then the size-capped JSON parser. `/healthz`
 * skips only the token: it reveals the version and nothing else, and Docker or load-balancer
 * probes seldom carry credentials.
 */
export function createHttpApp(deps: ServerDeps, options: HttpAppOptions = {}): HttpApp {
  const { config, logger } = deps;
  // Not the SDK's createMcpExpressApp: its JSON parser (100 kB limit) would read every body before
  // the Origin and token checks. Its Host check is used on its own (createHostGuard).
  const app = express();
  app.disable('x-powered-by');
  // No proxy is trusted: the Host and client address are taken as received.
  app.set('trust proxy', false);

  app.use(createHostGuard({ bindHost: options.host ?? config.http.host, allowedHosts: options.allowedHosts ?? config.http.allowedHosts }, logger));
  app.use(createOriginGuard(config.http.allowedOrigins, logger));

  app.get(HEALTH_PATH, (_req, res) => {
    res.json({ status: 'ok', version: deps.version });
  });
  app.all(HEALTH_PATH, methodNotAllowed('GET'));

  if (config.http.token) app.use(createBearerGuard(config.http.token, logger));
  app.use(express.json({ limit: config.http.maxBodyBytes }));

  const onerror = (error: Error) => logger.debug({ err: error }, 'MCP HTTP handler reported an error');
  // One server per request. A 2025 client of this path cannot choose a log level (each POST meets a
  // new server), so it gets only the answer; a 2026 request names its level in its own _meta.
  const mcp = createMcpHandler(({ era }) => createServer(deps, { era, clientLog: era === 'modern', detachLongCalls: true }).server, {
    legacy: config.http.sessions ? 'reject' : 'stateless',
    onerror,
  });
  const serveMcp = toNodeHandler(mcp, { onerror, maxRequestBodySize: config.http.maxBodyBytes });
  const answer = async (req: Request, res: Response) => {
    try {
      await serveMcp(req, res, req.body);
    } catch (error) {
      logger.error({ err: error }, 'failed to handle an MCP request');
      if (!res.headersSent) sendRpcError(res, 500, RpcErrorCode.Internal, 'Internal server error');
    }
  };

  let mcpSessions: StreamableSessions | undefined;
  if (config.http.sessions) {
    const sessions = new StreamableSessions(deps, {
      maxSessions: config.http.maxSessions,
      idleTimeoutMs: config.http.sessionIdleTimeoutMs,
      maxBodyBytes: config.http.maxBodyBytes,
    });
    mcpSessions = sessions;
    // The SDK's own classification decides which POSTs are 2025 traffic, so this branch never disagrees with createMcpHandler.
    const isSessionTraffic = async (req: Request) => req.method !== 'POST' || typeof req.headers[SESSION_HEADER] === 'string' || (await isLegacyRequest(await toWebRequest(req, req.body), req.body));
    const route = async (req: Request, res: Response) => {
      if (await isSessionTraffic(req)) await sessions.handle(req, res);
      else await answer(req, res);
    };
    app.post(MCP_PATH, route);
    app.get(MCP_PATH, route);
    app.delete(MCP_PATH, route);
    app.all(MCP_PATH, methodNotAllowed('GET, POST, DELETE'));
  } else {
    app.post(MCP_PATH, answer);
    // Without sessions there is no stream to resume (GET) or end (DELETE); clients such as the
    // Inspector expect a 405 here rather than a hanging stream.
    app.all(MCP_PATH, methodNotAllowed('POST'));
  }

  let sse: LegacySse | undefined;
  if (config.http.legacySse) {
    sse = mountLegacySse(app, deps);
    app.all(SSE_PATH, methodNotAllowed('GET'));
    app.all(SSE_MESSAGES_PATH, methodNotAllowed('POST'));
  }

  app.use((req, res) => {
    const sseHint = config.http.legacySse ? `, legacy SSE on ${SSE_PATH}` : ' (the deprecated HTTP+SSE transport needs --legacy-sse)';
    sendRpcError(res, 404, RpcErrorCode.ServerError, `Not found: ${req.method} ${req.path} (MCP is served on ${MCP_PATH}${sseHint})`);
  });

  // Body-parser failures (size, syntax, charset) arrive here; the tool never sees the body.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
    if (res.headersSent) return;
    if (type === 'entity.too.large') {
      sendRpcError(res, 413, RpcErrorCode.InvalidRequest, `Request body too large: the limit is ${config.http.maxBodyBytes} bytes`);
    } else if (type === 'entity.parse.failed') {
      sendRpcError(res, 400, RpcErrorCode.ParseError, 'Parse error: the request body is not valid JSON');
    } else if (typeof status === 'number' && status >= 400 && status < 500) {
      sendRpcError(res, status, RpcErrorCode.InvalidRequest, `Bad request: ${error instanceof Error ? error.message : 'rejected'}`);
    } else {
      logger.error({ err: error }, 'unexpected error in the HTTP transport');
      sendRpcError(res, 500, RpcErrorCode.Internal, 'Internal server error');
    }
  });

  return {
    app,
    sseSessionCount: () => sse?.count() ?? 0,
    mcpSessionCount: () => mcpSessions?.size ?? 0,
    closeSessions: async () => {
      await Promise.all([sse?.closeAll(), mcpSessions?.closeAll(), mcp.close().catch(() => {})]);
    },
  };
}

export interface HttpServerHandle {
  /** Base URL a local client can reach, e.g. `http://127.0.0.1:3939`. */
  url: string;
  /** Streamable HTTP endpoint. */
  mcpUrl: string;
  /** Legacy HTTP+SSE endpoint (served only with `http.legacySse`). */
  sseUrl: string;
  host: string;
  /** The bound port (the real one when 0 was asked for). */
  port: number;
  /** Open Streamable HTTP sessions. */
  mcpSessionCount(): number;
  /** Stops accepting connections, ends sessions and waits briefly for in-flight requests. */
  close(): Promise<void>;
}

export interface StartHttpServerOptions {
  /** Defaults to `config.http.port`; 0 picks a free port. */
  port?: number;
  /** Defaults to `config.http.host`. */
  host?: string;
  allowedHosts?: readonly string[];
}

/** The host part of a URL a local client can use: a wildcard bind is reached over loopback. */
function urlHost(host: string): string {
  return isWildcardHost(host) ? '127.0.0.1' : normalizeHostname(host);
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') {
    return new InputError(`Cannot listen on ${host}:${port}: the port is already in use`, {
      suggestion: 'Stop the other server, or pick another port with --port (0 picks a free one).',
      cause: error,
    });
  }
  if (error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new InputError(`Cannot listen on ${host}:${port} (${error.code})`, {
      suggestion: 'Use a port above 1023 and an address of this machine, e.g. --host 127.0.0.1.',
      cause: error,
    });
  }
  return error;
}

/** Starts the HTTP transport in this process; tests call it with `{ port: 0 }`. */
export async function startHttpServer(deps: ServerDeps, options: StartHttpServerOptions = {}): Promise<HttpServerHandle> {
  const host = options.host ?? deps.config.http.host;
  const requestedPort = options.port ?? deps.config.http.port;
  const { app, closeSessions, mcpSessionCount } = createHttpApp(deps, { host, allowedHosts: options.allowedHosts ?? deps.config.http.allowedHosts });

  const httpServer = createNodeHttpServer(app);

  // Node's closeIdleConnections() skips sockets that are open but have not sent a request yet;
  // tracking busy sockets lets shutdown drop every socket that is not serving a request.
  const sockets = new Set<Socket>();
  const busySockets = new Set<Socket>();
  let shuttingDown = false;
  httpServer.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      busySockets.delete(socket);
    });
  });
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    busySockets.add(req.socket);
    res.once('close', () => {
      busySockets.delete(req.socket);
      if (shuttingDown) req.socket.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (error: NodeJS.ErrnoException) => reject(describeListenError(error, host, requestedPort)));
    httpServer.listen(requestedPort, host, () => resolve());
  });
  const boundPort = (httpServer.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${boundPort}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await closeSessions();
      for (const socket of sockets) if (!busySockets.has(socket)) socket.destroy();
      const force = setTimeout(() => httpServer.closeAllConnections(), SHUTDOWN_GRACE_MS);
      force.unref();
      await stopped;
      clearTimeout(force);
    })();
    return closing;
  };

  return { url, mcpUrl: `${url}${MCP_PATH}`, sseUrl: `${url}${SSE_PATH}`, host, port: boundPort, mcpSessionCount, close };
}

/**
 * Serves MCP over HTTP for `dspec serve --http`: starts the server from the configuration,
 * logs the ready banner on stderr and closes cleanly on SIGINT/SIGTERM.
 */
export async function serveHttp(deps: ServerDeps): Promise<HttpServerHandle> {
  const { config, logger } = deps;
  const tokenRequired = Boolean(config.http.token);
  assertAuthenticatedBeyondLoopback(config.http.host, tokenRequired, config.http.allowUnauthenticated);
  if (!isLoopbackHost(config.http.host) && !tokenRequired) {
    // Only reachable with --allow-unauthenticated: said on every start, before listening, so it is never missed.
    logger.warn(
      { host: config.http.host, port: config.http.port, allowUnauthenticated: true },
      `WARNING: --allow-unauthenticated: dspec will listen on ${config.http.host}:${config.http.port}, reachable beyond this machine, WITHOUT a token. ` +
        'Anyone who can reach this port can call every tool, including the ones that spend money and write files. Set DSPEC_HTTP_TOKEN, or bind to 127.0.0.1.',
    );
  }
  const handle = await startHttpServer(deps);

  let shuttingDown = false;
  const shutdown = async (reason: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ reason }, 'dspec shutting down');
    await handle.close().catch(() => {});
    await deps.runtime.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const { sessions, legacySse, maxSessions, sessionIdleTimeoutMs } = config.http;
  if (legacySse) {
    logger.warn(
      { sseUrl: handle.sseUrl },
      `--legacy-sse: serving the HTTP+SSE transport on ${handle.sseUrl}, which MCP deprecated (2025-03-26) and SDK v2 no longer serves itself; move its clients to Streamable HTTP on ${handle.mcpUrl}.`,
    );
  }
  const headerHint = tokenRequired ? ' --header "Authorization: Bearer $DSPEC_HTTP_TOKEN"' : '';
  const legacyMode = sessions ? `2025 clients in sessions: up to ${maxSessions}, closed after ${Math.round(sessionIdleTimeoutMs / 1000)} s idle` : '2025 clients stateless';
  logger.info(
    {
      transport: 'http',
      url: handle.url,
      mcpUrl: handle.mcpUrl,
      ...(legacySse ? { sseUrl: handle.sseUrl } : {}),
      host: handle.host,
      port: handle.port,
      tools: [...TOOL_NAMES],
      tokenRequired,
      stateless: !sessions,
      sessions,
      legacySse,
      ...(sessions ? { maxSessions, sessionIdleTimeoutS: Math.round(sessionIdleTimeoutMs / 1000) } : {}),
      version: deps.version,
    },
    `dspec ${deps.version} ready on ${handle.mcpUrl} (Streamable HTTP: MCP 2026-07-28 per request, ${legacyMode})${legacySse ? ` and ${handle.sseUrl} (deprecated HTTP+SSE)` : ''} with tools: ${TOOL_NAMES.join(', ')}. ` +
      (tokenRequired ? 'A bearer token is required (Authorization: Bearer <DSPEC_HTTP_TOKEN>). ' : `No token required${isLoopbackHost(handle.host) ? ' (loopback only)' : ''}. `) +
      `Try: npx @modelcontextprotocol/inspector --cli ${handle.mcpUrl} --method tools/list${headerHint}`,
  );
  return handle;
}

/**
 * A listener beyond loopback without a token would let anyone on the network spend the model
 * budget and write files: it needs a token, or an explicit --allow-unauthenticated.
 */
export function assertAuthenticatedBeyondLoopback(host: string, tokenRequired: boolean, allowUnauthenticated: boolean): void {
  if (tokenRequired || allowUnauthenticated || isLoopbackHost(host)) return;
  throw new InputError(`refusing to serve HTTP on ${host} without a token: anyone who can reach it could call every tool`, {
    suggestion:
      'set DSPEC_HTTP_TOKEN=<a long random secret> (e.g. DSPEC_HTTP_TOKEN=$(openssl rand -hex 32)) and send "Authorization: Bearer <token>", bind to 127.0.0.1, or pass --allow-unauthenticated to accept the risk',
  });
}
