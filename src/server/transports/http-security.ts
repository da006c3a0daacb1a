import { createHash, timingSafeEqual } from 'node:crypto';
import { hostname as machineHostname, networkInterfaces } from 'node:os';
import { bearerAuthChallengeResponse, OAuthError, OAuthErrorCode, validateHostHeader, verifyBearerToken, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../infra/logger.js';

/**
 * Request guards for the HTTP transport. They run before the body is read and before any
 * MCP code, so a request from a foreign page (DNS rebinding, cross-site POST) or without
 * the token never reaches a tool. The Host and bearer checks are the MCP SDK's own
 * (`validateHostHeader`, `verifyBearerToken` + `bearerAuthChallengeResponse`) and CORS headers are
 * the `cors` package's; what the SDK leaves to servers (the Origin refusal, which hostnames name
 * this machine) is ours.
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
  /** Extra hostnames accepted (for a reverse proxy's public name). */
  allowedHosts?: readonly string[];
}

/**
 * The hostnames a Host header may name: loopback names always; on any other bind also the bound
 * host (on a wildcard bind: the machine's hostname and every address) and the allowed hosts.
 */
export function allowedHostnames(options: HostGuardOptions): string[] {
  const allowed = new Set<string>([...LOOPBACK_HOSTNAMES, ...(options.allowedHosts ?? []).map(normalizeHostname)]);
  if (!isLoopbackHost(options.bindHost)) {
    if (isWildcardHost(options.bindHost)) for (const name of machineHostnames()) allowed.add(name);
    else allowed.add(normalizeHostname(options.bindHost));
  }
  return [...allowed];
}

// A Host header is a hostname or bracketed IPv6 literal with an optional port, nothing else.
// The SDK reads the hostname with `URL`, which would accept user info or a path around it.
const HOST_HEADER_PATTERN = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * DNS-rebinding protection: the SDK's `validateHostHeader`, which compares the Host header's
 * hostname (any port: port mapping and proxies change the port a client sees) with
 * `allowedHostnames`, after a check that the header is a plain host[:port] at all.
 */
export function createHostGuard(options: HostGuardOptions, logger: Logger): RequestHandler {
  const allowed = allowedHostnames(options);
  return asGuard(
    (req, res, next) => {
      const header = req.headers.host;
      if (header !== undefined && !HOST_HEADER_PATTERN.test(header)) {
        res.status(403).json(rpcErrorBody(RpcErrorCode.ServerError, `Forbidden: malformed Host header "${header}"`));
        return;
      }
      const verdict = validateHostHeader(header, allowed);
      if (!verdict.ok) {
        res.status(403).json(rpcErrorBody(RpcErrorCode.ServerError, verdict.message));
        return;
      }
      next();
    },
    logger,
    'rejected request with a missing, malformed or foreign Host header',
  );
}

/**
 * Runs a refusing middleware (one that answers or calls `next`) so that a refused request's
 * connection is closed, since its body may be unread, and the refusal is logged.
 */
function asGuard(check: RequestHandler, logger: Logger, refusal: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Connection', 'close');
    let passed = false;
    res.once('finish', () => {
      if (!passed) logger.debug({ method: req.method, path: req.path, status: res.statusCode, host: req.headers.host }, refusal);
    });
    void check(req, res, (error?: unknown) => {
      passed = true;
      res.removeHeader('Connection');
      next(error);
    });
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

const CORS_ALLOW_HEADERS = ['Content-Type', 'Authorization', 'Mcp-Session-Id', 'Mcp-Protocol-Version', 'Last-Event-ID'];
const CORS_EXPOSE_HEADERS = ['Mcp-Session-Id', 'WWW-Authenticate'];

/**
 * Browsers send `Origin` on cross-origin requests: only loopback pages and the configured
 * origins may talk to the server, others are refused here (the SDK checks Host only). Allowed
 * origins get CORS headers from `cors`, which also answers their preflight (it carries no token).
 */
export function createOriginGuard(allowedOrigins: readonly string[], logger: Logger): RequestHandler {
  const corsHeaders = cors({
    origin: true,
    methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowedHeaders: CORS_ALLOW_HEADERS,
    exposedHeaders: CORS_EXPOSE_HEADERS,
    maxAge: 600,
  });
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
    corsHeaders(req, res, next);
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison: both sides are hashed first so the buffers have equal length. */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

/**
 * Requires `Authorization: Bearer <token>` on every request that reaches it: the SDK's
 * `verifyBearerToken`, refused with its `bearerAuthChallengeResponse` (401 with
 * `WWW-Authenticate: Bearer error="invalid_token", …` and an OAuth error body, RFC 6750), as
 * MCP's authorization spec asks, with our static token as the verifier.
 */
export function createBearerGuard(token: string, logger: Logger): RequestHandler {
  const verifier: OAuthTokenVerifier = {
    verifyAccessToken(presented) {
      if (!tokensMatch(presented, token)) return Promise.reject(new OAuthError(OAuthErrorCode.InvalidToken, 'the bearer token is not valid (compare it with DSPEC_HTTP_TOKEN)'));
      // DSPEC_HTTP_TOKEN never expires, but the SDK refuses a token without an expiry.
      return Promise.resolve({ token: presented, clientId: 'dspec-http-token', scopes: [], expiresAt: Number.MAX_SAFE_INTEGER });
    },
  };
  return asGuard(
    (req, res, next) => {
      verifyBearerToken(req.headers.authorization, { verifier }).then(
        (authInfo) => {
          // Passed on to the MCP handler (toNodeHandler reads req.auth) and from there to tools as ctx.http.authInfo.
          (req as Request & { auth?: typeof authInfo }).auth = authInfo;
          next();
        },
        async (error: unknown) => {
          const refusal = bearerAuthChallengeResponse(error);
          res.status(refusal.status);
          refusal.headers.forEach((value, name) => res.setHeader(name, value));
          res.send(await refusal.text());
        },
      );
    },
    logger,
    'rejected request without a valid token',
  );
}
