import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, LATEST_PROTOCOL_VERSION, LoggingMessageNotificationSchema, type CreateMessageRequest, type LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';

/**
 * The built bin, as a user starts it: `dspec serve --http` keeps sessions by default, so an
 * assistant's own model generates a Tier 2 component over HTTP (MCP sampling), and the refusal
 * to listen beyond loopback without a token happens before anything listens.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'dist/bin/dspec.js');
const DESCRIPTION = 'A card showing one key figure with its label and its change against the previous period.';

const children: ChildProcess[] = [];
let cwd: string;

beforeAll(() => {
  // `npm test` builds first; a lone `vitest run` of this file builds if there is nothing to run.
  if (!existsSync(BIN)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  cwd = mkdtempSync(path.join(tmpdir(), 'dspec-http-sessions-bin-'));
});

afterAll(async () => {
  await Promise.all(children.map((child) => stop(child)));
  rmSync(cwd, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  stderr: () => string;
  lines: () => Array<Record<string, unknown>>;
  /** Resolves with the first stderr log line, already written or still to come, that matches. */
  logLine: (matches: (line: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
  /** The ready banner, or the exit code when the process ended first. */
  outcome: Promise<{ ready: Record<string, unknown> } | { exit: number | null }>;
}

function run(args: string[], extraEnv: Record<string, string> = {}): Run {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: cwd, DSPEC_LOG_LEVEL: 'info', ...extraEnv };
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let text = '';
  let partial = '';
  const parsed: Array<Record<string, unknown>> = [];
  let waiting: Array<{ matches: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }> = [];
  child.stderr!.setEncoding('utf8');
  const outcome = new Promise<{ ready: Record<string, unknown> } | { exit: number | null }>((resolve) => {
    child.once('exit', (code) => resolve({ exit: code }));
    child.stderr!.on('data', (chunk: string) => {
      text += chunk;
      // A chunk may end inside a line: the rest of it comes with the next chunk.
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        let record: Record<string, unknown>;
        try {
          record = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // not a log record
        }
        parsed.push(record);
        if (typeof record.mcpUrl === 'string') resolve({ ready: record });
        const matched = waiting.filter((waiter) => waiter.matches(record));
        waiting = waiting.filter((waiter) => !matched.includes(waiter));
        for (const waiter of matched) waiter.resolve(record);
      }
    });
  });
  const logLine = (matches: (line: Record<string, unknown>) => boolean) => {
    const written = parsed.find(matches);
    return written ? Promise.resolve(written) : new Promise<Record<string, unknown>>((resolve) => waiting.push({ matches, resolve }));
  };
  return { child, stderr: () => text, lines: () => parsed, logLine, outcome };
}

async function ready(args: string[], extraEnv: Record<string, string> = {}) {
  const started = run(args, extraEnv);
  const outcome = await started.outcome;
  if (!('ready' in outcome)) throw new Error(`server exited with ${outcome.exit}:\n${started.stderr()}`);
  return { ...started, mcpUrl: outcome.ready.mcpUrl as string, banner: outcome.ready };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function samplingClient(mcpUrl: string, answer: ((request: CreateMessageRequest) => string) | undefined) {
  const client = new Client({ name: 'built-bin-sampling', version: '1.0.0' }, { capabilities: { sampling: {} } });
  const seen: CreateMessageRequest[] = [];
  const logs: LoggingMessageNotification['params'][] = [];
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    seen.push(request);
    if (!answer) throw new Error('this client was not meant to be asked');
    return { role: 'assistant', model: 'client-model', stopReason: 'endTurn', content: { type: 'text', text: answer(request) } };
  });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void logs.push(notification.params));
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
  return { client, seen, logs };
}

const callStatCard = (client: Client, onprogress?: (event: { progress: number }) => void) =>
  client.callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME } }, undefined, {
    timeout: 300_000,
    ...(onprogress ? { onprogress } : {}),
  });

