import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ConfigOverrides } from '../../src/infra/config.js';
import { serverDepsOf, type ServerDeps } from '../../src/server/context.js';
import { createHttpApp, startHttpServer, type HttpServerHandle } from '../../src/server/transports/http.js';
import { VERSION } from '../../src/version.js';
import { testRuntime } from '../helpers/test-runtime.js';

const TOKEN = 's3cret-token-for-tests';
const MAX_BODY_BYTES = 64 * 1024;
const ACCEPT = 'application/json, text/event-stream';
const TOOL_CALL = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'generate_theme_css', arguments: { theme: { id: 'x', tokens: {} } } },
});

const tempDirs: string[] = [];

/**
 * Real deps whose `config.limits` counts its reads: only the tool handler reads it, so the
 * count tells whether a request reached a tool.
 */
function makeDeps(http: NonNullable<ConfigOverrides['http']> = {}): { deps: ServerDeps; toolReads: () => number } {
  const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-http-sec-'));
  tempDirs.push(cwd);
  // Stateless, so one raw tools/call POST reaches a tool; the guards are the same in session mode
  // (test/server/http-sessions.test.ts checks them there).
  const config = loadConfig({ cwd, env: {}, flags: { http: { maxBodyBytes: MAX_BODY_BYTES, legacySse: true, ...http } } });
  let reads = 0;
  const limits = config.limits;
  Object.defineProperty(config, 'limits', {
    get: () => {
      reads += 1;
      return limits;
    },
  });
  return { deps: serverDepsOf(testRuntime({ config, cwd }), VERSION), toolReads: () => reads };
}

/** `fetch` cannot set Host, so Host cases go through node:http. */
function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

function postToolCall(url: string, headers: Record<string, string> = {}, body = TOOL_CALL): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: ACCEPT, ...headers }, body });
}

async function expectRpcError(response: Response, status: number, code?: number): Promise<{ error: { code: number; message: string } }> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { jsonrpc: string; error: { code: number; message: string }; id: null };
  expect(body).toMatchObject({ jsonrpc: '2.0', error: { code: code ?? expect.any(Number), message: expect.any(String) }, id: null });
  return body;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('without a token (loopback default)', () => {
  let handle: HttpServerHandle;
  let toolReads: () => number;

  beforeAll(async () => {
    const made = makeDeps({ allowedOrigins: ['https://inspector.example'] });
    toolReads = made.toolReads;
    handle = await startHttpServer(made.deps, { port: 0, host: '127.0.0.1' });
  });
  afterAll(() => handle.close());

  it('binds 127.0.0.1 by default', () => {
    const { deps } = makeDeps();
    expect(deps.config.http.host).toBe('127.0.0.1');
  });

  it('rejects a foreign Origin with 403 before any tool runs', async () => {
    const before = toolReads();
    const response = await postToolCall(handle.mcpUrl, { Origin: 'http://evil.example' });
    const body = await expectRpcError(response, 403);
    expect(body.error.message).toContain('http://evil.example');
    expect(toolReads()).toBe(before);
  });

  it('rejects a foreign Origin on the SSE endpoints too', async () => {
    expect((await fetch(handle.sseUrl, { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await postToolCall(`${handle.url}/messages?sessionId=x`, { Origin: 'null' })).status).toBe(403);
  });

  it('lets a tool call through from a loopback Origin (the tool is reached)', async () => {
    const before = toolReads();
    const response = await postToolCall(handle.mcpUrl, { Origin: 'http://localhost:6274' });
    expect(response.status).toBe(200);
    await response.text();
    expect(toolReads()).toBeGreaterThan(before);
  });

  it('accepts a configured origin and answers its CORS preflight', async () => {
    const preflight = await fetch(handle.mcpUrl, {
      method: 'OPTIONS',
      headers: { Origin: 'https://inspector.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://inspector.example');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const response = await fetch(`${handle.url}/healthz`, { headers: { Origin: 'https://inspector.example' } });
    expect(response.status).toBe(200);
  });

  it('rejects a Host header naming another site with 403 before any tool runs', async () => {
    const before = toolReads();
    const response = await rawRequest(handle.mcpUrl, {
      method: 'POST',
      headers: { Host: `evil.example:${handle.port}`, 'Content-Type': 'application/json', Accept: ACCEPT },
      body: TOOL_CALL,
    });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'Invalid Host: evil.example' }, id: null });
    expect(response.headers.connection).toBe('close');
    expect(toolReads()).toBe(before);
  });

  it("rejects malformed Host headers and closes their connection, but, as the SDK's Host check documents, ignores the port", async () => {
    for (const host of [`user@127.0.0.1:${handle.port}`, `127.0.0.1:${handle.port}/path`, `127.0.0.1\\@evil.example`]) {
      const response = await rawRequest(`${handle.url}/healthz`, { headers: { Host: host } });
      expect(response.status, host).toBe(403);
      expect(response.headers.connection, host).toBe('close');
      expect(JSON.parse(response.body), host).toMatchObject({ jsonrpc: '2.0', error: { message: `Forbidden: malformed Host header "${host}"` }, id: null });
    }
    // Port mapping and proxies change the port a client sees; the hostname is what DNS rebinding changes.
    expect((await rawRequest(`${handle.url}/healthz`, { headers: { Host: `localhost:${handle.port + 1}` } })).status).toBe(200);
  });

  it.each(['localhost', '127.0.0.1', '[::1]'])('accepts Host %s with the bound port', async (name) => {
    const response = await rawRequest(`${handle.url}/healthz`, { headers: { Host: `${name}:${handle.port}` } });
    expect(response.status).toBe(200);
  });

  it('rejects a body over maxBodyBytes with 413 before any tool runs', async () => {
    const before = toolReads();
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'generate_theme_css', arguments: { theme: { pad: 'x'.repeat(MAX_BODY_BYTES) } } } });
    await expectRpcError(await postToolCall(handle.mcpUrl, {}, big), 413);
    expect(toolReads()).toBe(before);
  });

  it('rejects malformed JSON with 400 and a JSON-RPC parse error', async () => {
    await expectRpcError(await postToolCall(handle.mcpUrl, {}, '{"jsonrpc": "2.0", "id": 1, "method": '), 400, -32700);
  });

  it('answers an unknown path with a JSON 404', async () => {
    await expectRpcError(await fetch(`${handle.url}/nope`), 404);
  });
});

