import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A round-robin HTTP proxy for tests and the team bench, standing in for the nginx of
 * deploy/nginx.conf: no affinity (request n goes to upstream n mod N), bodies streamed both ways
 * (an SSE answer reaches the client event by event), and a count of what each upstream answered.
 *
 * Written on node:http rather than `http-proxy` 1.18.1: that package pipes the request body into
 * the upstream request before the connection exists, so a refused connection has already
 * swallowed the body and it cannot try the next upstream (it has no retry of its own either).
 * Here the body is piped only once the upstream socket is connected, which is what makes
 * failover safe without buffering anything.
 *
 * Failover rule: a request goes to the next upstream only when its connection was refused or
 * could not be made (ECONNREFUSED and kin), i.e. the upstream never received a byte of it. Any
 * error after the request was sent (a reset, a replica killed mid-answer) is answered 502 and
 * never replayed: a POST tools/call may already have spent money, and only the client knows
 * whether retrying it is safe. A GET or HEAD that failed before any answer came back is
 * idempotent and is retried on the next upstream.
 */
export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Requests each upstream answered (any status), keyed by upstream origin. */
  answeredBy(): Map<string, number>;
  /** The upstream origin that answered each request, in the order requests arrived. */
  readonly servedSequence: string[];
  /** Connection attempts refused (and passed to the next upstream). */
  readonly refusedConnects: number;
  /** Requests answered 502 by the proxy itself (every upstream down, or one failed mid-request). */
  readonly badGateways: number;
  /** Replaces the upstream list (e.g. after a replica restarts on a new port); the rotation continues. */
  setUpstreams(upstreams: readonly string[]): void;
  close(): Promise<void>;
}

export interface RoundRobinProxyOptions {
  /** Origins such as `http://127.0.0.1:3939`; paths are kept from the client's request. */
  upstreams: readonly string[];
  port?: number;
}

/** Errors that mean the upstream never accepted the connection, so it saw nothing of the request. */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** RFC 9110 §7.6.1: meaningful for one connection only, never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function forwardableHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const listedInConnection = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && !listedInConnection.includes(name)) kept[name] = value;
  }
  return kept;
}

function originOf(upstream: string): URL {
  const url = new URL(upstream);
  if (url.protocol !== 'http:') throw new Error(`upstream ${upstream}: only http:// upstreams are proxied`);
  return url;
}

export async function startRoundRobinProxy(options: RoundRobinProxyOptions): Promise<RoundRobinProxy> {
  let upstreams = options.upstreams.map(originOf);
  if (upstreams.length === 0) throw new Error('the proxy needs at least one upstream');
  // Kept-alive connections per upstream, as nginx's `keepalive` does: a fresh TCP connection per
  // request would measure the kernel, not the replicas.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const counts = new Map<string, number>();
  const servedSequence: string[] = [];
  let next = 0;
  let refusedConnects = 0;
  let badGateways = 0;

  const answerBadGateway = (response: ServerResponse, reason: string) => {
    badGateways++;
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`bad gateway: ${reason}\n`);
  };

  const forward = (request: IncomingMessage, response: ServerResponse, tried: number) => {
    if (tried >= upstreams.length) {
      answerBadGateway(response, `no upstream accepted the connection (${upstreams.length} tried)`);
      return;
    }
    const target = upstreams[next++ % upstreams.length]!;
    let bodySent = false;
    let answered = false;
    const upstreamRequest = http.request({
      agent,
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: { ...forwardableHeaders(request.headers), 'x-forwarded-for': request.socket.remoteAddress ?? '' },
    });
    const sendBody = () => {
      bodySent = true;
      request.pipe(upstreamRequest);
    };
    upstreamRequest.on('socket', (socket: Socket) => {
      // A kept-alive socket is already connected; a new one sends nothing until it is.
      if (socket.connecting) socket.once('connect', sendBody);
      else sendBody();
    });
    upstreamRequest.on('response', (upstreamResponse) => {
      answered = true;
      counts.set(target.origin, (counts.get(target.origin) ?? 0) + 1);
      servedSequence.push(target.origin);
      response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, forwardableHeaders(upstreamResponse.headers));
      // Headers out now: an SSE client sees the stream open before the first event.
      response.flushHeaders();
      upstreamResponse.pipe(response);
      upstreamResponse.on('error', () => response.destroy());
    });
    upstreamRequest.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) {
        response.destroy();
        return;
      }
      const neverReached = !bodySent && error.code !== undefined && CONNECT_FAILURES.has(error.code);
      if (neverReached) refusedConnects++;
      // Not answered yet (checked above): an idempotent request may go to the next upstream.
      if (neverReached || IDEMPOTENT_METHODS.has(request.method ?? '')) {
        request.unpipe(upstreamRequest);
        forward(request, response, tried + 1);
        return;
      }
      answerBadGateway(response, `${target.origin} failed after the request was sent (${error.code ?? error.message}); not replayed`);
    });
    // The client went away: the upstream sees the cancellation as a closed connection.
    response.on('close', () => {
      if (!response.writableFinished) upstreamRequest.destroy();
    });
  };

  const server = http.createServer((request, response) => forward(request, response, 0));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    answeredBy: () => new Map(counts),
    servedSequence,
    get refusedConnects() {
      return refusedConnects;
    },
    get badGateways() {
      return badGateways;
    },
    setUpstreams(list) {
      if (list.length === 0) throw new Error('the proxy needs at least one upstream');
      upstreams = list.map(originOf);
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
