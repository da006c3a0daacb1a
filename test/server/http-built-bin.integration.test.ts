import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_NAMES } from '../../src/server/create-server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'dist/bin/dspec.js');
const TOKEN = 'built-bin-secret-token';

interface Started {
  child: ChildProcess;
  /** Every stderr line so far, parsed when it is JSON. */
  lines: Array<Record<string, unknown>>;
  stderr: () => string;
  ready: Record<string, unknown>;
}

const children: ChildProcess[] = [];
let cwd: string;

beforeAll(() => {
  // `npm test` builds first; a lone `vitest run` of this file builds if there is nothing to run.
  if (!existsSync(BIN)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  cwd = mkdtempSync(path.join(tmpdir(), 'dspec-http-bin-'));
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

/** Spawns `dspec serve --http --port 0` and resolves once the ready banner names the bound URL. */
function startBuiltServer(extraEnv: Record<string, string> = {}): Promise<Started> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: cwd, DSPEC_LOG_LEVEL: 'info', ...extraEnv };
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '--port', '0'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const lines: Array<Record<string, unknown>> = [];
  let text = '';
  let pending = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready banner within 15 s; stderr:\n${text}`)), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited early with ${code}; stderr:\n${text}`));
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      text += chunk;
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        lines.push(parsed);
        if (typeof parsed.mcpUrl === 'string') {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ child, lines, stderr: () => text, ready: parsed });
        }
      }
    });
  });
}

function stop(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.kill('SIGTERM');
  });
}

describe('the built bin: dspec serve --http', () => {
  it('prints the bound URL, serves tools/list over Streamable HTTP and exits cleanly on SIGTERM', async () => {
    const { child, ready, stderr } = await startBuiltServer();
    expect(ready.port).toEqual(expect.any(Number));
    expect(ready.mcpUrl).toBe(`http://127.0.0.1:${ready.port as number}/mcp`);
    // Stateless for both protocol generations, and no deprecated SSE transport, unless asked for.
    expect(ready.sseUrl).toBeUndefined();
    expect(ready).toMatchObject({ stateless: true, sessions: false, legacySse: false });
    expect(String(ready.msg)).toContain('MCP 2026-07-28 per request, 2025 clients stateless');
    expect(ready.tokenRequired).toBe(false);
    expect(ready.tools).toEqual([...TOOL_NAMES]);
    expect(String(ready.msg)).toContain('npx @modelcontextprotocol/inspector --cli');

    const client = new Client({ name: 'built-bin-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(ready.mcpUrl as string)));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('generate_theme_css');
    await client.close();

    const exit = await stop(child);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stderr()).toContain('dspec shutting down');
  });

  it('requires the token from DSPEC_HTTP_TOKEN and never logs it', async () => {
    const { child, ready, stderr } = await startBuiltServer({ DSPEC_HTTP_TOKEN: TOKEN });
    expect(ready.tokenRequired).toBe(true);
    const mcpUrl = ready.mcpUrl as string;
    const unauthorized = await fetch(mcpUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(unauthorized.status).toBe(401);

    const client = new Client({ name: 'built-bin-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();

    expect((await stop(child)).code).toBe(0);
    expect(stderr()).not.toContain(TOKEN);
  });
});
