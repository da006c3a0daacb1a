import { createHash, timingSafeEqual } from 'node:crypto';
import { hostname as machineHostname, networkInterfaces } from 'node:os';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../infra/logger.js';

/**
 * Request guards for the HTTP transport. They run before the body is read and before any
 * MCP code, so a request from a foreign page (DNS rebinding, cross-site POST) or without
 * the token never reaches a tool.
 */

/** JSON-RPC error codes used in HTTP rejections. */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  Internal: -32603,
  /** Implementation-defined server error: used for rejections by the transport itself. */
  ServerError: -32000,
} as const;

/** The one body shape of every HTTP rejection, so JSON-RPC clients can read it. */
export function rpcErrorBody(code: number, message: string) {
  return { jsonrpc: '2.0' as const, error: { code, message }, id: null };
}

/**
 * Answers with a JSON-RPC error and closes the connection: a rejected request's body may be
 * unread, and a kept-alive socket with a half-read body would linger until shutdown.
 */
export function sendRpcError(res: Response, status: number, code: number, message: string): void {
  res.setHeader('Connection', 'close');
  res.status(status).json(rpcErrorBody(code, message));
}

/** Hostnames (as `URL.hostname` spells them) that always name this machine. */
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Turns a bind address into the spelling `URL.hostname` uses (IPv6 in brackets, lower case). */
export function normalizeHostname(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.includes(':') && !lower.startsWith('[')) return `[${lower}]`;
  return lower;
}

export function isLoopbackHost(host: string): boolean {
  const normalized = normalizeHostname(host);
  return LOOPBACK_HOSTNAMES.has(normalized) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(normalized);
}

export function isWildcardHost(host: string): boolean {
  const normalized = normalizeHostname(host);
  return normalized === '0.0.0.0' || normalized === '[::]' || normalized === '';
}

/** Names this machine answers to on a wildcard bind: its hostname and every interface address. */
function machineHostnames(): string[] {
  const names = [machineHostname().toLowerCase()];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) names.push(normalizeHostname(address.address));
  }
  return names;
}

export interface HostGuardOptions {
  /** The address the server is bound to (config.http.host). */
  bindHost: string;
  /** The port actually bound; a function because port 0 is only known after `listen`. */
  boundPort: () => number;
  /** Extra hostnames accepted (for a reverse proxy's public name). */
  allowedHosts?: readonly string[];
}

// A Host header is a hostname or bracketed IPv6 literal with an optional port, nothing else
// (no user info, no path), so `URL` parsing cannot be tricked into a different hostname.
const HOST_HEADER_PATTERN = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * DNS-rebinding protection. On a loopback bind the Host header must name a loopback host
 * *and* the bound port. On any other bind it may also name the bound host (on a wildcard
 * bind: the machine's hostname or one of its addresses) or an allowed host, with any port,
 * because container port mapping and proxies change the port the client sees.
 */
export function createHostGuard(options: HostGuardOptions, logger: Logger): RequestHandler {
  const loopbackBind = isLoopbackHost(options.bindHost);
  const allowed = new Set<string>([...LOOPBACK_HOSTNAMES, ...(options.allowedHosts ?? []).map(normalizeHostname)]);
  if (!loopbackBind) {
    if (isWildcardHost(options.bindHost)) for (const name of machineHostnames()) allowed.add(name);
    else allowed.add(normalizeHostname(options.bindHost));
  }
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.host;
    const match = header ? HOST_HEADER_PATTERN.exec(header) : null;
    if (!header || !match) {
      logger.debug({ method: req.method, path: req.path }, 'rejected request with a missing or malformed Host header');
      sendRpcError(res, 403, RpcErrorCode.ServerError, 'Forbidden: missing or malformed Host header');
      return;
    }
    const hostname = match[1]!.toLowerCase();
    const port = match[2] ? Number(match[2].slice(1)) : 80;
    const hostAllowed = allowed.has(hostname);
    const portAllowed = !loopbackBind || port === options.boundPort();
    if (!hostAllowed || !portAllowed) {
      logger.debug({ method: req.method, path: req.path, host: header }, 'rejected request with a foreign Host header');
      sendRpcError(res, 403, RpcErrorCode.ServerError, `Forbidden: Host "${header}" does not name this server`);
      return;
    }
    next();
  };
}

function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}

/** Whether an `Origin` header value names a loopback page or one of the configured origins. */
export function isAllowedOrigin(origin: string, allowedOrigins: readonly string[]): boolean {
  const normalized = normalizeOrigin(origin);
  if (allowedOrigins.some((allowed) => normalizeOrigin(allowed) === normalized)) return true;
  try {
    const url = new URL(normalized);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTNAMES.has(url.hostname);
  } catch {
    return false;
  }
}

const CORS_ALLOW_HEADERS = 'Content-Type, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID';
const CORS_EXPOSE_HEADERS = 'Mcp-Session-Id, WWW-Authenticate';

/**
 * Browsers send `Origin` on cross-origin requests: only loopback pages and the configured
 * origins may talk to the server. Allowed origins get CORS headers, and their preflight
 * (which carries no token) is answered here.
 */
export function createOriginGuard(allowedOrigins: readonly string[], logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin === undefined) {
      next();
      return;
    }
    if (!isAllowedOrigin(origin, allowedOrigins)) {
      logger.debug({ method: req.method, path: req.path, origin }, 'rejected request from a foreign Origin');
      sendRpcError(res, 403, RpcErrorCode.ServerError, `Forbidden: Origin "${origin}" is not allowed (add it to http.allowedOrigins)`);
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison: both sides are hashed first so the buffers have equal length. */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

/** Requires `Authorization: Bearer <token>` on every request that reaches it. */
export function createBearerGuard(token: string, logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const presented = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    if (presented !== undefined && tokensMatch(presented, token)) {
      next();
      return;
    }
    logger.debug({ method: req.method, path: req.path, tokenPresented: presented !== undefined }, 'rejected request without a valid token');
    res.setHeader('WWW-Authenticate', presented === undefined ? 'Bearer realm="dspec"' : 'Bearer realm="dspec", error="invalid_token"');
    sendRpcError(
      res,
      401,
      RpcErrorCode.ServerError,
      presented === undefined
        ? 'Unauthorized: send "Authorization: Bearer <token>" (the value of DSPEC_HTTP_TOKEN)'
        : 'Unauthorized: the bearer token is not valid',
    );
  };
}
