import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_NAMES } from '../../src/server/create-server.js';
import { VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';
import { BIN, baseEnv, ensureBuilt, reportFigures, rssOf, sleep } from './support/built-server.js';

/**
 * The built server on real stdio, fed hostile input: every call ends within a bound with a
 * well-formed answer, an oversized line is refused with a JSON-RPC error instead of closing the
 * transport, stdout carries JSON-RPC only, and memory comes back down once the storm is over.
 */

const CALL_BOUND_MS = 60_000;
/**
 * How far RSS may stay above the warmed-up baseline after the battery and a settle. The settle
 * forces full garbage collections through the inspector (support/force-gc.mjs): without it V8
 * keeps hundreds of MB of collectable garbage after a 6 MB argument for as long as the server
 * idles, and the figure would measure V8's laziness rather than what the server retains.
 */
const RSS_SLACK_BYTES = 60 * 1024 * 1024;

const MB = 1024 * 1024;
const FORCE_GC = path.join(import.meta.dirname, 'support/force-gc.mjs');
let home: string;
const figures: Record<string, unknown> = {};

beforeAll(() => {
  ensureBuilt();
  home = mkdtempSync(path.join(tmpdir(), 'dspec-stdio-hostile-'));
});
afterAll(() => {
  reportFigures('stdio-hostile', figures);
  rmSync(home, { recursive: true, force: true });
});

const STAT_CARD_FILES = [
  { path: 'StatCard.tsx', contents: VALID_STAT_CARD_OUTPUT.component },
  { path: 'StatCard.module.css', contents: VALID_STAT_CARD_OUTPUT.styles },
  { path: 'StatCard.types.ts', contents: VALID_STAT_CARD_OUTPUT.types },
];

describe('the built server over stdio, through the SDK client', () => {
  let client: Client;
  let transport: StdioClientTransport;
  let pid: number;
  let stderr = '';
  const transportErrors: Error[] = [];
  let calls = 0;
  let errors = 0;
  let slowest = 0;
  let inspectorUrl = '';

  beforeAll(async () => {
    transport = new StdioClientTransport({
      command: process.execPath,
      // An inspector on a free loopback port, used only to force garbage collection before measuring.
      args: ['--inspect=127.0.0.1:0', BIN, 'serve'],
      cwd: home,
      env: baseEnv(home, { DSPEC_TOOL_TIMEOUT_MS: '45000' }),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    client = new Client({ name: 'stdio-hostile', version: '1.0.0' });
    client.onerror = (error) => transportErrors.push(error);
    await client.connect(transport);
    pid = transport.pid!;
    inspectorUrl = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(stderr)?.[0] ?? '';
    expect(inspectorUrl).not.toBe('');
  });
  afterAll(async () => {
    await client.close().catch(() => undefined);
  });

  /** One call: must end within the bound with a result or an isError that says something. */
  async function callAndCheck(name: string, args: unknown) {
    const started = performance.now();
    const result = await client.callTool({ name, arguments: args as Record<string, unknown> }, undefined, { timeout: CALL_BOUND_MS });
    const elapsed = performance.now() - started;
    calls++;
    slowest = Math.max(slowest, elapsed);
    expect(elapsed).toBeLessThan(CALL_BOUND_MS);
    const content = result.content as Array<{ type: string; text: string }>;
    expect(content.length).toBeGreaterThan(0);
    if (result.isError) {
      errors++;
      expect(content[0]!.text.trim().length).toBeGreaterThan(5);
    } else {
      expect(result.structuredContent).toBeDefined();
    }
    return result;
  }

  /** The tools every later call may load (TypeScript, ESLint, the catalog): loaded once before the baseline. */
  async function warmUp() {
    await callAndCheck('generate_theme_css', { theme: { color: { $type: 'color', brand: { $value: '#336699' } } } });
    await callAndCheck('generate_component', { name: 'Button' });
    await callAndCheck('validate_component', { name: 'StatCard', files: STAT_CARD_FILES });
    await callAndCheck('cache_stats', {});
    await callAndCheck('cost_report', {});
    await callAndCheck('export_screen', { screen: { id: 'warm', name: 'Warm', layout: 'single-column', components: [{ type: 'Button', children: ['Go'] }] } });
  }

  async function settledRss(): Promise<number> {
    for (let i = 0; i < 3; i++) {
      await callAndCheck('cache_stats', {});
      await client.ping();
    }
    execFileSync(process.execPath, ['--experimental-websocket', FORCE_GC, inspectorUrl], { timeout: 30_000, stdio: ['ignore', 'ignore', 'pipe'] });
    await sleep(500);
    return rssOf(pid);
  }

  let baseline = 0;

  it('warms up and measures a baseline', async () => {
    await warmUp();
    await warmUp();
    baseline = await settledRss();
    figures.baselineRssMb = Math.round(baseline / MB);
    expect(baseline).toBeGreaterThan(0);
  }, 120_000);

  const nasty = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('../../etc/passwd', 'Button\u0000', '\ud800', '\udfff\ud800', 'Bu\u200btton', '__proto__', 'constructor', '', '\u0007\u001b[31mred\u001b[0m', '\r\n\t\v\f'),
    fc.constantFrom('red; } body { display: none', '</style><script>alert(1)</script>', '/* x', 'url(x', '"unbalanced', '{a.b'),
  );
  const hostileObject = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', '$value', '$type', 'tokens')), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 });

  it.each([...TOOL_NAMES])(
    '%s answers arbitrary JSON and hostile strings well-formed',
    async (tool) => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            hostileObject,
            fc.jsonValue({ maxDepth: 3 }).map((value) => ({ value })),
          ),
          async (args) => {
            await callAndCheck(tool, args);
          },
        ),
        { numRuns: 8 },
      );
      await fc.assert(
        fc.asyncProperty(nasty, nasty, async (a, b) => {
          await callAndCheck(tool, { name: a, theme: { id: b, tokens: { atomic: { x: a } } }, files: [{ path: a, contents: b }], description: b });
        }),
        { numRuns: 8 },
      );
    },
    120_000,
  );

  it('survives a 6 MB string, lone surrogates, control characters and __proto__ keys', async () => {
    // (10,000-deep nesting is sent raw below: the client's own JSON.stringify overflows its stack on it.)
    const sixMb = 'x'.repeat(6 * MB);
    expect((await callAndCheck('generate_component', { name: sixMb })).isError).toBe(true);
    // A file may hold 512 KB: refused by the input schema.
    expect((await callAndCheck('validate_component', { name: 'StatCard', files: [{ path: 'StatCard.tsx', contents: sixMb }] })).isError).toBe(true);
    expect((await callAndCheck('generate_theme_css', { theme: { color: { $type: 'color', big: { $value: sixMb } } } })).isError).toBe(true);

    for (const weird of ['\ud800', '\udc00x\ud83d', 'a\u0000b', '\u001b]0;pwned\u0007', '\u2028\u2029', '\ufeff', '\uffff']) {
      await callAndCheck('generate_component', { name: weird, description: weird });
      await callAndCheck('generate_theme_css', { theme: { color: { $type: 'color', [weird]: { $value: weird } } } });
      await callAndCheck('validate_component', { name: weird, files: [{ path: `${weird}.tsx`, contents: weird }] });
    }

    // JSON.parse makes "__proto__" an own key: it must stay data and never reach a prototype.
    const polluting = JSON.parse('{"theme":{"__proto__":{"polluted":{"$type":"color","$value":"#ff0000"}},"constructor":{"prototype":{"polluted2":{"$type":"color","$value":"#00ff00"}}}}}');
    await callAndCheck('generate_theme_css', polluting);
    await callAndCheck('generate_component', JSON.parse('{"name":"Button","props":{"__proto__":{"isAdmin":true}}}'));
    const clean = await callAndCheck('generate_theme_css', { theme: { color: { $type: 'color', ok: { $value: '#123456' } } } });
    expect(clean.isError).toBeFalsy();
    expect(JSON.stringify(clean.structuredContent)).not.toMatch(/polluted/);
  }, 180_000);

  it('generates CSS for a 100,000-token theme within the bound', async () => {
    const color: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) color[`c${i}`] = { $value: `#${(i % 0xffffff).toString(16).padStart(6, '0')}` };
    const started = performance.now();
    const result = await callAndCheck('generate_theme_css', { theme: { color: { $type: 'color', ...color } }, componentDefaults: false });
    figures.hundredThousandTokenThemeMs = Math.round(performance.now() - started);
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { variableCount: number }).variableCount).toBe(100_000);
  }, 120_000);

  it('is still alive, lists its tools, wrote nothing but JSON-RPC to stdout, and gave its memory back', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
    expect(transportErrors).toEqual([]);
    const after = await settledRss();
    figures.sdkClient = { calls, isErrorAnswers: errors, slowestCallMs: Math.round(slowest) };
    figures.rssAfterSettleMb = Math.round(after / MB);
    figures.rssGrowthMb = Math.round((after - baseline) / MB);
    expect(after - baseline, `RSS ${Math.round(baseline / MB)} MB → ${Math.round(after / MB)} MB`).toBeLessThan(RSS_SLACK_BYTES);
    expect(stderr).not.toMatch(/FATAL|heap out of memory/i);
  }, 60_000);
});