describe('the built bin: dspec serve --http with sessions', () => {
  it('generates a Tier 2 component through the client’s model over HTTP, with progress and log lines; a new process serves it from the cache', async () => {
    const env = { DSPEC_PROVIDER: 'mcp-sampling' };
    const server = await ready(['serve', '--http', '--sessions', '--port', '0'], env);
    expect(server.banner).toMatchObject({ stateless: false, sessions: true, maxSessions: 100, sessionIdleTimeoutS: 1800 });
    const session = await samplingClient(server.mcpUrl, () => `\`\`\`json\n${JSON.stringify(VALID_STAT_CARD_OUTPUT)}\n\`\`\``);
    await session.client.setLoggingLevel('debug');
    const progress: number[] = [];
    const result = await callStatCard(session.client, (event) => void progress.push(event.progress));
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ name: 'StatCard', tier: 'tier2' });
    expect(session.seen).toHaveLength(1);
    expect(progress.length).toBeGreaterThan(0);
    expect(session.logs.length).toBeGreaterThan(0);
    expect(session.logs.every((log) => log.logger === 'dspec')).toBe(true);
    const report = await session.client.callTool({ name: 'cost_report', arguments: { view: 'summary', period: 'all' } });
    expect(JSON.stringify(report.structuredContent)).toContain('mcp-sampling');
    await session.client.close();
    await stop(server.child);

    // A new process, a client that must not be asked: the answer comes from the cache.
    const second = await ready(['serve', '--http', '--sessions', '--port', '0'], env);
    const again = await samplingClient(second.mcpUrl, undefined);
    const cached = await callStatCard(again.client);
    expect(cached.isError, JSON.stringify(cached.content)).toBeFalsy();
    expect(cached.structuredContent).toMatchObject({ name: 'StatCard', tier: 'tier2', hash: (result.structuredContent as { hash: string }).hash });
    expect(again.seen).toHaveLength(0);
    await again.client.close();
    await stop(second.child);
  }, 600_000);

  it('cancels: a cancelled call cancels the sampling request it waits on', async () => {
    // At debug level the server says when a stopped call's slot comes free.
    const server = await ready(['serve', '--http', '--sessions', '--port', '0'], { DSPEC_PROVIDER: 'mcp-sampling', DSPEC_MAX_CONCURRENT_CALLS: '1', DSPEC_LOG_LEVEL: 'debug' });
    const client = new Client({ name: 'built-bin-cancel', version: '1.0.0' }, { capabilities: { sampling: {} } });
    const caller = new AbortController();
    let requests = 0;
    let samplingCancelled!: () => void;
    const cancelled = new Promise<void>((resolve) => (samplingCancelled = resolve));
    client.setRequestHandler(CreateMessageRequestSchema, async (_request, extra) => {
      // The SDK ignores a cancellation of request id 0 (modelcontextprotocol/typescript-sdk#2283):
      // the first sampling request is declined so the one cancelled has id 1.
      if (requests++ === 0) throw new Error('declined');
      return new Promise((_resolve, reject) => {
        extra.signal.addEventListener('abort', () => {
          samplingCancelled();
          reject(new Error('cancelled'));
        });
        caller.abort();
      });
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl)));
    // Another spec than the first test's, which is in the shared cache by now.
    const args = { name: 'StatCard', description: `${DESCRIPTION} Cancelled while the model thinks.`, theme: STAT_CARD_THEME };
    expect((await client.callTool({ name: 'generate_component', arguments: args }, undefined, { timeout: 300_000 })).isError).toBe(true);
    expect(requests).toBe(1);
    await expect(client.callTool({ name: 'generate_component', arguments: args }, undefined, { signal: caller.signal, timeout: 300_000 })).rejects.toThrow();
    await cancelled;
    // With one expensive call allowed, the stopped call's slot comes free: an expensive tool
    // (export_screen, with input it refuses at once) is served again instead of answered "busy".
    await server.logLine((line) => line.msg === 'aborted tool call has stopped; its slot is free' && line.tool === 'generate_component');
    const answer = JSON.stringify((await client.callTool({ name: 'export_screen', arguments: { screen: '{' } })).content);
    expect(answer).not.toMatch(/busy/);
    expect(answer).toMatch(/JSON|screen/i);
    await client.close();
    await stop(server.child);
  }, 600_000);

  it('caps sessions (503 past the cap), ends one on DELETE, and expires an idle one (404 after)', async () => {
    const capped = await ready(['serve', '--http', '--sessions', '--port', '0', '--max-sessions', '1']);
    const first = new StreamableHTTPClientTransport(new URL(capped.mcpUrl));
    const firstClient = new Client({ name: 'cap-1', version: '1.0.0' });
    await firstClient.connect(first);
    const refused = new Client({ name: 'cap-2', version: '1.0.0' });
    await expect(refused.connect(new StreamableHTTPClientTransport(new URL(capped.mcpUrl)))).rejects.toThrow(/503|Too many MCP sessions/);
    await first.terminateSession();
    const second = new Client({ name: 'cap-3', version: '1.0.0' });
    await second.connect(new StreamableHTTPClientTransport(new URL(capped.mcpUrl)));
    expect((await second.listTools()).tools.length).toBeGreaterThan(0);
    await second.close();
    await firstClient.close();
    await stop(capped.child);

    const idle = await ready(['serve', '--http', '--sessions', '--port', '0', '--session-idle-timeout', '1'], { DSPEC_LOG_LEVEL: 'debug' });
    expect(idle.banner).toMatchObject({ sessionIdleTimeoutS: 1 });
    const transport = new StreamableHTTPClientTransport(new URL(idle.mcpUrl));
    const client = new Client({ name: 'idle', version: '1.0.0' });
    await client.connect(transport);
    const sessionId = transport.sessionId!;
    const listWith = () =>
      fetch(idle.mcpUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'Mcp-Session-Id': sessionId, 'Mcp-Protocol-Version': LATEST_PROTOCOL_VERSION },
        body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'ping' }),
      }).then(async (response) => (await response.text(), response.status));
    // The server says when it closes the session; a request after that finds it gone.
    const closed = await idle.logLine((line) => line.msg === 'MCP session closed' && line.sessionId === sessionId);
    expect(closed.reason).toBe('idle');
    expect(await listWith()).toBe(404);
    await client.close().catch(() => {});
    await stop(idle.child);
  }, 300_000);

  it('keeps --stateless: tools over single POSTs, GET and DELETE answer 405', async () => {
    const server = await ready(['serve', '--http', '--stateless', '--port', '0']);
    expect(server.banner).toMatchObject({ stateless: true });
    const client = new Client({ name: 'built-bin-stateless', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl)));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('generate_component');
    await client.close();
    for (const method of ['GET', 'DELETE']) expect((await fetch(server.mcpUrl, { method })).status, method).toBe(405);
    await stop(server.child);
  }, 120_000);
});

