import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'dist/bin/dspec.js');
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
let cwd: string;

beforeAll(() => {
  if (!existsSync(BIN)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  cwd = mkdtempSync(path.join(tmpdir(), 'dspec-start-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Runs the server until `done(output)` holds, then stops it; resolves with everything it printed. */
function runUntil(command: string, args: string[], done: (output: string) => boolean): Promise<string> {
  const child = spawn(command, args, { cwd, env: { ...process.env, DSPEC_LOG_LEVEL: 'info' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready message within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!done(output)) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(output);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

describe('the start message', () => {
  it.skipIf(!hasScript)('is a readable line on a terminal: version, transport, tools, how to connect', { timeout: 90_000 }, async () => {
    // util-linux `script` gives the server a pseudo-terminal for stdin, stdout and stderr.
    const output = await runUntil('script', ['-qfec', `"${process.execPath}" "${BIN}"`, '/dev/null'], (text) => /ready on stdio/.test(text));
    const line = output.split(/\r?\n/).find((text) => text.includes('ready on stdio'))!;
    expect(line).toMatch(/^info\s+dspec \d+\.\d+\.\d+ ready on stdio with tools: generate_theme_css, /);
    expect(line).toContain('mcp.config.json');
    expect(output).not.toContain('{"level"');
  });

  it('stays a JSON log record when stderr is a pipe', { timeout: 90_000 }, async () => {
    const output = await runUntil(process.execPath, [BIN], (text) => /ready on stdio[^\n]*\n/.test(text));
    const record = JSON.parse(output.split('\n').find((text) => text.includes('ready on stdio'))!) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 30, transport: 'stdio', name: 'dspec' });
    expect(record.tools).toContain('generate_theme_css');
  });
});
