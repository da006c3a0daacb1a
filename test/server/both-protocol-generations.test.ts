import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernHttpTransport } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createMcpHandler, LOG_LEVEL_META_KEY } from '@modelcontextprotocol/server';
import { afterAll, describe, expect, it } from 'vitest';
import { serverDepsOf } from '../../src/server/context.js';
import { createServer, TOOL_NAMES } from '../../src/server/create-server.js';
import { assertBuilt, BUILT_BIN } from '../helpers/built-bin.js';
import { teamPageBlueprint } from '../helpers/team-page-blueprint.js';
import { connectInMemory, MODERN_PROTOCOL_VERSION, recordingFetch } from '../helpers/in-memory-session.js';
import { testRuntime } from '../helpers/test-runtime.js';

// Every tool, resource, prompt and completion with a 2025 client (the v1 SDK's) and a 2026-07-28
// client (the v2 SDK's), in memory and over HTTP against the built server, and what each protocol
// generation puts on the wire: 2026 results carry resultType and cache hints, 2025 ones neither.

const tinyTheme = JSON.parse(readFileSync('test/fixtures/themes/tiny-tekton.json', 'utf8')) as Record<string, unknown>;
const CARD_TSX = "import styles from './Card.module.css';\n\nexport function Card({ title }: { title: string }) {\n  return (\n    <h2 className={styles.root}>{title}</h2>\n  );\n}\n";
const CARD_CSS = '.root {\n  color: var(--color-text);\n  padding: var(--space-2);\n}\n';

/** One valid call per tool (Tier 1 and static paths: no model), and what its structured answer must say. */
const TOOL_CALLS: Record<(typeof TOOL_NAMES)[number], { arguments: Record<string, unknown>; expect: Record<string, unknown> }> = {
  generate_theme_css: { arguments: { theme: tinyTheme }, expect: { format: 'tekton', errorCount: 0 } },
  generate_component: { arguments: { name: 'Button' }, expect: { name: 'Button', tier: 'tier1' } },
  export_screen: { arguments: { screen: teamPageBlueprint, includeTests: false }, expect: { success: true, screenName: 'TeamPage', delivery: 'inline' } },
  validate_component: {
    arguments: {
      name: 'Card',
      files: [
        { path: 'Card.tsx', contents: CARD_TSX },
        { path: 'Card.module.css', contents: CARD_CSS },
      ],
    },
    expect: { valid: true, errors: [] },
  },
  cache_stats: { arguments: {}, expect: { stats: expect.objectContaining({ entries: 0 }) } },
  cost_report: { arguments: {}, expect: { view: 'summary' } },
  preview: { arguments: { name: 'Button', modes: ['light'] }, expect: { kind: 'component', name: 'Button', images: [expect.objectContaining({ mode: 'light', width: 1280 })] } },
  preview_document: { arguments: { name: 'Button' }, expect: { kind: 'component', name: 'Button', html: expect.stringMatching(/^<!doctype html>/i) } },
  job_status: { arguments: { handle: `job_${'0'.repeat(32)}` }, expect: { status: 'unknown' } },
};

/** The verbs both SDK clients offer, as this test uses them. */
interface McpVerbs {
  listTools(): Promise<{ tools: Array<{ name: string; _meta?: Record<string, unknown> }> }>;
  callTool(name: string, args: Record<string, unknown>): Promise<{ isError?: boolean; structuredContent?: Record<string, unknown>; content: unknown[] }>;
  listResources(): Promise<{ resources: Array<{ uri: string; mimeType?: string }> }>;
  listResourceTemplates(): Promise<{ resourceTemplates: Array<{ uriTemplate: string }> }>;
  readResource(uri: string): Promise<{ contents: Array<{ uri: string; mimeType?: string; text?: string }> }>;
  listPrompts(): Promise<{ prompts: Array<{ name: string; arguments?: Array<{ name: string; required?: boolean }> }> }>;
  getPrompt(name: string, args: Record<string, string>): Promise<{ messages: Array<{ role: string; content: { type: string; text?: string } }> }>;
  completeComponentName(prefix: string): Promise<string[]>;
}

type Contents = Array<{ uri: string; mimeType?: string; text?: string }>;
type PromptMessages = Array<{ role: string; content: { type: string; text?: string } }>;
const componentRef = { type: 'ref/resource' as const, uri: 'dspec://components/{name}' };

/** What both SDK clients spell alike; only callTool's request options differ between them. */
type SharedVerbs = 'listTools' | 'listResources' | 'listResourceTemplates' | 'readResource' | 'listPrompts' | 'getPrompt' | 'complete';

