import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  LATEST_PROTOCOL_VERSION,
  LoggingMessageNotificationSchema,
  type CreateMessageRequest,
  type CreateMessageResult,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type ConfigOverrides } from '../../src/infra/config.js';
import { serverDepsOf, type ServerDeps } from '../../src/server/context.js';
import { startHttpServer, type HttpServerHandle } from '../../src/server/transports/http.js';
import { VERSION } from '../../src/version.js';
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';
import { LogLines, type LogLine } from '../helpers/log-lines.js';
import { testRuntime } from '../helpers/test-runtime.js';

/**
 * Streamable HTTP with sessions (the default of `dspec serve --http`), driven by the SDK's own
 * client: the server keeps what the client declared at `initialize`, so MCP sampling, progress,
 * cancellation and logging work as they do on stdio.
 */

const DESCRIPTION = 'A card showing one key figure with its label and its change against the previous period.';
const TOKEN = 'sessions-test-token-0123456789';

const dirs: string[] = [];
const handles: HttpServerHandle[] = [];
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => {})));
});

afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The server's log lines are how a test learns that something happened (a session closed, a slot freed). */
async function start(http: NonNullable<ConfigOverrides['http']> = {}): Promise<{ handle: HttpServerHandle; deps: ServerDeps; log: LogLines }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-http-sessions-'));
  dirs.push(cwd);
  const config = loadConfig({ cwd, env: {}, flags: { http: { sessions: true, ...http }, generation: { providers: ['mcp-sampling'] } } });
  const log = new LogLines();
  const deps = serverDepsOf(testRuntime({ config, cwd, logger: log.logger }), VERSION);
  const handle = await startHttpServer(deps, { port: 0, host: '127.0.0.1' });
  handles.push(handle);
  return { handle, deps, log };
}

const sessionClosed = (sessionId: string | undefined) => (line: LogLine) => line.msg === 'MCP session closed' && line.sessionId === sessionId;

type ClientLog = LoggingMessageNotification['params'];

type SamplingAnswer = (request: CreateMessageRequest, signal: AbortSignal) => Promise<CreateMessageResult>;

/** The SDK client, declaring sampling and answering `sampling/createMessage` from a script. */
async function connect(handle: HttpServerHandle, answers: SamplingAnswer[] = [], headers: Record<string, string> = {}) {
  const client = new Client({ name: 'http-sessions-test', version: '1.0.0' }, { capabilities: { sampling: {} } });
  const seen: CreateMessageRequest[] = [];
  const logs: ClientLog[] = [];
  let logWaiters: Array<{ matches: (log: ClientLog) => boolean; resolve: () => void }> = [];
  client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
    seen.push(request);
    const answer = answers.shift();
    if (!answer) throw new Error('no scripted sampling answer');
    return answer(request, extra.signal);
  });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    logs.push(notification.params);
    const arrived = logWaiters.filter((waiter) => waiter.matches(notification.params));
    logWaiters = logWaiters.filter((waiter) => !arrived.includes(waiter));
    for (const waiter of arrived) waiter.resolve();
  });
  /** Resolves when a log notification that matches has arrived (or already had). */
  const logArrived = (matches: (log: ClientLog) => boolean): Promise<void> => (logs.some(matches) ? Promise.resolve() : new Promise((resolve) => logWaiters.push({ matches, resolve })));
  const transport = new StreamableHTTPClientTransport(new URL(handle.mcpUrl), { requestInit: { headers } });
  await client.connect(transport);
  clients.push(client);
  return { client, transport, seen, logs, logArrived };
}

const valid = async (): Promise<CreateMessageResult> => ({
  role: 'assistant',
  model: 'client-model',
  stopReason: 'endTurn',
  content: { type: 'text', text: `\`\`\`json\n${JSON.stringify(VALID_STAT_CARD_OUTPUT)}\n\`\`\`` },
});

function initializeBody(id = 1) {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1.0.0' } },
  });
}

const ACCEPT = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

