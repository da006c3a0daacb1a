import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BUILT_BIN } from '../helpers/built-bin.js';

const tinyTheme = JSON.parse(readFileSync('test/fixtures/themes/tiny-tekton.json', 'utf8'));

/** Sends newline-delimited JSON-RPC to a raw child and collects every stdout line, as a client sees it. */
function runRawSession(messages: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [BUILT_BIN], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const responses = (count: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; stdout so far: ${stdout.slice(0, 500)}; stderr: ${stderr.slice(-500)}`)), 20_000);
      const check = () => {
        if (stdout.split('\n').filter(Boolean).length >= count) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      check();
    });
  for (const message of messages) child.stdin.write(message.endsWith('\n') ? message : `${message}\n`);
  return {
    child,
    responses,
    lines: () => stdout.split('\n').filter(Boolean),
    stderr: () => stderr,
    close: () =>
      new Promise<number | null>((resolve) => {
        child.on('exit', (code) => resolve(code));
        child.stdin.end();
      }),
  };
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });

describe('the built server over stdio', () => {
  beforeAll(assertBuilt);

  it('lists tools and answers a tool call through the real SDK client, announcing itself on stderr', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BUILT_BIN], stderr: 'pipe', env: { ...process.env } as Record<string, string> });
    let stderr = '';
    transport.stderr?.on('data', (chunk) => (stderr += chunk));
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('generate_theme_css');
    const result = await client.callTool({ name: 'generate_theme_css', arguments: { theme: tinyTheme } });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { css: string }).css).toContain(':root');
    await client.close();
    expect(stderr).toMatch(/ready on stdio/);
    expect(stderr).toMatch(/generate_theme_css/);
  });

  it('writes nothing but JSON-RPC messages to stdout, even when logging at trace level and on errors', async () => {
    const session = runRawSession(
      [
        initialize,
        initialized,
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
        JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'generate_theme_css', arguments: { theme: tinyTheme } } }),
        JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'generate_theme_css', arguments: { theme: { nope: true } } } }),
        JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'no/such/method' }),
        '{ this is not json',
      ],
      { DSPEC_LOG_LEVEL: 'trace' },
    );
    await session.responses(5);
    await session.close();
    const lines = session.lines();
    for (const line of lines) {
      const message = JSON.parse(line);
      expect(message.jsonrpc).toBe('2.0');
    }
    const byId = new Map(
      lines
        .map((line) => JSON.parse(line))
        .filter((m) => m.id !== undefined)
        .map((m) => [m.id, m]),
    );
    expect(byId.get(3).result.isError).toBeFalsy();
    expect(byId.get(4).result.isError).toBe(true);
    expect(byId.get(5).error.code).toBe(-32601);
    expect(session.stderr().length).toBeGreaterThan(0);
  });

  it('answers an oversized message with an error and keeps serving', async () => {
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'generate_theme_css', arguments: { theme: { padding: 'x'.repeat(9 * 1024 * 1024) } } },
    });
    const session = runRawSession([initialize, initialized, huge, JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/list' })]);
    await session.responses(3);
    const messages = session.lines().map((line) => JSON.parse(line));
    const rejected = messages.find((m) => m.id === 7);
    expect(rejected.error.code).toBe(-32600);
    expect(rejected.error.message).toMatch(/exceeds/);
    const listed = messages.find((m) => m.id === 8);
    expect(listed.result.tools.length).toBeGreaterThan(0);
    expect(await session.close()).toBe(0);
  });
});