function verbsOf(client: Pick<Client, SharedVerbs> | Pick<ModernClient, SharedVerbs>, callTool: McpVerbs['callTool']): McpVerbs {
  return {
    listTools: () => client.listTools(),
    callTool,
    listResources: () => client.listResources(),
    listResourceTemplates: () => client.listResourceTemplates(),
    readResource: async (uri) => ({ contents: (await client.readResource({ uri })).contents as Contents }),
    listPrompts: () => client.listPrompts(),
    getPrompt: async (name, args) => ({ messages: (await client.getPrompt({ name, arguments: args })).messages as PromptMessages }),
    completeComponentName: async (prefix) => (await client.complete({ ref: componentRef, argument: { name: 'name', value: prefix } })).completion.values,
  };
}

function v1Verbs(client: Client): McpVerbs {
  return verbsOf(client, async (name, args) => (await client.callTool({ name, arguments: args }, undefined, { timeout: 300_000 })) as Awaited<ReturnType<McpVerbs['callTool']>>);
}

function v2Verbs(client: ModernClient): McpVerbs {
  return verbsOf(client, async (name, args) => (await client.callTool({ name, arguments: args }, { timeout: 300_000 })) as Awaited<ReturnType<McpVerbs['callTool']>>);
}

interface WireMessage {
  id?: unknown;
  method?: string;
  result?: Record<string, unknown>;
  params?: Record<string, unknown>;
}

/** What one client did, and what crossed the wire while it did it (requests by id, server messages). */
interface Exercise {
  resourceUris: string[];
  resultOf(method: string, match?: (params: Record<string, unknown>) => boolean): Record<string, unknown> | undefined;
  serverMessages: WireMessage[];
}

/** Lists, calls every tool once, reads every resource, gets a prompt and completes a name; asserts what each answers. */
async function exercise(verbs: McpVerbs, requests: () => WireMessage[], serverMessages: () => Promise<WireMessage[]>): Promise<Exercise> {
  const { tools } = await verbs.listTools();
  // Registration order, every time: a 2026 client may cache the list and compare it.
  expect(tools.map((tool) => tool.name)).toEqual([...TOOL_NAMES]);
  expect(tools.find((tool) => tool.name === 'preview')?._meta).toMatchObject({ ui: { resourceUri: 'ui://dspec/preview' } });

  for (const name of TOOL_NAMES) {
    const call = TOOL_CALLS[name];
    const result = await verbs.callTool(name, call.arguments);
    expect(result.isError, `${name}: ${JSON.stringify(result.content).slice(0, 300)}`).toBeFalsy();
    expect(result.structuredContent, name).toMatchObject(call.expect);
    expect(result.content.length, name).toBeGreaterThan(0);
  }

  const { resources } = await verbs.listResources();
  const uris = resources.map((resource) => resource.uri);
  expect(uris).toEqual(expect.arrayContaining(['dspec://catalog', 'dspec://status', 'dspec://eval/latest', 'ui://dspec/preview', 'dspec://components/Button']));
  for (const uri of uris) {
    const { contents } = await verbs.readResource(uri);
    expect(contents[0]?.uri, uri).toBe(uri);
    expect(contents[0]?.text?.length, uri).toBeGreaterThan(0);
  }
  expect((await verbs.readResource('ui://dspec/preview')).contents[0]?.mimeType).toBe('text/html;profile=mcp-app');
  expect(JSON.parse((await verbs.readResource('dspec://components/Button')).contents[0]!.text!)).toMatchObject({ meta: { name: 'Button' } });

  const { resourceTemplates } = await verbs.listResourceTemplates();
  expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(expect.arrayContaining(['dspec://components/{name}']));

  const { prompts } = await verbs.listPrompts();
  expect(prompts.length).toBeGreaterThan(0);
  const prompt = prompts[0]!;
  const args = Object.fromEntries((prompt.arguments ?? []).filter((argument) => argument.required).map((argument) => [argument.name, 'a profile card']));
  const { messages } = await verbs.getPrompt(prompt.name, args);
  expect(messages[0]).toMatchObject({ role: 'user', content: { type: 'text' } });
  expect(messages[0]!.content.text!.length).toBeGreaterThan(0);

  expect(await verbs.completeComponentName('Bu')).toContain('Button');

  const sent = requests();
  const received = await serverMessages();
  return {
    resourceUris: uris,
    serverMessages: received,
    resultOf: (method, match = () => true) => {
      const ids = new Set(sent.filter((request) => request.method === method && match(request.params ?? {})).map((request) => request.id));
      return received.find((message) => message.result !== undefined && ids.has(message.id))?.result;
    },
  };
}