describe('Streamable HTTP sessions', () => {
  it('runs a Tier 2 generation through the client’s model (MCP sampling), reporting progress', async () => {
    const { handle } = await start();
    const session = await connect(handle, [valid]);
    expect(session.transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const progress: Array<{ progress: number; total?: number }> = [];
    const result = await session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME } }, undefined, {
      onprogress: (event) => void progress.push(event),
      timeout: 300_000,
    });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ name: 'StatCard', tier: 'tier2' });
    expect(session.seen).toHaveLength(1);
    expect(session.seen[0]!.params.systemPrompt).toContain('submit_component');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ progress: expect.any(Number) });
    // MCP: each progress value is larger than the last.
    expect(progress.every((event, i) => i === 0 || event.progress > progress[i - 1]!.progress)).toBe(true);
  }, 300_000);

  it('cancels: aborting the call cancels the sampling request it waits on and frees the slot', async () => {
    const { handle, deps, log } = await start();
    const caller = new AbortController();
    let samplingCancelled!: () => void;
    const cancelled = new Promise<void>((resolve) => (samplingCancelled = resolve));
    const session = await connect(handle, [
      async () => {
        throw new Error('declined');
      },
      (_request, signal) =>
        new Promise<CreateMessageResult>((_resolve, reject) => {
          // The model is "thinking"; the user gives up on the tool call.
          signal.addEventListener('abort', () => {
            samplingCancelled();
            reject(new Error('cancelled'));
          });
          caller.abort();
        }),
    ]);
    // The SDK (1.32) ignores a cancellation of request id 0 (`if (!requestId) return`;
    // modelcontextprotocol/typescript-sdk#2283), and the
    // server's first request to a client has id 0: a first, declined call uses it up.
    expect((await session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME } })).isError).toBe(true);
    const call = session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME } }, undefined, {
      signal: caller.signal,
      timeout: 300_000,
    });
    await expect(call).rejects.toThrow();
    // The server passed the cancellation on to the sampling request it had open.
    await cancelled;
    await log.lineMatching((line) => line.msg === 'aborted tool call has stopped; its slot is free' && line.tool === 'generate_component');
    expect(deps.runtime.expensiveCalls.active).toBe(0);
  }, 300_000);

  it('sends log lines as notifications/message from the level the client set', async () => {
    const { handle } = await start();
    const declined = async (): Promise<CreateMessageResult> => {
      throw new Error('user declined');
    };
    const session = await connect(handle, [declined, declined]);
    const call = () => session.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME } }, undefined, { timeout: 300_000 });

    await session.client.setLoggingLevel('debug');
    expect((await call()).isError).toBe(true);
    // Lines of the generation (its failed attempt names the provider) and of the tool layer.
    await session.logArrived((log) => log.level === 'debug' && (log.data as { provider?: string }).provider === 'mcp-sampling');
    expect(session.logs.some((log) => (log.data as { message?: string; tool?: string }).tool === 'generate_component')).toBe(true);
    expect(session.logs.every((log) => log.logger === 'dspec')).toBe(true);

    await session.client.setLoggingLevel('warning');
    session.logs.length = 0;
    expect((await call()).isError).toBe(true);
    // A sentinel after the call: anything the call sent arrives before it.
    await session.client.setLoggingLevel('debug');
    expect((await session.client.callTool({ name: 'generate_theme_css', arguments: { theme: '{' } })).isError).toBe(true);
    await session.logArrived((log) => (log.data as { tool?: string }).tool === 'generate_theme_css');
    const fromSecondCall = session.logs.filter((log) => (log.data as { tool?: string; provider?: string }).tool === 'generate_component' || (log.data as { provider?: string }).provider);
    expect(fromSecondCall.filter((log) => log.level === 'debug' || log.level === 'info')).toEqual([]);
  }, 300_000);

  it('ends a session on DELETE; its id then gets 404', async () => {
    const { handle } = await start();
    const session = await connect(handle);
    const sessionId = session.transport.sessionId!;
    expect(handle.mcpSessionCount()).toBe(1);
    await session.transport.terminateSession();
    expect(handle.mcpSessionCount()).toBe(0);
    const response = await fetch(handle.mcpUrl, {
      method: 'POST',
      headers: { ...ACCEPT, 'Mcp-Session-Id': sessionId, 'Mcp-Protocol-Version': LATEST_PROTOCOL_VERSION },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toMatch(/initialize/);
  });

  it('closes a session that stays idle, and keeps one that is busy', async () => {
    const { handle, log } = await start({ sessionIdleTimeoutMs: 1_000 });
    const session = await connect(handle);
    const sessionId = session.transport.sessionId!;
    expect((await log.lineMatching(sessionClosed(sessionId))).reason).toBe('idle');
    expect(handle.mcpSessionCount()).toBe(0);
    const response = await fetch(handle.mcpUrl, {
      method: 'POST',
      headers: { ...ACCEPT, 'Mcp-Session-Id': sessionId, 'Mcp-Protocol-Version': LATEST_PROTOCOL_VERSION },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);

    // A call that waits on the client (sampling) for longer than the idle limit is not idle.
    let answer!: () => void;
    let samplingAsked!: () => void;
    const waitingOnSampling = new Promise<void>((resolve) => (samplingAsked = resolve));
    const busy = await connect(handle, [
      () =>
        new Promise<CreateMessageResult>((resolve) => {
          answer = () => void valid().then(resolve);
          samplingAsked();
        }),
    ]);
    const call = busy.client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME } }, undefined, { timeout: 300_000 });
    await waitingOnSampling;
    // A session opened only now and left idle expires one idle limit later: by then the busy one
    // has waited on the client for longer than the limit, with no sleep measuring it.
    const idle = await connect(handle);
    expect((await log.lineMatching(sessionClosed(idle.transport.sessionId))).reason).toBe('idle');
    expect(log.lines.some(sessionClosed(busy.transport.sessionId))).toBe(false);
    expect(handle.mcpSessionCount()).toBe(1);
    answer();
    expect((await call).isError).toBeFalsy();
  }, 300_000);

  it('caps the number of sessions: one more initialize gets 503 with a clear message', async () => {
    const { handle } = await start({ maxSessions: 2 });
    const first = await connect(handle);
    await connect(handle);
    const refused = await fetch(handle.mcpUrl, { method: 'POST', headers: ACCEPT, body: initializeBody() });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = await refused.json();
    expect(body).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number) }, id: null });
    expect(body.error.message).toMatch(/Too many MCP sessions: 2 are open.*DELETE.*maxSessions/);
    await expect(connect(handle)).rejects.toThrow();
    expect(handle.mcpSessionCount()).toBe(2);
    // Ending one frees its place.
    await first.transport.terminateSession();
    await connect(handle);
    expect(handle.mcpSessionCount()).toBe(2);
  });

  it('answers a request without a session id (other than initialize) with 400 naming initialize', async () => {
    const { handle } = await start();
    const response = await fetch(handle.mcpUrl, { method: 'POST', headers: ACCEPT, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/Mcp-Session-Id.*initialize/);
    expect((await fetch(handle.mcpUrl, { method: 'GET', headers: { Accept: 'text/event-stream' } })).status).toBe(400);
  });

  it('keeps the Origin and token guards in front of every session request', async () => {
    const { handle } = await start({ token: TOKEN });
    expect((await fetch(handle.mcpUrl, { method: 'POST', headers: ACCEPT, body: initializeBody() })).status).toBe(401);
    const session = await connect(handle, [], { Authorization: `Bearer ${TOKEN}` });
    const sessionId = session.transport.sessionId!;
    for (const method of ['GET', 'DELETE', 'POST']) {
      const noToken = await fetch(handle.mcpUrl, { method, headers: { ...ACCEPT, 'Mcp-Session-Id': sessionId } });
      expect(noToken.status, method).toBe(401);
      const foreign = await fetch(handle.mcpUrl, { method, headers: { ...ACCEPT, 'Mcp-Session-Id': sessionId, Authorization: `Bearer ${TOKEN}`, Origin: 'http://evil.example' } });
      expect(foreign.status, method).toBe(403);
    }
    expect(handle.mcpSessionCount()).toBe(1);
    expect((await session.client.listTools()).tools.length).toBeGreaterThan(0);
  });
});

describe('shutdown with sessions open', () => {
  it('closes every session (and its GET stream) and stops', async () => {
    const { handle } = await start();
    const session = await connect(handle);
    await session.client.listTools();
    expect(handle.mcpSessionCount()).toBe(1);
    await handle.close();
    expect(handle.mcpSessionCount()).toBe(0);
    await expect(session.client.listTools()).rejects.toThrow();
  });
});

describe('Streamable HTTP without --sessions (the default)', () => {
  it('serves a tool call per POST and answers GET and DELETE with 405', async () => {
    const { handle } = await start({ sessions: false });
    const client = new Client({ name: 'stateless-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(handle.mcpUrl)));
    clients.push(client);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('generate_component');
    expect(handle.mcpSessionCount()).toBe(0);
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(handle.mcpUrl, { method, headers: { Accept: 'application/json, text/event-stream' } });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });
});
