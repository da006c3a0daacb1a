// Starts the built server as a child process for the reliability benchmarks, and measures its memory.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'dist/bin/dspec.js');
const FORCE_GC = path.join(ROOT, 'test/reliability/support/force-gc.mjs');

/**
 * `dspec serve --http --stateless --port 0` (one request, no initialize) in a fresh working directory, with an inspector on a free
 * loopback port (used only to force garbage collection before a memory reading).
 */
export async function startHttpServer(extraEnv = {}) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-bench-reliability-'));
  const env = { PATH: process.env.PATH, HOME: cwd, DSPEC_LOG_LEVEL: 'info', ...extraEnv };
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', BIN, 'serve', '--http', '--stateless', '--port', '0'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready banner within 20 s:\n${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const url = /"mcpUrl":"([^"]+)"/.exec(stderr)?.[1];
      const inspector = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(stderr)?.[0];
      if (url && inspector) {
        clearTimeout(timer);
        resolve({ url, inspector });
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    child,
    cwd,
    mcpUrl: ready.url,
    rssMb: () => rssMb(child.pid),
    /** RSS after full garbage collections: what the process retains. */
    settledRssMb: async () => {
      execFileSync(process.execPath, ['--experimental-websocket', FORCE_GC, ready.inspector], { timeout: 30_000, stdio: 'ignore' });
      await new Promise((resolve) => setTimeout(resolve, 500));
      return rssMb(child.pid);
    },
    stop: () =>
      /** @type {Promise<void>} */ (
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        })
      ),
  };
}

export function rssMb(pid) {
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

export function toolCallBody(name, args, id = 1) {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

/** Headers every stateless Streamable HTTP request needs. */
export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

export async function callTool(mcpUrl, name, args) {
  const response = await fetch(mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: toolCallBody(name, args) });
  const text = await response.text();
  return { status: response.status, text };
}