const HOUR_PUBLIC = { ttlMs: 3_600_000, cacheScope: 'public' };
const SHORT_PRIVATE = { ttlMs: 5_000, cacheScope: 'private' };

/** 2026-07-28 on the wire: server/discover answered, resultType on every result, cache hints as cache-hints.ts sets them. */
function expectModernWire(done: Exercise): void {
  expect(JSON.stringify(done.resultOf('server/discover'))).toContain(MODERN_PROTOCOL_VERSION);
  for (const message of done.serverMessages) if (message.result) expect(message.result.resultType, JSON.stringify(message).slice(0, 200)).toBe('complete');
  expect(done.resultOf('tools/list')).toMatchObject(HOUR_PUBLIC);
  expect(done.resultOf('prompts/list')).toMatchObject(HOUR_PUBLIC);
  expect(done.resultOf('resources/templates/list')).toMatchObject(HOUR_PUBLIC);
  expect(done.resultOf('resources/list')).toMatchObject(SHORT_PRIVATE);
  const read = (uri: string) => done.resultOf('resources/read', (params) => params.uri === uri);
  expect(read('dspec://catalog')).toMatchObject(HOUR_PUBLIC);
  expect(read('dspec://components/Button')).toMatchObject(HOUR_PUBLIC);
  expect(read('ui://dspec/preview')).toMatchObject(HOUR_PUBLIC);
  expect(read('dspec://status')).toMatchObject(SHORT_PRIVATE);
  expect(read('dspec://eval/latest')).toMatchObject({ ttlMs: 60_000, cacheScope: 'private' });
  // No request asked for a log level, so no log line reached the client.
  expect(done.serverMessages.filter((message) => message.method === 'notifications/message')).toEqual([]);
}

/** 2025 on the wire: none of the 2026 fields. */
function expectLegacyWire(done: Exercise): void {
  const results = done.serverMessages.filter((message) => message.result);
  expect(results.length).toBeGreaterThan(20);
  for (const { result } of results) {
    expect(result).not.toHaveProperty('resultType');
    expect(result).not.toHaveProperty('ttlMs');
    expect(result).not.toHaveProperty('cacheScope');
  }
}

/** PATH only, so the preview tool finds the machine's Chromium and no provider key leaks in. */
const BROWSER_ENV = { PATH: process.env.PATH ?? '' };

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('in memory', () => {
  it('a 2025 client (SDK v1) negotiates a 2025 revision and gets every tool, resource, prompt and completion, without 2026 fields', async () => {
    const messages: WireMessage[] = [];
    const requests: WireMessage[] = [];
    const session = await connectInMemory({ clientName: 'v1-client', env: BROWSER_ENV, onServerMessage: (message) => messages.push(message as WireMessage) });
    closers.push(() => session.close());
    const initialize = messages.find((message) => (message.result as { protocolVersion?: string } | undefined)?.protocolVersion);
    expect(['2025-06-18', '2025-11-25']).toContain((initialize!.result as { protocolVersion: string }).protocolVersion);
    const done = await exercise(
      v1Verbs(session.client),
      () => requests,
      () => Promise.resolve(messages),
    );
    expect(done.resourceUris.length).toBeGreaterThan(20);
    expectLegacyWire(done);
  });

  it('a 2026-07-28 client (SDK v2) discovers the server and gets the same, with resultType, cache hints and no unasked log lines', async () => {
    const runtime = testRuntime({ env: BROWSER_ENV });
    const deps = serverDepsOf(runtime, 'test');
    const handler = createMcpHandler(({ era }) => createServer(deps, { era }).server);
    const wire = recordingFetch((request) => handler.fetch(request));
    const client = new ModernClient({ name: 'v2-client', version: '1.0.0' }, { versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } });
    await client.connect(new ModernHttpTransport(new URL('http://dspec.test/mcp'), { fetch: wire.fetch }));
    closers.push(async () => {
      await client.close();
      await handler.close();
      await runtime.close();
    });
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN_PROTOCOL_VERSION);
    const done = await exercise(
      v2Verbs(client),
      () => wire.requests.map((request) => request.body as WireMessage),
      async () => (await wire.settled(), wire.responses as WireMessage[]),
    );
    expect(wire.requests.some((request) => (request.body as WireMessage | undefined)?.method === 'initialize')).toBe(false);
    expectModernWire(done);
  });

  it('a 2026-07-28 request that names a log level gets the lines at that level on its own stream; without one, none', async () => {
    const runtime = testRuntime();
    const deps = serverDepsOf(runtime, 'test');
    const handler = createMcpHandler(({ era }) => createServer(deps, { era }).server);
    let level: string | undefined;
    // The v2 client sends no log level of its own: the test adds one to the tools/call envelope.
    const withLevel = async (request: Request): Promise<Response> => {
      const body = (await request
        .clone()
        .json()
        .catch(() => undefined)) as WireMessage | undefined;
      if (level === undefined || body?.method !== 'tools/call') return handler.fetch(request);
      const params = { ...body.params, _meta: { ...(body.params?._meta as Record<string, unknown>), [LOG_LEVEL_META_KEY]: level } };
      return handler.fetch(new Request(request.url, { method: 'POST', headers: request.headers, body: JSON.stringify({ ...body, params }) }));
    };
    const wire = recordingFetch(withLevel);
    const client = new ModernClient({ name: 'v2-log-client', version: '1.0.0' }, { versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } });
    await client.connect(new ModernHttpTransport(new URL('http://dspec.test/mcp'), { fetch: wire.fetch }));
    closers.push(async () => {
      await client.close();
      await handler.close();
      await runtime.close();
    });
    // An unreadable theme is refused with a known error, which the tool logs at debug.
    const refused = async () => (await client.callTool({ name: 'generate_theme_css', arguments: { theme: '{' } })).isError;
    const logLines = async () => (await wire.settled(), (wire.responses as WireMessage[]).filter((message) => message.method === 'notifications/message'));

    expect(await refused()).toBe(true);
    expect(await logLines()).toEqual([]);
    level = 'info';
    expect(await refused()).toBe(true);
    expect(await logLines()).toEqual([]);
    level = 'debug';
    expect(await refused()).toBe(true);
    const lines = await logLines();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]!.params).toMatchObject({ level: 'debug', logger: 'dspec', data: { message: 'tool answered with an error', tool: 'generate_theme_css' } });
  });
});

