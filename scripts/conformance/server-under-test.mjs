// The built dspec, started as a user starts it for HTTP: `dspec serve --http --port 0` in an
// empty folder with an empty HOME (no user config, no keys), resolved once its ready banner
// names the bound URL.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'dist/bin/dspec.js');
export const SERVE_ARGS = ['serve', '--http', '--port', '0'];

/**
 * @param {{ readyTimeoutMs?: number }} [options]
 * @returns {Promise<{ mcpUrl: string, pid: number, stderr: () => string, stop: () => Promise<void> }>}
 */
export function startServer({ readyTimeoutMs = 30_000 } = {}) {
  if (!existsSync(BIN)) throw new Error(`${path.relative(ROOT, BIN)} is missing: run \`npm run build\` first (the conformance runner tests the built server)`);
  const home = mkdtempSync(path.join(os.tmpdir(), 'dspec-conformance-'));
  // The banner is logged at info.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, DSPEC_LOG_LEVEL: 'info' };
  const child = spawn(process.execPath, [BIN, ...SERVE_ARGS], { cwd: home, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    }
    rmSync(home, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dspec printed no ready banner within ${readyTimeoutMs / 1000} s; stderr:\n${stderr}`));
    }, readyTimeoutMs);
    const onExit = (/** @type {number | null} */ code) => {
      clearTimeout(timer);
      reject(new Error(`dspec ${SERVE_ARGS.join(' ')} exited with ${code} before it was ready; stderr:\n${stderr}`));
    };
    child.once('exit', onExit);
    child.stderr.on('data', (chunk) => {
      const wasReady = /"mcpUrl":"http:\/\/[^"]+"/.test(stderr);
      stderr += chunk;
      const match = /"mcpUrl":"(http:\/\/[^"]+)"/.exec(stderr);
      if (wasReady || !match) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ mcpUrl: match[1], pid: child.pid ?? 0, stderr: () => stderr, stop });
    });
  });
}
