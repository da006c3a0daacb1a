import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: any;
}

/** What a scripted step does with one request. */
export type WireAction =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  /** Never answers: the client's timeout (or abort) must end it. */
  | { kind: 'hang' }
  /** Closes the socket without an answer. */
  | { kind: 'drop' };

export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A loopback HTTP server on an ephemeral port that hands every request to `handle`. */
export async function startFakeHttpServer(handle: (request: RecordedRequest) => WireAction): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
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
      if (action.kind === 'hang') return;
      if (action.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      const payload = JSON.stringify(action.body);
      res.writeHead(action.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...action.headers });
      res.end(payload);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