describe('the built server over stdio, raw bytes', () => {
  it('answers an oversized line with a JSON-RPC error, shrugs off garbage, keeps serving, and prints only JSON-RPC', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: home, env: baseEnv(home, { DSPEC_LOG_LEVEL: 'trace' }), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const messages: Array<Record<string, unknown>> = [];
    const waiters: Array<{ id: unknown; resolve: (message: Record<string, unknown>) => void }> = [];
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8');
    let pending = '';
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const message = JSON.parse(line) as Record<string, unknown>; // throws (and fails the test) on anything but JSON
        messages.push(message);
        for (const waiter of waiters.splice(0)) {
          if (waiter.id === message.id) waiter.resolve(message);
          else waiters.push(waiter);
        }
      }
    });
    const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
    const answerTo = (id: unknown, timeoutMs = 30_000) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const found = messages.find((message) => message.id === id);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no answer to ${String(id)}; stderr:\n${stderr.slice(-2000)}`)), timeoutMs);
        waiters.push({ id, resolve: (message) => (clearTimeout(timer), resolve(message)) });
      });

    try {
      send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
      expect((await answerTo('init')).result).toMatchObject({ protocolVersion: '2025-06-18', serverInfo: { name: 'dspec' } });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });

      // 9 MB, over the 8 MB cap, written in pieces as a real pipe would deliver it.
      const head = '{"jsonrpc":"2.0","id":"big","method":"tools/call","params":{"name":"generate_component","arguments":{"name":"';
      const filler = 'y'.repeat(MB);
      child.stdin.write(head);
      for (let i = 0; i < 9; i++) child.stdin.write(filler);
      child.stdin.write('"}}}\n');
      const big = await answerTo('big');
      expect(big.error).toMatchObject({ code: -32600 });
      expect(String((big.error as { message: string }).message)).toMatch(/exceeds/);

      // The same without an id: dropped silently; then lines that are not JSON-RPC at all.
      child.stdin.write(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"reason":"${'z'.repeat(9 * MB)}"}}\n`);
      child.stdin.write('this is not json\n');
      child.stdin.write('{"no":"jsonrpc"}\n');
      child.stdin.write(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a]));
      child.stdin.write('{"jsonrpc":"2.0","id":"torn","method":"tools/ca\n');
      child.stdin.write('\n\n\n');

      // 10,000-deep nesting in a theme and in props, spelt out by hand.
      const depth = 10_000;
      const deep = `${'{"g":'.repeat(depth)}{"$type":"dimension","$value":"1px"}${'}'.repeat(depth)}`;
      child.stdin.write(`{"jsonrpc":"2.0","id":"deep-theme","method":"tools/call","params":{"name":"generate_theme_css","arguments":{"theme":${deep}}}}\n`);
      child.stdin.write(`{"jsonrpc":"2.0","id":"deep-props","method":"tools/call","params":{"name":"generate_component","arguments":{"name":"Card","props":${deep}}}}\n`);
      const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      child.stdin.write(`{"jsonrpc":"2.0","id":"deep-array","method":"tools/call","params":{"name":"validate_component","arguments":{"name":"A","files":${deepArray}}}}\n`);
      for (const id of ['deep-theme', 'deep-props', 'deep-array']) {
        const answer = await answerTo(id);
        const result = answer.result as { isError?: boolean; content?: Array<{ text: string }> } | undefined;
        // A tool answer (isError with a message, or a result) or a JSON-RPC error: never silence.
        if (result) expect(result.isError ? result.content?.[0]?.text.length : 1).toBeGreaterThan(0);
        else expect(answer.error).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
      }
      expect((((await answerTo('deep-theme')).result ?? {}) as { isError?: boolean }).isError).toBe(true);

      send({ jsonrpc: '2.0', id: 'after', method: 'tools/call', params: { name: 'generate_component', arguments: { name: 'Button' } } });
      const after = await answerTo('after');
      expect((after.result as { isError?: boolean }).isError).toBeFalsy();
      send({ jsonrpc: '2.0', id: 'list', method: 'tools/list' });
      expect(((await answerTo('list')).result as { tools: unknown[] }).tools).toHaveLength(TOOL_NAMES.length);

      expect(child.exitCode).toBeNull();
      // Every byte on stdout was a JSON-RPC line (the parser above throws otherwise).
      expect(pending).toBe('');
      for (const message of messages) expect(message.jsonrpc).toBe('2.0');
      expect(stdout.length).toBeGreaterThan(0);
      expect(stderr).toMatch(/dropped an oversized stdio message/);
      figures.rawStdio = { stdoutLines: messages.length, oversizedLinesRefused: 2, garbageLinesIgnored: 4, deepNestingCalls: 3, stderrBytesAtTrace: stderr.length };
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);
});
