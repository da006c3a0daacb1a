import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDepsOf, type ServerDeps } from '../../src/server/context.js';
import { TOOL_NAMES } from '../../src/server/create-server.js';
import { startHttpServer, type HttpServerHandle } from '../../src/server/transports/http.js';
import { VERSION } from '../../src/version.js';
import { testRuntime } from '../helpers/test-runtime.js';

const A_THEME = { id: 'demo', tokens: { atomic: { color: { blue: { 500: '#3b82f6' } } }, semantic: {}, component: {} } };

let cwd: string;
let handle: HttpServerHandle;

beforeAll(async () => {
  cwd = mkdtempSync(path.join(tmpdir(), 'dspec-http-'));
  // Stateless (the default) with the deprecated SSE transport on; --sessions is covered in http-sessions.test.ts.
  const deps: ServerDeps = serverDepsOf(testRuntime({ cwd, flags: { http: { legacySse: true } } }), VERSION);
  handle = await startHttpServer(deps, { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await handle?.close();
  rmSync(cwd, { recursive: true, force: true });
});

async function connect(transport: StreamableHTTPClientTransport | SSEClientTransport): Promise<Client> {
  const client = new Client({ name: 'http-transport-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

describe('Streamable HTTP on /mcp (stateless)', () => {
  it('binds the requested loopback host on a real port and reports its URLs', () => {
    expect(handle.port).toBeGreaterThan(0);
    expect(handle.mcpUrl).toBe(`http://127.0.0.1:${handle.port}/mcp`);
    expect(handle.sseUrl).toBe(`http://127.0.0.1:${handle.port}/sse`);
  });

  it('lists the tools to the SDK client', async () => {
    const client = await connect(new StreamableHTTPClientTransport(new URL(handle.mcpUrl)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual([...TOOL_NAMES]);
      expect(tools.find((tool) => tool.name === 'generate_theme_css')?.inputSchema.properties).toHaveProperty('theme');
    } finally {
      await client.close();
    }
  });

  it('answers a tool call with a tool result', async () => {
    const client = await connect(new StreamableHTTPClientTransport(new URL(handle.mcpUrl)));
    try {
      const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme: A_THEME } });
      expect(Array.isArray(result.content)).toBe(true);
      expect((result.content as Array<{ type: string }>)[0]?.type).toBe('text');
    } finally {
      await client.close();
    }
  });

  it('answers an invalid argument with an isError result', async () => {
    const client = await connect(new StreamableHTTPClientTransport(new URL(handle.mcpUrl)));
    try {
      const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme: 5 } });
      expect(result.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('serves several clients at once without shared state', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => connect(new StreamableHTTPClientTransport(new URL(handle.mcpUrl)))));
    try {
      const lists = await Promise.all(clients.map((client) => client.listTools()));
      for (const { tools } of lists) expect(tools.map((tool) => tool.name)).toContain('generate_theme_css');
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it.each(['GET', 'DELETE'])('answers %s /mcp with 405, Allow: POST and a JSON-RPC error', async (method) => {
    const response = await fetch(handle.mcpUrl, { method, headers: { Accept: 'application/json, text/event-stream' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    const body = await response.json();
    expect(body).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number), message: expect.stringContaining('POST') }, id: null });
  });
});

describe('legacy HTTP+SSE on /sse', () => {
  it('lists the tools and answers an invalid call with isError', async () => {
    const client = await connect(new SSEClientTransport(new URL(handle.sseUrl)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual([...TOOL_NAMES]);
      const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme: 5 } });
      expect(result.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('answers a message for an unknown session with 404 and a clear message', async () => {
    const response = await fetch(`${handle.url}/messages?sessionId=no-such-session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { message: string }; id: null };
    expect(body.id).toBeNull();
    expect(body.error.message).toMatch(/Unknown or expired SSE session "no-such-session".*\/sse/);
  });

  it('answers a message without a sessionId with 400', async () => {
    const response = await fetch(`${handle.url}/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(400);
  });
});

describe('GET /healthz', () => {
  it('reports ok and the version', async () => {
    const response = await fetch(`${handle.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: VERSION });
  });
});

describe('shutdown', () => {
  it('closes promptly even with an SSE stream open, and ends that stream', async () => {
    const localCwd = mkdtempSync(path.join(tmpdir(), 'dspec-http-close-'));
    const deps: ServerDeps = serverDepsOf(testRuntime({ cwd: localCwd, flags: { http: { legacySse: true } } }), VERSION);
    const local = await startHttpServer(deps, { port: 0, host: '127.0.0.1' });
    const transport = new SSEClientTransport(new URL(local.sseUrl));
    const closed = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
    });
    const client = await connect(transport);
    await client.listTools();
    // A close that waited for the open stream would never end: bound it generously, so a busy
    // machine cannot fail the test, and a hang still does.
    let bound: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([local.close().then(() => 'closed' as const), new Promise<'hung'>((resolve) => (bound = setTimeout(() => resolve('hung'), 20_000)))]);
    clearTimeout(bound);
    expect(outcome).toBe('closed');
    await expect(fetch(`${local.url}/healthz`)).rejects.toThrow();
    await client.close();
    await closed;
    rmSync(localCwd, { recursive: true, force: true });
  });
});