describe('the built bin: no unauthenticated listener beyond loopback', () => {
  it('refuses to start on a non-loopback host without DSPEC_HTTP_TOKEN, with one line saying how to set one', async () => {
    const started = run(['serve', '--http', '--host', '0.0.0.0', '--port', '0']);
    const outcome = await started.outcome;
    expect(outcome).toEqual({ exit: expect.any(Number) });
    expect((outcome as { exit: number }).exit).toBe(2);
    const stderr = started.stderr().trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/refusing to serve HTTP on 0\.0\.0\.0 without a token/);
    expect(stderr).toContain('DSPEC_HTTP_TOKEN=');
    expect(stderr).toContain('--allow-unauthenticated');
  }, 60_000);

  it('lets --allow-unauthenticated through, with a warning on start', async () => {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: the start passes the token check,
    // warns, and then fails to bind, so nothing ever listens beyond loopback in this test.
    const started = run(['serve', '--http', '--host', '192.0.2.1', '--port', '0', '--allow-unauthenticated']);
    const outcome = await started.outcome;
    expect(outcome).toEqual({ exit: expect.any(Number) });
    const warning = started.lines().find((line) => line.allowUnauthenticated === true);
    expect(warning, started.stderr()).toMatchObject({ level: 40, host: '192.0.2.1' });
    expect(String(warning!.msg)).toMatch(/WITHOUT a token/);
    expect(started.stderr()).not.toMatch(/refusing to serve/);
    expect(started.stderr()).toMatch(/Cannot listen on 192\.0\.2\.1/);
  }, 60_000);

  it('starts on a non-loopback host when a token is set (as the Dockerfile and README run it)', async () => {
    // The same check the container start passes; the bind address is again one this machine lacks.
    const started = run(['serve', '--http', '--host', '192.0.2.1', '--port', '0'], { DSPEC_HTTP_TOKEN: 'docker-example-token-123456' });
    await started.outcome;
    expect(started.stderr()).not.toMatch(/refusing to serve|WITHOUT a token/);
    expect(started.stderr()).toMatch(/Cannot listen on 192\.0\.2\.1/);
    expect(started.stderr()).not.toContain('docker-example-token-123456');
  }, 60_000);
});