describe('over HTTP, against the built server', () => {
  let child: ChildProcess | undefined;
  let mcpUrl = '';

  /** `dspec serve --http` from the built bin on a free loopback port; resolves with its /mcp URL from the ready line. */
  async function startBuiltServer(): Promise<string> {
    assertBuilt();
    const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-both-generations-'));
    const server = spawn(process.execPath, [BUILT_BIN, 'serve', '--http', '--port', '0'], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, DSPEC_LOG_LEVEL: 'info', ...(process.env.DSPEC_CHROMIUM ? { DSPEC_CHROMIUM: process.env.DSPEC_CHROMIUM } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = server;
    closers.push(async () => {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
      rmSync(cwd, { recursive: true, force: true });
    });
    let stderr = '';
    return new Promise((resolve, reject) => {
      server.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        for (const line of stderr.split('\n')) {
          if (!line.startsWith('{')) continue;
          const parsed = JSON.parse(line) as { mcpUrl?: string };
          if (parsed.mcpUrl) resolve(parsed.mcpUrl);
        }
      });
      server.once('exit', (code) => reject(new Error(`server exited early with ${String(code)}; stderr:\n${stderr}`)));
    });
  }

  it('serves a 2025 client (SDK v1) statelessly: a 2025 revision, every tool, resource and prompt, no 2026 fields', async () => {
    mcpUrl = await startBuiltServer();
    const wire = recordingFetch((request) => fetch(request));
    const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { fetch: wire.fetch });
    const client = new Client({ name: 'v1-http-client', version: '1.0.0' });
    await client.connect(transport);
    closers.push(() => client.close());
    expect(['2025-06-18', '2025-11-25']).toContain(transport.protocolVersion);
    // Stateless: no session id was handed out.
    expect(transport.sessionId).toBeUndefined();
    const done = await exercise(
      v1Verbs(client),
      () => wire.requests.map((request) => request.body as WireMessage),
      async () => (await wire.settled(), wire.responses as WireMessage[]),
    );
    expectLegacyWire(done);
  });

  it('serves a 2026-07-28 client (SDK v2) from the same endpoint, with resultType and cache hints', async () => {
    expect(child, 'the 2025 test starts the server').toBeDefined();
    const wire = recordingFetch((request) => fetch(request));
    const client = new ModernClient({ name: 'v2-http-client', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new ModernHttpTransport(new URL(mcpUrl), { fetch: wire.fetch }));
    closers.push(() => client.close());
    // 'auto' probes with server/discover and stays on 2026-07-28: the server offers it.
    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN_PROTOCOL_VERSION);
    const done = await exercise(
      v2Verbs(client),
      () => wire.requests.map((request) => request.body as WireMessage),
      async () => (await wire.settled(), wire.responses as WireMessage[]),
    );
    expectModernWire(done);
  });
});