describe('with a token', () => {
  let handle: HttpServerHandle;
  let toolReads: () => number;

  beforeAll(async () => {
    const made = makeDeps({ token: TOKEN });
    toolReads = made.toolReads;
    handle = await startHttpServer(made.deps, { port: 0, host: '127.0.0.1' });
  });
  afterAll(() => handle.close());

  // The SDK's requireBearerAuth answers as RFC 6750 and MCP's authorization spec say: 401, a
  // WWW-Authenticate challenge naming the error, and an OAuth error body (no longer JSON-RPC).
  it('rejects a request without a token with 401 and WWW-Authenticate: Bearer', async () => {
    const before = toolReads();
    const response = await postToolCall(handle.mcpUrl);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="Missing Authorization header"');
    expect(await response.json()).toEqual({ error: 'invalid_token', error_description: 'Missing Authorization header' });
    expect(toolReads()).toBe(before);
  });

  it('rejects a wrong token with 401, also one of the same length, without echoing it', async () => {
    for (const wrong of ['nope', TOKEN.replace(/.$/, 'X'), `${TOKEN}x`]) {
      const response = await postToolCall(handle.mcpUrl, { Authorization: `Bearer ${wrong}` });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: 'invalid_token', error_description: 'the bearer token is not valid (compare it with DSPEC_HTTP_TOKEN)' });
      expect(text).not.toContain(wrong);
    }
    expect((await postToolCall(handle.mcpUrl, { Authorization: `Basic ${TOKEN}` })).status).toBe(401);
  });

  it('accepts the right token', async () => {
    const response = await postToolCall(handle.mcpUrl, { Authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    await response.text();
  });

  it('guards the SSE endpoints too', async () => {
    expect((await fetch(handle.sseUrl)).status).toBe(401);
    expect((await postToolCall(`${handle.url}/messages?sessionId=x`)).status).toBe(401);
  });

  it('keeps /healthz open without the token (it reveals only the version) but still checks Origin', async () => {
    const response = await fetch(`${handle.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: VERSION });
    expect((await fetch(`${handle.url}/healthz`, { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('works with the SDK clients when they send the header', async () => {
    const headers = { Authorization: `Bearer ${TOKEN}` };
    for (const transport of [new StreamableHTTPClientTransport(new URL(handle.mcpUrl), { requestInit: { headers } }), new SSEClientTransport(new URL(handle.sseUrl), { requestInit: { headers } })]) {
      const client = new Client({ name: 'http-security-test', version: '1.0.0' });
      await client.connect(transport);
      try {
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name)).toContain('generate_theme_css');
      } finally {
        await client.close();
      }
    }
  });

  it('fails the SDK client without the header', async () => {
    const client = new Client({ name: 'http-security-test', version: '1.0.0' });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(handle.mcpUrl)))).rejects.toThrow();
  });
});

describe('Host rules on a non-loopback bind', () => {
  it('accepts the configured host and loopback names on any port, nothing else', async () => {
    const { deps } = makeDeps();
    // The guard is configured as if bound to dspec.internal; the test listens on loopback only.
    const { app } = createHttpApp(deps, { host: 'dspec.internal' });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
      expect((await rawRequest(url, { headers: { Host: 'dspec.internal:8080' } })).status).toBe(200);
      expect((await rawRequest(url, { headers: { Host: 'localhost:8080' } })).status).toBe(200);
      expect((await rawRequest(url, { headers: { Host: 'evil.example:3939' } })).status).toBe(403);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
