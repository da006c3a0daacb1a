import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { assertAuthenticatedBeyondLoopback } from '../../src/server/transports/http.js';

/** `dspec serve` flags, run in-process: every case here ends before anything listens. */

const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-serve-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

async function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stderr = '';
  const code = await runCli(['serve', ...args], { stdout: () => {}, stderr: (text) => void (stderr += text), cwd, env: { DSPEC_LOG_LEVEL: 'silent', ...env } });
  return { code, stderr };
}

describe('dspec serve --http: no unauthenticated listener beyond loopback', () => {
  it.each(['0.0.0.0', '::', '192.0.2.1', 'dspec.internal'])('refuses %s without a token: exit 2, one line naming DSPEC_HTTP_TOKEN', async (host) => {
    const { code, stderr } = await serve(['--http', '--host', host, '--port', '0']);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`refusing to serve HTTP on ${host} without a token`);
    expect(stderr).toMatch(/DSPEC_HTTP_TOKEN=.*--allow-unauthenticated/);
  });

  it('takes DSPEC_HTTP_HOST from the environment into the same check', async () => {
    const { code, stderr } = await serve(['--http', '--port', '0'], { DSPEC_HTTP_HOST: '0.0.0.0' });
    expect(code).toBe(2);
    expect(stderr).toContain('refusing to serve HTTP on 0.0.0.0');
  });

  it('lets loopback, a token or --allow-unauthenticated through', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) expect(() => assertAuthenticatedBeyondLoopback(host, false, false), host).not.toThrow();
    expect(() => assertAuthenticatedBeyondLoopback('0.0.0.0', true, false)).not.toThrow();
    expect(() => assertAuthenticatedBeyondLoopback('0.0.0.0', false, true)).not.toThrow();
  });
});

describe('dspec serve session flags', () => {
  it.each([
    ['--max-sessions', '0'],
    ['--max-sessions', 'many'],
    ['--session-idle-timeout', '0'],
    ['--session-idle-timeout', '1.5'],
  ])('refuses %s %s with one line', async (flag, value) => {
    const { code, stderr } = await serve(['--http', flag, value]);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${flag} must be a positive integer`);
  });
});
