import { Client as ModernClient, StreamableHTTPClientTransport, type ClientCapabilities } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { Config, ConfigOverrides } from '../../src/infra/config.js';
import { serverDepsOf } from '../../src/server/context.js';
import { createServer, type CreateServerOptions } from '../../src/server/create-server.js';
import { testRuntime } from './test-runtime.js';

/** The MCP revision a v2 client pins (the SDK's modern era). */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

export interface InMemorySession {
  /** The v1 SDK's client (`@modelcontextprotocol/sdk`): a 2025-era client that opens with `initialize`. */
  client: Client;
  /** Closes the client, then the server and what it started. */
  close(): Promise<void>;
}

export interface ModernInMemorySession {
  /** The v2 SDK's client (`@modelcontextprotocol/client`), pinned to MCP 2026-07-28. */
  client: ModernClient;
  /** Every request the client sent, as it crossed the fetch boundary (method and parsed body). */
  requests: Array<{ method: string; body: unknown }>;
  /** Every JSON-RPC message the server answered with, as it crossed the wire (await `settled()` first). */
  responses: unknown[];
  /** Resolves once every response seen so far has been read whole. */
  settled(): Promise<void>;
  /** Closes the client, the handler and what the runtime started. */
  close(): Promise<void>;
}

interface SessionOptions {
  clientName?: string;
  flags?: ConfigOverrides;
  env?: NodeJS.ProcessEnv;
  server?: CreateServerOptions;
  /** A configuration loaded by the test (e.g. from `env`, as the CLI loads it), and its working directory. */
  config?: Config;
  cwd?: string;
}

/**
 * The real server and the v1 SDK client (a 2025 client), linked in memory: configuration from the
 * working directory with no environment (so no provider key leaks in), a silent logger.
 */
export async function connectInMemory(
  options: SessionOptions & {
    /** Runs before the client connects, e.g. to set notification handlers. */
    beforeConnect?: (client: Client) => void;
    /** Sees every message the server sends, as it crosses the transport (the `initialize` result among them). */
    onServerMessage?: (message: unknown) => void;
  } = {},
): Promise<InMemorySession> {
  const runtime = testRuntime({ ...(options.flags ? { flags: options.flags } : {}), ...(options.env ? { env: options.env } : {}) });
  const built = createServer(serverDepsOf(runtime, 'test'), options.server);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const onServerMessage = options.onServerMessage;
  if (onServerMessage) {
    const send = serverTransport.send.bind(serverTransport);
    serverTransport.send = (message, sendOptions) => {
      onServerMessage(structuredClone(message));
      return send(message, sendOptions);
    };
  }
  await built.server.connect(serverTransport);
  const client = new Client({ name: options.clientName ?? 'test-client', version: '1.0.0' });
  options.beforeConnect?.(client);
  await client.connect(clientTransport);
  return {
    client,
    close: async () => {
      await client.close();
      await built.cleanup();
      await runtime.close();
    },
  };
}

/**
 * The real server behind the SDK's `createMcpHandler` (as `dspec serve --http` serves it) and a
 * v2 client pinned to 2026-07-28, linked through the handler's fetch function in memory: the SDK
 * has no in-memory transport for the 2026 era, and this is the wiring its testing guide gives.
 */
export async function connectModernInMemory(options: SessionOptions & { beforeConnect?: (client: ModernClient) => void; capabilities?: ClientCapabilities } = {}): Promise<ModernInMemorySession> {
  const runtime = testRuntime({
    ...(options.flags ? { flags: options.flags } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const deps = serverDepsOf(runtime, 'test');
  const handler = createMcpHandler(({ era }) => createServer(deps, { era, ...options.server }).server);
  const recording = recordingFetch((request) => handler.fetch(request));
  const transport = new StreamableHTTPClientTransport(new URL('http://dspec.test/mcp'), { fetch: recording.fetch });
  const client = new ModernClient(
    { name: options.clientName ?? 'test-client-v2', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } }, ...(options.capabilities ? { capabilities: options.capabilities } : {}) },
  );
  options.beforeConnect?.(client);
  await client.connect(transport);
  return {
    client,
    requests: recording.requests,
    responses: recording.responses,
    settled: recording.settled,
    close: async () => {
      await client.close();
      await handler.close();
      await runtime.close();
    },
  };
}

/** The JSON-RPC messages of one HTTP response body: a JSON body, or the `data:` lines of an SSE stream. */
function messagesOf(contentType: string, text: string): unknown[] {
  if (!text) return [];
  if (contentType.includes('text/event-stream')) {
    return text
      .split('\n')
      .filter((line) => line.startsWith('data:') && line.length > 5)
      .map((line) => JSON.parse(line.slice(5)) as unknown);
  }
  const body = JSON.parse(text) as unknown;
  return Array.isArray(body) ? body : [body];
}

/**
 * A fetch for an SDK client transport that passes every request to `inner` and records what
 * crossed the wire both ways, so a test can check fields a client does not hand back (`resultType`,
 * `ttlMs`, `cacheScope`). Responses are read from a clone, without delaying the client.
 */
export function recordingFetch(inner: (request: Request) => Promise<Response>) {
  const requests: Array<{ method: string; body: unknown }> = [];
  const responses: unknown[] = [];
  const reading: Array<Promise<void>> = [];
  const fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(url, init);
    const text = await request.clone().text();
    requests.push({ method: request.method, body: text ? (JSON.parse(text) as unknown) : undefined });
    const response = await inner(request);
    const copy = response.clone();
    reading.push(
      copy.text().then(
        (body) => void responses.push(...messagesOf(copy.headers.get('content-type') ?? '', body)),
        () => undefined,
      ),
    );
    return response;
  };
  return { fetch, requests, responses, settled: async () => void (await Promise.all(reading)) };
}
