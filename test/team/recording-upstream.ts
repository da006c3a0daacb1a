import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A small HTTP server standing in for a replica behind a proxy under test: it records each request body. */
export interface RecordingUpstream {
  name: string;
  origin: string;
  /** Request bodies received, in order. */
  bodies: string[];
  close(): Promise<void>;
}

/**
 * Starts an upstream on a loopback port. Without `handle` it answers `<name>:<body>`, so a test
 * can tell which upstream answered what; `handle` answers instead (SSE, a dropped socket, …).
 */
export async function startRecordingUpstream(name: string, handle?: (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void): Promise<RecordingUpstream> {
  const bodies: string[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      bodies.push(body);
      if (handle) handle(request, response, body);
      else response.end(`${name}:${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
