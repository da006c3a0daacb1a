import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The host the build writes (npm run build): the snapshot's entry and the package's only TypeScript.
const BUILT_HOST = path.resolve('dist/vendor/type-check-host.cjs');
const TYPESCRIPT_VERSION = (createRequire(import.meta.url)('typescript/package.json') as { version: string }).version;

/** Runs `script` in a fresh Node whose stdin stays open, so a host that read stdin would never exit. */
function runWithOpenStdin(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function* javascriptFilesUnder(directory: string): Generator<string> {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) yield* javascriptFilesUnder(full);
    else if (entry.name.endsWith('.js')) yield full;
  }
}

describe.skipIf(!existsSync(BUILT_HOST))('the built type-check host, required as a module', { timeout: 60_000 }, () => {
  it('exports TypeScript and does nothing else: no protocol output, no listeners, stdin left alone', async () => {
    const script = `
      const events = ['exit', 'beforeExit', 'uncaughtException', 'unhandledRejection'];
      const count = () => events.map((name) => process.listenerCount(name));
      const before = count();
      const host = require(${JSON.stringify(BUILT_HOST)});
      const ts = host.typescript;
      const js = ts.transpileModule('const n: number = 1;', { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
      process.stderr.write(JSON.stringify({ keys: Object.keys(host), version: ts.version, js, before, after: count() }));`;
    const { code, stdout, stderr } = await runWithOpenStdin(script);
    expect(code).toBe(0);
    // A host that served would have written {"ready":true} here.
    expect(stdout).toBe('');
    const report = JSON.parse(stderr) as { keys: string[]; version: string; js: string; before: number[]; after: number[] };
    expect(report.keys).toEqual(['typescript']);
    expect(report.version).toBe(TYPESCRIPT_VERSION);
    // The type annotation stripped: TypeScript really ran.
    expect(report.js).toMatch(/^const n = 1;$/m);
    expect(report.after).toEqual(report.before);
  });

  it('still serves the protocol when run as a script', async () => {
    const host = spawn(process.execPath, [BUILT_HOST], { stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    host.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    host.stdin.end('not json\n');
    const code = await new Promise<number | null>((resolve) => host.on('close', resolve));
    expect(code).toBe(0);
    const [ready, answer] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(ready).toEqual({ ready: true });
    expect(answer).toHaveProperty('error');
  });

  it('is the only TypeScript in the package: no file of the main bundle carries its own copy', () => {
    // A key of TypeScript's diagnostic table, which minification keeps.
    const marker = 'Cannot_find_name_0';
    expect(readFileSync(BUILT_HOST, 'utf8')).toContain(marker);
    const copies = [...javascriptFilesUnder(path.resolve('dist'))].filter((file) => readFileSync(file, 'utf8').includes(marker));
    expect(copies).toEqual([]);
  });
});
