import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON as sent; the fakes check it against the vendor's contract, and tests read wire fields from it directly. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a vendor request body is deep JSON the tests inspect field by field; typing it would mean a cast at every read
  body: any;
}

/** One server-sent event: `event:` line (optional) and `data:` payload (JSON-encoded unless a string). */
export interface SseEvent {
  event?: string;
  data: unknown;
}

/**
 * How a stream is paced. Defaults: every event at once. `intervalMs` spaces the events
 * evenly (a steady token rate); after `stallAfterEvents` events the server sends nothing for
 * `stallMs` (`Infinity`: until the client goes away), then carries on.
 */
export interface StreamPacing {
  intervalMs?: number;
  stallAfterEvents?: number;
  stallMs?: number;
}

/** What a scripted step does with one request. */
export type WireAction =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'sse'; status?: number; events: SseEvent[]; headers?: Record<string, string>; pacing?: StreamPacing | undefined }
  /** Never answers: the client's timeout (or abort) must end it. */
  | { kind: 'hang' }
  /** Closes the socket without an answer. */
  | { kind: 'drop' };

/** A request and what the fake answered, in order: the README shows these pairs. */
export interface Exchange {
  request: RecordedRequest;
  status: number | null;
  /** The JSON body, or the SSE events sent (all of them once the stream finished). */
  response: unknown;
  /** Whether the client went away before the stream ended. */
  clientAborted: boolean;
}

export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  exchanges: Exchange[];
  close(): Promise<void>;
}

export function encodeSse(event: SseEvent): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return `${event.event ? `event: ${event.event}\n` : ''}data: ${data}\n\n`;
}

/** A loopback HTTP server on an ephemeral port (or `port`) that hands every request to `handle`. */
export async function startFakeHttpServer(handle: (request: RecordedRequest) => WireAction, options: { port?: number } = {}): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const exchanges: Exchange[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      requests.push(recorded);
      const action = handle(recorded);
      const exchange: Exchange = { request: recorded, status: null, response: undefined, clientAborted: false };
      exchanges.push(exchange);
      if (action.kind === 'hang') return;
      if (action.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (action.kind === 'json') {
        exchange.status = action.status;
        exchange.response = action.body;
        const payload = JSON.stringify(action.body);
        res.writeHead(action.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...action.headers });
        res.end(payload);
        return;
      }
      exchange.status = action.status ?? 200;
      const sent: SseEvent[] = [];
      exchange.response = sent;
      res.writeHead(exchange.status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...action.headers });
      res.flushHeaders();
      let closed = false;
      res.on('close', () => {
        if (!res.writableFinished) exchange.clientAborted = true;
        closed = true;
      });
      const pacing: StreamPacing = { ...action.pacing };
      let index = 0;
      const next = () => {
        if (closed) return;
        if (index >= action.events.length) {
          res.end();
          return;
        }
        if (pacing.stallAfterEvents !== undefined && index === pacing.stallAfterEvents && pacing.stallMs) {
          const stall = pacing.stallMs;
          pacing.stallAfterEvents = undefined;
          if (stall === Infinity) return; // until the client hangs up
          later(stall, next);
          return;
        }
        const event = action.events[index++]!;
        sent.push(event);
        res.write(encodeSse(event));
        if (pacing.intervalMs) later(pacing.intervalMs, next);
        else next();
      };
      next();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
